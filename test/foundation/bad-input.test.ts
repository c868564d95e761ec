/**
 * Bad input throws at construction with a message naming the construct path, the property, the
 * value received and what is allowed, plus a stable code.
 */
import { App, Flavor, Image, Network, Peer, Port, SecurityGroup, Server, Stack } from '../../src';
import { errorOf } from '../util/errors';
import { heatOf, hotResourcesOfType, terraformOf } from '../util/synth';

function fresh() {
  const app = new App();
  const stack = new Stack(app, 'bad');
  return { stack, sg: new SecurityGroup(stack, 'Sg') };
}

describe('bad input is refused at construction', () => {
  test.each([
    ['port 0', () => Port.tcp(0), 'SO_RANGE', "bad/Sg: 'port' must be a TCP port between 1 and 65535, got 0"],
    ['port 70000', () => Port.tcp(70000), 'SO_RANGE', "bad/Sg: 'port' must be a TCP port between 1 and 65535, got 70000"],
    ['a fractional port', () => Port.udp(53.5), 'SO_RANGE', "'port' must be a UDP port between 1 and 65535, got 53.5"],
    ['a reversed range', () => Port.tcpRange(9000, 8000), 'SO_CONFLICT', "'port' must be a range whose first port is not above its last, got \"9000-8000\""],
    ['an ICMP type above 255', () => Port.icmpType(300, 0), 'SO_RANGE', "'port' must have an ICMP type between 0 and 255, got 300"],
    ['an unknown protocol', () => Port.ipProtocol('tcpx'), 'SO_ENUM', "'port.protocol' must be one of ah, dccp"],
  ])('%s', (_name, makePort, code, fragment) => {
    // GIVEN a security group WHEN a rule with the bad port is added THEN it throws with path, prop and value
    const { sg } = fresh();
    const err = errorOf(() => sg.addIngressRule(Peer.ipv4('10.0.0.0/8'), makePort()));
    expect(err.code).toBe(code);
    expect(err.constructPath).toBe('bad/Sg');
    expect(err.message).toContain(fragment);
  });

  test.each([
    ['not a CIDR', 'banana'],
    ['an octet above 255', '10.0.0.256/24'],
    ['a prefix above 32', '10.0.0.0/33'],
    ['host bits set', '10.0.0.1/24'],
    ['no prefix', '10.0.0.0'],
  ])('a malformed CIDR (%s)', (_name, cidr) => {
    const { sg } = fresh();
    const err = errorOf(() => sg.addIngressRule(Peer.ipv4(cidr), Port.tcp(80)));
    expect(err.code).toBe('SO_FORMAT');
    expect(err.message).toContain(`bad/Sg: 'peer' must be an IPv4 CIDR block with no host bits set, got "${cidr}"; write it like '203.0.113.0/24'`);
  });

  test('an IPv4 CIDR given as IPv6 peer', () => {
    const { sg } = fresh();
    expect(errorOf(() => sg.addIngressRule(Peer.ipv6('10.0.0.0/8'), Port.tcp(80))).message).toContain("'peer' must be an IPv6 CIDR block");
  });

  test.each([
    ['security group name', (s: Stack) => new SecurityGroup(s, 'X', { securityGroupName: '' }), "bad/X: 'securityGroupName' must be a non-empty string, got \"\""],
    ['server name', (s: Stack) => new Server(s, 'X', { image: Image.fromName('i'), flavor: Flavor.fromName('f'), networks: [Network.fromName(s, 'N', 'n')], serverName: '   ' }), "bad/X: 'serverName' must be a non-empty string"],
    ['image', (s: Stack) => new Server(s, 'X', { image: Image.fromName(''), flavor: Flavor.fromName('f'), networks: [Network.fromName(s, 'N', 'n')] }), "bad/X: 'image' must name an image, got \"\""],
    ['flavor', (s: Stack) => new Server(s, 'X', { image: Image.fromName('i'), flavor: Flavor.fromName(''), networks: [Network.fromName(s, 'N', 'n')] }), "bad/X: 'flavor' must name a flavor"],
    ['network name', (s: Stack) => Network.fromName(s, 'N', ''), "bad/N: 'networkName' must be a non-empty string"],
    ['stack name', (_s: Stack) => new Stack(new App(), 'Bad Name'), "Bad Name: 'stackName' must match lowercase letters, digits and dashes"],
  ])('an empty or malformed name: %s', (_name, make, fragment) => {
    const { stack } = fresh();
    const err = errorOf(() => make(stack));
    expect(['SO_EMPTY', 'SO_FORMAT']).toContain(err.code);
    expect(err.message).toContain(fragment);
  });

  test('a server with no network', () => {
    const { stack } = fresh();
    const err = errorOf(() => new Server(stack, 'X', { image: Image.fromName('i'), flavor: Flavor.fromName('f'), networks: [] }));
    expect(err.code).toBe('SO_REQUIRED');
    expect(err.message).toContain("bad/X: 'networks' must list at least one network, got []");
  });

  test('a vCPU count that is not a positive integer', () => {
    const { stack } = fresh();
    const err = errorOf(() => new Server(stack, 'X', { image: Image.fromName('i'), flavor: Flavor.fromName('f', { vcpus: 0 }), networks: [Network.fromName(stack, 'N', 'n')] }));
    expect(err.code).toBe('SO_RANGE');
    expect(err.message).toContain("'flavor.vcpus' must be an integer between 1 and 1024, got 0");
  });

  test('metadata may not override the ownership keys', () => {
    const { stack } = fresh();
    const err = errorOf(() => new Server(stack, 'X', { image: Image.fromName('i'), flavor: Flavor.fromName('f'), networks: [Network.fromName(stack, 'N', 'n')], metadata: { scaleout_stack: 'other' } }));
    expect(err.code).toBe('SO_CONFLICT');
    expect(err.message).toContain("'metadata.scaleout_stack' is reserved for Scaleout ownership metadata");
  });

  test('a rule cannot be added to a security group the stack does not own', () => {
    const { stack } = fresh();
    const imported = SecurityGroup.fromName(stack, 'Default', 'default');
    const err = errorOf(() => imported.addIngressRule(Peer.anyIpv4(), Port.tcp(80)));
    expect(err.code).toBe('SO_USAGE');
    expect(err.message).toContain('cannot change a security group the stack does not own');
  });

  test('two constructs that map to the same logical name are refused at synth', () => {
    const { stack } = fresh();
    new SecurityGroup(stack, 'web_sg');
    new SecurityGroup(stack, 'WebSg');
    const { synthesizeHeat } = jest.requireActual('../../src');
    const err = errorOf(() => synthesizeHeat(stack));
    expect(err.code).toBe('SO_DUPLICATE');
    expect(err.message).toContain("'web_sg' is already the logical name of a resource of bad/web_sg");
  });
});

