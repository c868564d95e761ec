import { Construct } from 'constructs';
import { Duration } from '../../core/duration';
import { ErrorCode, propError } from '../../core/errors';
import { arg, checkProps, name } from '../../core/props';
import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { requireDefined, requireInt } from '../../core/validate';
import { Warnings } from '../../core/warnings';
import { Alarm, ComparisonOperator, RATE_EVALUATION_PERIODS } from './alarm';
import type { AutoScalingGroup } from './auto-scaling-group';
import { cpuPercentToNanoseconds, GnocchiMetric, Metric } from './metric';
import { CPU_TARGET_TRACKING_PROPS, METRIC_TARGET_TRACKING_PROPS } from './prop-specs';
import { ScalingAdjustment, ScalingPolicy } from './scaling-policy';
import { AODH_EVALUATION_INTERVAL_SECONDS, cpuScalingCooldowns, DEFAULT_SATURATION_PERCENT, DEFAULT_WARMUP_SECONDS, requireVcpus } from './scaling-rules';
import { isMemberMetric, warnScaleFromZero } from './scaling-warnings';

/** Warning id: `scaleToTrackCpu` with a target above the saturation level (90 %). */
export const WARN_TARGET_NEAR_SATURATION = 'scaleout:target-near-saturation';
/** Warning id: `scaleToTrackMetric` on a metric the members do not report (likely not a per-member load). */
export const WARN_TARGET_METRIC_NOT_PER_MEMBER = 'scaleout:target-metric-not-per-member';

/**
 * Target tracking, compiled to what Heat and Aodh enforce. Heat has no target-tracking policy: an
 * `OS::Heat::ScalingPolicy` makes one fixed adjustment when signalled, and an Aodh alarm compares
 * with one threshold. So, as AWS does behind its own target-tracking policies ("Application Auto
 * Scaling creates and manages the CloudWatch alarms ... and calculates the scaling adjustment
 * based on the metric and the target value", AWS docs, *How target tracking scaling works*), the
 * target becomes alarm bands around it, each with its own percentage step; aws-cdk's
 * `aws-autoscaling/lib/step-scaling-policy.ts` (`StepScalingPolicy`) compiles such bands the same
 * way, one alarm per direction with intervals relative to its threshold. See `targetTrackingBands`
 * for how the bands are chosen.
 */

/** Options shared by `scaleToTrackCpu` and `scaleToTrackMetric`. */
export interface TargetTrackingOptions {
  /**
   * Consecutive periods in a scale-out band before scaling out.
   * @default 2 on a rate (such as CPU time), else 1
   */
  readonly evaluationPeriods?: number;
  /**
   * Consecutive periods in a scale-in band before scaling in. At least enough periods that a new
   * server's idle warm-up cannot fill them all (see `CpuUtilizationScalingProps.scaleInEvaluationPeriods`).
   * @default - the larger of ceil(warmup / granularity) + 1 and evaluationPeriods (per member) or evaluationPeriods + 1 (group aggregate)
   */
  readonly scaleInEvaluationPeriods?: number;
  /**
   * How long a new server needs to boot and take load. Part of the derived cooldowns.
   * @default Duration.seconds(180)
   */
  readonly warmup?: Duration;
  /**
   * One set of alarms per member, each on its own server's series (see `AlarmProps.perMember`).
   * @default false
   */
  readonly perMember?: boolean;
  /**
   * Never scale in: only the scale-out bands are created (as AWS's `disableScaleIn`), for a group
   * that another mechanism shrinks.
   * @default false
   */
  readonly disableScaleIn?: boolean;
}

/** Properties of `group.scaleToTrackCpu`. */
export interface CpuTargetTrackingProps extends TargetTrackingOptions {
  /** The CPU utilization of a member to hold, in percent of its vCPUs (0 < p < 100). */
  readonly targetPercent: number;
  /**
   * The Gnocchi period CPU is averaged over; a granularity of the `cpu` metric's archive policy.
   * @default Duration.seconds(300)
   */
  readonly granularity?: Duration;
}

