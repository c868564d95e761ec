import { LOCAL_CUSTOM_CONSTRAINTS } from './custom-constraints';
import { HeatConstraint, HeatPropertySchema, HeatPropertyType } from './heat-release';

/**
 * Turns Heat's property schemas (and nested templates' parameters) into JSON Schema for ajv.
 *
 * Every position may also hold an intrinsic function call, so each value schema is wrapped as
 * `{if: {$ref: 'heat-fn'}, else: <schema>}`: a function call skips the static checks, anything
 * else must match. Types follow Heat's own coercions (`Property.get_value` in
 * `heat/engine/properties.py`): a string also takes an integer or a boolean, an integer or number
 * also takes a numeric string, a boolean also takes `'true'`/`'false'`, and `null` means "unset"
 * everywhere. One deliberate difference: Heat truncates a float given for an integer; this reports it.
 * Constraints are checked on values of the native type only (range is not applied to `'70000'`).
 *
 * Messages are built from `x-heat-*` annotations that ajv ignores (`strict: false`).
 */

/** A JSON Schema as a plain object. */
export type JsonSchema = { [key: string]: unknown };

/** The `$id` of the schema of a function call, added to each release's ajv instance. */
export const FN_SCHEMA_ID = 'heat-fn';

/** The schema of an intrinsic function call: a map with one key, which is a function name. */
export function functionCallSchema(functionNames: readonly string[]): JsonSchema {
  return {
    $id: FN_SCHEMA_ID,
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    propertyNames: { enum: [...functionNames] },
  };
}

/** Lets a function call stand wherever `schema` goes. */
export function allowFunction(schema: JsonSchema): JsonSchema {
  return { if: { $ref: FN_SCHEMA_ID }, else: schema };
}

/** Text of each type for messages: "must be <text>". */
export function typeText(type: HeatPropertyType, allowConversion = false): string {
  switch (type) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean (true or false)';
    case 'map':
      return allowConversion ? 'a map, a list or a JSON string' : 'a map';
    case 'list':
      return allowConversion ? 'a list or a comma-delimited string' : 'a list';
    default:
      return 'any value';
  }
}

/** The JSON Schema of a map of properties (a resource's `properties`, or a nested map). */
export function propertiesSchema(properties: Readonly<Record<string, HeatPropertySchema>>): JsonSchema {
  const names = Object.keys(properties).sort();
  const schema: JsonSchema = {
    type: ['object', 'null'],
    'x-heat-type': 'map',
    'x-heat-type-text': typeText('map'),
    properties: Object.fromEntries(names.map((n) => [n, propertySchema(properties[n])])),
    additionalProperties: false,
  };
  const required = names.filter((n) => properties[n].required && properties[n].implemented !== false);
  if (required.length > 0) schema.required = required;
  return schema;
}

/** The JSON Schema of one property: its value schema, where a function call may also stand. */
export function propertySchema(property: HeatPropertySchema): JsonSchema {
  if (property.implemented === false) return { heatNotImplemented: true };
  return allowFunction(valueSchema(property));
}

const BASE_TYPES: Record<HeatPropertyType, JsonSchema> = {
  string: { type: ['string', 'integer', 'boolean', 'null'] },
  integer: { type: ['integer', 'string', 'null'], heatScalar: 'integer' },
  number: { type: ['number', 'string', 'null'], heatScalar: 'number' },
  boolean: { type: ['boolean', 'string', 'null'], heatScalar: 'boolean' },
  map: { type: ['object', 'null'] },
  list: { type: ['array', 'null'] },
  any: {},
};

function valueSchema(property: HeatPropertySchema): JsonSchema {
  const conversion = property.allowConversion === true;
  let schema: JsonSchema = {
    ...BASE_TYPES[property.type] ?? {},
    'x-heat-type': property.type,
    'x-heat-type-text': typeText(property.type, conversion),
  };
  if (conversion && property.type === 'map') schema.type = ['object', 'array', 'string', 'null'];
  if (conversion && property.type === 'list') schema.type = ['array', 'string', 'null'];
  if (property.type === 'map' && property.schema) {
    const { type: _type, ...nested } = propertiesSchema(property.schema);
    schema = { ...schema, ...nested };
  }
  if (property.type === 'list' && property.schema?.['*']) schema.items = propertySchema(property.schema['*']);
  const extra: JsonSchema[] = [];
  for (const constraint of property.constraints ?? []) {
    const fragment = constraintSchema(constraint, property.type);
    if (!fragment) continue;
    if (Object.keys(fragment).some((k) => k in schema)) extra.push(fragment);
    else schema = { ...schema, ...fragment };
  }
  if (extra.length > 0) schema.allOf = extra;
  return schema;
}

/** Enum values as Heat compares them: after coercing both sides to the property's type. */
function enumValues(allowed: readonly unknown[], type: HeatPropertyType): unknown[] {
  const out: unknown[] = [null];
  for (const value of allowed) {
    out.push(value);
    if (type === 'string' && typeof value === 'number') out.push(String(value));
    if (type === 'string' && typeof value === 'string' && /^-?\d+$/.test(value)) out.push(Number(value));
    if ((type === 'integer' || type === 'number') && typeof value === 'number') out.push(String(value));
    if ((type === 'integer' || type === 'number') && typeof value === 'string' && value.trim() !== '' && !isNaN(Number(value))) {
      out.push(Number(value));
    }
  }
  return [...new Set(out)];
}

