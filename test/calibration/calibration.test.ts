/**
 * Calibration: the simulator must predict what the real telemetry loop did. Every timeline the loop
 * recorded with the templates as they are now (per-member CPU alarms, `config.policies` in the file:
 * `test/loop/timelines/*-permember.json` and any newer suffix) is replayed here: the same number of scaling actions, each to the same size and
 * within one evaluation interval (60 s of cloud time), with Heat's latency and resize time per
 * member measured in the run (`heatTiming`). An action the loop's Heat performed late although its
 * Aodh signalled the predicted policy in time is the loop's own delay (one Heat engine on a loaded
 * machine): it is reported (`loopDelayed`) and the comparison stops there. The older timelines in that folder were
 * recorded with group alarms (`GnocchiAggregationByResourcesAlarm`) that the example no longer
 * synthesizes, so they cannot be replayed against today's templates; they stay as the record of
 * docs/scaling.md. With no timeline file the test fails: an uncalibrated simulator must not pass
 * silently.
 */
import * as fs from 'fs';
import * as path from 'path';
import { actionsOfSamples, calibrate, type LoopTimeline } from '../../src/simulate';

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, 'test', 'loop', 'timelines');
// The timelines the loop records today carry the policies it ran (`config.policies`), whatever
// their name's suffix; the older group-alarm ones do not.
const files = fs.existsSync(DIR)
  ? fs
      .readdirSync(DIR)
      .filter((f) => f.endsWith('.json') && (JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as LoopTimeline).config?.policies !== undefined)
      .sort()
  : [];

describe('calibration against the real loop', () => {
  test('GIVEN the loop test WHEN it has run THEN it left at least one timeline to calibrate against', () => {
    if (files.length === 0) {
      throw new Error(`no timeline in ${path.relative(ROOT, DIR)}/: run the real telemetry loop test (test/loop) so it writes its timelines, then run this test`);
    }
    expect(files.length).toBeGreaterThan(0);
  });

  // (jest refuses an empty table; the test above already fails when there is no file)
  if (files.length > 0) test.each(files.map((f) => [f]))('GIVEN the loop timeline %s WHEN replayed THEN the predicted scaling actions match', (file) => {
    const loop = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as LoopTimeline;
    const result = calibrate(loop, path.join(ROOT, 'templates'), `test/loop/timelines/${file}`);
    expect(result.toleranceSeconds).toBe(60);
    expect(result.mismatches).toEqual([]);
    // Every action is compared, except those after one the loop's Heat performed late although
    // its Aodh had signalled in time (stated in `loopDelayed`): at least the first is compared.
    const compared = result.loopDelayed?.action ?? result.real.length;
    expect(compared).toBeGreaterThan(0);
    if (!result.loopDelayed) expect(result.predicted.length).toBe(result.real.length);
  });
});

describe('the comparison itself', () => {
  test('GIVEN samples WHEN sizes change THEN each change is one action', () => {
    expect(
      actionsOfSamples([
        { t: 0, members: 2 },
        { t: 60, members: 2 },
        { t: 120, members: 3 },
        { t: 180, members: 2 },
      ]),
    ).toEqual([
      { t: 120, from: 2, to: 3 },
      { t: 180, from: 3, to: 2 },
    ]);
  });

  function loopOf(members: (t: number) => number): LoopTimeline {
    const events = [];
    for (let t = 0; t <= 3 * 3600; t += 60) events.push({ t, kind: 'sample' as const, demand: t < 1800 ? 0.4 : 1.2, members: members(t) });
    return {
      example: 'web-app',
      group: 'site_api_servers',
      trace: 'step',
      timeScale: 1,
      config: { granularity: 300, evaluationPeriods: 2, cooldown: 1800, bootSeconds: 180, minSize: 1, maxSize: 4, capacityPerMember: 1 },
      events,
    };
  }

  test('GIVEN a loop timeline the simulator reproduces WHEN calibrated THEN there is no mismatch; WHEN an action is moved THEN it is reported', () => {
    const templates = path.join(ROOT, 'templates');
    // First learn what the simulator predicts, then pretend the loop did exactly that, then shift it.
    const probe = calibrate(loopOf(() => 1), templates);
    expect(probe.predicted.length).toBeGreaterThan(0);
    const at = (shift: number) => (t: number) => {
      let m = 1;
      for (const a of probe.predicted) if (t >= a.t + shift) m = a.to;
      return m;
    };
    expect(calibrate(loopOf(at(0)), templates).mismatches).toEqual([]);
    const late = calibrate(loopOf(at(300)), templates).mismatches;
    expect(late[0]).toMatch(/^action 1 \(1->\d+\): loop at \d+ s, prediction at \d+ s, more than 60 s apart$/);
  });

  test("GIVEN a loop whose Aodh signalled in time but whose Heat resized late WHEN calibrated THEN it is the loop's delay, reported, and the comparison stops there", () => {
    const templates = path.join(ROOT, 'templates');
    const probe = calibrate(loopOf(() => 1), templates, 'probe', { heatLatencySeconds: 0, resizeSecondsPerMember: 0 });
    const signal = probe.timeline.signals.find((s) => s.result === 'scaled')!;
    const late = (t: number) => (t >= probe.predicted[0].t + 600 ? probe.predicted[0].to : 1);
    const withSignal: LoopTimeline = { ...loopOf(late), events: [...loopOf(late).events, { t: signal.t, kind: 'signal', policy: signal.policy, result: 'accepted' }] };
    const result = calibrate(withSignal, templates, 'late', { heatLatencySeconds: 0, resizeSecondsPerMember: 0 });
    expect(result.mismatches).toEqual([]);
    expect(result.loopDelayed?.action).toBe(0);
    expect(result.loopDelayed?.reason).toMatch(/^action 1: the loop's Aodh signalled \S+ at \d+ s \(predicted signal at \d+ s\), its Heat resized only at \d+ s/);
    // Without the loop's signal the same lateness is the simulator's error.
    expect(calibrate(loopOf(late), templates, 'late', { heatLatencySeconds: 0, resizeSecondsPerMember: 0 }).mismatches[0]).toMatch(/^action 1 \(1->\d+\): loop at \d+ s, prediction at \d+ s, more than 60 s apart$/);
  });

  test('GIVEN stated Heat timing WHEN calibrated THEN the prediction is the accepted signal plus the latency and one member\'s resize', () => {
    const templates = path.join(ROOT, 'templates');
    const result = calibrate(loopOf(() => 1), templates, 'stated', { heatLatencySeconds: 30, resizeSecondsPerMember: 45 });
    expect(result.heatLatencySeconds).toBe(30);
    expect(result.resizeSecondsPerMember).toBe(45);
    const signal = result.timeline.signals.find((s) => s.result === 'scaled')!;
    expect(result.predicted[0].t).toBe(signal.t + 75);
  });
});
