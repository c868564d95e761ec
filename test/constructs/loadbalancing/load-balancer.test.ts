import { FloatingIp, LoadBalancer, LoadBalancerProvider, Network, Peer, Port, Subnet } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf, networkStack, webServer } from './fixture';

describe('LoadBalancer', () => {
  test('renders the VIP subnet, address, provider and flavor to Heat', () => {
    // GIVEN a network
    const { stack, net } = networkStack();
    // WHEN a load balancer with every option is added
    new LoadBalancer(stack, 'Lb', {
      vipSubnet: net.subnet,
      vipAddress: '10.0.0.10',
      provider: LoadBalancerProvider.AMPHORA,
      flavorName: 'amphora-small',
      loadBalancerName: 'web-lb',
      description: 'front door',
    });
    // THEN the HOT resource carries each one
    const lbs = hotResourcesOfType(heatOf(stack).template, 'OS::Octavia::LoadBalancer');
    expect(Object.keys(lbs)).toEqual(['lb']);
    expect(lbs.lb.properties).toEqual({
      name: 'web-lb',
      description: 'front door',
      vip_subnet: { get_resource: 'net_subnet' },
      vip_address: '10.0.0.10',
      provider: 'amphora',
      flavor: 'amphora-small',
    });
    // AND it waits for the router interface (Heat does not infer it; a floating IP on the VIP needs it)
    expect(lbs.lb.depends_on).toEqual(['net_subnet', 'net_router_interface']);
  });

  test('renders the same to Terraform, looking the flavor id up by name', () => {
    // GIVEN a network
    const { stack, net } = networkStack();
    // WHEN a load balancer with every option is added
    new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet, vipAddress: '10.0.0.10', provider: LoadBalancerProvider.OVN, flavorName: 'amphora-small' });
    // THEN openstack_lb_loadbalancer_v2 has them, the flavor from data.openstack_lb_flavor_v2
    const tf = terraformOf(stack);
    const lb = tf.resources('openstack_lb_loadbalancer_v2').lb;
    expect(lb).toMatchObject({
      name: 'lb',
      vip_subnet_id: '${openstack_networking_subnet_v2.net_subnet.id}',
      vip_address: '10.0.0.10',
      loadbalancer_provider: 'ovn',
      flavor_id: '${data.openstack_lb_flavor_v2.lb_flavor.flavor_id}',
    });
    expect(lb.depends_on).toContain('openstack_networking_router_interface_v2.net_router_interface');
    expect(tf.json.data.openstack_lb_flavor_v2.lb_flavor.name).toBe('amphora-small');
  });

  test('leaves optional properties out when not given', () => {
    // GIVEN a minimal load balancer
    const { stack, net } = networkStack();
    new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet });
    // THEN neither target writes an address, provider or flavor
    const heat = heatOf(stack).resources.lb.properties!;
    expect(heat).not.toHaveProperty('vip_address');
    expect(heat).not.toHaveProperty('provider');
    expect(heat).not.toHaveProperty('flavor');
    const tf = terraformOf(stack);
    expect(tf.resources('openstack_lb_loadbalancer_v2').lb).not.toHaveProperty('flavor_id');
    expect(tf.json.data?.openstack_lb_flavor_v2).toBeUndefined();
  });

  test('members allow the member port from the VIP subnet CIDR, not from anywhere', () => {
    // GIVEN a load balancer on a created subnet and a server
    const { stack, net } = networkStack();
    const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet });
    const web = webServer(stack, net);
    // WHEN the server lets the load balancer in
    web.connections.allowFrom(lb, Port.tcp(8080));
    // THEN the rule's remote is the subnet CIDR (the amphora's member-side address lives there)
    const rules = hotResourcesOfType(heatOf(stack).template, 'OS::Neutron::SecurityGroupRule');
    expect(Object.values(rules).map((r) => r.properties)).toEqual([
      expect.objectContaining({ port_range_min: 8080, remote_ip_prefix: '10.0.0.0/24', security_group: { get_resource: 'web_security_group' } }),
    ]);
    const tfRules = terraformOf(stack).resources('openstack_networking_secgroup_rule_v2');
    expect(Object.values(tfRules)).toEqual([expect.objectContaining({ port_range_min: 8080, remote_ip_prefix: '10.0.0.0/24' })]);
  });

  test('memberAccessPeer replaces the subnet CIDR (and makes an imported subnet usable)', () => {
    // GIVEN a load balancer on an imported subnet with an explicit member access peer
    const { stack, net } = networkStack();
    const subnet = Subnet.fromName(stack, 'Ext', 'private-subnet', Network.fromName(stack, 'ExtNet', 'private'));
    const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: subnet, memberAccessPeer: Peer.ipv4('192.168.5.0/24') });
    const web = webServer(stack, net);
    // WHEN the server lets the load balancer in
    web.connections.allowFrom(lb, Port.tcp(80));
    // THEN the peer is used in both targets
    const rules = Object.values(hotResourcesOfType(heatOf(stack).template, 'OS::Neutron::SecurityGroupRule'));
    expect(rules[0].properties!.remote_ip_prefix).toBe('192.168.5.0/24');
    expect(heatOf(stack).resources.lb.properties!.vip_subnet).toBe('private-subnet');
    const tfRules = Object.values(terraformOf(stack).resources('openstack_networking_secgroup_rule_v2')) as Array<Record<string, unknown>>;
    expect(tfRules[0].remote_ip_prefix).toBe('192.168.5.0/24');
  });

  test('a floating IP can point at the VIP port', () => {
    // GIVEN a load balancer and a floating IP
    const { stack, net } = networkStack();
    const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet });
    const fip = new FloatingIp(stack, 'Ip', { externalNetworkName: 'public' });
    // WHEN the floating IP is associated with the load balancer
    fip.associateWith(lb);
    // THEN Heat uses the VIP port attribute and Terraform the vip_port_id
    expect(heatOf(stack).resources.ip.properties!.port_id).toEqual({ get_attr: ['lb', 'vip_port_id'] });
    const assoc = terraformOf(stack).resources('openstack_networking_floatingip_associate_v2').ip_association;
    expect(assoc.port_id).toBe('${openstack_lb_loadbalancer_v2.lb.vip_port_id}');
    expect(assoc.depends_on).toContain('openstack_networking_router_interface_v2.net_router_interface');
  });

  test('vipAddress renders as the VIP attribute in both targets', () => {
    // GIVEN a load balancer whose VIP is exported
    const { stack, net } = networkStack();
    const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet });
    // WHEN the address is a stack output
    stack.addOutput('vip', { value: lb.vipAddress, description: 'VIP' });
    // THEN it is get_attr vip_address / the vip_address attribute
    expect(heatOf(stack).template.outputs).toMatchObject({ vip: { value: { get_attr: ['lb', 'vip_address'] } } });
    expect(terraformOf(stack).json.output.vip.value).toBe('${openstack_lb_loadbalancer_v2.lb.vip_address}');
  });

  describe('refuses', () => {
    test('a missing VIP subnet', () => {
      const { stack } = networkStack();
      const err = errorOf(() => new LoadBalancer(stack, 'Lb', {} as never));
      expect(err.code).toBe('SO_REQUIRED');
      expect(err.message).toContain("test/Lb: 'vipSubnet' is required");
    });

    test('a malformed VIP address', () => {
      const { stack, net } = networkStack();
      const err = errorOf(() => new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet, vipAddress: '10.0.0.300' }));
      expect(err.code).toBe('SO_FORMAT');
      expect(err.message).toContain("'vipAddress' must be an IPv4 or IPv6 address, got \"10.0.0.300\"");
    });

    test('a VIP address outside the VIP subnet', () => {
      // GIVEN a subnet 10.0.0.0/24 WHEN the VIP address is elsewhere (or the broadcast address) THEN it is refused
      const { stack, net } = networkStack();
      const err = errorOf(() => new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet, vipAddress: '10.0.1.10' }));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain("test/Lb: 'vipAddress' must be a host address inside the VIP subnet 10.0.0.0/24, got \"10.0.1.10\"");
      expect(errorOf(() => new LoadBalancer(stack, 'Lb2', { vipSubnet: net.subnet, vipAddress: '10.0.0.255' })).code).toBe('SO_CONFLICT');
    });

    test('a VIP subnet that is not a subnet', () => {
      const { stack } = networkStack();
      const err = errorOf(() => new LoadBalancer(stack, 'Lb', { vipSubnet: 'private-subnet' as never }));
      expect(err.code).toBe('SO_ENUM');
      expect(err.message).toContain("test/Lb: 'vipSubnet' must be a subnet, got \"private-subnet\"");
    });

    test('an empty flavor name', () => {
      const { stack, net } = networkStack();
      const err = errorOf(() => new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet, flavorName: ' ' }));
      expect(err.code).toBe('SO_EMPTY');
      expect(err.message).toContain("'flavorName' must be a non-empty string");
    });

    test('an empty provider name', () => {
      const { stack, net } = networkStack();
      const err = errorOf(() => new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet, provider: LoadBalancerProvider.of('') }));
      expect(err.code).toBe('SO_EMPTY');
      expect(err.message).toContain("'provider' must be a non-empty string");
    });

    test('a malformed member access peer', () => {
      const { stack, net } = networkStack();
      const err = errorOf(() => new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet, memberAccessPeer: Peer.ipv4('10.0.0.1/24') }));
      expect(err.code).toBe('SO_FORMAT');
      expect(err.message).toContain("'memberAccessPeer' must be an IPv4 CIDR block");
    });

    test('letting members in from an imported subnet whose CIDR is unknown', () => {
      // GIVEN a load balancer on an imported subnet without a member access peer
      const { stack, net } = networkStack();
      const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: Subnet.fromName(stack, 'Ext', 'private-subnet') });
      const web = webServer(stack, net);
      // WHEN a member allows it THEN the error asks for memberAccessPeer
      const err = errorOf(() => web.connections.allowFrom(lb, Port.tcp(80)));
      expect(err.code).toBe('SO_REQUIRED');
      expect(err.message).toContain("test/Lb: 'memberAccessPeer' is required to let the load balancer reach members on test/Ext");
    });

    test('letting members in behind OVN without a member access peer', () => {
      // GIVEN an OVN load balancer (members see client addresses)
      const { stack, net } = networkStack();
      const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet, provider: LoadBalancerProvider.OVN });
      const web = webServer(stack, net);
      // WHEN a member allows it THEN the error explains why the subnet CIDR is not enough
      const err = errorOf(() => web.connections.allowFrom(lb, Port.tcp(80)));
      expect(err.code).toBe('SO_REQUIRED');
      expect(err.message).toContain("'memberAccessPeer' is required with the ovn provider");
    });

    test('rules on the load balancer itself (Octavia owns the VIP security group)', () => {
      const { stack, net } = networkStack();
      const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet });
      const err = errorOf(() => lb.connections.allowFrom(Peer.anyIpv4(), Port.tcp(443)));
      expect(err.code).toBe('SO_USAGE');
      expect(err.message).toContain("restrict who reaches a listener with its 'allowedCidrs'");
    });
  });
});
