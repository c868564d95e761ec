import { Construct, IConstruct } from 'constructs';
import type { HeatContext, TerraformContext } from './context';

const RESOURCE_SYMBOL = Symbol.for('scaleout.Resource');

/**
 * Base class of every Scaleout L2 construct that renders to templates. A resource keeps its
 * validated state and renders late, once per target, through `_toHeat` and `_toTerraform`.
 */
export abstract class Resource extends Construct {
  /** True when `x` is a Scaleout resource (works across copies of the library). */
  public static isResource(x: unknown): x is Resource {
    return typeof x === 'object' && x !== null && RESOURCE_SYMBOL in x;
  }

  constructor(scope: Construct, id: string) {
    super(scope, id);
    Object.defineProperty(this, RESOURCE_SYMBOL, { value: true });
  }

  /** @internal Adds this construct's resources to a HOT document. */
  public abstract _toHeat(ctx: HeatContext): void;

  /**
   * @internal Creates this construct's Terraform resources; returns the handle other constructs
   * get from `ctx.handleOf(this)`.
   */
  public abstract _toTerraform(ctx: TerraformContext): unknown;
}

/** Every resource below `root` in construct-tree order (the order they were added). */
export function resourcesBelow(root: IConstruct): Resource[] {
  return root.node.findAll().filter((c): c is Resource => Resource.isResource(c));
}
