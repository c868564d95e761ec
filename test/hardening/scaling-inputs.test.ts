/**
 * Scaling inputs OpenStack serves badly: aggregation methods Gnocchi does not serve are refused;
 * legal but misleading rules raise acknowledgeable warnings (a member-reported metric on a group
 * that may be empty, a band narrower than one step, a percentage on the nanosecond CPU metric);
 * names derived from long group ids fit Heat's and Nova's limits in both targets.
 */
import { Construct } from 'constructs';
import { App, AutoScalingGroup, Flavor, GnocchiAggregation, Stack, VirtualNetwork, GnocchiQuery, Image, Metric, OpenStackRelease, Warnings, cpuPercentToNanoseconds } from '../../src';
import { flippingSize } from '../../src/constructs/autoscaling/scaling-warnings';
import { embeddedOf, groupStack } from '../constructs/autoscaling/fixture';
import { errorOf } from '../util/errors';
import { heatOf, terraformOf } from '../util/synth';

const any = (x: unknown): any => x;
const STEPS = [
  { upper: 1, change: -1 },
  { lower: 5, change: 1 },
];

describe('Gnocchi aggregation methods', () => {
  test.each(['mean', 'sum', 'last', 'max', 'min', 'std', 'median', 'first', 'count', '1pct', '95pct', '99pct', 'rate:mean', 'rate:max', 'rate:95pct', 'rate:count'])(
    'GIVEN %s THEN the alarm is accepted and carries it in both targets',
    (method) => {
      const { stack, group } = groupStack();
      group().scaleOnMetric('Queue', { metric: Metric.gnocchi({ metric: 'queue.depth', aggregation: GnocchiAggregation.of(method) }), steps: STEPS });
      const heat = heatOf(stack);
      const alarms = Object.values(heat.resources).filter((r) => r.type === 'OS::Aodh::GnocchiAggregationByResourcesAlarm');
      expect(alarms.length).toBe(2);
      for (const a of alarms) expect(a.properties?.aggregation_method).toBe(method);
      const embedded = embeddedOf(terraformOf(stack), 'web');
      const tfAlarms = Object.values<any>(embedded.template.resources).filter((r) => r.type === 'OS::Aodh::GnocchiAggregationByResourcesAlarm');
      for (const a of tfAlarms) expect(a.properties.aggregation_method).toBe(method);
    },
  );

  test.each([
    ['avg', 'avg'],
    ['p95', 'p95'],
    ['0pct', '0pct'],
    ['100pct', '100pct'],
    ['095pct', '095pct'],
    ['a bare rate:', 'rate:'],
    ['a doubled rate:', 'rate:rate:mean'],
    ['rate of an unknown method', 'rate:avg'],
    ['upper case', 'MEAN'],
    ['a leading space', ' mean'],
    ['an empty name', ''],
    ['a number', 95],
    ['undefined', undefined],
    ['an object', { name: 'mean' }],
  ])('GIVEN %s THEN it is refused naming the metric aggregation', (_n, method) => {
    const { group } = groupStack();
    const web = group();
    const err = errorOf(() => web.scaleOnMetric('Queue', { metric: Metric.gnocchi({ metric: 'queue.depth', aggregation: GnocchiAggregation.of(any(method)) }), steps: STEPS }));
    expect(err.code).toBe('SO_ENUM');
    expect(err.prop).toBe('metric.aggregation');
    expect(err.constructPath).toMatch(/^test\/Web\/Queue\//);
    expect(err.message).toContain('must be an aggregation method Gnocchi serves');
  });

  test('GIVEN a look-alike aggregation object THEN it is refused as not a GnocchiAggregation', () => {
    const { group } = groupStack();
    const err = errorOf(() => group().scaleOnMetric('Queue', { metric: Metric.gnocchi({ metric: 'queue.depth', aggregation: any({ name: 'mean', isRate: false }) }), steps: STEPS }));
    expect(err.code).toBe('SO_ENUM');
    expect(err.message).toContain('must be a GnocchiAggregation');
  });
});

describe("warning: an aggregation Ceilometer's archive policy for cpu does not keep", () => {
  const ID = 'scaleout:aggregation-outside-default-archive-policy';

  test.each([
    ['rate:mean', 0],
    ['mean', 0],
    ['rate:max', 1],
    ['95pct', 1],
  ])('GIVEN cpu with %s THEN %s warnings per alarm', (method, perAlarm) => {
    const { app, group } = groupStack();
    group().scaleOnMetric('Cpu', { metric: Metric.gnocchi({ metric: 'cpu', aggregation: GnocchiAggregation.of(method) }), steps: [{ upper: 1e10, change: -1 }, { lower: 1e11, change: 1 }] });
    const found = Warnings.of(app).filter((w) => w.id === ID);
    expect(found.length).toBe(2 * perAlarm);
    for (const w of found) expect(w.message).toContain("'ceilometer-low-rate', which keeps only mean and rate:mean");
  });

  test('GIVEN another metric or resource type with rate:max THEN nothing is said', () => {
    const { app, group } = groupStack();
    group().scaleOnMetric('Net', { metric: Metric.gnocchi({ metric: 'network.incoming.bytes', aggregation: GnocchiAggregation.RATE_MAX }), steps: STEPS });
    group({}, 'Other').scaleOnMetric('Cpu', { metric: Metric.gnocchi({ metric: 'cpu', resourceType: 'generic', aggregation: GnocchiAggregation.RATE_MAX }), steps: STEPS });
    expect(Warnings.of(app).filter((w) => w.id === ID)).toEqual([]);
  });
});

describe('warning: a metric only members report on a group that may be empty', () => {
  const ID = 'scaleout:member-metric-with-min-size-zero';

  test.each([
    ['CPU scaling, minSize 0', 0, (w: any) => w.scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20 }), true],
    ['CPU scaling, minSize 1', 1, (w: any) => w.scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20 }), false],
    ['a per-member Gnocchi metric, minSize 0', 0, (w: any) => w.scaleOnMetric('Mem', { metric: Metric.gnocchi({ metric: 'memory.usage' }), steps: STEPS }), true],
    [
      'a metric of another resource (a queue), minSize 0',
      0,
      (w: any) => w.scaleOnMetric('Queue', { metric: Metric.gnocchi({ metric: 'queue.depth', resourceType: 'generic', query: GnocchiQuery.of({ '=': { id: 'orders-queue' } }) }), steps: STEPS }),
      false,
    ],
  ])('GIVEN %s THEN the warning is %s', (_n, minSize, scale, expected) => {
    const { app, group } = groupStack();
    const web = group({ minSize });
    scale(web);
    const found = Warnings.of(app).filter((w) => w.id === ID);
    expect(found.length).toBe(expected ? 1 : 0);
    if (expected) {
      expect(found[0].path).toBe('test/Web');
      expect(found[0].message).toContain("but 'minSize' is 0");
    }
  });

  test('GIVEN a PromQL query over the members and minSize 0 THEN it warns too', () => {
    const { app, group } = groupStack(OpenStackRelease.V2024_1);
    group({ minSize: 0 }).scaleOnMetric('Rps', { metric: Metric.prometheus({ query: `sum(rate(http_requests_total{server_group="${Metric.SERVER_GROUP}"}[5m]))` }), steps: STEPS });
    expect(Warnings.of(app).map((w) => w.id)).toContain(ID);
  });

  test('GIVEN the warning acknowledged with a reason THEN it is no longer listed', () => {
    const { app, group } = groupStack();
    const web = group({ minSize: 0 });
    web.scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    Warnings.acknowledge(web, ID, 'a scheduled job sets the desired capacity each morning');
    expect(Warnings.of(app).filter((w) => w.id === ID)).toEqual([]);
  });
});

