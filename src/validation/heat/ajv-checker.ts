import type { default as Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { LOCAL_CUSTOM_CONSTRAINTS } from './custom-constraints';
import { describeValue, FindingSink, HotFindingCode, childPath, listValues, suggestion } from './findings';
import { HeatRelease } from './heat-release';
import { functionCallSchema, JsonSchema } from './json-schema';

/**
 * Runs ajv on values checked against schemas from `json-schema.ts` and turns its errors into
 * findings. One ajv instance per release (the function names differ), compiled validators cached:
 * per resource type for the release's types, by content for schemas made from nested templates.
 */

/** What a checked value belongs to, for messages. */
export interface ValueSubject {
  /** `properties` of a resource type (or its update policy), or parameters of a nested `template`. */
  readonly kind: 'properties' | 'template';
  /** E.g. `OS::Nova::Server`, `member.yaml` or `parameter 'flavor'`. */
  readonly label: string;
  /** The name of the checked value itself, for errors about the whole value (e.g. `properties`). */
  readonly rootName: string;
}

const MAX_DYNAMIC_VALIDATORS = 256;

/** The ajv instance and compiled validators of one release. */
export class AjvChecker {
  /** The checker of the release, created once. */
  public static for(release: HeatRelease): AjvChecker {
    let checker = checkers.get(release.name);
    if (!checker) {
      checker = new AjvChecker(release);
      checkers.set(release.name, checker);
    }
    return checker;
  }

  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly dynamic = new Map<string, { schema: JsonSchema; validate: ValidateFunction }>();

  private constructor(release: HeatRelease) {
    // Loaded here, on first use: a program that never validates a template does not load ajv.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const AjvClass = (require('ajv') as typeof import('ajv')).default;
    this.ajv = new AjvClass({ allErrors: true, strict: false, verbose: true, unicodeRegExp: false, inlineRefs: false });
    this.ajv.addSchema(functionCallSchema(release.allFunctionNames));
    this.ajv.addKeyword({ keyword: 'heatScalar', type: 'string', schemaType: 'string', validate: isScalarString });
    this.ajv.addKeyword({ keyword: 'heatModulo', type: 'number', schemaType: 'object', validate: isModulo });
    this.ajv.addKeyword({ keyword: 'heatNotImplemented', schemaType: 'boolean', validate: () => false });
    for (const [name, constraint] of Object.entries(LOCAL_CUSTOM_CONSTRAINTS)) {
      this.ajv.addFormat(name, { type: 'string', validate: (v: string) => constraint.check(v) });
    }
  }

  /** The validator cached under `key` (e.g. `type:OS::Nova::Server`), compiled from `build()` once. */
  public validator(key: string, build: () => JsonSchema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(build());
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** The validator of a schema that is not the release's own (a nested template's), cached by content. */
  public dynamicValidator(schema: JsonSchema): ValidateFunction {
    const key = JSON.stringify(schema);
    let entry = this.dynamic.get(key);
    if (!entry) {
      if (this.dynamic.size >= MAX_DYNAMIC_VALIDATORS) {
        const [oldestKey, oldest] = this.dynamic.entries().next().value as [string, { schema: JsonSchema }];
        this.ajv.removeSchema(oldest.schema);
        this.dynamic.delete(oldestKey);
      }
      entry = { schema, validate: this.ajv.compile(schema) };
      this.dynamic.set(key, entry);
    }
    return entry.validate;
  }

  /** Checks `data` (found at `path` of the sink's file) and reports every problem. */
  public check(validate: ValidateFunction, data: unknown, path: string, subject: ValueSubject, sink: FindingSink): void {
    if (validate(data)) return;
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
    const typeErrorAt = new Set(errors.filter((e) => isTypeError(e)).map((e) => e.instancePath));
    for (const error of errors) {
      if (typeErrorAt.has(error.instancePath) && !isTypeError(error)) continue;
      translate(error, data, path, subject, sink);
    }
  }
}

const checkers = new Map<string, AjvChecker>();

function isTypeError(e: ErrorObject): boolean {
  return e.keyword === 'type' || e.keyword === 'heatScalar';
}

/** The strings Heat coerces: integers (`int()`), numbers (`str_to_num`), booleans (`'true'`/`'false'`). */
function isScalarString(kind: string, data: string): boolean {
  const text = data.trim();
  if (kind === 'integer') return /^[-+]?\d+$/.test(text);
  if (kind === 'number') return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text);
  if (kind === 'boolean') return ['true', 'false'].includes(data.toLowerCase());
  return true;
}

/** Heat's `Modulo`: `value % step == offset`, with Python's sign rule. */
function isModulo(modulo: { step: number; offset: number }, data: number): boolean {
  const rest = ((data % modulo.step) + modulo.step) % modulo.step;
  return rest === modulo.offset;
}

