/**
 * One failure test per validation added by the hardening pass, matched on the error code and a
 * message fragment (the fuzz test covers the same rules with many more values).
 */
import {
  App,
  Cache,
  CacheEngine,
  Database,
  DatabaseEngine,
  DatabaseHosting,
  Duration,
  Flavor,
  FloatingIp,
  HealthMonitorType,
  Image,
  ListenerProtocol,
  LoadBalancer,
  Network,
  ObjectContainer,
  Peer,
  Port,
  SecurityGroup,
  Server,
  Stack,
  Subnet,
  TroveVolumeType,
  UserData,
  Value,
  VirtualNetwork,
} from '../../src';
import { heatOf, terraformOf } from '../util/synth';
import { errorOf } from '../util/errors';

function fresh() {
  const app = new App();
  const stack = new Stack(app, 'test');
  const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
  const host = { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small', { vcpus: 1 }), networks: [net.network] };
  return { app, stack, net, host };
}

describe('props from plain JavaScript', () => {
  test.each([
    ['null props', (s: Stack) => new Server(s, 'X', null as never), 'SO_REQUIRED', "test/X: 'props' is required, got null"],
    ['a string as props', (s: Stack) => new VirtualNetwork(s, 'X', 'net' as never), 'SO_FORMAT', "test/X: 'props' must be an object of properties, got \"net\""],
    ['an image name string', (s: Stack) => new Server(s, 'X', { image: 'ubuntu' as never, flavor: Flavor.fromName('f'), networks: [Network.fromName(s, 'N', 'n')] }), 'SO_ENUM', "test/X: 'image' must be an Image, got \"ubuntu\""],
    ['a null network entry', (s: Stack) => new Server(s, 'X', { image: Image.fromName('i'), flavor: Flavor.fromName('f'), networks: [null as never] }), 'SO_ENUM', "test/X: 'networks[0]' must be a network, got null"],
    ['a null flavor spec', (s: Stack) => new Server(s, 'X', { image: Image.fromName('i'), flavor: Flavor.fromName('f', null as never), networks: [Network.fromName(s, 'N', 'n')] }), 'SO_FORMAT', "'flavor.spec' must be an object"],
    ["a boolean given as 'false'", (s: Stack) => new SecurityGroup(s, 'X', { allowAllOutbound: 'false' as never }), 'SO_FORMAT', "test/X: 'allowAllOutbound' must be true or false, got \"false\""],
    ['a release given as a string', (s: Stack) => new Stack(s.node.scope as App, 'other', { release: '2023.1' as never }), 'SO_ENUM', "other: 'release' must be an OpenStackRelease, got \"2023.1\""],
    ['a null stackName', (s: Stack) => new Stack(s.node.scope as App, 'other', { stackName: null as never }), 'SO_EMPTY', "other: 'stackName' must be a non-empty string, got null"],
    ['an output value that is not a Value', (s: Stack) => s.addOutput('x', { value: 'hello' as never, description: 'd' }), 'SO_ENUM', "test: 'value' must be a Value, got \"hello\""],
    ['an imported network without a name', (s: Stack) => Network.fromName(s, 'X', undefined as never), 'SO_REQUIRED', "test/X: 'networkName' is required"],
    ['a subnet imported on something that is not a network', (s: Stack) => Subnet.fromId(s, 'X', 'id', 'net' as never), 'SO_ENUM', "test/X: 'network' must be a network"],
  ])('%s', (_name, make, code, fragment) => {
    // GIVEN a stack WHEN a construct gets a wrong-typed value THEN a ScaleoutError names it (no TypeError)
    const { stack } = fresh();
    const err = errorOf(() => make(stack));
    expect(err.code).toBe(code);
    expect(err.message).toContain(fragment);
  });

  test('a Duration given as a string amount is refused', () => {
    const { stack, net } = fresh();
    const pool = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet }).addListener('L', { protocol: ListenerProtocol.HTTP, port: 80 }).addPool('P');
    const err = errorOf(() => pool.addHealthMonitor('H', { type: HealthMonitorType.HTTP, delay: Duration.seconds('10' as never) }));
    expect(err.code).toBe('SO_RANGE');
    expect(err.message).toContain("test/Lb/L/P/H: 'delay' must be a whole number of seconds");
  });
});

