/** The consumer's own unit test: cdktf's Testing on a stack holding Scaleout constructs. */
import { Testing } from 'cdktf';
import { LbLoadbalancerV2 } from 'scaleout/providers/openstack/lb-loadbalancer-v2';
import { NetworkingFloatingipV2 } from 'scaleout/providers/openstack/networking-floatingip-v2';
import { NetworkingSecgroupV2 } from 'scaleout/providers/openstack/networking-secgroup-v2';
import * as openstack from 'scaleout/providers/openstack';
import { ConsumerStack } from './stack';

describe('ConsumerStack', () => {
  test('one synthesized stack holds my security group, the API load balancer and its URL output', () => {
    const app = Testing.app();
    const stack = new ConsumerStack(app, 'consumer', { terraformOnly: true });
    const synthesized = Testing.synth(stack);

    expect(Testing.toHaveResourceWithProperties(synthesized, NetworkingSecgroupV2.tfResourceType, { name: 'consumer-admin' })).toBe(true);
    const config = JSON.parse(synthesized);
    expect(Object.keys(config.resource.openstack_lb_loadbalancer_v2 ?? {})).toHaveLength(1);
    expect(Object.keys(config.resource.openstack_networking_network_v2 ?? {})).toHaveLength(1);
    expect(config.output.consumer_url.value).toMatch(/^http:\/\/\$\{openstack_networking_floatingip_v2\.[a-z_]+\.address\}$/);
    expect(config.provider.openstack).toHaveLength(1);
  });

  test('the API tier\'s load balancer and floating IP come from the same bindings the app uses', () => {
    const app = Testing.app();
    const stack = new ConsumerStack(app, 'consumer', { terraformOnly: false });
    const synthesized = Testing.synth(stack);

    expect(Testing.toHaveResource(synthesized, LbLoadbalancerV2.tfResourceType)).toBe(true);
    expect(openstack.lbLoadbalancerV2.LbLoadbalancerV2).toBe(LbLoadbalancerV2);
    expect(Testing.toHaveResourceWithProperties(synthesized, NetworkingFloatingipV2.tfResourceType, { pool: 'public' })).toBe(true);
    expect(Testing.toHaveResource(synthesized, NetworkingSecgroupV2.tfResourceType)).toBe(true); // Scaleout's own groups
    expect(Testing.toHaveResourceWithProperties(synthesized, NetworkingSecgroupV2.tfResourceType, { name: 'consumer-admin' })).toBe(false);
  });
});