function constraintSchema(constraint: HeatConstraint, type: HeatPropertyType): JsonSchema | undefined {
  switch (constraint.kind) {
    case 'allowed_values': {
      const allowed = constraint.allowed_values;
      if (type === 'list') {
        // Heat checks each item of a list against the allowed values.
        return { items: allowFunction({ enum: enumValues(allowed, 'any'), 'x-heat-allowed': allowed }) };
      }
      return { enum: enumValues(allowed, type), 'x-heat-allowed': allowed };
    }
    case 'range': {
      const { min, max } = constraint.range;
      const fragment: JsonSchema = { 'x-heat-range': constraint.range };
      if (typeof min === 'number') fragment.minimum = min;
      if (typeof max === 'number') fragment.maximum = max;
      return fragment;
    }
    case 'length': {
      const { min, max } = constraint.length;
      const fragment: JsonSchema = { 'x-heat-length': constraint.length };
      if (typeof min === 'number') Object.assign(fragment, { minLength: min, minItems: min, minProperties: min });
      if (typeof max === 'number') Object.assign(fragment, { maxLength: max, maxItems: max, maxProperties: max });
      return fragment;
    }
    case 'modulo':
      return { heatModulo: constraint.modulo };
    case 'allowed_pattern': {
      const pattern = anchoredPattern(constraint.allowed_pattern);
      return pattern === undefined ? undefined : { pattern, 'x-heat-pattern': constraint.allowed_pattern };
    }
    case 'custom_constraint':
      // Only the constraints with a local definition; the others need a cloud.
      return !constraint.needs_service && LOCAL_CUSTOM_CONSTRAINTS[constraint.custom_constraint]
        ? { format: constraint.custom_constraint }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Heat matches `allowed_pattern` with Python's `re.match` and then requires the match to cover the
 * whole string. Python-only syntax (`(?P<name>`) is translated; a pattern JavaScript cannot compile
 * is skipped rather than guessed at.
 */
export function anchoredPattern(pattern: string): string | undefined {
  const js = `^(?:${pattern.replace(/\(\?P</g, '(?<')})$`;
  try {
    new RegExp(js);
    return js;
  } catch {
    return undefined;
  }
}

/** A template parameter as written (`type`, `default`, `constraints`, ...). */
export interface TemplateParameter {
  readonly type?: unknown;
  readonly default?: unknown;
  readonly constraints?: unknown;
}

const PARAMETER_TO_PROPERTY: Record<string, HeatPropertyType> = {
  string: 'string',
  number: 'number',
  comma_delimited_list: 'list',
  json: 'map',
  boolean: 'boolean',
};

/** The parameter constraint keys that become Heat constraints (the rest are `description`). */
const CONSTRAINT_KINDS = ['allowed_values', 'range', 'length', 'modulo', 'allowed_pattern', 'custom_constraint'];

/**
 * Heat's property schema for a parameter of a nested template (`Schema.from_parameter`): required
 * when it has no default, `json` → map and `comma_delimited_list` → list with conversion allowed.
 * `needsService` says which custom constraints need a cloud.
 */
export function parameterPropertySchema(
  parameter: TemplateParameter,
  needsService: (customConstraint: string) => boolean,
): HeatPropertySchema {
  const type = typeof parameter.type === 'string' ? PARAMETER_TO_PROPERTY[parameter.type] ?? 'any' : 'any';
  return {
    type,
    required: parameter.default === undefined || parameter.default === null,
    allowConversion: parameter.type === 'json' || parameter.type === 'comma_delimited_list',
    constraints: parameterConstraints(parameter.constraints, needsService),
  };
}

/** A parameter's `constraints` list in the form of Heat's property constraints; malformed entries are left out. */
export function parameterConstraints(constraints: unknown, needsService: (name: string) => boolean): HeatConstraint[] {
  if (!Array.isArray(constraints)) return [];
  const out: HeatConstraint[] = [];
  for (const entry of constraints) {
    if (typeof entry !== 'object' || entry === null) continue;
    for (const [kind, value] of Object.entries(entry as Record<string, unknown>)) {
      if (!CONSTRAINT_KINDS.includes(kind)) continue;
      if (kind === 'allowed_values' && Array.isArray(value)) out.push({ kind, allowed_values: value });
      if ((kind === 'range' || kind === 'length') && isBounds(value)) out.push({ kind, [kind]: value } as HeatConstraint);
      if (kind === 'modulo' && isModulo(value)) out.push({ kind, modulo: value });
      if (kind === 'allowed_pattern' && typeof value === 'string') out.push({ kind, allowed_pattern: value });
      if (kind === 'custom_constraint' && typeof value === 'string') {
        out.push({ kind, custom_constraint: value, needs_service: needsService(value) });
      }
    }
  }
  return out;
}

function isBounds(value: unknown): value is { min?: number; max?: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { min, max } = value as Record<string, unknown>;
  return (min === undefined || typeof min === 'number') && (max === undefined || typeof max === 'number');
}

function isModulo(value: unknown): value is { step: number; offset: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { step, offset } = value as Record<string, unknown>;
  return typeof step === 'number' && step !== 0 && typeof offset === 'number';
}
