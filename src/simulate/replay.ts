/**
 * The replay loop of the simulation engine (`engine.ts` checks the options and builds the
 * timeline around it): the group's state as fields and one small method per moving part, so that
 * a week of 1-minute steps runs in code the JavaScript engine optimizes once and keeps.
 *
 * A step happens only at a moment something happens: a trace point, a Ceilometer poll, an Aodh
 * evaluation, a resize starting or ending, a member becoming ready. Per step: the members' CPU
 * counters integrate the load since the last step, the trace moves on, due resizes run, the due
 * hosts are polled, and at an evaluation every enabled alarm is decided, its signals answered by
 * Heat, and one sample recorded (into typed-array columns, never as an object per sample).
 * Internal to the simulator: not re-exported by `index.ts`.
 */
import { compare, evaluateComposite, RULE_OUTCOMES, transition, type AlarmState, type RuleOutcome, type Transition } from './aodh-rules';
import type { CooldownBand, TimelineSignal } from './engine';
import { aggregateOutcome, MeasureSeries, storedRateOutcome, windowPointsOutcome } from './gnocchi-rules';
import { cooldownEndAfter, decideSignal, membersToRemove } from './heat-rules';
import { SampleColumns } from './sample-columns';
import { SharedAggregate, type AggregateInputs } from './shared-aggregate';
import type { SimAlarm, SimGroup, ThresholdRule } from './stack-model';
import type { TracePoint } from './trace';

/** The facts a replay runs with, checked by `simulate`. */
export interface ReplaySetup {
  readonly group: SimGroup;
  readonly points: readonly TracePoint[];
  /** Factor applied to every trace demand (a relative trace). */
  readonly scale: number;
  /** True when the group scales on a cumulative CPU counter (`rate:` aggregates). */
  readonly rate: boolean;
  readonly bootSeconds: number;
  readonly resizeSeconds: number;
  readonly heatLatency: number;
  readonly perMember: number | undefined;
  readonly pollInterval: number;
  readonly evalInterval: number;
  readonly phases: readonly number[];
  readonly capacityPerMember: number;
  readonly loadAtOut: number;
  readonly initialSize: number;
}

/** What a replay produced. */
export interface ReplayResult {
  readonly samples: SampleColumns;
  readonly signals: TimelineSignal[];
  readonly cooldowns: CooldownBand[];
}

interface Member {
  readonly name: string;
  readonly index: number;
  readonly createdAt: number;
  readonly activeAt: number;
  readonly readyAt: number;
  removedAt: number;
  /** The measures of the group's metric on this member (the group scales on one metric). */
  readonly series: MeasureSeries;
  readonly host: number;
  /** The state of this member's instance of each per-member alarm (by the alarm's index in the group). */
  readonly alarmStates: AlarmState[];
  /** The last outcome of each per-member rule on this member's series, while its inputs are unchanged. */
  readonly ruleCache: ({ from: number; stop: number; length: number; outcome: RuleOutcome } | undefined)[];
  /** Per per-member alarm: the series length and window its state was last decided on, and whether that left it unchanged. */
  readonly evaluated: number[];
  readonly evaluatedWindow: number[];
  readonly stable: boolean[];
}

const NS = 1e9;
const STATE_CODE: Readonly<Record<AlarmState, number>> = { ok: 0, alarm: 1, 'insufficient data': 2 };

/** One replay of a group on a trace. */
export class Replay implements AggregateInputs {
  private readonly group: SimGroup;
  private readonly alarms: readonly SimAlarm[];
  private readonly points: readonly TracePoint[];
  private readonly setup: ReplaySetup;
  private readonly end: number;

