import { IConstruct } from 'constructs';
import type { HeatResourceAttributes, HeatResourceProps } from '../../../.gen/heat/resources';
import type { HeatContext, HeatParameterDef, HeatResourceOptions, NestedHeatTemplate } from '../../core/context';
import { ErrorCode, usageError } from '../../core/errors';
import { logicalNameOf } from '../../core/names';
import { Resource, type HeatPropertyOverride } from '../../core/resource';
import { Stack } from '../../core/stack';
import type { OpenStackRelease } from '../../core/release';

/** Shared by the main template and its nested templates: naming root, files and environment. */
export interface HeatStackState {
  readonly root: IConstruct;
  readonly release: OpenStackRelease;
  readonly files: Map<string, Record<string, unknown>>;
  readonly environmentParameters: Map<string, unknown>;
  /**
   * Where a nested template goes: given its file name and finished document, returns the name the
   * parent uses as resource type (and the key in `files`). @default - the file name itself
   */
  readonly placeFile?: (fileName: string, document: Record<string, unknown>) => string;
}

/**
 * One HOT document under construction. Sections are kept in the order Heat's own examples use
 * (version, description, parameters, resources, outputs), and keys in the order they were added,
 * so the output is deterministic.
 */
/** Heat's limit on a resource's logical name (the `name` column of its `resource` table). */
export const HEAT_RESOURCE_NAME_MAX_LENGTH = 255;

export class HotDocument implements HeatContext {
  private readonly parameters = new Map<string, HeatParameterDef>();
  private readonly resources = new Map<string, Record<string, unknown>>();
  private readonly owners = new Map<string, string>();
  private readonly outputs = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly state: HeatStackState,
    private readonly description: string,
    private readonly isMain: boolean,
  ) {}

  public get release(): OpenStackRelease {
    return this.state.release;
  }

  public logicalId(construct: IConstruct, suffix?: string): string {
    if (!isWithin(construct, this.state.root)) {
      const other = Stack.tryOf(construct);
      throw usageError(
        construct,
        ErrorCode.USAGE,
        construct.node.path,
        `belongs to ${other ? `stack ${other.root.node.path}` : 'no stack'} and is used by stack ${this.state.root.node.path}; a Heat template cannot reference another stack's resources: import it by id (e.g. SecurityGroup.fromSecurityGroupId, Network.fromName) or create both in one stack`,
      );
    }
    return logicalNameOf(construct, this.state.root, suffix);
  }

  public addResource<T extends keyof HeatResourceProps>(
    owner: IConstruct,
    type: T,
    properties: HeatResourceProps[T],
    options: HeatResourceOptions = {},
  ): string {
    return this.add(owner, type, properties as unknown as Record<string, unknown>, options);
  }

  public addTemplateResource(owner: IConstruct, fileName: string, properties: Record<string, unknown>, options: HeatResourceOptions = {}): string {
    if (!this.state.files.has(fileName)) {
      throw usageError(owner, ErrorCode.USAGE, fileName, 'is not a nested template of this stack; add it with addFile() first');
    }
    return this.add(owner, fileName, properties, options);
  }

  private add(owner: IConstruct, type: string, properties: Record<string, unknown>, options: HeatResourceOptions): string {
    const name = this.logicalId(owner, options.suffix);
    if (name.length > HEAT_RESOURCE_NAME_MAX_LENGTH) {
      // Heat stores a resource's logical name in a 255-character column (heat/db/sqlalchemy/models.py,
      // `Resource.name`): a longer one passes template validation and fails at stack create. Logical
      // names are public contract (no hashes), so this one is refused rather than shortened.
      throw usageError(
        owner,
        ErrorCode.RANGE,
        'id',
        `gives the Heat resource the logical name '${name.slice(0, 40)}...' of ${name.length} characters, and Heat stores at most ${HEAT_RESOURCE_NAME_MAX_LENGTH}; shorten the ids on the path ${owner.node.path.split('/').map((p) => (p.length > 20 ? `${p.slice(0, 17)}...` : p)).join('/')}`,
      );
    }
    const previous = this.owners.get(name);
    if (previous !== undefined) {
      throw usageError(
        owner,
        ErrorCode.DUPLICATE,
        name,
        `is already the logical name of a resource of ${previous}; give one of the constructs another id`,
      );
    }
    this.owners.set(name, owner.node.path);
    const body: Record<string, unknown> = { type };
    const props = applyOverrides(stripUndefined(properties), Resource.isResource(owner) ? owner._heatOverrides(options.suffix) : []);
    refuseEngineTokens(owner, props, 'properties');
    if (props && Object.keys(props).length > 0) body.properties = props;
    if (options.metadata) body.metadata = options.metadata;
    if (options.dependsOn && options.dependsOn.length > 0) body.depends_on = [...options.dependsOn];
    if (options.updatePolicy) body.update_policy = options.updatePolicy;
    if (options.deletionPolicy) body.deletion_policy = options.deletionPolicy;
    this.resources.set(name, body);
    return name;
  }

  public ref(construct: IConstruct, suffix?: string): { get_resource: string } {
    return { get_resource: this.logicalId(construct, suffix) };
  }

  public attr<T extends keyof HeatResourceAttributes>(
    construct: IConstruct,
    _type: T,
    attribute: HeatResourceAttributes[T],
    suffix?: string,
  ): { get_attr: string[] } {
    return { get_attr: [this.logicalId(construct, suffix), attribute as string] };
  }

  public parameter(name: string, def: HeatParameterDef): { get_param: string } {
    const existing = this.parameters.get(name);
    if (existing && JSON.stringify(existing) !== JSON.stringify(def)) {
      throw usageError(this.state.root, ErrorCode.DUPLICATE, name, 'is declared twice as a parameter with different definitions');
    }
    this.parameters.set(name, def);
    return { get_param: name };
  }

  public setEnvironmentParameter(name: string, value: unknown): void {
    if (!this.isMain) {
      throw usageError(this.state.root, ErrorCode.USAGE, name, 'environment parameters belong to the main template');
    }
    refuseEngineTokens(this.state.root, value, `parameters.${name}`);
    this.state.environmentParameters.set(name, value);
  }

  public addOutput(name: string, value: unknown, description: string): void {
    refuseEngineTokens(this.state.root, value, `outputs.${name}`);
    if (this.outputs.has(name)) {
      throw usageError(this.state.root, ErrorCode.DUPLICATE, name, 'is already an output of this template');
    }
    this.outputs.set(name, { description, value });
  }

  public addFile(fileName: string, document: Record<string, unknown>): string {
    if (!/^[a-z0-9][a-z0-9_.-]*\.yaml$/.test(fileName)) {
      throw usageError(this.state.root, ErrorCode.FORMAT, fileName, 'is not a valid nested template file name (lowercase, ending in .yaml)');
    }
    const placed = this.state.placeFile ? this.state.placeFile(fileName, document) : fileName;
    if (this.state.files.has(placed)) {
      throw usageError(this.state.root, ErrorCode.DUPLICATE, fileName, 'is already a nested template of this stack');
    }
    this.state.files.set(placed, document);
    return placed;
  }

  public nested(description: string): NestedHeatTemplate {
    const doc = new HotDocument(this.state, description, false);
    return { context: doc, document: () => doc.document() };
  }

  /** The finished document as a plain object. */
  public document(): Record<string, unknown> {
    const doc: Record<string, unknown> = {
      heat_template_version: this.state.release.heatTemplateVersion,
      description: this.description,
    };
    if (this.parameters.size > 0) {
      const params: Record<string, unknown> = {};
      for (const [name, def] of this.parameters) params[name] = stripUndefined({ ...def });
      doc.parameters = params;
    }
    doc.resources = Object.fromEntries(this.resources);
    if (this.outputs.size > 0) doc.outputs = Object.fromEntries(this.outputs);
    return doc;
  }
}