describe('strings Terraform would read as expressions', () => {
  test.each([
    ['a name', (s: Stack) => new SecurityGroup(s, 'X', { securityGroupName: 'web-${var.env}' }), "test/X: 'securityGroupName' must not contain '${' or '%{'"],
    ['an image name', (s: Stack) => new Server(s, 'X', { image: Image.fromName('img-%{x}'), flavor: Flavor.fromName('f'), networks: [Network.fromName(s, 'N', 'n')] }), "'image' must not contain '${' or '%{'"],
    ['a metadata value', (s: Stack) => new Server(s, 'X', { image: Image.fromName('i'), flavor: Flavor.fromName('f'), networks: [Network.fromName(s, 'N', 'n')], metadata: { role: '${x}' } }), "'metadata.role' must not contain '${' or '%{'"],
  ])('%s is refused', (_name, make, fragment) => {
    // GIVEN a literal holding '${' WHEN it is given THEN it is refused (Terraform would evaluate it)
    const { stack } = fresh();
    const err = errorOf(() => make(stack));
    expect(err.code).toBe('SO_FORMAT');
    expect(err.message).toContain(fragment);
  });

  test("user data keeps its '${' (it is escaped for Terraform)", () => {
    const { stack, host } = fresh();
    new Server(stack, 'Web', { ...host, userData: UserData.forShellScript('echo ${HOME}') });
    expect(JSON.stringify(terraformOf(stack).resources('openstack_compute_instance_v2').web.user_data)).toContain('$${HOME}');
  });
});

describe('security group rules', () => {
  test.each([
    ["'0::/0' (the internet, spelled differently)", Peer.ipv6('0::/0')],
    ["'0.0.0.0/1' (half the internet)", Peer.ipv4('0.0.0.0/1')],
  ])('SSH from %s is refused', (_name, peer) => {
    const { stack } = fresh();
    const err = errorOf(() => new SecurityGroup(stack, 'Sg').addIngressRule(peer, Port.tcp(22)));
    expect(err.code).toBe('SO_INSECURE');
    expect(err.message).toContain("test/Sg: 'port' would open SSH (tcp 22)");
  });

  test('an IPv6 block with host bits set is refused', () => {
    const { stack } = fresh();
    const err = errorOf(() => new SecurityGroup(stack, 'Sg').addIngressRule(Peer.ipv6('2001:db8::1/32'), Port.tcp(443)));
    expect(err.code).toBe('SO_FORMAT');
    expect(err.message).toContain("'peer' must be an IPv6 CIDR block with no host bits set");
  });

  test('an IPv6-only protocol with an IPv4 peer is refused', () => {
    const { stack } = fresh();
    const err = errorOf(() => new SecurityGroup(stack, 'Sg').addIngressRule(Peer.ipv4('10.0.0.0/8'), Port.ipProtocol('ipv6-icmp')));
    expect(err.code).toBe('SO_CONFLICT');
    expect(err.message).toContain("test/Sg: 'port' is an IPv6-only protocol, but the rule's peer 10.0.0.0/8 is IPv4");
  });

  test('a group peer that is not a security group is refused', () => {
    const { stack } = fresh();
    const err = errorOf(() => new SecurityGroup(stack, 'Sg').addIngressRule(Peer.securityGroup('sg-1' as never), Port.tcp(443)));
    expect(err.code).toBe('SO_ENUM');
    expect(err.message).toContain("test/Sg: 'peer' must be a security group");
  });

  test("a non-boolean 'allowPublicAccessToSensitivePort' is refused", () => {
    const { stack } = fresh();
    const err = errorOf(() => new SecurityGroup(stack, 'Sg').addIngressRule(Peer.anyIpv4(), Port.tcp(22), { allowPublicAccessToSensitivePort: 'yes' as never }));
    expect(err.code).toBe('SO_FORMAT');
    expect(err.message).toContain("'allowPublicAccessToSensitivePort' must be true or false");
  });
});

