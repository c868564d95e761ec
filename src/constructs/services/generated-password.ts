import { checkProps } from '../../core/props';
import { GENERATED_PASSWORD_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import type { HeatContext, TerraformContext } from '../../core/context';
import { logicalNameOf } from '../../core/names';
import { Resource } from '../../core/resource';
import { Stack } from '../../core/stack';
import { requireDefined, requireInt, requireName } from '../../core/validate';
import { Value } from '../../core/value';

/** Shortest password a service accepts. */
export const MIN_PASSWORD_LENGTH = 24;

/** Properties of a `GeneratedPassword`. */
export interface GeneratedPasswordProps {
  /** What the password protects, e.g. 'the app user of database Db' (written into descriptions). */
  readonly purpose: string;
  /**
   * Number of characters.
   * @default 32
   */
  readonly length?: number;
}

/**
 * A service password that never appears as a literal in a template. It holds ASCII letters and
 * digits only, so it is safe in SQL quotes, shell words and config files without escaping.
 *
 * - Heat: an `OS::Heat::RandomString` (upper case, lower case and digits, at least 2 of each),
 *   read with `get_attr: [<name>, value]`.
 * - Terraform: a `sensitive` string variable named after the construct (`terraformVariableName`)
 *   with no default, so the user supplies it, e.g. `export TF_VAR_app_db_password=$(openssl rand
 *   -hex 16)`. A variable validation refuses values that are shorter than `length` or hold other
 *   characters than letters and digits, at plan time. (Terraform's OpenStack provider cannot
 *   generate a secret, and the `random` provider is not used.)
 */
export class GeneratedPassword extends Resource {
  /** The password, as a secret: use it in `CloudConfig.substitute` or a sensitive output only. */
  public readonly value: Value;
  /** The number of characters. */
  public readonly length: number;
  private readonly purpose: string;

  constructor(scope: Construct, id: string, passwordProps: GeneratedPasswordProps) {
    super(scope, id);
    const props = checkProps(this, passwordProps, GENERATED_PASSWORD_PROPS, { fix: "pass { purpose: 'the app user of database Db' }" });
    requireDefined(this, 'purpose', props.purpose, "say what the password protects, e.g. 'the app user of database Db'");
    requireName(this, 'purpose', props.purpose);
    requireInt(this, 'length', props.length, MIN_PASSWORD_LENGTH, 128, 'characters');
    this.length = props.length ?? 32;
    this.purpose = props.purpose;
    this.value = Value.secret(
      (ctx) => ctx.attr(this, 'OS::Heat::RandomString', 'value'),
      (ctx) => ctx.handleOf<string>(this),
      `password of ${this.node.path}`,
    );
  }

  /**
   * The Terraform variable the user sets (as `TF_VAR_<name>` or in a `.tfvars` file): the
   * construct's logical name, e.g. `app_db_password`.
   */
  public get terraformVariableName(): string {
    return logicalNameOf(this, Stack.of(this).root);
  }

  public _toHeat(ctx: HeatContext): void {
    ctx.addResource(this, 'OS::Heat::RandomString', {
      length: this.length,
      character_classes: [
        { class: 'uppercase', min: 2 },
        { class: 'lowercase', min: 2 },
        { class: 'digits', min: 2 },
      ],
    });
  }

  public _toTerraform(ctx: TerraformContext): string {
    const name = ctx.logicalId(this);
    return ctx.variable(name, {
      type: 'string',
      sensitive: true,
      description:
        `Password of ${this.purpose}: at least ${this.length} ASCII letters and digits, nothing else. ` +
        `No default: set it with TF_VAR_${name} or a .tfvars file.`,
      validation: [
        {
          condition: `\${length(var.${name}) >= ${this.length} && can(regex("^[A-Za-z0-9]+$", var.${name}))}`,
          errorMessage: `${name} must be at least ${this.length} characters long and hold only ASCII letters and digits.`,
        },
      ],
    }) as string;
  }
}
