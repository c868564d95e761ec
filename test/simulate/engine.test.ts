import { simulate, summarize, type SimGroup, type ThresholdRule, type Trace } from '../../src/simulate';
import { errorOf } from '../util/errors';

const G = 300;
function cpuRule(threshold: number, op: 'gt' | 'lt', liveOnly = false): ThresholdRule {
  return { kind: 'aggregation', metric: 'cpu', aggregationMethod: 'rate:mean', granularity: G, evaluationPeriods: 2, threshold, comparisonOperator: op, liveOnly };
}
/** A group of 1 vCPU members scaling out above 70% and in below 30%. */
function group(overrides: Partial<SimGroup> = {}, liveOnly = false): SimGroup {
  return {
    stack: 'demo',
    name: 'web',
    minSize: 1,
    maxSize: 5,
    cooldown: 300,
    vcpus: 1,
    skipped: [],
    policies: {
      out: { name: 'out', adjustmentType: 'change_in_capacity', scalingAdjustment: 1 },
      in: { name: 'in', adjustmentType: 'change_in_capacity', scalingAdjustment: -1 },
    },
    alarms: [
      { name: 'high', enabled: true, repeatActions: true, policy: 'out', rules: [cpuRule(0.7 * G * 1e9, 'gt', liveOnly)], perMember: false },
      { name: 'low', enabled: true, repeatActions: true, policy: 'in', rules: [cpuRule(0.3 * G * 1e9, 'lt', liveOnly)], perMember: false },
    ],
    ...overrides,
  };
}
function trace(points: [number, number, boolean?][]): Trace {
  return { name: 't', relative: false, points: points.map(([t, demand, metrics]) => (metrics === false ? { t, demand, metrics } : { t, demand })) };
}

describe('simulate', () => {
  test('GIVEN a steady load needing 2 members and a cooldown longer than window plus boot WHEN replayed THEN the group scales out once and stays', () => {
    const tl = simulate(group({ cooldown: 1200 }), trace([[0, 1.2], [4 * 3600, 1.2]]));
    const scaled = tl.signals.filter((s) => s.result === 'scaled');
    expect(scaled.map((s) => [s.from, s.to])).toEqual([[1, 2]]);
    // The alarm fires from 660: the window [660 - 900, 660) holds the buckets 0, 300 and 600 (the
    // measure at 600 is in), two rate points over the threshold. But the group's cooldown starts
    // at creation (check_create_complete): signals at 660, 720, ... 1140 are refused.
    expect(tl.signals.filter((s) => s.t < 1200).map((s) => [s.t, s.result])).toEqual([660, 720, 780, 840, 900, 960, 1020, 1080, 1140].map((t) => [t, 'cooldown']));
    expect(scaled[0].t).toBe(1200);
    expect(tl.samples[tl.samples.length - 1].members).toBe(2);
    expect(summarize(tl).scaleInsUnderLoad).toBe(0);
  });

  test('GIVEN the high alarm firing WHEN signals come within the cooldown THEN Heat drops them', () => {
    const tl = simulate(group({ maxSize: 10 }), trace([[0, 9], [3 * 3600, 9]]), { bootSeconds: 60, resizeSeconds: 60 });
    const scaled = tl.signals.filter((s) => s.result === 'scaled');
    expect(tl.signals.some((s) => s.result === 'cooldown')).toBe(true);
    for (let i = 1; i < scaled.length; i++) expect(scaled[i].t - scaled[i - 1].t).toBeGreaterThanOrEqual(60 + 300);
  });

  test('GIVEN a cooldown shorter than the window WHEN members join each period THEN their zero counters make low points and the group scales in under load', () => {
    // Same load, cooldown 300 s: a joined member's small counter drags the mean counter down (a
    // negative rate point); the high alarm's points then disagree and, with repeat_actions, it keeps
    // firing on stale data; two joins in a row give two low points and the low alarm fires.
    const tl = simulate(group(), trace([[0, 1.2], [4 * 3600, 1.2]]));
    const scaled = tl.signals.filter((s) => s.result === 'scaled');
    // 660: first scale-out; 1020 (= 660 + 60 resize + 300 cooldown): the high alarm's points
    // disagree (the joined member's zero counter) but it stays in alarm and fires again.
    expect(scaled.slice(0, 2).map((s) => [s.t, s.from, s.to])).toEqual([
      [660, 1, 2],
      [1020, 2, 3],
    ]);
    expect(summarize(tl).scaleInsUnderLoad).toBeGreaterThan(0);
  });

  test('GIVEN every measure vanishing WHEN the window empties THEN the alarms go to insufficient data and the group holds', () => {
    const tl = simulate(group(), trace([[0, 0.2], [3600, 0.2, false], [3 * 3600, 0.2, false]]));
    const late = tl.samples.filter((s) => s.t >= 3600 + 3 * G);
    expect(late.every((s) => s.alarms.high === 'insufficient data' && s.alarms.low === 'insufficient data')).toBe(true);
    expect(tl.signals.filter((s) => s.t >= 3600 + 3 * G)).toEqual([]);
  });

  test('GIVEN a disabled alarm WHEN replayed THEN it never signals', () => {
    const g = group();
    const tl = simulate({ ...g, alarms: g.alarms.map((a) => ({ ...a, enabled: false })) }, trace([[0, 4], [2 * 3600, 4]]));
    expect(tl.signals).toEqual([]);
  });

  test('GIVEN the same input WHEN replayed twice THEN the timelines are equal', () => {
    const t = trace([[0, 0.5], [1800, 3], [7200, 0.4], [4 * 3600, 0.4]]);
    expect(simulate(group(), t)).toEqual(simulate(group(), t));
  });

  test('GIVEN a CPU group without recorded vCPUs WHEN replayed THEN the error asks for them', () => {
    const e = errorOf(() => simulate(group({ vcpus: undefined }), trace([[0, 1], [600, 1]])));
    expect(e.message).toBe("demo:web: 'vcpus' is needed to know what a member serves and is not recorded in the alarm descriptions, got undefined; pass --vcpus <n> (the flavor's vCPUs) [SO_REQUIRED]");
  });

  test('GIVEN a poll phase outside the interval WHEN replayed THEN it is refused', () => {
    const e = errorOf(() => simulate(group(), trace([[0, 1], [600, 1]]), { pollPhases: [300] }));
    expect(e.code).toBe('SO_RANGE');
    expect(e.message).toContain("'pollPhases' must list at least one phase in [0, 300)");
  });
});