/** Whether `root` is `construct` or one of its scopes (walks up, without building the path). */
function isWithin(construct: IConstruct, root: IConstruct): boolean {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) if (c === root) return true;
  return false;
}

/** Drops keys whose value is undefined, recursively through plain objects and arrays. */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => stripUndefined(v)) as unknown as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = stripUndefined(v);
    }
    return out as T;
  }
  return value;
}

/** Applies Heat property overrides (dotted paths; `undefined` deletes) to a copy of the properties. */
function applyOverrides(props: Record<string, unknown> | undefined, overrides: readonly HeatPropertyOverride[]): Record<string, unknown> | undefined {
  if (overrides.length === 0) return props;
  const out: Record<string, unknown> = structuredClone(props ?? {});
  for (const o of overrides) {
    const keys = o.path.split('.');
    let cur = out;
    for (const k of keys.slice(0, -1)) {
      const next = cur[k];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
      cur = cur[k] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (o.value === undefined) delete cur[last];
    else cur[last] = o.value;
  }
  return out;
}

const ENGINE_TOKEN = /\$\{TfToken\[|#\{TfToken\[|\$\{Token\[/;

/**
 * Refuses a cdktf/cdktn token (a Terraform variable, an L1 attribute, a Scaleout value turned into
 * a string) anywhere in a HOT value: Heat would receive the token's placeholder text.
 */
function refuseEngineTokens(owner: IConstruct, value: unknown, at: string): void {
  const found = findToken(value, at);
  if (found) {
    throw usageError(
      owner,
      ErrorCode.UNSUPPORTED,
      found,
      'holds a cdktf token (a Terraform variable, a Terraform attribute, or a Scaleout value turned into a string), which the Heat target cannot express; pass a literal or a Scaleout Value (e.g. server.privateIp) instead, or render this stack to Terraform only',
    );
  }
}

function findToken(value: unknown, at: string): string | undefined {
  const found = tokenPath(value);
  return found && at + found.join('');
}

/** Where a token is in `value`, as path steps (`.key`, `[i]`; empty for `value` itself), or undefined. */
function tokenPath(value: unknown): string[] | undefined {
  if (typeof value === 'string') return ENGINE_TOKEN.test(value) ? [] : undefined;
  if (typeof value === 'number') return value <= -1.8881545897087626e289 && value > -1.8881545897087627e289 ? [] : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const f = tokenPath(value[i]);
      if (f) return [`[${i}]`, ...f];
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    if (typeof (value as { resolve?: unknown }).resolve === 'function') return [];
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      const f = tokenPath((value as Record<string, unknown>)[k]);
      if (f) return [`.${k}`, ...f];
    }
  }
  return undefined;
}
