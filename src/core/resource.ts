import { Construct, IConstruct } from 'constructs';
import type { HeatContext, TerraformContext } from './context';
import { ErrorCode, propError, usageError } from './errors';
import { checkConstructId, IStack, Stack } from './stack';

const RESOURCE_SYMBOL = Symbol.for('scaleout.Resource');

/**
 * Set by the Terraform target (src/stacks/terraform/native.ts): called once per cdktf/cdktn
 * `TerraformStack` that receives a Scaleout construct, so the engine renders it. A hook keeps the
 * core free of the engine.
 * @internal
 */
export const placementHooks: { onTerraformStack?: (target: IStack) => void } = {};

/** Engine elements (L1 resources, variables, outputs, the provider) that Scaleout created. */
const rendered = new WeakSet<IConstruct>();

/** @internal Records an engine element as Scaleout's own rendering (the Heat target skips it). */
export function markRendered(element: IConstruct): void {
  rendered.add(element);
}

/** True when `element` was created by Scaleout's Terraform rendering. */
export function isRenderedByScaleout(element: IConstruct): boolean {
  return rendered.has(element);
}

/** A Heat property override (see `Resource.addHeatPropertyOverride`). */
export interface HeatPropertyOverride {
  /** Dotted path below `properties`. */
  readonly path: string;
  /** The value; `undefined` deletes the property. */
  readonly value: unknown;
  /** The suffix of a secondary resource of the construct. */
  readonly suffix?: string;
}

/**
 * Base class of every Scaleout L2 construct that renders to templates. A resource keeps its
 * validated state and renders late, once per target, through `_toHeat` and `_toTerraform`.
 *
 * Escape hatches: in Terraform, `node.defaultChild` is the construct's primary L1 resource once
 * the engine has rendered the stack (use `addOverride` on it, e.g. from an Aspect); in Heat,
 * `addHeatPropertyOverride(path, value)` changes a rendered property.
 */
export abstract class Resource extends Construct {
  /** True when `x` is a Scaleout resource (works across copies of the library). */
  public static isResource(x: unknown): x is Resource {
    return typeof x === 'object' && x !== null && RESOURCE_SYMBOL in x;
  }

  private readonly heatOverrides: HeatPropertyOverride[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, checkConstructId(scope, id));
    Object.defineProperty(this, RESOURCE_SYMBOL, { value: true });
    const target = Stack.tryOf(this);
    if (!target) {
      throw usageError(
        this,
        ErrorCode.USAGE,
        'scope',
        'must be inside a stack; create the construct under a Scaleout `new Stack(app, id)` or under a cdktf/cdktn `TerraformStack` (a construct outside any stack would never be rendered)',
      );
    }
    if (target.isTerraformStack) placementHooks.onTerraformStack?.(target);
  }

  /**
   * Overrides a property of this construct's resource in the Heat target (the escape hatch for
   * what the L2 does not expose): `addHeatPropertyOverride('metadata.team', 'web')`. A dotted
   * path walks into maps; `undefined` deletes. `suffix` picks a secondary resource of the
   * construct (its logical name is `<name>_<suffix>`).
   */
  public addHeatPropertyOverride(path: string, value: unknown, options: { readonly suffix?: string } = {}): void {
    if (typeof path !== 'string' || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(path)) {
      throw propError(this, ErrorCode.FORMAT, 'path', path, 'must be a dotted property path such as metadata.team', 'name the HOT property to override');
    }
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw propError(this, ErrorCode.FORMAT, 'options', options, 'must be an object', "pass { suffix: 'router' } or nothing");
    }
    const suffix = Object.prototype.hasOwnProperty.call(options, 'suffix') ? options.suffix : undefined;
    if (suffix !== undefined && (typeof suffix !== 'string' || !/^[a-z0-9_]+$/.test(suffix))) {
      throw propError(this, ErrorCode.FORMAT, 'options.suffix', suffix, 'must be the snake_case suffix of a secondary resource', "e.g. 'router' for <name>_router");
    }
    this.heatOverrides.push({ path, value, suffix });
  }

  /** @internal The Heat property overrides for the resource with this suffix. */
  public _heatOverrides(suffix: string | undefined): readonly HeatPropertyOverride[] {
    return this.heatOverrides.filter((o) => (o.suffix ?? undefined) === (suffix ?? undefined));
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
