/**
 * The simulation engine: replays one group on one trace, second by second of cloud time but only
 * at the moments something happens (a demand change, a Ceilometer poll, an Aodh evaluation, a
 * resize ending, a member becoming ready). Pure and deterministic: same input, same timeline.
 *
 * The moving parts and where their rules come from:
 * - Ceilometer polls each server's cumulative `cpu` counter (ns) every `pollIntervalSeconds`
 *   (ceilometer's `polling.yaml` default: 300 s), each compute host at its own phase
 *   (`pollPhases`); a member lands on host (creation index mod hosts). A gauge metric is polled the
 *   same way. While a trace point says `metrics: false`, no measure is stored.
 * - Gnocchi stores and aggregates the measures (`gnocchi-rules.ts`).
 * - Aodh evaluates every alarm every `evaluationIntervalSeconds` (aodh's `evaluation_interval`,
 *   default 60 s) over its window and notifies (`aodh-rules.ts`); a disabled alarm is not
 *   evaluated.
 * - Heat answers each signal (`heat-rules.ts`); a resize keeps the group busy for `resizeSeconds`
 *   and its cooldown counts from the resize's end. New members take load `bootSeconds` after the
 *   signal; removed members stop at once (Heat drops them from the pool while deleting them).
 * - Load spreads evenly over the members that are ready (a round-robin Octavia pool); each serves
 *   at most `capacityPerMember`.
 */
import { ErrorCode, propError } from '../core/errors';
import { compare, evaluateComposite, RULE_OUTCOMES, transition, type AlarmState, type RuleOutcome, type Transition } from './aodh-rules';
import { aggregateOutcome, MeasureSeries, storedRateOutcome } from './gnocchi-rules';
import { cooldownEndAfter, decideSignal, membersToRemove, type SignalResult } from './heat-rules';
import type { SimAlarm, SimGroup, ThresholdRule } from './stack-model';
import type { Trace } from './trace';

/** Options of a simulation. Every default is the upstream default or a stated assumption. */
export interface SimulationOptions {
  /**
   * Seconds from a scale-out signal until the new member takes load (server build, boot, app start).
   * @default 180
   */
  readonly bootSeconds?: number;
  /**
   * Seconds Heat's resize runs (the group refuses signals meanwhile; its cooldown starts after).
   * Capped at `bootSeconds`. Ignored when `resizeSecondsPerMember` is given.
   * @default 60
   */
  readonly resizeSeconds?: number;
  /**
   * Heat latency: seconds from a signal Heat accepts until its resize starts (the engine picking
   * the signal up, the RPC, the stack update being scheduled). The group counts as scaling from the
   * signal on (Heat marks `scaling_in_progress` before it resizes: `heat/scaling/cooldown.py`
   * `_check_scaling_allowed` / `heat/engine/resources/openstack/heat/autoscaling_group.py`
   * `adjust`), removed members keep serving until the resize starts, and new members' boot
   * counts from then. A real cloud shows a few seconds; a loaded Heat engine much more.
   * @default 0
   */
  readonly heatLatencySeconds?: number;
  /**
   * Seconds Heat's resize takes per member added or removed (it creates or deletes the members'
   * nested stacks one after the other). When given, a resize of n members runs n × this, the
   * k-th new member's server exists (is polled) k × this after the resize starts and takes load
   * `bootSeconds` after its own creation started.
   * @default - every resize runs `resizeSeconds`, all its members created together
   */
  readonly resizeSecondsPerMember?: number;
  /**
   * Ceilometer's polling interval.
   * @default 300
   */
  readonly pollIntervalSeconds?: number;
  /**
   * The polling phase of each compute host, in seconds after each interval starts; members are
   * spread over the hosts in creation order.
   * @default [0]
   */
  readonly pollPhases?: readonly number[];
  /**
   * Aodh's evaluation interval.
   * @default 60
   */
  readonly evaluationIntervalSeconds?: number;
  /**
   * vCPUs of a member, when the template does not record them.
   * @default - read from the CPU alarms' descriptions
   */
  readonly vcpus?: number;
  /**
   * The most a member serves, in demand units.
   * @default - the vCPUs for `cpu`; the scale-out threshold for a gauge metric
   */
  readonly capacityPerMember?: number;
}

