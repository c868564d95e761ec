import * as fs from 'fs';
import { loadSchemaJson, schemaPath } from '../../schemas';

/**
 * Typed access to one OpenStack release's Heat dump under `schemas/heat/<release>/`
 * (`resource_types.json` and `functions.json`; their layout is described in that folder's
 * README). Nothing here contacts a cloud.
 */

/** A property type of Heat's resource schema. */
export type HeatPropertyType = 'string' | 'integer' | 'number' | 'boolean' | 'map' | 'list' | 'any';

/** One constraint of a Heat property (or of a template parameter, once normalised). */
export type HeatConstraint =
  | { readonly kind: 'allowed_values'; readonly allowed_values: readonly unknown[] }
  | { readonly kind: 'range'; readonly range: { readonly min?: number; readonly max?: number } }
  | { readonly kind: 'length'; readonly length: { readonly min?: number; readonly max?: number } }
  | { readonly kind: 'modulo'; readonly modulo: { readonly step: number; readonly offset: number } }
  | { readonly kind: 'allowed_pattern'; readonly allowed_pattern: string }
  | { readonly kind: 'custom_constraint'; readonly custom_constraint: string; readonly needs_service: boolean };

/** Heat's schema of one property, as dumped. */
export interface HeatPropertySchema {
  readonly type: HeatPropertyType;
  readonly required: boolean;
  readonly default?: unknown;
  readonly description?: string | null;
  readonly constraints?: readonly HeatConstraint[];
  /** Nested schemas: the keys of a map, or `{'*': item}` for a list. */
  readonly schema?: Readonly<Record<string, HeatPropertySchema>>;
  readonly hidden?: boolean;
  /** `false` when Heat rejects the property with "not implemented yet". @default true */
  readonly implemented?: boolean;
  /**
   * Set on schemas made from a nested template's parameters: a `json` parameter also takes a string
   * or a list, a `comma_delimited_list` also takes a string (Heat's `allow_conversion`).
   */
  readonly allowConversion?: boolean;
}

/** Heat's schema of one attribute. */
export interface HeatAttributeSchema {
  readonly type?: string;
  readonly description?: string | null;
  readonly base?: boolean;
}

/** One resource type of the release. */
export interface HeatResourceType {
  readonly description?: string;
  readonly hidden: boolean;
  readonly deprecated: boolean;
  readonly properties: Readonly<Record<string, HeatPropertySchema>>;
  readonly attributes: Readonly<Record<string, HeatAttributeSchema>>;
  readonly update_policy?: Readonly<Record<string, HeatPropertySchema>>;
  readonly support_status?: { readonly status?: string; readonly message?: string | null };
}

/** An intrinsic function as listed for a template version. */
export interface HeatFunctionInfo {
  readonly removed: boolean;
  readonly description?: string;
}

/** One template version (`heat_template_version` date or CFN format) with what it allows. */
export interface HeatTemplateVersion {
  readonly type: 'hot' | 'cfn';
  /** The date for HOT versions, e.g. `2021-04-16`. */
  readonly version?: string;
  /** `<key>.<value>`, e.g. `heat_template_version.2021-04-16`. */
  readonly version_key: string;
  /** `heat_template_version.<alias>`, e.g. `heat_template_version.wallaby`. */
  readonly aliases: readonly string[];
  readonly sections: readonly string[];
  readonly functions: Readonly<Record<string, HeatFunctionInfo>>;
  readonly condition_functions: Readonly<Record<string, HeatFunctionInfo>>;
  readonly resource_keys?: readonly string[];
  readonly output_keys?: readonly string[];
  readonly deletion_policies: readonly string[];
  readonly parameter_keys?: readonly string[];
  readonly parameter_types?: readonly string[];
  readonly parameter_constraint_keys?: readonly string[];
}

interface ResourceTypesFile {
  readonly resource_types: Readonly<Record<string, HeatResourceType>>;
  readonly global_environment_aliases: Readonly<Record<string, { readonly kind: string; readonly maps_to: string }>>;
  readonly custom_constraints: Readonly<Record<string, { readonly needs_service: boolean }>>;
}

interface FunctionsFile {
  readonly template_versions: readonly HeatTemplateVersion[];
  readonly hot_parameter_types: readonly string[];
  readonly hot_pseudo_parameters: readonly string[];
  readonly hot_parameter_constraint_keys: readonly string[];
}

/**
 * A release described as another release's dump plus the resource types it added
 * (`schemas/heat/<release>/overlay.json`, see the README there).
 */
interface OverlayFile {
  readonly base: string;
  readonly resource_types: Readonly<Record<string, HeatResourceType>>;
}

/**
 * Release names accepted for compatibility: the Heat 19.0.0 (Zed) dump was once called `2023.1`.
 * @deprecated pass `2022.2`.
 */
const DEPRECATED_RELEASE_NAMES: Readonly<Record<string, string>> = { '2023.1': '2022.2' };

/** The releases that have a Heat dump (or an overlay on one) in the package, oldest first. */
export function availableHeatReleases(): string[] {
  const dir = schemaPath('heat');
  const has = (release: string, file: string) => fs.existsSync(schemaPath('heat', release, file));
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && (has(e.name, 'resource_types.json') || has(e.name, 'overlay.json')))
    .map((e) => e.name)
    .sort();
}