/** Properties of `group.scaleToTrackMetric`. */
export interface MetricTargetTrackingProps extends TargetTrackingOptions {
  /**
   * The metric to hold at `targetValue`. It must be a per-member load that falls as 1/n when the
   * group grows to n members under the same demand (a per-member average: CPU time, requests per
   * server); a total such as a queue depth does not fall when servers are added, so use
   * `scaleOnMetric` steps for it.
   */
  readonly metric: Metric;
  /** The value to hold, in the metric's unit (above 0). */
  readonly targetValue: number;
  /**
   * The most the metric can show per member, when it saturates (e.g. a connection limit): no band
   * is placed at or above it.
   * @default - no ceiling
   */
  readonly ceiling?: number;
}

/** One band of `targetTrackingBands`: the range of the metric and the percentage change while it is there. */
export interface TrackingBand {
  /**
   * The range starts at this value (inclusive).
   * @default - no lower end
   */
  readonly lower?: number;
  /**
   * The range ends below this value.
   * @default - no upper end
   */
  readonly upper?: number;
  /** Percent of the group's size added (positive) or removed (negative) while the metric is in the range. */
  readonly changePercent: number;
}

/** The bands of a target, scale-out lowest first, scale-in highest first. */
export interface TrackingBands {
  readonly scaleOut: readonly TrackingBand[];
  readonly scaleIn: readonly TrackingBand[];
}

/** Multiples of the target where the scale-out bands start (the first one is `targetTrackingBands`' `outAbove`). */
export const TRACKING_OUT_MULTIPLES: readonly number[] = [1.1, 1.25, 1.5, 2, 3, 4];

/** The scale-in band starts at most this share of the target below it (AWS: "typically more than 10 % lower"). */
export const TRACKING_IN_SHARE = 0.9;

const EPSILON = 1e-9;
const down1 = (x: number): number => Math.floor(x * 10 + EPSILON) / 10;
const up1 = (x: number): number => Math.ceil(x * 10 - EPSILON) / 10;

/**
 * The alarm bands that hold a per-member load at `target`. With n members at load u and a target
 * T, the group needs n·u/T members: a change of (u/T − 1) × 100 %. Each band gets the change its
 * *nearest-to-target* end calls for, so a step never carries the load across the target:
 *
 * - scale out from `outAbove` = min(1.1 T, (T + ceiling) / 2), then from 1.25 T, 1.5 T, 2 T, 3 T, 4 T
 *   (those below `saturation`, then `saturation` itself): a band starting at b adds
 *   floor((b/T − 1) × 100) %, so from any u ≥ b the members end at u / (1 + p) ≥ T;
 * - keep the size between `inBelow` and `outAbove`;
 * - scale in below `inBelow` = min(0.9 T, outAbove × m / (m + 1)) with m = max(minSize, 1) by
 *   floor((1 − inBelow/T) × 100) %, so the members end at most at T; and below inBelow / 2 by
 *   floor((1 − inBelow / (2T)) × 100) %.
 *
 * Heat rounds a percentage towards zero from one server up, and below one server moves one server
 * (heat `scaling/scalingutil.py` `calculate_new_capacity`, with `min_adjustment_step: 1`): the real
 * change never exceeds the percentage, except that one server always moves. One server added to n
 * members at `outAbove` leaves outAbove × n / (n + 1), one server removed from n at `inBelow`
 * leaves inBelow × n / (n − 1); the `outAbove × m / (m + 1)` cap on `inBelow` keeps both inside
 * the band down to the group's minimum (the rule of `cpuScalingSteps` and `flippingSize`). So the
 * scale-out never leaves more than ceil(n·u/T) members and the scale-in never fewer than the load
 * needs at `outAbove`: the group settles between n·u/outAbove and n·u/T members.
 */