/** Pointer segments → our path, with `[n]` where the data at that point is a list. */
function locate(data: unknown, pointer: string, base: string): { path: string; name: string; value: unknown } {
  let path = base;
  let name = '';
  let current: unknown = data;
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const segment of segments) {
    if (Array.isArray(current)) {
      const index = Number(segment);
      path = childPath(path, index);
      name = `${name}[${index}]`;
      current = current[index];
    } else {
      path = childPath(path, segment);
      name = segment;
      current = (current as Record<string, unknown> | undefined)?.[segment];
    }
  }
  return { path, name, value: current };
}

function unitOf(value: unknown): string {
  if (Array.isArray(value)) return 'items';
  if (typeof value === 'object' && value !== null) return 'keys';
  return 'characters';
}

function sizeOf(value: unknown): number {
  if (Array.isArray(value) || typeof value === 'string') return value.length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  return 0;
}

function bounds(b: { min?: number; max?: number }, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  if (b.min !== undefined && b.max !== undefined) return `between ${b.min} and ${b.max}${u}`;
  if (b.min !== undefined) return `at least ${b.min}${u}`;
  return `at most ${b.max}${u}`;
}

function translate(error: ErrorObject, data: unknown, base: string, subject: ValueSubject, sink: FindingSink): void {
  const at = locate(data, error.instancePath, base);
  const name = at.name || subject.rootName;
  const where = at.name ? `'${at.name}' of ${subject.label}` : subject.label;
  const parent = (error.parentSchema ?? {}) as JsonSchema;
  const got = describeValue(at.value);
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const path = childPath(at.path, missing);
      if (subject.kind === 'template' && !at.name) {
        sink.report(HotFindingCode.TEMPLATE_PARAMETER_MISSING, path, `parameter '${missing}' of ${subject.label} has no default and is not given; set it in the resource's properties or in parameter_defaults`);
      } else {
        sink.report(HotFindingCode.REQUIRED_PROPERTY_MISSING, path, `'${missing}' is required by ${where} but missing`);
      }
      return;
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((parent.properties ?? {}) as object);
      const path = childPath(at.path, extra);
      if (subject.kind === 'template' && !at.name) {
        sink.report(HotFindingCode.UNKNOWN_TEMPLATE_PARAMETER, path, `'${extra}' is not a parameter of ${subject.label}${suggestion(extra, known)}`);
      } else {
        sink.report(HotFindingCode.UNKNOWN_PROPERTY, path, `'${extra}' is not a property of ${where}${suggestion(extra, known)}`);
      }
      return;
    }
    case 'type':
    case 'heatScalar':
      sink.report(HotFindingCode.TYPE_MISMATCH, at.path, `'${name}' must be ${String(parent['x-heat-type-text'] ?? error.schema)}, got ${got}`);
      return;
    case 'enum': {
      const allowed = (parent['x-heat-allowed'] ?? error.schema) as unknown[];
      sink.report(HotFindingCode.VALUE_NOT_ALLOWED, at.path, `'${name}' must be one of ${listValues(allowed)}, got ${got}`);
      return;
    }
    case 'minimum':
    case 'maximum':
      sink.report(HotFindingCode.VALUE_OUT_OF_RANGE, at.path, `'${name}' must be ${bounds(parent['x-heat-range'] as object)}, got ${got}`);
      return;
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      sink.report(HotFindingCode.VALUE_BAD_LENGTH, at.path, `'${name}' must have ${bounds(parent['x-heat-length'] as object, unitOf(at.value))}, got ${sizeOf(at.value)}`);
      return;
    case 'heatModulo': {
      const { step, offset } = error.schema as { step: number; offset: number };
      sink.report(HotFindingCode.VALUE_BAD_MODULO, at.path, `'${name}' must be a multiple of ${step} with an offset of ${offset}, got ${got}`);
      return;
    }
    case 'pattern':
      sink.report(HotFindingCode.VALUE_PATTERN_MISMATCH, at.path, `'${name}' must match the pattern ${String(parent['x-heat-pattern'] ?? error.schema)}, got ${got}`);
      return;
    case 'format': {
      const format = String(error.schema);
      const description = LOCAL_CUSTOM_CONSTRAINTS[format]?.description ?? format;
      sink.report(HotFindingCode.VALUE_CUSTOM_CONSTRAINT, at.path, `'${name}' must be ${description} (custom constraint ${format}), got ${got}`);
      return;
    }
    case 'heatNotImplemented':
      sink.report(HotFindingCode.PROPERTY_NOT_IMPLEMENTED, at.path, `'${name}' is declared by ${subject.label} but not implemented by Heat; remove it`);
      return;
    default:
      sink.report(HotFindingCode.TYPE_MISMATCH, at.path, `'${name}' ${error.message ?? 'is invalid'}, got ${got}`);
  }
}
