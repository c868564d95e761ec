/**
 * Every public method checks its arguments at the call, as a JavaScript caller meets it: a
 * missing argument, a string or number where a construct or a `Port` is expected, a plain object
 * or a duck-typed look-alike, a list, a function. Each is refused with a ScaleoutError naming the
 * construct path and the argument, never a TypeError from inside the library. Stack props and
 * Stack.configure settings go through the same layer as construct props.
 */
import {
  App,
  AutoScalingGroup,
  CloudConfig,
  Flavor,
  FloatingIp,
  HealthMonitorType,
  Image,
  LbAlgorithm,
  Listener,
  ListenerProtocol,
  LoadBalancer,
  Peer,
  Pool,
  PoolProtocol,
  Port,
  ScalingAdjustment,
  ScalingPolicy,
  SecurityGroup,
  Server,
  ServicesTier,
  Stack,
  UserData,
  Value,
  VirtualNetwork,
  Warnings,
  ScaleoutError,
} from '../../src';
import { heatOf } from '../util/synth';

const any = (x: unknown): any => x;

function fixture() {
  const app = new App();
  const stack = new Stack(app, 'test');
  const vnet = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
  const image = Image.fromName('ubuntu-22.04');
  const flavor = Flavor.fromName('m1.small', { vcpus: 2 });
  const sg = new SecurityGroup(stack, 'Sg');
  const server = new Server(stack, 'Srv', { image, flavor, networks: [vnet.network] });
  const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: vnet.subnet });
  const listener = new Listener(stack, 'L', { loadBalancer: lb, protocol: ListenerProtocol.HTTP, port: 80 });
  const pool = new Pool(stack, 'P', { listener, protocol: PoolProtocol.HTTP, algorithm: LbAlgorithm.ROUND_ROBIN });
  const group = new AutoScalingGroup(stack, 'G', { image, flavor, networks: [vnet.network], maxSize: 4 });
  const policy = new ScalingPolicy(group, 'Up', { group, adjustment: ScalingAdjustment.changeInCapacity(1) });
  const cpu = group.scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
  return { app, stack, vnet, image, flavor, sg, server, lb, listener, pool, group, policy, alarm: cpu.highCpuAlarm };
}
type F = ReturnType<typeof fixture>;

/** A look-alike: a plain object with the names of the real thing's methods. */
const LOOKALIKE = {
  node: { path: 'fake' },
  connections: { asPeers: () => [], securityGroups: [] },
  addIngressRule: () => undefined,
  _heatRef: () => undefined,
  _portSuffixFor: () => 'port',
  _heatPoolId: () => undefined,
  _heatSubnet: () => undefined,
  validate: () => undefined,
};

const BAD: Record<string, unknown> = {
  undefined: undefined,
  null: null,
  'a string': 'web',
  'a number': 42,
  NaN: NaN,
  'a plain object': {},
  'a list': [],
  'a function': () => 1,
  'a look-alike': LOOKALIKE,
};

/** [call, the argument's name in the error, kinds of bad value refused (default: all), the construct path] */
type Case = [string, (f: F, bad: unknown) => unknown, RegExp, string[] | undefined, string];

const ALL = Object.keys(BAD);
/** 42 is a valid port: every other kind is refused. */
const NOT_A_PORT = ALL.filter((k) => k !== 'a number');

