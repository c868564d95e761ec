import { simulate, summarize, type SimGroup, type Timeline, type Trace } from '../../src/simulate';
import { SampleColumns } from '../../src/simulate/sample-columns';

const G = 300;
/** A group of 1 vCPU members scaling out above 70% and in below 30% (group alarms over live members). */
const group: SimGroup = {
  stack: 'demo',
  name: 'web',
  minSize: 1,
  maxSize: 6,
  cooldown: 300,
  vcpus: 1,
  skipped: [],
  policies: {
    out: { name: 'out', adjustmentType: 'change_in_capacity', scalingAdjustment: 1 },
    in: { name: 'in', adjustmentType: 'change_in_capacity', scalingAdjustment: -1 },
  },
  alarms: [
    { name: 'high', enabled: true, repeatActions: true, policy: 'out', perMember: false, rules: [{ kind: 'aggregation', metric: 'cpu', aggregationMethod: 'rate:mean', granularity: G, evaluationPeriods: 2, threshold: 0.7 * G * 1e9, comparisonOperator: 'gt', liveOnly: true }] },
    { name: 'low', enabled: true, repeatActions: true, policy: 'in', perMember: false, rules: [{ kind: 'aggregation', metric: 'cpu', aggregationMethod: 'rate:mean', granularity: G, evaluationPeriods: 3, threshold: 0.3 * G * 1e9, comparisonOperator: 'lt', liveOnly: true }] },
  ],
};
const trace: Trace = {
  name: 'wave',
  relative: false,
  points: [
    { t: 0, demand: 0.5 },
    { t: 1800, demand: 3.5 },
    { t: 3 * 3600, demand: 0.4, metrics: false },
    { t: 3.5 * 3600, demand: 0.4 },
    { t: 6 * 3600, demand: 0.4 },
  ],
};

describe('the samples of a replay', () => {
  test('GIVEN a replay WHEN its samples are read THEN they are built once, one per evaluation, and sit in the JSON in their place', () => {
    const tl = simulate(group, trace);
    const rows = tl.samples;
    expect(tl.samples).toBe(rows);
    expect(rows).toHaveLength(6 * 60);
    expect(rows[0]).toEqual({ t: 60, demand: 0.5, needed: 1, members: 1, ready: 1, capacity: 1, served: 0.5, metrics: true, alarms: { high: 'insufficient data', low: 'insufficient data' }, memberAlarms: undefined });
    expect(rows.some((s) => !s.metrics)).toBe(true);
    expect(rows.some((s) => s.members > 1)).toBe(true);
    expect(Object.keys(JSON.parse(JSON.stringify(tl)))).toEqual(['stack', 'group', 'trace', 'config', 'alarms', 'samples', 'signals', 'cooldowns', 'skipped']);
  });

  test('GIVEN a replay WHEN summarized from its columns and from a copy of its rows THEN the summaries are equal', () => {
    const tl = simulate(group, trace);
    // (a spread copy carries plain rows: the summary builds the columns from them)
    const copy: Timeline = { ...tl, samples: tl.samples.map((s) => ({ ...s })) };
    const summary = summarize(tl);
    expect(summary.scaleOuts).toBeGreaterThan(0);
    expect(summarize(copy)).toEqual(summary);
  });

  test('GIVEN a group alarm reading only a resource the replay has no member for WHEN replayed THEN it stays insufficient data and never signals', () => {
    const queue: SimGroup = {
      ...group,
      alarms: [
        ...group.alarms,
        { name: 'queue', enabled: true, repeatActions: true, policy: 'out', perMember: false, rules: [{ kind: 'resource', metric: 'cpu', aggregationMethod: 'rate:mean', granularity: G, evaluationPeriods: 1, threshold: 0, comparisonOperator: 'ge', liveOnly: false }] },
      ],
    };
    const tl = simulate(queue, trace);
    expect(tl.samples.every((s) => s.alarms.queue === 'insufficient data')).toBe(true);
    expect(tl.signals.filter((s) => s.alarm === 'queue')).toEqual([]);
    // (the other alarms replay as without it)
    expect(tl.signals).toEqual(simulate(group, trace).signals);
  });

  test('GIVEN more samples than room WHEN appended THEN the columns grow and keep every sample', () => {
    const c = new SampleColumns(1);
    const alarms = { high: 'ok' as const };
    for (let i = 0; i < 5; i++) c.push(60 * i, i / 3, i, i + 1, i, i, i / 3, i % 2 === 0, alarms, undefined);
    expect(c.length).toBe(5);
    expect(c.rows().map((s) => [s.t, s.demand, s.members, s.metrics])).toEqual([0, 1, 2, 3, 4].map((i) => [60 * i, i / 3, i + 1, i % 2 === 0]));
    expect(c.indexAt(150)).toBe(2);
    expect(c.indexAt(-1)).toBe(0);
  });
});
