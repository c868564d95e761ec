import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { Construct } from 'constructs';
import { Duration } from '../../core/duration';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { arg, checkProps, name } from '../../core/props';
import { requireDefined, requireInt } from '../../core/validate';
import { Warnings } from '../../core/warnings';
import { Alarm, ComparisonOperator, RATE_EVALUATION_PERIODS } from './alarm';
import type { AutoScalingGroup } from './auto-scaling-group';
import { cpuPercentToNanoseconds, GnocchiMetric, Metric } from './metric';
import { CPU_SCALING_PROPS, MAX_STEPS, METRIC_SCALING_PROPS } from './prop-specs';
import { AdjustmentType, ScalingAdjustment, ScalingPolicy } from './scaling-policy';
import { isPerMemberAverage, warnNarrowBand, warnScaleFromZero } from './scaling-warnings';

/** Properties of `group.scaleOnCpuUtilization`. */
export interface CpuUtilizationScalingProps {
  /** Add servers while a member's CPU utilization is above this percent (0 < p <= 100). */
  readonly scaleOutAbovePercent: number;
  /** Remove servers while a member's CPU utilization is below this percent (0 < p < scaleOutAbovePercent). */
  readonly scaleInBelowPercent: number;
  /**
   * The Gnocchi period the utilization is averaged over; must be a granularity of the `cpu`
   * metric's archive policy (Ceilometer's default keeps 5-minute points).
   * @default Duration.seconds(300)
   */
  readonly granularity?: Duration;
  /**
   * Consecutive periods above the scale-out threshold before scaling out, so that one noisy
   * period does not add servers. 1 is accepted.
   * @default 2
   */
  readonly evaluationPeriods?: number;
  /**
   * Consecutive periods below the scale-in threshold before scaling in. At least enough periods
   * that a new server's idle warm-up (see `warmup`) cannot fill them all: a booting server's own
   * alarm must never remove a serving one.
   * On the group's aggregate it also waits one period more than scale-out (a joining server skews
   * the rate for up to two periods).
   * @default - the larger of ceil(warmup / granularity) + 1 and evaluationPeriods (per member) or evaluationPeriods + 1 (group aggregate)
   */
  readonly scaleInEvaluationPeriods?: number;
  /**
   * Servers added per scale-out. Without it the group grows by a share of its size that the
   * thresholds allow (see `cpuScalingSteps`), and by a larger share while a member is saturated.
   * @default - a percentage of the current size (see cpuScalingSteps)
   */
  readonly scaleOutBy?: number;
  /**
   * Servers removed per scale-in. Without it the group shrinks by a share of its size that
   * cannot push the remaining members over the scale-out threshold (see `cpuScalingSteps`).
   * @default - a percentage of the current size (see cpuScalingSteps)
   */
  readonly scaleInBy?: number;
  /**
   * Utilization at which a member counts as saturated: its CPU cannot show how much more work
   * is waiting, so the group grows faster (see `cpuScalingSteps`). Only without `scaleOutBy`,
   * and only when above `scaleOutAbovePercent`.
   * @default 90
   */
  readonly saturationPercent?: number;
  /**
   * How long a new server needs to boot and start taking load (image boot, cloud-init, the
   * application's start). Part of the derived cooldowns and of the scale-in periods.
   * @default Duration.seconds(180)
   */
  readonly warmup?: Duration;
  /**
   * One set of alarms per member, each on its own server's CPU (see `AlarmProps.perMember`: the
   * reliable signal, but it needs the cloud's Heat to create trusts with redelegation). Without
   * it, the alarms read the group's aggregate, which Gnocchi computes wrongly for a rate
   * (warned about: `scaleout:group-rate-alarm`).
   * @default false
   */
  readonly perMember?: boolean;
  /**
   * Cooldown of the policies. By default each policy gets the time its alarm needs to see only
   * points measured after the scaling (see `cpuScalingCooldowns`); a shorter one is warned about.
   * @default - derived per policy (see cpuScalingCooldowns)
   */
  readonly cooldown?: Duration;
}

