/**
 * The acceptance suite of a CPU-scaled group on the real loop (issue 11, item 2): Keystone, Heat,
 * Gnocchi and Aodh on loopback, the stand-in Ceilometer, the step ("TV spot"), ramp and noisy
 * traces run side by side (one stack each), every period divided by TIME_SCALE.
 *
 * THEN the group reaches the needed size within the stated bound, never scales in while demand
 * exceeds what its size serves, overshoots by at most one scaling step, settles, returns to
 * minSize after the load, and leaves no member behind (`verdict.ts`).
 *
 * Env: LOOP_TRACES=step,ramp (a subset), LOOP_SUFFIX (appended to the timeline files' names).
 */
import { ensureTelemetry, startCloud, type Cloud } from './harness';
import { checkTimeline, type Verdict } from './verdict';
import { runTrace, timelineTable, traces, writeTimeline, type GroupUnderTest, type Timeline, type Trace } from './run-trace';

export const TIME_SCALE = 10;

/** Starts the loopback cloud with Aodh's interval and Gnocchi's processing delay at the time scale. */
export function startLoopCloud(): Promise<Cloud> {
  ensureTelemetry();
  return startCloud({ evaluationInterval: 60 / TIME_SCALE, metricProcessingDelay: 1 });
}

/**
 * Runs `selected` side by side on `cloud` (one stack each, started 3 s apart), writes each
 * timeline (with LOOP_SUFFIX), prints its table and verdict figures, and returns them in order.
 */
export async function runSideBySide(
  cloud: Cloud,
  group: GroupUnderTest,
  selected: readonly Trace[],
  peakMembers: number,
): Promise<Array<{ trace: Trace; timeline: Timeline; leftovers: string[]; verdict: Verdict }>> {
  const runs = await Promise.all(
    selected.map(async (trace, i) => {
      await new Promise((r) => setTimeout(r, i * 3000));
      return { trace, run: await runTrace(cloud, group, trace, TIME_SCALE, peakMembers) };
    }),
  );
  return runs.map(({ trace, run }) => {
    writeTimeline(run.timeline, process.env.LOOP_SUFFIX ?? '');
    console.log(`${group.example} ${group.group} ${trace.name}\n${timelineTable(run.timeline)}`);
    const verdict = checkTimeline(run.timeline, trace);
    console.log(JSON.stringify(verdict.figures));
    return { trace, ...run, verdict };
  });
}

/** Declares the suite for `group` under traces from `base` to `peak` vCPUs of demand. */
export function acceptanceSuite(title: string, group: GroupUnderTest, base: number, peak: number): void {
  const only = process.env.LOOP_TRACES?.split(',');
  const selected = traces(base, peak).filter((t) => !only || only.includes(t.name));
  const peakMembers = Math.ceil(peak / group.capacityPerMember);
  let cloud: Cloud | undefined;
  const results = new Map<string, { timeline: Timeline; leftovers: string[]; verdict: Verdict }>();

  beforeAll(async () => {
    cloud = await startLoopCloud();
    for (const r of await runSideBySide(cloud, group, selected, peakMembers)) results.set(r.trace.name, r);
  }, 2_400_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  describe.each(selected.map((t) => t.name))(`${title}, %s trace`, (name) => {
    const r = () => results.get(name)!;
    it('reaches the needed size within the bound', () => {
      expect(r().verdict.problems.filter((p) => p.startsWith('reach'))).toEqual([]);
    });
    it('never scales in while demand exceeds what the group serves', () => {
      expect(r().verdict.figures.scaleInsUnderLoad).toBe(0);
    });
    it('overshoots by at most one scaling step', () => {
      expect(r().verdict.problems.filter((p) => p.startsWith('overshoot'))).toEqual([]);
    });
    it('settles without oscillating', () => {
      expect(r().verdict.problems.filter((p) => p.startsWith('oscillat'))).toEqual([]);
    });
    it('returns to minSize after the load and leaves no member behind', () => {
      expect(r().verdict.problems.filter((p) => p.startsWith('return'))).toEqual([]);
      expect(r().leftovers).toEqual([]);
    });
  });
}
