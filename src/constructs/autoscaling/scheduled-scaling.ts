import { Construct } from 'constructs';
import { Duration } from '../../core/duration';
import { IConstruct } from 'constructs';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { checkProps } from '../../core/props';
import { Alarm, ComparisonOperator } from './alarm';
import { SCHEDULED_SCALING_PROPS } from './prop-specs';
import { GnocchiAggregation, Metric } from './metric';
import { complementConstraints, HeatTimeConstraint, Schedule, validateTimeZone, WeeklyWindow } from './schedule';
import { AdjustmentType, IScalableGroup, ScalingAdjustment, ScalingPolicy } from './scaling-policy';

/** Options of `group.scaleOnSchedule(id, options)`. */
export interface ScheduledScalingOptions {
  /** When the action starts, read in `timeZone`, e.g. `Schedule.cron({ minute: 0, hour: 20 })`. */
  readonly schedule: Schedule;
  /**
   * The IANA time zone `schedule` is read in (daylight saving time included).
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * The size the group is set to when the schedule starts (an `exact_capacity` policy), between
   * the group's minSize and maxSize. If the group is larger then (CPU scaled it out), it shrinks
   * to this size, and its scale-out alarms raise it again one cooldown later.
   */
  readonly desiredCapacity: number;
  /**
   * How long after each start the group's scale-in alarms pause (they get `time_constraints`
   * outside these windows), so an idle group set up ahead of an expected peak is not scaled back
   * in before the peak arrives; scale-out alarms keep working. When it ends, the scale-in alarms
   * are evaluated again and shrink the group as its load allows. Whole minutes; needs a weekly
   * schedule (one minute, one hour, every day of the month and month).
   * @default - no pause: scale-in alarms may shrink the group right after the schedule set it
   */
  readonly duration?: Duration;
}


/**
 * What a schedule cannot change, and why: Heat's scaling policies change only the group's
 * capacity; its `min_size`/`max_size` are template properties that only a stack update changes
 * (heat `engine/resources/openstack/heat/scaling_policy.py` `handle_signal` calls the group's
 * `adjust`, which clamps to the stored min and max: heat `scaling/scalingutil.py`
 * `calculate_new_capacity`).
 */
const REFUSED_KEYS: Record<string, string> = {
  minSize: 'min_size',
  maxSize: 'max_size',
  minCapacity: 'min_size',
  maxCapacity: 'max_size',
};

/**
 * Extra time the schedule's alarm stays evaluated after the group's cooldown: two of Aodh's
 * default evaluation intervals (`[evaluator] evaluation_interval = 60`), so a group still in
 * cooldown at the start gets its scheduled size once the cooldown ends.
 */
export const SCHEDULE_TRIGGER_MARGIN = Duration.seconds(120);

/**
 * The Gnocchi series the schedule's alarm reads, on a condition that always holds: the mean of the
 * members' cumulative `cpu` counters (nanoseconds, never negative) is at least 0. Ceilometer's
 * `cpu` policy keeps `mean` (`ceilometer-low-rate`), so the alarm has data whenever the group has
 * a polled member.
 */
export function scheduleMetric(): Metric {
  return Metric.gnocchi({ metric: 'cpu', aggregation: GnocchiAggregation.MEAN, resourceType: 'instance' });
}

/**
 * Scheduled scaling that the cloud enforces: an `exact_capacity` scaling policy signalled by an
 * Aodh alarm that Aodh evaluates only inside a time window starting at each cron start (its
 * `time_constraints`: start, duration, timezone) on a condition that always holds (see
 * `scheduleMetric`), with `repeat_actions: true`. Outside its windows Aodh does not evaluate the
 * alarm and its state stays what it was (aodh `evaluator/threshold.py` `evaluate` returns before
 * the rule when `within_time_constraint` is false), so without repeated actions it would stay in
 * `alarm` from the first window on and never signal again (`Evaluator._refresh` notifies only on a
 * state change unless `repeat_actions`). The window lasts the group's cooldown plus
 * `SCHEDULE_TRIGGER_MARGIN`: once the schedule (or anything else) has scaled, the group's cooldown
 * refuses the repeats, so the schedule sets the size once per start. docs/scaling.md weighs this
 * against a Mistral cron trigger.
 */
export class ScheduledScaling extends Construct {
  /** The policy that sets the group to `desiredCapacity`. */
  public readonly policy: ScalingPolicy;
  /** The alarm evaluated in the schedule's windows that signals `policy`. */
  public readonly alarm: Alarm;
  /** The schedule. */
  public readonly schedule: Schedule;
  /** The time zone the schedule is read in. */
  public readonly timeZone: string;
  /** Seconds the schedule's alarm is evaluated after each start. */
  public readonly triggerSeconds: number;
  /** Seconds the group's scale-in alarms pause after each start (0: no pause). */
  public readonly holdSeconds: number;
  private readonly weekly?: WeeklyWindow;