/**
 * How many more points the scale-in alarm reads than the scale-out alarm when both read the
 * group's aggregate `rate:mean`. Gnocchi takes the mean of the members' cumulative counters and
 * differentiates it (gnocchi `rest/aggregates/operations.py`), padding a series with no point in
 * a bucket with NaN (`carbonara`/`processor.py`): a joining server's first, near-zero counter
 * drags the bucket holding its first poll far below the real load (one or two buckets while a
 * resize completes its members one by one), and the newest bucket, which Aodh includes
 * (`evaluator/gnocchi.py` `_sanitize`), is a mean over whichever hosts have polled so far, so with
 * members of different ages it swings with the hosts' poll phases. The loop saw the newest point
 * cycle through -85 %, 12 % and 48 % with every member at 48 %, and a scale-in alarm go to alarm
 * on three such points. Three points can be skewed; four cannot all be.
 */
export const AGGREGATE_EXTRA_SCALE_IN_PERIODS = 2;

/** The default warm-up of a new server (boot, cloud-init, application start). */
export const DEFAULT_WARMUP_SECONDS = 180;

/** The default utilization at which a member counts as saturated. */
export const DEFAULT_SATURATION_PERCENT = 90;

/**
 * Aodh's default evaluation interval (`[evaluator] evaluation_interval`, 60 s): an alarm sees
 * new points at most this long after Gnocchi has them.
 */
export const AODH_EVALUATION_INTERVAL_SECONDS = 60;

/**
 * The cooldowns after which a CPU policy acts only on points measured after the previous
 * scaling. Each per-member point of `rate:mean` is the CPU time between two polls of the
 * server's counter (one poll per `granularity`), and Aodh decides on the last `evaluation
 * periods` points, including the newest one (aodh `evaluator/gnocchi.py` `GnocchiBase._sanitize`),
 * re-signalling while the alarm stays in alarm (`repeat_actions`, `evaluator/threshold.py`
 * `_transition_alarm`). After a scale-out the old members' load drops once the new servers serve
 * (`warmup`); their points are all fresh `granularity × periods` later, and Aodh sees them at its
 * next evaluation. After a scale-in the remaining members take the load at once. A policy's
 * cooldown replaces the group's for that adjustment (heat
 * `engine/resources/aws/autoscaling/autoscaling_group.py` `adjust`; `scaling/cooldown.py`
 * `_finished_scaling` keeps the later end).
 *
 * With `aggregate` (the alarms read the group's `rate:mean`), the scale-out cooldown also guards
 * the scale-in direction, since Heat keeps one cooldown per group for both (`scaling/cooldown.py`
 * `_check_scaling_allowed` reads the group's `cooldown_end`; the policy has none of its own). The
 * aggregate reads far below the load around joins (`AGGREGATE_EXTRA_SCALE_IN_PERIODS` says why);
 * the real loop saw the scale-in alarm go to alarm on three such points with every member at
 * 71 %, and stay there on mixed points (aodh `evaluator/threshold.py` `_transition_alarm`:
 * disagreeing points keep the state and, with `repeat_actions`, signal again) until the group's
 * cooldown ended: it scaled in at peak load. So the scale-out cooldown lasts until the scale-in
 * alarm has read, for a whole
 * granularity, only points from after the last join (and so could go back to ok): the joiner's
 * first poll falls within one granularity after the resize completes (when Heat starts the
 * cooldown), the alarm reads `scaleInEvaluationPeriods` points, one granularity of evaluations
 * follows, plus Aodh's interval: `(scaleInEvaluationPeriods + 2) × granularity + 60 s`.
 */
export function cpuScalingCooldowns(
  granularitySeconds: number,
  evaluationPeriods: number,
  scaleInEvaluationPeriods: number,
  warmupSeconds: number,
  aggregate = false,
): { scaleOut: number; scaleIn: number } {
  const afterScaling = warmupSeconds + granularitySeconds * evaluationPeriods + AODH_EVALUATION_INTERVAL_SECONDS;
  const joinsOutOfScaleInWindow = (scaleInEvaluationPeriods + 2) * granularitySeconds + AODH_EVALUATION_INTERVAL_SECONDS;
  return {
    scaleOut: aggregate ? Math.max(afterScaling, joinsOutOfScaleInWindow) : afterScaling,
    scaleIn: granularitySeconds * scaleInEvaluationPeriods + AODH_EVALUATION_INTERVAL_SECONDS,
  };
}

