import type { Construct, IConstruct } from 'constructs';
import type { HeatResourceAttributes, HeatResourceProps } from '../../.gen/heat/resources';
import type { OpenStackRelease } from './release';

/** A HOT parameter declaration. */
export interface HeatParameterDef {
  readonly type: 'string' | 'number' | 'boolean' | 'comma_delimited_list' | 'json';
  readonly description: string;
  readonly default?: unknown;
  readonly hidden?: boolean;
  readonly label?: string;
  readonly constraints?: ReadonlyArray<Record<string, unknown>>;
}

/** Options for a resource added to a HOT document. */
export interface HeatResourceOptions {
  /** Appended to the owner's logical name, for a construct's secondary resources. */
  readonly suffix?: string;
  /** Logical names this resource must wait for. */
  readonly dependsOn?: readonly string[];
  /** `update_policy` section. */
  readonly updatePolicy?: Record<string, unknown>;
  /** `metadata` section (not the server's metadata property). */
  readonly metadata?: Record<string, unknown>;
  /** `deletion_policy` section: `Retain` keeps the physical resource when the stack deletes it. */
  readonly deletionPolicy?: 'Delete' | 'Retain' | 'Snapshot';
}

/** What a construct's `_toHeat` can do: add to one HOT document (the main template or a nested one). */
export interface HeatContext {
  /** The release the stack targets. */
  readonly release: OpenStackRelease;
  /** The logical name of a construct (plus suffix) in this document. */
  logicalId(construct: IConstruct, suffix?: string): string;
  /** Adds a resource whose properties are checked against Heat's generated L1 types; returns its logical name. */
  addResource<T extends keyof HeatResourceProps>(
    owner: IConstruct,
    type: T,
    properties: HeatResourceProps[T],
    options?: HeatResourceOptions,
  ): string;
  /** Adds a resource whose type is a nested template file in this stack. */
  addTemplateResource(owner: IConstruct, fileName: string, properties: Record<string, unknown>, options?: HeatResourceOptions): string;
  /** `{get_resource: <name>}` for a construct (plus suffix). */
  ref(construct: IConstruct, suffix?: string): { get_resource: string };
  /** `{get_attr: [<name>, attr]}`, with the attribute name checked against the type's L1. */
  attr<T extends keyof HeatResourceAttributes>(construct: IConstruct, type: T, attribute: HeatResourceAttributes[T], suffix?: string): { get_attr: string[] };
  /** Declares a parameter (idempotent for identical declarations) and returns `{get_param: name}`. */
  parameter(name: string, def: HeatParameterDef): { get_param: string };
  /** Sets the value of a parameter in the environment file. */
  setEnvironmentParameter(name: string, value: unknown): void;
  /** Adds an output. */
  addOutput(name: string, value: unknown, description: string): void;
  /** Adds a nested template file next to the main template; returns the file name to use as a resource type. */
  addFile(fileName: string, document: Record<string, unknown>): string;
  /** A context for a new nested template document that shares this stack's naming root and files. */
  nested(description: string): NestedHeatTemplate;
}

/** A nested template being built (for example an autoscaling group's member). */
export interface NestedHeatTemplate {
  readonly context: HeatContext;
  /** The finished document. */
  document(): Record<string, unknown>;
}

/** A Terraform variable declaration. */
export interface TerraformVariableDef {
  readonly type: 'string' | 'number' | 'bool';
  readonly description: string;
  readonly default?: unknown;
  readonly sensitive?: boolean;
  /** Conditions (Terraform expressions over `var.<name>`) checked at plan time. */
  readonly validation?: ReadonlyArray<{ readonly condition: string; readonly errorMessage: string }>;
}

/** What a construct's `_toTerraform` can do. */
export interface TerraformContext {
  /** The release the stack targets. */
  readonly release: OpenStackRelease;
  /** The cdktf stack that L1 resources are created in. */
  readonly scope: Construct;
  /** The logical name of a construct (plus suffix), used as the Terraform resource name. */
  logicalId(construct: IConstruct, suffix?: string): string;
  /**
   * Gives the L1 construct an exact, readable logical name and returns it. Every L1 a construct
   * creates goes through here.
   */
  named<T extends { overrideLogicalId(id: string): void }>(resource: T, logicalId: string): T;
  /** What another construct's `_toTerraform` returned, rendering it first if needed. */
  handleOf<T>(construct: IConstruct): T;
  /** Runs after every construct was rendered once (for rules that reference each other). */
  defer(fn: () => void): void;
  /**
   * Declares (once) a Terraform variable and returns a reference to its value. `validation`
   * conditions are Terraform expressions (`${...}`) over `var.<name>`, checked at plan time.
   */
  variable(name: string, def: TerraformVariableDef): unknown;
  /** Adds a Terraform output. */
  addOutput(name: string, value: unknown, description: string, sensitive?: boolean): void;
  /**
   * Declares a Terraform local value `name` (a string template, rendered by the engine like any
   * resource property) and returns the bare expression that reads it, `local.<name>`, for use
   * inside a `${...}` expression written as text.
   */
  local(name: string, value: string): string;
  /**
   * Writes `content` as a file next to `cdk.tf.json` (a cdktf asset) and returns its path relative
   * to the stack folder, `assets/<name>/<content hash>/<fileName>`: a change of content changes the
   * path, so a resource that names the path sees the change.
   */
  asset(fileName: string, content: string): string;
}