const CASES: Case[] = [
  ['pool.addMember(server)', (f, b) => f.pool.addMember(any(b), 80), /^server$/, undefined, 'test/P'],
  ['pool.addMember(server, port)', (f, b) => f.pool.addMember(f.server, any(b)), /^port$/, NOT_A_PORT, 'test/P'],
  ['pool.addMember(server, port, options)', (f, b) => f.pool.addMember(f.server, 80, any(b)), /^options$/, ['a string', 'a number', 'a list', 'a function'], 'test/P'],
  ['pool.addHealthMonitor(id, options)', (f, b) => f.pool.addHealthMonitor('Mon', any(b)), /^options$/, ['undefined', 'null', 'a string', 'a number', 'a list', 'a function'], 'test/P'],
  ['securityGroup.addIngressRule(peer)', (f, b) => f.sg.addIngressRule(any(b), Port.tcp(80)), /^peer$/, undefined, 'test/Sg'],
  ['securityGroup.addIngressRule(peer, port)', (f, b) => f.sg.addIngressRule(Peer.ipv4('10.0.0.0/8'), any(b)), /^port$/, undefined, 'test/Sg'],
  ['securityGroup.addIngressRule(peer, port, options)', (f, b) => f.sg.addIngressRule(Peer.ipv4('10.0.0.0/8'), Port.tcp(80), any(b)), /^options$/, ['a string', 'a number', 'a list'], 'test/Sg'],
  ['securityGroup.addEgressRule(peer)', (f, b) => f.sg.addEgressRule(any(b), Port.tcp(80)), /^peer$/, undefined, 'test/Sg'],
  ['securityGroup.addEgressRule(peer, port)', (f, b) => f.sg.addEgressRule(Peer.ipv4('10.0.0.0/8'), any(b)), /^port$/, undefined, 'test/Sg'],
  ['connections.allowFrom(other)', (f, b) => f.server.connections.allowFrom(any(b), Port.tcp(80)), /^other$/, ALL.filter((k) => k !== 'a look-alike'), 'test/Srv/SecurityGroup'],
  ['connections.allowFrom(other, port)', (f, b) => f.server.connections.allowFrom(f.sg, any(b)), /^port$/, undefined, 'test/Srv/SecurityGroup'],
  ['connections.allowTo(other)', (f, b) => f.server.connections.allowTo(any(b), Port.tcp(80)), /^other$/, ALL.filter((k) => k !== 'a look-alike'), 'test/Srv/SecurityGroup'],
  ['connections.allowTo(other, port)', (f, b) => f.server.connections.allowTo(f.sg, any(b)), /^port$/, undefined, 'test/Srv/SecurityGroup'],
  ['connections.allowFromAnyIpv4(port)', (f, b) => f.server.connections.allowFromAnyIpv4(any(b)), /^port$/, undefined, 'test/Srv/SecurityGroup'],
  ['connections.addSecurityGroup(group)', (f, b) => f.server.connections.addSecurityGroup(any(b)), /^addSecurityGroup\[0\]$/, undefined, 'test/Srv/SecurityGroup'],
  ['group.attachToPool(pool)', (f, b) => f.group.attachToPool(any(b), 80), /^pool$/, undefined, 'test/G'],
  ['group.attachToPool(pool, port)', (f, b) => f.group.attachToPool(f.pool, any(b)), /^port$/, NOT_A_PORT, 'test/G'],
  ['group.scaleOnMetric(id)', (f, b) => f.group.scaleOnMetric(any(b), any({ metric: undefined, steps: [] })), /^scaleOnMetric\.id$/, ALL.filter((k) => k !== 'a string'), 'test/G'],
  ['group.scaleToTrackCpu(props)', (f, b) => f.group.scaleToTrackCpu(any(b)), /^scaleToTrackCpu(\.targetPercent)?$/, ALL.filter((k) => k !== 'a look-alike'), 'test/G'],
  ['group.scaleToTrackCpu({ targetPercent })', (f, b) => f.group.scaleToTrackCpu({ targetPercent: any(b) }), /^scaleToTrackCpu\.targetPercent$/, NOT_A_PORT, 'test/G'],
  ['group.scaleToTrackMetric(id)', (f, b) => f.group.scaleToTrackMetric(any(b), any({ metric: undefined, targetValue: 1 })), /^scaleToTrackMetric\.id$/, ALL.filter((k) => k !== 'a string'), 'test/G'],
  ['group.scaleOnSchedule(id)', (f, b) => f.group.scaleOnSchedule(any(b), any({ schedule: undefined, desiredCapacity: 1 })), /^scaleOnSchedule\.id$/, ALL.filter((k) => k !== 'a string'), 'test/G'],
  ['group.scaleOnSchedule(id, options)', (f, b) => f.group.scaleOnSchedule('Rush', any(b)), /^(props|schedule)$/, ['undefined', 'null', 'a string', 'a number', 'a list', 'a function'], 'test/G/Rush'],
  ['alarm.addAlarmAction(policy)', (f, b) => f.alarm.addAlarmAction(any(b)), /^alarmActions$/, undefined, 'test/G/CpuHigh'],
  ['loadBalancer.addListener(id, options)', (f, b) => f.lb.addListener('L2', any(b)), /^options$/, ['undefined', 'null', 'a string', 'a number', 'a list', 'a function'], 'test/Lb'],
  ['loadBalancer.memberSide(subnet)', (f, b) => f.lb.memberSide(any(b)), /^subnet$/, undefined, 'test/Lb'],
  ['listener.addPool(id, options)', (f, b) => f.listener.addPool('P2', any(b)), /^options$/, ['null', 'a string', 'a number', 'a list', 'a function'], 'test/L'],
  ['floatingIp.associateWithServer(server)', (f, b) => new FloatingIp(f.stack, 'Fip', { externalNetworkName: 'public' }).associateWithServer(any(b)), /^server$/, undefined, 'test/Fip'],
  ['floatingIp.associateWithServer(server, options)', (f, b) => new FloatingIp(f.stack, 'Fip', { externalNetworkName: 'public' }).associateWithServer(f.server, any(b)), /^options$/, ['a string', 'a number', 'a list'], 'test/Fip'],
  ['resource.addHeatPropertyOverride(path)', (f, b) => f.server.addHeatPropertyOverride(any(b), 1), /^path$/, ALL.filter((k) => k !== 'a string'), 'test/Srv'],
  ['resource.addHeatPropertyOverride(path, value, options)', (f, b) => f.server.addHeatPropertyOverride('name', 'x', any(b)), /^options$/, ['null', 'a string', 'a number', 'a list', 'a function'], 'test/Srv'],
  ['stack.addOutput(name)', (f, b) => f.stack.addOutput(any(b), { value: Value.literal('x'), description: 'd' }), /^name$/, ALL.filter((k) => k !== 'a string'), 'test'],
  ['stack.addOutput(name, options)', (f, b) => f.stack.addOutput('o', any(b)), /^(props|value)$/, undefined, 'test'],
  ['stack.addOutput(name, { value: Value.literal(x) })', (f, b) => f.stack.addOutput('o', { value: Value.literal(any(b)), description: 'd' }), /^value$/, ALL.filter((k) => k !== 'a string' && k !== 'a number'), 'test'],
  ['Warnings.acknowledge(scope, id)', (f, b) => Warnings.acknowledge(f.group, any(b), 'a reason'), /^id$/, undefined, 'test/G'],
  ['Stack.configure(terraformStack)', (_f, b) => Stack.configure(any(b), {}), /^terraformStack$/, undefined, 'Stack.configure'],
];

