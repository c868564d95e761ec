/**
 * One Gnocchi aggregate as the replay reads it for a group's alarms: the points of
 * `(aggregate <method> (metric ...))` over the group's series in the window of the rules that read
 * it (the rules with the same method, granularity and series filter share them, over the longest
 * of their windows), and its combined buckets, each computed once. A bucket is recomputed only
 * when the series it combines change membership or order, or, while it is still open (a later
 * poll may land in it), after a new poll. Internal to the simulator: not re-exported by `index.ts`.
 */
import { combinedBucket, type MeasureSeries, WindowPoints } from './gnocchi-rules';

/** What the aggregate's points depend on, as the replay counts it. */
export interface AggregateInputs {
  /** Bumped on every poll that stores measures and every removal of members. */
  readonly version: number;
  /** Bumped on every poll that stores measures (an open bucket may have changed). */
  readonly pollCount: number;
  /** Bumped whenever the series the query matches change membership or order (every bucket may have changed). */
  readonly orderVersion: number;
}

/** One aggregate shared by the rules that read it. */
export class SharedAggregate {
  /** The most evaluation periods of its rules (the longest window). */
  public periods = 0;
  /** The points of the last window asked for. */
  public readonly points = new WindowPoints();
  private version = -1;
  private from = NaN;
  private stop = NaN;
  // The bucket cache, by bucket index masked to its size: index, value, series count, series order
  // and polls it was computed with, closed. Sized by `reserve`.
  private ids = new Float64Array(0);
  private values = new Float64Array(0);
  private counts = new Int32Array(0);
  private orders = new Float64Array(0);
  private polls = new Float64Array(0);
  private closed = new Uint8Array(0);
  private readonly combined = { value: NaN };
  private readonly rate: boolean;

  /**
   * @param seriesOf the series the query matches now, in the query's order (`liveOnly`: without
   *   deleted servers)
   */
  public constructor(
    public readonly method: string,
    public readonly granularity: number,
    public readonly liveOnly: boolean,
    private readonly seriesOf: (liveOnly: boolean) => readonly MeasureSeries[],
  ) {
    this.rate = method.startsWith('rate:');
  }

  /** Sizes the bucket cache once `periods` is final. */
  public reserve(): void {
    // (room for every bucket of the longest window and then some: a window never evicts its own;
    // a power of two, so that a bucket's place is its index masked)
    let size = 8;
    while (size < this.periods + 4) size *= 2;
    this.ids = new Float64Array(size).fill(NaN);
    this.values = new Float64Array(size);
    this.counts = new Int32Array(size);
    this.orders = new Float64Array(size);
    this.polls = new Float64Array(size);
    this.closed = new Uint8Array(size);
  }

  /**
   * The points of the longest window ending at `t`, recomputed only when the measures, the members
   * or the window's buckets changed since the last call.
   */
  public pointsAt(t: number, inputs: AggregateInputs): WindowPoints {
    const g = this.granularity;
    const start = t - g * (this.periods + 1);
    const fromBucket = Math.floor(start / g);
    const stopBucket = Math.ceil(t / g); // buckets starting before t
    if (this.version !== inputs.version || this.from !== fromBucket || this.stop !== stopBucket) {
      this.fill(start, t, inputs);
      this.version = inputs.version;
      this.from = fromBucket;
      this.stop = stopBucket;
    }
    return this.points;
  }

  /**
   * The points in [start, t), as `aggregatePoints` makes them (bucket slots from the window's
   * first bucket, NaN-padded buckets skipped, `rate:` differences of consecutive present buckets),
   * from the cached combined buckets.
   */
  private fill(start: number, t: number, inputs: AggregateInputs): void {
    const { granularity: g, method, ids, values, counts, orders, polls, closed } = this;
    const first = Math.floor(start / g);
    const from = first * g;
    const slots = Math.max(0, Math.ceil((t - from) / g));
    const into = this.points;
    if (into.values.length < slots) {
      into.values = new Float64Array(slots * 2);
      into.firstSlot = new Int32Array(slots * 2);
    }
    const mask = ids.length - 1;
    let series: readonly MeasureSeries[] | undefined;
    let points = 0;
    let previous = 0;
    let previousSlot = -1;
    for (let k = 0; k < slots; k++) {
      const q = first + k;
      // (buckets starting before t only, as Gnocchi cuts [start, stop))
      if (q * g >= t) break;
      const r = q & mask;
      if (!(ids[r] === q && orders[r] === inputs.orderVersion && (closed[r] === 1 || polls[r] === inputs.pollCount))) {
        if (!series) series = this.seriesOf(this.liveOnly);
        counts[r] = combinedBucket(series, method, g, q, this.combined);
        values[r] = this.combined.value;
        ids[r] = q;
        orders[r] = inputs.orderVersion;
        polls[r] = inputs.pollCount;
        // (every later measure is at t or after: it lands in a later bucket)
        closed[r] = Math.floor(t / g) > q ? 1 : 0;
      }
      if (counts[r] === 0) continue;
      const v = values[r];
      // (`rate:` drops the first point: it has nothing to differ from)
      if (!this.rate) {
        into.values[points] = v;
        into.firstSlot[points++] = k;
      } else if (previousSlot >= 0) {
        into.values[points] = v - previous;
        into.firstSlot[points++] = previousSlot;
      }
      previous = v;
      previousSlot = k;
    }
    into.length = points;
    into.from = from;
  }
}
