import { FindingSink, HotFindingCode, childPath, describeValue } from './findings';
import { HeatRelease, HeatResourceType } from './heat-release';

/**
 * Resolves a resource `type` the way Heat's environment does: the environment's
 * `resource_registry` (resource-specific entries under `resources:` first, then exact names, then
 * `*` globs), then a template given in `files`, then the release's own types, then Heat's global
 * aliases (`OS::Ceilometer::…Alarm`, `OS::Quantum*`).
 */

/** What a resource `type` stands for. */
export type ResolvedType =
  /** A resource type of the release. */
  | { readonly kind: 'builtin'; readonly name: string; readonly schema: HeatResourceType }
  /** A nested template from `files`: properties are its parameters, attributes its outputs. */
  | { readonly kind: 'template'; readonly name: string; readonly template: Record<string, unknown> }
  /** Nothing the release, the files or the registry provides; `reason` says why. */
  | { readonly kind: 'unknown'; readonly name: string; readonly hidden: boolean; readonly reason: string };

/** Top-level keys of an environment file that Heat accepts. */
export const ENVIRONMENT_SECTIONS = [
  'parameters',
  'parameter_defaults',
  'resource_registry',
  'event_sinks',
  'encrypted_param_names',
  'parameter_merge_strategies',
];

/** Keys of a resource-specific registry entry that are not type mappings. */
const REGISTRY_NON_TYPE_KEYS = ['hooks', 'restricted_actions'];

const MAX_MAPPING_DEPTH = 10;

/** True for a map that is not a list or a date (js-yaml loads `2021-04-16` as a Date). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The environment's `resource_registry` together with the files and the release it maps into. */
export class ResourceRegistry {
  private readonly global: Record<string, unknown>;
  private readonly perResource: Record<string, unknown>;

  constructor(
    private readonly release: HeatRelease,
    registry: unknown,
    private readonly files: Readonly<Record<string, Record<string, unknown>>>,
  ) {
    this.global = isMap(registry) ? registry : {};
    this.perResource = isMap(this.global.resources) ? this.global.resources : {};
  }

  /** What `type` stands for when used by the resource called `resourceName`. */
  public resolve(type: string, resourceName?: string): ResolvedType {
    return this.resolveAt(type, resourceName, 0, new Set());
  }

  private resolveAt(type: string, resourceName: string | undefined, depth: number, seen: Set<string>): ResolvedType {
    if (depth > MAX_MAPPING_DEPTH || seen.has(type)) {
      return { kind: 'unknown', name: type, hidden: false, reason: 'resource_registry maps it in a loop' };
    }
    seen.add(type);
    const mapped = this.mapping(type, resourceName);
    if (mapped !== undefined && mapped !== type) {
      if (Object.prototype.hasOwnProperty.call(this.files, mapped)) return this.template(mapped);
      const target = this.resolveAt(mapped, resourceName, depth + 1, seen);
      if (target.kind === 'unknown') {
        return { ...target, reason: `resource_registry maps it to '${mapped}', which ${target.reason}` };
      }
      return target;
    }
    if (Object.prototype.hasOwnProperty.call(this.files, type)) return this.template(type);
    const schema = this.release.resourceType(type);
    if (schema && !schema.hidden) return { kind: 'builtin', name: type, schema };
    if (schema) {
      const why = schema.support_status?.message;
      const reason = `was removed from Heat (hidden in ${this.release.name})${why ? `: ${why}` : '; use its replacement'}`;
      return { kind: 'unknown', name: type, hidden: true, reason };
    }
    const alias = this.release.globalAlias(type);
    if (alias !== undefined && alias !== type) return this.resolveAt(alias, resourceName, depth + 1, seen);
    const reason = looksLikeFile(type)
      ? 'is not a key of files'
      : `is not a resource type of OpenStack ${this.release.name}, a key of files, or mapped in resource_registry`;
    return { kind: 'unknown', name: type, hidden: false, reason };
  }

  private template(name: string): ResolvedType {
    return { kind: 'template', name, template: this.files[name] };
  }