/** The user data of a new server built with `config`, so the content checks run. */
function serverWith(f: F, config: CloudConfig): Server {
  return new Server(f.stack, 'S2', { image: f.image, flavor: f.flavor, networks: [f.vnet.network], userData: UserData.forCloudConfig(config) });
}

const USER_DATA_CASES: Case[] = [
  ['cloudConfig.substitute(placeholder)', (f, b) => serverWith(f, new CloudConfig().substitute(any(b), Value.literal('x'))), /^userData\.substitute\.placeholder$/, ALL.filter((k) => k !== 'a string'), 'test/S2'],
  ['cloudConfig.substitute(placeholder, value)', (f, b) => serverWith(f, new CloudConfig().substitute('@@X@@', any(b))), /^userData\.substitute\(@@X@@\)$/, undefined, 'test/S2'],
  ['cloudConfig.addFile(file)', (f, b) => serverWith(f, new CloudConfig().addFile(any(b))), /^userData\.files\[0\]/, undefined, 'test/S2'],
  ['cloudConfig.addPackages(name)', (f, b) => serverWith(f, new CloudConfig().addPackages(any(b))), /^userData\.packages\[0\]$/, ALL.filter((k) => k !== 'a string'), 'test/S2'],
  ['cloudConfig.addRunCommands(command)', (f, b) => serverWith(f, new CloudConfig().addRunCommands(any(b))), /^userData\.commands\[0\]$/, ALL.filter((k) => k !== 'a string'), 'test/S2'],
];

const rows = [...CASES, ...USER_DATA_CASES].flatMap(([call, fn, prop, kinds, path]) => (kinds ?? ALL).map((kind) => [call, kind, fn, prop, path] as const));