/** The release's resource types and functions: its own dump, or its overlay merged onto the base dump. */
function loadReleaseFiles(release: string): { types: ResourceTypesFile; functions: FunctionsFile } {
  if (fs.existsSync(schemaPath('heat', release, 'resource_types.json'))) {
    return {
      types: loadSchemaJson<ResourceTypesFile>('heat', release, 'resource_types.json'),
      functions: loadSchemaJson<FunctionsFile>('heat', release, 'functions.json'),
    };
  }
  const overlay = loadSchemaJson<OverlayFile>('heat', release, 'overlay.json');
  const base = loadReleaseFiles(overlay.base);
  return {
    types: { ...base.types, resource_types: { ...base.types.resource_types, ...overlay.resource_types } },
    functions: base.functions,
  };
}

const releases = new Map<string, HeatRelease>();

/** What one release's Heat knows: resource types, template versions, functions, constraints. */
export class HeatRelease {
  /**
   * The release's schema, loaded once and cached.
   * @throws when the package has no Heat dump for `release`.
   */
  public static load(requested: string): HeatRelease {
    const release = DEPRECATED_RELEASE_NAMES[requested] ?? requested;
    let loaded = releases.get(release);
    if (!loaded) {
      const known = availableHeatReleases();
      if (!known.includes(release)) {
        throw new Error(
          `validateHot: 'release' has no bundled Heat schema, got ${JSON.stringify(release)}; use one of ${known.join(', ')}`,
        );
      }
      const files = loadReleaseFiles(release);
      loaded = new HeatRelease(release, files.types, files.functions);
      releases.set(release, loaded);
    }
    return loaded;
  }

  /** Every function name of every template version: what makes a single-key map a function call. */
  public readonly allFunctionNames: readonly string[];
  /** The same names as a set, for lookups. */
  public readonly functionNames: ReadonlySet<string>;
  /** `OS::stack_id`, `OS::stack_name`, `OS::project_id`, `OS::region`. */
  public readonly pseudoParameters: ReadonlySet<string>;
  /** The HOT parameter types (`string`, `number`, `comma_delimited_list`, `json`, `boolean`). */
  public readonly parameterTypes: readonly string[];

  private constructor(
    /** The release, e.g. `2022.2`. */
    public readonly name: string,
    private readonly types: ResourceTypesFile,
    private readonly functions: FunctionsFile,
  ) {
    const names = new Set<string>();
    for (const v of functions.template_versions) {
      Object.keys(v.functions).forEach((n) => names.add(n));
      Object.keys(v.condition_functions).forEach((n) => names.add(n));
    }
    this.allFunctionNames = [...names].sort();
    this.functionNames = names;
    this.pseudoParameters = new Set(functions.hot_pseudo_parameters);
    this.parameterTypes = functions.hot_parameter_types;
  }

  /** The resource type, hidden or not, or undefined when the release never had it. */
  public resourceType(name: string): HeatResourceType | undefined {
    return Object.prototype.hasOwnProperty.call(this.types.resource_types, name) ? this.types.resource_types[name] : undefined;
  }

  /** Names of the visible (not hidden) resource types, sorted. */
  public visibleResourceTypeNames(): string[] {
    return Object.keys(this.types.resource_types)
      .filter((n) => !this.types.resource_types[n].hidden)
      .sort();
  }

  /** The alias from Heat's global environment (e.g. `OS::Ceilometer::*Alarm` → `OS::Aodh::*`), if any. */
  public globalAlias(name: string): string | undefined {
    const aliases = this.types.global_environment_aliases;
    if (Object.prototype.hasOwnProperty.call(aliases, name)) return aliases[name].maps_to;
    for (const [pattern, info] of Object.entries(aliases)) {
      if (pattern.endsWith('*') && name.startsWith(pattern.slice(0, -1))) {
        return info.maps_to.endsWith('*') ? info.maps_to.slice(0, -1) + name.slice(pattern.length - 1) : info.maps_to;
      }
    }
    return undefined;
  }

  /** Whether Heat knows the custom constraint, and whether checking it needs a cloud. */
  public customConstraint(name: string): { readonly needs_service: boolean } | undefined {
    const all = this.types.custom_constraints;
    return Object.prototype.hasOwnProperty.call(all, name) ? all[name] : undefined;
  }

  /** The HOT versions, oldest first. */
  public hotVersions(): HeatTemplateVersion[] {
    return this.functions.template_versions.filter((v) => v.type === 'hot');
  }

  /** The newest HOT version of the release. */
  public newestHotVersion(): HeatTemplateVersion {
    const hot = this.hotVersions();
    return hot[hot.length - 1];
  }

  /**
   * The HOT version for a `heat_template_version` value: a date (`2021-04-16`, also as the `Date`
   * js-yaml makes of it) or an alias (`wallaby`).
   */
  public hotVersion(value: unknown): HeatTemplateVersion | undefined {
    const text = value instanceof Date && !isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value;
    if (typeof text !== 'string') return undefined;
    const key = `heat_template_version.${text}`;
    return this.hotVersions().find((v) => v.version_key === key || v.aliases.includes(key));
  }

  /** The values `heat_template_version` accepts (dates, then aliases), for messages. */
  public hotVersionNames(): string[] {
    const hot = this.hotVersions();
    const dates = hot.map((v) => v.version ?? '');
    const aliases = hot.flatMap((v) => v.aliases.map((a) => a.slice('heat_template_version.'.length)));
    return [...dates, ...aliases];
  }
}
