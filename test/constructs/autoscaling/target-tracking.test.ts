/** Target tracking: scaleToTrackCpu / scaleToTrackMetric compiled to alarm bands, and what the simulator makes of them. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Flavor, GnocchiQuery, Metric, targetTrackingBands, Warnings, writeHeat } from '../../../src';
import { BUILT_IN_TRACES, calculateNewCapacity, loadGroups, simulate, summarize, type Timeline } from '../../../src/simulate';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { embeddedOf, errorOf, groupStack, memberOf, memberPolicyOf, policyOf } from './fixture';

describe('targetTrackingBands', () => {
  test('GIVEN a 50 % target and a minimum of 2 WHEN the bands are chosen THEN each step is the change its nearest end needs, and the scale-in band starts where one server less stays below the scale-out band', () => {
    const bands = targetTrackingBands(50, { minSize: 2, ceiling: 100, saturation: 90 });
    // out: from 1.1 T, 1.25 T, 1.5 T and the saturation level; (b / T - 1) x 100 % each
    expect(bands.scaleOut).toEqual([
      { lower: 55, upper: 62.5, changePercent: 10 },
      { lower: 62.5, upper: 75, changePercent: 25 },
      { lower: 75, upper: 90, changePercent: 50 },
      { lower: 90, upper: undefined, changePercent: 80 },
    ]);
    // in: below min(0.9 T, 55 x 2 / 3) = 36.6, by (1 - 36.6/50) x 100 = 26 %; below half of it by 63 %
    expect(bands.scaleIn).toEqual([
      { lower: 18.3, upper: 36.6, changePercent: -26 },
      { upper: 18.3, changePercent: -63 },
    ]);
  });

  test('GIVEN a large minimum WHEN the bands are chosen THEN the band where the group keeps its size is 0.9 T to 1.1 T', () => {
    const bands = targetTrackingBands(60, { minSize: 10, ceiling: 100, saturation: 90 });
    expect(bands.scaleOut[0]).toMatchObject({ lower: 66, changePercent: 10 });
    expect(bands.scaleIn[0]).toMatchObject({ upper: 54, changePercent: -10 });
  });

  test('GIVEN a CPU target above 90 % WHEN it tracks THEN a warning says the steps are small', () => {
    const { group } = groupStack();
    const web = group({ minSize: 2 });
    web.scaleToTrackCpu({ targetPercent: 92 });
    expect(Warnings.of(web).map((w) => w.id)).toContain('scaleout:target-near-saturation');
  });

  test('GIVEN a target near saturation WHEN the bands are chosen THEN no band starts at or above the ceiling', () => {
    const bands = targetTrackingBands(92, { minSize: 1, ceiling: 100, saturation: 90 });
    expect(bands.scaleOut).toEqual([{ lower: 96, upper: undefined, changePercent: 4 }]);
  });

  test.each([
    [50, 1],
    [50, 2],
    [60, 3],
    [70, 1],
    [30, 5],
    [80, 2],
  ])('GIVEN target %d %% and minSize %d WHEN Heat applies any band at any size THEN the load lands on the same side of the target or inside the band where the group keeps its size', (target, minSize) => {
    const { scaleOut, scaleIn } = targetTrackingBands(target, { minSize, ceiling: 100, saturation: 90 });
    const outAbove = scaleOut[0].lower!;
    const inBelow = scaleIn[0].upper!;
    const maxSize = 200;
    for (let n = Math.max(minSize, 1); n < maxSize; n++) {
      for (const b of scaleOut) {
        // from the band's lowest load, the worst case for landing below the target
        const to = calculateNewCapacity(n, b.changePercent, 'percent_change_in_capacity', 1, minSize, maxSize);
        const after = (b.lower! * n) / to;
        expect(to).toBeGreaterThan(n);
        // a percentage never carries the load below the target; one server may, but never into a scale-in band
        if (to - n > 1) expect(after).toBeGreaterThanOrEqual(target - 1e-9);
        expect(after).toBeGreaterThanOrEqual(inBelow);
      }
      if (n <= minSize) continue;
      for (const b of scaleIn) {
        // from just below the band's top, the worst case for landing above the target
        const to = calculateNewCapacity(n, b.changePercent, 'percent_change_in_capacity', 1, minSize, maxSize);
        const after = (b.upper! * n) / to;
        expect(to).toBeLessThan(n);
        if (n - to > 1) expect(after).toBeLessThanOrEqual(target + 1e-9);
        expect(after).toBeLessThanOrEqual(outAbove);
      }
    }
  });
});

describe('scaleToTrackCpu', () => {
  test('GIVEN a group of 2-vCPU servers WHEN it tracks 50 % THEN one percentage policy and one alarm per band, thresholds in ns per period, cooldowns derived', () => {
    const { stack, group } = groupStack();
    const web = group({ minSize: 2, maxSize: 10 });
    Warnings.acknowledge(stack, 'scaleout:group-rate-alarm', 'test');
    const tracking = web.scaleToTrackCpu({ targetPercent: 50 });
    const heat = heatOf(stack);
    const r = heat.resources;
    expect(tracking.scaleOut.map((b) => b.changePercent)).toEqual([10, 25, 50, 80]);
    expect(tracking.scaleIn.map((b) => b.changePercent)).toEqual([-26, -63]);
    expect(r.web_cpu_target_scale_out_by10_policy.properties).toEqual({
      auto_scaling_group_id: { get_resource: 'web' },
      adjustment_type: 'percent_change_in_capacity',
      scaling_adjustment: 10,
      min_adjustment_step: 1,
      // warm-up 180 + 300 x 2 + 60
      cooldown: 840,
    });
    // on the group's aggregate, scale-in waits 3 periods: 300 x 3 + 60
    expect(r.web_cpu_target_scale_in_by26_policy.properties).toMatchObject({ scaling_adjustment: -26, cooldown: 960 });
    // the band 55 % .. 62.5 % of 2 vCPU x 300 s
    const band = r.web_cpu_target_scale_out_by10_alarm;
    expect(band.type).toBe('OS::Aodh::CompositeAlarm');
    expect((band.properties!.composite_rule as any).rules.map((x: any) => [x.comparison_operator, x.threshold, x.evaluation_periods])).toEqual([
      ['ge', 330_000_000_000, 2],
      ['lt', 375_000_000_000, 2],
    ]);
    expect(policyOf(band)).toEqual(['web_cpu_target_scale_out_by10_policy']);
    expect(r.web_cpu_target_scale_out_by80_alarm.properties).toMatchObject({ comparison_operator: 'ge', threshold: 540_000_000_000, metric: 'cpu', aggregation_method: 'rate:mean' });
    expect(r.web_cpu_target_scale_in_by63_alarm.properties).toMatchObject({ comparison_operator: 'lt', threshold: 109_800_000_000, evaluation_periods: 3 });
    // the simulator reads the vCPUs from the descriptions
    expect(r.web_cpu_target_scale_out_by80_alarm.properties!.description).toContain('90% of 2 vCPU x 300 s');
  });

  test('GIVEN perMember WHEN it tracks THEN the bands live in the member template and reach the policies through the group, in both targets', () => {
    const { stack, group } = groupStack();
    const web = group({ minSize: 2, maxSize: 10 });
    web.scaleToTrackCpu({ targetPercent: 60, perMember: true });
    const heat = heatOf(stack);
    const member = memberOf(heat, 'web').resources;
    expect(Object.keys(hotResourcesOfType(heat.template, 'OS::Aodh::CompositeAlarm'))).toEqual([]);
    const alarms = Object.keys(member).filter((k) => k.startsWith('web_cpu_target_')).sort();
    expect(alarms).toEqual([
      'web_cpu_target_scale_in_by26_alarm',
      'web_cpu_target_scale_in_by63_alarm',
      'web_cpu_target_scale_out_by10_alarm',
      'web_cpu_target_scale_out_by25_alarm',
      'web_cpu_target_scale_out_by50_alarm',
    ]);
    expect(memberPolicyOf(heat.template, 'web', member.web_cpu_target_scale_out_by50_alarm)).toEqual(['web_cpu_target_scale_out_by50_policy']);
    // per member, scale-in waits as many periods as scale-out (and the warm-up): 2
    expect(heat.resources.web_cpu_target_scale_in_by26_policy.properties).toMatchObject({ cooldown: 660 });
    // Terraform embeds the same group, policies and member alarms
    const embedded = embeddedOf(terraformOf(stack), 'web');
    for (const name of ['web_cpu_target_scale_out_by10_policy', 'web_cpu_target_scale_in_by63_policy']) expect(embedded.resources[name]).toEqual(heat.resources[name]);
    for (const name of alarms) expect(embedded.member.resources[name]).toEqual(member[name]);
  });

  test('GIVEN disableScaleIn WHEN it tracks THEN only the scale-out bands exist', () => {
    const { stack, group } = groupStack();
    Warnings.acknowledge(stack, 'scaleout:group-rate-alarm', 'test');
    const tracking = group({ minSize: 2, maxSize: 10 }).scaleToTrackCpu({ targetPercent: 50, disableScaleIn: true });
    expect(tracking.scaleIn).toEqual([]);
    expect(Object.keys(heatOf(stack).resources).filter((k) => k.includes('scale_in_by'))).toEqual([]);
  });

  test.each([
    [0, "'scaleToTrackCpu.targetPercent' must be a percentage above 0 and below 100, got 0"],
    [100, "'scaleToTrackCpu.targetPercent' must be a percentage above 0 and below 100, got 100"],
    [-5, 'got -5'],
    [Number.NaN, 'must be a percentage above 0 and below 100'],
    ['50', 'must be a percentage above 0 and below 100'],
  ])('GIVEN targetPercent %p WHEN it tracks THEN the error names the group, the property and the range', (value, message) => {
    const { group } = groupStack();
    const e = errorOf(() => group().scaleToTrackCpu({ targetPercent: value as number }));
    expect(e.message).toContain('test/Web');
    expect(e.message).toContain(message);
    expect(e.message).toContain('pick a value in (0, 100)');
  });

  test('GIVEN no targetPercent or an unknown property WHEN it tracks THEN the error says which', () => {
    const { group } = groupStack();
    expect(errorOf(() => group({}, 'A').scaleToTrackCpu({} as any)).message).toContain("'scaleToTrackCpu.targetPercent' is required");
    expect(errorOf(() => group({}, 'B').scaleToTrackCpu({ targetPercent: 50, targetPercnt: 3 } as any)).message).toContain("'scaleToTrackCpu.targetPercnt' is not a property");
    expect(errorOf(() => group({}, 'C').scaleToTrackCpu({ targetPercent: 50, evaluationPeriods: 0 })).message).toContain('scaleToTrackCpu.evaluationPeriods');
  });

  test('GIVEN a flavor without vCPUs WHEN it tracks CPU THEN it is refused', () => {
    const { group } = groupStack();
    const e = errorOf(() => group({ flavor: Flavor.fromName('m1.small') }).scaleToTrackCpu({ targetPercent: 50 }));
    expect(e.message).toContain("'flavor.vcpus' is needed");
  });

  test('GIVEN target tracking WHEN another CPU policy is added to the same group, in either order, THEN it is refused', () => {
    const { group } = groupStack();
    const a = group({}, 'A');
    a.scaleToTrackCpu({ targetPercent: 50 });
    expect(errorOf(() => a.scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 30 })).message).toContain(
      "'scaleOnCpuUtilization' cannot be combined with scaleToTrackCpu on the same group",
    );
    expect(errorOf(() => a.scaleToTrackCpu({ targetPercent: 60 })).message).toContain("'scaleToTrackCpu' was already called on this group");
    expect(errorOf(() => a.scaleOnMetric('Cpu', { metric: Metric.cpuTime(), steps: [{ upper: 1e9, change: -1 }, { lower: 5e10, change: 1 }] })).message).toContain(
      "'scaleOnMetric(Cpu)' cannot be combined with scaleToTrackCpu",
    );
    const b = group({}, 'B');
    b.scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 30 });
    expect(errorOf(() => b.scaleToTrackCpu({ targetPercent: 50 })).message).toContain("'scaleToTrackCpu' cannot be combined with scaleOnCpuUtilization");
    const c = group({}, 'C');
    c.scaleToTrackMetric('CpuTime', { metric: Metric.cpuTime(), targetValue: 1.5e11 });
    expect(errorOf(() => c.scaleToTrackCpu({ targetPercent: 50 })).message).toContain('cannot be combined with scaleToTrackMetric(CpuTime)');
  });
});

describe('scaleToTrackMetric', () => {
  test('GIVEN a per-server gauge WHEN it tracks 100 THEN the bands are in the metric unit', () => {
    const { stack, group } = groupStack();
    const web = group({ minSize: 2, maxSize: 10 });
    const tracking = web.scaleToTrackMetric('Requests', { metric: Metric.gnocchi({ metric: 'requests.per.server', resourceType: 'instance' }), targetValue: 100 });
    expect(tracking.scaleOut.map((b) => [b.lower, b.changePercent])).toEqual([
      [110, 10],
      [125, 25],
      [150, 50],
      [200, 100],
      [300, 200],
      [400, 300],
    ]);
    const r = heatOf(stack).resources;
    expect(r.web_requests_scale_out_by300_alarm.properties).toMatchObject({ metric: 'requests.per.server', comparison_operator: 'ge', threshold: 400, evaluation_periods: 1 });
    // a gauge: no rate skew, so scale-in waits the warm-up periods (ceil(180 / 300) + 1 = 2)
    expect(r.web_requests_scale_in_by26_alarm.properties!.description).toContain('Track 100');
  });

  test('GIVEN a metric the members do not report WHEN it tracks THEN a warning says target tracking needs a per-member load', () => {
    const { group } = groupStack();
    const web = group({ minSize: 2 });
    web.scaleToTrackMetric('Queue', { metric: Metric.gnocchi({ metric: 'queue.depth', resourceType: 'generic', query: GnocchiQuery.of({ '=': { id: 'orders' } }) }), targetValue: 50 });
    expect(Warnings.of(web).map((w) => w.id)).toContain('scaleout:target-metric-not-per-member');
    const other = group({ minSize: 2 }, 'Other');
    other.scaleToTrackMetric('Requests', { metric: Metric.gnocchi({ metric: 'requests', resourceType: 'instance' }), targetValue: 50 });
    expect(Warnings.of(other).map((w) => w.id)).not.toContain('scaleout:target-metric-not-per-member');
  });

  test('GIVEN a ceiling WHEN it tracks THEN no band starts at or above it', () => {
    const { group } = groupStack();
    const tracking = group({ minSize: 2 }).scaleToTrackMetric('Conn', { metric: Metric.gnocchi({ metric: 'connections', resourceType: 'instance' }), targetValue: 100, ceiling: 160 });
    expect(tracking.scaleOut.map((b) => b.lower)).toEqual([110, 125, 150]);
  });

  test('GIVEN a bad target, ceiling or id WHEN it tracks THEN the error names the property', () => {
    const { group } = groupStack();
    const metric = Metric.gnocchi({ metric: 'connections', resourceType: 'instance' });
    expect(errorOf(() => group({}, 'A').scaleToTrackMetric('Conn', { metric, targetValue: 0 })).message).toContain("'targetValue' must be a number above 0, got 0");
    expect(errorOf(() => group({}, 'B').scaleToTrackMetric('Conn', { metric, targetValue: 10, ceiling: 10 })).message).toContain("'ceiling' must be above targetValue (10)");
    expect(errorOf(() => group({}, 'C').scaleToTrackMetric('bad id', { metric, targetValue: 10 })).message).toContain('scaleToTrackMetric.id');
    expect(errorOf(() => group({}, 'D').scaleToTrackMetric('Conn', { targetValue: 10 } as any)).message).toContain("'metric' is required");
  });
});

/**
 * The simulator (src/simulate) replays the synthesized HOT on the built-in step and ramp traces:
 * Ceilometer polling every 300 s, Aodh evaluating every 60 s, Heat's percentage arithmetic and
 * cooldowns, servers taking load 180 s after a scale-out.
 */