  // ---- the group
  /** Members in the group, oldest first (a scale-in replaces the list, a scale-out appends to it). */
  private members: Member[] = [];
  /** Removed members whose measures may still be inside an alarm window. */
  private retired: Member[] = [];
  private readonly longestWindow: number;
  private created = 0;
  /** Each member's cumulative CPU counter (ns), by creation index; a new member's starts at 0. */
  private counters = new Float64Array(16);
  /** True once a measure was stored or the membership changed since the last evaluation. */
  private measured = true;
  // (public for the shared aggregates: see `AggregateInputs`)
  /** Bumped on every poll that stores measures and every removal (the shared points' key). */
  public version = 0;
  /** Bumped on every poll that stores measures (an open bucket may have changed). */
  public pollCount = 0;
  /** Bumped whenever the series a group query matches change membership or order (every bucket may have changed). */
  public orderVersion = 0;
  /** Bumped whenever a series joins or leaves the group queries' lists. */
  private seriesVersion = 0;
  private scalingUntil = -Infinity;
  // (the time and load fields start as NaN: they hold fractional numbers from the first step on, and
  // an object whose fields change number representation midway makes the JIT start over)
  private cooldownEnd = NaN;
  private readonly cooldowns: CooldownBand[];
  private readonly alarmStates: AlarmState[];
  private readonly samples: SampleColumns;
  private readonly signals: TimelineSignal[] = [];
  private readonly pending: { at: number; run: () => void }[] = [];

  // ---- the clock
  private pi = 0;
  private demand = NaN;
  private metricsOn: boolean;
  private lastT = NaN;
  private readyNow: Member[];
  private nextReady = NaN;
  private readonly nextPoll: number[];
  private nextEval = NaN;

  // ---- the rules
  private readonly alarmRuleIds: readonly (readonly number[])[];
  private readonly outsideOf: ((value: number) => boolean)[] = [];
  private readonly outcomeBuffers: RuleOutcome[][];
  private readonly sharedOf: SharedAggregate[] = [];
  /** The group queries' series lists (live only, with the deleted), and the `seriesVersion` each was made at. */
  private readonly seriesLists: MeasureSeries[][] = [[], []];
  private readonly seriesListVersions = [-1, -1];
  /**
   * Per alarm: whether it is evaluated at all. A disabled alarm is not; nor is a group alarm whose
   * rules all read one resource's own series (a queue's, say), which the replay has no member
   * for: every rule is insufficient data, so the alarm stays there from its creation on and never
   * notifies (`transition` and `evaluateComposite` on insufficient data from insufficient data).
   */
  private readonly live: readonly boolean[];
  /** The distinct granularity sets of the alarms, each alarm's set, and each set's window key at this evaluation. */
  private readonly windowSets: (readonly number[])[] = [];
  private readonly alarmWindowSet: readonly number[];
  private readonly windowKeys: number[];
  /** Per per-member alarm: every instance settled (no change, no repeat) at the last evaluation, and its window then. */
  private readonly quiet: boolean[];
  private readonly quietWindow: number[];
  /** Per group alarm: the measures' version and window of its last evaluation, and whether that left its state unchanged. */
  private readonly groupVersion: number[];
  private readonly groupWindow: number[];
  private readonly groupStable: boolean[];
  private lastStates: Record<string, AlarmState> = {};
  private lastCounts: Record<string, [number, number, number]> | undefined;
  private lastStatesSize = -1;
  private lastStatesMembers: Member[] | undefined;
  private readonly labels: readonly string[];
  /** True when some alarm is per member (the samples then carry per-member counts). */
  private readonly perMemberAlarms: boolean;
  private readonly statesByCode = new Map<number, Record<string, AlarmState>>();

