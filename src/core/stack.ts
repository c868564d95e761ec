import { Construct, IConstruct } from 'constructs';
import { hasMarker, TERRAFORM_STACK_SYMBOL } from './engine-elements';
import { ErrorCode, propError, usageError } from './errors';
import { OpenStackRelease } from './release';
import { checkedByConstructor, checkProps, PropSpec } from './props';
import { requireBoolean, requireDefined, requireInstance, requireName, requireProps } from './validate';
import { Value } from './value';

/** Properties of a `Stack`. */
export interface StackProps {
  /**
   * The OpenStack release the stack is deployed to. It picks the HOT template version and the
   * resource types the stack may use.
   * @default OpenStackRelease.V2022_2
   */
  readonly release?: OpenStackRelease;
  /**
   * Human description, written at the top of the HOT template.
   * @default - 'Scaleout stack <stackName>'
   */
  readonly description?: string;
  /**
   * Name of the stack: the Heat file names (`<stackName>.yaml`) and the Terraform stack folder.
   * Lowercase letters, digits and dashes.
   * @default - the construct id
   */
  readonly stackName?: string;
}

/** Settings of a cdktf/cdktn `TerraformStack` that holds Scaleout constructs (see `Stack.configure`). */
export interface StackSettings {
  /**
   * The OpenStack release the stack is deployed to.
   * @default OpenStackRelease.V2022_2
   */
  readonly release?: OpenStackRelease;
  /**
   * Human description, written at the top of the HOT template when the stack is rendered to Heat.
   * @default - 'Scaleout stack <stack id>'
   */
  readonly description?: string;
}

/** An output of a stack. */
export interface StackOutputOptions {
  /** The value exported. */
  readonly value: Value;
  /** What the value is, for the template reader. */
  readonly description: string;
  /**
   * Hide the value in Terraform's output (it is still in the state).
   * @default false
   */
  readonly sensitive?: boolean;
}

/**
 * The stack a Scaleout construct renders into: a Scaleout `Stack`, or a cdktf/cdktn
 * `TerraformStack` of the user's (its settings from `Stack.configure`). Both render to Heat; a
 * `TerraformStack` also renders natively to Terraform when the engine synthesizes it.
 */
export interface IStack {
  /** The construct at the root of the stack (the `Stack` itself, or the `TerraformStack`). */
  readonly root: IConstruct;
  /** The targeted OpenStack release. */
  readonly release: OpenStackRelease;
  /** The stack name (file and folder names). */
  readonly stackName: string;
  /** The description written into the HOT template. */
  readonly description: string;
  /** True for a cdktf/cdktn `TerraformStack`. */
  readonly isTerraformStack: boolean;
  /** Exports a value from the stack (a HOT output and a Terraform output of the same name). */
  addOutput(name: string, options: StackOutputOptions): void;
  /** The outputs, by name, in the order they were added. */
  readonly stackOutputs: ReadonlyMap<string, StackOutputOptions>;
}

/** Set by `scaleout synth`: Scaleout, inside the user's app, writes each stack's Heat templates into `<dir>/<stack>/` too. */
export const HEAT_OUTDIR_ENV = 'SCALEOUT_HEAT_OUTDIR';

const STACK_SYMBOL = Symbol.for('scaleout.Stack');

/** True for a cdktf/cdktn `TerraformStack` (either engine; no engine is loaded). */
export function isTerraformStack(x: unknown): boolean {
  return hasMarker(x, TERRAFORM_STACK_SYMBOL);
}

/** True for a Scaleout `Stack` (works across copies of the library). */
export function isScaleoutStack(x: unknown): x is Stack {
  return typeof x === 'object' && x !== null && STACK_SYMBOL in x;
}

/** `Stack` props: each is checked by the constructor right after (`checkedByConstructor`). */
const STACK_PROPS: PropSpec<StackProps> = { release: checkedByConstructor, description: checkedByConstructor, stackName: checkedByConstructor };
/** `Stack.configure` settings. */
const STACK_SETTINGS: PropSpec<StackSettings> = { release: checkedByConstructor, description: checkedByConstructor };

const STACK_NAME = { maxLength: 64, pattern: /^[a-z][a-z0-9-]*$/, patternText: 'lowercase letters, digits and dashes, starting with a letter' };

/** Outputs shared by both kinds of stack, validated the same way. */
class Outputs {
  public readonly map = new Map<string, StackOutputOptions>();

