import { Duration, HealthMonitor, HealthMonitorType, HttpMethod, ListenerProtocol, LoadBalancer, LoadBalancerProvider, OpenStackRelease, Peer, synthesizeHeat } from '../../../src';
import type { HealthMonitorOptions } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf, networkStack, webServer } from './fixture';

function poolStack(protocol: ListenerProtocol = ListenerProtocol.HTTP, release?: OpenStackRelease) {
  const { stack, net } = networkStack(release);
  const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet });
  const pool = lb.addListener('Front', { protocol, port: 80 }).addPool('Web');
  return { stack, net, pool };
}

function ovnPoolStack(protocol: ListenerProtocol) {
  const { stack, net } = networkStack();
  const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet, provider: LoadBalancerProvider.OVN, memberAccessPeer: Peer.anyIpv4() });
  const pool = lb.addListener('Front', { protocol, port: 80 }).addPool('Web');
  return { stack, net, pool };
}

const HTTP_CHECK: HealthMonitorOptions = {
  type: HealthMonitorType.HTTP,
  delay: Duration.seconds(15),
  timeout: Duration.seconds(4),
  maxRetries: 4,
  urlPath: '/healthz?full=1',
  expectedCodes: '200-204',
  httpMethod: HttpMethod.HEAD,
};

describe('HealthMonitor', () => {
  test.each([
    ['TCP', HealthMonitorType.TCP, ListenerProtocol.TCP],
    ['UDP-CONNECT', HealthMonitorType.UDP_CONNECT, ListenerProtocol.UDP],
  ])('an OVN pool takes a %s monitor, in both targets', (name, type, protocol) => {
    // GIVEN a pool on an OVN load balancer WHEN a monitor OVN supports is added
    const { stack, pool } = ovnPoolStack(protocol);
    pool.addHealthMonitor('Check', { type });
    // THEN both targets render it
    expect(heatOf(stack).resources.lb_front_web_check.properties!.type).toBe(name);
    expect(terraformOf(stack).resources('openstack_lb_monitor_v2').lb_front_web_check.type).toBe(name);
  });


  test('renders type, delay, timeout, retries and the HTTP probe to Heat', () => {
    // GIVEN a pool WHEN an HTTP health monitor is added
    const { stack, pool } = poolStack();
    const monitor = pool.addHealthMonitor('Check', HTTP_CHECK);
    // THEN it is the pool's monitor, rendered with each value (seconds)
    expect(pool.healthMonitor).toBe(monitor);
    const monitors = hotResourcesOfType(heatOf(stack).template, 'OS::Octavia::HealthMonitor');
    expect(monitors.lb_front_web_check.properties).toEqual({
      pool: { get_resource: 'lb_front_web' },
      type: 'HTTP',
      delay: 15,
      timeout: 4,
      max_retries: 4,
      url_path: '/healthz?full=1',
      expected_codes: '200-204',
      http_method: 'HEAD',
    });
  });

  test('renders the same to Terraform, plus max_retries_down', () => {
    // GIVEN a pool WHEN an HTTP monitor with maxRetriesDown is added
    const { stack, pool } = poolStack();
    pool.addHealthMonitor('Check', { ...HTTP_CHECK, maxRetriesDown: 2 });
    // THEN openstack_lb_monitor_v2 carries every value
    expect(terraformOf(stack).resources('openstack_lb_monitor_v2').lb_front_web_check).toMatchObject({
      pool_id: '${openstack_lb_pool_v2.lb_front_web.id}',
      type: 'HTTP',
      delay: 15,
      timeout: 4,
      max_retries: 4,
      max_retries_down: 2,
      url_path: '/healthz?full=1',
      expected_codes: '200-204',
      http_method: 'HEAD',
    });
  });

  test("an HTTP monitor spells out Octavia's defaults: every 10s, 5s timeout, 3 retries, GET / expecting 200", () => {
    // GIVEN a pool WHEN an HTTP monitor is added with only its type
    const { stack, pool } = poolStack();
    pool.addHealthMonitor('Check', { type: HealthMonitorType.HTTPS });
    // THEN both targets write the same explicit values
    const expected = { type: 'HTTPS', delay: 10, timeout: 5, max_retries: 3, url_path: '/', expected_codes: '200', http_method: 'GET' };
    expect(heatOf(stack).resources.lb_front_web_check.properties).toMatchObject(expected);
    expect(terraformOf(stack).resources('openstack_lb_monitor_v2').lb_front_web_check).toMatchObject(expected);
  });

  test('a TCP monitor writes no HTTP fields', () => {
    // GIVEN a TCP pool WHEN a TCP monitor is added
    const { stack, pool } = poolStack(ListenerProtocol.TCP);
    pool.addHealthMonitor('Check', { type: HealthMonitorType.TCP, delay: Duration.minutes(1), timeout: Duration.seconds(10) });
    // THEN neither target writes a path, codes or method
    const heat = heatOf(stack).resources.lb_front_web_check.properties!;
    expect(heat).toMatchObject({ type: 'TCP', delay: 60, timeout: 10 });
    for (const key of ['url_path', 'expected_codes', 'http_method']) expect(heat).not.toHaveProperty(key);
    const tf = terraformOf(stack).resources('openstack_lb_monitor_v2').lb_front_web_check;
    for (const key of ['url_path', 'expected_codes', 'http_method', 'max_retries_down']) expect(tf).not.toHaveProperty(key);
  });

  test('a UDP-CONNECT monitor on a UDP pool', () => {
    // GIVEN a UDP pool WHEN a UDP-CONNECT monitor is added
    const { stack, pool } = poolStack(ListenerProtocol.UDP);
    pool.addHealthMonitor('Check', { type: HealthMonitorType.UDP_CONNECT });
    // THEN both targets use the hyphenated type name
    expect(heatOf(stack).resources.lb_front_web_check.properties!.type).toBe('UDP-CONNECT');
    expect(terraformOf(stack).resources('openstack_lb_monitor_v2').lb_front_web_check.type).toBe('UDP-CONNECT');
  });

  test('a PING monitor lets ICMP echo in from the load balancer on static members, whichever comes first', () => {
    // GIVEN a pool with one member before and one after a PING monitor
    const { stack, net, pool } = poolStack();
    pool.addMember(webServer(stack, net, 'Early'), 8080);
    new HealthMonitor(stack, 'Ping', { pool, type: HealthMonitorType.PING });
    pool.addMember(webServer(stack, net, 'Late'), 8080);
    // THEN both members' groups allow ICMP echo request (type 8, code 0) from the VIP subnet
    const rules = hotResourcesOfType(heatOf(stack).template, 'OS::Neutron::SecurityGroupRule');
    for (const name of ['early', 'late']) {
      expect(rules[`${name}_security_group_ingress_icmp_8_0_from_cidr_10_0_0_0_24`].properties).toMatchObject({ protocol: 'icmp', port_range_min: 8, port_range_max: 0, remote_ip_prefix: '10.0.0.0/24' });
    }
    expect(terraformOf(stack).resources('openstack_lb_monitor_v2').ping.type).toBe('PING');
  });

  test.each(['200', '200,202', '200-204', '301,302,303'])('accepts expected codes %s', (codes) => {
    const { pool } = poolStack();
    expect(() => pool.addHealthMonitor('Check', { type: HealthMonitorType.HTTP, expectedCodes: codes })).not.toThrow();
  });

  describe('refuses', () => {
    test.each([
      ['a timeout equal to the delay', Duration.seconds(5), Duration.seconds(5), "'timeout' must be less than 'delay' (5s), or probes would overlap, got \"5s\""],
      ['a timeout above the delay', Duration.seconds(5), Duration.seconds(30), "'timeout' must be less than 'delay' (5s)"],
    ])('%s', (_name, delay, timeout, fragment) => {
      const { pool } = poolStack();
      const err = errorOf(() => pool.addHealthMonitor('Check', { type: HealthMonitorType.TCP, delay, timeout }));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain(`test/Lb/Front/Web/Check: ${fragment}`);
    });

    test.each([
      ['a zero delay', { delay: Duration.seconds(0) }, "'delay' must be a whole number of seconds between 1 and 2147483647, got \"0 seconds\""],
      ['a fractional timeout', { timeout: Duration.seconds(2.5) }, "'timeout' must be a whole number of seconds between 1 and 2147483647, got \"2.5 seconds\""],
      ['maxRetries 0', { maxRetries: 0 }, "'maxRetries' must be between 1 and 10, got 0"],
      ['maxRetries 11', { maxRetries: 11 }, "'maxRetries' must be between 1 and 10, got 11"],
      ['maxRetriesDown 11', { maxRetriesDown: 11 }, "'maxRetriesDown' must be between 1 and 10, got 11"],
      ['maxRetriesDown 0', { maxRetriesDown: 0 }, "'maxRetriesDown' must be between 1 and 10, got 0"],
    ])('%s', (_name, options, fragment) => {
      const { pool } = poolStack();
      const err = errorOf(() => pool.addHealthMonitor('Check', { type: HealthMonitorType.TCP, ...options }));
      expect(err.code).toBe('SO_RANGE');
      expect(err.message).toContain(fragment);
    });

    test.each([
      ['a path without a leading slash', 'healthz', "'urlPath' must start with '/' and contain no spaces, got \"healthz\""],
      ['a path with a space', '/health check', "'urlPath' must start with '/' and contain no spaces"],
    ])('%s', (_name, urlPath, fragment) => {
      const { pool } = poolStack();
      const err = errorOf(() => pool.addHealthMonitor('Check', { type: HealthMonitorType.HTTP, urlPath }));
      expect(err.code).toBe('SO_FORMAT');
      expect(err.message).toContain(fragment);
    });

    test.each([
      ['letters', '2xx', 'must be one HTTP status code, a comma-separated list of codes or a range low-high'],
      ['an open range', '200-', 'must be one HTTP status code, a comma-separated list of codes or a range low-high'],
      ['semicolons', '200;202', 'must be one HTTP status code, a comma-separated list of codes or a range low-high'],
      ['a list mixed with a range', '200,300-302', 'must be one HTTP status code, a comma-separated list of codes or a range low-high'],
      ['a code above 599', '700', 'must only hold HTTP status codes between 100 and 599'],
      ['a reversed range', '204-200', 'must be a range whose first code is not above its last'],
    ])('expected codes with %s', (_name, expectedCodes, fragment) => {
      const { pool } = poolStack();
      const err = errorOf(() => pool.addHealthMonitor('Check', { type: HealthMonitorType.HTTP, expectedCodes }));
      expect(err.code).toBe('SO_FORMAT');
      expect(err.message).toContain(`'expectedCodes' ${fragment}, got "${expectedCodes}"`);
    });

    test('HTTP fields on a TCP monitor', () => {
      const { pool } = poolStack();
      const err = errorOf(() => pool.addHealthMonitor('Check', { type: HealthMonitorType.TCP, urlPath: '/' }));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain("'urlPath' applies to HTTP and HTTPS monitors only, not TCP");
    });

    test('UDP-CONNECT on an HTTP pool', () => {
      const { pool } = poolStack();
      const err = errorOf(() => pool.addHealthMonitor('Check', { type: HealthMonitorType.UDP_CONNECT }));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain("'type' needs a UDP pool, but test/Lb/Front/Web is HTTP");
    });

    test('PING on a UDP pool', () => {
      const { pool } = poolStack(ListenerProtocol.UDP);
      const err = errorOf(() => pool.addHealthMonitor('Check', { type: HealthMonitorType.PING }));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain("'type' cannot probe the UDP pool test/Lb/Front/Web; Octavia accepts UDP-CONNECT, TCP, HTTP there");
    });

    test.each([
      ['PING', HealthMonitorType.PING, ListenerProtocol.TCP, 'use HealthMonitorType.TCP'],
      ['HTTP on a TCP pool', HealthMonitorType.HTTP, ListenerProtocol.TCP, 'use HealthMonitorType.TCP'],
      ['HTTPS on a TCP pool', HealthMonitorType.HTTPS, ListenerProtocol.TCP, 'use HealthMonitorType.TCP'],
      ['HTTP on a UDP pool (Octavia allows it, OVN does not)', HealthMonitorType.HTTP, ListenerProtocol.UDP, 'use HealthMonitorType.UDP_CONNECT'],
    ])('%s on an OVN load balancer', (_name, type, protocol, fix) => {
      // GIVEN a pool on OVN WHEN a monitor OVN cannot run is added
      const { pool } = ovnPoolStack(protocol);
      const err = errorOf(() => pool.addHealthMonitor('Check', { type }));
      // THEN it is refused, naming what OVN supports
      expect(err.code).toBe('SO_UNSUPPORTED');
      expect(err.message).toContain(`test/Lb/Front/Web/Check: 'type' is not supported by the ovn provider of test/Lb, whose health monitors are TCP and UDP-CONNECT only, got "${type.name}"; ${fix}`);
    });

    test('a second monitor on the pool', () => {
      const { pool } = poolStack();
      pool.addHealthMonitor('Check', { type: HealthMonitorType.HTTP });
      const err = errorOf(() => pool.addHealthMonitor('Again', { type: HealthMonitorType.TCP }));
      expect(err.code).toBe('SO_CONFLICT');
      expect(err.message).toContain("'pool' already has health monitor test/Lb/Front/Web/Check; Octavia allows one per pool");
    });

    test('max_retries_down for Heat 2022.2 (Zed), rather than dropping it', () => {
      // GIVEN a 2022.2 stack whose monitor sets maxRetriesDown (Terraform renders it, see above)
      const { stack, pool } = poolStack(ListenerProtocol.HTTP, OpenStackRelease.V2022_2);
      pool.addHealthMonitor('Check', { type: HealthMonitorType.HTTP, maxRetriesDown: 2 });
      // WHEN it is rendered to Heat THEN the error names the missing property
      const err = errorOf(() => synthesizeHeat(stack));
      expect(err.code).toBe('SO_UNSUPPORTED');
      expect(err.message).toContain(
        "test/Lb/Front/Web/Check: 'maxRetriesDown' cannot be expressed in Heat: OS::Octavia::HealthMonitor of OpenStack 2022.2 (Zed) has no max_retries_down property",
      );
    });
  });
});