/** One timeline sample, taken after each Aodh evaluation. */
export interface TimelineSample {
  readonly t: number;
  /** Demand in the metric's units. */
  readonly demand: number;
  /** The least members that keep the load at or below the scale-out threshold (within min/max). */
  readonly needed: number;
  /** Members of the group (booting ones included). */
  readonly members: number;
  /** Members taking load. */
  readonly ready: number;
  /** What the ready members can serve (demand units). */
  readonly capacity: number;
  /** Demand served (demand units). */
  readonly served: number;
  /** False while measures vanish. */
  readonly metrics: boolean;
  /** State of each alarm (per-member alarms: 'alarm' if any member's is, else 'ok' if any member's is). */
  readonly alarms: Readonly<Record<string, AlarmState>>;
  /** Per-member alarms only: how many members' instances are in alarm, ok and insufficient data. */
  readonly memberAlarms?: Readonly<Record<string, readonly [alarm: number, ok: number, insufficient: number]>>;
}

/** One signal an alarm sent and Heat's answer. */
export interface TimelineSignal {
  readonly t: number;
  readonly alarm: string;
  readonly policy: string;
  readonly result: SignalResult;
  readonly from: number;
  readonly to: number;
}

/** A span in which the group refuses signals: a resize running, then its cooldown. */
export interface CooldownBand {
  readonly from: number;
  readonly to: number;
}

/** The facts of the group the timeline was computed with. */
export interface SimulationConfig {
  readonly metric: string;
  /** Unit of `demand`. */
  readonly unit: string;
  readonly granularity: number;
  readonly evaluationPeriods: number;
  readonly cooldown: number;
  readonly bootSeconds: number;
  readonly resizeSeconds: number;
  /** Set only when the option was given (see `SimulationOptions`). */
  readonly heatLatencySeconds?: number;
  /** Set only when the option was given (see `SimulationOptions`). */
  readonly resizeSecondsPerMember?: number;
  readonly pollIntervalSeconds: number;
  readonly pollPhases: readonly number[];
  readonly evaluationIntervalSeconds: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly initialSize: number;
  readonly capacityPerMember: number;
  /** Demand one member carries at the scale-out threshold. */
  readonly loadPerMemberAtScaleOut: number;
  /** The largest single scale-out step of the group's policies (members). */
  readonly largestStep: number;
}

/** The replay of one group on one trace. */
export interface Timeline {
  readonly stack: string;
  readonly group: string;
  readonly trace: string;
  readonly config: SimulationConfig;
  readonly alarms: readonly { readonly name: string; readonly policy: string; readonly perMember: boolean; readonly enabled: boolean }[];
  readonly samples: readonly TimelineSample[];
  readonly signals: readonly TimelineSignal[];
  readonly cooldowns: readonly CooldownBand[];
  /** Alarms not replayed, with the reason. */
  readonly skipped: readonly string[];
}

interface Member {
  readonly name: string;
  readonly index: number;
  readonly createdAt: number;
  readonly activeAt: number;
  readonly readyAt: number;
  removedAt: number;
  counter: number;
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

function positive(name: string, v: number | undefined, dflt: number, min = 0): number {
  const x = v ?? dflt;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < min) {
    throw propError('simulate', ErrorCode.RANGE, name, v, `must be a number of at least ${min}`, `omit it for ${dflt}`);
  }
  return x;
}

function growing(p: SimGroup['policies'][string]): boolean {
  return p.adjustmentType === 'exact_capacity' ? false : p.scalingAdjustment > 0;
}

