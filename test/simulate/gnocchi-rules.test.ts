import { evaluatePoints } from '../../src/simulate/aodh-rules';
import { aggregateAcross, aggregateOutcome, combinedBucket, MeasureSeries, storedAggregate, storedRateOutcome } from '../../src/simulate/gnocchi-rules';
import { seededRandom } from '../../src/simulate/trace';

function series(points: [number, number][]): MeasureSeries {
  const s = new MeasureSeries();
  for (const [t, v] of points) s.add(t, v);
  return s;
}

describe('rate:mean across servers', () => {
  test('GIVEN a new member joining WHEN rate:mean is taken THEN the mean of counters drops and makes a negative point', () => {
    // Two old servers use 100 per period; a new one appears at 600 with a counter of 0.
    const a = series([[0, 1000], [300, 1100], [600, 1200]]);
    const b = series([[0, 1000], [300, 1100], [600, 1200]]);
    const c = series([[600, 0]]);
    const pts = aggregateAcross([a, b, c], 'rate:mean', 300, 0, 900);
    // means: 1000, 1100, (1200+1200+0)/3 = 800 -> rates 100, -300
    expect(pts.timestamps).toEqual([300, 600]);
    expect(pts.values).toEqual([100, -300]);
  });

  test('GIVEN a member missing at a timestamp WHEN aggregated THEN it is NaN-padded and skipped, not counted as 0', () => {
    const a = series([[0, 10], [300, 20]]);
    const b = series([[300, 40]]);
    expect(aggregateAcross([a, b], 'mean', 300, 0, 600).values).toEqual([10, 30]);
  });

  test('GIVEN a start inside a bucket WHEN cut THEN the start is rounded down to the granularity and the stop is exclusive', () => {
    const a = series([[0, 1], [300, 2], [600, 3]]);
    expect(aggregateAcross([a], 'mean', 300, 299, 600).timestamps).toEqual([0, 300]);
  });
});

describe("a single server's stored rate:mean", () => {
  test('GIVEN one series WHEN its stored rate is read THEN it is the difference of its own measures (no wild point)', () => {
    const s = series([[600, 0], [900, 150], [1200, 300]]);
    expect(storedAggregate(s, 'rate:mean', 300, 600, 1500)).toEqual({ timestamps: [900, 1200], values: [150, 150] });
  });
});

describe('the stored rate:mean kept while measures arrive', () => {
  test('GIVEN random counters WHEN read incrementally THEN the decision equals the one on the stored aggregate, at every moment', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 20; round++) {
      const s = new MeasureSeries();
      let counter = 0;
      let t = Math.floor(random() * 300);
      const outside = (v: number) => v > 150e9;
      for (let i = 0; i < 40; i++) {
        counter += random() * 300e9;
        s.add(t, counter);
        const now = t + Math.floor(random() * 400);
        for (const periods of [1, 2, 3]) {
          const from = now - 300 * (periods + 1);
          const expected = evaluatePoints(storedAggregate(s, 'rate:mean', 300, from, now).values, periods, 'gt', 150e9);
          const got = storedRateOutcome(s, 300, from, now, periods, outside);
          expect(got).toBe(expected.state ?? `trending-${expected.trending}`);
        }
        t += 60 + Math.floor(random() * 400);
      }
    }
  });
});

describe('the decision across servers on their stored bucket means', () => {
  test('GIVEN servers joining and leaving at random WHEN decided on stored buckets THEN the decision equals the one on the full aggregate, for every method', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 15; round++) {
      // Four servers with their own phases; each starts late or stops early at random (NaN padding).
      const servers = Array.from({ length: 4 }, () => ({ s: new MeasureSeries(), counter: 0, phase: Math.floor(random() * 300), from: Math.floor(random() * 3000), to: 3000 + Math.floor(random() * 6000) }));
      const threshold = 150e9;
      const outside = (v: number) => v > threshold;
      for (let t = 0; t < 9000; t += 60) {
        for (const x of servers) {
          if (t < x.from || t > x.to || (t - x.phase) % 300 >= 60 || t < x.phase) continue;
          x.counter += random() * 300e9;
          x.s.add(t, x.counter);
        }
        // Read now and then only: the stored buckets are built on first use and kept up to date after.
        if (random() < 0.5) continue;
        const live = servers.filter((x) => x.s.times.length > 0).map((x) => x.s);
        for (const method of ['rate:mean', 'mean', 'max', 'min', 'sum']) {
          for (const periods of [1, 2, 3]) {
            const from = t - 300 * (periods + 1);
            const expected = evaluatePoints(aggregateAcross(live, method, 300, from, t).values, periods, 'gt', method.startsWith('rate:') ? threshold : threshold * 20);
            const limit = method.startsWith('rate:') ? outside : (v: number) => v > threshold * 20;
            expect(aggregateOutcome(live, method, 300, from, t, periods, limit)).toBe(expected.state ?? `trending-${expected.trending}`);
          }
        }
      }
    }
  });
});

describe('one combined bucket across servers', () => {
  test('GIVEN servers joining and leaving at random WHEN one bucket is combined THEN it is the aggregate point of that bucket, and no point where no server has a measure', () => {
    const random = seededRandom(13);
    for (let round = 0; round < 10; round++) {
      const servers = Array.from({ length: 4 }, () => ({ s: new MeasureSeries(), phase: Math.floor(random() * 300), from: Math.floor(random() * 3000), to: 3000 + Math.floor(random() * 6000) }));
      for (let t = 0; t < 9000; t += 60) {
        for (const x of servers) {
          if (t < x.from || t > x.to || (t - x.phase) % 300 >= 60 || t < x.phase) continue;
          x.s.add(t, random() * 300e9);
        }
      }
      const live = servers.filter((x) => x.s.times.length > 0).map((x) => x.s);
      for (const method of ['mean', 'max', 'min', 'sum']) {
        // (the whole run: every bucket's point, NaN-padded buckets absent)
        const expected = aggregateAcross(live, method, 300, 0, 9300);
        const into = { value: 0 };
        for (let bucket = 0; bucket < 31; bucket++) {
          const n = combinedBucket(live, method, 300, bucket, into);
          const at = expected.timestamps.indexOf(bucket * 300);
          if (at < 0) expect(n).toBe(0);
          else {
            expect(n).toBeGreaterThan(0);
            expect(into.value).toBe(expected.values[at]);
          }
        }
        // `rate:` combines the same bucket means (it differentiates the points afterwards)
        expect(combinedBucket(live, `rate:${method}`, 300, 5, { value: 0 })).toBe(combinedBucket(live, method, 300, 5, into));
      }
    }
  });
});
