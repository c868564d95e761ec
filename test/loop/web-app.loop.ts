/**
 * Acceptance of the web-app example's API group on the real loop: Keystone, Heat, Gnocchi and
 * Aodh on loopback, the stand-in Ceilometer, three load traces run side by side (one stack each).
 *
 * GIVEN the example's templates, every period divided by TIME_SCALE
 * WHEN  demand follows the step ("TV spot"), ramp and noisy-plateau traces
 * THEN  the group reaches the needed size within the stated bound, never scales in while demand
 *       exceeds what its size serves, overshoots by at most one scaling step, settles, returns to
 *       minSize after the load, and leaves no member behind.
 */
import { EXAMPLES } from '../../examples';
import { build as buildWebApp } from '../../examples/web-app';
import { ensureTelemetry, startCloud, type Cloud } from './harness';
import { checkTimeline, type Verdict } from './verdict';
import { runTrace, timelineTable, traces, writeTimeline, type GroupUnderTest, type Timeline } from './run-trace';

const TIME_SCALE = 10;
// LOOP_TOPOLOGY=member runs the same example with one set of CPU alarms per clone instead of the
// group-wide set (docs/scaling.md compares the two).
const topology = process.env.LOOP_TOPOLOGY ?? 'group';
const webApp = EXAMPLES.find((e) => e.name === 'web-app')!;
const API: GroupUnderTest = {
  example: 'web-app',
  source: topology === 'member' ? { ...webApp, build: (stack) => buildWebApp(stack, { cpuAlarmsPerMember: true }) } : webApp,
  group: 'site_api_servers',
  vcpus: 1,
  // Ubuntu boot, apt install of nginx/php and cloud-init: about three minutes.
  bootSeconds: 180,
  // The API group scales out above 60 % CPU of its 1 vCPU: a member carries 0.6 vCPU of work.
  capacityPerMember: 0.6,
};
// Peak needs 10 servers (5.7 / 0.6 = 9.5), the base load fits the minimum of 2 at 15 %.
const BASE = 0.3;
const PEAK = 5.7;
const only = process.env.LOOP_TRACES?.split(',');
const suffix = process.env.LOOP_SUFFIX ?? '';
const selected = traces(BASE, PEAK).filter((t) => !only || only.includes(t.name));

let cloud: Cloud | undefined;
const results = new Map<string, { timeline: Timeline; leftovers: string[]; verdict: Verdict }>();

beforeAll(async () => {
  ensureTelemetry();
  cloud = await startCloud({ evaluationInterval: 60 / TIME_SCALE, metricProcessingDelay: 1 });
  const runs = await Promise.all(
    selected.map(async (trace, i) => {
      await new Promise((r) => setTimeout(r, i * 3000));
      return { trace, run: await runTrace(cloud!, API, trace, TIME_SCALE, 10) };
    }),
  );
  for (const { trace, run } of runs) {
    writeTimeline(run.timeline, suffix);
    console.log(`${API.example} ${API.group} ${trace.name}\n${timelineTable(run.timeline)}`);
    const verdict = checkTimeline(run.timeline, trace);
    console.log(JSON.stringify(verdict.figures));
    results.set(trace.name, { ...run, verdict });
  }
}, 2_400_000);

afterAll(async () => {
  await cloud?.stop();
});

describe.each(selected.map((t) => t.name))('web-app API group, %s trace', (name) => {
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