  constructor(group: IScalableGroup & Construct, id: string, options: ScheduledScalingOptions) {
    super(group, id);
    if (options !== null && typeof options === 'object') {
      for (const [key, heatName] of Object.entries(REFUSED_KEYS)) {
        if (key in options) {
          throw propError(
            this,
            ErrorCode.UNSUPPORTED,
            key,
            (options as unknown as Record<string, unknown>)[key],
            `cannot change on a schedule: the group's ${heatName} changes only with a stack update, and a scaling policy sets only its capacity`,
            "use 'desiredCapacity' (the size at the start) with 'duration' (scale-in paused that long), or change the group's minSize/maxSize and update the stack",
          );
        }
      }
    }
    const props = checkProps(this, options, SCHEDULED_SCALING_PROPS, { fix: "pass { schedule: Schedule.cron({ minute: 0, hour: 20 }), desiredCapacity: 4 }" });
    props.schedule.validate(this, 'schedule');
    this.schedule = props.schedule;
    this.timeZone = validateTimeZone(this, 'timeZone', props.timeZone ?? 'UTC');
    if (props.desiredCapacity < group.minSize || props.desiredCapacity > group.maxSize) {
      throw propError(
        this,
        ErrorCode.RANGE,
        'desiredCapacity',
        props.desiredCapacity,
        `must be between the group's minSize (${group.minSize}) and maxSize (${group.maxSize})`,
        "pick a size in that range; a schedule cannot change minSize or maxSize",
      );
    }
    if (group.minSize === 0) {
      throw propError(
        this,
        ErrorCode.UNSUPPORTED,
        'desiredCapacity',
        props.desiredCapacity,
        "needs a group with minSize >= 1: the schedule's alarm reads the members' cpu series, and a group that can be empty has none, so the alarm would find no data and never fire",
        'give the group minSize: 1 or more',
      );
    }
    this.holdSeconds = 0;
    if (props.duration !== undefined) {
      const seconds = props.duration.toSeconds();
      if (seconds % 60 !== 0) {
        throw propError(this, ErrorCode.RANGE, 'duration', props.duration.toString(), 'must be whole minutes (cron starts are minutes)', 'use Duration.minutes() or Duration.hours()');
      }
      this.holdSeconds = seconds;
      this.weekly = { starts: this.schedule._weeklyStarts(this, 'schedule', "to pause the group's scale-in alarms for 'duration'"), minutes: seconds / 60 };
    }
    this.triggerSeconds = group.cooldownSeconds + SCHEDULE_TRIGGER_MARGIN.toSeconds();
    this.policy = new ScalingPolicy(this, 'Policy', { group, adjustment: ScalingAdjustment.exactCapacity(props.desiredCapacity) });
    this.alarm = new Alarm(this, 'Alarm', {
      metric: scheduleMetric(),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL,
      evaluationPeriods: 1,
      repeatActions: true,
      description: fitName(`Schedule ${id}: set ${group.node.path} to ${props.desiredCapacity} at '${this.schedule.expressionString}' ${this.timeZone}`, SERVICE_NAME_MAX_LENGTH),
      alarmActions: [this.policy],
    });
    this.alarm._setTimeConstraints([{ name: 'schedule', start: this.schedule.expressionString, duration: this.triggerSeconds, timezone: this.timeZone }]);
  }

  /** @internal The weekly window in which the group's scale-in alarms pause, if any. */
  public get _holdWindow(): WeeklyWindow | undefined {
    return this.weekly;
  }
}

/** The name (prefix) of the scale-in alarms' time constraints. */
const PAUSE_NAME = 'outside_schedules';

/**
 * Throws, naming `scheduled`, when its hold cannot join the group's `others`: the holds of one
 * group share one time zone, and together leave time in the week for the scale-in alarms.
 */
export function checkScheduleHolds(scheduled: ScheduledScaling, others: readonly ScheduledScaling[]): void {
  const holds = [...others, scheduled].filter((s) => s._holdWindow !== undefined);
  const zones = [...new Set(holds.map((s) => s.timeZone))];
  if (zones.length > 1) {
    throw propError(
      scheduled,
      ErrorCode.CONFLICT,
      'timeZone',
      scheduled.timeZone,
      `must be the time zone of the group's other schedules with a 'duration' (${zones.filter((z) => z !== scheduled.timeZone).join(', ')}): the scale-in alarms pause in windows of one time zone`,
      'give every schedule of the group with a duration the same timeZone',
    );
  }
  complementConstraints(holds.map((s) => s._holdWindow!), zones[0] ?? 'UTC', PAUSE_NAME, () => {
    throw propError(scheduled, ErrorCode.CONFLICT, 'duration', `${scheduled.holdSeconds / 60} minutes`, "leaves no time in the week for the group's scale-in alarms", 'shorten the duration');
  });
}

/**
 * The `time_constraints` of `alarm` of `group`: a scale-in alarm (every action removes servers:
 * `change_in_capacity` or a percent below 0) is evaluated only outside the hold windows of the
 * group's `schedules`; other alarms (undefined) at all times.
 */
export function scaleInPauses(group: IConstruct, alarm: Alarm, schedules: readonly ScheduledScaling[]): HeatTimeConstraint[] | undefined {
  const shrinks = (p: ScalingPolicy) =>
    (p.adjustment.type === AdjustmentType.CHANGE_IN_CAPACITY || p.adjustment.type === AdjustmentType.PERCENT_CHANGE_IN_CAPACITY) && p.adjustment.value < 0;
  if (alarm.alarmActions.length === 0 || !alarm.alarmActions.every(shrinks)) return undefined;
  const holds = schedules.filter((s) => s._holdWindow !== undefined);
  if (holds.length === 0) return undefined;
  return complementConstraints(holds.map((s) => s._holdWindow!), holds[0].timeZone, PAUSE_NAME, () => {
    throw usageError(group, ErrorCode.CONFLICT, 'scaleOnSchedule', "durations leave no time in the week for the group's scale-in alarms");
  });
}
