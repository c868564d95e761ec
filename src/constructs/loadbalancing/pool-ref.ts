import type { IConstruct } from 'constructs';
import type { HeatContext, TerraformContext } from '../../core/context';
import type { IConnectable } from '../network/connections';
import type { ISubnet } from '../network/network';

/**
 * An Octavia pool that servers (static ones, or the members of an autoscaling group) join.
 * Implemented by `Pool`; autoscaling groups depend only on this interface.
 */
export interface IPool extends IConstruct {
  /** The subnet pool members are addressed on. */
  readonly memberSubnet: ISubnet;
  /** The load balancer in front of the pool: members must let it in on the member port. */
  readonly loadBalancer: IConnectable;
  /** @internal The pool id in HOT (`get_resource`, or a literal id for an imported pool). */
  _heatPoolId(ctx: HeatContext): unknown;
  /** @internal The pool id in Terraform. */
  _terraformPoolId(ctx: TerraformContext): string;
}
