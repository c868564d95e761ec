import { Construct, IConstruct } from 'constructs';
import { ErrorCode, propError, usageError } from './errors';
import { OpenStackRelease } from './release';
import { requireBoolean, requireDefined, requireInstance, requireName, requireProps } from './validate';
import { Value } from './value';

/** Properties of a `Stack`. */
export interface StackProps {
  /**
   * The OpenStack release the stack is deployed to. It picks the HOT template version and the
   * resource types the stack may use.
   * @default OpenStackRelease.V2023_1
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

const STACK_SYMBOL = Symbol.for('scaleout.Stack');

/**
 * One deployable unit, target-neutral: everything below it renders to one HOT template (plus
 * environment and nested templates) or to one Terraform stack.
 */
export class Stack extends Construct {
  /** The stack that `construct` belongs to; throws when it is not inside one. */
  public static of(construct: IConstruct): Stack {
    const found = construct.node.scopes
      .slice()
      .reverse()
      .find((s): s is Stack => STACK_SYMBOL in s);
    if (!found) {
      throw usageError(construct, ErrorCode.USAGE, 'scope', 'must be inside a Stack; create the construct under `new Stack(app, id)`');
    }
    return found;
  }

  /** The targeted OpenStack release. */
  public readonly release: OpenStackRelease;
  /** The stack name (file and folder names). */
  public readonly stackName: string;
  /** The description written into the templates. */
  public readonly description: string;
  private readonly outputs = new Map<string, StackOutputOptions>();

  constructor(scope: Construct, id: string, stackProps: StackProps = {}) {
    super(scope, id);
    Object.defineProperty(this, STACK_SYMBOL, { value: true });
    const props = requireProps(this, stackProps, "pass { release, description, stackName } or nothing", true);
    requireInstance(this, 'release', props.release, OpenStackRelease, 'use OpenStackRelease.V2023_1 or another OpenStackRelease constant');
    this.release = props.release ?? OpenStackRelease.V2023_1;
    requireName(this, 'stackName', props.stackName === undefined ? id : props.stackName, {
      maxLength: 64,
      pattern: /^[a-z][a-z0-9-]*$/,
      patternText: 'lowercase letters, digits and dashes, starting with a letter',
    });
    this.stackName = props.stackName ?? id;
    requireName(this, 'description', props.description);
    this.description = props.description ?? `Scaleout stack ${this.stackName}`;
  }

  /**
   * Exports a value from the stack (a HOT output and a Terraform output of the same name).
   * @param name snake_case output name
   */
  public addOutput(name: string, options: StackOutputOptions): void {
    if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(name) || name.length > 255) {
      throw propError(this, ErrorCode.FORMAT, 'name', name, 'must be snake_case: lowercase letters, digits and underscores (at most 255)', 'rename the output');
    }
    if (this.outputs.has(name)) {
      throw usageError(this, ErrorCode.DUPLICATE, name, 'is already an output of this stack; pick another name');
    }
    requireProps(this, options, 'pass { value, description }');
    requireDefined(this, 'value', options.value, 'pass a Value, e.g. server.privateIp');
    requireInstance(this, 'value', options.value, Value, 'pass a Value, e.g. server.privateIp or Value.literal(...)');
    requireDefined(this, 'description', options.description, 'say what the value is');
    requireName(this, 'description', options.description);
    requireBoolean(this, 'sensitive', options.sensitive);
    if (options.value?.isSecret && options.sensitive !== true) {
      throw propError(this, ErrorCode.INSECURE, 'sensitive', options.sensitive, `must be true for output '${name}': its value is a secret (${options.value.toString()})`, 'pass { sensitive: true }, or export a non-secret value');
    }
    this.outputs.set(name, options);
  }

  /** The outputs, by name, in the order they were added. */
  public get stackOutputs(): ReadonlyMap<string, StackOutputOptions> {
    return this.outputs;
  }
}

/** The root of a construct tree of Scaleout stacks. It writes no file by itself. */
export class App extends Construct {
  constructor() {
    super(undefined as unknown as Construct, '');
  }

  /** Every stack in this app, in creation order. */
  public get stacks(): Stack[] {
    return this.node.findAll().filter((c): c is Stack => STACK_SYMBOL in c);
  }
}
