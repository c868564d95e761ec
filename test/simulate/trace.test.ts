import { BUILT_IN_TRACES, parseCsvTrace, resolveTrace, seededRandom, validateTrace } from '../../src/simulate';
import { errorOf } from '../util/errors';

describe('traces', () => {
  test('GIVEN a CSV with t, demand and metrics WHEN parsed THEN points keep their values and the vanished measures', () => {
    const t = parseCsvTrace('load.csv', 'load', 't,demand,metrics\n0,1.5,1\n60,2,0\n120,2,1\n');
    expect(t.points).toEqual([{ t: 0, demand: 1.5 }, { t: 60, demand: 2, metrics: false }, { t: 120, demand: 2 }]);
    expect(t.relative).toBe(false);
  });

  test('GIVEN points out of order WHEN validated THEN the error names the point', () => {
    const e = errorOf(() => validateTrace('load.json', 'load', [{ t: 0, demand: 1 }, { t: 0, demand: 2 }]));
    expect(e.message).toBe("load.json: 'points[1].t' must be after the previous point's t (0), got 0; sort the points by time, one per time [SO_CONFLICT]");
  });

  test('GIVEN a negative demand or a missing column WHEN parsed THEN it is refused', () => {
    expect(errorOf(() => parseCsvTrace('a.csv', 'a', 't,demand\n0,-1\n60,1\n')).code).toBe('SO_RANGE');
    expect(errorOf(() => parseCsvTrace('a.csv', 'a', 'time,load\n0,1\n')).message).toContain("must name the columns 't' and 'demand'");
  });

  test('GIVEN a seed WHEN the noisy trace is built twice THEN it is the same, and another seed changes it', () => {
    const shape = { minSize: 2, maxSize: 10 };
    expect(BUILT_IN_TRACES.noisy.build(shape, 7)).toEqual(BUILT_IN_TRACES.noisy.build(shape, 7));
    expect(BUILT_IN_TRACES.noisy.build(shape, 7)).not.toEqual(BUILT_IN_TRACES.noisy.build(shape, 8));
    const r = seededRandom(1);
    expect(r()).not.toBe(r());
  });

  test('GIVEN the step trace WHEN built for a group of 2..10 THEN it is relative and peaks below the maximum', () => {
    const t = BUILT_IN_TRACES.step.build({ minSize: 2, maxSize: 10 }, 1);
    expect(t.relative).toBe(true);
    expect(Math.max(...t.points.map((p) => p.demand))).toBe(4.5);
    expect(t.points[t.points.length - 1].t).toBe(6 * 3600);
  });

  test('GIVEN the outage trace WHEN built THEN measures vanish from 2 h to 3 h only', () => {
    const t = BUILT_IN_TRACES.outage.build({ minSize: 1, maxSize: 5 }, 1);
    const off = t.points.filter((p) => p.metrics === false).map((p) => p.t);
    expect(off[0]).toBe(7200);
    expect(off[off.length - 1]).toBe(10800 - 60);
  });

  test('GIVEN an unknown name WHEN resolved THEN the error lists the built-in traces', () => {
    const e = errorOf(() => resolveTrace('tv', { minSize: 1, maxSize: 2 }, 1, '/nonexistent'));
    expect(e.message).toContain('is neither a built-in trace (step, ramp, daily, noisy, outage) nor a file');
  });
});
