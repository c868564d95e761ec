import * as fs from 'fs';
import { loadSchemaJson, schemaPath, TERRAFORM_PROVIDER_VERSION } from '../../schemas';

/**
 * The OpenStack provider's schema as `terraform providers schema -json` prints it, plus the
 * sidecar `constraints.json` with what that format lacks (whole vs fractional numbers, enums,
 * ranges, ConflictsWith / ExactlyOneOf / AtLeastOneOf / RequiredWith, SDK item counts).
 * Both live in `schemas/terraform-provider-openstack/<version>/`.
 */

/** The provider's source address, the key under `provider_schemas`. */
export const OPENSTACK_PROVIDER_ADDRESS = 'registry.terraform.io/terraform-provider-openstack/openstack';

/** The provider's local name in configurations: the prefix of its resource types. */
export const OPENSTACK_PROVIDER_NAME = 'openstack';

/** A cty type in JSON form: `"string"`, `["list", "string"]`, `["object", {...}]`, ... */
export type CtyType =
  | 'string'
  | 'number'
  | 'bool'
  | 'dynamic'
  | readonly ['list' | 'set' | 'map', CtyType]
  | readonly ['object', { readonly [name: string]: CtyType }]
  | readonly ['tuple', readonly CtyType[]];

/** One attribute of a block. */
export interface SchemaAttribute {
  readonly type: CtyType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
}

/** One nested block type of a block. */
export interface SchemaBlockType {
  readonly nesting_mode: 'single' | 'group' | 'list' | 'set' | 'map';
  readonly min_items?: number;
  readonly max_items?: number;
  readonly block: SchemaBlock;
}

/** A block: the body of a resource, data source, provider or nested block. */
export interface SchemaBlock {
  readonly attributes?: { readonly [name: string]: SchemaAttribute };
  readonly block_types?: { readonly [name: string]: SchemaBlockType };
}

/** A validator as recorded in `constraints.json` (`validation.IsCIDR`, `validation.StringMatch`, ...). */
export interface ValidatorSpec {
  readonly fn: string;
  readonly pattern?: string;
}

/** What `constraints.json` knows about one attribute or block (path dot-separated through blocks). */
export interface AttributeConstraints {
  readonly number_kind?: 'int' | 'float';
  readonly enum?: readonly (string | number)[];
  readonly enum_ignore_case?: boolean;
  readonly range?: { readonly min?: number; readonly max?: number };
  readonly conflicts_with?: readonly string[];
  readonly exactly_one_of?: readonly string[];
  readonly at_least_one_of?: readonly string[];
  readonly required_with?: readonly string[];
  readonly min_items?: number;
  readonly max_items?: number;
  readonly validators?: readonly ValidatorSpec[];
  /** Constraints on the elements of a list or set attribute. */
  readonly elem?: AttributeConstraints;
}

/** A resource type, data source type or the provider block, with its constraints. */
export interface TypeSchema {
  /** `resource`, `data source` or `provider`, for messages. */
  readonly kind: 'resource' | 'data source' | 'provider';
  /** The type name (`openstack_compute_instance_v2`) or `openstack` for the provider block. */
  readonly name: string;
  readonly block: SchemaBlock;
  /** Constraints keyed by dot-separated attribute path (`network.uuid`). */
  readonly constraints: { readonly [path: string]: AttributeConstraints };
}

interface SchemaFile {
  readonly provider_schemas: {
    readonly [address: string]: {
      readonly provider: { readonly block: SchemaBlock };
      readonly resource_schemas: { readonly [type: string]: { readonly block: SchemaBlock } };
      readonly data_source_schemas: { readonly [type: string]: { readonly block: SchemaBlock } };
    };
  };
}

interface TypeConstraintsFile {
  readonly attributes?: { readonly [path: string]: AttributeConstraints };
}

interface ConstraintsFile {
  readonly provider_config?: { readonly [path: string]: AttributeConstraints };
  readonly resources?: { readonly [type: string]: TypeConstraintsFile };
  readonly data_sources?: { readonly [type: string]: TypeConstraintsFile };
}