/** The metric the group scales on and what a member carries at the scale-out point. */
function metricFacts(group: SimGroup): { metric: string; rate: boolean; granularity: number; evaluationPeriods: number; scaleOutThreshold?: number } {
  const rules = group.alarms.flatMap((a) => a.rules);
  const metrics = [...new Set(rules.map((r) => r.metric))].sort();
  if (metrics.length > 1) {
    throw propError(
      `${group.stack}:${group.name}`,
      ErrorCode.UNSUPPORTED,
      'alarms',
      metrics,
      'scale on more than one metric; a trace gives the demand of one',
      'simulate a group that scales on one metric',
    );
  }
  const metric = metrics[0] ?? 'none';
  const mine = rules.filter((r) => r.metric === metric);
  const outRules = group.alarms
    .filter((a) => group.policies[a.policy] && growing(group.policies[a.policy]))
    .flatMap((a) => a.rules)
    .filter((r) => r.comparisonOperator === 'gt' || r.comparisonOperator === 'ge');
  return {
    metric,
    rate: mine.some((r) => r.aggregationMethod.startsWith('rate:')),
    granularity: mine[0]?.granularity ?? 300,
    evaluationPeriods: Math.max(1, ...mine.map((r) => r.evaluationPeriods)),
    scaleOutThreshold: outRules.length > 0 ? Math.min(...outRules.map((r) => r.threshold)) : undefined,
  };
}

