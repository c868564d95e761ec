import * as net from 'net';
import type { default as Ajv, ErrorObject, ValidateFunction } from 'ajv';
import {
  BLOCK_ANNOTATION,
  ENUM_KEYWORD,
  EnumKeyword,
  JsonSchema,
  MISSING_BLOCK_ANNOTATION,
  TYPE_ANNOTATION,
  UNKNOWN_KEYWORD,
  typeJsonSchema,
} from './block-json-schema';
import { TerraformFinding, TerraformFindingCode, TerraformFindingCodeValue, describeValue, didYouMean, finding, joinPath } from './findings';
import { TypeSchema } from './provider-schema';
import { containsTemplate } from './template-expressions';

/**
 * Runs ajv on configuration bodies and turns its errors into findings. One ajv instance, one
 * compiled validator per resource type, data source type or provider block (cached), compiled on
 * first use.
 */

let instance: Ajv | undefined;

/**
 * The ajv instance, created with its keywords and formats on first use: loading ajv (about 60
 * modules) and setting it up is work a program that never validates Terraform JSON does not pay.
 */
function ajv(): Ajv {
  if (instance) return instance;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const AjvClass = (require('ajv') as typeof import('ajv')).default;
  const a = new AjvClass({ inlineRefs: false, allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false });
  a.addKeyword({
    keyword: UNKNOWN_KEYWORD,
    schemaType: 'boolean',
    errors: false,
    validate: (nullable: boolean, data: unknown) => (typeof data === 'string' && containsTemplate(data)) || (nullable && data === null),
  });
  a.addKeyword({
    keyword: ENUM_KEYWORD,
    schemaType: 'object',
    type: ['string', 'number'],
    errors: false,
    validate: (spec: EnumKeyword, data: string | number) =>
      spec.values.some((v) => v === data || (spec.ignoreCase && typeof v === 'string' && typeof data === 'string' && v.toLowerCase() === data.toLowerCase())),
  });
  a.addKeyword({ keyword: TYPE_ANNOTATION, schemaType: 'string' });
  a.addKeyword({ keyword: BLOCK_ANNOTATION, schemaType: 'string' });
  a.addKeyword({ keyword: MISSING_BLOCK_ANNOTATION, schemaType: 'boolean' });
  for (const [name, format] of Object.entries(FORMATS)) a.addFormat(name, { type: 'string', validate: format.validate });
  instance = a;
  return a;
}

/** What each custom format means, for messages. */
const FORMATS: { readonly [name: string]: { readonly describe: string; readonly validate: (s: string) => boolean } } = {
  'tf-cidr': { describe: 'a CIDR block such as 10.0.0.0/24 or fd00::/64', validate: isCidr },
  'tf-ip-address': { describe: 'an IPv4 or IPv6 address', validate: (s) => net.isIP(s) !== 0 },
  'tf-uuid': { describe: 'a UUID', validate: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) },
  'tf-rfc3339-time': {
    describe: 'an RFC 3339 time such as 2025-01-31T12:00:00Z',
    validate: (s) => /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s),
  },
  'tf-json-object': { describe: 'a JSON object', validate: isJsonObject },
};

function isCidr(s: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const family = net.isIP(m[1]);
  return family !== 0 && Number(m[2]) <= (family === 4 ? 32 : 128);
}

function isJsonObject(s: string): boolean {
  try {
    const value: unknown = JSON.parse(s);
    return value === null || (typeof value === 'object' && !Array.isArray(value));
  } catch {
    return false;
  }
}

const compiledTypes = new WeakMap<TypeSchema, ValidateFunction>();
const compiledSchemas = new WeakMap<object, ValidateFunction>();

/** Checks a resource, data source or provider body against its type's generated JSON Schema. */
export function checkBody(type: TypeSchema, body: unknown, basePath: string): TerraformFinding[] {
  let validate = compiledTypes.get(type);
  if (!validate) {
    validate = ajv().compile(typeJsonSchema(type) as object);
    compiledTypes.set(type, validate);
  }
  return validate(body) ? [] : translateErrors(validate.errors ?? [], body, basePath, false);
}

/** Checks a value against a fixed JSON Schema (the document outline); every error is a `TF_DOCUMENT` finding. */
export function checkOutline(schema: JsonSchema & object, value: unknown, basePath: string): TerraformFinding[] {
  let validate = compiledSchemas.get(schema);
  if (!validate) {
    validate = ajv().compile(schema);
    compiledSchemas.set(schema, validate);
  }
  return validate(value) ? [] : translateErrors(validate.errors ?? [], value, basePath, true);
}

function translateErrors(errors: readonly ErrorObject[], root: unknown, basePath: string, outline: boolean): TerraformFinding[] {
  const findings: TerraformFinding[] = [];
  for (const error of errors) {
    // `if`/`then`/`else` branches report the branch's own errors; the wrapper adds nothing.
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    const { path, relative } = locate(root, basePath, error.instancePath);
    const f = translate(error, path, relative, outline);
    if (f) findings.push(f);
  }
  return findings;
}

