/**
 * What the hardening fuzz test feeds to each construct constructor and value-class factory:
 * a valid base, and per prop the boundary, malformed and wrong-typed values to try.
 */
import {
  AutoScalingGroup,
  CacheEngine,
  CloudConfig,
  Database,
  DatabaseEngine,
  DatabaseHosting,
  Duration,
  Flavor,
  FloatingIp,
  HealthMonitor,
  HealthMonitorType,
  HttpMethod,
  Image,
  KeyPair,
  LbAlgorithm,
  Listener,
  ListenerProtocol,
  LoadBalancer,
  LoadBalancerProvider,
  MessageQueue,
  Network,
  ObjectContainer,
  OpenStackRelease,
  Peer,
  Pool,
  PoolProtocol,
  Port,
  SecurityGroup,
  Server,
  ServerGroup,
  ServerGroupPolicy,
  SessionPersistence,
  Stack,
  Subnet,
  TroveVolumeType,
  UserData,
  Value,
  VirtualNetwork,
  Cache,
} from '../../src';
import { without } from './fuzz-kit';
import { bad, bools, CERT, Env, FLAVOR, IMAGE, ints, maybe, names, ok, OMITTED, Props, Spec, wholeProps, wrongForString, type Candidate } from './fuzz-kit';

/** Builds the subject in a fresh stack 'test' (fixtures in an `Env`). */
function inStack(make: (env: Env, p: Props) => void): Spec['build'] {
  return (app, props) => {
    const stack = new Stack(app, 'test');
    const env = new Env(stack);
    make(env, props(env));
    return stack;
  };
}

// --- OpenSSH public keys, deterministic (the validator checks the wire format, not the math) ---

function sshString(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}
const ED25519 = `ssh-ed25519 ${Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.alloc(32, 7))]).toString('base64')} fuzz@test`;
function rsaKey(bits: number): string {
  const n = Buffer.alloc(bits / 8, 0xab);
  n[0] = 0xc5;
  const blob = Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.from([1, 0, 1])), sshString(Buffer.concat([Buffer.from([0]), n]))]);
  return `ssh-rsa ${blob.toString('base64')}`;
}
const MISMATCHED = `ssh-ed25519 ${Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.alloc(32, 7))]).toString('base64')}`;

// --- shared candidate lists ---

const imageCandidates = (required = true): Candidate[] => [
  ok('Image.fromName', () => IMAGE()),
  ok('Image.fromId', () => Image.fromId('6f1c6a8e-3f4b-4d7e-9a0b-1c2d3e4f5a6b')),
  bad("Image.fromName('')", () => Image.fromName('')),
  bad("Image.fromName('  ')", () => Image.fromName('  ')),
  bad('Image.fromName(null)', () => Image.fromName(null as never)),
  bad('Image.fromName(42)', () => Image.fromName(42 as never)),
  bad('Image.fromName(256 chars)', () => Image.fromName('i'.repeat(256))),
  bad("Image.fromName('${x}')", () => Image.fromName('img-${x}')),
  bad("'ubuntu' (a string)", 'ubuntu'),
  bad('{}', () => ({})),
  bad('null', null),
  ...(required ? [bad('undefined', OMITTED)] : []),
];

const flavorCandidates = (): Candidate[] => [
  ok('Flavor.fromName', () => FLAVOR()),
  ok('Flavor.fromName, no spec', () => Flavor.fromName('m1.small')),
  ok('Flavor.fromId with max spec', () => Flavor.fromId('42', { vcpus: 1024, ramMiB: 2048 })),
  bad("Flavor.fromName('')", () => Flavor.fromName('')),
  bad('vcpus 0', () => Flavor.fromName('m1', { vcpus: 0 })),
  bad('vcpus 1025', () => Flavor.fromName('m1', { vcpus: 1025 })),
  bad('vcpus 1.5', () => Flavor.fromName('m1', { vcpus: 1.5 })),
  bad("vcpus '2'", () => Flavor.fromName('m1', { vcpus: '2' as never })),
  bad('vcpus NaN', () => Flavor.fromName('m1', { vcpus: NaN })),
  bad('ramMiB 0', () => Flavor.fromName('m1', { ramMiB: 0 })),
  bad('ramMiB -1', () => Flavor.fromName('m1', { ramMiB: -1 })),
  bad('spec null', () => Flavor.fromName('m1', null as never)),
  bad("'m1.small' (a string)", 'm1.small'),
  bad('null', null),
  bad('undefined', OMITTED),
];

const networksCandidates = (required = true): Candidate[] => [
  ok('[VirtualNetwork.network]', (env) => [env.net.network]),
  ok('[Network.fromName]', (env) => [env.importedNet]),
  ok('two networks', (env) => [env.net.network, env.importedNet]),
  bad('[]', () => []),
  bad('[null]', () => [null]),
  bad("['private']", () => ['private']),
  bad('[{}]', () => [{}]),
  bad('a network, not a list', (env) => env.net.network),
  bad('the same network twice', (env) => [env.net.network, env.net.network]),
  ok('[a subnet] (a VirtualNetwork subnet is also its network)', (env) => [env.net.subnet]),
  bad('null', null),
  ...(required ? [bad('undefined', OMITTED)] : []),
];

const keyPairCandidates = (): Candidate[] => [
  ok('omitted', OMITTED),
  ok('KeyPair.fromName', (env) => KeyPair.fromName(env.stack, 'Key', 'ops')),
  ok('new KeyPair', (env) => new KeyPair(env.stack, 'Kp', { publicKey: ED25519 })),
  bad("'ops' (a string)", 'ops'),
  bad('{}', () => ({})),
  bad('null', null),
];

/** The props every service with a server of its own shares (image, flavor, networks, keyName, keyPair). */
const hostCandidates = (): Record<string, Candidate[]> => ({
  image: imageCandidates(),
  flavor: flavorCandidates(),
  networks: networksCandidates(),
  keyName: names(),
  keyPair: keyPairCandidates(),
});

/** Who a service lets in on its default port. */
const allowFromCandidates = (publicOk: boolean): Candidate[] => [
  ok('nobody', 'none'),
  (publicOk ? ok : bad)('the web server', 'web'),
  bad('the whole internet (sensitive port)', 'any'),
  bad('null', 'null'),
];
function applyAllowFrom(env: Env, service: { connections: { allowDefaultPortFrom(o: never): void } }, who: unknown): void {
  if (who === 'web') service.connections.allowDefaultPortFrom(env.web as never);
  if (who === 'any') service.connections.allowDefaultPortFrom(Peer.anyIpv4() as never);
  if (who === 'null') service.connections.allowDefaultPortFrom(null as never);
}

const PEERS: Candidate[] = [
  ok('10.0.0.0/8', () => Peer.ipv4('10.0.0.0/8')),
  ok('203.0.113.7/32', () => Peer.ipv4('203.0.113.7/32')),
  ok('anyIpv4', () => Peer.anyIpv4()),
  ok('0.0.0.0/1', () => Peer.ipv4('0.0.0.0/1')),
  ok('2001:db8::/32', () => Peer.ipv6('2001:db8::/32')),
  ok('anyIpv6', () => Peer.anyIpv6()),
  ok("ipv6('0::/0')", () => Peer.ipv6('0::/0')),
  ok('another group', (env) => Peer.securityGroup(env.otherSg)),
  ok('an imported group', (env) => Peer.securityGroup(SecurityGroup.fromId(env.stack, 'ImportedSg', '5b1e8f2c-8d0a-4a4e-9e55-0f1f2a3b4c5d'))),
  bad('host bits set', () => Peer.ipv4('10.0.0.1/24')),
  bad('/33', () => Peer.ipv4('10.0.0.0/33')),
  bad("'banana'", () => Peer.ipv4('banana')),
  bad("ipv4('')", () => Peer.ipv4('')),
  bad("ipv4('   ')", () => Peer.ipv4('   ')),
  bad('ipv4(null)', () => Peer.ipv4(null as never)),
  bad('ipv4(42)', () => Peer.ipv4(42 as never)),
  bad("ipv4('::/0')", () => Peer.ipv4('::/0')),
  bad('leading zero octet', () => Peer.ipv4('010.0.0.0/8')),
  bad('leading zero prefix', () => Peer.ipv4('10.0.0.0/08')),
  bad('trailing space', () => Peer.ipv4('10.0.0.0/24 ')),
  bad("ipv6('10.0.0.0/8')", () => Peer.ipv6('10.0.0.0/8')),
  bad('IPv6 host bits set', () => Peer.ipv6('2001:db8::1/32')),
  bad("ipv6(':::/0')", () => Peer.ipv6(':::/0')),
  bad('/129', () => Peer.ipv6('2001:db8::/129')),
  bad('securityGroup(null)', () => Peer.securityGroup(null as never)),
  bad("securityGroup('sg')", () => Peer.securityGroup('sg-123' as never)),
  bad("'10.0.0.0/8' (a string)", '10.0.0.0/8'),
  bad('{}', () => ({})),
  bad('null', null),
  bad('undefined', OMITTED),
];