  public add(scope: IConstruct, name: string, options: StackOutputOptions): void {
    if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(name) || name.length > 255) {
      throw propError(scope, ErrorCode.FORMAT, 'name', name, 'must be snake_case: lowercase letters, digits and underscores (at most 255)', 'rename the output');
    }
    if (this.map.has(name)) {
      throw usageError(scope, ErrorCode.DUPLICATE, name, 'is already an output of this stack; pick another name');
    }
    requireProps(scope, options, 'pass { value, description }');
    requireDefined(scope, 'value', options.value, 'pass a Value, e.g. server.privateIp');
    requireInstance(scope, 'value', options.value, Value, 'pass a Value, e.g. server.privateIp or Value.literal(...)');
    options.value.validate(scope, 'value');
    requireDefined(scope, 'description', options.description, 'say what the value is');
    requireName(scope, 'description', options.description, { maxLength: 4096 });
    requireBoolean(scope, 'sensitive', options.sensitive);
    if (options.value?.isSecret && options.sensitive !== true) {
      throw propError(scope, ErrorCode.INSECURE, 'sensitive', options.sensitive, `must be true for output '${name}': its value is a secret (${options.value.describe()})`, 'pass { sensitive: true }, or export a non-secret value');
    }
    this.map.set(name, options);
  }
}

/** The Scaleout view of a user's `TerraformStack`. */
class TerraformStackTarget implements IStack {
  public readonly isTerraformStack = true;
  public readonly release: OpenStackRelease;
  public readonly stackName: string;
  public readonly description: string;
  private readonly outputs = new Outputs();

  constructor(
    public readonly root: IConstruct,
    settings: StackSettings,
  ) {
    const props = checkProps(root, settings, STACK_SETTINGS, { fix: 'pass { release, description } or nothing', optional: true, name: 'settings' });
    requireInstance(root, 'release', props.release, OpenStackRelease, 'use OpenStackRelease.V2022_2 or another OpenStackRelease constant');
    this.release = props.release ?? OpenStackRelease.V2022_2;
    requireName(root, 'stackName', root.node.id, { ...STACK_NAME, patternText: `${STACK_NAME.patternText} (the TerraformStack's id is the stack name)` });
    this.stackName = root.node.id;
    requireName(root, 'description', props.description, { maxLength: 4096 });
    this.description = props.description ?? `Scaleout stack ${this.stackName}`;
  }

  public addOutput(name: string, options: StackOutputOptions): void {
    this.outputs.add(this.root, name, options);
  }

  public get stackOutputs(): ReadonlyMap<string, StackOutputOptions> {
    return this.outputs.map;
  }
}

const terraformTargets = new WeakMap<IConstruct, TerraformStackTarget>();

/**
 * One deployable unit, target-neutral: everything below it renders to one HOT template (plus
 * environment and nested templates) or to one Terraform stack. Scaleout constructs can also be
 * created directly in a cdktf/cdktn `TerraformStack`, which then plays this role.
 */
export class Stack extends Construct implements IStack {
  /**
   * The stack that `construct` belongs to: the nearest Scaleout `Stack` or cdktf/cdktn
   * `TerraformStack` above it. Throws when there is none.
   */
  public static of(construct: IConstruct): IStack {
    const found = Stack.tryOf(construct);
    if (!found) {
      throw usageError(
        construct,
        ErrorCode.USAGE,
        'scope',
        'must be inside a stack; create the construct under a Scaleout `new Stack(app, id)` or under a cdktf/cdktn `TerraformStack`',
      );
    }
    return found;
  }