/** Replays `group` on `trace`. */
export function simulate(group: SimGroup, trace: Trace, options: SimulationOptions = {}): Timeline {
  const where = `${group.stack}:${group.name}`;
  const bootSeconds = positive('bootSeconds', options.bootSeconds, 180);
  const resizeSeconds = Math.min(bootSeconds, positive('resizeSeconds', options.resizeSeconds, 60));
  const heatLatency = positive('heatLatencySeconds', options.heatLatencySeconds, 0);
  const perMember = options.resizeSecondsPerMember === undefined ? undefined : positive('resizeSecondsPerMember', options.resizeSecondsPerMember, 0);
  const pollInterval = positive('pollIntervalSeconds', options.pollIntervalSeconds, 300, 1);
  const evalInterval = positive('evaluationIntervalSeconds', options.evaluationIntervalSeconds, 60, 1);
  const phases = options.pollPhases ?? [0];
  if (!Array.isArray(phases) || phases.length === 0 || phases.some((p) => typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p >= pollInterval)) {
    throw propError('simulate', ErrorCode.RANGE, 'pollPhases', phases, `must list at least one phase in [0, ${pollInterval})`, 'give seconds after each polling interval starts, e.g. [0, 120]');
  }
  const facts = metricFacts(group);
  const vcpus = options.vcpus ?? group.vcpus;
  let loadAtOut: number;
  let capacityPerMember: number;
  let unit: string;
  if (facts.rate) {
    unit = 'vCPU-seconds per second';
    loadAtOut = facts.scaleOutThreshold !== undefined ? facts.scaleOutThreshold / (facts.granularity * NS) : (vcpus ?? 1);
    if (options.capacityPerMember === undefined && vcpus === undefined) {
      throw propError(where, ErrorCode.REQUIRED, 'vcpus', undefined, 'is needed to know what a member serves and is not recorded in the alarm descriptions', 'pass --vcpus <n> (the flavor\'s vCPUs)');
    }
    capacityPerMember = positive('capacityPerMember', options.capacityPerMember, vcpus ?? 1, 1e-9);
  } else {
    unit = facts.metric;
    loadAtOut = facts.scaleOutThreshold ?? 1;
    capacityPerMember = positive('capacityPerMember', options.capacityPerMember, loadAtOut, 1e-9);
  }
  if (vcpus !== undefined) positive('vcpus', vcpus, 1, 1);
  const scale = trace.relative ? loadAtOut : 1;
  // (read in place: a week of 1-minute points is not copied)
  const points = trace.points;
  const start = points[0].t;
  const end = points[points.length - 1].t;
  const initialSize = Math.min(group.maxSize, Math.max(group.minSize, group.desiredCapacity ?? group.minSize));
  const largestStep = Math.max(
    1,
    ...Object.values(group.policies)
      .filter(growing)
      .map((p) => (p.adjustmentType === 'change_in_capacity' ? p.scalingAdjustment : Math.max(1, Math.ceil((group.maxSize * p.scalingAdjustment) / 100), p.minAdjustmentStep ?? 0))),
  );
  const config: SimulationConfig = {
    metric: facts.metric,
    unit,
    granularity: facts.granularity,
    evaluationPeriods: facts.evaluationPeriods,
    cooldown: group.cooldown,
    bootSeconds,
    resizeSeconds,
    pollIntervalSeconds: pollInterval,
    pollPhases: [...phases],
    evaluationIntervalSeconds: evalInterval,
    minSize: group.minSize,
    maxSize: group.maxSize,
    initialSize,
    capacityPerMember,
    loadPerMemberAtScaleOut: loadAtOut,
    largestStep,
    // (only when given: a timeline without them reads as before)
    ...(options.heatLatencySeconds !== undefined ? { heatLatencySeconds: heatLatency } : {}),
    ...(perMember !== undefined ? { resizeSecondsPerMember: perMember } : {}),
  };

  // ---- state
  /** Members in the group, oldest first. */
  let members: Member[] = [];
  /** Removed members whose measures may still be inside an alarm window. */
  let retired: Member[] = [];
  const longestWindow = Math.max(0, ...group.alarms.flatMap((a) => a.rules.map((r) => r.granularity * (r.evaluationPeriods + 2))));
  let created = 0;
  /** True once a measure was stored or the membership changed since the last evaluation. */
  let measured = true;
  const newMember = (t: number, activeAt: number, readyAt: number): Member => {
    const m: Member = {
      name: `member-${String(created).padStart(4, '0')}`,
      index: created,
      createdAt: t,
      activeAt,
      readyAt,
      removedAt: Infinity,
      counter: 0,
      series: new MeasureSeries(),
      host: created % phases.length,
      // Its alarms are created with it (they live in its nested stack), with no data yet.
      alarmStates: group.alarms.map((): AlarmState => 'insufficient data'),
      ruleCache: [],
      evaluated: group.alarms.map(() => -1),
      evaluatedWindow: group.alarms.map(() => -1),
      stable: group.alarms.map(() => false),
    };
    created++;
    measured = true;
    members.push(m);
    return m;
  };
  for (let i = 0; i < initialSize; i++) newMember(start, start, start);
  let scalingUntil = -Infinity;
  // `check_create_complete` starts the group's cooldown when the stack is created.
  let cooldownEnd = start + group.cooldown;
  const cooldowns: CooldownBand[] = group.cooldown > 0 ? [{ from: start, to: cooldownEnd }] : [];
  const alarmStates: AlarmState[] = group.alarms.map(() => 'insufficient data');
  const samples: TimelineSample[] = [];
  const signals: TimelineSignal[] = [];
  const pending: { at: number; run: () => void }[] = [];
  let version = 0;
  const cache = new Map<ThresholdRule, { from: number; stop: number; version: number; outcome: RuleOutcome }>();

  const live = (): Member[] => members;
  const readyOf = (t: number) => members.filter((m) => m.readyAt <= t);
  /** The next moment a member becomes ready (the ready list is recomputed only then or when members change). */
  const nextReadyAfter = (t: number): number => {
    let next = Infinity;
    for (const m of members) if (m.readyAt > t && m.readyAt < next) next = m.readyAt;
    return next;
  };

  let pi = 0;
  let demand = points[0].demand * scale;
  let metricsOn = points[0].metrics !== false;
  let lastT = start;
  let readyNow = readyOf(start);
  let nextReady = nextReadyAfter(start);
  const usagePerMember = () => (readyNow.length === 0 ? 0 : Math.min(demand, readyNow.length * capacityPerMember) / readyNow.length);

  const nextPoll = phases.map((p) => Math.ceil((start - p) / pollInterval) * pollInterval + p);
  let nextEval = Math.floor(start / evalInterval) * evalInterval + evalInterval;

  // Every rule of the group by a number, for the members' caches.
  const ruleIds = new Map<ThresholdRule, number>();
  for (const a of group.alarms) for (const r of a.rules) if (!ruleIds.has(r)) ruleIds.set(r, ruleIds.size);
  const alarmRuleIds = group.alarms.map((a) => a.rules.map((r) => ruleIds.get(r)!));
  const outsideOf: ((value: number) => boolean)[] = [];
  for (const [r, id] of ruleIds) outsideOf[id] = (v: number) => compare(v, r.comparisonOperator, r.threshold);
  const outcomeBuffers = group.alarms.map((a) => a.rules.map((): RuleOutcome => RULE_OUTCOMES['insufficient data']));

  const ruleOutcome = (rule: ThresholdRule, ruleId: number, t: number, member?: Member): RuleOutcome => {
    const from = t - rule.granularity * (rule.evaluationPeriods + 1);
    if (rule.kind === 'resource') {
      if (!member) return RULE_OUTCOMES['insufficient data'];
      const s = member.series;
      // The member's own stored points change only with a new measure or the window moving a bucket.
      const fromBucket = Math.floor(from / rule.granularity);
      const stopBucket = Math.ceil(t / rule.granularity);
      let hit = member.ruleCache[ruleId];
      if (hit && hit.length === s.times.length && hit.from === fromBucket && hit.stop === stopBucket) return hit.outcome;
      const outcome =
        rule.aggregationMethod.startsWith('rate:')
          ? RULE_OUTCOMES[storedRateOutcome(s, rule.granularity, from, t, rule.evaluationPeriods, outsideOf[ruleId])]
          : // (one series: its stored bucket means, whatever the method combines across series)
            RULE_OUTCOMES[aggregateOutcome([s], rule.aggregationMethod, rule.granularity, from, t, rule.evaluationPeriods, outsideOf[ruleId])];
      if (!hit) hit = member.ruleCache[ruleId] = { from: 0, stop: 0, length: 0, outcome };
      hit.from = fromBucket;
      hit.stop = stopBucket;
      hit.length = s.times.length;
      hit.outcome = outcome;
      return outcome;
    }
    // The answer changes only with a new measure, a removed member, or the window moving a bucket.
    const fromBucket = Math.floor(from / rule.granularity);
    const stopBucket = Math.ceil(t / rule.granularity); // buckets starting before t
    const hit = cache.get(rule);
    if (hit && hit.version === version && hit.from === fromBucket && hit.stop === stopBucket) return hit.outcome;
    const series: MeasureSeries[] = [];
    // The query matches the group's servers; with the ended_at filter, deleted ones drop out entirely.
    for (const m of rule.liveOnly ? members : [...members, ...retired]) if (m.series.times.length > 0) series.push(m.series);
    const outcome = RULE_OUTCOMES[aggregateOutcome(series, rule.aggregationMethod, rule.granularity, from, t, rule.evaluationPeriods, outsideOf[ruleId])];
    cache.set(rule, { from: fromBucket, stop: stopBucket, version, outcome });
    return outcome;
  };

  const evaluateAlarm = (ai: number, previous: AlarmState, t: number, member?: Member): Transition => {
    const alarm = group.alarms[ai];
    const ids = alarmRuleIds[ai];
    if (!alarm.composite) return transition(previous, ruleOutcome(alarm.rules[0], ids[0], t, member), alarm.repeatActions);
    const outcomes = outcomeBuffers[ai];
    for (let i = 0; i < ids.length; i++) outcomes[i] = ruleOutcome(alarm.rules[i], ids[i], t, member);
    return evaluateComposite(previous, alarm.composite, outcomes, alarm.repeatActions);
  };

  const signal = (alarm: SimAlarm, t: number): void => {
    const policy = group.policies[alarm.policy];
    const size = members.length;
    const decision = decideSignal(
      { complete: true, size, minSize: group.minSize, maxSize: group.maxSize, scalingInProgress: t < scalingUntil, cooldownEnd },
      policy,
      t,
    );
    signals.push({ t, alarm: alarm.name, policy: policy.name, result: decision.result, from: decision.from, to: decision.to });
    if (decision.result !== 'scaled') return;
    // The resize starts after Heat's latency and runs a fixed time or a time per member.
    const begin = t + heatLatency;
    const duration = perMember === undefined ? resizeSeconds : perMember * Math.abs(decision.to - size);
    if (decision.to > size) {
      for (let k = 0; k < decision.to - size; k++) {
        if (perMember === undefined) newMember(t, begin + resizeSeconds, begin + bootSeconds);
        else newMember(t, begin + perMember * (k + 1), Math.max(begin + perMember * (k + 1), begin + perMember * k + bootSeconds));
      }
    } else {
      const leaving = membersToRemove(
        members.map((m) => ({ name: m.name, createdAt: m.createdAt, failed: false, m })),
        decision.to,
      ).map((x) => x.m);
      const remove = (at: number): void => {
        for (const m of leaving) m.removedAt = at;
        retired = [...retired, ...members.filter((m) => m.removedAt <= at)];
        measured = true;
        members = members.filter((m) => m.removedAt > at);
        version++;
        readyNow = readyOf(at);
        nextReady = nextReadyAfter(at);
      };
      if (begin === t) remove(t);
      else pending.push({ at: begin, run: () => remove(begin) });
    }
    const cooldown = policy.cooldown ?? group.cooldown;
    const finished = begin + duration;
    scalingUntil = finished;
    pending.push({
      at: finished,
      run: () => {
        cooldownEnd = cooldownEndAfter(cooldownEnd, finished, cooldown);
        cooldowns.push({ from: t, to: cooldownEnd });
      },
    });
    readyNow = readyOf(t);
    nextReady = nextReadyAfter(t);
  };

  // The buckets a rule's window covers move only when t crosses a multiple of its granularity.
  const alarmGranularities = group.alarms.map((a) => [...new Set(a.rules.map((r) => r.granularity))]);
  const windowKey = (granularities: readonly number[], t: number): number => {
    let key = 0;
    // (a sum of non-decreasing terms: it changes exactly when one of them does)
    for (const g of granularities) key += Math.floor(t / g) + Math.ceil(t / g);
    return key;
  };
  /** Per per-member alarm: every instance settled (no change, no repeat) at the last evaluation, and its window then. */
  const quiet = group.alarms.map(() => false);
  const quietWindow = group.alarms.map(() => -1);
  /** Per group alarm: the measures' version and window of its last evaluation, and whether that left its state unchanged. */
  const groupVersion = group.alarms.map(() => -1);
  const groupWindow = group.alarms.map(() => -1);
  const groupStable = group.alarms.map(() => false);
  let lastStates: Record<string, AlarmState> = {};
  let lastCounts: Record<string, [number, number, number]> | undefined;
  let lastStatesSize = -1;
  let lastStatesMembers: Member[] | undefined;

  const alarmLabel = (a: SimAlarm) => (group.alarms.filter((b) => b.name === a.name).length > 1 ? `${a.name}>${a.policy}` : a.name);
  const labels = group.alarms.map(alarmLabel);

  while (true) {
    let t = pi + 1 < points.length ? Math.min(nextEval, points[pi + 1].t) : nextEval;
    for (const p of nextPoll) if (p < t) t = p;
    for (const p of pending) if (p.at < t) t = p.at;
    if (nextReady < t) t = nextReady;
    if (t > end) break;
    // 1. integrate CPU time up to t at the usage of [lastT, t)
    if (facts.rate && t > lastT) {
      const inc = usagePerMember() * (t - lastT) * NS;
      for (const m of readyNow) m.counter += inc;
    }
    lastT = t;
    // 2. the trace moves on
    while (pi + 1 < points.length && points[pi + 1].t <= t) {
      pi++;
      demand = points[pi].demand * scale;
      metricsOn = points[pi].metrics !== false;
    }
    // 3. resizes end, members become ready
    for (let i = 0; i < pending.length; ) {
      if (pending[i].at <= t) {
        pending[i].run();
        pending.splice(i, 1);
      } else i++;
    }
    if (nextReady <= t) {
      readyNow = readyOf(t);
      nextReady = nextReadyAfter(t);
    }
    // 4. Ceilometer polls the hosts due now
    for (let h = 0; h < nextPoll.length; h++) {
      if (nextPoll[h] !== t) continue;
      nextPoll[h] += pollInterval;
      if (!metricsOn) continue;
      const share = readyNow.length === 0 ? 0 : demand / readyNow.length;
      version++;
      measured = true;
      for (const m of members) {
        if (m.host !== h || m.activeAt > t) continue;
        const ready = m.readyAt <= t;
        m.series.add(t, facts.rate ? m.counter : ready ? share : 0);
      }
    }
    // 5. Aodh evaluates
    if (t === nextEval) {
      nextEval += evalInterval;
      let changed = false;
      // New measures or members since the last evaluation (a signal below sets it for the next one)
      const fresh = measured;
      measured = false;
      for (let ai = 0; ai < group.alarms.length; ai++) {
        const alarm = group.alarms[ai];
        if (!alarm.enabled) continue;
        if (alarm.perMember) {
          // One alarm per member, each on its own server's series; a member a signal just removed
          // is deleted with its alarms (its nested stack goes), so it is not evaluated again.
          // (a scale-in replaces `members`, a scale-out appends to it: this evaluation's members
          // stay the first n of `list`)
          const window = windowKey(alarmGranularities[ai], t);
          // Nothing new since an evaluation that left every instance settled and none repeating:
          // each would decide the same again and stay silent (see the skip below), so none is looked at.
          if (!fresh && quiet[ai] && window === quietWindow[ai]) continue;
          let settled = true;
          const list = members;
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
                signal(alarm, t);
              }
              continue;
            }
            const r = evaluateAlarm(ai, previous, t, m);
            m.alarmStates[ai] = r.state;
            m.stable[ai] = r.state === previous;
            m.evaluated[ai] = length;
            m.evaluatedWindow[ai] = window;
            if (r.state !== previous) changed = true;
            if (!m.stable[ai] || (r.state === 'alarm' && alarm.repeatActions)) settled = false;
            if (r.state === 'alarm' && r.notify) signal(alarm, t);
          }
          quiet[ai] = settled;
          quietWindow[ai] = window;
        } else {
          const previous = alarmStates[ai];
          const window = windowKey(alarmGranularities[ai], t);
          // The same measures, members and window as an evaluation that left the state unchanged:
          // Aodh decides the same again (a fixed point of the transition), notifying only with
          // repeat_actions in 'alarm'.
          if (groupStable[ai] && groupVersion[ai] === version && groupWindow[ai] === window) {
            if (previous === 'alarm' && alarm.repeatActions) signal(alarm, t);
            continue;
          }
          groupVersion[ai] = version;
          groupWindow[ai] = window;
          const r = evaluateAlarm(ai, previous, t);
          groupStable[ai] = r.state === previous;
          if (r.state !== previous) changed = true;
          alarmStates[ai] = r.state;
          if (r.state === 'alarm' && r.notify) signal(alarm, t);
        }
      }
      const alive = live();
      if (retired.length > 0) {
        retired = retired.filter((m) => {
          const s = m.series;
          return s.times.length > 0 && s.times[s.times.length - 1] >= t - longestWindow;
        });
      }
      const capacity = readyNow.length * capacityPerMember;
      // The states (and per-member counts) are shared with the previous sample while nothing changed.
      if (changed || alive.length !== lastStatesSize || alive !== lastStatesMembers) {
        const states: Record<string, AlarmState> = {};
        let counts: Record<string, [number, number, number]> | undefined;
        group.alarms.forEach((alarm, ai) => {
          if (alarm.perMember) {
            const c: [number, number, number] = [0, 0, 0];
            for (const m of alive) c[m.alarmStates[ai] === 'alarm' ? 0 : m.alarmStates[ai] === 'ok' ? 1 : 2]++;
            (counts ??= {})[labels[ai]] = c;
            states[labels[ai]] = c[0] > 0 ? 'alarm' : c[1] > 0 ? 'ok' : 'insufficient data';
          } else states[labels[ai]] = alarmStates[ai];
        });
        lastStates = states;
        lastCounts = counts;
        lastStatesSize = alive.length;
        lastStatesMembers = alive;
      }
      samples.push({
        t,
        demand,
        needed: Math.min(group.maxSize, Math.max(group.minSize, Math.ceil(demand / loadAtOut - 1e-9))),
        members: alive.length,
        ready: readyNow.length,
        capacity: round3(capacity),
        served: round3(Math.min(demand, capacity)),
        metrics: metricsOn,
        alarms: lastStates,
        // (undefined for group alarms: JSON leaves it out)
        memberAlarms: lastCounts,
      });
    }
  }
  return {
    stack: group.stack,
    group: group.name,
    trace: trace.name,
    config,
    alarms: group.alarms.map((a) => ({ name: alarmLabel(a), policy: a.policy, perMember: a.perMember, enabled: a.enabled })),
    samples,
    signals,
    cooldowns,
    skipped: group.skipped,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
