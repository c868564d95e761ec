/**
 * Names and metadata that OpenStack would refuse are refused here, each measured the way its
 * service measures it (Swift: UTF-8 bytes; Nova, Neutron, Octavia: code points), and default
 * names derived from long construct ids are shortened deterministically in both targets.
 */
import {
  App,
  Flavor,
  Image,
  KeyPair,
  LbAlgorithm,
  Listener,
  ListenerProtocol,
  LoadBalancer,
  Network,
  ObjectContainer,
  Pool,
  PoolProtocol,
  ScaleoutError,
  SecurityGroup,
  Server,
  ServerGroup,
  ServerGroupPolicy,
  Stack,
  VirtualNetwork,
} from '../../src';
import { Construct } from 'constructs';
import { EXAMPLES, type Example } from '../../examples';
import { fitName, nameLength } from '../../src/core/names';
import { errorOf } from '../util/errors';
import { heatOf, terraformOf } from '../util/synth';

const any = (x: unknown): any => x;

function fixture() {
  const app = new App();
  const stack = new Stack(app, 'test');
  const net = Network.fromName(stack, 'Net', 'private');
  const host = { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small', { vcpus: 1 }), networks: [net] };
  return { app, stack, net, host };
}

/** 'é' is 1 code point, 2 UTF-8 bytes, 1 UTF-16 unit; '😀' is 1 code point, 4 bytes, 2 units. */
const E_ACUTE = 'é';
const EMOJI = '😀';

describe('Swift container names are measured in UTF-8 bytes (at most 256)', () => {
  test.each([
    ['256 ASCII characters', 'a'.repeat(256)],
    ['128 two-byte characters (256 bytes)', E_ACUTE.repeat(128)],
    ['64 emoji (256 bytes)', EMOJI.repeat(64)],
    ['a mix of 250 ASCII and 3 two-byte characters (256 bytes)', 'a'.repeat(250) + E_ACUTE.repeat(3)],
  ])('GIVEN %s WHEN a container is named so THEN it is accepted', (_n, name) => {
    const f = fixture();
    new ObjectContainer(f.stack, 'Files', { containerName: name });
    expect(heatOf(f.stack).resources.files.properties?.name).toBe(name);
    expect(terraformOf(f.stack).resources('openstack_objectstorage_container_v1').files.name).toBe(name);
  });

  test.each([
    ['257 ASCII characters', 'a'.repeat(257), 257],
    ['129 two-byte characters (129 characters, 258 bytes)', E_ACUTE.repeat(129), 258],
    ['65 emoji (65 characters, 260 bytes)', EMOJI.repeat(65), 260],
    ['255 ASCII characters and one two-byte character (257 bytes)', 'a'.repeat(255) + E_ACUTE, 257],
  ])('GIVEN %s WHEN a container is named so THEN it is refused in bytes', (_n, name, bytes) => {
    const f = fixture();
    const err = errorOf(() => new ObjectContainer(f.stack, 'Files', { containerName: name }));
    expect(err.code).toBe('SO_RANGE');
    expect(err.prop).toBe('containerName');
    expect(err.message).toContain(`test/Files: 'containerName' must be at most 256 bytes of UTF-8 long (it has ${bytes})`);
  });
});

describe('Neutron, Nova and Octavia names are measured in code points (at most 255)', () => {
  const makers: Array<[string, string, (f: ReturnType<typeof fixture>, name: string) => unknown]> = [
    ['Server', 'serverName', (f, n) => new Server(f.stack, 'S', { ...f.host, serverName: n })],
    ['SecurityGroup', 'securityGroupName', (f, n) => new SecurityGroup(f.stack, 'Sg', { securityGroupName: n })],
    ['ServerGroup', 'serverGroupName', (f, n) => new ServerGroup(f.stack, 'Sgp', { policy: ServerGroupPolicy.antiAffinity(), serverGroupName: n })],
    ['KeyPair', 'keyPairName', (f, n) => new KeyPair(f.stack, 'Kp', { publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBnVq0jTr1vY7m3 user@host', keyPairName: n })],
    ['LoadBalancer', 'loadBalancerName', (f, n) => new LoadBalancer(f.stack, 'Lb', { vipSubnet: new VirtualNetwork(f.stack, 'V', { externalNetworkName: 'public', cidr: '10.0.0.0/24' }).subnet, loadBalancerName: n })],
  ];

  // Nova key pair names also have a character pattern (letters, digits, _ - and spaces), so no emoji there.
  const unicodeMakers = makers.filter(([n]) => n !== 'KeyPair');

  test.each(unicodeMakers)('GIVEN a %s named with 255 emoji (510 UTF-16 units) THEN it is accepted', (_n, _prop, make) => {
    const f = fixture();
    expect(() => make(f, EMOJI.repeat(255))).not.toThrow();
  });

  test.each(unicodeMakers)('GIVEN a %s named with 256 emoji THEN it is refused, counting code points', (_n, prop, make) => {
    const f = fixture();
    const err = errorOf(() => make(f, EMOJI.repeat(256)));
    expect(err.code).toBe('SO_RANGE');
    expect(err.prop).toBe(prop);
    expect(err.message).toContain(`'${prop}' must be at most 255 characters long (it has 256)`);
  });

  test.each([
    ['a leading space', ' web'],
    ['a trailing space', 'web '],
    ['a leading tab', '\tweb'],
    ['a trailing newline', 'web\n'],
    ['a non-breaking space at the end', 'web\u00a0'],
  ])('GIVEN a name with %s WHEN used for every named construct THEN each refuses it', (_n, name) => {
    for (const [, prop, make] of makers) {
      const f = fixture();
      const err = errorOf(() => make(f, name));
      expect(err.code).toBe('SO_FORMAT');
      expect(err.prop).toBe(prop);
      expect(err.message).toContain('must not start or end with whitespace');
    }
    const f = fixture();
    expect(errorOf(() => new ObjectContainer(f.stack, 'Files', { containerName: name })).message).toContain("'containerName' must not start or end with whitespace");
    expect(errorOf(() => new VirtualNetwork(f.stack, 'V2', { externalNetworkName: 'public', cidr: '10.0.0.0/24', networkName: name })).prop).toBe('networkName');
  });

  test('GIVEN a network name that leaves no room for its -router suffix THEN it is refused at 249 characters', () => {
    const f = fixture();
    expect(() => new VirtualNetwork(f.stack, 'Ok', { externalNetworkName: 'public', cidr: '10.0.0.0/24', networkName: 'n'.repeat(248) })).not.toThrow();
    const err = errorOf(() => new VirtualNetwork(f.stack, 'Long', { externalNetworkName: 'public', cidr: '10.0.1.0/24', networkName: 'n'.repeat(249) }));
    expect(err.message).toContain("test/Long: 'networkName' must be at most 248 characters long (it has 249)");
  });
});

describe('Nova metadata', () => {
  test.each([
    ['a slash', 'a/b'],
    ['an @', 'team@x'],
    ['a non-ASCII letter', 'équipe'],
    ['an empty key', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a newline', 'a\nb'],
  ])('GIVEN a metadata key with %s THEN the server refuses it', (_n, key) => {
    const f = fixture();
    const err = errorOf(() => new Server(f.stack, 'S', { ...f.host, metadata: { [key]: 'v' } }));
    expect(['SO_FORMAT', 'SO_RANGE']).toContain(err.code);
    expect(err.message).toContain("test/S: 'metadata'");
  });

  test.each([
    ['every allowed character', 'Aa0-_:. z'],
    ['255 characters', 'k'.repeat(255)],
  ])('GIVEN a metadata key with %s THEN it is accepted', (_n, key) => {
    const f = fixture();
    expect(() => new Server(f.stack, 'S', { ...f.host, metadata: { [key]: 'v' } })).not.toThrow();
  });

  test('GIVEN a value of 255 emoji (510 UTF-16 units) THEN it is accepted; 256 are refused in code points', () => {
    const f = fixture();
    expect(() => new Server(f.stack, 'Ok', { ...f.host, metadata: { team: EMOJI.repeat(255) } })).not.toThrow();
    const err = errorOf(() => new Server(f.stack, 'Long', { ...f.host, metadata: { team: EMOJI.repeat(256) } }));
    expect(err.prop).toBe('metadata.team');
    expect(err.message).toContain('must be a string of at most 255 characters');
  });
});

describe('default names derived from long construct ids', () => {
  test('nameLength counts code points as Python len() does: a surrogate pair is one, a lone surrogate one', () => {
    const samples = ['', 'web', 'é', '😀', 'a😀b😀', '\ud83d', 'x\ude00', '\ude00\ud83d', '😀'.repeat(300), `${'a'.repeat(254)}\ud83d`];
    for (const s of samples) expect(nameLength(s)).toBe([...s].length);
    expect(nameLength('a😀b')).toBe(3);
    expect(nameLength('a😀b', 'bytes')).toBe(6);
  });

  test('fitName keeps a name that fits and shortens a longer one to start + 8-hex hash, deterministically', () => {
    expect(fitName('web', 255)).toBe('web');
    expect(fitName('a'.repeat(255), 255)).toBe('a'.repeat(255));
    const long = 'a'.repeat(300);
    const fitted = fitName(long, 255);
    expect(fitted).toMatch(/^a{246}-[0-9a-f]{8}$/);
    expect(fitted).toHaveLength(255);
    expect(fitName(long, 255)).toBe(fitted);
    // two names that differ only after the cut still differ
    expect(fitName(`${'a'.repeat(299)}b`, 255)).not.toBe(fitted);
    // bytes: a multi-byte character is never split and the result fits in bytes
    const bytes = fitName(E_ACUTE.repeat(200), 256, 'bytes');
    expect(nameLength(bytes, 'bytes')).toBeLessThanOrEqual(256);
    expect(bytes).toMatch(/^é+-[0-9a-f]{8}$/);
  });

  /** A stack whose constructs sit under two 150-character ids: every derived name is over 255 characters. */
  function longStack() {
    const f = fixture();
    const deep = new Construct(f.stack, 'D'.repeat(150));
    const scope = new Construct(deep, 'E'.repeat(150));
    const vnet = new VirtualNetwork(scope, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
    new Server(scope, 'Web', { ...f.host, networks: [vnet.network] });
    new SecurityGroup(scope, 'Sg');
    new ServerGroup(scope, 'Group', { policy: ServerGroupPolicy.antiAffinity() });
    const lb = new LoadBalancer(scope, 'Lb', { vipSubnet: vnet.subnet });
    const listener = new Listener(scope, 'Listener', { loadBalancer: lb, protocol: ListenerProtocol.HTTP, port: 80 });
    new Pool(scope, 'Pool', { listener, protocol: PoolProtocol.HTTP, algorithm: LbAlgorithm.ROUND_ROBIN });
    new ObjectContainer(scope, 'Files');
    new KeyPair(scope, 'Key', { publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBnVq0jTr1vY7m3 user@host' });
    return f;
  }


  test("Heat: a logical name over 255 characters is refused (Heat's resource table holds 255), naming the construct and the ids to shorten", () => {
    const err = errorOf(() => heatOf(longStack().stack));
    expect(err.code).toBe('SO_RANGE');
    expect(err.prop).toBe('id');
    expect(err.constructPath.startsWith(`test/${'D'.repeat(150)}/${'E'.repeat(150)}/`)).toBe(true);
    expect(err.message).toContain('characters, and Heat stores at most 255; shorten the ids on the path test/DDDDDDDDDDDDDDDDD.../EEEEEEEEEEEEEEEEE.../');
  });

  test('Heat: names joined with the deployed stack name keep 64 characters for it, shortened the same on every synthesis', () => {
    const build = () => {
      const f = fixture();
      const scope = new Construct(f.stack, 'K'.repeat(200));
      new KeyPair(scope, 'Key', { publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBnVq0jTr1vY7m3 user@host' });
      new ObjectContainer(scope, 'Files');
      return heatOf(f.stack).resources;
    };
    const resources = build();
    const joined = Object.values(resources).filter((r) => r.type === 'OS::Nova::KeyPair' || r.type === 'OS::Swift::Container');
    expect(joined).toHaveLength(2);
    for (const r of joined) {
      const [, [param, part]] = r.properties!.name.list_join;
      expect(param).toEqual({ get_param: 'OS::stack_name' });
      // Nova key pairs: 255 characters; Swift containers: 256 bytes; the logical names have 204 and 206
      const limit = r.type === 'OS::Nova::KeyPair' ? 255 : 256;
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(limit - 1 - 64);
      expect(part).toMatch(/^k+-[0-9a-f]{8}$/);
    }
    expect(build()).toEqual(resources);
  });

  test('Terraform: every default name fits its service limit', () => {
    const tf = terraformOf(longStack().stack);
    const types = [
      'openstack_compute_instance_v2',
      'openstack_networking_network_v2',
      'openstack_networking_subnet_v2',
      'openstack_networking_router_v2',
      'openstack_networking_secgroup_v2',
      'openstack_compute_servergroup_v2',
      'openstack_lb_loadbalancer_v2',
      'openstack_lb_listener_v2',
      'openstack_lb_pool_v2',
      'openstack_compute_keypair_v2',
    ];
    for (const t of types) {
      const rs = Object.values<any>(tf.resources(t));
      expect({ t, some: rs.length > 0 }).toEqual({ t, some: true });
      for (const r of rs) {
        expect([...r.name].length).toBeLessThanOrEqual(255);
        expect(r.name).toMatch(/-[0-9a-f]{8}(-subnet|-router)?$/);
      }
    }
    const container = Object.values<any>(tf.resources('openstack_objectstorage_container_v1'))[0];
    expect(Buffer.byteLength(container.name, 'utf8')).toBeLessThanOrEqual(256);
    expect(container.name.startsWith('test-')).toBe(true);
    // the server's ownership metadata (its construct path) fits Nova's 255-character values too
    const server = Object.values<any>(tf.resources('openstack_compute_instance_v2'))[0];
    for (const v of Object.values<string>(server.metadata)) expect([...v].length).toBeLessThanOrEqual(255);
  });

  test('a name given explicitly is never shortened: it is refused when too long', () => {
    const f = fixture();
    const err = errorOf(() => new Server(f.stack, 'S', { ...f.host, serverName: 'x'.repeat(256) }));
    expect(err.code).toBe('SO_RANGE');
    void any;
  });
});

describe('every example built under two long ids', () => {
  function build(example: Example, length: number): Stack {
    const app = new App();
    const stack = new Stack(app, example.name);
    example.build(new Construct(new Construct(stack, 'A'.repeat(length)), 'B'.repeat(length)));
    return stack;
  }

  function expectNamesFit(stack: Stack): void {
    const tf = terraformOf(stack);
    for (const [type, byName] of Object.entries<Record<string, any>>(tf.json.resource ?? {})) {
      for (const r of Object.values<any>(byName)) {
        if (typeof r.name === 'string') expect({ type, fits: [...r.name].length <= 255 }).toEqual({ type, fits: true });
        if (typeof r.description === 'string') expect({ type, fits: [...r.description].length <= 255 }).toEqual({ type, fits: true });
      }
    }
  }

  test.each(EXAMPLES.map((e) => [e.name, e] as [string, Example]))('GIVEN %s under two 20-character ids THEN both targets synthesize and validate, every name and description within 255', (_n, example) => {
    // Security-group rule names hold two logical names (the group and the peer), so Heat's 255 is reached early.
    const stack = build(example, 20);
    // heatOf and terraformOf run the HOT and provider-schema validators
    const heat = heatOf(stack);
    for (const doc of [heat.template, ...Object.values(heat.files)] as Array<Record<string, any>>) {
      for (const [logical, r] of Object.entries<any>(doc.resources ?? {})) {
        expect(logical.length).toBeLessThanOrEqual(255);
        for (const key of ['name', 'description']) {
          const v = r.properties?.[key];
          if (typeof v === 'string') expect({ type: r.type, key, fits: [...v].length <= 255 }).toEqual({ type: r.type, key, fits: true });
        }
      }
    }
    expectNamesFit(stack);
  });

  test.each(EXAMPLES.map((e) => [e.name, e] as [string, Example]))('GIVEN %s under two 150-character ids THEN Heat refuses the long logical names; Terraform renders names that fit or refuses the embedded Heat template alike', (_n, example) => {
    const heatError = errorOf(() => heatOf(build(example, 150)));
    expect(heatError.code).toBe('SO_RANGE');
    expect(heatError.message).toContain('and Heat stores at most 255');
    const stack = build(example, 150);
    let tfError: unknown;
    try {
      expectNamesFit(stack);
    } catch (e) {
      tfError = e;
    }
    if (tfError !== undefined) {
      // only an autoscaling group's embedded Heat template can refuse, for the same reason
      expect(tfError).toBeInstanceOf(ScaleoutError);
      expect((tfError as ScaleoutError).message).toContain('and Heat stores at most 255');
    }
  });
});
