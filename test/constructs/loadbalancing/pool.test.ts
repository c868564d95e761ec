import { Flavor, Image, LbAlgorithm, ListenerProtocol, LoadBalancer, LoadBalancerProvider, Network, Peer, Pool, PoolProtocol, Server, SessionPersistence, Subnet, VirtualNetwork } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf, networkStack, webServer } from './fixture';

function listenerStack(protocol: ListenerProtocol = ListenerProtocol.HTTP, provider?: LoadBalancerProvider) {
  const { stack, net } = networkStack();
  const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet, provider, memberAccessPeer: provider === LoadBalancerProvider.OVN ? Peer.anyIpv4() : undefined });
  const listener = lb.addListener('Front', { protocol, port: protocol === ListenerProtocol.UDP ? 53 : 80 });
  return { stack, net, lb, listener };
}

describe('Pool', () => {
  test('renders listener, protocol, algorithm and session persistence to Heat', () => {
    // GIVEN an HTTP listener
    const { stack, listener } = listenerStack();
    // WHEN a pool with least-connections and an application cookie is added
    const pool = listener.addPool('Web', { algorithm: LbAlgorithm.LEAST_CONNECTIONS, sessionPersistence: SessionPersistence.appCookie('JSESSIONID') });
    // THEN it is the listener's default pool, rendered with those values
    expect(listener.defaultPool).toBe(pool);
    const pools = hotResourcesOfType(heatOf(stack).template, 'OS::Octavia::Pool');
    expect(pools.lb_front_web.properties).toMatchObject({
      listener: { get_resource: 'lb_front' },
      protocol: 'HTTP',
      lb_algorithm: 'LEAST_CONNECTIONS',
      session_persistence: { type: 'APP_COOKIE', cookie_name: 'JSESSIONID' },
    });
  });

  test('renders the same to Terraform', () => {
    // GIVEN an HTTP listener WHEN a pool with a source-IP algorithm and HTTP cookie is added
    const { stack, listener } = listenerStack();
    listener.addPool('Web', { algorithm: LbAlgorithm.SOURCE_IP, sessionPersistence: SessionPersistence.httpCookie() });
    // THEN openstack_lb_pool_v2 carries them
    expect(terraformOf(stack).resources('openstack_lb_pool_v2').lb_front_web).toMatchObject({
      listener_id: '${openstack_lb_listener_v2.lb_front.id}',
      protocol: 'HTTP',
      lb_method: 'SOURCE_IP',
      persistence: { type: 'HTTP_COOKIE' },
    });
  });

  test.each([
    [ListenerProtocol.HTTP, 'HTTP'],
    [ListenerProtocol.HTTPS, 'HTTPS'],
    [ListenerProtocol.TCP, 'TCP'],
    [ListenerProtocol.UDP, 'UDP'],
    [ListenerProtocol.terminatedHttps('https://barbican.example.com/v1/containers/abc'), 'HTTP'],
  ])('defaults to the protocol matching a %s listener, round robin, no persistence', (protocol, expected) => {
    // GIVEN a listener WHEN a pool is added without options
    const { stack, listener } = listenerStack(protocol);
    listener.addPool('Web');
    // THEN the pool protocol follows the listener and the algorithm is ROUND_ROBIN
    const heat = heatOf(stack).resources.lb_front_web.properties!;
    expect(heat).toMatchObject({ protocol: expected, lb_algorithm: 'ROUND_ROBIN' });
    expect(heat).not.toHaveProperty('session_persistence');
    expect(terraformOf(stack).resources('openstack_lb_pool_v2').lb_front_web).toMatchObject({ protocol: expected, lb_method: 'ROUND_ROBIN' });
  });

  test('a PROXY pool behind a TCP listener with source-IP persistence', () => {
    // GIVEN a TCP listener WHEN a PROXY protocol pool keeps clients by address
    const { stack, listener } = listenerStack(ListenerProtocol.TCP);
    listener.addPool('Web', { protocol: PoolProtocol.PROXY, sessionPersistence: SessionPersistence.sourceIp() });
    // THEN both targets write PROXY and SOURCE_IP
    expect(heatOf(stack).resources.lb_front_web.properties).toMatchObject({ protocol: 'PROXY', session_persistence: { type: 'SOURCE_IP' } });
    expect(terraformOf(stack).resources('openstack_lb_pool_v2').lb_front_web).toMatchObject({ protocol: 'PROXY', persistence: { type: 'SOURCE_IP' } });
  });

  test('an OVN pool defaults to SOURCE_IP_PORT', () => {
    // GIVEN a TCP listener on OVN WHEN a pool is added
    const { stack, listener } = listenerStack(ListenerProtocol.TCP, LoadBalancerProvider.OVN);
    listener.addPool('Web');
    // THEN its algorithm is the only one OVN has
    expect(heatOf(stack).resources.lb_front_web.properties!.lb_algorithm).toBe('SOURCE_IP_PORT');
    expect(terraformOf(stack).resources('openstack_lb_pool_v2').lb_front_web.lb_method).toBe('SOURCE_IP_PORT');
  });

  describe('static members', () => {
    test('render as one PoolMember per server in Heat: the fixed IP of its port on the member network, member subnet, port, weight', () => {
      // GIVEN a pool and two servers
      const { stack, net, listener } = listenerStack();
      const pool = listener.addPool('Web');
      // WHEN both join on port 8080, one with a weight
      pool.addMember(webServer(stack, net, 'Web1'), 8080);
      pool.addMember(webServer(stack, net, 'Web2'), 8080, { weight: 5 });
      // THEN each is a PoolMember named after the server and port
      const members = hotResourcesOfType(heatOf(stack).template, 'OS::Octavia::PoolMember');
      expect(Object.keys(members)).toEqual(['lb_front_web_member_web1_8080', 'lb_front_web_member_web2_8080']);
      expect(members.lb_front_web_member_web1_8080.properties).toEqual({
        pool: { get_resource: 'lb_front_web' },
        address: { get_attr: ['web1_port_net', 'fixed_ips', 0, 'ip_address'] },
        protocol_port: 8080,
        subnet: { get_resource: 'net_subnet' },
      });
      expect(members.lb_front_web_member_web2_8080.properties!.weight).toBe(5);
    });

    test('render as openstack_lb_member_v2 in Terraform, never openstack_lb_members_v2', () => {
      // GIVEN a pool WHEN a server joins
      const { stack, net, listener } = listenerStack();
      const pool = listener.addPool('Web');
      pool.addMember(webServer(stack, net, 'Web1'), 8080, { weight: 0 });
      // THEN one lb_member_v2 per member (autoscaling groups add members to the same pool from Heat)
      const tf = terraformOf(stack);
      expect(tf.resources('openstack_lb_members_v2')).toEqual({});
      expect(tf.resources('openstack_lb_member_v2').lb_front_web_member_web1_8080).toMatchObject({
        pool_id: '${openstack_lb_pool_v2.lb_front_web.id}',
        address: '${openstack_networking_port_v2.web1_port_net.all_fixed_ips[0]}',
        protocol_port: 8080,
        subnet_id: '${openstack_networking_subnet_v2.net_subnet.id}',
        weight: 0,
      });
    });

    test("open the member port on the server's security group to the load balancer only", () => {
      // GIVEN a pool WHEN a server joins on 8080
      const { stack, net, listener } = listenerStack();
      const web = webServer(stack, net);
      listener.addPool('Web').addMember(web, 8080);
      // THEN its group lets tcp 8080 in from the VIP subnet, and nothing else
      const rules = Object.values(hotResourcesOfType(heatOf(stack).template, 'OS::Neutron::SecurityGroupRule'));
      expect(rules.map((r) => r.properties)).toEqual([
        expect.objectContaining({ security_group: { get_resource: 'web_security_group' }, protocol: 'tcp', port_range_min: 8080, port_range_max: 8080, remote_ip_prefix: '10.0.0.0/24' }),
      ]);
      const tfRules = Object.values(terraformOf(stack).resources('openstack_networking_secgroup_rule_v2'));
      expect(tfRules).toEqual([expect.objectContaining({ protocol: 'tcp', port_range_min: 8080, remote_ip_prefix: '10.0.0.0/24' })]);
    });

    test('on a UDP pool open the UDP port', () => {
      // GIVEN a UDP pool WHEN a server joins on 53
      const { stack, net, listener } = listenerStack(ListenerProtocol.UDP);
      listener.addPool('Dns').addMember(webServer(stack, net), 53);
      // THEN the rule is UDP
      const rules = Object.values(hotResourcesOfType(heatOf(stack).template, 'OS::Neutron::SecurityGroupRule'));
      expect(rules[0].properties).toMatchObject({ protocol: 'udp', port_range_min: 53 });
    });

    test('on another member subnet are let in from that subnet (the amphora plugs into it)', () => {
      // GIVEN a VIP on one network and members on another
      const { stack, listener } = listenerStack();
      const backend = new VirtualNetwork(stack, 'Inner', { externalNetworkName: 'public', cidr: '10.1.0.0/24' });
      const pool = listener.addPool('Web', { memberSubnet: backend.subnet });
      // WHEN a backend server joins
      pool.addMember(webServer(stack, backend), 8080);
      // THEN the member uses the backend subnet and the rule its CIDR
      const heat = heatOf(stack);
      expect(heat.resources.lb_front_web_member_web_8080.properties!.subnet).toEqual({ get_resource: 'inner_subnet' });
      const rules = Object.values(hotResourcesOfType(heat.template, 'OS::Neutron::SecurityGroupRule'));
      expect(rules[0].properties!.remote_ip_prefix).toBe('10.1.0.0/24');
      expect(terraformOf(stack).resources('openstack_lb_member_v2').lb_front_web_member_web_8080.subnet_id).toBe('${openstack_networking_subnet_v2.inner_subnet.id}');
    });
  });

  describe('member networks', () => {
    test('a server on two networks joins with the fixed IP of its port on the member subnet network, in both targets', () => {
      // GIVEN a pool whose members are on the 'Inner' network, and a server on 'Net' first and 'Inner' second
      const { stack, net, listener } = listenerStack();
      const inner = new VirtualNetwork(stack, 'Inner', { externalNetworkName: 'public', cidr: '10.1.0.0/24' });
      const pool = listener.addPool('Web', { memberSubnet: inner.subnet });
      const web = new Server(stack, 'Web', { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small', { vcpus: 1 }), networks: [net.network, inner.network] });
      // WHEN it joins
      pool.addMember(web, 8080);
      // THEN Heat addresses the member through the port on 'Inner', not the first port
      const heat = heatOf(stack);
      expect(heat.resources.lb_front_web_member_web_8080.properties).toMatchObject({
        address: { get_attr: ['web_port_inner', 'fixed_ips', 0, 'ip_address'] },
        subnet: { get_resource: 'inner_subnet' },
      });
      // AND Terraform reads the same port's first fixed IP (never the instance's access_ip_v4, the first network's)
      const member = terraformOf(stack).resources('openstack_lb_member_v2').lb_front_web_member_web_8080;
      expect(member).toMatchObject({
        address: '${openstack_networking_port_v2.web_port_inner.all_fixed_ips[0]}',
        subnet_id: '${openstack_networking_subnet_v2.inner_subnet.id}',
      });
      expect(JSON.stringify(member)).not.toContain('access_ip_v4');
    });

    test('a server with no port on the member subnet network is refused', () => {
      // GIVEN a pool on the VIP subnet of 'Net' and a server on 'Other' only
      const { stack, listener } = listenerStack();
      const other = new VirtualNetwork(stack, 'Other', { externalNetworkName: 'public', cidr: '10.2.0.0/24' });
      const pool = listener.addPool('Web');
      // WHEN it is added
      const err = errorOf(() => pool.addMember(webServer(stack, other), 8080));
      // THEN the error names the server, the network and the way out; nothing is rendered for it
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain("test/Lb/Front/Web: 'addMember' cannot add test/Web: it has no port on test/Net/Network");
      expect(err.message).toContain("give the pool a 'memberSubnet' on one of the server's networks");
      expect(hotResourcesOfType(heatOf(stack).template, 'OS::Octavia::PoolMember')).toEqual({});
      expect(terraformOf(stack).resources('openstack_lb_member_v2')).toEqual({});
    });

    test("an existing member subnet imported without its network is refused: the server's port cannot be known", () => {
      // GIVEN a pool on an imported subnet with no network
      const { stack, net, listener } = listenerStack();
      const pool = listener.addPool('Web', { memberSubnet: Subnet.fromName(stack, 'Backend', 'backend-subnet') });
      // WHEN a server joins THEN it is refused with the fix
      const err = errorOf(() => pool.addMember(webServer(stack, net), 8080));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain('Subnet.fromName(this, id, name, network)');
    });

    test('an existing member subnet given with the server\'s network works', () => {
      // GIVEN an imported network, a server on it and a pool on a subnet imported with that network
      const { stack, net } = networkStack();
      const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet, memberAccessPeer: Peer.ipv4('10.5.0.0/24') });
      const backend = Network.fromName(stack, 'Backend', 'backend');
      const pool = lb.addListener('Front', { protocol: ListenerProtocol.HTTP, port: 80 }).addPool('Web', { memberSubnet: Subnet.fromName(stack, 'BackendSubnet', 'backend-subnet', backend) });
      const web = new Server(stack, 'Web', { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small', { vcpus: 1 }), networks: [backend] });
      // WHEN it joins
      pool.addMember(web, 8080, {});
      // THEN both targets address it on its port on that network
      expect(heatOf(stack).resources.lb_front_web_member_web_8080.properties!.address).toEqual({ get_attr: ['web_port_backend', 'fixed_ips', 0, 'ip_address'] });
      expect(terraformOf(stack).resources('openstack_lb_member_v2').lb_front_web_member_web_8080.address).toBe('${openstack_networking_port_v2.web_port_backend.all_fixed_ips[0]}');
    });
  });

  test('implements IPool for autoscaling groups', () => {
    // GIVEN a pool
    const { stack, listener, net } = listenerStack();
    const pool: Pool = listener.addPool('Web');
    // THEN it exposes its member subnet and a connectable load balancer
    expect(pool.memberSubnet).toBe(net.subnet);
    expect(pool.loadBalancer.connections.asPeers().map((p) => p.toString())).toEqual(['10.0.0.0/24']);
    heatOf(stack);
  });

  describe('refuses', () => {
    test('a protocol Octavia does not accept behind the listener', () => {
      const { listener } = listenerStack(ListenerProtocol.HTTP);
      const err = errorOf(() => listener.addPool('Web', { protocol: PoolProtocol.TCP }));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain("test/Lb/Front/Web: 'protocol' cannot sit behind a HTTP listener; Octavia accepts HTTP, PROXY there, got \"TCP\"");
    });

    test('a cookie persistence behind a TCP listener', () => {
      const { listener } = listenerStack(ListenerProtocol.TCP);
      const err = errorOf(() => listener.addPool('Web', { sessionPersistence: SessionPersistence.httpCookie() }));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain("'sessionPersistence' needs a listener that reads HTTP (HTTP or TERMINATED_HTTPS) to see cookies, but test/Lb/Front is TCP");
    });

    test('an application cookie name with a space', () => {
      const { listener } = listenerStack();
      const err = errorOf(() => listener.addPool('Web', { sessionPersistence: SessionPersistence.appCookie('my session') }));
      expect(err.code).toBe('SO_FORMAT');
      expect(err.message).toContain("'sessionPersistence.cookieName' must match an HTTP cookie name");
    });

    test('an empty application cookie name', () => {
      const { listener } = listenerStack();
      const err = errorOf(() => listener.addPool('Web', { sessionPersistence: SessionPersistence.appCookie('') }));
      expect(err.code).toBe('SO_EMPTY');
    });

    test('a non-OVN algorithm on OVN', () => {
      const { listener } = listenerStack(ListenerProtocol.TCP, LoadBalancerProvider.OVN);
      const err = errorOf(() => listener.addPool('Web', { algorithm: LbAlgorithm.ROUND_ROBIN }));
      expect(err.code).toBe('SO_UNSUPPORTED');
      expect(err.message).toContain("'algorithm' is not supported by the ovn provider, got \"ROUND_ROBIN\"; use LbAlgorithm.SOURCE_IP_PORT");
    });

    test.each<[string, LoadBalancerProvider | undefined, string]>([
      ['amphora', LoadBalancerProvider.AMPHORA, 'the amphora provider (amphora)'],
      ["'octavia' (amphora's alias)", LoadBalancerProvider.of('octavia'), 'the octavia provider (amphora)'],
      ["no provider (the cloud's default, amphora on nearly every cloud)", undefined, "the cloud's default provider (amphora on nearly every cloud)"],
      ["of('amphora')", LoadBalancerProvider.of('amphora'), 'the amphora provider (amphora)'],
    ])('SOURCE_IP_PORT on %s', (_name, provider, which) => {
      // GIVEN a listener on an amphora load balancer WHEN a SOURCE_IP_PORT pool is added
      const { listener } = listenerStack(ListenerProtocol.HTTP, provider);
      const err = errorOf(() => listener.addPool('Web', { algorithm: LbAlgorithm.SOURCE_IP_PORT }));
      // THEN it is refused, with the way out for clouds whose default is OVN
      expect(err.code).toBe('SO_UNSUPPORTED');
      expect(err.message).toContain(`'algorithm' is not supported by ${which}`);
      expect(err.message).toContain('LoadBalancerProvider.OVN');
    });

    test("of('ovn') is OVN, with OVN's checks", () => {
      // GIVEN a TCP listener on of('ovn') WHEN a round-robin pool is added THEN it is refused like OVN
      const { listener } = listenerStack(ListenerProtocol.TCP, LoadBalancerProvider.of('ovn'));
      expect(LoadBalancerProvider.of('ovn')).toBe(LoadBalancerProvider.OVN);
      expect(errorOf(() => listener.addPool('Web', { algorithm: LbAlgorithm.ROUND_ROBIN })).message).toContain('is not supported by the ovn provider');
    });

    test('SOURCE_IP_PORT on an other named provider is left to that provider', () => {
      // GIVEN a provider Scaleout knows nothing about WHEN a SOURCE_IP_PORT pool is added
      const { stack, listener } = listenerStack(ListenerProtocol.TCP, LoadBalancerProvider.of('vendor'));
      listener.addPool('Web', { algorithm: LbAlgorithm.SOURCE_IP_PORT });
      // THEN both targets write it
      expect(heatOf(stack).resources.lb_front_web.properties!.lb_algorithm).toBe('SOURCE_IP_PORT');
      expect(terraformOf(stack).resources('openstack_lb_pool_v2').lb_front_web.lb_method).toBe('SOURCE_IP_PORT');
    });

    test.each([
      ['member port 0', 0, {}, 'SO_RANGE', "'port' must be between 1 and 65535, got 0"],
      ['member port 70000', 70000, {}, 'SO_RANGE', "'port' must be between 1 and 65535, got 70000"],
      ['a weight above 256', 80, { weight: 300 }, 'SO_RANGE', "'weight' must be between 0 and 256, got 300"],
    ])('%s', (_name, port, options, code, fragment) => {
      const { stack, net, listener } = listenerStack();
      const pool = listener.addPool('Web');
      const err = errorOf(() => pool.addMember(webServer(stack, net), port, options));
      expect(err.code).toBe(code);
      expect(err.message).toContain(`test/Lb/Front/Web: ${fragment}`);
    });

    test('the same server twice on the same port', () => {
      const { stack, net, listener } = listenerStack();
      const pool = listener.addPool('Web');
      const web = webServer(stack, net);
      pool.addMember(web, 8080);
      const err = errorOf(() => pool.addMember(web, 8080));
      expect(err.code).toBe('SO_DUPLICATE');
      expect(err.message).toContain("'addMember' already has test/Web on port 8080");
    });
  });
});