/**
 * The percentage steps of `scaleOnCpuUtilization` without fixed `scaleOutBy`/`scaleInBy`, chosen
 * so that no step lands the members on the other side of a threshold (the group would flap):
 *
 * - scale out by `min(100, 0.75 × (out / in - 1) × 100)` % while a member is between `out` and
 *   `saturation`: after the step a member's share is at least `out / (1 + p)`, above `in`;
 * - scale out by `min(200, 0.75 × (saturation / in - 1) × 100)` % while a member is saturated
 *   (its CPU is capped, so the real demand is unknown: the step is bold, and the next waits for
 *   fresh points);
 * - scale in by `0.75 × (1 - in / out) × 100` %: after the step a member's share is at most
 *   `in / (1 - p)`, below `out`.
 *
 * Heat rounds a percentage towards zero from one server up and always moves at least one
 * server (`min_adjustment_step: 1`; heat `scaling/scalingutil.py` `calculate_new_capacity`), so
 * the real change never exceeds the percentage, and the group is clamped to its min and max.
 * The caps (100 %, 200 %) make up for the long scale-out cooldown on the group's aggregate
 * (`cpuScalingCooldowns`): a group reaches ten times its size in two steps.
 */
export function cpuScalingSteps(outPercent: number, inPercent: number, saturationPercent: number): { scaleOut: number; scaleOutSaturated: number; scaleIn: number } {
  return {
    scaleOut: Math.max(1, Math.min(100, Math.floor(75 * (outPercent / inPercent - 1)))),
    scaleOutSaturated: Math.max(1, Math.min(200, Math.floor(75 * (saturationPercent / inPercent - 1)))),
    scaleIn: Math.max(1, Math.floor(75 * (1 - inPercent / outPercent))),
  };
}

/** What `scaleOnCpuUtilization` created. */
export interface CpuScaling {
  readonly scaleOutPolicy: ScalingPolicy;
  readonly scaleInPolicy: ScalingPolicy;
  readonly highCpuAlarm: Alarm;
  readonly lowCpuAlarm: Alarm;
  /** The faster scale-out while a member is saturated (absent with `scaleOutBy`). */
  readonly saturatedScaleOutPolicy?: ScalingPolicy;
  /** The alarm of the saturated band (absent with `scaleOutBy`). */
  readonly saturatedCpuAlarm?: Alarm;
}

/** Creates the policies and per-member alarms of `scaleOnCpuUtilization`. */
/** The group's flavor's vCPU count, which a CPU percentage needs (never guessed); refused when the flavor does not give it. */
export function requireVcpus(group: AutoScalingGroup): number {
  const vcpus = group.flavor.vcpus;
  if (vcpus === undefined) {
    throw propError(
      group,
      ErrorCode.REQUIRED,
      'flavor.vcpus',
      group.flavor.nameOrId,
      "is needed to turn a CPU percentage into Gnocchi's CPU time (nanoseconds per period) and is never guessed",
      `give the flavor's vCPU count: Flavor.fromName('${group.flavor.nameOrId}', { vcpus: 2 })`,
    );
  }
  return vcpus;
}