const PORTS: Candidate[] = [
  ok('tcp 1', () => Port.tcp(1)),
  ok('tcp 65535', () => Port.tcp(65535)),
  ok('tcp 443', () => Port.tcp(443)),
  ok('tcp 22', () => Port.tcp(22)),
  ok('tcp 5432', () => Port.tcp(5432)),
  ok('udp 53', () => Port.udp(53)),
  ok('tcp 8000-8100', () => Port.tcpRange(8000, 8100)),
  ok('tcp 1-1', () => Port.tcpRange(1, 1)),
  ok('udp 1000-2000', () => Port.udpRange(1000, 2000)),
  ok('icmp', () => Port.icmp()),
  ok('icmp 8/0', () => Port.icmpType(8, 0)),
  ok('icmp 255/255', () => Port.icmpType(255, 255)),
  ok('gre', () => Port.ipProtocol('gre')),
  ok('allTcp', () => Port.allTcp()),
  ok('allTraffic', () => Port.allTraffic()),
  maybe('ipv6-icmp', () => Port.ipProtocol('ipv6-icmp')),
  bad('tcp 0', () => Port.tcp(0)),
  bad('tcp -1', () => Port.tcp(-1)),
  bad('tcp 65536', () => Port.tcp(65536)),
  bad('tcp NaN', () => Port.tcp(NaN)),
  bad('tcp Infinity', () => Port.tcp(Infinity)),
  bad('tcp 1.5', () => Port.tcp(1.5)),
  bad("tcp '80'", () => Port.tcp('80' as never)),
  bad('tcp null', () => Port.tcp(null as never)),
  bad('tcp undefined', () => Port.tcp(undefined as never)),
  bad('reversed range', () => Port.tcpRange(9000, 8000)),
  bad('range from 0', () => Port.tcpRange(0, 10)),
  bad('udp range to 70000', () => Port.udpRange(1, 70000)),
  bad('icmp type 256', () => Port.icmpType(256, 0)),
  bad('icmp code -1', () => Port.icmpType(8, -1)),
  bad('icmp type NaN', () => Port.icmpType(NaN, 0)),
  bad('icmp code 1.5', () => Port.icmpType(8, 1.5)),
  bad("ipProtocol('tcpx')", () => Port.ipProtocol('tcpx')),
  bad("ipProtocol('')", () => Port.ipProtocol('')),
  bad('ipProtocol(null)', () => Port.ipProtocol(null as never)),
  bad("ipProtocol('tcp') (no port)", () => Port.ipProtocol('tcp')),
  bad("ipProtocol('TCP')", () => Port.ipProtocol('TCP')),
  bad('80 (a number)', 80),
  bad("'tcp/80'", 'tcp/80'),
  bad('{}', () => ({})),
  bad('null', null),
  bad('undefined', OMITTED),
];

const durations = (): Candidate[] => [
  ok('omitted', OMITTED),
  maybe('1 s', () => Duration.seconds(1)),
  maybe('5 s', () => Duration.seconds(5)),
  maybe('10 s', () => Duration.seconds(10)),
  maybe('1 min', () => Duration.minutes(1)),
  maybe('1 h', () => Duration.hours(1)),
  maybe('2^31-1 s', () => Duration.seconds(2147483647)),
  bad('0 s', () => Duration.seconds(0)),
  bad('-1 s', () => Duration.seconds(-1)),
  bad('NaN s', () => Duration.seconds(NaN)),
  bad('Infinity s', () => Duration.seconds(Infinity)),
  bad('1.5 s', () => Duration.seconds(1.5)),
  bad("'10' s", () => Duration.seconds('10' as never)),
  bad('1e9 h', () => Duration.hours(1e9)),
  bad('10 (a number)', 10),
  bad("'10s'", '10s'),
  bad('null', null),
  bad('{}', () => ({})),
];

// --- the specs ---

