import { AttributeConstraints, CtyType, SchemaAttribute, SchemaBlock, SchemaBlockType, TypeSchema, ctyTypeName } from './provider-schema';

/**
 * Turns a provider block schema (plus its `constraints.json` facts) into a JSON Schema for the
 * block's body as cdktf writes it in `cdk.tf.json`, for ajv to check:
 *
 * - attributes: JSON type from the cty type (`number` becomes `integer` where the provider reads an
 *   int), enum, range and format from the constraints, `false` for computed-only attributes;
 * - every attribute value may instead be a template string (`"${...}"`) or, when optional, null;
 * - nested blocks: an object or a list of objects (Terraform's JSON syntax accepts both), with the
 *   item counts of the schema and of the SDK; `dynamic` blocks; `"//"` comments;
 * - the meta-arguments of resources, data sources and provider blocks.
 *
 * Annotation keywords (no effect on validity) carry what the messages need: `tfType` names the
 * expected value and `tfBlock` the block an unknown argument was found in.
 */

/** A JSON Schema (draft 2020-12 as ajv reads it) or a boolean schema. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** Custom keyword: matches a value Terraform evaluates later (a template string; null when the value is `true`). */
export const UNKNOWN_KEYWORD = 'tfUnknown';
/** Custom keyword: the string or number is one of `values` (optionally ignoring case). */
export const ENUM_KEYWORD = 'tfEnum';
/** Annotation: what the value should be, for messages (`string`, `list(string)`, `block`, ...). */
export const TYPE_ANNOTATION = 'tfType';
/** Annotation: the block (type name or nested block name) whose body this is. */
export const BLOCK_ANNOTATION = 'tfBlock';
/** Annotation: the missing argument is a block. */
export const MISSING_BLOCK_ANNOTATION = 'tfMissingBlock';

/** The `tfEnum` keyword's value. */
export interface EnumKeyword {
  readonly values: readonly (string | number)[];
  readonly ignoreCase: boolean;
}

/** Custom string formats, registered with ajv under these names. */
export const FORMAT_BY_VALIDATOR: { readonly [fn: string]: string } = {
  'validation.IsCIDR': 'tf-cidr',
  'validation.IsIPAddress': 'tf-ip-address',
  'validation.IsUUID': 'tf-uuid',
  'validation.IsRFC3339Time': 'tf-rfc3339-time',
  validateJSONObject: 'tf-json-object',
};

/** The JSON Schema of a resource's, data source's or provider's configuration body. */
export function typeJsonSchema(type: TypeSchema): JsonSchema {
  const defs = new Definitions();
  const meta = type.kind === 'resource' ? RESOURCE_META : type.kind === 'data source' ? DATA_SOURCE_META : PROVIDER_META;
  const root = blockBody(type.block, [], type, defs, meta, `${type.kind} ${type.name}`);
  return { ...root, $defs: defs.all };
}

/**
 * The `$defs` of one type's schema: a definition per nested block, and one per distinct attribute
 * schema, so that the hundred `string`/`bool` attributes of a big resource share one compiled
 * function (ajv compiles much less code, once).
 */
class Definitions {
  public readonly all: { [id: string]: JsonSchema } = {};
  private readonly idsBySchema = new Map<string, string>();

  /** Adds a nested block body under its dot-separated path; returns the reference to it. */
  public block(path: readonly string[], body: JsonSchema): JsonSchema {
    const id = path.join('.');
    this.all[id] = body;
    return { $ref: `#/$defs/${encodeURIComponent(id)}` };
  }

  /** Adds an attribute schema, once per distinct schema; returns the reference to it. */
  public value(schema: JsonSchema): JsonSchema {
    if (typeof schema === 'boolean') return schema;
    const key = JSON.stringify(schema);
    let id = this.idsBySchema.get(key);
    if (id === undefined) {
      id = `:value${this.idsBySchema.size}`; // ":" never occurs in block names
      this.idsBySchema.set(key, id);
      this.all[id] = schema;
    }
    return { $ref: `#/$defs/${encodeURIComponent(id)}` };
  }
}

