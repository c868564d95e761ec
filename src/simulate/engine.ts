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
import type { AlarmState } from './aodh-rules';
import type { SignalResult } from './heat-rules';
import { Replay } from './replay';
import { registerColumns } from './sample-columns';
import type { SimAlarm, SimGroup } from './stack-model';
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

/** Nanoseconds per second (Ceilometer's `cpu` counter is in ns). */
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

  const alarmLabel = (a: SimAlarm) => (group.alarms.filter((b) => b.name === a.name).length > 1 ? `${a.name}>${a.policy}` : a.name);
  const { samples, signals, cooldowns } = new Replay(
    { group, points, scale, rate: facts.rate, bootSeconds, resizeSeconds, heatLatency, perMember, pollInterval, evalInterval, phases, capacityPerMember, loadAtOut, initialSize },
    group.alarms.map(alarmLabel),
  ).run();
  // The sample rows are built when first read (the summary reads the columns).
  let rows: TimelineSample[] | undefined;
  const timeline: Timeline = {
    stack: group.stack,
    group: group.name,
    trace: trace.name,
    config,
    alarms: group.alarms.map((a) => ({ name: alarmLabel(a), policy: a.policy, perMember: a.perMember, enabled: a.enabled })),
    get samples(): readonly TimelineSample[] {
      return (rows ??= samples.rows());
    },
    signals,
    cooldowns,
    skipped: group.skipped,
  };
  registerColumns(timeline, samples);
  return timeline;
}