describe('least privilege: sensitive ports are not opened to the internet by accident', () => {
  test.each([
    [22, 'SSH'],
    [3389, 'RDP'],
    [3306, 'MySQL/MariaDB'],
    [5432, 'PostgreSQL'],
    [5672, 'AMQP (RabbitMQ)'],
    [6379, 'Redis'],
    [11211, 'memcached'],
  ])('tcp %d to 0.0.0.0/0 is refused', (port, what) => {
    const { sg } = fresh();
    const err = errorOf(() => sg.addIngressRule(Peer.anyIpv4(), Port.tcp(port)));
    expect(err.code).toBe('SO_INSECURE');
    expect(err.message).toContain(`would open ${what} (tcp ${port}) to 0.0.0.0/0`);
  });

  test('a range or all traffic that covers SSH is refused too, from ::/0 as well', () => {
    const { sg } = fresh();
    expect(errorOf(() => sg.addIngressRule(Peer.anyIpv6(), Port.allTraffic())).code).toBe('SO_INSECURE');
    expect(errorOf(() => sg.addIngressRule(Peer.anyIpv4(), Port.tcpRange(20, 25))).code).toBe('SO_INSECURE');
  });

  test('saying so in so many words allows it, and HTTP/HTTPS need nothing', () => {
    // GIVEN SSH opened to the internet explicitly, and HTTPS
    const { stack, sg } = fresh();
    sg.addIngressRule(Peer.anyIpv4(), Port.tcp(22), { allowPublicAccessToSensitivePort: true });
    sg.addIngressRule(Peer.anyIpv4(), Port.tcp(443));
    // THEN the group holds both rules
    expect(sg.ruleSummaries).toEqual([
      { direction: 'ingress', peer: '0.0.0.0/0', port: 'tcp 22' },
      { direction: 'ingress', peer: '0.0.0.0/0', port: 'tcp 443' },
    ]);
    // AND both targets render exactly those two ingress rules
    const rule = (port: number) => ({ direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', min: port, max: port, cidr: '0.0.0.0/0' });
    const heatRules = Object.values(hotResourcesOfType(heatOf(stack).template, 'OS::Neutron::SecurityGroupRule')).map(({ properties: p }) => ({
      direction: p!.direction,
      ethertype: p!.ethertype,
      protocol: p!.protocol,
      min: p!.port_range_min,
      max: p!.port_range_max,
      cidr: p!.remote_ip_prefix,
    }));
    expect(heatRules).toEqual([rule(22), rule(443)]);
    const tfRules = Object.values(terraformOf(stack).resources('openstack_networking_secgroup_rule_v2')).map((r: any) => ({
      direction: r.direction,
      ethertype: r.ethertype,
      protocol: r.protocol,
      min: r.port_range_min,
      max: r.port_range_max,
      cidr: r.remote_ip_prefix,
    }));
    expect(tfRules).toEqual([rule(22), rule(443)]);
  });
});
