/**
 * Gnocchi's side of scaling, replayed: the measures Ceilometer stores per server and what an
 * alarm's query gets back.
 *
 * Read from Gnocchi's source (gnocchixyz/gnocchi, master):
 * - `gnocchi/rest/aggregates/processor.py` `aggregated`: each series is cut to
 *   [start rounded down to the granularity, stop); the series are laid on the union of their
 *   timestamps, a series without a point at a timestamp gets NaN there (fill=None).
 * - `gnocchi/rest/aggregates/operations.py` `AGG_MAP` / `rated_agg` / `handle_aggregate`: across
 *   series the aggregate is the NaN-ignoring mean (`numpy.nanmean`); `rate:mean` takes that mean of
 *   the *cumulative* values first and differentiates after (`numpy.diff`), its first timestamp
 *   dropped. So a member joining (a small counter) or leaving changes the mean and makes a wild
 *   point: the rate of the mean is not the mean of the rates.
 * - `gnocchi/carbonara.py` `GroupedTimeSeries.derived` with `AggregatedTimeSerie.from_grouped_serie`:
 *   a series' own stored `rate:mean` differentiates consecutive raw measures first, then averages
 *   the differences per bucket (what `GnocchiResourcesAlarm` reads for one server).
 * - Aodh asks with `needed_overlap=0` (`aodh/evaluator/gnocchi.py`), so series that stop or start
 *   inside the window are still used.
 */
import { windowOutcome, type WindowOutcome } from './aodh-rules';

/** The measures of one metric of one resource (one server), oldest first. */
export class MeasureSeries {
  /** Measure times (seconds). */
  public readonly times: number[] = [];
  /** Measure values. */
  public readonly values: number[] = [];

  /** The stored `rate:mean` buckets kept up to date for each granularity asked for (see `storedRateOutcome`). */
  private readonly rates: RateBuckets[] = [];
  /** The stored `mean` buckets kept up to date for each granularity asked for (see `aggregateOutcome`). */
  private readonly means: RateBuckets[] = [];

  /** Appends a measure; times must not go back. */
  public add(time: number, value: number): void {
    this.times.push(time);
    this.values.push(value);
    const n = this.times.length;
    // (indexed loops: a measure arrives every poll of every member)
    if (n > 1) {
      for (let i = 0; i < this.rates.length; i++) {
        const r = this.rates[i];
        r.add(Math.floor(time / r.granularity) * r.granularity, value - this.values[n - 2]);
      }
    }
    for (let i = 0; i < this.means.length; i++) {
      const m = this.means[i];
      m.add(Math.floor(time / m.granularity) * m.granularity, value);
    }
  }

  /**
   * The stored `mean` buckets at `granularity` (each bucket's measures summed in arrival order, as
   * `bucketMeans` sums them), built on first use and kept up to date by `add`.
   */
  public meanBuckets(granularity: number): RateBuckets {
    for (let i = 0; i < this.means.length; i++) if (this.means[i].granularity === granularity) return this.means[i];
    const m = new RateBuckets(granularity);
    for (let i = 0; i < this.times.length; i++) m.add(Math.floor(this.times[i] / granularity) * granularity, this.values[i]);
    this.means.push(m);
    return m;
  }

  /** The stored `rate:mean` buckets at `granularity`, built on first use and kept up to date by `add`. */
  public rateBuckets(granularity: number): RateBuckets {
    for (let i = 0; i < this.rates.length; i++) if (this.rates[i].granularity === granularity) return this.rates[i];
    const r = new RateBuckets(granularity);
    for (let i = 1; i < this.times.length; i++) r.add(Math.floor(this.times[i] / granularity) * granularity, this.values[i] - this.values[i - 1]);
    this.rates.push(r);
    return r;
  }

  /** Index of the first measure at or after `time`. */
  public firstAtOrAfter(time: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid] < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * A series' stored `rate:mean` at one granularity, as Gnocchi keeps it while measures arrive
 * (carbonara `GroupedTimeSeries.derived` then `AggregatedTimeSerie.from_grouped_serie`): the
 * difference of each measure with the one before, filed under the later measure's bucket, averaged
 * per bucket. The same shape holds a series' stored `mean` (the measures themselves per bucket).
 */
export class RateBuckets {
  /** Bucket starts, oldest first. */
  public readonly starts: number[] = [];
  private readonly sums: number[] = [];
  private readonly counts: number[] = [];

