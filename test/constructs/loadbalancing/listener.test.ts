import { Listener, ListenerProtocol, LoadBalancer, LoadBalancerProvider } from '../../../src';
import { Match } from '../../../src/assertions';
import { heatOf, hotResourcesOfType } from '../../util/synth';
import { validatedTemplates } from '../../assertions/fixture';
import { errorOf, networkStack } from './fixture';

const CERT = 'https://barbican.example.com:9311/v1/containers/0b5c1c6a-5f7a-4e4e-9d6e-1f2a3b4c5d6e';

function lbStack(provider?: LoadBalancerProvider) {
  const { stack, net } = networkStack();
  const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet, provider });
  return { stack, lb };
}

describe('Listener', () => {
  test('renders protocol, port, connection limit and allowed CIDRs to Heat', () => {
    // GIVEN a load balancer
    const { stack, lb } = lbStack();
    // WHEN an HTTP listener restricted to two CIDRs is added
    const listener = lb.addListener('Http', { protocol: ListenerProtocol.HTTP, port: 80, connectionLimit: 5000, allowedCidrs: ['203.0.113.0/24', '198.51.100.0/24'] });
    // THEN it is a child of the load balancer pointing at it
    expect(listener.node.path).toBe('test/Lb/Http');
    expect(lb.listeners).toEqual([listener]);
    const { heat } = validatedTemplates(stack);
    heat.resourceCountIs('OS::Octavia::Listener', 1);
    heat.hasResourceProperties('OS::Octavia::Listener', {
      loadbalancer: { get_resource: 'lb' },
      protocol: 'HTTP',
      protocol_port: 80,
      connection_limit: 5000,
      allowed_cidrs: ['203.0.113.0/24', '198.51.100.0/24'],
    });
  });

  test('renders the same to Terraform', () => {
    // GIVEN a load balancer WHEN a restricted listener is added
    const { stack, lb } = lbStack();
    lb.addListener('Http', { protocol: ListenerProtocol.HTTP, port: 80, connectionLimit: 5000, allowedCidrs: ['203.0.113.0/24'] });
    // THEN openstack_lb_listener_v2 carries the same values
    validatedTemplates(stack).terraform.hasResourceProperties('openstack_lb_listener_v2', {
      loadbalancer_id: '${openstack_lb_loadbalancer_v2.lb.id}',
      protocol: 'HTTP',
      protocol_port: 80,
      connection_limit: 5000,
      allowed_cidrs: ['203.0.113.0/24'],
    });
  });

  test('allows anywhere by default: no allowed_cidrs and no connection limit in either target', () => {
    // GIVEN a listener with only protocol and port
    const { stack, lb } = lbStack();
    lb.addListener('Tcp', { protocol: ListenerProtocol.TCP, port: 5000 });
    // THEN neither target restricts clients or connections (Octavia's default is every address)
    const { heat, terraform } = validatedTemplates(stack);
    heat.hasResourceProperties('OS::Octavia::Listener', { protocol: 'TCP', allowed_cidrs: Match.absent(), connection_limit: Match.absent() });
    terraform.hasResourceProperties('openstack_lb_listener_v2', { protocol: 'TCP', allowed_cidrs: Match.absent(), connection_limit: Match.absent() });
  });

  test('TERMINATED_HTTPS carries the Barbican certificate reference', () => {
    // GIVEN a load balancer WHEN an HTTPS-terminating listener is added
    const { stack, lb } = lbStack();
    lb.addListener('Https', { protocol: ListenerProtocol.terminatedHttps(CERT), port: 443 });
    // THEN both targets write the default TLS container ref
    const { heat, terraform } = validatedTemplates(stack);
    heat.hasResourceProperties('OS::Octavia::Listener', { protocol: 'TERMINATED_HTTPS', default_tls_container_ref: CERT });
    terraform.hasResourceProperties('openstack_lb_listener_v2', { protocol: 'TERMINATED_HTTPS', default_tls_container_ref: CERT });
  });

  test('a TCP and a UDP listener may share a port number', () => {
    // GIVEN a load balancer WHEN DNS over TCP and UDP listen on 53
    const { stack, lb } = lbStack();
    lb.addListener('DnsTcp', { protocol: ListenerProtocol.TCP, port: 53 });
    lb.addListener('DnsUdp', { protocol: ListenerProtocol.UDP, port: 53 });
    // THEN both exist
    expect(Object.keys(hotResourcesOfType(heatOf(stack).template, 'OS::Octavia::Listener'))).toEqual(['lb_dns_tcp', 'lb_dns_udp']);
  });

  test('can be created directly under another scope', () => {
    // GIVEN a load balancer WHEN a listener is constructed with `new`
    const { stack, lb } = lbStack();
    new Listener(stack, 'Front', { loadBalancer: lb, protocol: ListenerProtocol.HTTPS, port: 443 });
    // THEN it still belongs to the load balancer
    expect(lb.listeners.map((l) => l.node.path)).toEqual(['test/Front']);
    expect(heatOf(stack).resources.front.properties).toMatchObject({ loadbalancer: { get_resource: 'lb' }, protocol: 'HTTPS' });
  });

  describe('refuses', () => {
    test.each([
      ['port 0', 0, "'port' must be between 1 and 65535, got 0"],
      ['port 70000', 70000, "'port' must be between 1 and 65535, got 70000"],
      ['a fractional port', 80.5, "'port' must be an integer between 1 and 65535, got 80.5"],
    ])('%s', (_name, port, fragment) => {
      const { lb } = lbStack();
      const err = errorOf(() => lb.addListener('Http', { protocol: ListenerProtocol.HTTP, port }));
      expect(err.code).toBe('SO_RANGE');
      expect(err.message).toContain(`test/Lb/Http: ${fragment}`);
    });

    test('a missing port', () => {
      const { lb } = lbStack();
      const err = errorOf(() => lb.addListener('Http', { protocol: ListenerProtocol.HTTP } as never));
      expect(err.code).toBe('SO_REQUIRED');
      expect(err.message).toContain("'port' is required");
    });

    test('a connection limit of 0', () => {
      const { lb } = lbStack();
      const err = errorOf(() => lb.addListener('Http', { protocol: ListenerProtocol.HTTP, port: 80, connectionLimit: 0 }));
      expect(err.code).toBe('SO_RANGE');
      expect(err.message).toContain("'connectionLimit' must be between 1 and 2147483647 connections, got 0");
    });

    test('an empty allowedCidrs list', () => {
      const { lb } = lbStack();
      const err = errorOf(() => lb.addListener('Http', { protocol: ListenerProtocol.HTTP, port: 80, allowedCidrs: [] }));
      expect(err.code).toBe('SO_EMPTY');
      expect(err.message).toContain("'allowedCidrs' must list at least one CIDR");
    });

    test('a malformed CIDR', () => {
      const { lb } = lbStack();
      const err = errorOf(() => lb.addListener('Http', { protocol: ListenerProtocol.HTTP, port: 80, allowedCidrs: ['10.0.0.0/24', '10.0.0.5/24'] }));
      expect(err.code).toBe('SO_FORMAT');
      expect(err.message).toContain("'allowedCidrs[1]' must be an IPv4 or IPv6 CIDR block with no host bits set, got \"10.0.0.5/24\"");
    });

    test('an allowed CIDR of the other IP version than the VIP subnet', () => {
      // GIVEN a load balancer whose VIP is on an IPv4 subnet
      const { lb } = lbStack();
      // WHEN a listener allows an IPv6 block THEN it is refused (Octavia refuses it too)
      const err = errorOf(() => lb.addListener('Http', { protocol: ListenerProtocol.HTTP, port: 80, allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'] }));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain("test/Lb/Http: 'allowedCidrs[1]' must be an IPv4 block like the VIP subnet 10.0.0.0/24");
    });

    test('a missing allowed CIDR entry', () => {
      const { lb } = lbStack();
      const err = errorOf(() => lb.addListener('Http', { protocol: ListenerProtocol.HTTP, port: 80, allowedCidrs: [undefined as never] }));
      expect(err.code).toBe('SO_REQUIRED');
      expect(err.message).toContain("'allowedCidrs[0]' is required");
    });

    test('a certificate reference that is not a URL', () => {
      const { lb } = lbStack();
      const err = errorOf(() => lb.addListener('Https', { protocol: ListenerProtocol.terminatedHttps('my-cert'), port: 443 }));
      expect(err.code).toBe('SO_FORMAT');
      expect(err.message).toContain("'protocol.certificateRef' must be the URL of a Barbican secret container, got \"my-cert\"");
    });

    test('a protocol that is not a ListenerProtocol', () => {
      const { lb } = lbStack();
      const err = errorOf(() => lb.addListener('Http', { protocol: 'HTTP' as never, port: 80 }));
      expect(err.code).toBe('SO_ENUM');
      expect(err.message).toContain("'protocol' must be a ListenerProtocol");
    });

    test('two listeners on the same port and transport', () => {
      const { lb } = lbStack();
      lb.addListener('Http', { protocol: ListenerProtocol.HTTP, port: 80 });
      const err = errorOf(() => lb.addListener('Tcp', { protocol: ListenerProtocol.TCP, port: 80 }));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain("test/Lb/Tcp: 'port' is already used by listener test/Lb/Http (tcp), got 80");
    });

    test('an HTTP listener on an OVN load balancer', () => {
      const { lb } = lbStack(LoadBalancerProvider.OVN);
      const err = errorOf(() => lb.addListener('Http', { protocol: ListenerProtocol.HTTP, port: 80 }));
      expect(err.code).toBe('SO_UNSUPPORTED');
      expect(err.message).toContain("'protocol' is not supported by the ovn provider, which balances TCP and UDP only");
    });

    test('a second default pool', () => {
      const { lb } = lbStack();
      const listener = lb.addListener('Http', { protocol: ListenerProtocol.HTTP, port: 80 });
      const first = listener.addPool('Pool');
      expect(listener.defaultPool).toBe(first);
      const err = errorOf(() => listener.addPool('Other'));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain("test/Lb/Http/Other: 'listener' already has default pool test/Lb/Http/Pool");
    });
  });
});