describe('warning: thresholds closer than one scaling step', () => {
  const ID = 'scaleout:thresholds-narrower-than-step';

  test.each([
    // out above, in below, out by, in by, min, max, warned, fragment
    [60, 50, 1, 1, 1, 4, true, 'scaling out from 1 to 2 members at just above 60 % lowers the per-member average to about 30 %, below the scale-in threshold 50 %'],
    [60, 50, 1, 1, 2, 4, true, 'scaling out from 2 to 3 members at just above 60 % lowers the per-member average to about 40 %'],
    [80, 45, 1, 1, 1, 10, true, 'scaling out from 1 to 2'],
    // removing more than is added: the scale-in flips first
    [70, 30, 1, 2, 1, 10, true, 'scaling in from 3 to 1 members at just below 30 % raises the per-member average to about 90 %, above the scale-out threshold 70 %'],
    [70, 20, 3, 1, 1, 10, true, 'scaling out from 1 to 4 members at just above 70 % lowers the per-member average to about 17.5 %'],
    [70, 30, 1, 1, 1, 10, false, ''],
    [90, 40, 1, 1, 1, 10, false, ''],
    [70, 20, 3, 1, 2, 10, false, ''],
    // exactly on the other threshold is not across it
    [60, 50, 1, 1, 5, 10, false, ''],
    // a clamped step: scaling in by 3 from 2 members with minSize 1 removes only 1
    [90, 40, 1, 3, 1, 2, false, ''],
  ] as Array<[number, number, number, number, number, number, boolean, string]>)(
    'GIVEN out above %s %, in below %s %, +%s/-%s, size %s..%s THEN warned: %s',
    (outAbove, inBelow, outBy, inBy, minSize, maxSize, warned, fragment) => {
      const { app, group } = groupStack();
      group({ minSize, maxSize }).scaleOnCpuUtilization({ scaleOutAbovePercent: outAbove, scaleInBelowPercent: inBelow, scaleOutBy: outBy, scaleInBy: inBy });
      const found = Warnings.of(app).filter((w) => w.id === ID);
      expect(found.length).toBe(warned ? 1 : 0);
      if (warned) {
        expect(found[0].path).toBe('test/Web');
        expect(found[0].message).toContain(fragment);
      }
    },
  );

  test('flippingSize: the first size that flips, or none', () => {
    expect(flippingSize({ minSize: 1, maxSize: 4 }, 60, 50, 1, 1)).toEqual({ direction: 'out', from: 1, to: 2, after: 30 });
    expect(flippingSize({ minSize: 1, maxSize: 10 }, 70, 30, 1, 2)).toEqual({ direction: 'in', from: 3, to: 1, after: 90 });
    expect(flippingSize({ minSize: 1, maxSize: 10 }, 70, 30, 1, 1)).toBeUndefined();
    // scaling in to no member leaves no average to judge
    expect(flippingSize({ minSize: 0, maxSize: 3 }, 70, 30, 1, 1)).toBeUndefined();
    expect(flippingSize({ minSize: 1, maxSize: 10 }, 70, 20, 3, 1)).toEqual({ direction: 'out', from: 1, to: 4, after: 17.5 });
  });

  test('GIVEN CPU step scaling whose inner steps are too close THEN it warns; on a queue metric it does not judge', () => {
    const { app, group } = groupStack();
    const ns = (p: number) => cpuPercentToNanoseconds(p, 300, 2);
    group().scaleOnMetric('Cpu', { metric: Metric.cpuTime(), steps: [{ upper: ns(50), change: -1 }, { lower: ns(60), change: 1 }] });
    group({}, 'Workers').scaleOnMetric('Queue', { metric: Metric.gnocchi({ metric: 'queue.depth' }), steps: [{ upper: 50, change: -1 }, { lower: 60, change: 1 }] });
    const found = Warnings.of(app).filter((w) => w.id === ID);
    expect(found.map((w) => w.path)).toEqual(['test/Web']);
    expect(found[0].message).toContain("'scaleOnMetric(Cpu).steps'");
  });
});