/** The OpenStack provider schema of one version, with lookups by type. */
export class ProviderSchema {
  /**
   * The schema of a provider version shipped in the package's `schemas/` folder.
   *
   * @param version provider version, e.g. `3.4.0`
   * @default TERRAFORM_PROVIDER_VERSION
   */
  public static load(version: string = TERRAFORM_PROVIDER_VERSION): ProviderSchema {
    let schema = ProviderSchema.cache.get(version);
    if (!schema) {
      const folder = 'terraform-provider-openstack';
      if (!fs.existsSync(schemaPath(folder, version, 'schema.json'))) {
        const known = fs.readdirSync(schemaPath(folder)).filter((v) => fs.existsSync(schemaPath(folder, v, 'schema.json')));
        throw new Error(
          `validateTerraformJson: 'providerVersion' has no schema in schemas/${folder}, got ${JSON.stringify(version)}; use one of ${known.join(', ')}`,
        );
      }
      const file = loadSchemaJson<SchemaFile>(folder, version, 'schema.json');
      const constraints = fs.existsSync(schemaPath(folder, version, 'constraints.json'))
        ? loadSchemaJson<ConstraintsFile>(folder, version, 'constraints.json')
        : {};
      const provider = file.provider_schemas[OPENSTACK_PROVIDER_ADDRESS];
      if (!provider) {
        throw new Error(`validateTerraformJson: schemas/${folder}/${version}/schema.json has no '${OPENSTACK_PROVIDER_ADDRESS}' entry; regenerate it`);
      }
      schema = new ProviderSchema(version, provider, constraints);
      ProviderSchema.cache.set(version, schema);
    }
    return schema;
  }

  private static readonly cache = new Map<string, ProviderSchema>();

  /** The provider block (`provider.openstack`). */
  public readonly provider: TypeSchema;
  private readonly resources = new Map<string, TypeSchema>();
  private readonly dataSources = new Map<string, TypeSchema>();

  private constructor(
    /** The provider version this schema describes. */
    public readonly version: string,
    private readonly file: SchemaFile['provider_schemas'][string],
    private readonly constraintsFile: ConstraintsFile,
  ) {
    this.provider = {
      kind: 'provider',
      name: OPENSTACK_PROVIDER_NAME,
      block: file.provider.block,
      constraints: constraintsFile.provider_config ?? {},
    };
  }

  /** The resource type's schema, or undefined when the provider has no such resource. */
  public resource(type: string): TypeSchema | undefined {
    return this.lookup('resource', type, this.resources, this.file.resource_schemas, this.constraintsFile.resources);
  }

  /** The data source type's schema, or undefined when the provider has no such data source. */
  public dataSource(type: string): TypeSchema | undefined {
    return this.lookup('data source', type, this.dataSources, this.file.data_source_schemas, this.constraintsFile.data_sources);
  }

  /** Every resource type name, for suggestions. */
  public resourceTypes(): string[] {
    return Object.keys(this.file.resource_schemas);
  }

  /** Every data source type name, for suggestions. */
  public dataSourceTypes(): string[] {
    return Object.keys(this.file.data_source_schemas);
  }

  private lookup(
    kind: 'resource' | 'data source',
    type: string,
    cache: Map<string, TypeSchema>,
    schemas: { readonly [type: string]: { readonly block: SchemaBlock } },
    constraints: { readonly [type: string]: TypeConstraintsFile } | undefined,
  ): TypeSchema | undefined {
    let schema = cache.get(type);
    if (!schema && Object.prototype.hasOwnProperty.call(schemas, type)) {
      schema = { kind, name: type, block: schemas[type].block, constraints: constraints?.[type]?.attributes ?? {} };
      cache.set(type, schema);
    }
    return schema;
  }
}

/** The nested block type at a dot-separated path of block names, or undefined. */
export function nestedBlockType(block: SchemaBlock, path: readonly string[]): SchemaBlockType | undefined {
  let current: SchemaBlockType | undefined;
  let body = block;
  for (const name of path) {
    current = body.block_types?.[name];
    if (!current) return undefined;
    body = current.block;
  }
  return current;
}

/** Every attribute and block name of a block, for suggestions. */
export function memberNames(block: SchemaBlock): string[] {
  return [...Object.keys(block.attributes ?? {}), ...Object.keys(block.block_types ?? {})];
}

/** `string`, `list(string)`, `map(number)`, `object({...})`: the type as Terraform writes it. */
export function ctyTypeName(type: CtyType): string {
  if (typeof type === 'string') return type === 'dynamic' ? 'any' : type;
  if (type[0] === 'object') {
    return `object({${Object.entries(type[1]).map(([k, t]) => `${k}=${ctyTypeName(t)}`).join(', ')}})`;
  }
  if (type[0] === 'tuple') return `tuple([${type[1].map(ctyTypeName).join(', ')}])`;
  return `${type[0]}(${ctyTypeName(type[1])})`;
}
