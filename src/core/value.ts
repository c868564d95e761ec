import type { IConstruct } from 'constructs';
import type { HeatContext, TerraformContext } from './context';
import { ErrorCode, propError } from './errors';
import { requireLiteralText } from './validate';

/**
 * What the Terraform engine hands to `resolve()` (cdktf's `IResolveContext`, the part Scaleout
 * reads). Declared here so the public types never name an engine.
 */
export interface ValueResolveContext {
  /** The construct the value is being resolved in. */
  readonly scope: unknown;
}

/**
 * Set by the Terraform target: renders a value for the stack of `scope`. Kept as a hook so the
 * core never loads the engine.
 * @internal
 */
export const terraformValueHook: { resolve?: (value: Value, scope: unknown) => unknown; asString?: (value: Value) => string | undefined } = {};

/**
 * A value known only to the target: a resource attribute, a stack parameter, a literal. Each
 * renderer turns it into its own syntax (`{get_attr: [...]}` in HOT, `${...}` in Terraform).
 *
 * In a cdktf/cdktn app a value is also an engine token: `new TerraformOutput(stack, 'url',
 * { value: api.url })` and `` `${api.url}/health` `` work as with any cdktf attribute. The Heat
 * target refuses such strings (it cannot read cdktf tokens): pass the `Value` itself there.
 */
export abstract class Value {
  /** A plain literal, the same in both targets. */
  public static literal(value: string | number | boolean): Value {
    return new LiteralValue(value);
  }

  /** A value computed by each renderer. */
  public static of(heat: (ctx: HeatContext) => unknown, terraform: (ctx: TerraformContext) => unknown, description: string): Value {
    return new ComputedValue(heat, terraform, description, false);
  }

  /**
   * A secret computed by each renderer (a generated password): usable in user data substitutions
   * and in stack outputs marked `sensitive`, refused elsewhere.
   */
  public static secret(heat: (ctx: HeatContext) => unknown, terraform: (ctx: TerraformContext) => unknown, description: string): Value {
    return new ComputedValue(heat, terraform, description, true);
  }

  /** For the engine's token system (cdktf `IResolvable`). */
  public readonly creationStack: string[] = [];

  /** True for a secret (see `Value.secret`): it must never be shown in a non-sensitive output. */
  public get isSecret(): boolean {
    return false;
  }

  /** @internal True for `Value.literal(...)`: the value is written into the template as is. */
  public get _isLiteral(): boolean {
    return false;
  }

  /** @internal The value as it appears in a HOT document. */
  public abstract _heat(ctx: HeatContext): unknown;

  /** @internal The value as it appears in Terraform JSON (often a `${...}` token from cdktf). */
  public abstract _terraform(ctx: TerraformContext): unknown;

  /** A short human description, used in error messages. */
  public abstract describe(): string;

  /**
   * Throws a `ScaleoutError` at `scope` (prop `prop`) when the value cannot be rendered: a literal
   * that is not a string, a finite number or a boolean (from plain JavaScript), or a literal text
   * Terraform would read as an expression. Called by every construct and method that takes a Value.
   */
  public validate(scope: IConstruct, prop: string): void {
    void scope;
    void prop;
  }

  /**
   * Called by the Terraform engine when the value is used in a cdktf/cdktn stack: renders it for
   * the stack the scope belongs to.
   */
  public resolve(context: ValueResolveContext): unknown {
    if (!terraformValueHook.resolve) {
      throw new Error(`${this.describe()}: only a stack rendered to Terraform can resolve this value [SO_USAGE]`);
    }
    return terraformValueHook.resolve(this, context.scope);
  }

  /**
   * An engine string token when a Terraform engine is loaded (so the value can be embedded in a
   * string of a cdktf resource), else the description.
   */
  public toString(): string {
    return terraformValueHook.asString?.(this) ?? this.describe();
  }

  /** The description, for JSON dumps of objects that hold a value. */
  public toJSON(): string {
    return this.describe();
  }
}

class LiteralValue extends Value {
  constructor(private readonly value: string | number | boolean) {
    super();
  }

  public get _isLiteral(): boolean {
    return true;
  }

  public validate(scope: IConstruct, prop: string): void {
    const v: unknown = this.value;
    const ok = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) {
      throw propError(scope, ErrorCode.FORMAT, prop, v, 'must be a Value.literal of a string, a finite number or a boolean', "write it like Value.literal('text'), or pass a construct's attribute");
    }
    if (typeof v === 'string') requireLiteralText(scope, prop, v);
  }

  public _heat(): unknown {
    return this.value;
  }

  public _terraform(): unknown {
    return this.value;
  }

  public describe(): string {
    return JSON.stringify(this.value);
  }
}

class ComputedValue extends Value {
  constructor(
    private readonly heat: (ctx: HeatContext) => unknown,
    private readonly terraform: (ctx: TerraformContext) => unknown,
    private readonly description: string,
    private readonly secret: boolean,
  ) {
    super();
  }

  public get isSecret(): boolean {
    return this.secret;
  }

  public _heat(ctx: HeatContext): unknown {
    return this.heat(ctx);
  }

  public _terraform(ctx: TerraformContext): unknown {
    return this.terraform(ctx);
  }

  public describe(): string {
    return this.description;
  }
}