describe('warning: a percentage on the nanosecond CPU metric', () => {
  const ID = 'scaleout:percent-threshold-on-cpu-time';

  test.each([
    ['steps at 20 and 80', [{ upper: 20, change: -1 }, { lower: 80, change: 1 }], 2],
    // the band alarm warns for its threshold and its upper bound
    ['a band step from 1 to 100', [{ upper: 0.5, change: -1 }, { lower: 1, upper: 100, change: 1 }, { lower: 100, change: 2 }], 4],
    ['steps in nanoseconds', [{ upper: 1e10, change: -1 }, { lower: 1e11, change: 1 }], 0],
    ['negative and zero bounds (not percentages)', [{ upper: 0, change: -1 }, { lower: 1e11, change: 1 }], 0],
  ])('GIVEN Metric.cpuTime() with %s THEN %s alarms warn', (_n, steps, count) => {
    const { app, group } = groupStack();
    group().scaleOnMetric('Cpu', { metric: Metric.cpuTime(), steps: steps as any });
    const found = Warnings.of(app).filter((w) => w.id === ID);
    expect(found.length).toBe(count);
    for (const w of found) {
      expect(w.path).toMatch(/^test\/Web\/Cpu\/.*\/Alarm$/);
      expect(w.message).toContain('nanoseconds of CPU time per period, not percent');
    }
  });

  test('GIVEN the same thresholds on another metric THEN nothing is said', () => {
    const { app, group } = groupStack();
    group().scaleOnMetric('Mem', { metric: Metric.gnocchi({ metric: 'memory.usage' }), steps: [{ upper: 20, change: -1 }, { lower: 80, change: 1 }] });
    expect(Warnings.of(app).filter((w) => w.id === ID)).toEqual([]);
  });
});

