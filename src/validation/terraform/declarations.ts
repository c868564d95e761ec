import { OPENSTACK_PROVIDER_NAME, ProviderSchema, TypeSchema } from './provider-schema';

/** A JSON object (a configuration body). */
export type JsonObject = Record<string, unknown>;

/** Terraform's own provider: `terraform_data`, `terraform_remote_state`; always available, no schema here. */
const BUILTIN_PROVIDER = 'terraform';

/**
 * What a Terraform JSON document declares: the names that references, `depends_on` entries and
 * `provider` meta-arguments may point at, and which provider (and schema) each type belongs to.
 */
export class Declarations {
  /** Collects the declarations of a document. Malformed sections are skipped (the outline check reports them). */
  public static of(doc: JsonObject, schema: ProviderSchema): Declarations {
    const d = new Declarations(schema);
    for (const [type, names] of entries(doc.resource)) d.resources.set(type, new Map(entries(names).filter(isBody)));
    for (const [type, names] of entries(doc.data)) d.dataSources.set(type, new Map(entries(names).filter(isBody)));
    for (const [name, body] of entries(doc.variable)) d.variables.set(name, isObject(body) ? body : {});
    for (const [name, value] of localEntries(doc.locals)) d.locals.set(name, value);
    for (const [name] of entries(doc.module)) d.modules.add(name);
    const terraform = isObject(doc.terraform) ? doc.terraform : {};
    for (const block of Array.isArray(terraform) ? terraform : [terraform]) {
      if (isObject(block)) for (const [name] of entries(block.required_providers)) d.requiredProviders.add(name);
    }
    for (const [name, configs] of entries(doc.provider)) {
      const aliases = new Set<string>();
      for (const config of Array.isArray(configs) ? configs : [configs]) {
        if (isObject(config)) aliases.add(typeof config.alias === 'string' ? config.alias : '');
      }
      d.providerConfigs.set(name, aliases);
    }
    return d;
  }

  /** Resource bodies by type, then name. */
  public readonly resources = new Map<string, Map<string, JsonObject>>();
  /** Data source bodies by type, then name. */
  public readonly dataSources = new Map<string, Map<string, JsonObject>>();
  /** Variable declarations by name. */
  public readonly variables = new Map<string, JsonObject>();
  /** Local values by name. */
  public readonly locals = new Map<string, unknown>();
  /** Module call names. */
  public readonly modules = new Set<string>();
  /** Provider local names listed in `terraform.required_providers`. */
  public readonly requiredProviders = new Set<string>();
  /** Provider configurations: local name to its aliases ('' for the default configuration). */
  public readonly providerConfigs = new Map<string, Set<string>>();

  private constructor(
    /** The OpenStack provider schema the document is checked against. */
    public readonly schema: ProviderSchema,
  ) {}

  /** The provider a resource or data source type belongs to: the type name's prefix (`openstack`). */
  public providerOf(type: string): string {
    const i = type.indexOf('_');
    return i < 0 ? type : type.slice(0, i);
  }

  /** True when the type's provider is one this document can use, though we hold no schema for it. */
  public isForeignProviderType(type: string): boolean {
    const provider = this.providerOf(type);
    return provider !== OPENSTACK_PROVIDER_NAME && (provider === BUILTIN_PROVIDER || this.requiredProviders.has(provider) || this.providerConfigs.has(provider));
  }

  /** The OpenStack schema of a resource or data source type, when it is an OpenStack type that exists. */
  public schemaOf(kind: 'resource' | 'data', type: string): TypeSchema | undefined {
    if (this.providerOf(type) !== OPENSTACK_PROVIDER_NAME) return undefined;
    return kind === 'resource' ? this.schema.resource(type) : this.schema.dataSource(type);
  }

  /** The resource or data source body, or undefined when not declared. */
  public body(kind: 'resource' | 'data', type: string, name: string): JsonObject | undefined {
    return (kind === 'resource' ? this.resources : this.dataSources).get(type)?.get(name);
  }
}

/** True when a value is a JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of an object section, skipping `"//"` comments; none for anything else. */
export function entries(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value).filter(([k]) => k !== '//') : [];
}

/** `locals` is an object, or (as some tools write it) a list of objects. */
export function localEntries(value: unknown): [string, unknown][] {
  return (Array.isArray(value) ? value : [value]).flatMap((block) => entries(block));
}

/** True when a resource count or for_each makes the resource a collection of instances. */
export function hasInstances(body: JsonObject): boolean {
  return body.count !== undefined || body.for_each !== undefined;
}

function isBody(entry: [string, unknown]): entry is [string, JsonObject] {
  return isObject(entry[1]);
}