  public constructor(setup: ReplaySetup, labels: readonly string[]) {
    const { group, points, evalInterval, pollInterval } = setup;
    this.setup = setup;
    this.group = group;
    this.alarms = group.alarms;
    this.points = points;
    this.labels = labels;
    const start = points[0].t;
    this.end = points[points.length - 1].t;
    this.longestWindow = Math.max(0, ...group.alarms.flatMap((a) => a.rules.map((r) => r.granularity * (r.evaluationPeriods + 2))));
    for (let i = 0; i < setup.initialSize; i++) this.newMember(start, start, start);
    // `check_create_complete` starts the group's cooldown when the stack is created.
    this.cooldownEnd = start + group.cooldown;
    this.cooldowns = group.cooldown > 0 ? [{ from: start, to: this.cooldownEnd }] : [];
    this.alarmStates = group.alarms.map(() => 'insufficient data');
    // One sample per evaluation, the first at the first multiple of the interval after the start.
    this.nextEval = Math.floor(start / evalInterval) * evalInterval + evalInterval;
    this.samples = new SampleColumns(this.end >= this.nextEval ? Math.floor((this.end - this.nextEval) / evalInterval) + 1 : 0);
    this.demand = points[0].demand * setup.scale;
    this.metricsOn = points[0].metrics !== false;
    this.lastT = start;
    this.readyNow = this.readyOf(start);
    this.nextReady = this.nextReadyAfter(start);
    this.nextPoll = setup.phases.map((p) => Math.ceil((start - p) / pollInterval) * pollInterval + p);

    // Every rule of the group by a number, for the members' caches.
    const ruleIds = new Map<ThresholdRule, number>();
    for (const a of group.alarms) for (const r of a.rules) if (!ruleIds.has(r)) ruleIds.set(r, ruleIds.size);
    this.alarmRuleIds = group.alarms.map((a) => a.rules.map((r) => ruleIds.get(r)!));
    for (const [r, id] of ruleIds) this.outsideOf[id] = (v: number) => compare(v, r.comparisonOperator, r.threshold);
    this.outcomeBuffers = group.alarms.map((a) => a.rules.map((): RuleOutcome => RULE_OUTCOMES['insufficient data']));
    // Rules reading the same aggregate (method, granularity, series) share its points.
    const sharedByKey = new Map<string, SharedAggregate>();
    const seriesOf = (liveOnly: boolean): readonly MeasureSeries[] => this.seriesOf(liveOnly);
    for (const [r, id] of ruleIds) {
      if (r.kind === 'resource') continue;
      const key = `${r.aggregationMethod}|${r.granularity}|${r.liveOnly}`;
      let shared = sharedByKey.get(key);
      if (!shared) sharedByKey.set(key, (shared = new SharedAggregate(r.aggregationMethod, r.granularity, r.liveOnly, seriesOf)));
      shared.periods = Math.max(shared.periods, r.evaluationPeriods);
      this.sharedOf[id] = shared;
    }
    for (const shared of sharedByKey.values()) shared.reserve();
    // The buckets a rule's window covers move only when t crosses a multiple of its granularity;
    // alarms over the same granularities share one window key per evaluation.
    const sets = new Map<string, number>();
    this.alarmWindowSet = group.alarms.map((a) => {
      const granularities = [...new Set(a.rules.map((r) => r.granularity))];
      const key = granularities.join(',');
      if (!sets.has(key)) {
        sets.set(key, this.windowSets.length);
        this.windowSets.push(granularities);
      }
      return sets.get(key)!;
    });
    this.windowKeys = this.windowSets.map(() => NaN);
    this.perMemberAlarms = group.alarms.some((a) => a.perMember);
    this.live = group.alarms.map((a) => a.enabled && (a.perMember || a.rules.some((r) => r.kind !== 'resource')));
    this.quiet = group.alarms.map(() => false);
    this.quietWindow = group.alarms.map(() => -1);
    this.groupVersion = group.alarms.map(() => -1);
    this.groupWindow = group.alarms.map(() => -1);
    this.groupStable = group.alarms.map(() => false);
  }

  /** Runs the replay to the trace's end. */
  public run(): ReplayResult {
    while (true) {
      const t = this.nextTime();
      if (t > this.end) break;
      this.integrate(t);
      this.advanceTrace(t);
      this.runPending(t);
      this.poll(t);
      if (t === this.nextEval) {
        this.nextEval += this.setup.evalInterval;
        this.evaluate(t);
      }
    }
    return { samples: this.samples, signals: this.signals, cooldowns: this.cooldowns };
  }

  /** The next moment something happens. */
  private nextTime(): number {
    const { points, pi, nextPoll, pending } = this;
    let t = pi + 1 < points.length ? Math.min(this.nextEval, points[pi + 1].t) : this.nextEval;
    for (let h = 0; h < nextPoll.length; h++) if (nextPoll[h] < t) t = nextPoll[h];
    for (let i = 0; i < pending.length; i++) if (pending[i].at < t) t = pending[i].at;
    if (this.nextReady < t) t = this.nextReady;
    return t;
  }

