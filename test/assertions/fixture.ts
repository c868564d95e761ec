/** A small stack with a load-balanced autoscaling tier, for the assertions and policy tests. */
import { ApiTier, ApiTierProps } from '../../src';
import { IMAGE, netStack, SMALL } from '../constructs/patterns/fixture';

/** Stack 'test' with network 'Net' and ApiTier 'Api' (group `api_servers`, min 2, max 6 by default). */
export function apiStack(props: Partial<ApiTierProps> = {}) {
  const { app, stack, net } = netStack();
  const api = new ApiTier(stack, 'Api', { image: IMAGE, flavor: SMALL, subnet: net.subnet, externalNetworkName: 'public', maxSize: 6, ...props });
  return { app, stack, net, api };
}
