/**
 * FloatingIp: allocated from an external network or reused by address and id, pointed at a
 * server's port (or any IFloatingIpTarget), its address usable as a stack output.
 */
import { App, Flavor, FloatingIp, IFloatingIpTarget, Image, Network, Server, Stack, VirtualNetwork } from '../../../src';
import type { HeatContext } from '../../../src/core/context';
import { Resource } from '../../../src/core/resource';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf } from '../../util/errors';

/** A stack with a virtual network and a server on it plus a second, imported network. */
function fixture() {
  const app = new App();
  const stack = new Stack(app, 'test');
  const vnet = new VirtualNetwork(stack, 'AppNet', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
  const admin = Network.fromName(stack, 'Admin', 'admin-net');
  const server = new Server(stack, 'Web', { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small'), networks: [vnet.network, admin] });
  return { stack, vnet, admin, server };
}

/**
 * A stand-in for a load balancer: a resource with its own port (a Neutron port in Heat, an
 * existing port id in Terraform) that implements IFloatingIpTarget.
 */
class FakeVip extends Resource implements IFloatingIpTarget {
  public _heatPortId(ctx: HeatContext): unknown {
    return ctx.ref(this);
  }
  public _terraformPortId(): string {
    return 'vip-port-uuid';
  }
  public _toHeat(ctx: HeatContext): void {
    ctx.addResource(this, 'OS::Neutron::Port', { network: 'admin-net' });
  }
  public _toTerraform(): unknown {
    return undefined;
  }
}

describe('a new floating IP', () => {
  test("Heat: one OS::Neutron::FloatingIP on the external network pointing at the server's first port", () => {
    // GIVEN a floating IP associated with a server
    const { stack, server } = fixture();
    const fip = new FloatingIp(stack, 'PublicIp', { externalNetworkName: 'public' });
    fip.associateWithServer(server);
    stack.addOutput('public_ip', { value: fip.address, description: 'public address' });
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    // THEN the floating IP names the pool and the port; the output reads its address
    expect(hotResourcesOfType(heat.template, 'OS::Neutron::FloatingIP')).toEqual({
      public_ip: { type: 'OS::Neutron::FloatingIP', properties: { floating_network: 'public', port_id: { get_resource: 'web_port_app_net' } } },
    });
    expect(hotResourcesOfType(heat.template, 'OS::Neutron::FloatingIPAssociation')).toEqual({});
    expect((heat.template.outputs as any).public_ip.value).toEqual({ get_attr: ['public_ip', 'floating_ip_address'] });
  });

  test('Terraform: a floatingip_v2 from the pool and an associate_v2 naming it by address', () => {
    // GIVEN the same floating IP
    const { stack, server } = fixture();
    const fip = new FloatingIp(stack, 'PublicIp', { externalNetworkName: 'public' });
    fip.associateWithServer(server);
    stack.addOutput('public_ip', { value: fip.address, description: 'public address' });
    // WHEN synthesized to Terraform
    const tf = terraformOf(stack);
    // THEN the address is allocated from the pool, associated with the port, and exported
    expect(tf.resources('openstack_networking_floatingip_v2').public_ip).toMatchObject({ pool: 'public' });
    expect(tf.resources('openstack_networking_floatingip_v2').public_ip.port_id).toBeUndefined();
    expect(tf.resources('openstack_networking_floatingip_associate_v2').public_ip_association).toMatchObject({
      floating_ip: '${openstack_networking_floatingip_v2.public_ip.address}',
      port_id: '${openstack_networking_port_v2.web_port_app_net.id}',
    });
    expect(tf.json.output.public_ip.value).toBe('${openstack_networking_floatingip_v2.public_ip.address}');
  });

  test("associateWithServer with a network picks the server's port on it", () => {
    // GIVEN a floating IP on the server's second network
    const { stack, server, admin } = fixture();
    new FloatingIp(stack, 'AdminIp', { externalNetworkName: 'public' }).associateWithServer(server, { network: admin });
    // WHEN both targets are synthesized THEN both point at the admin port
    expect(heatOf(stack).resources.admin_ip.properties!.port_id).toEqual({ get_resource: 'web_port_admin' });
    expect(terraformOf(stack).resources('openstack_networking_floatingip_associate_v2').admin_ip_association.port_id).toBe(
      '${openstack_networking_port_v2.web_port_admin.id}',
    );
  });

  test('associateWith takes any IFloatingIpTarget (a load balancer VIP)', () => {
    // GIVEN a target that is not a server
    const { stack } = fixture();
    const vip = new FakeVip(stack, 'Lb');
    new FloatingIp(stack, 'LbIp', { externalNetworkName: 'public' }).associateWith(vip);
    // WHEN synthesized THEN its port id is used as given
    expect(heatOf(stack).resources.lb_ip.properties!.port_id).toEqual({ get_resource: 'lb' });
    expect(terraformOf(stack).resources('openstack_networking_floatingip_associate_v2').lb_ip_association.port_id).toBe('vip-port-uuid');
  });

  test('without association it is only allocated', () => {
    // GIVEN a floating IP nobody points anywhere
    const { stack } = fixture();
    new FloatingIp(stack, 'Spare', { externalNetworkName: 'public' });
    // WHEN synthesized THEN Heat has no port_id and Terraform no association
    expect(heatOf(stack).resources.spare.properties).toEqual({ floating_network: 'public' });
    expect(terraformOf(stack).resources('openstack_networking_floatingip_associate_v2')).toEqual({});
  });
});

describe('reusing a floating IP the project holds', () => {
  test('Heat associates it by id; Terraform looks the address up and associates it', () => {
    // GIVEN an existing floating IP associated with the server
    const { stack, server } = fixture();
    const fip = FloatingIp.fromExisting(stack, 'Kept', { address: '203.0.113.10', floatingIpId: 'fip-uuid' });
    fip.associateWith(server);
    stack.addOutput('kept_ip', { value: fip.address, description: 'kept address' });
    // WHEN both targets are synthesized
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN Heat has only an association (no new floating IP)...
    expect(hotResourcesOfType(heat.template, 'OS::Neutron::FloatingIP')).toEqual({});
    expect(heat.resources.kept_association).toEqual({
      type: 'OS::Neutron::FloatingIPAssociation',
      properties: { floatingip_id: 'fip-uuid', port_id: { get_resource: 'web_port_app_net' } },
    });
    expect((heat.template.outputs as any).kept_ip.value).toBe('203.0.113.10');
    // ...and Terraform a lookup by address plus an association, and no new floating IP
    expect(tf.json.data.openstack_networking_floatingip_v2.kept).toMatchObject({ address: '203.0.113.10' });
    expect(tf.resources('openstack_networking_floatingip_v2')).toEqual({});
    expect(tf.resources('openstack_networking_floatingip_associate_v2').kept_association).toMatchObject({
      floating_ip: '${data.openstack_networking_floatingip_v2.kept.address}',
      port_id: '${openstack_networking_port_v2.web_port_app_net.id}',
    });
    expect(tf.json.output.kept_ip.value).toBe('203.0.113.10');
  });
});

describe('floating IP validation', () => {
  test.each([
    ['no external network', (s: Stack) => new FloatingIp(s, 'Ip', { externalNetworkName: undefined as never }), 'SO_REQUIRED', "test/Ip: 'externalNetworkName' is required"],
    ['an empty external network', (s: Stack) => new FloatingIp(s, 'Ip', { externalNetworkName: '' }), 'SO_EMPTY', "'externalNetworkName' must be a non-empty string"],
    [
      'reuse without the id',
      (s: Stack) => FloatingIp.fromExisting(s, 'Ip', { address: '203.0.113.10' } as never),
      'SO_REQUIRED',
      "'floatingIpId' is required, got undefined; give both: openstack floating ip show <address> -f value -c id",
    ],
    ['reuse without the address', (s: Stack) => FloatingIp.fromExisting(s, 'Ip', { floatingIpId: 'x' } as never), 'SO_REQUIRED', "'address' is required"],
    ['reuse with a bad address', (s: Stack) => FloatingIp.fromExisting(s, 'Ip', { address: '203.0.113', floatingIpId: 'x' }), 'SO_FORMAT', "'address' must be an IPv4 or IPv6 address, got \"203.0.113\""],
  ])('%s is refused', (_name, make, code, fragment) => {
    const { stack } = fixture();
    const err = errorOf(() => make(stack));
    expect(err.code).toBe(code);
    expect(err.message).toContain(fragment);
  });

  test('a floating IP points at one port only', () => {
    // GIVEN an associated floating IP WHEN it is associated again THEN it throws
    const { stack, server, admin } = fixture();
    const fip = new FloatingIp(stack, 'Ip', { externalNetworkName: 'public' });
    fip.associateWithServer(server);
    const err = errorOf(() => fip.associateWithServer(server, { network: admin }));
    expect(err.code).toBe('SO_USAGE');
    expect(err.message).toContain("test/Ip: 'associateWith' was already called (the address points at test/Web)");
  });

  test('two floating IPs cannot point at the same port', () => {
    // GIVEN a floating IP on the server's first port WHEN another one targets that port THEN it throws
    const { stack, server, vnet } = fixture();
    new FloatingIp(stack, 'One', { externalNetworkName: 'public' }).associateWith(server);
    const err = errorOf(() => new FloatingIp(stack, 'Two', { externalNetworkName: 'public' }).associateWithServer(server, { network: vnet.network }));
    expect(err.code).toBe('SO_CONFLICT');
    expect(err.message).toContain("test/Two: 'target' points at the same port of test/Web as test/One");
  });

  test("the network must be one of the server's", () => {
    // GIVEN a network the server is not on WHEN a floating IP targets it THEN it throws
    const { stack, server } = fixture();
    const other = Network.fromName(stack, 'Other', 'other-net');
    const err = errorOf(() => new FloatingIp(stack, 'Ip', { externalNetworkName: 'public' }).associateWithServer(server, { network: other }));
    expect(err.code).toBe('SO_USAGE');
    expect(err.message).toContain("test/Ip: 'network' must be one of the networks of test/Web, got \"test/Other\"");
  });

  test('associateWith refuses something that has no port', () => {
    const { stack, vnet } = fixture();
    const err = errorOf(() => new FloatingIp(stack, 'Ip', { externalNetworkName: 'public' }).associateWith(vnet as never));
    expect(err.code).toBe('SO_USAGE');
    expect(err.message).toContain("'target' must be a floating IP target (a Server or a LoadBalancer), got \"test/AppNet\"");
  });
});