  /** The registry's target for `type`: resource-specific, exact, then the longest matching glob. */
  private mapping(type: string, resourceName: string | undefined): string | undefined {
    if (resourceName !== undefined) {
      for (const [pattern, entry] of sortedGlobs(this.perResource)) {
        if (!matches(pattern, resourceName) || !isMap(entry)) continue;
        const target = globTarget(entry, type);
        if (target !== undefined) return target;
      }
    }
    return globTarget(this.global, type);
  }

  /** Reports registry entries whose target is neither a visible type nor a file. */
  public checkTargets(path: string, sink: FindingSink): void {
    for (const [key, value] of Object.entries(this.global)) {
      if (key === 'resources' && isMap(value)) {
        for (const [resource, entry] of Object.entries(value)) {
          if (!isMap(entry)) continue;
          for (const [type, target] of Object.entries(entry)) {
            if (REGISTRY_NON_TYPE_KEYS.includes(type)) continue;
            this.checkTarget(target, childPath(childPath(childPath(path, 'resources'), resource), type), sink);
          }
        }
      } else {
        this.checkTarget(value, childPath(path, key), sink);
      }
    }
  }

  private checkTarget(target: unknown, path: string, sink: FindingSink): void {
    if (typeof target !== 'string') {
      if (target !== null) sink.report(HotFindingCode.ENV_UNKNOWN_REGISTRY_TARGET, path, `registry target must be a type name or a file name, got ${describeValue(target)}`);
      return;
    }
    if (target.endsWith('*') || Object.prototype.hasOwnProperty.call(this.files, target)) return;
    const resolved = this.resolve(target);
    if (resolved.kind === 'unknown') {
      sink.report(HotFindingCode.ENV_UNKNOWN_REGISTRY_TARGET, path, `registry target '${target}' ${resolved.reason}; map to a type of the release or add the template to files`);
    }
  }
}

function looksLikeFile(type: string): boolean {
  return /\.(ya?ml|json|template)$/i.test(type) || /^[a-z]+:\/\//i.test(type);
}

function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/** Exact keys first, then globs, longest prefix first. */
function sortedGlobs(map: Record<string, unknown>): [string, unknown][] {
  return Object.entries(map)
    .filter(([k]) => k !== 'resources')
    .sort(([a], [b]) => Number(a.endsWith('*')) - Number(b.endsWith('*')) || b.length - a.length || (a < b ? -1 : 1));
}

function globTarget(map: Record<string, unknown>, type: string): string | undefined {
  for (const [pattern, target] of sortedGlobs(map)) {
    if (typeof target !== 'string' || !matches(pattern, type)) continue;
    if (pattern.endsWith('*') && target.endsWith('*')) return target.slice(0, -1) + type.slice(pattern.length - 1);
    return target;
  }
  return undefined;
}

/**
 * Checks the environment document: top-level keys, `parameters` naming parameters of the main
 * template, and registry targets. Parameter values are checked by the caller, which knows the
 * parameters' schemas.
 */
export function checkEnvironmentShape(
  environment: Record<string, unknown>,
  mainParameters: Record<string, unknown>,
  registry: ResourceRegistry,
  sink: FindingSink,
): void {
  for (const key of Object.keys(environment)) {
    if (!ENVIRONMENT_SECTIONS.includes(key)) {
      sink.report(HotFindingCode.ENV_UNKNOWN_SECTION, childPath('', key), `'${key}' is not a section of a Heat environment; use one of ${ENVIRONMENT_SECTIONS.join(', ')}`);
    }
  }
  for (const section of ['parameters', 'parameter_defaults', 'resource_registry', 'parameter_merge_strategies']) {
    const value = environment[section];
    if (value !== undefined && value !== null && !isMap(value)) {
      sink.report(HotFindingCode.NOT_A_MAP, section, `'${section}' must be a map, got ${describeValue(value)}`);
    }
  }
  const parameters = environment.parameters;
  if (isMap(parameters)) {
    for (const name of Object.keys(parameters)) {
      if (!Object.prototype.hasOwnProperty.call(mainParameters, name)) {
        sink.report(HotFindingCode.ENV_UNKNOWN_PARAMETER, childPath('parameters', name), `'${name}' is not a parameter of the main template; declare it there, or move it to parameter_defaults if a nested template uses it`);
      }
    }
  }
  if (isMap(environment.resource_registry)) registry.checkTargets('resource_registry', sink);
}