describe('names derived from a long group id', () => {
  /** A group whose logical name has 245 characters, in a stack with a 29-character name: the names built from both do not fit. */
  function longGroup() {
    const stack = new Stack(new App(), 'test', { stackName: 'test-with-a-longer-stack-name' });
    const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
    const deep = new Construct(stack, 'G'.repeat(150));
    new AutoScalingGroup(deep, 'W'.repeat(94), { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small', { vcpus: 2 }), networks: [net.network], maxSize: 4 });
    return stack;
  }

  test('Terraform: the embedded stack name, the group key, the member file name and the owner metadata are shortened to fit', () => {
    const tf = terraformOf(longGroup());
    const [orchestration] = Object.values<any>(tf.resources('openstack_orchestration_stack_v1'));
    // 'test-with-a-longer-stack-name-' + 245 characters is over Heat's 255 for a stack name
    expect(orchestration.name.length).toBeLessThanOrEqual(255);
    expect(orchestration.name).toMatch(/^test-with-a-longer-stack-name-g+_w+-[0-9a-f]{8}$/);
    const name = Object.keys(tf.resources('openstack_orchestration_stack_v1'))[0];
    const embedded = embeddedOf(tf, name);
    const [group] = Object.values<any>(embedded.template.resources).filter((r) => r.type === 'OS::Heat::AutoScalingGroup');
    // the group key is '<stack id>-<group>', a Nova metadata value: with a 36-character stack id it stays within 255
    const key: string = group.properties.resource.properties.server_group.str_replace.template;
    expect(key).toMatch(/^%stack_id%-g+_w+-[0-9a-f]{8}$/);
    expect(key.replace('%stack_id%', 'x'.repeat(36)).length).toBeLessThanOrEqual(255);
    // the member template's file name fits a file system's 255 bytes
    const file = String(group.properties.resource.type).split('/').pop()!;
    expect(Buffer.byteLength(file)).toBeLessThanOrEqual(255);
    expect(file).toMatch(/^g+_w+_[0-9a-f]{8}_member\.yaml$/);
    // the owner metadata (the group's path, 250 characters) fits Nova's 255 as it is
    const owner = /"scaleout_owner":"([^"]*)"/.exec(JSON.stringify(embedded.member))![1];
    expect(owner.length).toBeLessThanOrEqual(255);
    expect(owner.startsWith('test/GGG')).toBe(true);
  });

  test("Heat: a logical name over Heat's 255 characters (the group's security group) is refused naming the construct", () => {
    const err = errorOf(() => heatOf(longGroup()));
    expect(err.code).toBe('SO_RANGE');
    expect(err.prop).toBe('id');
    expect(err.constructPath).toMatch(/^test\/G+\/W+(\/|$)/);
    expect(err.message).toContain('and Heat stores at most 255; shorten the ids on the path');
  });
});
