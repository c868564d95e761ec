import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { Construct } from 'constructs';
import { Duration } from '../../core/duration';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { arg, checkProps, name } from '../../core/props';
import { requireDefined, requireInt } from '../../core/validate';
import { Warnings } from '../../core/warnings';
import { Alarm, ComparisonOperator, RATE_EVALUATION_PERIODS } from './alarm';
import type { AutoScalingGroup } from './auto-scaling-group';
import { cpuPercentToNanoseconds, Metric } from './metric';
import { CPU_SCALING_PROPS, MAX_STEPS, METRIC_SCALING_PROPS } from './prop-specs';
import { AdjustmentType, ScalingAdjustment, ScalingPolicy } from './scaling-policy';
import { isPerMemberAverage, warnNarrowBand, warnScaleFromZero } from './scaling-warnings';

/** Properties of `group.scaleOnCpuUtilization`. */
export interface CpuUtilizationScalingProps {
  /** Add servers while the group's average CPU utilization is above this percent (0 < p <= 100). */
  readonly scaleOutAbovePercent: number;
  /** Remove servers while it is below this percent (0 < p < scaleOutAbovePercent). */
  readonly scaleInBelowPercent: number;
  /**
   * The Gnocchi period the utilization is averaged over; must be a granularity of the `cpu`
   * metric's archive policy (Ceilometer's default keeps 5-minute points).
   * @default Duration.seconds(300)
   */
  readonly granularity?: Duration;
  /**
   * Consecutive periods above (below) the threshold before scaling. At least 2 is advised: the
   * alarms read `rate:mean` of `cpu`, which Gnocchi computes as the rate of the members' *mean
   * cumulative counter*, so the period in which a member joins or leaves shows one wild point (a
   * new server's small counter drags the mean down), and with 1 period that point alone fires
   * the low alarm right after a scale-out. Aodh's Gnocchi alarm cannot take the rate per server
   * instead (see `Metric.cpuTime`). 1 is accepted, with a warning.
   * @default 2
   */
  readonly evaluationPeriods?: number;
  /**
   * Servers added per scale-out.
   * @default 1
   */
  readonly scaleOutBy?: number;
  /**
   * Servers removed per scale-in.
   * @default 1
   */
  readonly scaleInBy?: number;
  /**
   * Consecutive periods below the scale-in threshold before scaling in. One more than
   * `evaluationPeriods` by default: a scale-out adds servers whose small cumulative counters pull
   * the group's `rate:mean` down for the buckets in which they first appear (up to two buckets,
   * as compute hosts poll at different moments), and those points must never add up to a
   * scale-in while the load is high.
   * @default - evaluationPeriods + 1
   */
  readonly scaleInEvaluationPeriods?: number;
  /**
   * How long a new server needs to boot and start taking load (image boot, cloud-init, the
   * application's start). Used for the cooldown warning (see `cooldown`).
   * @default Duration.seconds(180)
   */
  readonly warmup?: Duration;
  /**
   * Cooldown of the two policies. A cooldown shorter than the scale-out alarm's window plus
   * `warmup` (see `cpuScalingCooldowns`) is warned about. The loop (docs/scaling.md) measured
   * that window-derived cooldowns as a default (18 min for the scale-out, 20 min for the scale-in
   * at 300 s points) halve the demand served under a step and keep the group from returning to
   * its minimum for hours, without preventing a scale-in under load that the shorter cooldown
   * caused; so the default stays the group's cooldown.
   * @default - the group's cooldown
   */
  readonly cooldown?: Duration;
}

/** The default warm-up of a new server (boot, cloud-init, application start). */
export const DEFAULT_WARMUP_SECONDS = 180;

/**
 * The cooldowns below which a CPU policy acts on stale data. Aodh reads the points of the last
 * granularity × (evaluation periods + 1) seconds (aodh `evaluator/threshold.py`
 * `ThresholdEvaluator._bound_duration`, `look_back = 1`) and keeps the last `evaluation periods`
 * of them (`evaluator/gnocchi.py` `GnocchiBase._sanitize`), and with `repeat_actions` it signals
 * again at every evaluation while the alarm stays in alarm (`_transition_alarm`). A signal that
 * arrives before every point of the window was measured after the previous scaling (and, for a
 * scale-out, after the new servers took load) scales again on the same evidence. Heat's policy
 * cooldown, when set, replaces the group's for that adjustment (heat
 * `engine/resources/aws/autoscaling/autoscaling_group.py` `adjust`, `scaling/cooldown.py`
 * `_finished_scaling` keeps the later cooldown end).
 */
export function cpuScalingCooldowns(granularitySeconds: number, evaluationPeriods: number, scaleInEvaluationPeriods: number, warmupSeconds: number): { scaleOut: number; scaleIn: number } {
  return {
    scaleOut: granularitySeconds * (evaluationPeriods + 1) + warmupSeconds,
    scaleIn: granularitySeconds * (scaleInEvaluationPeriods + 1),
  };
}