export function targetTrackingBands(target: number, opts: { readonly minSize: number; readonly ceiling?: number; readonly saturation?: number }): TrackingBands {
  const ceiling = opts.ceiling ?? Infinity;
  const outAbove = up1(Math.min(TRACKING_OUT_MULTIPLES[0] * target, (target + ceiling) / 2));
  const stepAt = (b: number): number => Math.max(1, Math.floor((b / target - 1) * 100 + EPSILON));
  const top = opts.saturation !== undefined && opts.saturation < ceiling ? opts.saturation : ceiling;
  const starts = [outAbove, ...TRACKING_OUT_MULTIPLES.slice(1).map((r) => up1(r * target)).filter((b) => b > outAbove && b < top)];
  // A member at the saturation level cannot show how far above it the demand is: one more band there.
  if (opts.saturation !== undefined && opts.saturation < ceiling && opts.saturation >= starts[starts.length - 1] * 1.1) starts.push(opts.saturation);
  const scaleOut = starts.map((b, i) => ({ lower: b, upper: starts[i + 1], changePercent: stepAt(b) }));
  const m = Math.max(1, opts.minSize);
  const inBelow = down1(Math.min(TRACKING_IN_SHARE * target, (outAbove * m) / (m + 1)));
  const deep = down1(inBelow / 2);
  const shrinkAt = (b: number): number => -Math.max(1, Math.floor((1 - b / target) * 100 + EPSILON));
  const scaleIn: TrackingBand[] = deep > 0 ? [{ lower: deep, upper: inBelow, changePercent: shrinkAt(inBelow) }, { upper: deep, changePercent: shrinkAt(deep) }] : [{ upper: inBelow, changePercent: shrinkAt(inBelow) }];
  return { scaleOut, scaleIn };
}

/** One compiled band: its range, policy and alarm. */
export interface TrackedBand extends TrackingBand {
  readonly policy: ScalingPolicy;
  readonly alarm: Alarm;
}

/** What `scaleToTrackCpu` / `scaleToTrackMetric` created. */
export interface TargetTracking {
  /** The target, in the metric's unit (percent for CPU). */
  readonly target: number;
  /** Scale-out bands, lowest first. */
  readonly scaleOut: readonly TrackedBand[];
  /** Scale-in bands, highest first (empty with `disableScaleIn`). */
  readonly scaleIn: readonly TrackedBand[];
}

interface Compilation {
  readonly at: string;
  readonly metric: Metric;
  readonly target: number;
  readonly bands: TrackingBands;
  /** The alarm threshold of a band bound (CPU: percent to nanoseconds). */
  readonly value: (x: number) => number;
  /** A bound in words for the alarm descriptions. */
  readonly words: (x: number) => string;
}

/** `group.scaleToTrackCpu(props)`. */
export function trackCpu(group: AutoScalingGroup, cpuProps: CpuTargetTrackingProps): TargetTracking {
  const at = 'scaleToTrackCpu';
  const props = checkProps(group, cpuProps, CPU_TARGET_TRACKING_PROPS, { fix: 'pass { targetPercent: 50 }', name: at });
  const t = requireDefined(group, `${at}.targetPercent`, props.targetPercent, 'give the CPU utilization to hold, e.g. 50');
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t >= 100) {
    throw propError(group, ErrorCode.RANGE, `${at}.targetPercent`, t, 'must be a percentage above 0 and below 100', 'pick a value in (0, 100), e.g. 50');
  }
  const vcpus = requireVcpus(group);
  group._claimCpuScaling(at, true);
  if (t > DEFAULT_SATURATION_PERCENT) {
    Warnings.add(
      group,
      WARN_TARGET_NEAR_SATURATION,
      `'${at}.targetPercent' (${t}) is above ${DEFAULT_SATURATION_PERCENT} %: a member's CPU cannot show more than 100 %, so the group sees how far it is above the target only in the narrow range left and grows by small steps; a target of 50 to 70 leaves room to react`,
    );
  }
  const metric = Metric.cpuTime({ granularity: props.granularity });
  metric.validate(group, `${at}.granularity`);
  const seconds = metric.granularitySeconds;
  const bands = targetTrackingBands(t, { minSize: group.minSize, ceiling: 100, saturation: DEFAULT_SATURATION_PERCENT });
  return compile(group, new Construct(group, 'CpuTarget'), props, {
    at,
    metric,
    target: t,
    bands,
    value: (p) => cpuPercentToNanoseconds(p, seconds, vcpus),
    words: (p) => `${p}% of ${vcpus} vCPU x ${seconds} s`,
  });
}

