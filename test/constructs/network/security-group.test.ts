/** SecurityGroup with restricted outbound traffic: the metadata service stays reachable unless opted out. */
import { App, METADATA_SERVICE_CIDR, Peer, Port, SecurityGroup, Stack } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf } from '../../util/errors';

function sgStack() {
  const app = new App();
  const stack = new Stack(app, 'test');
  return { app, stack };
}

/** Every egress rule of both targets, as `<protocol> <min>-<max> to <cidr>`, sorted. */
function egress(stack: Stack): { heat: string[]; terraform: string[] } {
  const text = (protocol: unknown, min: unknown, max: unknown, cidr: unknown) => `${protocol} ${min}-${max} to ${cidr}`;
  const heat = Object.values(hotResourcesOfType(heatOf(stack).template, 'OS::Neutron::SecurityGroupRule'))
    .filter((r) => r.properties!.direction === 'egress')
    .map((r) => text(r.properties!.protocol, r.properties!.port_range_min, r.properties!.port_range_max, r.properties!.remote_ip_prefix));
  const terraform = Object.values(terraformOf(stack).resources('openstack_networking_secgroup_rule_v2'))
    .filter((r: any) => r.direction === 'egress')
    .map((r: any) => text(r.protocol, r.port_range_min, r.port_range_max, r.remote_ip_prefix));
  return { heat: heat.sort(), terraform: terraform.sort() };
}

describe('SecurityGroup outbound', () => {
  test('allowAllOutbound: false keeps tcp 80 to the metadata service open, in both targets', () => {
    // GIVEN a locked-down group that only adds HTTPS to a private block
    const { stack } = sgStack();
    const sg = new SecurityGroup(stack, 'Locked', { allowAllOutbound: false });
    sg.addEgressRule(Peer.ipv4('10.0.0.0/8'), Port.tcp(443));
    // WHEN synthesized
    const heat = heatOf(stack).resources;
    // THEN a named rule lets cloud-init reach 169.254.169.254:80 (user data without a config drive)
    expect(heat.locked_egress_tcp_80_to_cidr_169_254_169_254_32.properties).toMatchObject({
      security_group: { get_resource: 'locked' },
      direction: 'egress',
      ethertype: 'IPv4',
      protocol: 'tcp',
      port_range_min: 80,
      port_range_max: 80,
      remote_ip_prefix: '169.254.169.254/32',
    });
    expect(terraformOf(stack).resources('openstack_networking_secgroup_rule_v2').locked_egress_tcp_80_to_cidr_169_254_169_254_32).toMatchObject({
      security_group_id: '${openstack_networking_secgroup_v2.locked.id}',
      direction: 'egress',
      protocol: 'tcp',
      port_range_min: 80,
      port_range_max: 80,
      remote_ip_prefix: '169.254.169.254/32',
    });
    // AND that rule and the user's are the only ways out (no DNS: the group does not know the resolvers)
    const expected = ['tcp 443-443 to 10.0.0.0/8', 'tcp 80-80 to 169.254.169.254/32'];
    expect(egress(stack)).toEqual({ heat: expected, terraform: expected });
    expect(METADATA_SERVICE_CIDR).toBe('169.254.169.254/32');
  });

  test('allowMetadataService: false removes it (servers with a config drive)', () => {
    // GIVEN a locked-down group that opts out
    const { stack } = sgStack();
    const sg = new SecurityGroup(stack, 'Locked', { allowAllOutbound: false, allowMetadataService: false });
    sg.addEgressRule(Peer.ipv4('10.0.0.0/8'), Port.tcp(443));
    // WHEN synthesized THEN only the user's rule goes out
    expect(egress(stack)).toEqual({ heat: ['tcp 443-443 to 10.0.0.0/8'], terraform: ['tcp 443-443 to 10.0.0.0/8'] });
  });

  test('with all outbound allowed no rule is added (the default egress rules already let it out)', () => {
    const { stack } = sgStack();
    new SecurityGroup(stack, 'Open', { allowMetadataService: true });
    expect(egress(stack)).toEqual({ heat: [], terraform: [] });
    expect(heatOf(stack).resources.open.properties!.rules).toBeUndefined();
  });

  test('allowMetadataService: false without allowAllOutbound: false is refused (it would change nothing)', () => {
    const { stack } = sgStack();
    const e = errorOf(() => new SecurityGroup(stack, 'Open', { allowMetadataService: false }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toContain("test/Open: 'allowMetadataService' has no effect while allowAllOutbound is true");
  });

  test('allowMetadataService must be a boolean', () => {
    const { stack } = sgStack();
    const e = errorOf(() => new SecurityGroup(stack, 'Locked', { allowAllOutbound: false, allowMetadataService: 'no' as never }));
    expect(e.code).toBe('SO_FORMAT');
    expect(e.message).toContain("'allowMetadataService' must be true or false");
  });
});