  /** Buckets of `granularity` seconds. */
  public constructor(public readonly granularity: number) {}

  /** Adds one difference to the bucket starting at `start` (never before the last one). */
  public add(start: number, diff: number): void {
    const last = this.starts.length - 1;
    if (last >= 0 && this.starts[last] === start) {
      this.sums[last] += diff;
      this.counts[last]++;
    } else {
      this.starts.push(start);
      this.sums.push(diff);
      this.counts.push(1);
    }
  }

  /** The mean of bucket `i`. */
  public value(i: number): number {
    return this.sums[i] / this.counts[i];
  }
}

/**
 * Aodh's decision on a series' stored `rate:mean`, in one pass and without allocating: of the
 * buckets starting in [from rounded down to the granularity, stop), the last `count` (what
 * `storedAggregate` returns, cut the way Aodh's `_sanitize` cuts it); all of them beyond the
 * threshold per `outside` → 'alarm', none → 'ok', a mix → trending as the newest
 * point, fewer than `count` → insufficient data (`evaluatePoints` on the same points).
 */
export function storedRateOutcome(
  series: MeasureSeries,
  granularity: number,
  from: number,
  stop: number,
  count: number,
  outside: (value: number) => boolean,
): WindowOutcome {
  const r = series.rateBuckets(granularity);
  const first = Math.floor(from / granularity) * granularity;
  let end = r.starts.length;
  while (end > 0 && r.starts[end - 1] >= stop) end--;
  let begin = end;
  while (begin > 0 && end - begin < count && r.starts[begin - 1] >= first) begin--;
  if (end - begin < count || count === 0) return 'insufficient data';
  let hits = 0;
  for (let i = begin; i < end; i++) if (outside(r.value(i))) hits++;
  return windowOutcome(end - begin, count, hits, outside(r.value(end - 1)));
}

/**
 * The points of one aggregate over one window, kept in typed arrays so that the rules reading the
 * same aggregate (same metric, method, granularity and series) share one computation: each rule
 * reads the suffix of points inside its own, possibly shorter, window (see `windowPointsOutcome`).
 */
export class WindowPoints {
  /** The points' values, oldest first (`length` of them). */
  public values = new Float64Array(16);
  /** Per point: the first bucket it depends on, as a slot after `from` (its own; for `rate:` the one it differs from). */
  public firstSlot = new Int32Array(16);
  /** How many points. */
  public length = 0;
  /** Start of the window's first bucket. */
  public from = 0;
}

/** Scratch space of `aggregatePoints` (one bucket slot per granularity step of the window). */
const scratch = { acc: new Float64Array(16), count: new Int32Array(16) };
const scratchPoints = new WindowPoints();

/**
 * The points of `(aggregate <method> (metric <name> <method without rate:>))` over `series` in
 * [start, stop), written into `into` without allocating: the same points as `aggregateAcross`
 * (bucket means of each series, combined across the series in their order, NaN-padded buckets
 * skipped, `rate:` taking the differences of consecutive combined points). Reads the series'
 * stored bucket means (`MeasureSeries.meanBuckets`), so a window of a few buckets costs a few
 * steps per series however long the series is.
 */
export function aggregatePoints(series: readonly MeasureSeries[], method: string, granularity: number, start: number, stop: number, into: WindowPoints): void {
  const rate = method.startsWith('rate:');
  const base = rate ? method.slice(5) : method;
  const from = Math.floor(start / granularity) * granularity;
  // Buckets start at multiples of the granularity in [from, stop): slot k is from + k × granularity.
  const slots = Math.max(0, Math.ceil((stop - from) / granularity));
  if (scratch.acc.length < slots) {
    scratch.acc = new Float64Array(slots * 2);
    scratch.count = new Int32Array(slots * 2);
  }
  if (into.values.length < slots) {
    into.values = new Float64Array(slots * 2);
    into.firstSlot = new Int32Array(slots * 2);
  }
  const { acc, count: n } = scratch;
  const initial = base === 'min' ? Infinity : base === 'max' ? -Infinity : 0;
  for (let k = 0; k < slots; k++) {
    acc[k] = initial;
    n[k] = 0;
  }
  for (let j = 0; j < series.length; j++) {
    const b = series[j].meanBuckets(granularity);
    const starts = b.starts;
    let i = starts.length - 1;
    while (i >= 0 && starts[i] >= stop) i--;
    for (; i >= 0 && starts[i] >= from; i--) {
      const k = Math.round((starts[i] - from) / granularity);
      const v = b.value(i);
      n[k]++;
      if (base === 'min') acc[k] = Math.min(acc[k], v);
      else if (base === 'max') acc[k] = Math.max(acc[k], v);
      else acc[k] += v;
    }
  }
  // The points: one per bucket some series has, in time order.
  const { values, firstSlot } = into;
  let points = 0;
  let previous = 0;
  let previousSlot = -1;
  for (let k = 0; k < slots; k++) {
    if (n[k] === 0) continue;
    const v = base === 'mean' ? acc[k] / n[k] : acc[k];
    // (`rate:` drops the first point: it has nothing to differ from)
    if (!rate) {
      values[points] = v;
      firstSlot[points++] = k;
    } else if (previousSlot >= 0) {
      values[points] = v - previous;
      firstSlot[points++] = previousSlot;
    }
    previous = v;
    previousSlot = k;
  }
  into.length = points;
  into.from = from;
}

/** The methods without their `rate:`, once each (the engine asks per bucket). */
const BASE_METHODS = new Map<string, string>();

/** `method` without its `rate:` prefix. */
function baseMethod(method: string): string {
  let base = BASE_METHODS.get(method);
  if (base === undefined) BASE_METHODS.set(method, (base = method.startsWith('rate:') ? method.slice(5) : method));
  return base;
}

/**
 * One bucket of `(aggregate <method> (metric ...))` across `series`: the bucket starting at
 * `bucket` × `granularity`, each series' stored bucket mean there combined in the series' order
 * by `method` without its `rate:` (series without a measure there skipped: NaN padding), exactly as
 * `aggregatePoints` combines one slot. Returns how many series have a measure there (0: no point)
 * and writes the combined value into `into.value`.
 */
export function combinedBucket(series: readonly MeasureSeries[], method: string, granularity: number, bucket: number, into: { value: number }): number {
  const base = baseMethod(method);
  const start = bucket * granularity;
  let acc = base === 'min' ? Infinity : base === 'max' ? -Infinity : 0;
  let n = 0;
  for (let j = 0; j < series.length; j++) {
    const b = series[j].meanBuckets(granularity);
    const starts = b.starts;
    let i = starts.length - 1;
    while (i >= 0 && starts[i] > start) i--;
    if (i < 0 || starts[i] !== start) continue;
    const v = b.value(i);
    n++;
    if (base === 'min') acc = Math.min(acc, v);
    else if (base === 'max') acc = Math.max(acc, v);
    else acc += v;
  }
  into.value = n > 0 && base === 'mean' ? acc / n : acc;
  return n;
}

/**
 * Aodh's decision on the points of `points` that lie in the window starting at `start` (at or
 * after the points' own window start; a point of `rate:` needs both its buckets inside): the last
 * `count` decide as `evaluatePoints` decides: all beyond the threshold per `outside` → 'alarm',
 * none → 'ok', a mix → trending as the newest point, fewer than `count` → insufficient data.
 */
export function windowPointsOutcome(points: WindowPoints, granularity: number, start: number, count: number, outside: (value: number) => boolean): WindowOutcome {
  const slot = Math.round((Math.floor(start / granularity) * granularity - points.from) / granularity);
  const { values, firstSlot, length } = points;
  // (the points' first slots never go down: the ones inside are a suffix)
  let available = 0;
  while (available < length && firstSlot[length - 1 - available] >= slot) available++;
  if (available < count || count === 0) return 'insufficient data';
  let hits = 0;
  for (let i = length - count; i < length; i++) if (outside(values[i])) hits++;
  return windowOutcome(count, count, hits, outside(values[length - 1]));
}

/**
 * Aodh's decision on `(aggregate <method> (metric <name> <method without rate:>))` over `series`
 * in [start, stop), without allocating: the points of `aggregatePoints`, of which the last `count`
 * decide (`windowPointsOutcome`).
 */
export function aggregateOutcome(
  series: readonly MeasureSeries[],
  method: string,
  granularity: number,
  start: number,
  stop: number,
  count: number,
  outside: (value: number) => boolean,
): WindowOutcome {
  aggregatePoints(series, method, granularity, start, stop, scratchPoints);
  return windowPointsOutcome(scratchPoints, granularity, start, count, outside);
}

/** Points of an aggregate: timestamps (bucket starts) and values, oldest first. */
export interface Points {
  readonly timestamps: number[];
  readonly values: number[];
}

/**
 * Bucket means of one series for the buckets starting in [from, stop): the stored `mean`
 * aggregate, cut the way `aggregated` cuts it (on bucket timestamps).
 */
function bucketMeans(series: MeasureSeries, granularity: number, from: number, stop: number): Map<number, number> {
  const sums = new Map<number, number>();
  const counts = new Map<number, number>();
  for (let i = series.firstAtOrAfter(from); i < series.times.length; i++) {
    const b = Math.floor(series.times[i] / granularity) * granularity;
    if (b >= stop) break;
    sums.set(b, (sums.get(b) ?? 0) + series.values[i]);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const means = new Map<number, number>();
  for (const [b, s] of sums) means.set(b, s / counts.get(b)!);
  return means;
}

/**
 * `(aggregate <method> (metric <name> <method without rate:>))` over `series` between `start` and
 * `stop`, for `mean` or `rate:mean` (the methods the library's alarms use; `max`, `min` and `sum`
 * too).
 */
export function aggregateAcross(
  series: readonly MeasureSeries[],
  method: string,
  granularity: number,
  start: number,
  stop: number,
): Points {
  const rate = method.startsWith('rate:');
  const base = rate ? method.slice(5) : method;
  const from = Math.floor(start / granularity) * granularity;
  const grids = series.map((s) => bucketMeans(s, granularity, from, stop));
  const stamps = new Set<number>();
  for (const g of grids) for (const b of g.keys()) stamps.add(b);
  const timestamps = [...stamps].sort((a, b) => a - b);
  const values = timestamps.map((t) => {
    let acc = base === 'min' ? Infinity : base === 'max' ? -Infinity : 0;
    let n = 0;
    for (const g of grids) {
      const v = g.get(t);
      if (v === undefined) continue; // NaN padding: nan-aggregates skip it
      n++;
      if (base === 'min') acc = Math.min(acc, v);
      else if (base === 'max') acc = Math.max(acc, v);
      else acc += v;
    }
    return base === 'mean' ? acc / n : acc;
  });
  if (!rate) return { timestamps, values };
  const diffs: number[] = [];
  for (let i = 1; i < values.length; i++) diffs.push(values[i] - values[i - 1]);
  return { timestamps: timestamps.slice(1), values: diffs };
}

/** A single series' stored `<method>` aggregate in [start, stop) (what `GnocchiResourcesAlarm` reads). */
export function storedAggregate(series: MeasureSeries, method: string, granularity: number, start: number, stop: number): Points {
  const from = Math.floor(start / granularity) * granularity;
  if (!method.startsWith('rate:')) {
    const means = bucketMeans(series, granularity, from, stop);
    const timestamps = [...means.keys()].sort((a, b) => a - b);
    return { timestamps, values: timestamps.map((t) => means.get(t)!) };
  }
  // Differences of consecutive raw measures, each filed under the later measure's bucket.
  const sums = new Map<number, number>();
  const counts = new Map<number, number>();
  for (let i = Math.max(1, series.firstAtOrAfter(from)); i < series.times.length; i++) {
    const b = Math.floor(series.times[i] / granularity) * granularity;
    if (b >= stop) break;
    sums.set(b, (sums.get(b) ?? 0) + series.values[i] - series.values[i - 1]);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const timestamps = [...sums.keys()].sort((a, b) => a - b);
  return { timestamps, values: timestamps.map((t) => sums.get(t)! / counts.get(t)!) };
}