  /** Like `Stack.of`, but undefined when the construct is in no stack. */
  public static tryOf(construct: IConstruct): IStack | undefined {
    const scopes = construct.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const s = scopes[i];
      if (isScaleoutStack(s)) return s;
      if (isTerraformStack(s)) return Stack.terraformTarget(s, {});
    }
    return undefined;
  }

  /**
   * Sets the Scaleout settings (release, description) of a cdktf/cdktn `TerraformStack`. Call it
   * before creating Scaleout constructs in that stack; without it the defaults apply.
   */
  public static configure(terraformStack: IConstruct, settings: StackSettings): void {
    if (!isTerraformStack(terraformStack)) {
      throw propError(
        Construct.isConstruct(terraformStack) ? terraformStack : 'Stack.configure',
        ErrorCode.USAGE,
        'terraformStack',
        (terraformStack as IConstruct)?.node?.path ?? terraformStack,
        'must be a cdktf/cdktn TerraformStack',
        'pass the TerraformStack that holds your Scaleout constructs (a Scaleout Stack takes its settings as props)',
      );
    }
    if (terraformTargets.has(terraformStack)) {
      throw usageError(terraformStack, ErrorCode.USAGE, 'settings', 'are already fixed: a Scaleout construct was created in this stack before Stack.configure(); call it first');
    }
    terraformTargets.set(terraformStack, new TerraformStackTarget(terraformStack, settings));
  }

  private static terraformTarget(terraformStack: IConstruct, settings: StackSettings): TerraformStackTarget {
    let target = terraformTargets.get(terraformStack);
    if (!target) {
      target = new TerraformStackTarget(terraformStack, settings);
      terraformTargets.set(terraformStack, target);
    }
    return target;
  }

  /** The targeted OpenStack release. */
  public readonly release: OpenStackRelease;
  /** The stack name (file and folder names). */
  public readonly stackName: string;
  /** The description written into the templates. */
  public readonly description: string;
  /** Always false: a Scaleout `Stack` is not a cdktf `TerraformStack`. */
  public readonly isTerraformStack = false;
  private readonly outputs = new Outputs();

  constructor(scope: Construct, id: string, stackProps: StackProps = {}) {
    super(scope, checkConstructId(scope, id));
    Object.defineProperty(this, STACK_SYMBOL, { value: true });
    const enclosing = Stack.tryOf(scope);
    if (enclosing) {
      throw usageError(this, ErrorCode.USAGE, 'scope', `is inside stack ${enclosing.root.node.path}; a stack cannot hold another stack: create it under the app`);
    }
    // Own properties only, unknown keys refused (a misspelled 'relase' would silently keep the default release).
    const props = checkProps(this, stackProps, STACK_PROPS, { fix: 'pass { release, description, stackName } or nothing', optional: true });
    requireInstance(this, 'release', props.release, OpenStackRelease, 'use OpenStackRelease.V2022_2 or another OpenStackRelease constant');
    this.release = props.release ?? OpenStackRelease.V2022_2;
    requireName(this, 'stackName', props.stackName === undefined ? id : props.stackName, STACK_NAME);
    this.stackName = props.stackName ?? id;
    // HOT has no length limit on the description; 4 KiB keeps a template readable.
    requireName(this, 'description', props.description, { maxLength: 4096 });
    this.description = props.description ?? `Scaleout stack ${this.stackName}`;
    const clash = this.node.root.node.findAll().find((c) => c !== this && isScaleoutStack(c) && c.stackName === this.stackName);
    if (clash) {
      throw propError(this, ErrorCode.DUPLICATE, 'stackName', this.stackName, `is already the name of stack ${clash.node.path}; both would write ${this.stackName}.yaml`, 'give one of the stacks another stackName');
    }
  }

  /** This stack (the `IStack` root). */
  public get root(): IConstruct {
    return this;
  }

  /**
   * Exports a value from the stack (a HOT output and a Terraform output of the same name).
   * @param name snake_case output name
   */
  public addOutput(name: string, options: StackOutputOptions): void {
    this.outputs.add(this, name, options);
  }

  /** The outputs, by name, in the order they were added. */
  public get stackOutputs(): ReadonlyMap<string, StackOutputOptions> {
    return this.outputs.map;
  }
}

/**
 * Checks a construct id before `constructs` sees it, so a bad id gets Scaleout's error (with the
 * fix) instead of a raw library error.
 */
export function checkConstructId(scope: IConstruct, id: string): string {
  const where = scope?.node?.path || '<app>';
  if (typeof id !== 'string' || id.length === 0) {
    throw propError(where, ErrorCode.EMPTY, 'id', id, 'must be a non-empty string', "give the construct an id such as 'Web' (it becomes its logical name)");
  }
  if (id.includes('/')) {
    throw propError(where, ErrorCode.FORMAT, 'id', id, "must not contain '/'", 'use letters, digits and dashes');
  }
  const existing = scope?.node?.tryFindChild(id);
  if (existing) {
    throw propError(where, ErrorCode.DUPLICATE, 'id', id, `is already used by ${existing.node.path}`, 'ids must be unique among siblings: pick another id');
  }
  return id;
}

/** The root of a construct tree of Scaleout stacks. It writes no file by itself. */
export class App extends Construct {
  constructor() {
    super(undefined as unknown as Construct, '');
  }

  /** Every Scaleout stack in this app, in creation order. */
  public get stacks(): Stack[] {
    return this.node.findAll().filter((c): c is Stack => isScaleoutStack(c));
  }

  /**
   * Writes every stack's Heat templates into `<outdir>/<stackName>/` (for a Heat-only script run
   * by `scaleout synth --app "<cmd>"`, which sets the folder). Returns the files written.
   * @param outdir @default - the folder `scaleout synth` asks for, else `scaleout.out/heat`
   */
  public synth(outdir?: string): string[] {
    // Loaded here: the core does not depend on the renderers.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { writeHeat } = require('../stacks/heat/heat-synthesizer') as typeof import('../stacks/heat/heat-synthesizer');
    const root = outdir ?? process.env[HEAT_OUTDIR_ENV] ?? 'scaleout.out/heat';
    return this.stacks.flatMap((s) => writeHeat(s, `${root}/${s.stackName}`));
  }
}
