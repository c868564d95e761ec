import type { HeatContext, TerraformContext } from './context';

/**
 * A value known only to the target: a resource attribute, a stack parameter, a literal. Each
 * renderer turns it into its own syntax (`{get_attr: [...]}` in HOT, `${...}` in Terraform).
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
  public abstract toString(): string;
}

class LiteralValue extends Value {
  constructor(private readonly value: string | number | boolean) {
    super();
  }

  public get _isLiteral(): boolean {
    return true;
  }

  public _heat(): unknown {
    return this.value;
  }

  public _terraform(): unknown {
    return this.value;
  }

  public toString(): string {
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

  public toString(): string {
    return this.description;
  }
}