describe('method arguments from plain JavaScript', () => {
  test.each(rows)('GIVEN %s with %s THEN a ScaleoutError names the construct and the argument', (_call, kind, fn, prop, path) => {
    const f = fixture();
    let error: unknown;
    try {
      fn(f, BAD[kind]);
      // a late check is still a check: rendering must refuse it too
      heatOf(f.stack);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScaleoutError);
    const err = error as ScaleoutError;
    expect(err.code).toMatch(/^SO_[A-Z_]+$/);
    expect(err.prop).toMatch(prop);
    expect(err.constructPath).toBe(path);
    expect(err.message).toContain(`${path}: '${err.prop}'`);
  });

  test('CASES cover the builders and methods the issue names', () => {
    const names = [...CASES, ...USER_DATA_CASES].map(([c]) => c.split('(')[0]);
    for (const m of ['pool.addMember', 'securityGroup.addIngressRule', 'securityGroup.addEgressRule', 'connections.allowFrom', 'connections.allowTo', 'cloudConfig.substitute', 'group.attachToPool', 'group.scaleOnMetric']) {
      expect(names).toContain(m);
    }
    expect(rows.length).toBeGreaterThan(200);
  });
});

describe('numbers out of range', () => {
  test.each([0, -1, 65536, 1.5, Infinity, '80'])('GIVEN port %p THEN addMember and attachToPool refuse it', (port) => {
    for (const call of [(f: F) => f.pool.addMember(f.server, any(port)), (f: F) => f.group.attachToPool(f.pool, any(port))]) {
      const f = fixture();
      let error: any;
      try {
        call(f);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ScaleoutError);
      expect(error.prop).toBe('port');
      expect(error.code).toBe('SO_RANGE');
    }
  });
});

describe('services tier methods', () => {
  function services() {
    const f = fixture();
    const tier = new ServicesTier(f.stack, 'Services', { image: f.image, flavor: f.flavor, networks: [f.vnet.network] });
    return { f, tier };
  }

  test.each(['a string', 'a number', 'a plain object', 'a look-alike', 'a list'])('GIVEN allowFrom(%s) THEN it is refused as a tier', (kind) => {
    const { tier } = services();
    let error: any;
    try {
      tier.allowFrom(any(BAD[kind]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScaleoutError);
    expect(error.prop).toBe('tier');
    expect(error.constructPath).toBe('test/Services');
  });

  test.each(['a string', 'a number', 'a plain object', 'a look-alike'])('GIVEN substituteInto(%s) THEN it is refused as a CloudConfig', (kind) => {
    const { tier } = services();
    let error: any;
    try {
      tier.substituteInto(any(BAD[kind]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScaleoutError);
    expect(error.prop).toBe('config');
    expect(error.message).toContain("'config' must be a CloudConfig");
  });
});

describe('Stack props go through the validation layer', () => {
  test.each([
    ['relase', 'release'],
    ['stackname', 'stackName'],
    ['descripton', 'description'],
  ])("GIVEN a misspelled '%s' THEN it is refused suggesting '%s'", (typo, near) => {
    const err = (() => {
      try {
        new Stack(new App(), 'shop', any({ [typo]: 'x' }));
      } catch (e) {
        return e as ScaleoutError;
      }
      throw new Error('accepted');
    })();
    expect(err.code).toBe('SO_UNKNOWN_PROP');
    expect(err.constructPath).toBe('shop');
    expect(err.message).toContain(`did you mean '${near}'?`);
  });

  test.each([
    ['a string', 'shop', 'SO_FORMAT'],
    ['a number', 1, 'SO_FORMAT'],
    ['a list', [], 'SO_FORMAT'],
    ['null', null, 'SO_REQUIRED'],
  ])('GIVEN props that are %s THEN they are refused', (_n, props, code) => {
    let error: any;
    try {
      new Stack(new App(), 'shop', any(props));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScaleoutError);
    expect(error.code).toBe(code);
    expect(error.prop).toBe('props');
  });

  test('GIVEN a polluted Object.prototype THEN the stack reads only its own props', () => {
    const proto = Object.prototype as any;
    proto.stackName = 'polluted';
    proto.description = 'polluted';
    try {
      const stack = new Stack(new App(), 'shop', {});
      expect(stack.stackName).toBe('shop');
      expect(stack.description).toBe('Scaleout stack shop');
    } finally {
      delete proto.stackName;
      delete proto.description;
    }
  });
});

void HealthMonitorType;