/** `group.scaleToTrackMetric(id, props)`. */
export function trackMetric(group: AutoScalingGroup, id: string, metricProps: MetricTargetTrackingProps): TargetTracking {
  arg(group, 'scaleToTrackMetric.id', id, name({ maxLength: 64, pattern: /^[A-Za-z][A-Za-z0-9]*$/, patternText: 'a letter then letters and digits' }), "give an id such as 'RequestsTarget'");
  const scope = new Construct(group, id);
  const props = checkProps(scope, metricProps, METRIC_TARGET_TRACKING_PROPS, { fix: 'pass { metric, targetValue }' });
  const t = props.targetValue;
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) {
    throw propError(scope, ErrorCode.RANGE, 'targetValue', t, 'must be a number above 0', "give the per-member value to hold, in the metric's unit");
  }
  if (props.ceiling !== undefined && props.ceiling <= t) {
    throw propError(scope, ErrorCode.CONFLICT, 'ceiling', props.ceiling, `must be above targetValue (${t})`, 'raise the ceiling or drop it');
  }
  props.metric.validate(scope, 'metric');
  if (!isMemberMetric(props.metric)) {
    Warnings.add(
      group,
      WARN_TARGET_METRIC_NOT_PER_MEMBER,
      `'scaleToTrackMetric(${id}).metric' (${props.metric.toString()}) is not reported by the group's members: target tracking assumes a per-member load that falls as 1/n when the group grows to n members; ` +
        'a total such as a queue depth does not fall that way, so the bands over- or under-shoot; scale it with scaleOnMetric steps, or acknowledge this warning if the metric is per member',
    );
  }
  if (props.metric instanceof GnocchiMetric && props.metric.metric === 'cpu') group._claimCpuScaling(`scaleToTrackMetric(${id})`, true);
  const bands = targetTrackingBands(t, { minSize: group.minSize, ceiling: props.ceiling });
  return compile(group, scope, props, { at: `scaleToTrackMetric(${id})`, metric: props.metric, target: t, bands, value: (x) => x, words: (x) => String(x) });
}

