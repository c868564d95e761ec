/**
 * A generated app for the benchmark: one network, one services tier, and N pairs of an API tier
 * (load balancer, floating IP, autoscaling group with CPU scaling) and a worker tier.
 */
import { ApiTier, App, Flavor, Image, ServicesTier, Stack, VirtualNetwork, WorkerScaling, WorkerTier } from '../src';

/** Builds a stack with `pairs` API+worker tier pairs. */
export function buildBenchApp(app: App, pairs: number): Stack {
  const stack = new Stack(app, `bench-${pairs}`);
  const image = Image.fromName('ubuntu-22.04');
  const flavor = Flavor.fromName('m1.small', { vcpus: 1 });
  const network = new VirtualNetwork(stack, 'Network', { externalNetworkName: 'public', cidr: '10.0.0.0/16' });
  const services = new ServicesTier(stack, 'Services', { image, flavor, networks: [network.network] });
  for (let i = 1; i <= pairs; i++) {
    new ApiTier(stack, `Api${i}`, { image, flavor, subnet: network.subnet, externalNetworkName: 'public', maxSize: 10, services });
    new WorkerTier(stack, `Workers${i}`, { image, flavor, networks: [network.network], maxSize: 20, services, scaling: WorkerScaling.cpu() });
  }
  return stack;
}