function blockBody(
  block: SchemaBlock,
  path: readonly string[],
  type: TypeSchema,
  defs: Definitions,
  meta: { readonly [name: string]: JsonSchema },
  label: string,
): { readonly [keyword: string]: unknown } {
  const properties: { [name: string]: JsonSchema } = { '//': true };
  const required: string[] = [];
  const allOf: JsonSchema[] = [];
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    properties[name] = defs.value(attributeSchema(attribute, type.constraints[[...path, name].join('.')]));
    if (attribute.required) required.push(name);
  }
  const blockTypes = Object.entries(block.block_types ?? {});
  for (const [name, blockType] of blockTypes) {
    const body = defs.block([...path, name], blockBody(blockType.block, [...path, name], type, defs, {}, `${name} block`));
    properties[name] = blockTypeSchema(blockType, type.constraints[[...path, name].join('.')], body);
    if ((blockType.min_items ?? 0) > 0) {
      // Terraform core requires the block, unless a `dynamic` block of that name provides it.
      allOf.push({
        if: { required: ['dynamic'], properties: { dynamic: { type: 'object', required: [name] } } },
        then: true,
        else: { required: [name], [MISSING_BLOCK_ANNOTATION]: true },
      });
    }
  }
  if (blockTypes.length > 0) {
    properties.dynamic = {
      type: 'object',
      [TYPE_ANNOTATION]: 'object of dynamic blocks',
      [BLOCK_ANNOTATION]: `dynamic blocks of ${label}`,
      properties: Object.fromEntries(blockTypes.map(([name]) => [name, dynamicBlockSchema({ $ref: `#/$defs/${encodeURIComponent([...path, name].join('.'))}` })])),
      additionalProperties: false,
    };
  }
  for (const [name, schema] of Object.entries(meta)) {
    if (!(name in properties)) properties[name] = schema;
  }
  return {
    type: 'object',
    [TYPE_ANNOTATION]: path.length === 0 ? `${label} body (an object)` : 'block (an object, or a list of objects)',
    [BLOCK_ANNOTATION]: label,
    properties,
    additionalProperties: false,
    ...(required.length > 0 ? { required } : {}),
    ...(allOf.length > 0 ? { allOf } : {}),
  };
}

function blockTypeSchema(blockType: SchemaBlockType, c: AttributeConstraints | undefined, body: JsonSchema): JsonSchema {
  if (blockType.nesting_mode === 'map') {
    return { type: 'object', [TYPE_ANNOTATION]: 'map of blocks', additionalProperties: body };
  }
  const single = blockType.nesting_mode === 'single' || blockType.nesting_mode === 'group';
  const minItems = Math.max(blockType.min_items ?? 0, c?.min_items ?? 0);
  const maxItems = single ? 1 : minOf(blockType.max_items, c?.max_items);
  const list = {
    [TYPE_ANNOTATION]: 'blocks',
    items: body,
    ...(minItems > 0 ? { minItems } : {}),
    ...(maxItems !== undefined ? { maxItems } : {}),
  };
  // A single object is one block; when more than one is required it must be a list.
  const one = minItems > 1 ? { type: 'array', [TYPE_ANNOTATION]: `list of at least ${minItems} blocks` } : body;
  return { if: { type: 'array' }, then: list, else: one };
}

function dynamicBlockSchema(body: JsonSchema): JsonSchema {
  const one = {
    type: 'object',
    [TYPE_ANNOTATION]: 'dynamic block (an object with for_each and content)',
    [BLOCK_ANNOTATION]: 'dynamic block',
    properties: {
      '//': true,
      for_each: true,
      iterator: { type: 'string', [TYPE_ANNOTATION]: 'string' },
      labels: { type: 'array', [TYPE_ANNOTATION]: 'list' },
      content: body,
    },
    required: ['for_each', 'content'],
    additionalProperties: false,
  };
  return { if: { type: 'array' }, then: { items: one }, else: one };
}

function attributeSchema(attribute: SchemaAttribute, c: AttributeConstraints | undefined): JsonSchema {
  if (attribute.computed && !attribute.optional && !attribute.required) return false;
  return orUnknown(valueSchema(attribute.type, c), !attribute.required);
}

/** Lets a template string (and null, when `nullable`) stand for any value: Terraform evaluates it later. */
function orUnknown(typed: JsonSchema, nullable: boolean = false): JsonSchema {
  return { if: { [UNKNOWN_KEYWORD]: nullable }, then: true, else: typed };
}