function translate(error: ErrorObject, path: string, relative: string, outline: boolean): TerraformFinding | undefined {
  const parent = error.parentSchema ?? {};
  const expected = typeof parent[TYPE_ANNOTATION] === 'string' ? (parent[TYPE_ANNOTATION] as string) : undefined;
  const code = (c: TerraformFindingCodeValue): TerraformFindingCodeValue => (outline ? TerraformFindingCode.DOCUMENT : c);
  const got = describeValue(error.data);
  const quoted = `'${relative}'`;
  if (error.propertyName !== undefined) {
    return finding(
      TerraformFindingCode.INVALID_NAME,
      joinPath(path, error.propertyName),
      `'${error.propertyName}' is not a valid Terraform name, got ${JSON.stringify(error.propertyName)}; start with a letter or underscore and use only letters, digits, '_' and '-'`,
    );
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(error.params.additionalProperty);
      const allowed = Object.keys((parent.properties as object | undefined) ?? {}).filter((k) => k !== '//');
      const where = typeof parent[BLOCK_ANNOTATION] === 'string' ? ` of ${parent[BLOCK_ANNOTATION]}` : '';
      const hint = didYouMean(name, allowed);
      return finding(
        code(TerraformFindingCode.UNKNOWN_ARGUMENT),
        joinPath(path, name),
        `'${name}' is not ${outline ? 'a key' : 'an argument'}${where}, got ${describeValue((error.data as Record<string, unknown>)[name])}; ${hint ? hint.slice(2) : 'remove it'}`,
      );
    }
    case 'required': {
      const name = String(error.params.missingProperty);
      const what = parent[MISSING_BLOCK_ANNOTATION] === true ? `block '${name}'` : `'${name}'`;
      const where = typeof parent[BLOCK_ANNOTATION] === 'string' ? ` by ${parent[BLOCK_ANNOTATION]}` : '';
      return finding(code(TerraformFindingCode.MISSING_REQUIRED_ARGUMENT), joinPath(path, name), `${what} is required${where}, got nothing; set it`);
    }
    case 'false schema':
      return finding(
        code(TerraformFindingCode.COMPUTED_ONLY_ARGUMENT),
        path,
        `${quoted} is computed by the provider and cannot be set, got ${got}; remove it (read it through a reference instead)`,
      );
    case 'type': {
      if (error.data === null) {
        return finding(code(TerraformFindingCode.MISSING_REQUIRED_ARGUMENT), path, `${quoted} is required, got null; set it`);
      }
      const type = expected ?? String(error.params.type);
      const fix = type.includes('block') || outline ? `write ${article(type)}` : `write ${article(type)} or a "\${...}" expression`;
      return finding(code(TerraformFindingCode.INVALID_TYPE), path, `${quoted} must be ${article(type)}, got ${got}; ${fix}`);
    }
    case 'minItems':
    case 'maxItems': {
      const limit = Number(error.params.limit);
      const noun = `${expected === 'blocks' ? 'block' : 'item'}${limit === 1 ? '' : 's'}`;
      const count = Array.isArray(error.data) ? error.data.length : 0;
      const bound = error.keyword === 'minItems' ? `at least ${limit}` : `at most ${limit}`;
      return finding(code(TerraformFindingCode.ITEM_COUNT), path, `${quoted} must have ${bound} ${noun}, got ${count}; ${error.keyword === 'minItems' ? 'add' : 'remove'} some`);
    }
    case 'minimum':
    case 'maximum': {
      const min = parent.minimum as number | undefined;
      const max = parent.maximum as number | undefined;
      const range = min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;
      return finding(code(TerraformFindingCode.OUT_OF_RANGE), path, `${quoted} must be ${range}, got ${got}; pick a value in that range`);
    }
    case ENUM_KEYWORD:
    case 'enum': {
      const spec = error.keyword === 'enum' ? { values: error.params.allowedValues as unknown[], ignoreCase: false } : (error.schema as EnumKeyword);
      const values = spec.values.map((v) => JSON.stringify(v));
      const hint = typeof error.data === 'string' ? didYouMean(error.data, spec.values.map(String)) : '';
      const caseNote = spec.ignoreCase ? ' (case-insensitive)' : '';
      return finding(code(TerraformFindingCode.NOT_IN_ENUM), path, `${quoted} must be one of ${values.join(', ')}${caseNote}, got ${got}${hint || '; use one of those'}`);
    }
    case 'format': {
      const format = FORMATS[String(error.params.format)];
      return finding(code(TerraformFindingCode.INVALID_FORMAT), path, `${quoted} must be ${format?.describe ?? error.params.format}, got ${got}; fix the value`);
    }
    case 'pattern':
      return finding(code(TerraformFindingCode.INVALID_FORMAT), path, `${quoted} must match /${error.params.pattern}/, got ${got}; fix the value`);
    default:
      return finding(code(TerraformFindingCode.INVALID_TYPE), path, `${quoted} ${error.message ?? 'is invalid'}, got ${got}`);
  }
}

function article(type: string): string {
  return /^[aeiou]/i.test(type) ? `an ${type}` : `a ${type}`;
}

/** The finding path and the path relative to the body (for messages) of an ajv instance path. */
function locate(root: unknown, basePath: string, pointer: string): { path: string; relative: string } {
  let path = basePath;
  let relative = '';
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step = Array.isArray(node) && /^\d+$/.test(segment) ? Number(segment) : segment;
    path = joinPath(path, step);
    relative = joinPath(relative, step);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[step] : undefined;
  }
  return { path, relative: relative || basePath };
}