export function scaleOnCpu(group: AutoScalingGroup, cpuProps: CpuUtilizationScalingProps): CpuScaling {
  const props = checkProps(group, cpuProps, CPU_SCALING_PROPS, { fix: 'pass { scaleOutAbovePercent: 70, scaleInBelowPercent: 30 }', name: 'scaleOnCpuUtilization' });
  if (group.node.tryFindChild('CpuScaleOut')) {
    throw usageError(group, ErrorCode.DUPLICATE, 'scaleOnCpuUtilization', 'was already called on this group; call it once');
  }
  group._claimCpuScaling('scaleOnCpuUtilization', false);
  const at = 'scaleOnCpuUtilization';
  for (const key of ['scaleOutAbovePercent', 'scaleInBelowPercent'] as const) {
    const v = props[key];
    requireDefined(group, `${at}.${key}`, v, 'give a percentage, e.g. 70');
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 100) {
      throw propError(group, ErrorCode.RANGE, `${at}.${key}`, v, 'must be a percentage above 0 and at most 100', 'pick a value in (0, 100]');
    }
  }
  if (props.scaleInBelowPercent >= props.scaleOutAbovePercent) {
    throw propError(
      group,
      ErrorCode.CONFLICT,
      `${at}.scaleInBelowPercent`,
      props.scaleInBelowPercent,
      `must be below scaleOutAbovePercent (${props.scaleOutAbovePercent}); overlapping thresholds make the group scale out and in by turns`,
      'leave a gap, e.g. out above 70 and in below 30',
    );
  }
  const vcpus = requireVcpus(group);
  requireInt(group, `${at}.scaleOutBy`, props.scaleOutBy, 1, 1000, 'servers');
  requireInt(group, `${at}.scaleInBy`, props.scaleInBy, 1, 1000, 'servers');
  const metric = Metric.cpuTime({ granularity: props.granularity });
  metric.validate(group, `${at}.granularity`);
  const seconds = metric.granularitySeconds;
  requireInt(group, `${at}.evaluationPeriods`, props.evaluationPeriods, 1, 1000, 'periods');
  requireInt(group, `${at}.scaleInEvaluationPeriods`, props.scaleInEvaluationPeriods, 1, 1000, 'periods');
  const warmup = (props.warmup ?? Duration.seconds(DEFAULT_WARMUP_SECONDS)).validate(group, `${at}.warmup`, 0, 3600);
  const outPeriods = props.evaluationPeriods ?? RATE_EVALUATION_PERIODS;
  const warmupPeriods = Math.ceil(warmup / seconds) + 1;
  // On the group's aggregate up to three consecutive points can read far below the load
  // (AGGREGATE_EXTRA_SCALE_IN_PERIODS): scale-in reads two more than scale-out.
  const inPeriods = props.scaleInEvaluationPeriods ?? Math.max(props.perMember === true ? outPeriods : outPeriods + AGGREGATE_EXTRA_SCALE_IN_PERIODS, warmupPeriods);
  if (inPeriods < warmupPeriods) {
    Warnings.add(
      group,
      'scaleout:scale-in-periods-shorter-than-warmup',
      `'${at}.scaleInEvaluationPeriods' (${inPeriods}) is below ceil(warmup / granularity) + 1 = ${warmupPeriods}: a new server idles for ${warmup} s while it boots, and its own alarm can remove a serving server before it takes load`,
    );
  }
  const saturation = props.saturationPercent;
  if (saturation !== undefined && props.scaleOutBy !== undefined) {
    throw propError(group, ErrorCode.CONFLICT, `${at}.saturationPercent`, saturation, 'applies only to percentage steps, not with scaleOutBy', 'drop one of them');
  }
  if (saturation !== undefined && saturation <= props.scaleOutAbovePercent) {
    throw propError(group, ErrorCode.CONFLICT, `${at}.saturationPercent`, saturation, `must be above scaleOutAbovePercent (${props.scaleOutAbovePercent})`, 'e.g. 90');
  }
  const saturationPercent = saturation ?? DEFAULT_SATURATION_PERCENT;
  const withSaturation = props.scaleOutBy === undefined && saturationPercent > props.scaleOutAbovePercent;
  const steps = cpuScalingSteps(props.scaleOutAbovePercent, props.scaleInBelowPercent, saturationPercent);
  const derived = cpuScalingCooldowns(seconds, outPeriods, inPeriods, warmup, props.perMember !== true);
  const given = props.cooldown?.validate(group, `${at}.cooldown`, 0, 86400);
  if (given !== undefined && given < derived.scaleOut) {
    Warnings.add(
      group,
      'scaleout:cooldown-shorter-than-alarm-window',
      props.perMember === true
        ? `'${at}.cooldown' (${given} s) is shorter than warm-up plus the scale-out alarm's periods (${warmup} s + ${seconds} s x ${outPeriods} + ${AODH_EVALUATION_INTERVAL_SECONDS} s = ${derived.scaleOut} s): ` +
            'the alarm keeps firing on points measured before the new servers took load, and the group overshoots; leave cooldown out to get the derived one'
        : `'${at}.cooldown' (${given} s) is shorter than the derived scale-out cooldown (${derived.scaleOut} s: the longer of warm-up plus the scale-out alarm's periods, ` +
            `${warmup} s + ${seconds} s x ${outPeriods} + ${AODH_EVALUATION_INTERVAL_SECONDS} s, and the scale-in alarm's periods after the last joining server's first poll and one period of evaluations, (${inPeriods} + 2) x ${seconds} s + ${AODH_EVALUATION_INTERVAL_SECONDS} s): ` +
            "the alarms act on points measured before the new servers took load or skewed by their first counters, and the group overshoots or scales in under load; leave cooldown out to get the derived one",
    );
  }
  warnScaleFromZero(group, metric, at);
  warnNarrowBand(group, at, props.scaleOutAbovePercent, props.scaleInBelowPercent, props.scaleOutBy ?? 1, props.scaleInBy ?? 1, ' %');
  const cooldownOut = props.cooldown ?? Duration.seconds(Math.max(derived.scaleOut, group.cooldownSeconds));
  const cooldownIn = props.cooldown ?? Duration.seconds(Math.max(derived.scaleIn, group.cooldownSeconds));
  const scaleOutPolicy = new ScalingPolicy(group, 'CpuScaleOut', {
    group,
    adjustment:
      props.scaleOutBy !== undefined ? ScalingAdjustment.changeInCapacity(props.scaleOutBy) : ScalingAdjustment.percentChangeInCapacity(steps.scaleOut, { minAdjustmentStep: 1 }),
    cooldown: cooldownOut,
  });
  const saturatedScaleOutPolicy = withSaturation
    ? new ScalingPolicy(group, 'CpuScaleOutSaturated', {
        group,
        adjustment: ScalingAdjustment.percentChangeInCapacity(steps.scaleOutSaturated, { minAdjustmentStep: 1 }),
        cooldown: cooldownOut,
      })
    : undefined;
  const scaleInPolicy = new ScalingPolicy(group, 'CpuScaleIn', {
    group,
    adjustment:
      props.scaleInBy !== undefined ? ScalingAdjustment.changeInCapacity(-props.scaleInBy) : ScalingAdjustment.percentChangeInCapacity(-steps.scaleIn, { minAdjustmentStep: 1 }),
    cooldown: cooldownIn,
  });
  const ns = (p: number) => cpuPercentToNanoseconds(p, seconds, vcpus);
  const whose = props.perMember === true ? "this member's" : 'average';
  const formula = (p: number) => `${p}% of ${vcpus} vCPU x ${seconds} s = ${ns(p)} ns per period`;
  const highCpuAlarm = new Alarm(group, 'CpuHigh', {
    metric,
    threshold: ns(props.scaleOutAbovePercent),
    comparisonOperator: ComparisonOperator.GREATER_THAN,
    upperBound: withSaturation ? ns(saturationPercent) : undefined,
    evaluationPeriods: outPeriods,
    description: fitName(`Scale out ${group.node.path}: ${whose} CPU above ${formula(props.scaleOutAbovePercent)}${withSaturation ? ` and below ${saturationPercent}%` : ''}`, SERVICE_NAME_MAX_LENGTH),
    perMember: props.perMember,
    alarmActions: [scaleOutPolicy],
  });
  const saturatedCpuAlarm = saturatedScaleOutPolicy
    ? new Alarm(group, 'CpuSaturated', {
        metric,
        threshold: ns(saturationPercent),
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL,
        evaluationPeriods: outPeriods,
        description: fitName(`Scale out ${group.node.path} faster: ${whose} CPU at or above ${formula(saturationPercent)} (saturated)`, SERVICE_NAME_MAX_LENGTH),
        perMember: props.perMember,
        alarmActions: [saturatedScaleOutPolicy],
      })
    : undefined;
  const lowCpuAlarm = new Alarm(group, 'CpuLow', {
    metric,
    threshold: ns(props.scaleInBelowPercent),
    comparisonOperator: ComparisonOperator.LESS_THAN,
    evaluationPeriods: inPeriods,
    description: fitName(`Scale in ${group.node.path}: ${whose} CPU below ${formula(props.scaleInBelowPercent)}`, SERVICE_NAME_MAX_LENGTH),
    perMember: props.perMember,
    alarmActions: [scaleInPolicy],
  });
  return { scaleOutPolicy, scaleInPolicy, highCpuAlarm, lowCpuAlarm, saturatedScaleOutPolicy, saturatedCpuAlarm };
}