describe('servers and networks', () => {
  test('the same network twice is refused', () => {
    const { stack, host, net } = fresh();
    const err = errorOf(() => new Server(stack, 'Web', { ...host, networks: [net.network, net.network] }));
    expect(err.code).toBe('SO_CONFLICT');
    expect(err.message).toContain("test/Web: 'networks[1]' lists the same network twice");
  });

  test('an empty securityGroups list is refused', () => {
    const { stack, host } = fresh();
    const err = errorOf(() => new Server(stack, 'Web', { ...host, securityGroups: [] }));
    expect(err.code).toBe('SO_REQUIRED');
    expect(err.message).toContain("test/Web: 'securityGroups' must list at least one item");
  });

  test("user data over Nova's 64 KiB (base64) is refused", () => {
    const { stack, host } = fresh();
    const err = errorOf(() => new Server(stack, 'Web', { ...host, userData: UserData.custom('x'.repeat(50000)) }));
    expect(err.code).toBe('SO_RANGE');
    expect(err.message).toContain("test/Web: 'userData' must be at most 65535 bytes once base64-encoded");
  });

  test('a DNS server listed twice, and an empty allocation pool list, are refused', () => {
    const { stack } = fresh();
    const base = { externalNetworkName: 'public', cidr: '10.1.0.0/24' };
    expect(errorOf(() => new VirtualNetwork(stack, 'A', { ...base, dnsNameservers: ['9.9.9.9', '9.9.9.9'] })).message).toContain("'dnsNameservers' lists an address twice");
    expect(errorOf(() => new VirtualNetwork(stack, 'B', { ...base, allocationPools: [] })).code).toBe('SO_REQUIRED');
  });

  test('a floating IP pointed at a network the server is not on names the floating IP', () => {
    const { stack, host } = fresh();
    const web = new Server(stack, 'Web', host);
    const fip = new FloatingIp(stack, 'Ip', { externalNetworkName: 'public' });
    const err = errorOf(() => fip.associateWithServer(web, { network: Network.fromName(stack, 'Other', 'other') }));
    expect(err.code).toBe('SO_USAGE');
    expect(err.message).toContain("test/Ip: 'network' must be one of the networks of test/Web");
  });

  test('an existing floating IP must be IPv4', () => {
    const { stack } = fresh();
    const err = errorOf(() => FloatingIp.fromExisting(stack, 'Ip', { address: '2001:db8::10', floatingIpId: 'id' }));
    expect(err.code).toBe('SO_FORMAT');
    expect(err.message).toContain("test/Ip: 'address' must be an IPv4 address (floating IPs are IPv4)");
  });
});

describe('services', () => {
  test('a Trove user name longer than 16 characters is refused', () => {
    const { stack } = fresh();
    const err = errorOf(
      () =>
        new Database(stack, 'Db', {
          engine: DatabaseEngine.mysql({ version: '8.0.29' }),
          hosting: DatabaseHosting.trove({ flavor: Flavor.fromName('db.small'), volumeSizeGiB: 5, volumeType: TroveVolumeType.troveDefault('ssd') }),
          databaseName: 'app',
          username: 'a_rather_long_user',
        }),
    );
    expect(err.code).toBe('SO_CONFLICT');
    expect(err.message).toContain("test/Db: 'username' must be at most 16 characters with Trove hosting");
  });

  test('a Trove volume over 150 GiB renders to Terraform, and Heat refuses it', () => {
    // GIVEN a 200 GiB Trove database
    const { stack } = fresh();
    new Database(stack, 'Db', {
      engine: DatabaseEngine.mysql({ version: '8.0.29' }),
      hosting: DatabaseHosting.trove({ flavor: Flavor.fromId('42'), volumeSizeGiB: 200, volumeType: TroveVolumeType.troveDefault('ssd') }),
      databaseName: 'app',
      username: 'app',
    });
    // THEN Terraform writes the size, Heat (whose schema caps it at 150) refuses with a clear error
    expect(terraformOf(stack).resources('openstack_db_instance_v1').db.size).toBe(200);
    const err = errorOf(() => heatOf(stack));
    expect(err.code).toBe('SO_UNSUPPORTED');
    expect(err.message).toContain("test/Db: 'hosting.volumeSizeGiB' cannot be rendered to Heat: OS::Trove::Instance accepts a size of at most 150 GiB, got 200");
  });

  test('a service host image given as a string is refused', () => {
    const { stack, host } = fresh();
    const err = errorOf(() => new Cache(stack, 'Cache', { ...host, engine: CacheEngine.redis(), image: 'ubuntu' as never }));
    expect(err.code).toBe('SO_ENUM');
    expect(err.message).toContain("test/Cache: 'image' must be an Image");
  });

  test('a container flag given as a string is refused', () => {
    const { stack } = fresh();
    const err = errorOf(() => new ObjectContainer(stack, 'Files', { publicRead: 'yes' as never }));
    expect(err.code).toBe('SO_FORMAT');
    expect(err.message).toContain("test/Files: 'publicRead' must be true or false");
  });

  test('an output description is required', () => {
    const { stack } = fresh();
    const err = errorOf(() => stack.addOutput('x', { value: Value.literal(1) } as never));
    expect(err.code).toBe('SO_REQUIRED');
    expect(err.message).toContain("test: 'description' is required");
  });
});
