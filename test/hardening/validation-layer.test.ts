/**
 * The validation layer (src/core/props.ts) as a caller from plain JavaScript meets it: a missing
 * props object, unknown keys, a polluted Object.prototype, wrong runtime types and look-alikes,
 * and the user-data content checks. Every refusal is a ScaleoutError naming path, prop and fix.
 */
import {
  Alarm,
  ListenerProtocol,
  LoadBalancer,
  VirtualNetwork,
  App,
  AutoScalingGroup,
  CloudConfig,
  Duration,
  Flavor,
  Image,
  Metric,
  Network,
  ScalingAdjustment,
  ScalingPolicy,
  SecurityGroup,
  Server,
  Stack,
  UserData,
  Value,
  Warnings,
} from '../../src';
import { nearest } from '../../src/core/props';
import { errorOf } from '../util/errors';
import { heatOf } from '../util/synth';

function fixture() {
  const app = new App();
  const stack = new Stack(app, 'test');
  const net = Network.fromName(stack, 'Net', 'private');
  const base = { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small', { vcpus: 2 }), networks: [net], maxSize: 4 };
  return { app, stack, net, base };
}

const any = (x: unknown): any => x;

describe('props objects', () => {
  test.each([
    ['missing', undefined, 'SO_REQUIRED', "test/Web: 'props' is required, got undefined"],
    ['null', null, 'SO_REQUIRED', "test/Web: 'props' is required, got null"],
    ['a string', 'web', 'SO_FORMAT', "test/Web: 'props' must be an object of properties, got \"web\""],
    ['a list', [], 'SO_FORMAT', "test/Web: 'props' must be an object of properties, got []"],
  ])('GIVEN props %s WHEN an AutoScalingGroup is created THEN it is refused', (_n, props, code, fragment) => {
    const { stack } = fixture();
    const err = errorOf(() => new AutoScalingGroup(stack, 'Web', any(props)));
    expect(err.code).toBe(code);
    expect(err.message).toContain(fragment);
  });

  test("GIVEN a misspelled optional prop WHEN the group is created THEN it is refused naming the nearest known key", () => {
    const { stack, base } = fixture();
    const err = errorOf(() => new AutoScalingGroup(stack, 'Web', any({ ...base, cooldwon: Duration.seconds(60) })));
    expect(err.code).toBe('SO_UNKNOWN_PROP');
    expect(err.prop).toBe('cooldwon');
    expect(err.message).toContain("test/Web: 'cooldwon' is not a property this accepts, got {\"amount\":60");
    expect(err.message).toContain("; did you mean 'cooldown'? [SO_UNKNOWN_PROP]");
  });

  test('GIVEN a singular securityGroup on a server WHEN it is created THEN the plural is suggested', () => {
    const { stack } = fixture();
    const sg = new SecurityGroup(stack, 'Sg');
    const err = errorOf(() => new Server(stack, 'S', any({ image: Image.fromName('i'), flavor: Flavor.fromName('f'), networks: [Network.fromName(stack, 'N2', 'n')], securityGroup: [sg] })));
    expect(err.message).toContain("'securityGroup' is not a property this accepts");
    expect(err.message).toContain("did you mean 'securityGroups'?");
  });

  test('GIVEN a key far from every known one THEN the known keys are listed instead', () => {
    const { stack } = fixture();
    const err = errorOf(() => new SecurityGroup(stack, 'Sg', any({ banana: true })));
    expect(err.message).toContain("'banana' is not a property this accepts, got true; known properties are 'securityGroupName', 'description'");
  });

  test('nearest: typos, case and plural are found; unrelated words are not', () => {
    expect(nearest('cooldwon', ['cooldown', 'minSize'])).toBe('cooldown');
    expect(nearest('MAXSIZE', ['maxSize'])).toBe('maxSize');
    expect(nearest('allowedCidr', ['allowedCidrs', 'port'])).toBe('allowedCidrs');
    expect(nearest('zebra', ['cooldown', 'minSize'])).toBeUndefined();
  });
});

describe('a polluted Object.prototype changes nothing', () => {
  const keys = ['maxSize', 'minSize', 'desiredCapacity', 'scalingWebhooks', 'publicRead', 'allowAllOutbound', 'cooldown'];
  afterEach(() => {
    for (const k of keys) delete (Object.prototype as any)[k];
  });

  test('GIVEN Object.prototype carries group props WHEN a group is created THEN only its own props count', () => {
    // GIVEN
    const { stack, base } = fixture();
    (Object.prototype as any).desiredCapacity = 3;
    (Object.prototype as any).minSize = 0;
    (Object.prototype as any).scalingWebhooks = false;
    (Object.prototype as any).cooldown = 5;
    // WHEN
    const group = new AutoScalingGroup(stack, 'Web', { ...base });
    for (const k of keys) delete (Object.prototype as any)[k];
    // THEN the defaults hold: min 1, no desired capacity, webhooks on, 300 s cooldown
    expect(group.minSize).toBe(1);
    expect(group.cooldownSeconds).toBe(300);
    expect(group.scaleOutPolicy).toBeDefined();
    const hot = heatOf(stack).resources.web;
    expect(hot.properties).toMatchObject({ min_size: 1, max_size: 4, cooldown: 300 });
    expect(hot.properties?.desired_capacity).toBeUndefined();
  });

  test('GIVEN a required prop only on the prototype WHEN the group is created THEN it is missing', () => {
    const { stack, base } = fixture();
    (Object.prototype as any).maxSize = 1000;
    const { maxSize: _drop, ...rest } = base;
    const err = errorOf(() => new AutoScalingGroup(stack, 'Web', any(rest)));
    expect(err.code).toBe('SO_REQUIRED');
    expect(err.prop).toBe('maxSize');
  });
});

describe('runtime types', () => {
  test.each([
    ['a number as cooldown', { cooldown: 300 }, 'cooldown', "'cooldown' must be a Duration, got 300; use Duration.seconds(n)"],
    ['a string as image', { image: 'ubuntu' }, 'image', "'image' must be an Image, got \"ubuntu\""],
    ['a look-alike image', { image: { nameOrId: 'ubuntu', validate: () => undefined } }, 'image', "'image' must be an Image"],
    ['a plain object as flavor', { flavor: { name: 'm1.small' } }, 'flavor', "'flavor' must be a Flavor"],
    ['a string as network', { networks: ['private'] }, 'networks[0]', "'networks[0]' must be a network, got \"private\""],
    ['a look-alike security group', { securityGroups: [{ _heatRef: () => 'x' }] }, 'securityGroups[0]', "'securityGroups[0]' must be a security group"],
    ['a string as key pair', { keyPair: 'ops' }, 'keyPair', "'keyPair' must be a key pair"],
    ['a string as user data', { userData: '#!/bin/sh' }, 'userData', "'userData' must be an UserData"],
    ['a number as rolling pause', { rollingUpdates: { pauseTime: 10 } }, 'rollingUpdates.pauseTime', "'rollingUpdates.pauseTime' must be a Duration"],
    ['an unknown rolling option', { rollingUpdates: { maxBatch: 2 } }, 'rollingUpdates.maxBatch', "'rollingUpdates.maxBatch' is not a property this accepts, got 2; did you mean 'maxBatchSize'?"],
  ])('GIVEN %s WHEN a group is created THEN it is refused with our error', (_n, override, prop, fragment) => {
    const { stack, base } = fixture();
    const err = errorOf(() => new AutoScalingGroup(stack, 'Web', any({ ...base, ...override })));
    expect(err.prop).toBe(prop);
    expect(err.message).toContain(`test/Web: ${fragment}`);
  });

  test('GIVEN a plain object as group WHEN a policy is created THEN it is refused', () => {
    const { stack } = fixture();
    const err = errorOf(() => new ScalingPolicy(stack, 'P', any({ group: { minSize: 1, maxSize: 2 }, adjustment: ScalingAdjustment.changeInCapacity(1) })));
    expect(err.message).toContain("test/P: 'group' must be an autoscaling group");
  });

  test('GIVEN a number as threshold band and a string as metric WHEN an alarm is created THEN it is refused', () => {
    const { stack } = fixture();
    expect(errorOf(() => new Alarm(stack, 'A', any({ metric: 'cpu', threshold: 1 }))).message).toContain("test/A: 'metric' must be a Metric, got \"cpu\"");
    expect(errorOf(() => new Alarm(stack, 'B', any({ metric: Metric.cpuTime(), threshold: '1' }))).message).toContain("test/B: 'threshold' must be a number");
  });

  test('GIVEN a number as cooldown WHEN scaleOnCpuUtilization is called THEN it is refused under the method name', () => {
    const { stack, base } = fixture();
    const group = new AutoScalingGroup(stack, 'Web', base);
    const err = errorOf(() => group.scaleOnCpuUtilization(any({ scaleOutAbovePercent: 70, scaleInBelowPercent: 30, cooldown: 60 })));
    expect(err.message).toContain("test/Web: 'scaleOnCpuUtilization.cooldown' must be a Duration, got 60");
    const typo = errorOf(() => group.scaleOnCpuUtilization(any({ scaleOutAbovePercent: 70, scaleInBelowPercent: 30, scaleOutby: 2 })));
    expect(typo.message).toContain("'scaleOnCpuUtilization.scaleOutby' is not a property this accepts, got 2; did you mean 'scaleOutBy'?");
  });

  test('GIVEN a step with a misspelled key WHEN scaleOnMetric is called THEN it is refused', () => {
    const { stack, base } = fixture();
    const group = new AutoScalingGroup(stack, 'Web', base);
    const err = errorOf(() => group.scaleOnMetric('Queue', any({ metric: Metric.gnocchi({ metric: 'queue.depth' }), steps: [{ lowr: 10, change: 1 }] })));
    expect(err.message).toContain("test/Web/Queue: 'steps[0].lowr' is not a property this accepts, got 10; did you mean 'lower'?");
  });

  test('GIVEN a plain object as pool WHEN attachToPool is called THEN it is refused', () => {
    const { stack, base } = fixture();
    const group = new AutoScalingGroup(stack, 'Web', base);
    expect(errorOf(() => group.attachToPool(any({ memberSubnet: {} }), 80)).message).toContain("test/Web: 'pool' must be a load-balancer pool");
    expect(errorOf(() => group.attachToPool(any(undefined), 80)).code).toBe('SO_REQUIRED');
  });
});

describe('user data content', () => {
  const server = (userData: UserData) => {
    const { stack, base } = fixture();
    return () => new Server(stack, 'Web', { image: base.image, flavor: base.flavor, networks: base.networks, userData });
  };

  test('GIVEN an empty placeholder WHEN a server takes the user data THEN it is refused (Heat refuses it, Terraform would corrupt the text)', () => {
    const err = errorOf(server(UserData.forCloudConfig(new CloudConfig().addRunCommands('echo').substitute('', Value.literal('x')))));
    expect(err.code).toBe('SO_EMPTY');
    expect(err.message).toContain("test/Web: 'userData.substitute.placeholder' must be a non-empty literal text, got \"\"");
  });

  test('GIVEN a substitution value that is not a Value THEN it is refused', () => {
    const err = errorOf(server(UserData.forCloudConfig(new CloudConfig().substitute('@@X@@', any('10.0.0.1')))));
    expect(err.message).toContain("'userData.substitute(@@X@@)' must be a Value, got \"10.0.0.1\"");
  });

  test.each([['640 (a number)', 640], ["'0999'", '0999'], ["'rw-r--r--'", 'rw-r--r--']])('GIVEN file permissions %s THEN they are refused', (_n, permissions) => {
    const err = errorOf(server(UserData.forCloudConfig(new CloudConfig().addFile(any({ path: '/etc/a', content: 'x', permissions })))));
    expect(err.code).toBe('SO_FORMAT');
    expect(err.message).toContain("'userData.files[0].permissions' must be 3 or 4 octal digits as a string");
  });

  test('GIVEN a misspelled file key and a relative path THEN each is refused', () => {
    expect(errorOf(server(UserData.forCloudConfig(new CloudConfig().addFile(any({ path: '/etc/a', content: 'x', permission: '0600' })))))).toMatchObject({
      code: 'SO_UNKNOWN_PROP',
      prop: 'userData.files[0].permission',
    });
    expect(errorOf(server(UserData.forCloudConfig(new CloudConfig().addFile({ path: 'etc/a', content: 'x' })))).prop).toBe('userData.files[0].path');
  });

  test('GIVEN a non-string script line or raw text THEN it is refused', () => {
    expect(errorOf(server(UserData.forShellScript('echo', any(42)))).prop).toBe('userData.lines[1]');
    expect(errorOf(server(UserData.custom(any({ a: 1 })))).prop).toBe('userData');
    expect(errorOf(server(UserData.forCloudConfig(any('#cloud-config')))).prop).toBe('userData');
  });

  test('GIVEN a literal substituted for a password placeholder THEN a warning with a stable id is raised', () => {
    const { app, stack, base } = fixture();
    new Server(stack, 'Web', { image: base.image, flavor: base.flavor, networks: base.networks, userData: UserData.forCloudConfig(new CloudConfig().addRunCommands('echo @@DB_PASSWORD@@').substitute('@@DB_PASSWORD@@', Value.literal('hunter2'))) });
    expect(Warnings.of(app).map((w) => w.id)).toContain('scaleout:literal-secret-in-user-data');
  });
});

describe('OpenStack limits and dangerous input', () => {
  const lbFixture = () => {
    const { app, stack } = fixture();
    const net = new VirtualNetwork(stack, 'Vn', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
    return { app, stack, lb: new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet }) };
  };

  test.each([
    ['SSH from anywhere', 22, undefined],
    ['MySQL from 0.0.0.0/0', 3306, ['0.0.0.0/0']],
    ['Redis from a /4', 6379, ['0.0.0.0/4']],
  ])('GIVEN a TCP listener forwarding %s WHEN it is added THEN it is refused like a security-group rule', (_n, port, allowedCidrs) => {
    const { lb } = lbFixture();
    const err = errorOf(() => lb.addListener('L', { protocol: ListenerProtocol.TCP, port, allowedCidrs }));
    expect(err.code).toBe('SO_INSECURE');
    expect(err.message).toContain(`test/Lb/L: 'port' would forward`);
    expect(err.message).toContain('allowPublicAccessToSensitivePort: true');
  });

  test('GIVEN a sensitive port with a narrow CIDR or an explicit opt-in THEN the listener is accepted', () => {
    const { lb } = lbFixture();
    expect(lb.addListener('Admin', { protocol: ListenerProtocol.TCP, port: 22, allowedCidrs: ['203.0.113.0/24'] }).port).toBe(22);
    expect(lb.addListener('Open', { protocol: ListenerProtocol.TCP, port: 5432, allowPublicAccessToSensitivePort: true }).port).toBe(5432);
  });

  test.each([['a slash', 'app/role'], ['a non-ASCII letter', 'rôle']])('GIVEN a metadata key with %s THEN it is refused (Nova refuses it at create)', (_n, key) => {
    const { stack, base } = fixture();
    const err = errorOf(() => new Server(stack, 'Web', { image: base.image, flavor: base.flavor, networks: base.networks, metadata: { [key]: 'x' } }));
    expect(err.code).toBe('SO_FORMAT');
    expect(err.message).toContain("'metadata' keys may hold only letters, digits, spaces and - _ : .");
  });

  test('GIVEN names with leading or trailing whitespace THEN they are refused', () => {
    const { stack, base } = fixture();
    expect(errorOf(() => new Server(stack, 'Web', { image: base.image, flavor: base.flavor, networks: base.networks, serverName: ' web' })).message).toContain(
      "'serverName' must not start or end with whitespace",
    );
    expect(errorOf(() => new SecurityGroup(stack, 'Sg', { securityGroupName: 'web\t' })).code).toBe('SO_FORMAT');
  });

  test('GIVEN a name of 255 characters outside the BMP THEN it is accepted (Python counts code points, not UTF-16 units)', () => {
    const { stack } = fixture();
    const name = '😀'.repeat(255);
    expect(name.length).toBe(510);
    expect(new SecurityGroup(stack, 'Sg', { securityGroupName: name })).toBeDefined();
    expect(errorOf(() => new SecurityGroup(stack, 'Sg2', { securityGroupName: name + '😀' })).message).toContain('(it has 256)');
  });
});
