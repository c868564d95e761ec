import { BLOCK_ANNOTATION, JsonSchema, TYPE_ANNOTATION } from './block-json-schema';

/**
 * The JSON Schema of a Terraform JSON document's outline (what Terraform's JSON syntax accepts at
 * the top level and in variable, output, module and section objects), checked with ajv before the
 * bodies are checked against the provider schema. Bodies are only required to be objects here.
 */

const NAME = { pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' };

const string = { type: 'string', [TYPE_ANNOTATION]: 'string' };
const bool = { type: 'boolean', [TYPE_ANNOTATION]: 'bool' };
const object = (what: string): JsonSchema => ({ type: 'object', [TYPE_ANNOTATION]: what });
const objectOrList = (what: string): JsonSchema => ({ type: ['object', 'array'], [TYPE_ANNOTATION]: what, items: object(what) });

const VARIABLE = {
  type: 'object',
  [TYPE_ANNOTATION]: 'variable declaration (an object)',
  [BLOCK_ANNOTATION]: 'a variable',
  properties: {
    '//': true,
    type: string,
    default: true,
    description: string,
    sensitive: bool,
    nullable: bool,
    ephemeral: bool,
    validation: objectOrList('validation block (an object, or a list of objects)'),
  },
  additionalProperties: false,
};

const OUTPUT = {
  type: 'object',
  [TYPE_ANNOTATION]: 'output declaration (an object)',
  [BLOCK_ANNOTATION]: 'an output',
  properties: {
    '//': true,
    value: true,
    description: string,
    sensitive: bool,
    ephemeral: bool,
    depends_on: { type: 'array', [TYPE_ANNOTATION]: 'list of strings', items: string },
    precondition: objectOrList('precondition block (an object, or a list of objects)'),
  },
  required: ['value'],
  additionalProperties: false,
};

const bodies = (what: string): JsonSchema => ({
  type: 'object',
  [TYPE_ANNOTATION]: `object of ${what} types`,
  additionalProperties: {
    type: 'object',
    [TYPE_ANNOTATION]: `object of ${what} names`,
    propertyNames: NAME,
    additionalProperties: object(`${what} body (an object)`),
  },
});

/** The outline every document must have. */
export const DOCUMENT_OUTLINE: JsonSchema & object = {
  type: 'object',
  [TYPE_ANNOTATION]: 'JSON object',
  [BLOCK_ANNOTATION]: 'a Terraform JSON document',
  properties: {
    '//': true,
    terraform: objectOrList('terraform block (an object)'),
    provider: {
      type: 'object',
      [TYPE_ANNOTATION]: 'object of provider configurations',
      additionalProperties: objectOrList('provider configuration (an object, or a list of objects)'),
    },
    variable: { type: 'object', [TYPE_ANNOTATION]: 'object of variables', propertyNames: NAME, additionalProperties: VARIABLE },
    locals: { type: ['object', 'array'], [TYPE_ANNOTATION]: 'object of local values', propertyNames: NAME, items: { type: 'object', propertyNames: NAME } },
    data: bodies('data source'),
    resource: bodies('resource'),
    output: { type: 'object', [TYPE_ANNOTATION]: 'object of outputs', propertyNames: NAME, additionalProperties: OUTPUT },
    module: {
      type: 'object',
      [TYPE_ANNOTATION]: 'object of module calls',
      propertyNames: NAME,
      additionalProperties: { type: 'object', [TYPE_ANNOTATION]: 'module call (an object)', [BLOCK_ANNOTATION]: 'a module call', required: ['source'] },
    },
    moved: true,
    import: true,
    check: true,
    removed: true,
    ephemeral: true,
  },
  additionalProperties: false,
};
