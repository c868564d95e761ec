import { AjvChecker } from './ajv-checker';
import { FindingSink } from './findings';
import { HeatPropertySchema, HeatRelease, HeatTemplateVersion } from './heat-release';
import { allowFunction, JsonSchema, parameterPropertySchema, propertiesSchema, propertySchema } from './json-schema';
import { isMap, ResolvedType, ResourceRegistry } from './resource-registry';

/**
 * The state shared by the checks of one template: the release, the template version it declares,
 * its resources, parameters and conditions, and how each resource's type resolves.
 */

/** What every file of one `validateHot` call shares. */
export interface ValidationRun {
  readonly release: HeatRelease;
  readonly checker: AjvChecker;
  readonly registry: ResourceRegistry;
  readonly files: Readonly<Record<string, Record<string, unknown>>>;
  /** The environment's `parameter_defaults`: they also serve nested templates. */
  readonly parameterDefaults: Readonly<Record<string, unknown>>;
}

/** Types whose members are addressed as `resource.<n>` and whose `resource`/`resource_def` is a member definition. */
export const GROUP_MEMBER_KEYS: Readonly<Record<string, string>> = {
  'OS::Heat::AutoScalingGroup': 'resource',
  'OS::Heat::ResourceGroup': 'resource_def',
};

export { isMap };

/** One template being checked. */
export class TemplateContext {
  /** The declared version, or the release's newest HOT version when it is unknown (so the other checks still run). */
  public readonly version: HeatTemplateVersion;
  /** Whether `heat_template_version` names a version of the release. */
  public readonly versionKnown: boolean;
  /** The resources that are maps, by name. */
  public readonly resources: ReadonlyMap<string, Record<string, unknown>>;
  /** The declared parameters, by name. */
  public readonly parameters: Readonly<Record<string, unknown>>;
  /** The declared condition names. */
  public readonly conditions: ReadonlySet<string>;
  private readonly resolved = new Map<string, ResolvedType | undefined>();

  constructor(
    public readonly run: ValidationRun,
    /** The file name used in findings. */
    public readonly file: string,
    public readonly template: Record<string, unknown>,
    public readonly sink: FindingSink,
  ) {
    const version = run.release.hotVersion(template.heat_template_version);
    this.versionKnown = version !== undefined;
    this.version = version ?? run.release.newestHotVersion();
    const resources = isMap(template.resources) ? template.resources : {};
    this.resources = new Map(Object.entries(resources).filter((e): e is [string, Record<string, unknown>] => isMap(e[1])));
    this.parameters = isMap(template.parameters) ? template.parameters : {};
    this.conditions = new Set(isMap(template.conditions) ? Object.keys(template.conditions) : []);
  }

  /** The release. */
  public get release(): HeatRelease {
    return this.run.release;
  }

  /** True when `name` is a function call key of this template's version (and not removed). */
  public hasFunction(name: string): boolean {
    const fn = this.version.functions[name];
    return fn !== undefined && !fn.removed;
  }

  /** What the type of resource `name` resolves to; undefined when it has no string `type`. */
  public resolvedType(name: string): ResolvedType | undefined {
    if (!this.resolved.has(name)) {
      const type = this.resources.get(name)?.type;
      this.resolved.set(name, typeof type === 'string' ? this.run.registry.resolve(type, name) : undefined);
    }
    return this.resolved.get(name);
  }

  /** The member definition of a group resource (ASG `resource`, ResourceGroup `resource_def`), if written out. */
  public memberDefinition(name: string): Record<string, unknown> | undefined {
    const resolved = this.resolvedType(name);
    if (resolved?.kind !== 'builtin') return undefined;
    const key = GROUP_MEMBER_KEYS[resolved.name];
    const properties = this.resources.get(name)?.properties;
    const member = key && isMap(properties) ? properties[key] : undefined;
    return isMap(member) && !this.isFunctionCall(member) ? member : undefined;
  }

  /** What the member type of a group resource resolves to, when written out as a string. */
  public memberType(name: string): ResolvedType | undefined {
    const type = this.memberDefinition(name)?.type;
    return typeof type === 'string' ? this.run.registry.resolve(type) : undefined;
  }

  /** True when `value` is a single-key map whose key is a function of any template version. */
  public isFunctionCall(value: unknown): boolean {
    if (!isMap(value)) return false;
    const keys = Object.keys(value);
    return keys.length === 1 && this.run.release.functionNames.has(keys[0]);
  }
}

/**
 * The property schemas of a nested template: one per parameter, required unless it has a default
 * (in the template or in the environment's `parameter_defaults`).
 */
export function nestedTemplateSchemas(run: ValidationRun, template: Record<string, unknown>): Record<string, HeatPropertySchema> {
  const parameters = isMap(template.parameters) ? template.parameters : {};
  const needsService = (name: string) => run.release.customConstraint(name)?.needs_service ?? true;
  const out: Record<string, HeatPropertySchema> = {};
  for (const [name, parameter] of Object.entries(parameters)) {
    if (!isMap(parameter)) continue;
    const schema = parameterPropertySchema(parameter, needsService);
    const defaulted = Object.prototype.hasOwnProperty.call(run.parameterDefaults, name);
    out[name] = defaulted ? { ...schema, required: false } : schema;
  }
  return out;
}

/** The JSON Schema of a nested template's properties (its parameters). */
export function nestedTemplateJsonSchema(run: ValidationRun, template: Record<string, unknown>): JsonSchema {
  return allowFunction(propertiesSchema(nestedTemplateSchemas(run, template)));
}

/** The JSON Schema of one parameter's value (its default, or a value given in the environment). */
export function parameterValueJsonSchema(run: ValidationRun, parameter: Record<string, unknown>): JsonSchema {
  const needsService = (name: string) => run.release.customConstraint(name)?.needs_service ?? true;
  return propertySchema({ ...parameterPropertySchema(parameter, needsService), required: false });
}
