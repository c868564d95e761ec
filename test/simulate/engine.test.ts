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

describe('Heat latency and resize time per member', () => {
  // One scale-out of 3 members at once (exact capacity 4 from 1), then a scale-in back to 1.
  function stepGroup(): SimGroup {
    return group({
      cooldown: 600,
      policies: {
        out: { name: 'out', adjustmentType: 'exact_capacity', scalingAdjustment: 4 },
        in: { name: 'in', adjustmentType: 'exact_capacity', scalingAdjustment: 1 },
      },
    });
  }
  const load = trace([[0, 2.5], [3600, 2.5], [3601, 0.2], [3 * 3600, 0.2]]);

  test('GIVEN a latency and a time per member WHEN a signal is accepted THEN members appear one by one after the latency, boot from their own creation, and the group refuses signals until the last one', () => {
    const plain = simulate(stepGroup(), load, { bootSeconds: 200 });
    const slow = simulate(stepGroup(), load, { bootSeconds: 200, heatLatencySeconds: 90, resizeSecondsPerMember: 50 });
    const first = slow.signals.find((s) => s.result === 'scaled')!;
    // The same decision at the same moment: the latency delays the resize, not the signal.
    expect(first.t).toBe(plain.signals.find((s) => s.result === 'scaled')!.t);
    expect([first.from, first.to]).toEqual([1, 4]);
    // The k-th new member takes load 90 + 50 (k - 1) + 200 s after the signal.
    const readyAt = (n: number) => slow.samples.find((s) => s.ready >= n)!.t - first.t;
    expect(readyAt(2)).toBeGreaterThanOrEqual(290);
    expect(readyAt(2)).toBeLessThan(290 + 60);
    expect(readyAt(4)).toBeGreaterThanOrEqual(390);
    expect(readyAt(4)).toBeLessThan(390 + 60);
    // Busy until 90 + 3 x 50 = 240 s after the signal, then the cooldown counts from there.
    const refused = slow.signals.filter((s) => s.t > first.t && s.t < first.t + 240);
    expect(refused.every((s) => s.result === 'in-progress' || s.result === 'no-change')).toBe(true);
    expect(slow.cooldowns.find((c) => c.from === first.t)!.to).toBe(first.t + 240 + 600);
    expect(slow.config.heatLatencySeconds).toBe(90);
    expect(slow.config.resizeSecondsPerMember).toBe(50);
    // Without the options the timeline does not carry them (older timelines read the same).
    expect('heatLatencySeconds' in plain.config).toBe(false);
  });

  test('GIVEN a latency WHEN the group scales in THEN the removed members serve until the resize starts', () => {
    const slow = simulate(stepGroup(), load, { bootSeconds: 200, heatLatencySeconds: 120 });
    const scaleIn = slow.signals.find((s) => s.result === 'scaled' && s.to < s.from)!;
    const at = (t: number) => slow.samples.find((s) => s.t >= t)!;
    expect(at(scaleIn.t).ready).toBe(4);
    expect(at(scaleIn.t + 60).ready).toBe(4);
    expect(at(scaleIn.t + 120).ready).toBe(1);
  });

  test('GIVEN a negative latency WHEN simulated THEN it is refused naming the option', () => {
    expect(errorOf(() => simulate(stepGroup(), load, { heatLatencySeconds: -1 })).message).toMatch(/'heatLatencySeconds' must be a number of at least 0, got -1/);
    expect(errorOf(() => simulate(stepGroup(), load, { resizeSecondsPerMember: Number.NaN })).message).toMatch(/'resizeSecondsPerMember' must be a number of at least 0/);
  });
});