describe('target tracking in the simulator', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-track-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function replay(target: number, minSize: number, maxSize: number, perMember: boolean): Timeline[] {
    const { stack, group } = groupStack();
    Warnings.acknowledge(stack, 'scaleout:group-rate-alarm', 'test');
    group({ minSize, maxSize, flavor: Flavor.fromName('m1.small', { vcpus: 1 }) }).scaleToTrackCpu({ targetPercent: target, perMember });
    writeHeat(stack, tmp);
    const [g] = loadGroups(tmp);
    return ['step', 'ramp'].map((name) => simulate(g, BUILT_IN_TRACES[name].build({ minSize, maxSize }, 1)));
  }

  /** Members the demand needs at the target: ceil(demand / (target x vCPUs)). */
  const neededAt = (target: number, demand: number) => Math.ceil(demand / (target / 100) - 1e-9);

  test.each([
    [50, 2, 20, true],
    [50, 2, 20, false],
    [60, 1, 20, false],
    [50, 6, 40, true],
  ])('GIVEN target %d %%, minSize %d, maxSize %d, perMember %p WHEN step and ramp are replayed THEN the group settles at the size the target needs, without oscillating or scaling in under load', (target, minSize, maxSize, perMember) => {
    for (const tl of replay(target, minSize, maxSize, perMember)) {
      const peak = Math.max(...tl.samples.map((s) => s.demand));
      const plateau = tl.samples.filter((s) => s.demand === peak);
      const needed = neededAt(target, peak);
      // THEN at the end of the plateau the group holds ceil(demand / target) members, give or take one
      const settled = plateau[plateau.length - 1].members;
      expect(Math.abs(settled - needed)).toBeLessThanOrEqual(1);
      // AND on the plateau the size changes direction at most once
      const from = plateau[0].t;
      const to = plateau[plateau.length - 1].t;
      const moves = tl.signals.filter((s) => s.result === 'scaled' && s.t >= from && s.t <= to).map((s) => Math.sign(s.to - s.from));
      const reversals = moves.filter((m, i) => i > 0 && m !== moves[i - 1]).length;
      expect(reversals).toBeLessThanOrEqual(1);
      // AND no scale-in ever leaves fewer members than the load needs at the scale-out band (the simulator's own judgement)
      const summary = summarize(tl);
      expect(summary.scaleInsUnderLoad).toBe(0);
      // AND no scale-in happens while the demand is rising or at its peak
      const rising = tl.samples.filter((s) => s.t <= to);
      const lastRising = rising[rising.length - 1].t;
      expect(tl.signals.filter((s) => s.result === 'scaled' && s.to < s.from && s.t <= lastRising)).toEqual([]);
      // AND the group returns to its minimum once the load is gone
      expect(tl.samples[tl.samples.length - 1].members).toBe(minSize);
    }
  });
});