  /** 1. integrates CPU time up to t at the usage of [lastT, t). */
  private integrate(t: number): void {
    if (this.setup.rate && t > this.lastT) {
      const ready = this.readyNow;
      const n = ready.length;
      const inc = (n === 0 ? 0 : Math.min(this.demand, n * this.setup.capacityPerMember) / n) * (t - this.lastT) * NS;
      const counters = this.counters;
      for (let i = 0; i < n; i++) counters[ready[i].index] += inc;
    }
    this.lastT = t;
  }

  /** 2. the trace moves on. */
  private advanceTrace(t: number): void {
    const points = this.points;
    while (this.pi + 1 < points.length && points[this.pi + 1].t <= t) {
      const p = points[++this.pi];
      this.demand = p.demand * this.setup.scale;
      this.metricsOn = p.metrics !== false;
    }
  }

  /** 3. resizes end, members become ready. */
  private runPending(t: number): void {
    const pending = this.pending;
    for (let i = 0; i < pending.length; ) {
      if (pending[i].at <= t) {
        pending[i].run();
        pending.splice(i, 1);
      } else i++;
    }
    if (this.nextReady <= t) {
      this.readyNow = this.readyOf(t);
      this.nextReady = this.nextReadyAfter(t);
    }
  }

  /** 4. Ceilometer polls the hosts due now. */
  private poll(t: number): void {
    const nextPoll = this.nextPoll;
    for (let h = 0; h < nextPoll.length; h++) {
      if (nextPoll[h] !== t) continue;
      nextPoll[h] += this.setup.pollInterval;
      if (!this.metricsOn) continue;
      const share = this.readyNow.length === 0 ? 0 : this.demand / this.readyNow.length;
      this.version++;
      this.pollCount++;
      this.measured = true;
      const members = this.members;
      for (let i = 0; i < members.length; i++) {
        const m = members[i];
        if (m.host !== h || m.activeAt > t) continue;
        const ready = m.readyAt <= t;
        // (a member's first measure puts its series into the group queries)
        if (m.series.times.length === 0) this.seriesVersion++;
        m.series.add(t, this.setup.rate ? this.counters[m.index] : ready ? share : 0);
      }
    }
  }

  /** 5. Aodh evaluates every enabled alarm; one sample is recorded. */
  private evaluate(t: number): void {
    const alarms = this.alarms;
    let changed = false;
    // New measures or members since the last evaluation (a signal below sets it for the next one)
    const fresh = this.measured;
    this.measured = false;
    for (let k = 0; k < this.windowSets.length; k++) this.windowKeys[k] = windowKey(this.windowSets[k], t);
    for (let ai = 0; ai < alarms.length; ai++) {
      const alarm = alarms[ai];
      if (!this.live[ai]) continue;
      if (alarm.perMember ? this.evaluatePerMember(ai, t, fresh) : this.evaluateGroupAlarm(ai, t)) changed = true;
    }
    if (this.retired.length > 0) {
      // (in place: the list is the replay's own)
      const retired = this.retired;
      let kept = 0;
      for (let i = 0; i < retired.length; i++) {
        const s = retired[i].series;
        if (s.times.length > 0 && s.times[s.times.length - 1] >= t - this.longestWindow) retired[kept++] = retired[i];
      }
      if (kept < retired.length) {
        this.orderVersion++;
        this.seriesVersion++;
      }
      retired.length = kept;
    }
    this.record(t, changed);
  }

