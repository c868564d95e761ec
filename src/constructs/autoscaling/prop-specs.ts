import { bool, Check, checkedByConstructor, constructOf, duration, instanceOf, int, listOf, name, num, PropSpec, required, struct } from '../../core/props';
import { ErrorCode, propError } from '../../core/errors';
import { flavorCheck, imageCheck, keyPairCheck, metadataCheck, networksCheck, securityGroupsCheck, userDataCheck } from '../checks';
import { Placement } from '../compute/placement';
import { AlarmProps, ComparisonOperator } from './alarm';
import type { AutoScalingGroupProps, RollingUpdateOptions } from './auto-scaling-group';
import type { ReadinessOptions } from './readiness';
import { Metric } from './metric';
import { AdjustmentType, ScalingAdjustment, ScalingPolicy, ScalingPolicyProps } from './scaling-policy';
import { Schedule } from './schedule';
import type { ScheduledScalingOptions } from './scheduled-scaling';
import type { CpuUtilizationScalingProps, MetricScalingProps, ScalingStep } from './scaling-rules';
import type { CpuTargetTrackingProps, MetricTargetTrackingProps } from './target-tracking';

/**
 * The prop specs of the autoscaling constructs and methods (see `src/core/props.ts`): types and
 * single-prop ranges. Cross-prop rules (minSize <= maxSize, steps that do not overlap) stay in the
 * constructors. The construct files import this one, so classes are only referenced inside the
 * checks (when they run), never while the modules load.
 */

const metricCheck: Check = (scope, prop, v) =>
  instanceOf(Metric, "use Metric.cpuTime(), Metric.gnocchi({ metric: 'queue.depth' }) or Metric.prometheus({ query })")(scope, prop, v);
const comparisonCheck: Check = (scope, prop, v) =>
  instanceOf(ComparisonOperator, 'use ComparisonOperator.GREATER_THAN, .LESS_THAN, ...')(scope, prop, v);
const adjustmentTypeCheck: Check = (scope, prop, v) =>
  instanceOf(AdjustmentType, 'use AdjustmentType.CHANGE_IN_CAPACITY, .EXACT_CAPACITY or .PERCENT_CHANGE_IN_CAPACITY')(scope, prop, v);
const adjustmentCheck: Check = (scope, prop, v) =>
  instanceOf(ScalingAdjustment, 'use ScalingAdjustment.changeInCapacity(n), .exactCapacity(n) or .percentChangeInCapacity(p)')(scope, prop, v);
/** A `ScalingPolicy` (an alarm action). */
export const POLICY_CHECK: Check = (scope, prop, v) => instanceOf(ScalingPolicy, 'pass a ScalingPolicy (new ScalingPolicy or one returned by a scaling helper)')(scope, prop, v);
const groupCheck: Check = constructOf('_registerPolicy', 'an autoscaling group', 'pass the AutoScalingGroup to resize');
/** A CPU percentage: above 0, at most 100. */
const percent: Check = (scope, prop, v) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 100) {
    throw propError(scope, ErrorCode.RANGE, prop, v, 'must be a percentage above 0 and at most 100', 'pick a value in (0, 100]');
  }
  return v;
};
/** The most steps of one `scaleOnMetric`. */
export const MAX_STEPS = 20;
const STEPS_FIX = 'give e.g. [{ upper: 10, change: -1 }, { lower: 50, change: 1 }]';
const anyNumber = num(-Number.MAX_VALUE, Number.MAX_VALUE);
const periods = int(1, 1000, 'periods');

const ROLLING_UPDATES: PropSpec<RollingUpdateOptions> = {
  // Ranges depend on maxSize: the constructor checks them.
  minInService: checkedByConstructor,
  maxBatchSize: checkedByConstructor,
  pauseTime: duration(0, 3600),
};

const READINESS: PropSpec<ReadinessOptions> = {
  // Checked by the constructor (readinessOf): a shell command, and a timeout the token outlives.
  command: checkedByConstructor,
  timeout: duration(1, 3600),
};

/** `new AutoScalingGroup(scope, id, props)`. */
export const AUTO_SCALING_GROUP_PROPS: PropSpec<AutoScalingGroupProps> = {
  image: imageCheck,
  flavor: flavorCheck,
  networks: networksCheck,
  keyName: name(),
  keyPair: keyPairCheck,
  securityGroups: securityGroupsCheck,
  allowAllOutbound: bool,
  userData: userDataCheck,
  metadata: metadataCheck,
  minSize: int(0, 1000, 'servers'),
  maxSize: required(int(1, 1000, 'servers'), 'cap the group (1 to 1000 servers); a cap is the first guard against a runaway scale-out'),
  desiredCapacity: int(0, 1000, 'servers'),
  cooldown: duration(0, 86400),
  drainTime: duration(0, 1800),
  rollingUpdates: struct(ROLLING_UPDATES, 'pass { minInService, maxBatchSize, pauseTime }'),
  scalingWebhooks: bool,
  readiness: struct(READINESS, "pass { command: 'curl -fsS http://127.0.0.1/healthz', timeout: Duration.minutes(10) }"),
  autohealing: bool,
  placement: (scope, prop, v) => instanceOf(Placement, 'use Placement.spread(), Placement.strictSpread({ hosts }), Placement.any() or Placement.inServerGroup(group)')(scope, prop, v),
};