export const SPECS: Spec[] = [
  {
    name: 'SecurityGroup rules (Port, Peer)',
    subject: 'test/Subject',
    knownProps: ['props', 'securityGroupName', 'description', 'allowAllOutbound', 'peer', 'port', 'options', 'allowPublicAccessToSensitivePort'],
    props: {
      __props: wholeProps(true),
      securityGroupName: names(),
      description: names(),
      allowAllOutbound: bools(),
      peer: PEERS,
      port: PORTS,
      ruleOptions: [
        ok('omitted', OMITTED),
        ok('null', null),
        ok('a description', () => ({ description: 'from the admin network' })),
        ok('allowPublicAccessToSensitivePort', () => ({ allowPublicAccessToSensitivePort: true })),
        bad("description ''", () => ({ description: '' })),
        bad('description 256 chars', () => ({ description: 'd'.repeat(256) })),
        bad('description 42', () => ({ description: 42 })),
        bad("description '${x}'", () => ({ description: '${x}' })),
        bad("allowPublic 'yes'", () => ({ allowPublicAccessToSensitivePort: 'yes' })),
        bad('allowPublic 1', () => ({ allowPublicAccessToSensitivePort: 1 })),
        bad("'x'", 'x'),
        bad('42', 42),
      ],
      direction: [ok('ingress', 'ingress'), ok('egress', 'egress'), ok('both', 'both')],
    },
    base: () => ({ peer: Peer.ipv4('10.0.0.0/8'), port: Port.tcp(443), direction: 'ingress' }),
    build: inStack((env, p) => {
      const sg = new SecurityGroup(env.stack, 'Subject', without(p, ['peer', 'port', 'direction', 'ruleOptions']));
      if (!p || typeof p !== 'object' || !('direction' in p)) return; // the whole props were replaced
      if (p?.direction !== 'egress') sg.addIngressRule(p?.peer, p?.port, p?.ruleOptions);
      if (p?.direction !== 'ingress') sg.addEgressRule(p?.peer, p?.port, p?.ruleOptions);
    }),
  },
  {
    name: 'Server',
    unknownKeys: ['imgae', 'securityGroup', 'userdata', 'keyname'],
    polluted: [['securityGroups', 'polluted'], ['userData', 'polluted'], ['keyName', 42], ['serverName', 42], ['metadata', 'polluted']],
    subject: 'test/Subject',
    knownProps: ['props', 'image', 'flavor', 'networks', 'keyName', 'keyPair', 'serverGroup', 'bootVolume', 'securityGroups', 'userData', 'metadata', 'serverName'],
    props: {
      __props: wholeProps(false),
      image: imageCandidates(),
      flavor: flavorCandidates(),
      networks: networksCandidates(),
      keyName: names({ extraOk: ['ops'] }),
      keyPair: keyPairCandidates(),
      serverGroup: [
        ok('omitted', OMITTED),
        ok('new ServerGroup', (env) => new ServerGroup(env.stack, 'Group', { policy: ServerGroupPolicy.antiAffinity() })),
        ok('ServerGroup.fromId', (env) => ServerGroup.fromId(env.stack, 'GroupRef', '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d')),
        bad("'group' (a string)", 'group'),
        bad('{}', () => ({})),
        bad('null', null),
      ],
      bootVolume: [
        ok('omitted', OMITTED),
        ok('1 GiB', () => ({ sizeGiB: 1 })),
        ok('16384 GiB, kept', () => ({ sizeGiB: 16384, deleteOnTermination: false })),
        ok('20 GiB ssd', () => ({ sizeGiB: 20, volumeType: 'ssd' })),
        ok('20 GiB ssd, kept', () => ({ sizeGiB: 20, volumeType: 'ssd', deleteOnTermination: false })),
        bad('0 GiB', () => ({ sizeGiB: 0 })),
        bad('16385 GiB', () => ({ sizeGiB: 16385 })),
        bad('NaN GiB', () => ({ sizeGiB: NaN })),
        bad("'20' GiB", () => ({ sizeGiB: '20' })),
        bad('no size', () => ({})),
        bad("volumeType ''", () => ({ sizeGiB: 20, volumeType: '' })),
        bad("deleteOnTermination 'no'", () => ({ sizeGiB: 20, deleteOnTermination: 'no' })),
        bad('null', null),
        bad('20 (a number)', 20),
      ],
      securityGroups: [
        ok('omitted', OMITTED),
        ok('[new SecurityGroup]', (env) => [env.otherSg]),
        ok('[SecurityGroup.fromName]', (env) => [SecurityGroup.fromName(env.stack, 'Default', 'default')]),
        bad('[]', () => []),
        bad('[null]', () => [null]),
        bad("['sg']", () => ['sg']),
        bad("'sg'", 'sg'),
        bad('null', null),
      ],
      userData: [
        ok('omitted', OMITTED),
        ok('shell script', () => UserData.forShellScript('echo ${HOME} %{x}')),
        ok('cloud-config', () => UserData.forCloudConfig(new CloudConfig().addPackages('nginx'))),
        ok('40000 bytes', () => UserData.custom('x'.repeat(40000))),
        bad('60000 bytes', () => UserData.custom('x'.repeat(60000))),
        bad('custom(null)', () => UserData.custom(null as never)),
        bad('custom(42)', () => UserData.custom(42 as never)),
        bad("'#!/bin/sh' (a string)", '#!/bin/sh\necho hi'),
        bad('{}', () => ({})),
        bad('null', null),
      ],
      metadata: [
        ok('omitted', OMITTED),
        ok('{}', () => ({})),
        ok('{ role: web }', () => ({ role: 'web' })),
        ok('255-char value', () => ({ k: 'v'.repeat(255) })),
        ok('120 keys', () => Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`k${i}`, 'v']))),
        bad('121 keys', () => Object.fromEntries(Array.from({ length: 121 }, (_, i) => [`k${i}`, 'v']))),
        bad('a number value', () => ({ role: 5 })),
        bad('an empty key', () => ({ '': 'x' })),
        bad('a reserved key', () => ({ scaleout_stack: 'x' })),
        bad('256-char value', () => ({ k: 'v'.repeat(256) })),
        bad("'${x}' value", () => ({ k: '${x}' })),
        bad("'role=web' (a string)", 'role=web'),
        bad('[]', () => []),
        bad('null', null),
      ],
      serverName: names(),
    },
    base: (env) => env.host,
    build: inStack((env, p) => {
      new Server(env.stack, 'Subject', p);
    }),
  },
  {
    name: 'VirtualNetwork',
    unknownKeys: ['cidrs', 'enableDHCP', 'gatewayIP'],
    polluted: [['enableDhcp', 'polluted'], ['gatewayIp', 'polluted'], ['networkName', 42]],
    subject: 'test/Subject',
    knownProps: ['props', 'externalNetworkName', 'cidr', 'networkName', 'dnsNameservers', 'gatewayIp', 'enableDhcp', 'allocationPools'],
    props: {
      __props: wholeProps(false),
      externalNetworkName: names({ required: true }),
      cidr: [
        ok('10.0.0.0/24', '10.0.0.0/24'),
        ok('192.168.0.0/16', '192.168.0.0/16'),
        ok('10.0.0.0/8', '10.0.0.0/8'),
        ok('172.16.0.0/29', '172.16.0.0/29'),
        bad('/30', '10.0.0.0/30'),
        bad('/7', '10.0.0.0/7'),
        bad('0.0.0.0/0', '0.0.0.0/0'),
        bad('host bits set', '10.0.0.1/24'),
        bad('IPv6', '2001:db8::/64'),
        bad('no prefix', '10.0.0.0'),
        bad('trailing space', '10.0.0.0/24 '),
        bad("''", ''),
        bad('null', null),
        bad('42', 42),
        bad('undefined', OMITTED),
      ],
      networkName: names({ max: 248 }),
      dnsNameservers: [
        ok('omitted', OMITTED),
        ok('[]', () => []),
        ok('one IPv4', () => ['9.9.9.9']),
        ok('one IPv6', () => ['2620:fe::fe']),
        ok('five', () => ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4', '9.9.9.9']),
        bad('six', () => ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4', '9.9.9.9', '149.112.112.112']),
        bad("['9.9.9']", () => ['9.9.9']),
        bad('[null]', () => [null]),
        bad('[undefined]', () => [undefined]),
        bad('a duplicate', () => ['9.9.9.9', '9.9.9.9']),
        bad("'9.9.9.9' (not a list)", '9.9.9.9'),
        bad('null', null),
      ],
      gatewayIp: [
        ok('omitted', OMITTED),
        maybe('10.0.0.1', '10.0.0.1'),
        maybe('10.0.0.6', '10.0.0.6'),
        bad('network address', '10.0.0.0'),
        bad('8.8.8.8 (outside)', '8.8.8.8'),
        bad('10.0.0.300', '10.0.0.300'),
        bad('IPv6', 'fe80::1'),
        bad("''", ''),
        bad('42', 42),
        bad('null', null),
      ],
      enableDhcp: bools(),
      allocationPools: [
        ok('omitted', OMITTED),
        maybe('one pool', () => [{ start: '10.0.0.2', end: '10.0.0.5' }]),
        maybe('two pools', () => [{ start: '10.0.0.2', end: '10.0.0.3' }, { start: '10.0.0.4', end: '10.0.0.5' }]),
        maybe('holding .1', () => [{ start: '10.0.0.1', end: '10.0.0.5' }]),
        bad('[]', () => []),
        bad('{}', () => ({})),
        bad("'x'", 'x'),
        bad('[null]', () => [null]),
        bad('reversed', () => [{ start: '10.0.0.5', end: '10.0.0.2' }]),
        bad('no end', () => [{ start: '10.0.0.2' }]),
        bad('not addresses', () => [{ start: 'a', end: 'b' }]),
        bad('overlapping', () => [{ start: '10.0.0.2', end: '10.0.0.4' }, { start: '10.0.0.3', end: '10.0.0.5' }]),
        bad('network address', () => [{ start: '10.0.0.0', end: '10.0.0.5' }]),
        bad('null', null),
      ],
    },
    base: () => ({ externalNetworkName: 'public', cidr: '10.0.0.0/24' }),
    build: inStack((env, p) => {
      new VirtualNetwork(env.stack, 'Subject', p);
    }),
  },
  {
    name: 'Network.fromName / fromId',
    subject: 'test/Subject',
    knownProps: ['networkName', 'networkId'],
    props: {
      factory: [ok('fromName', 'fromName'), ok('fromId', 'fromId')],
      value: names({ required: true }),
    },
    base: () => ({ factory: 'fromName', value: 'private' }),
    build: inStack((env, p) => {
      const net = p.factory === 'fromId' ? Network.fromId(env.stack, 'Subject', p.value) : Network.fromName(env.stack, 'Subject', p.value);
      new Server(env.stack, 'Web', { image: IMAGE(), flavor: FLAVOR(), networks: [net] });
    }),
  },
  {
    name: 'Subnet.fromName / fromId',
    subject: 'test/Subject',
    knownProps: ['subnetName', 'subnetId', 'network'],
    props: {
      factory: [ok('fromName', 'fromName'), ok('fromId', 'fromId')],
      value: names({ required: true }),
      network: [
        ok('omitted', OMITTED),
        ok('Network.fromName', (env) => env.importedNet),
        ok('VirtualNetwork.network', (env) => env.net.network),
        bad("'private' (a string)", 'private'),
        ok('a VirtualNetwork subnet (also its network)', (env) => env.net.subnet),
        bad('{}', () => ({})),
        bad('null', null),
      ],
    },
    base: (env) => ({ factory: 'fromId', value: '0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a', network: env.importedNet }),
    build: inStack((env, p) => {
      const subnet = p.factory === 'fromId' ? Subnet.fromId(env.stack, 'Subject', p.value, p.network) : Subnet.fromName(env.stack, 'Subject', p.value, p.network);
      new LoadBalancer(env.stack, 'Lb', { vipSubnet: subnet, memberAccessPeer: Peer.ipv4('10.0.0.0/24') });
      new Server(env.stack, 'Web', { image: IMAGE(), flavor: FLAVOR(), networks: [subnet.network] });
    }),
  },
  {
    name: 'FloatingIp',
    unknownKeys: ['externalNetwork'],
    polluted: [['externalNetworkName', 42]],
    subject: 'test/Subject',
    knownProps: ['props', 'externalNetworkName', 'target', 'server', 'options', 'network', 'associateWith'],
    props: {
      __props: wholeProps(false),
      externalNetworkName: names({ required: true }),
      target: [
        ok('none', 'none'),
        ok('a server', 'server'),
        ok("a server's network", 'server-network'),
        ok('a load balancer', 'lb'),
        bad("'web' (a string)", 'string'),
        bad('null', 'null'),
        bad('a network the server is not on', 'server-other-network'),
        bad("options 'x'", 'server-options-string'),
        bad('a subnet', 'subnet'),
        bad('two targets', 'twice'),
        bad("a port another floating IP points at", 'taken'),
      ],
    },
    base: () => ({ externalNetworkName: 'public', target: 'none' }),
    build: inStack((env, p) => {
      const fip = new FloatingIp(env.stack, 'Subject', without(p, ['target']));
      associate(env, fip, p?.target);
    }),
  },
  {
    name: 'FloatingIp.fromExisting',
    subject: 'test/Subject',
    knownProps: ['props', 'address', 'floatingIpId', 'target', 'server', 'options', 'network', 'associateWith'],
    props: {
      __props: wholeProps(false),
      address: [
        ok('203.0.113.10', '203.0.113.10'),
        bad('IPv6', '2001:db8::10'),
        bad('203.0.113.300', '203.0.113.300'),
        bad("''", ''),
        bad('null', null),
        bad('42', 42),
        bad('undefined', OMITTED),
      ],
      floatingIpId: names({ required: true }),
      target: [ok('none', 'none'), ok('a server', 'server'), ok('a load balancer', 'lb'), bad('null', 'null'), bad('two targets', 'twice')],
    },
    base: () => ({ address: '203.0.113.10', floatingIpId: '9c8b7a6f-5e4d-4c3b-8a1f-0e9d8c7b6a5f', target: 'server' }),
    build: inStack((env, p) => {
      const fip = FloatingIp.fromExisting(env.stack, 'Subject', without(p, ['target']));
      associate(env, fip, p?.target);
    }),
  },
  {
    name: 'KeyPair',
    unknownKeys: ['publickey', 'keyName'],
    polluted: [['keyPairName', 42]],
    subject: 'test/Subject',
    knownProps: ['props', 'publicKey', 'keyPairName'],
    props: {
      __props: wholeProps(false),
      publicKey: [
        ok('ed25519', ED25519),
        ok('ed25519 with spaces and newline around', `  ${ED25519}\n`),
        ok('rsa 2048', rsaKey(2048)),
        ok('rsa 4096', rsaKey(4096)),
        bad('rsa 1024', rsaKey(1024)),
        bad("''", ''),
        bad("'   '", '   '),
        bad('ssh-dss', 'ssh-dss AAAAB3NzaC1kc3MAAACBAP'),
        bad('garbage body', 'ssh-ed25519 !!!notbase64'),
        bad('type mismatch', MISMATCHED),
        bad('a private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'),
        bad('two lines', `${ED25519}\n${ED25519}`),
        bad('no body', 'ssh-ed25519'),
        ...wrongForString(),
        bad('undefined', OMITTED),
      ],
      keyPairName: names({ free: false, spaces: true, extraOk: ['my key_1-a'], extraBad: ['a.b', 'a/b'] }),
    },
    base: () => ({ publicKey: ED25519 }),
    build: inStack((env, p) => {
      const key = new KeyPair(env.stack, 'Subject', p);
      new Server(env.stack, 'Web', { ...env.host, keyPair: key });
    }),
  },
  {
    name: 'KeyPair.fromName',
    subject: 'test/Subject',
    knownProps: ['keyPairName'],
    props: { value: names({ required: true }) },
    base: () => ({ value: 'ops' }),
    build: inStack((env, p) => {
      new Server(env.stack, 'Web', { ...env.host, keyPair: KeyPair.fromName(env.stack, 'Subject', p.value) });
    }),
  },
  {
    name: 'ServerGroup',
    unknownKeys: ['polcy', 'name'],
    polluted: [['serverGroupName', 42]],
    subject: 'test/Subject',
    knownProps: ['props', 'policy', 'serverGroupName'],
    props: {
      __props: wholeProps(false),
      policy: [
        ok('antiAffinity()', () => ServerGroupPolicy.antiAffinity()),
        ok('antiAffinity(null)', () => ServerGroupPolicy.antiAffinity(null as never)),
        ok('maxServerPerHost 1', () => ServerGroupPolicy.antiAffinity({ maxServerPerHost: 1 })),
        ok('maxServerPerHost 1000', () => ServerGroupPolicy.antiAffinity({ maxServerPerHost: 1000 })),
        ok('softAntiAffinity', () => ServerGroupPolicy.softAntiAffinity()),
        ok('affinity', () => ServerGroupPolicy.affinity()),
        ok('softAffinity', () => ServerGroupPolicy.softAffinity()),
        bad('maxServerPerHost 0', () => ServerGroupPolicy.antiAffinity({ maxServerPerHost: 0 })),
        bad('maxServerPerHost 1001', () => ServerGroupPolicy.antiAffinity({ maxServerPerHost: 1001 })),
        bad('maxServerPerHost NaN', () => ServerGroupPolicy.antiAffinity({ maxServerPerHost: NaN })),
        bad('maxServerPerHost 1.5', () => ServerGroupPolicy.antiAffinity({ maxServerPerHost: 1.5 })),
        bad("maxServerPerHost '2'", () => ServerGroupPolicy.antiAffinity({ maxServerPerHost: '2' as never })),
        bad("'anti-affinity' (a string)", 'anti-affinity'),
        bad('a look-alike object', () => ({ name: 'anti-affinity' })),
        bad('null', null),
        bad('undefined', OMITTED),
      ],
      serverGroupName: names(),
    },
    base: () => ({ policy: ServerGroupPolicy.antiAffinity() }),
    build: inStack((env, p) => {
      const group = new ServerGroup(env.stack, 'Subject', p);
      new Server(env.stack, 'Web', { ...env.host, serverGroup: group });
    }),
  },
  {
    name: 'ServerGroup.fromId',
    subject: 'test/Subject',
    knownProps: ['serverGroupId'],
    props: { value: names({ required: true }) },
    base: () => ({ value: '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d' }),
    build: inStack((env, p) => {
      new Server(env.stack, 'Web', { ...env.host, serverGroup: ServerGroup.fromId(env.stack, 'Subject', p.value) });
    }),
  },
  {
    name: 'LoadBalancer',
    unknownKeys: ['vipSubnets', 'provder'],
    polluted: [['vipAddress', 'polluted'], ['provider', 'polluted'], ['loadBalancerName', 42]],
    subject: 'test/Subject',
    knownProps: ['props', 'vipSubnet', 'vipAddress', 'provider', 'flavorName', 'memberAccessPeer', 'loadBalancerName', 'description'],
    props: {
      __props: wholeProps(false),
      vipSubnet: [
        ok('VirtualNetwork.subnet', (env) => env.net.subnet),
        ok('Subnet.fromId with network', (env) => Subnet.fromId(env.stack, 'Sub', '0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a', env.importedNet)),
        bad('a network', (env) => env.net.network),
        bad("'subnet' (a string)", 'subnet'),
        bad('{}', () => ({})),
        bad('null', null),
        bad('undefined', OMITTED),
      ],
      vipAddress: [
        ok('omitted', OMITTED),
        ok('10.0.0.10', '10.0.0.10'),
        maybe('10.0.1.10 (outside the base subnet)', '10.0.1.10'),
        maybe('10.0.0.255 (broadcast of the base subnet)', '10.0.0.255'),
        maybe('2001:db8::10', '2001:db8::10'),
        bad('10.0.0.300', '10.0.0.300'),
        bad("''", ''),
        bad('42', 42),
        bad('null', null),
      ],
      provider: [
        ok('omitted', OMITTED),
        ok('AMPHORA', () => LoadBalancerProvider.AMPHORA),
        ok('OVN', () => LoadBalancerProvider.OVN),
        ok("of('octavia')", () => LoadBalancerProvider.of('octavia')),
        bad("of('')", () => LoadBalancerProvider.of('')),
        bad("of('a b')", () => LoadBalancerProvider.of('a b')),
        bad('of(null)', () => LoadBalancerProvider.of(null as never)),
        bad("'amphora' (a string)", 'amphora'),
        bad('{}', () => ({})),
        bad('null', null),
      ],
      flavorName: names(),
      memberAccessPeer: [
        ok('omitted', OMITTED),
        ok('10.0.0.0/24', () => Peer.ipv4('10.0.0.0/24')),
        ok('anyIpv4', () => Peer.anyIpv4()),
        bad('malformed', () => Peer.ipv4('10.0.0.0/33')),
        bad("'10.0.0.0/24' (a string)", '10.0.0.0/24'),
        bad('null', null),
      ],
      loadBalancerName: names(),
      description: names(),
    },
    base: (env) => ({ vipSubnet: env.net.subnet }),
    build: inStack((env, p) => {
      const lb = new LoadBalancer(env.stack, 'Subject', p);
      lb.addListener('Tcp', { protocol: ListenerProtocol.TCP, port: 443 });
    }),
  },
  {
    name: 'Listener',
    unknownKeys: ['allowedCidr', 'connectionlimit', 'allowPublicAccessToSensitivePorts'],
    polluted: [['allowedCidrs', 'polluted'], ['allowPublicAccessToSensitivePort', 'yes'], ['connectionLimit', 'polluted']],
    subject: 'test/Subject',
    knownProps: ['props', 'loadBalancer', 'protocol', 'port', 'connectionLimit', 'allowedCidrs', 'allowPublicAccessToSensitivePort', 'listenerName', 'description'],
    props: {
      __props: wholeProps(false),
      loadBalancer: [
        ok('a load balancer', (env) => env.lb),
        maybe('an OVN load balancer', (env) => env.lbOvn),
        bad("'lb' (a string)", 'lb'),
        bad('a network', (env) => env.net),
        bad('null', null),
        bad('undefined', OMITTED),
      ],
      protocol: [
        ok('HTTP', () => ListenerProtocol.HTTP),
        ok('HTTPS', () => ListenerProtocol.HTTPS),
        ok('TCP', () => ListenerProtocol.TCP),
        ok('UDP', () => ListenerProtocol.UDP),
        ok('TERMINATED_HTTPS', () => ListenerProtocol.terminatedHttps(CERT)),
        bad("terminatedHttps('my-cert')", () => ListenerProtocol.terminatedHttps('my-cert')),
        bad("terminatedHttps('')", () => ListenerProtocol.terminatedHttps('')),
        bad('terminatedHttps(null)', () => ListenerProtocol.terminatedHttps(null as never)),
        bad("terminatedHttps('${x}')", () => ListenerProtocol.terminatedHttps('https://x/${a}')),
        bad("'HTTP' (a string)", 'HTTP'),
        bad('{}', () => ({})),
        bad('null', null),
        bad('undefined', OMITTED),
      ],
      port: [
        ...ints(1, 65535, true),
        maybe('80 (taken by another listener when TCP/HTTP)', 80),
        maybe('22 (SSH: refused from anywhere)', 22),
        maybe('3306 (MySQL: refused from anywhere)', 3306),
        maybe('6379 (Redis: refused from anywhere)', 6379),
      ],
      allowPublicAccessToSensitivePort: bools(),
      connectionLimit: ints(1, 2147483647),
      allowedCidrs: [
        ok('omitted', OMITTED),
        ok('one block', () => ['203.0.113.0/24']),
        ok('anywhere', () => ['0.0.0.0/0']),
        ok('two blocks', () => ['10.0.0.0/8', '192.168.0.0/16']),
        maybe('IPv6 (the base VIP is IPv4)', () => ['2001:db8::/32']),
        bad('[]', () => []),
        bad('host bits set', () => ['10.0.0.1/24']),
        bad('[null]', () => [null]),
        bad('[undefined]', () => [undefined]),
        bad('a duplicate', () => ['10.0.0.0/8', '10.0.0.0/8']),
        bad("'10.0.0.0/8' (not a list)", '10.0.0.0/8'),
        bad('null', null),
      ],
      listenerName: names(),
      description: names(),
    },
    base: (env) => ({ loadBalancer: env.lb, protocol: ListenerProtocol.HTTP, port: 8080 }),
    build: inStack((env, p) => {
      env.lb.addListener('Existing', { protocol: ListenerProtocol.HTTP, port: 80 });
      new Listener(env.stack, 'Subject', p);
    }),
  },
  {
    name: 'Pool (and addMember)',
    subject: 'test/Subject',
    knownProps: ['props', 'listener', 'protocol', 'algorithm', 'sessionPersistence', 'memberSubnet', 'poolName', 'description', 'server', 'port', 'weight', 'options', 'addMember'],
    props: {
      __props: wholeProps(false),
      listener: [
        ok('HTTP listener', (env) => env.listener('HTTP')),
        maybe('HTTPS listener', (env) => env.listener('HTTPS')),
        maybe('TCP listener', (env) => env.listener('TCP')),
        maybe('UDP listener', (env) => env.listener('UDP')),
        maybe('TERMINATED_HTTPS listener', (env) => env.listener('TERMINATED_HTTPS')),
        bad("'l' (a string)", 'l'),
        bad('a load balancer', (env) => env.lb),
        bad('{}', () => ({})),
        bad('null', null),
        bad('undefined', OMITTED),
      ],
      protocol: [
        ok('omitted', OMITTED),
        ok('HTTP', () => PoolProtocol.HTTP),
        ok('PROXY', () => PoolProtocol.PROXY),
        maybe('HTTPS', () => PoolProtocol.HTTPS),
        maybe('TCP', () => PoolProtocol.TCP),
        maybe('UDP', () => PoolProtocol.UDP),
        bad("'HTTP' (a string)", 'HTTP'),
        bad('{}', () => ({})),
        bad('null', null),
      ],
      algorithm: [
        ok('omitted', OMITTED),
        ok('ROUND_ROBIN', () => LbAlgorithm.ROUND_ROBIN),
        ok('LEAST_CONNECTIONS', () => LbAlgorithm.LEAST_CONNECTIONS),
        ok('SOURCE_IP', () => LbAlgorithm.SOURCE_IP),
        bad("SOURCE_IP_PORT (the listener's load balancer has the default provider, checked as amphora)", () => LbAlgorithm.SOURCE_IP_PORT),
        bad("'ROUND_ROBIN' (a string)", 'ROUND_ROBIN'),
        bad('null', null),
      ],
      sessionPersistence: [
        ok('omitted', OMITTED),
        ok('sourceIp', () => SessionPersistence.sourceIp()),
        maybe('httpCookie', () => SessionPersistence.httpCookie()),
        maybe("appCookie('JSESSIONID')", () => SessionPersistence.appCookie('JSESSIONID')),
        bad("appCookie('')", () => SessionPersistence.appCookie('')),
        bad("appCookie('a b')", () => SessionPersistence.appCookie('a b')),
        bad('appCookie(null)', () => SessionPersistence.appCookie(null as never)),
        bad('appCookie(256 chars)', () => SessionPersistence.appCookie('c'.repeat(256))),
        bad("'SOURCE_IP' (a string)", 'SOURCE_IP'),
        bad('{}', () => ({})),
        bad('null', null),
      ],
      memberSubnet: [
        ok('omitted', OMITTED),
        ok('VirtualNetwork.subnet', (env) => env.net.subnet),
        bad("'subnet' (a string)", 'subnet'),
        bad('a network', (env) => env.net.network),
        bad('null', null),
      ],
      poolName: names(),
      description: names(),
      members: [
        ok('none', () => []),
        ok('web on 8080', (env) => [[env.web, 8080]]),
        ok('web on 1 with weight 0', (env) => [[env.web, 1, { weight: 0 }]]),
        ok('two servers, weight 256', (env) => [[env.web, 8080], [env.web2, 65535, { weight: 256 }]]),
        ok('options null', (env) => [[env.web, 8080, null]]),
        maybe('weight -0', (env) => [[env.web, 8080, { weight: -0 }]]),
        bad('port 0', (env) => [[env.web, 0]]),
        bad('port 65536', (env) => [[env.web, 65536]]),
        bad("port '80'", (env) => [[env.web, '80']]),
        bad('port undefined', (env) => [[env.web, undefined]]),
        bad('weight -1', (env) => [[env.web, 80, { weight: -1 }]]),
        bad('weight 257', (env) => [[env.web, 80, { weight: 257 }]]),
        bad('weight 1.5', (env) => [[env.web, 80, { weight: 1.5 }]]),
        bad("options 'heavy'", (env) => [[env.web, 80, 'heavy']]),
        bad('server null', () => [[null, 80]]),
        bad("server 'web'", () => [['web', 80]]),
        bad('the same member twice', (env) => [[env.web, 80], [env.web, 80]]),
      ],
    },
    base: (env) => ({ listener: env.listener('HTTP'), members: [] }),
    build: inStack((env, p) => {
      const pool = new Pool(env.stack, 'Subject', without(p, ['members']));
      for (const [server, port, options] of p?.members ?? []) pool.addMember(server, port, options);
    }),
  },
  {
    name: 'HealthMonitor',
    unknownKeys: ['maxRetry', 'urlpath', 'expectedCode'],
    polluted: [['urlPath', 42], ['expectedCodes', 42], ['maxRetriesDown', 'polluted']],
    subject: 'test/Subject',
    knownProps: ['props', 'pool', 'type', 'delay', 'timeout', 'maxRetries', 'maxRetriesDown', 'urlPath', 'expectedCodes', 'httpMethod'],
    props: {
      __props: wholeProps(false),
      pool: [
        ok('HTTP pool', (env) => env.pool('HTTP')),
        ok('TCP pool', (env) => env.pool('TCP')),
        maybe('UDP pool', (env) => env.pool('UDP')),
        bad('a pool that has a monitor', (env) => {
          const pool = env.pool('HTTPS');
          pool.addHealthMonitor('First', { type: HealthMonitorType.TCP });
          return pool;
        }),
        bad("'pool' (a string)", 'pool'),
        bad('a listener', (env) => env.listener('HTTP')),
        bad('null', null),
        bad('undefined', OMITTED),
      ],
      type: [
        ok('HTTP', () => HealthMonitorType.HTTP),
        maybe('HTTPS', () => HealthMonitorType.HTTPS),
        maybe('TCP', () => HealthMonitorType.TCP),
        maybe('PING', () => HealthMonitorType.PING),
        maybe('UDP_CONNECT', () => HealthMonitorType.UDP_CONNECT),
        bad("'HTTP' (a string)", 'HTTP'),
        bad('{}', () => ({})),
        bad('null', null),
        bad('undefined', OMITTED),
      ],
      delay: durations(),
      timeout: durations(),
      maxRetries: ints(1, 10),
      maxRetriesDown: ints(1, 10),
      urlPath: [
        ok('omitted', OMITTED),
        maybe("'/'", '/'),
        maybe("'/healthz?full=1'", '/healthz?full=1'),
        maybe('2048 chars', `/${'p'.repeat(2047)}`),
        bad("''", ''),
        bad("'healthz'", 'healthz'),
        bad("'/a b'", '/a b'),
        bad("'/${x}'", '/${x}'),
        bad('2049 chars', `/${'p'.repeat(2048)}`),
        bad('42', 42),
        bad('null', null),
      ],
      expectedCodes: [
        ok('omitted', OMITTED),
        maybe("'200'", '200'),
        maybe("'200,202'", '200,202'),
        maybe("'200-204'", '200-204'),
        maybe("'100'", '100'),
        maybe("'599'", '599'),
        bad("'99'", '99'),
        bad("'600'", '600'),
        bad("'204-200'", '204-200'),
        bad("'2xx'", '2xx'),
        bad("'200,'", '200,'),
        bad("''", ''),
        bad('200 (a number)', 200),
        bad('null', null),
      ],
      httpMethod: [
        ok('omitted', OMITTED),
        maybe('GET', () => HttpMethod.GET),
        maybe('HEAD', () => HttpMethod.HEAD),
        maybe('POST', () => HttpMethod.POST),
        bad("'GET' (a string)", 'GET'),
        bad('{}', () => ({})),
        bad('null', null),
      ],
    },
    base: (env) => ({ pool: env.pool('HTTP'), type: HealthMonitorType.HTTP }),
    build: inStack((env, p) => {
      new HealthMonitor(env.stack, 'Subject', p);
    }),
  },
  {
    name: 'Database on servers',
    subject: 'test/Subject',
    knownProps: ['props', 'engine', 'hosting', 'databaseName', 'username', 'port', 'other', 'allowFrom'],
    props: {
      __props: wholeProps(false),
      engine: [
        ok('mysql()', () => DatabaseEngine.mysql()),
        ok('mysql(null)', () => DatabaseEngine.mysql(null as never)),
        ok("mariadb('10.11')", () => DatabaseEngine.mariadb({ version: '10.11' })),
        ok("postgresql('16')", () => DatabaseEngine.postgresql({ version: '16' })),
        ok("postgresql('16.2')", () => DatabaseEngine.postgresql({ version: '16.2' })),
        bad("mysql('8.x')", () => DatabaseEngine.mysql({ version: '8.x' })),
        bad("mysql('')", () => DatabaseEngine.mysql({ version: '' })),
        bad('mysql(5)', () => DatabaseEngine.mysql({ version: 5 as never })),
        bad('mysql(null version)', () => DatabaseEngine.mysql({ version: null as never })),
        bad("'mysql' (a string)", 'mysql'),
        bad('{}', () => ({})),
        bad('null', null),
        bad('undefined', OMITTED),
      ],
      hosting: [
        ok('server', (env) => DatabaseHosting.server(env.host)),
        ok('server, 5 replicas', (env) => DatabaseHosting.server({ ...env.host, readReplicas: 5 })),
        ok('server, 0 replicas, key', (env) => DatabaseHosting.server({ ...env.host, readReplicas: 0, keyName: 'ops' })),
        bad('6 replicas', (env) => DatabaseHosting.server({ ...env.host, readReplicas: 6 })),
        bad('-1 replicas', (env) => DatabaseHosting.server({ ...env.host, readReplicas: -1 })),
        bad('1.5 replicas', (env) => DatabaseHosting.server({ ...env.host, readReplicas: 1.5 })),
        bad("'2' replicas", (env) => DatabaseHosting.server({ ...env.host, readReplicas: '2' as never })),
        bad('NaN replicas', (env) => DatabaseHosting.server({ ...env.host, readReplicas: NaN })),
        bad("image 'ubuntu'", (env) => DatabaseHosting.server({ ...env.host, image: 'ubuntu' as never })),
        bad('no networks', (env) => DatabaseHosting.server({ ...env.host, networks: [] })),
        bad('server(null)', () => DatabaseHosting.server(null as never)),
        bad('server({})', () => DatabaseHosting.server({} as never)),
        bad("'server' (a string)", 'server'),
        bad('{}', () => ({})),
        bad('null', null),
        bad('undefined', OMITTED),
      ],
      databaseName: names({ required: true, max: 63, free: false, extraOk: ['app_1', '_x'], extraBad: ['a', '1db', 'my-db', 'mysql', 'Postgres'] }),
      username: names({ required: true, max: 32, free: false, extraOk: ['app'], extraBad: ['root', 'a', 'a b', 'replicator'] }),
      allowFrom: allowFromCandidates(true),
    },
    base: (env) => ({ engine: DatabaseEngine.postgresql({ version: '16' }), hosting: DatabaseHosting.server(env.host), databaseName: 'app', username: 'app', allowFrom: 'none' }),
    build: inStack((env, p) => {
      const db = new Database(env.stack, 'Subject', without(p, ['allowFrom']));
      applyAllowFrom(env, db, p?.allowFrom);
    }),
  },
  {
    name: 'Database on Trove',
    subject: 'test/Subject',
    knownProps: ['props', 'engine', 'hosting', 'databaseName', 'username', 'allowFrom'],
    props: {
      __props: wholeProps(false),
      engine: [
        ok("mysql('8.0.29')", () => DatabaseEngine.mysql({ version: '8.0.29' })),
        ok("postgresql('16-ubuntu')", () => DatabaseEngine.postgresql({ version: '16-ubuntu' })),
        bad('mysql() (no version)', () => DatabaseEngine.mysql()),
        bad("mysql('8.0 29')", () => DatabaseEngine.mysql({ version: '8.0 29' })),
        bad("mysql('-8')", () => DatabaseEngine.mysql({ version: '-8' })),
        bad('null', null),
      ],
      hosting: [
        ok('trove, default volume type', () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 1, volumeType: TroveVolumeType.troveDefault('ssd') })),
        ok('trove, 16384 GiB, networks', (env) =>
          DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 16384, volumeType: TroveVolumeType.troveDefault('ssd'), networks: [env.net.network] }),
        ),
        ok('trove, no volume type (Terraform refuses)', () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 5 })),
        ok('trove, named volume type (Heat refuses)', () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 5, volumeType: TroveVolumeType.named('fast') })),
        bad('0 GiB', () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 0 })),
        bad('16385 GiB', () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 16385 })),
        bad('NaN GiB', () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: NaN })),
        bad("'5' GiB", () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: '5' as never })),
        bad("flavor 'db.small'", () => DatabaseHosting.trove({ flavor: 'db.small' as never, volumeSizeGiB: 5 })),
        bad("flavor ''", () => DatabaseHosting.trove({ flavor: Flavor.fromName(''), volumeSizeGiB: 5 })),
        bad('networks []', () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 5, networks: [] })),
        bad('networks [null]', () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 5, networks: [null as never] })),
        bad("volumeType 'ssd'", () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 5, volumeType: 'ssd' as never })),
        bad("named('')", () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 5, volumeType: TroveVolumeType.named('') })),
        bad('named(null)', () => DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 5, volumeType: TroveVolumeType.named(null as never) })),
        bad('trove(null)', () => DatabaseHosting.trove(null as never)),
      ],
      databaseName: names({ required: true, max: 63, free: false }),
      username: names({ required: true, max: 16, free: false }),
      allowFrom: [ok('nobody', 'none'), bad('the web server (Trove owns the group)', 'web')],
    },
    base: () => ({
      engine: DatabaseEngine.mysql({ version: '8.0.29' }),
      hosting: DatabaseHosting.trove({ flavor: FLAVOR(), volumeSizeGiB: 5, volumeType: TroveVolumeType.troveDefault('ssd') }),
      databaseName: 'app',
      username: 'app',
      allowFrom: 'none',
    }),
    build: inStack((env, p) => {
      const db = new Database(env.stack, 'Subject', without(p, ['allowFrom']));
      applyAllowFrom(env, db, p?.allowFrom);
    }),
  },
  {
    name: 'MessageQueue',
    unknownKeys: ['userName', 'vHost'],
    polluted: [['vhost', 42], ['keyName', 42]],
    subject: 'test/Subject',
    knownProps: ['props', 'image', 'flavor', 'networks', 'keyName', 'keyPair', 'vhost', 'username', 'port', 'other'],
    props: {
      __props: wholeProps(false),
      ...hostCandidates(),
      vhost: names({ max: 64, free: false, extraOk: ['app_1-x'], extraBad: ['a/b', '/'] }),
      username: names({ max: 32, free: false, extraOk: ['worker_1'], extraBad: ['guest', '1app', 'a b'] }),
      allowFrom: allowFromCandidates(true),
    },
    base: (env) => ({ ...env.host, allowFrom: 'none' }),
    build: inStack((env, p) => {
      const queue = new MessageQueue(env.stack, 'Subject', without(p, ['allowFrom']));
      applyAllowFrom(env, queue, p?.allowFrom);
    }),
  },
  {
    name: 'Cache',
    unknownKeys: ['maxMemoryMb', 'engin'],
    polluted: [['maxMemoryMiB', 'polluted'], ['keyName', 42]],
    subject: 'test/Subject',
    knownProps: ['props', 'engine', 'image', 'flavor', 'networks', 'keyName', 'keyPair', 'maxMemoryMiB', 'port', 'other'],
    props: {
      __props: wholeProps(false),
      engine: [
        ok('redis', () => CacheEngine.redis()),
        ok('memcached', () => CacheEngine.memcached()),
        bad("'redis' (a string)", 'redis'),
        bad('{}', () => ({})),
        bad('null', null),
        bad('undefined', OMITTED),
      ],
      ...hostCandidates(),
      maxMemoryMiB: ints(16, 1048576),
      allowFrom: allowFromCandidates(true),
    },
    base: (env) => ({ ...env.host, engine: CacheEngine.redis(), allowFrom: 'none' }),
    build: inStack((env, p) => {
      const cache = new Cache(env.stack, 'Subject', without(p, ['allowFrom']));
      applyAllowFrom(env, cache, p?.allowFrom);
    }),
  },
  {
    name: 'ObjectContainer',
    unknownKeys: ['publicread', 'versionned', 'purgeOnDeletion'],
    polluted: [['publicRead', 'yes'], ['publicListing', 'yes'], ['versioned', 'yes'], ['purgeOnDelete', 'yes']],
    subject: 'test/Subject',
    knownProps: ['props', 'containerName', 'publicRead', 'publicListing', 'versioned', 'purgeOnDelete'],
    props: {
      __props: wholeProps(true),
      containerName: names({ max: 256, measure: 'bytes', extraBad: ['a/b', '/'] }),
      publicRead: bools(),
      publicListing: [ok('omitted', OMITTED), ok('false', false), maybe('true', true), bad("'true'", 'true'), bad('1', 1), bad('null', null)],
      versioned: bools(),
      purgeOnDelete: bools(),
    },
    base: () => ({}),
    build: inStack((env, p) => {
      new ObjectContainer(env.stack, 'Subject', p);
    }),
  },
  {
    name: 'Stack (and addOutput)',
    subject: 'test',
    knownProps: ['props', 'release', 'description', 'stackName', 'name', 'value', 'sensitive'],
    props: {
      __props: wholeProps(true),
      release: [
        ok('omitted', OMITTED),
        ...OpenStackRelease.ALL.map((r) => ok(r.version, () => r)),
        bad("'2023.1' (a string)", '2023.1'),
        bad('{}', () => ({})),
        bad('null', null),
      ],
      description: names({ max: 4096 }),
      stackName: names({ max: 64, free: false, extraOk: ['a-1'], extraBad: ['Test', '1a', 'a_b', '-a'] }),
      outputName: [
        ok("'greeting'", 'greeting'),
        ok("'a_1'", 'a_1'),
        bad("'Greeting'", 'Greeting'),
        bad("'a-b'", 'a-b'),
        bad("''", ''),
        bad('256 chars', 'o'.repeat(256)),
        bad('42', 42),
        bad('null', null),
      ],
      outputValue: [
        ok('a string literal', () => Value.literal('hello')),
        ok('a number literal', () => Value.literal(5)),
        ok('a boolean literal', () => Value.literal(true)),
        bad("'hello' (a string)", 'hello'),
        bad('42', 42),
        bad('{}', () => ({})),
        bad('null', null),
        bad('undefined', OMITTED),
      ],
      outputDescription: names({ required: true, max: 4096 }),
      outputSensitive: bools(),
    },
    base: () => ({ outputName: 'greeting', outputValue: Value.literal('hello'), outputDescription: 'a constant' }),
    build: (app, props) => {
      const p = props(undefined as never);
      // The output keys are this spec's own, not Stack props (which refuse unknown keys): split them off.
      let stackProps = p;
      if (p && typeof p === 'object' && !Array.isArray(p)) {
        const { outputName: _n, outputValue: _v, outputDescription: _d, outputSensitive: _s, ...rest } = p as Record<string, unknown>;
        stackProps = rest as typeof p;
      }
      const stack = new Stack(app, 'test', stackProps);
      new SecurityGroup(stack, 'Sg');
      if (p && typeof p === 'object' && 'outputName' in p) {
        stack.addOutput(p.outputName, { value: p.outputValue, description: p.outputDescription, sensitive: p.outputSensitive });
      }
      return stack;
    },
  },
  {
    name: 'AutoScalingGroup (and scaleOnCpuUtilization)',
    subject: 'test/Subject',
    knownProps: ['props', 'image', 'flavor', 'networks', 'keyName', 'keyPair', 'securityGroups', 'userData', 'metadata', 'minSize', 'maxSize', 'desiredCapacity', 'cooldown', 'drainTime', 'rollingUpdates', 'scalingWebhooks', 'placement', 'readiness', 'autohealing', 'scaleOnCpuUtilization'],
    unknownKeys: ['cooldwon', 'maxsize', 'securityGroup', 'scalingWebhook'],
    polluted: [['minSize', 'polluted'], ['desiredCapacity', 'polluted'], ['cooldown', 300], ['scalingWebhooks', 'yes'], ['rollingUpdates', 'polluted']],
    props: {
      __props: wholeProps(false),
      image: imageCandidates(),
      flavor: flavorCandidates(),
      networks: networksCandidates(),
      keyName: names(),
      keyPair: keyPairCandidates(),
      securityGroups: [
        ok('omitted', OMITTED),
        ok('[another group]', (env) => [env.otherSg]),
        bad('[]', () => []),
        bad("['web-sg'] (a string)", () => ['web-sg']),
        bad('[a look-alike]', () => [{ _heatRef: () => 'x', node: {} }]),
        bad('a group, not a list', (env) => env.otherSg),
        bad('[null]', () => [null]),
      ],
      userData: [
        ok('omitted', OMITTED),
        ok('a shell script', () => UserData.forShellScript('echo hello')),
        ok('a cloud-config with a file and a substitution', () =>
          UserData.forCloudConfig(new CloudConfig().addFile({ path: '/etc/app.conf', content: 'host=@@HOST@@', permissions: '0640' }).substitute('@@HOST@@', Value.literal('db.internal'))),
        ),
        bad("'#!/bin/sh' (a string)", '#!/bin/sh'),
        bad('a look-alike', () => ({ render: () => 'x', _heat: () => 'x', _terraform: () => 'x' })),
        bad('an empty placeholder', () => UserData.forCloudConfig(new CloudConfig().addRunCommands('echo').substitute('', Value.literal('x')))),
        bad('a placeholder substituted by a string', () => UserData.forCloudConfig(new CloudConfig().substitute('@@X@@', 'x' as never))),
        bad('permissions 644 (a number)', () => UserData.forCloudConfig(new CloudConfig().addFile({ path: '/etc/a', content: 'x', permissions: 644 as never }))),
        bad("permissions '0999'", () => UserData.forCloudConfig(new CloudConfig().addFile({ path: '/etc/a', content: 'x', permissions: '0999' }))),
        bad('a relative file path', () => UserData.forCloudConfig(new CloudConfig().addFile({ path: 'etc/a', content: 'x' }))),
        bad('a file key misspelled', () => UserData.forCloudConfig(new CloudConfig().addFile({ path: '/etc/a', content: 'x', permission: '0600' } as never))),
        bad('a script line 42', () => UserData.forShellScript('echo', 42 as never)),
        bad('user data over Nova\'s limit', () => UserData.custom('x'.repeat(50000))),
      ],
      metadata: [
        ok('omitted', OMITTED),
        ok("{ role: 'web' }", () => ({ role: 'web' })),
        ok("{ 'a b:c.d-e_f': 'x' }", () => ({ 'a b:c.d-e_f': 'x' })),
        bad("{ 'a/b': 'x' } (Nova's key pattern)", () => ({ 'a/b': 'x' })),
        bad("{ 'rôle': 'x' }", () => ({ 'rôle': 'x' })),
        bad("{ 'metering.server_group': 'x' } (reserved)", () => ({ 'metering.server_group': 'x' })),
        bad('{ role: 42 }', () => ({ role: 42 })),
        bad("'role=web' (a string)", 'role=web'),
        bad('null', null),
      ],
      minSize: [ok('omitted', OMITTED), ok('0', 0), ok('1', 1), maybe('1000 (above maxSize)', 1000), bad('-1', -1), bad('1.5', 1.5), bad("'1'", '1'), bad('null', null), bad('NaN', NaN)],
      maxSize: [ok('1', 1), ok('1000', 1000), bad('0', 0), bad('1001', 1001), bad('undefined', OMITTED), bad("'4'", '4'), bad('NaN', NaN), bad('Infinity', Infinity)],
      desiredCapacity: [ok('omitted', OMITTED), maybe('2', 2), bad('-1', -1), bad("'2'", '2'), bad('2.5', 2.5)],
      cooldown: [
        ok('omitted', OMITTED),
        ok('0 s', () => Duration.seconds(0)),
        ok('5 min', () => Duration.minutes(5)),
        bad('300 (a number)', 300),
        bad("'300'", '300'),
        bad('{}', () => ({})),
        bad('a look-alike', () => ({ toSeconds: () => 300, validate: () => 300 })),
        bad('-1 s', () => Duration.seconds(-1)),
        bad('1.5 s', () => Duration.seconds(1.5)),
        bad('2 days', () => Duration.hours(48)),
      ],
      drainTime: [
        ok('omitted', OMITTED),
        ok('0 s', () => Duration.seconds(0)),
        ok('30 min', () => Duration.minutes(30)),
        bad('30 (a number)', 30),
        bad('-1 s', () => Duration.seconds(-1)),
        bad('1.5 s', () => Duration.seconds(1.5)),
        bad('31 min', () => Duration.minutes(31)),
      ],
      rollingUpdates: [
        ok('omitted', OMITTED),
        ok('{ maxBatchSize: 1 }', () => ({ maxBatchSize: 1 })),
        ok('{ minInService: 0, pauseTime: 30 s }', () => ({ minInService: 0, pauseTime: Duration.seconds(30) })),
        bad('{ maxBatch: 1 } (a typo)', () => ({ maxBatch: 1 })),
        bad('{ pauseTime: 5 } (a number)', () => ({ pauseTime: 5 })),
        bad('{ maxBatchSize: 0 }', () => ({ maxBatchSize: 0 })),
        bad("'x'", 'x'),
        bad('null', null),
      ],
      scalingWebhooks: bools(),
      // true needs a monitored pool (attachToPool), which this spec's group has not: see autohealing.test.ts
      autohealing: [ok('omitted', OMITTED), ok('false', false), bad("'true'", 'true'), bad('1', 1), bad('null', null)],
      cpu: [
        ok('no CPU scaling', OMITTED),
        maybe('70/30', () => ({ scaleOutAbovePercent: 70, scaleInBelowPercent: 30 })),
        maybe('80/20, 3 periods, 10 min cooldown', () => ({ scaleOutAbovePercent: 80, scaleInBelowPercent: 20, evaluationPeriods: 3, cooldown: Duration.minutes(10) })),
        bad('cooldown 60 (a number)', () => ({ scaleOutAbovePercent: 70, scaleInBelowPercent: 30, cooldown: 60 })),
        bad('granularity 300 (a number)', () => ({ scaleOutAbovePercent: 70, scaleInBelowPercent: 30, granularity: 300 })),
        bad("scaleOutAbovePercent '70'", () => ({ scaleOutAbovePercent: '70', scaleInBelowPercent: 30 })),
        bad('scaleOutby (a typo)', () => ({ scaleOutAbovePercent: 70, scaleInBelowPercent: 30, scaleOutby: 2 })),
        bad('in above out', () => ({ scaleOutAbovePercent: 30, scaleInBelowPercent: 70 })),
        bad('120 percent', () => ({ scaleOutAbovePercent: 120, scaleInBelowPercent: 30 })),
        bad('null', null),
        bad("'70/30'", '70/30'),
      ],
    },
    base: (env) => ({ image: IMAGE(), flavor: FLAVOR(), networks: [env.net.network], maxSize: 4 }),
    build: inStack((env, p) => {
      const group = new AutoScalingGroup(env.stack, 'Subject', without(p, ['cpu']));
      if (p && typeof p === 'object' && 'cpu' in p) group.scaleOnCpuUtilization(p.cpu);
    }),
  },
];

/** Points a floating IP somewhere, as the `target` candidate says. */
function associate(env: Env, fip: FloatingIp | ReturnType<typeof FloatingIp.fromExisting>, target: unknown): void {
  switch (target) {
    case 'server':
      return fip.associateWith(env.web);
    case 'server-network':
      return fip.associateWithServer(env.web, { network: env.net.network });
    case 'lb':
      return fip.associateWith(env.lb);
    case 'string':
      return fip.associateWith('web' as never);
    case 'null':
      return fip.associateWith(null as never);
    case 'server-other-network':
      return fip.associateWithServer(env.web, { network: env.importedNet });
    case 'server-options-string':
      return fip.associateWithServer(env.web, 'x' as never);
    case 'subnet':
      return fip.associateWith(env.net.subnet as never);
    case 'twice':
      fip.associateWith(env.web);
      return fip.associateWith(env.lb);
    case 'taken':
      new FloatingIp(env.stack, 'OtherIp', { externalNetworkName: 'public' }).associateWith(env.web);
      return fip.associateWith(env.web);
    default:
      return undefined;
  }
}