/** One step of step scaling: a range of the metric and the change made while the metric is in it. */
export interface ScalingStep {
  /**
   * The range starts at this value (inclusive).
   * @default - no lower end: the lowest step
   */
  readonly lower?: number;
  /**
   * The range ends below this value.
   * @default - no upper end: the highest step
   */
  readonly upper?: number;
  /** Servers (or percent, or the capacity, per `adjustmentType`) to change while the metric is in the range. */
  readonly change: number;
}

/** Properties of `group.scaleOnMetric`. */
export interface MetricScalingProps {
  /** The metric. */
  readonly metric: Metric;
  /**
   * One alarm per step and member, on the member's own series (see `AlarmProps.perMember`).
   * @default false
   */
  readonly perMember?: boolean;
  /**
   * The steps. They must not overlap, and leave exactly one range with no step, where the group
   * keeps its size: steps below it scale in (negative changes), steps above it scale out.
   */
  readonly steps: ScalingStep[];
  /**
   * What `change` means.
   * @default AdjustmentType.CHANGE_IN_CAPACITY
   */
  readonly adjustmentType?: AdjustmentType;
  /**
   * The least servers a step changes; only with `AdjustmentType.PERCENT_CHANGE_IN_CAPACITY`.
   * @default - none
   */
  readonly minAdjustmentStep?: number;
  /**
   * Consecutive periods in a step's range before it scales (Gnocchi metrics only).
   * @default - 2 with a rate aggregation such as `Metric.cpuTime()` (see `AlarmProps.evaluationPeriods`), else 1
   */
  readonly evaluationPeriods?: number;
  /**
   * Cooldown of the step policies.
   * @default - the group's cooldown
   */
  readonly cooldown?: Duration;
}