/** `new ScalingPolicy(scope, id, props)`. */
export const SCALING_POLICY_PROPS: PropSpec<ScalingPolicyProps> = {
  group: required(groupCheck, 'pass the AutoScalingGroup to resize'),
  adjustment: required(adjustmentCheck, 'use ScalingAdjustment.changeInCapacity(1)'),
  cooldown: duration(0, 86400),
};

/** `new Alarm(scope, id, props)`. */
export const ALARM_PROPS: PropSpec<AlarmProps> = {
  metric: required(metricCheck, "use Metric.cpuTime(), Metric.gnocchi({ metric: 'queue.depth' }) or Metric.prometheus({ query })"),
  threshold: required(anyNumber, 'give the value the metric is compared with'),
  comparisonOperator: comparisonCheck,
  upperBound: anyNumber,
  evaluationPeriods: periods,
  repeatActions: bool,
  perMember: bool,
  description: name(),
  alarmActions: listOf(POLICY_CHECK, 0, 100, 'pass ScalingPolicy constructs, or call addAlarmAction(policy)'),
};

/** `group.scaleOnCpuUtilization(props)`. */
export const CPU_SCALING_PROPS: PropSpec<CpuUtilizationScalingProps> = {
  scaleOutAbovePercent: required(percent, 'give a percentage, e.g. 70'),
  scaleInBelowPercent: required(percent, 'give a percentage, e.g. 30'),
  granularity: duration(1, 86400),
  evaluationPeriods: periods,
  scaleOutBy: int(1, 1000, 'servers'),
  scaleInBy: int(1, 1000, 'servers'),
  saturationPercent: percent,
  perMember: bool,
  cooldown: duration(0, 86400),
  scaleInEvaluationPeriods: periods,
  warmup: duration(0, 86400),
};

const STEP: PropSpec<ScalingStep> = {
  lower: anyNumber,
  upper: anyNumber,
  change: required(anyNumber, 'give the change made in the step, e.g. change: 1'),
};

/** `group.scaleOnMetric(id, props)`. */
export const METRIC_SCALING_PROPS: PropSpec<MetricScalingProps> = {
  metric: required(metricCheck, "use Metric.gnocchi({ metric: 'queue.depth' })"),
  perMember: bool,
  steps: required((scope, prop, v) => {
    if (!Array.isArray(v) || v.length === 0 || v.length > MAX_STEPS) {
      throw propError(scope, ErrorCode.RANGE, prop, v, `must list 1 to ${MAX_STEPS} steps`, STEPS_FIX);
    }
    return listOf(struct(STEP, 'pass { lower?, upper?, change }'), 1, MAX_STEPS, STEPS_FIX)(scope, prop, v);
  }, STEPS_FIX),
  adjustmentType: adjustmentTypeCheck,
  minAdjustmentStep: int(0, 1000, 'servers'),
  evaluationPeriods: periods,
  cooldown: duration(0, 86400),
};

/** `group.scaleToTrackCpu(props)`; `targetPercent`'s range (0, 100) is checked by `trackCpu`. */
export const CPU_TARGET_TRACKING_PROPS: PropSpec<CpuTargetTrackingProps> = {
  targetPercent: required(checkedByConstructor, 'give the CPU utilization to hold, e.g. 50'),
  granularity: duration(1, 86400),
  evaluationPeriods: periods,
  scaleInEvaluationPeriods: periods,
  warmup: duration(0, 86400),
  perMember: bool,
  disableScaleIn: bool,
};

/** `group.scaleToTrackMetric(id, props)`. */
export const METRIC_TARGET_TRACKING_PROPS: PropSpec<MetricTargetTrackingProps> = {
  metric: required(metricCheck, "use Metric.gnocchi({ metric: 'requests', resourceType: 'instance' })"),
  targetValue: required(checkedByConstructor, 'give the per-member value to hold'),
  ceiling: anyNumber,
  evaluationPeriods: periods,
  scaleInEvaluationPeriods: periods,
  warmup: duration(0, 86400),
  perMember: bool,
  disableScaleIn: bool,
};

/** `group.scaleOnSchedule(id, options)`. */
export const SCHEDULED_SCALING_PROPS: PropSpec<ScheduledScalingOptions> = {
  schedule: required((scope, prop, v) => instanceOf(Schedule, "use Schedule.cron({ minute: 0, hour: 20 }) or Schedule.expression('0 20 * * *')")(scope, prop, v), 'use Schedule.cron({ minute: 0, hour: 20 })'),
  timeZone: checkedByConstructor,
  desiredCapacity: required(int(0, 1000, 'servers'), 'give the size the group is set to when the schedule starts'),
  duration: duration(60, 7 * 86400),
};
