/**
 * A timeline's samples as columns (typed arrays), filled while the engine replays: a week of
 * 1-minute evaluations is ten thousand samples per group, and the summary reads only a few of
 * their fields. `Timeline.samples` builds the row objects from the columns when first read (the
 * JSON, CSV and chart writers read them); the summary reads the columns (`columnsOf`). Internal to
 * the simulator: not re-exported by `index.ts`.
 */
import type { AlarmState } from './aodh-rules';
import type { Timeline, TimelineSample } from './engine';

type States = Readonly<Record<string, AlarmState>>;
type Counts = Readonly<Record<string, readonly [alarm: number, ok: number, insufficient: number]>>;

/** The samples of one timeline, one column per field of `TimelineSample`. */
export class SampleColumns {
  /** How many samples. */
  public length = 0;
  public t: Float64Array;
  public demand: Float64Array;
  public needed: Float64Array;
  public members: Float64Array;
  public ready: Float64Array;
  public capacity: Float64Array;
  public served: Float64Array;
  /** 1 while measures arrive, 0 while they vanish. */
  public metrics: Uint8Array;
  /**
   * Each sample's alarm states and per-member counts, as an index into `alarmStates` and
   * `memberCounts` (samples share them while they do not change: a week of samples holds a few
   * hundred, not ten thousand references).
   */
  public states: Int32Array;
  /** The distinct alarm states, in order of first use. */
  public readonly alarmStates: States[] = [];
  /** The per-member alarm counts that go with each of `alarmStates` (undefined without per-member alarms). */
  public readonly memberCounts: (Counts | undefined)[] = [];

  /** Room for `capacity` samples; more are added by growing. */
  public constructor(capacity: number) {
    const n = Math.max(1, capacity);
    this.t = new Float64Array(n);
    this.demand = new Float64Array(n);
    this.needed = new Float64Array(n);
    this.members = new Float64Array(n);
    this.ready = new Float64Array(n);
    this.capacity = new Float64Array(n);
    this.served = new Float64Array(n);
    this.metrics = new Uint8Array(n);
    this.states = new Int32Array(n);
  }

  /** The columns of samples given as rows (a timeline made without the engine). */
  public static fromRows(rows: readonly TimelineSample[]): SampleColumns {
    const c = new SampleColumns(rows.length);
    for (const s of rows) c.push(s.t, s.demand, s.needed, s.members, s.ready, s.capacity, s.served, s.metrics, s.alarms, s.memberAlarms);
    return c;
  }

  /** The index of these states and counts in `alarmStates`: the last one's when they are the same objects, else a new one. */
  public stateIndex(alarms: States, memberAlarms: Counts | undefined): number {
    const last = this.alarmStates.length - 1;
    if (last >= 0 && this.alarmStates[last] === alarms && this.memberCounts[last] === memberAlarms) return last;
    this.alarmStates.push(alarms);
    this.memberCounts.push(memberAlarms);
    return last + 1;
  }

  /**
   * Appends one sample whose fields the caller writes at the returned index (the engine's hot
   * path: no arguments to pass, no object per sample).
   */
  public next(): number {
    const i = this.length;
    if (i === this.t.length) this.grow();
    this.length = i + 1;
    return i;
  }

  /** Appends one sample. */
  public push(
    t: number,
    demand: number,
    needed: number,
    members: number,
    ready: number,
    capacity: number,
    served: number,
    metrics: boolean,
    alarms: States,
    memberAlarms: Counts | undefined,
  ): void {
    const i = this.next();
    this.t[i] = t;
    this.demand[i] = demand;
    this.needed[i] = needed;
    this.members[i] = members;
    this.ready[i] = ready;
    this.capacity[i] = capacity;
    this.served[i] = served;
    this.metrics[i] = metrics ? 1 : 0;
    this.states[i] = this.stateIndex(alarms, memberAlarms);
  }

  /** The index of the last sample at or before `t` (the first sample when none is). */
  public indexAt(t: number): number {
    let lo = 0;
    let hi = this.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.t[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The samples as `TimelineSample` rows. */
  public rows(): TimelineSample[] {
    const rows: TimelineSample[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) {
      rows[i] = {
        t: this.t[i],
        demand: this.demand[i],
        needed: this.needed[i],
        members: this.members[i],
        ready: this.ready[i],
        capacity: this.capacity[i],
        served: this.served[i],
        metrics: this.metrics[i] === 1,
        alarms: this.alarmStates[this.states[i]],
        // (undefined for group alarms: JSON leaves it out)
        memberAlarms: this.memberCounts[this.states[i]],
      };
    }
    return rows;
  }

  private grow(): void {
    const more = <T extends Float64Array | Int32Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    const n = this.t.length * 2;
    this.t = more(this.t, new Float64Array(n));
    this.demand = more(this.demand, new Float64Array(n));
    this.needed = more(this.needed, new Float64Array(n));
    this.members = more(this.members, new Float64Array(n));
    this.ready = more(this.ready, new Float64Array(n));
    this.capacity = more(this.capacity, new Float64Array(n));
    this.served = more(this.served, new Float64Array(n));
    this.metrics = more(this.metrics, new Uint8Array(n));
    this.states = more(this.states, new Int32Array(n));
  }
}

/** The columns of the timelines the engine made, by timeline. */
const registry = new WeakMap<Timeline, SampleColumns>();

/** Records the columns a timeline's samples are built from. */
export function registerColumns(timeline: Timeline, columns: SampleColumns): void {
  registry.set(timeline, columns);
}

/** A timeline's samples as columns: the engine's, or built from its rows. */
export function columnsOf(timeline: Timeline): SampleColumns {
  return registry.get(timeline) ?? SampleColumns.fromRows(timeline.samples);
}