/** What `scaleOnCpuUtilization` created. */
export interface CpuScaling {
  readonly scaleOutPolicy: ScalingPolicy;
  readonly scaleInPolicy: ScalingPolicy;
  readonly highCpuAlarm: Alarm;
  readonly lowCpuAlarm: Alarm;
}

/** Creates the scale-out/scale-in policy and alarm pair of `scaleOnCpuUtilization`. */
export function scaleOnCpu(group: AutoScalingGroup, cpuProps: CpuUtilizationScalingProps): CpuScaling {
  const props = checkProps(group, cpuProps, CPU_SCALING_PROPS, { fix: 'pass { scaleOutAbovePercent: 70, scaleInBelowPercent: 30 }', name: 'scaleOnCpuUtilization' });
  if (group.node.tryFindChild('CpuScaleOut')) {
    throw usageError(group, ErrorCode.DUPLICATE, 'scaleOnCpuUtilization', 'was already called on this group; call it once');
  }
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
  requireInt(group, `${at}.scaleOutBy`, props.scaleOutBy, 1, 1000, 'servers');
  requireInt(group, `${at}.scaleInBy`, props.scaleInBy, 1, 1000, 'servers');
  const metric = Metric.cpuTime({ granularity: props.granularity });
  metric.validate(group, `${at}.granularity`);
  const seconds = metric.granularitySeconds;
  requireInt(group, `${at}.evaluationPeriods`, props.evaluationPeriods, 1, 1000, 'periods');
  requireInt(group, `${at}.scaleInEvaluationPeriods`, props.scaleInEvaluationPeriods, 1, 1000, 'periods');
  const outPeriods = props.evaluationPeriods ?? RATE_EVALUATION_PERIODS;
  const inPeriods = props.scaleInEvaluationPeriods ?? outPeriods + 1;
  const warmup = (props.warmup ?? Duration.seconds(DEFAULT_WARMUP_SECONDS)).validate(group, `${at}.warmup`, 0, 3600);
  const derived = cpuScalingCooldowns(seconds, outPeriods, inPeriods, warmup);
  const given = props.cooldown?.validate(group, `${at}.cooldown`, 0, 86400);
  if (given !== undefined && given < derived.scaleOut) {
    Warnings.add(
      group,
      'scaleout:cooldown-shorter-than-alarm-window',
      `'${at}.cooldown' (${given} s) is shorter than the scale-out alarm's window plus warm-up (${seconds} s x (${outPeriods} + 1) + ${warmup} s = ${derived.scaleOut} s): ` +
        'the alarm keeps firing on points measured before the new servers took load, and the group overshoots; leave cooldown out to get the derived one',
    );
  }
  warnScaleFromZero(group, metric, at);
  warnNarrowBand(group, at, props.scaleOutAbovePercent, props.scaleInBelowPercent, props.scaleOutBy ?? 1, props.scaleInBy ?? 1, ' %');
  const scaleOutPolicy = new ScalingPolicy(group, 'CpuScaleOut', {
    group,
    adjustment: ScalingAdjustment.changeInCapacity(props.scaleOutBy ?? 1),
    cooldown: props.cooldown,
  });
  const scaleInPolicy = new ScalingPolicy(group, 'CpuScaleIn', {
    group,
    adjustment: ScalingAdjustment.changeInCapacity(-(props.scaleInBy ?? 1)),
    cooldown: props.cooldown,
  });
  const formula = (p: number) => `${p}% of ${vcpus} vCPU x ${seconds} s = ${cpuPercentToNanoseconds(p, seconds, vcpus)} ns per period`;
  const highCpuAlarm = new Alarm(group, 'CpuHigh', {
    metric,
    threshold: cpuPercentToNanoseconds(props.scaleOutAbovePercent, seconds, vcpus),
    comparisonOperator: ComparisonOperator.GREATER_THAN,
    evaluationPeriods: outPeriods,
    description: fitName(`Scale out ${group.node.path}: average CPU above ${formula(props.scaleOutAbovePercent)}`, SERVICE_NAME_MAX_LENGTH),
    alarmActions: [scaleOutPolicy],
  });
  const lowCpuAlarm = new Alarm(group, 'CpuLow', {
    metric,
    threshold: cpuPercentToNanoseconds(props.scaleInBelowPercent, seconds, vcpus),
    comparisonOperator: ComparisonOperator.LESS_THAN,
    evaluationPeriods: inPeriods,
    description: fitName(`Scale in ${group.node.path}: average CPU below ${formula(props.scaleInBelowPercent)}`, SERVICE_NAME_MAX_LENGTH),
    alarmActions: [scaleInPolicy],
  });
  return { scaleOutPolicy, scaleInPolicy, highCpuAlarm, lowCpuAlarm };
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
