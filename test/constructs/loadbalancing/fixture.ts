/** Shared GIVENs of the load balancing tests: a stack with a created network and a web server. */
import { App, Flavor, Image, Server, Stack, VirtualNetwork } from '../../../src';
import type { OpenStackRelease } from '../../../src';

/** A stack with a `VirtualNetwork` (10.0.0.0/24) named 'Net'. */
export function networkStack(release?: OpenStackRelease): { stack: Stack; net: VirtualNetwork } {
  const app = new App();
  const stack = new Stack(app, 'test', { release });
  const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
  return { stack, net };
}

/** A server on the network, with its own security group. */
export function webServer(stack: Stack, net: VirtualNetwork, id = 'Web'): Server {
  return new Server(stack, id, { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small', { vcpus: 1 }), networks: [net.network] });
}

/** The ScaleoutError `fn` throws (fails the test when it throws nothing or something else). */
export { errorOf } from '../../util/errors';