function valueSchema(type: CtyType, c: AttributeConstraints | undefined): JsonSchema {
  const name = ctyTypeName(type);
  if (type === 'string') return { type: 'string', [TYPE_ANNOTATION]: name, ...stringConstraints(c) };
  if (type === 'number') {
    const integer = c?.number_kind === 'int';
    return {
      type: integer ? 'integer' : 'number',
      [TYPE_ANNOTATION]: integer ? 'whole number' : 'number',
      ...(c?.range?.min !== undefined ? { minimum: c.range.min } : {}),
      ...(c?.range?.max !== undefined ? { maximum: c.range.max } : {}),
      ...enumConstraint(c),
    };
  }
  if (type === 'bool') return { type: 'boolean', [TYPE_ANNOTATION]: name };
  if (type === 'dynamic') return true;
  switch (type[0]) {
    case 'list':
    case 'set':
      return {
        type: 'array',
        [TYPE_ANNOTATION]: name,
        items: orUnknown(valueSchema(type[1], c?.elem)),
        ...(c?.min_items !== undefined ? { minItems: c.min_items } : {}),
        ...(c?.max_items !== undefined ? { maxItems: c.max_items } : {}),
      };
    case 'map':
      return { type: 'object', [TYPE_ANNOTATION]: name, additionalProperties: orUnknown(valueSchema(type[1], undefined)) };
    case 'object':
      return {
        type: 'object',
        [TYPE_ANNOTATION]: name,
        [BLOCK_ANNOTATION]: name,
        properties: Object.fromEntries(Object.entries(type[1]).map(([k, t]) => [k, orUnknown(valueSchema(t, undefined), true)])),
        additionalProperties: false,
      };
    default:
      return { type: 'array', [TYPE_ANNOTATION]: name };
  }
}

function stringConstraints(c: AttributeConstraints | undefined): { readonly [keyword: string]: unknown } {
  const result: { [keyword: string]: unknown } = { ...enumConstraint(c) };
  for (const validator of c?.validators ?? []) {
    const format = FORMAT_BY_VALIDATOR[validator.fn];
    if (format && result.format === undefined) result.format = format;
    if (validator.fn === 'validation.StringMatch' && validator.pattern !== undefined && result.pattern === undefined) {
      result.pattern = validator.pattern;
    }
  }
  return result;
}

function enumConstraint(c: AttributeConstraints | undefined): { readonly [keyword: string]: unknown } {
  if (!c?.enum || c.enum.length === 0) return {};
  const value: EnumKeyword = { values: c.enum, ignoreCase: c.enum_ignore_case === true };
  return { [ENUM_KEYWORD]: value };
}

function minOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

const bool = orUnknown({ type: 'boolean', [TYPE_ANNOTATION]: 'bool' });
const stringList = { type: 'array', [TYPE_ANNOTATION]: 'list of strings', items: { type: 'string', [TYPE_ANNOTATION]: 'string' } };
const condition = {
  type: 'object',
  [TYPE_ANNOTATION]: 'block (an object, or a list of objects)',
  [BLOCK_ANNOTATION]: 'condition block',
  properties: { '//': true, condition: true, error_message: { type: 'string', [TYPE_ANNOTATION]: 'string' } },
  required: ['condition', 'error_message'],
  additionalProperties: false,
};
const conditions = { if: { type: 'array' }, then: { items: condition }, else: condition };

function lifecycle(resource: boolean): JsonSchema {
  const properties: { [name: string]: JsonSchema } = { '//': true, precondition: conditions, postcondition: conditions };
  if (resource) {
    properties.create_before_destroy = bool;
    properties.prevent_destroy = bool;
    properties.ignore_changes = {
      if: { type: 'string' },
      then: { enum: ['all'] },
      else: { ...stringList, [TYPE_ANNOTATION]: 'list of attribute names, or "all"' },
    };
    properties.replace_triggered_by = stringList;
  }
  return {
    type: 'object',
    [TYPE_ANNOTATION]: 'block (an object)',
    [BLOCK_ANNOTATION]: 'lifecycle block',
    properties,
    additionalProperties: false,
  };
}

const providerReference = {
  type: 'string',
  [TYPE_ANNOTATION]: 'provider reference (name or name.alias)',
  pattern: '^[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z][A-Za-z0-9_-]*)?$',
};

const DATA_SOURCE_META: { readonly [name: string]: JsonSchema } = {
  count: orUnknown({ type: 'integer', minimum: 0, [TYPE_ANNOTATION]: 'whole number' }),
  for_each: orUnknown({ type: 'object', [TYPE_ANNOTATION]: 'map, or a set of strings (write "${toset([...])}")' }),
  depends_on: stringList,
  provider: providerReference,
  lifecycle: lifecycle(false),
};

const RESOURCE_META: { readonly [name: string]: JsonSchema } = {
  ...DATA_SOURCE_META,
  lifecycle: lifecycle(true),
  provisioner: true,
  connection: { type: 'object', [TYPE_ANNOTATION]: 'block (an object)' },
};

const PROVIDER_META: { readonly [name: string]: JsonSchema } = {
  alias: { type: 'string', [TYPE_ANNOTATION]: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$' },
};
