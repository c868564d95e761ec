/**
 * Calibration: the simulator must predict what the real telemetry loop did. Every timeline the loop
 * recorded with the templates as they are now (per-member CPU alarms: `test/loop/timelines/
 * *-permember.json`) is replayed here: the same number of scaling actions, each to the same size and
 * within one evaluation interval (60 s of cloud time). The older timelines in that folder were
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
const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('-permember.json')).sort() : [];

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
    expect(result.predicted.length).toBe(result.real.length);
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
});