  /**
   * One alarm per member, each on its own server's series; a member a signal just removed is
   * deleted with its alarms (its nested stack goes), so it is not evaluated again. Returns true
   * when an instance changed state.
   */
  private evaluatePerMember(ai: number, t: number, fresh: boolean): boolean {
    const alarm = this.alarms[ai];
    const window = this.windowKeys[this.alarmWindowSet[ai]];
    // Nothing new since an evaluation that left every instance settled and none repeating:
    // each would decide the same again and stay silent (see the skip below), so none is looked at.
    if (!fresh && this.quiet[ai] && window === this.quietWindow[ai]) return false;
    let changed = false;
    let settled = true;
    // (a scale-in replaces `members`, a scale-out appends to it: this evaluation's members stay
    // the first n of `list`)
    const list = this.members;
    for (let i = 0, n = list.length; i < n; i++) {
      const m = list[i];
      if (m.removedAt <= t) continue;
      const previous = m.alarmStates[ai];
      const length = m.series.times.length;
      // Same points as at a previous evaluation that left the state unchanged: Aodh decides the
      // same again (a fixed point of the transition), notifying only with repeat_actions.
      if (m.evaluated[ai] === length && m.evaluatedWindow[ai] === window && m.stable[ai]) {
        if (previous === 'alarm' && alarm.repeatActions) {
          settled = false;
          this.signal(alarm, t);
        }
        continue;
      }
      const r = this.evaluateAlarm(ai, previous, t, m);
      m.alarmStates[ai] = r.state;
      m.stable[ai] = r.state === previous;
      m.evaluated[ai] = length;
      m.evaluatedWindow[ai] = window;
      if (r.state !== previous) changed = true;
      if (!m.stable[ai] || (r.state === 'alarm' && alarm.repeatActions)) settled = false;
      if (r.state === 'alarm' && r.notify) this.signal(alarm, t);
    }
    this.quiet[ai] = settled;
    this.quietWindow[ai] = window;
    return changed;
  }

  /** One alarm over the group's servers. Returns true when it changed state. */
  private evaluateGroupAlarm(ai: number, t: number): boolean {
    const alarm = this.alarms[ai];
    const previous = this.alarmStates[ai];
    const window = this.windowKeys[this.alarmWindowSet[ai]];
    // The same measures, members and window as an evaluation that left the state unchanged:
    // Aodh decides the same again (a fixed point of the transition), notifying only with
    // repeat_actions in 'alarm'.
    if (this.groupStable[ai] && this.groupVersion[ai] === this.version && this.groupWindow[ai] === window) {
      if (previous === 'alarm' && alarm.repeatActions) this.signal(alarm, t);
      return false;
    }
    this.groupVersion[ai] = this.version;
    this.groupWindow[ai] = window;
    const r = this.evaluateAlarm(ai, previous, t);
    this.groupStable[ai] = r.state === previous;
    this.alarmStates[ai] = r.state;
    if (r.state === 'alarm' && r.notify) this.signal(alarm, t);
    return r.state !== previous;
  }

  private evaluateAlarm(ai: number, previous: AlarmState, t: number, member?: Member): Transition {
    const alarm = this.alarms[ai];
    const ids = this.alarmRuleIds[ai];
    if (!alarm.composite) return transition(previous, this.ruleOutcome(alarm.rules[0], ids[0], t, member), alarm.repeatActions);
    const outcomes = this.outcomeBuffers[ai];
    for (let i = 0; i < ids.length; i++) outcomes[i] = this.ruleOutcome(alarm.rules[i], ids[i], t, member);
    return evaluateComposite(previous, alarm.composite, outcomes, alarm.repeatActions);
  }

  private ruleOutcome(rule: ThresholdRule, ruleId: number, t: number, member?: Member): RuleOutcome {
    const from = t - rule.granularity * (rule.evaluationPeriods + 1);
    if (rule.kind === 'resource') {
      if (!member) return RULE_OUTCOMES['insufficient data'];
      const s = member.series;
      // The member's own stored points change only with a new measure or the window moving a bucket.
      const fromBucket = Math.floor(from / rule.granularity);
      const stopBucket = Math.ceil(t / rule.granularity);
      let hit = member.ruleCache[ruleId];
      if (hit && hit.length === s.times.length && hit.from === fromBucket && hit.stop === stopBucket) return hit.outcome;
      const outcome = rule.aggregationMethod.startsWith('rate:')
        ? RULE_OUTCOMES[storedRateOutcome(s, rule.granularity, from, t, rule.evaluationPeriods, this.outsideOf[ruleId])]
        : // (one series: its stored bucket means, whatever the method combines across series)
          RULE_OUTCOMES[aggregateOutcome([s], rule.aggregationMethod, rule.granularity, from, t, rule.evaluationPeriods, this.outsideOf[ruleId])];
      if (!hit) hit = member.ruleCache[ruleId] = { from: 0, stop: 0, length: 0, outcome };
      hit.from = fromBucket;
      hit.stop = stopBucket;
      hit.length = s.times.length;
      hit.outcome = outcome;
      return outcome;
    }
    // The points change only with a new measure, a removed member, or the window moving a bucket;
    // the rules reading the same aggregate share them, over the longest of their windows.
    const points = this.sharedOf[ruleId].pointsAt(t, this);
    return RULE_OUTCOMES[windowPointsOutcome(points, rule.granularity, from, rule.evaluationPeriods, this.outsideOf[ruleId])];
  }