/** One compiled step. */
export interface CompiledStep {
  readonly lower?: number;
  readonly upper?: number;
  readonly policy: ScalingPolicy;
  readonly alarm: Alarm;
}

/** What `scaleOnMetric` created, lowest step first. */
export interface StepScaling {
  readonly steps: CompiledStep[];
}


/**
 * Compiles steps into one alarm and one policy per step (Heat has one adjustment per policy). An
 * Aodh alarm has one threshold, so the lowest step alarms below its `upper`, the highest at or
 * above its `lower`, and a step with both ends is a composite alarm on the band [lower, upper):
 * only the step the metric is in fires.
 */
export function scaleOnSteps(group: AutoScalingGroup, id: string, metricProps: MetricScalingProps): StepScaling {
  arg(group, 'scaleOnMetric.id', id, name({ maxLength: 64, pattern: /^[A-Za-z][A-Za-z0-9]*$/, patternText: 'a letter then letters and digits' }), "give an id such as 'QueueDepth'");
  const scope = new Construct(group, id);
  const props = checkProps(scope, metricProps, METRIC_SCALING_PROPS, { fix: 'pass { metric, steps }' });
  const at = 'steps';
  const type = props.adjustmentType ?? AdjustmentType.CHANGE_IN_CAPACITY;
  if (props.minAdjustmentStep !== undefined && type !== AdjustmentType.PERCENT_CHANGE_IN_CAPACITY) {
    throw propError(
      scope,
      ErrorCode.CONFLICT,
      'minAdjustmentStep',
      props.minAdjustmentStep,
      `is only accepted with AdjustmentType.PERCENT_CHANGE_IN_CAPACITY (Heat refuses min_adjustment_step with ${type.name})`,
      'drop minAdjustmentStep or use a percentage adjustment',
    );
  }
  if (!Array.isArray(props.steps) || props.steps.length === 0 || props.steps.length > MAX_STEPS) {
    throw propError(scope, ErrorCode.RANGE, at, props.steps, `must list 1 to ${MAX_STEPS} steps`, 'give e.g. [{ upper: 10, change: -1 }, { lower: 50, change: 1 }]');
  }
  props.steps.forEach((s, i) => {
    const p = `${at}[${i}]`;
    if (s.lower === undefined && s.upper === undefined) throw propError(scope, ErrorCode.REQUIRED, p, s, "needs 'lower', 'upper' or both", 'bound the range of the step');
    for (const k of ['lower', 'upper'] as const) {
      const v = s[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v)))
        throw propError(scope, ErrorCode.RANGE, `${p}.${k}`, v, 'must be a finite number', 'give the bound in the metric unit');
    }
    if (s.lower !== undefined && s.upper !== undefined && s.lower >= s.upper) {
      throw propError(scope, ErrorCode.CONFLICT, p, s, "must have 'lower' below 'upper'", 'swap them');
    }
  });
  const sorted = [...props.steps].sort((a, b) => (a.lower ?? -Infinity) - (b.lower ?? -Infinity));
  const gaps: number[] = [];
  if (sorted[0].lower !== undefined) gaps.push(0);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1].upper ?? Infinity;
    const next = sorted[i].lower ?? -Infinity;
    if (prev > next)
      throw propError(
        scope,
        ErrorCode.CONFLICT,
        at,
        sorted.slice(i - 1, i + 1),
        `overlap: ${describe(sorted[i - 1])} and ${describe(sorted[i])}`,
        'make each step start where the previous ends',
      );
    if (prev < next) gaps.push(i);
  }
  if (sorted[sorted.length - 1].upper !== undefined) gaps.push(sorted.length);
  if (gaps.length !== 1) {
    const problem =
      gaps.length === 0
        ? 'cover every value, leaving no range where the group keeps its size'
        : `leave ${gaps.length} ranges without a step; a gap between two steps of one direction is a mistake`;
    throw propError(
      scope,
      ErrorCode.CONFLICT,
      at,
      sorted.map(describe),
      problem,
      'make the steps of each direction contiguous, with one range without a step between scale-in and scale-out',
    );
  }
  const split = gaps[0];
  if (props.metric instanceof GnocchiMetric && props.metric.metric === 'cpu') group._claimCpuScaling(`scaleOnMetric(${id})`, false);
  warnScaleFromZero(group, props.metric, 'scaleOnMetric');
  if (type === AdjustmentType.CHANGE_IN_CAPACITY && split > 0 && split < sorted.length && isPerMemberAverage(props.metric)) {
    // The steps next to the range without a step: their bounds are the two thresholds.
    const inner = sorted[split - 1];
    const outer = sorted[split];
    if (inner.upper !== undefined && outer.lower !== undefined && inner.change < 0 && outer.change > 0) {
      warnNarrowBand(group, `scaleOnMetric(${id}).steps`, outer.lower, inner.upper, outer.change, -inner.change);
    }
  }
  return {
    steps: sorted.map((s, i) => {
      const outward = i >= split;
      if (type !== AdjustmentType.EXACT_CAPACITY && (outward ? s.change <= 0 : s.change >= 0)) {
        throw propError(
          scope,
          ErrorCode.CONFLICT,
          `${at}.change`,
          s.change,
          `of ${describe(s)} must be ${
            outward ? 'positive: it is above the range where the group keeps its size' : 'negative: it is below the range where the group keeps its size'
          }`,
          'fix the sign or the bounds',
        );
      }
      const label = s.lower === undefined || (!outward && s.upper !== undefined) ? `Below${numberLabel(s.upper!)}` : `Above${numberLabel(s.lower)}`;
      const stepScope = new Construct(scope, label);
      const policy = new ScalingPolicy(stepScope, 'Policy', {
        group,
        adjustment: ScalingAdjustment.of(type, s.change, { minAdjustmentStep: props.minAdjustmentStep }),
        cooldown: props.cooldown,
      });
      const band = s.lower !== undefined && s.upper !== undefined;
      const alarm = new Alarm(stepScope, 'Alarm', {
        metric: props.metric,
        threshold: s.lower === undefined ? s.upper! : s.lower,
        comparisonOperator: s.lower === undefined ? ComparisonOperator.LESS_THAN : ComparisonOperator.GREATER_THAN_OR_EQUAL,
        upperBound: band ? s.upper : undefined,
        evaluationPeriods: props.evaluationPeriods,
        perMember: props.perMember,
        description: fitName(`Step of ${scope.node.path}: ${props.metric.toString()} in ${describe(s)}`, SERVICE_NAME_MAX_LENGTH),
        alarmActions: [policy],
      });
      return { lower: s.lower, upper: s.upper, policy, alarm };
    }),
  };
}

function describe(s: ScalingStep): string {
  return `[${s.lower ?? '-inf'}, ${s.upper ?? '+inf'}) -> ${s.change}`;
}

/** `50` -> `50`, `-5` -> `Minus5`, `0.5` -> `0_5`. */
function numberLabel(n: number): string {
  return String(n)
    .replace('-', 'Minus')
    .replace(/[^A-Za-z0-9]/g, '_');
}