/** One alarm and one percentage policy per band; scale-out and scale-in each with their cooldown. */
function compile(group: AutoScalingGroup, scope: Construct, props: TargetTrackingOptions, c: Compilation): TargetTracking {
  const at = c.at;
  requireInt(group, `${at}.evaluationPeriods`, props.evaluationPeriods, 1, 1000, 'periods');
  requireInt(group, `${at}.scaleInEvaluationPeriods`, props.scaleInEvaluationPeriods, 1, 1000, 'periods');
  if (props.scaleInEvaluationPeriods !== undefined && props.disableScaleIn === true) {
    throw propError(group, ErrorCode.CONFLICT, `${at}.scaleInEvaluationPeriods`, props.scaleInEvaluationPeriods, 'has no effect with disableScaleIn', 'drop one of them');
  }
  const warmup = (props.warmup ?? Duration.seconds(DEFAULT_WARMUP_SECONDS)).validate(group, `${at}.warmup`, 0, 3600);
  const gnocchi = c.metric instanceof GnocchiMetric ? c.metric : undefined;
  const rate = gnocchi?.isRate === true;
  const outPeriods = props.evaluationPeriods ?? (rate ? RATE_EVALUATION_PERIODS : 1);
  let inPeriods = props.scaleInEvaluationPeriods ?? outPeriods;
  let cooldownOut = group.cooldownSeconds;
  let cooldownIn = group.cooldownSeconds;
  if (gnocchi) {
    // As scaleOnCpuUtilization: scale-in waits out a new server's idle warm-up, and on the group's
    // aggregate one period more (a joining server skews a rate for up to two periods); each
    // cooldown lets the alarm read only points measured after the scaling (cpuScalingCooldowns).
    // Not the scale-in guard of scaleOnCpuUtilization on the aggregate (two more periods and a
    // scale-out cooldown until they follow the last join, 1860 s at the defaults): the bands' steps
    // are small, one server at a time in a small group, and with that cooldown the simulator left
    // existing-network's workers at 3 of the 4 servers a step or a ramp needs for the whole
    // plateau. The real loop passed target tracking's checks with this timing; the aggregate's
    // skew risk for its scale-in is open (docs/scaling.md, "Limits and next steps").
    const seconds = gnocchi.granularitySeconds;
    const warmupPeriods = Math.ceil(warmup / seconds) + 1;
    inPeriods = props.scaleInEvaluationPeriods ?? Math.max(props.perMember === true || !rate ? outPeriods : outPeriods + 1, warmupPeriods);
    const derived = cpuScalingCooldowns(seconds, outPeriods, inPeriods, warmup);
    cooldownOut = Math.max(derived.scaleOut, group.cooldownSeconds);
    cooldownIn = Math.max(derived.scaleIn, group.cooldownSeconds);
  } else {
    // A Prometheus query has no granularity the library knows: the cooldowns cover warm-up plus one evaluation.
    cooldownOut = Math.max(warmup + AODH_EVALUATION_INTERVAL_SECONDS, group.cooldownSeconds);
  }
  warnScaleFromZero(group, c.metric, at);
  const whose = props.perMember === true ? "this member's" : 'average';
  const band = (direction: 'out' | 'in', b: TrackingBand): TrackedBand => {
    const label = `Scale${direction === 'out' ? 'Out' : 'In'}By${Math.abs(b.changePercent)}`;
    const bandScope = new Construct(scope, label);
    const policy = new ScalingPolicy(bandScope, 'Policy', {
      group,
      adjustment: ScalingAdjustment.percentChangeInCapacity(b.changePercent, { minAdjustmentStep: 1 }),
      cooldown: Duration.seconds(direction === 'out' ? cooldownOut : cooldownIn),
    });
    const range =
      b.lower === undefined ? `below ${c.words(b.upper!)}` : b.upper === undefined ? `at or above ${c.words(b.lower)}` : `in [${c.words(b.lower)}, ${c.words(b.upper)})`;
    const alarm = new Alarm(bandScope, 'Alarm', {
      metric: c.metric,
      threshold: c.value(b.lower ?? b.upper!),
      comparisonOperator: b.lower === undefined ? ComparisonOperator.LESS_THAN : ComparisonOperator.GREATER_THAN_OR_EQUAL,
      upperBound: b.lower !== undefined && b.upper !== undefined ? c.value(b.upper) : undefined,
      evaluationPeriods: direction === 'out' ? outPeriods : inPeriods,
      perMember: props.perMember,
      description: fitName(
        `Track ${c.target} on ${group.node.path}: ${whose} ${c.metric instanceof GnocchiMetric && c.metric.metric === 'cpu' ? 'CPU' : 'value'} ${range} -> ${b.changePercent > 0 ? '+' : ''}${b.changePercent} %`,
        SERVICE_NAME_MAX_LENGTH,
      ),
      alarmActions: [policy],
    });
    return { ...b, policy, alarm };
  };
  return {
    target: c.target,
    scaleOut: c.bands.scaleOut.map((b) => band('out', b)),
    scaleIn: props.disableScaleIn === true ? [] : c.bands.scaleIn.map((b) => band('in', b)),
  };
}