  /**
   * The series the group query matches, members' with measures first, oldest first; with the
   * ended_at filter (`liveOnly`), deleted servers drop out entirely. Kept until a series joins or
   * leaves.
   */
  private seriesOf(liveOnly: boolean): MeasureSeries[] {
    const k = liveOnly ? 0 : 1;
    const series = this.seriesLists[k];
    if (this.seriesListVersions[k] === this.seriesVersion) return series;
    series.length = 0;
    for (let i = 0; i < this.members.length; i++) if (this.members[i].series.times.length > 0) series.push(this.members[i].series);
    if (!liveOnly) for (let i = 0; i < this.retired.length; i++) if (this.retired[i].series.times.length > 0) series.push(this.retired[i].series);
    this.seriesListVersions[k] = this.seriesVersion;
    return series;
  }

  /** Heat answers an alarm's signal; a resize it starts adds members now or removes them when it starts. */
  private signal(alarm: SimAlarm, t: number): void {
    const { group, setup } = this;
    const policy = group.policies[alarm.policy];
    const size = this.members.length;
    const decision = decideSignal(
      { complete: true, size, minSize: group.minSize, maxSize: group.maxSize, scalingInProgress: t < this.scalingUntil, cooldownEnd: this.cooldownEnd },
      policy,
      t,
    );
    this.signals.push({ t, alarm: alarm.name, policy: policy.name, result: decision.result, from: decision.from, to: decision.to });
    if (decision.result !== 'scaled') return;
    // The resize starts after Heat's latency and runs a fixed time or a time per member.
    const begin = t + setup.heatLatency;
    const perMember = setup.perMember;
    const duration = perMember === undefined ? setup.resizeSeconds : perMember * Math.abs(decision.to - size);
    if (decision.to > size) {
      for (let k = 0; k < decision.to - size; k++) {
        if (perMember === undefined) this.newMember(t, begin + setup.resizeSeconds, begin + setup.bootSeconds);
        else this.newMember(t, begin + perMember * (k + 1), Math.max(begin + perMember * (k + 1), begin + perMember * k + setup.bootSeconds));
      }
    } else {
      const leaving = membersToRemove(
        this.members.map((m) => ({ name: m.name, createdAt: m.createdAt, failed: false, m })),
        decision.to,
      ).map((x) => x.m);
      if (begin === t) this.remove(leaving, t);
      else this.pending.push({ at: begin, run: () => this.remove(leaving, begin) });
    }
    const cooldown = policy.cooldown ?? group.cooldown;
    const finished = begin + duration;
    this.scalingUntil = finished;
    this.pending.push({
      at: finished,
      run: () => {
        this.cooldownEnd = cooldownEndAfter(this.cooldownEnd, finished, cooldown);
        this.cooldowns.push({ from: t, to: this.cooldownEnd });
      },
    });
    this.readyNow = this.readyOf(t);
    this.nextReady = this.nextReadyAfter(t);
  }

  /** Heat removes `leaving` at `at` (they stop serving and their series stop). */
  private remove(leaving: readonly Member[], at: number): void {
    for (const m of leaving) m.removedAt = at;
    this.retired = [...this.retired, ...this.members.filter((m) => m.removedAt <= at)];
    this.measured = true;
    // (a new list: an evaluation running over the old one keeps its members)
    this.members = this.members.filter((m) => m.removedAt > at);
    this.version++;
    this.orderVersion++;
    this.seriesVersion++;
    this.readyNow = this.readyOf(at);
    this.nextReady = this.nextReadyAfter(at);
  }

  private newMember(t: number, activeAt: number, readyAt: number): void {
    const created = this.created;
    if (created === this.counters.length) {
      const more = new Float64Array(created * 2);
      more.set(this.counters);
      this.counters = more;
    }
    const alarms = this.alarms;
    this.members.push({
      name: `member-${String(created).padStart(4, '0')}`,
      index: created,
      createdAt: t,
      activeAt,
      readyAt,
      removedAt: Infinity,
      series: new MeasureSeries(),
      host: created % this.setup.phases.length,
      // Its alarms are created with it (they live in its nested stack), with no data yet.
      alarmStates: alarms.map((): AlarmState => 'insufficient data'),
      ruleCache: [],
      evaluated: alarms.map(() => -1),
      evaluatedWindow: alarms.map(() => -1),
      stable: alarms.map(() => false),
    });
    this.created++;
    this.measured = true;
  }

  private readyOf(t: number): Member[] {
    return this.members.filter((m) => m.readyAt <= t);
  }

  /** The next moment a member becomes ready (the ready list is recomputed only then or when members change). */
  private nextReadyAfter(t: number): number {
    let next = Infinity;
    for (const m of this.members) if (m.readyAt > t && m.readyAt < next) next = m.readyAt;
    return next;
  }

  /** Records the sample of the evaluation at t; the states (and per-member counts) are shared with the previous sample while nothing changed. */
  private record(t: number, changed: boolean): void {
    const { group, setup } = this;
    const alive = this.members;
    const readyCount = this.readyNow.length;
    const capacity = readyCount * setup.capacityPerMember;
    if (changed || alive.length !== this.lastStatesSize || alive !== this.lastStatesMembers) {
      if (this.perMemberAlarms) this.countStates(alive);
      else {
        // Group alarms only: one states object per combination of states, shared by every sample
        // that has it (a sample's states are never changed).
        let code = 0;
        for (let ai = 0; ai < this.alarmStates.length; ai++) code = code * 3 + STATE_CODE[this.alarmStates[ai]];
        let states = this.statesByCode.get(code);
        if (!states) {
          states = {};
          for (let ai = 0; ai < this.alarmStates.length; ai++) states[this.labels[ai]] = this.alarmStates[ai];
          this.statesByCode.set(code, states);
        }
        this.lastStates = states;
        this.lastCounts = undefined;
      }
      this.lastStatesSize = alive.length;
      this.lastStatesMembers = alive;
    }
    const demand = this.demand;
    // (written in place: no object and no boxed number per sample)
    const c = this.samples;
    const i = c.next();
    c.t[i] = t;
    c.demand[i] = demand;
    c.needed[i] = Math.min(group.maxSize, Math.max(group.minSize, Math.ceil(demand / setup.loadAtOut - 1e-9)));
    c.members[i] = alive.length;
    c.ready[i] = readyCount;
    c.capacity[i] = Math.round(capacity * 1000) / 1000;
    c.served[i] = Math.round(Math.min(demand, capacity) * 1000) / 1000;
    c.metrics[i] = this.metricsOn ? 1 : 0;
    c.states[i] = c.stateIndex(this.lastStates, this.lastCounts);
  }

  /** The states of the sample when the group has per-member alarms: each per-member alarm 'alarm' if any member's is, else 'ok' if any member's is, with the counts. */
  private countStates(alive: readonly Member[]): void {
    const states: Record<string, AlarmState> = {};
    let counts: Record<string, [number, number, number]> | undefined;
    const labels = this.labels;
    this.group.alarms.forEach((alarm, ai) => {
      if (alarm.perMember) {
        const c: [number, number, number] = [0, 0, 0];
        for (const m of alive) c[m.alarmStates[ai] === 'alarm' ? 0 : m.alarmStates[ai] === 'ok' ? 1 : 2]++;
        (counts ??= {})[labels[ai]] = c;
        states[labels[ai]] = c[0] > 0 ? 'alarm' : c[1] > 0 ? 'ok' : 'insufficient data';
      } else states[labels[ai]] = this.alarmStates[ai];
    });
    this.lastStates = states;
    this.lastCounts = counts;
  }
}

/** A number that changes exactly when the buckets of a window over these granularities move. */
function windowKey(granularities: readonly number[], t: number): number {
  let key = 0;
  // (a sum of non-decreasing terms: it changes exactly when one of them does)
  for (let i = 0; i < granularities.length; i++) key += Math.floor(t / granularities[i]) + Math.ceil(t / granularities[i]);
  return key;
}
