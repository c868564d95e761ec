/** group.scaleOnSchedule: an exact-capacity policy, an Aodh alarm evaluated in the schedule's windows, and paused scale-in. */
import { Alarm, ComparisonOperator, Duration, Metric, Schedule, ScalingAdjustment, ScalingPolicy } from '../../../src';
import { heatOf, terraformOf } from '../../util/synth';
import { embeddedOf, errorOf, groupStack, memberOf, policyOf } from './fixture';

const TV_SPOT = { schedule: Schedule.cron({ minute: 0, hour: 20 }), timeZone: 'Europe/Berlin', desiredCapacity: 3 };

describe('scaleOnSchedule', () => {
  test('HOT: an exact-capacity policy and an alarm on an always-true condition, evaluated from each start for the cooldown + 120 s', () => {
    // GIVEN a group with a 300 s cooldown and a daily 20:00 Berlin schedule to 3 servers
    const { stack, group } = groupStack();
    const web = group();
    const tv = web.scaleOnSchedule('TvSpot', TV_SPOT);
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    // THEN the policy sets the capacity to 3
    expect(heat.resources.web_tv_spot_policy).toEqual({
      type: 'OS::Heat::ScalingPolicy',
      properties: { auto_scaling_group_id: { get_resource: 'web' }, adjustment_type: 'exact_capacity', scaling_adjustment: 3, cooldown: 300 },
    });
    // AND the alarm reads the members' cpu counter mean (never negative) >= 0, repeats, and is evaluated only in the window
    const alarm = heat.resources.web_tv_spot_alarm;
    expect(alarm.type).toBe('OS::Aodh::GnocchiAggregationByResourcesAlarm');
    expect(alarm.properties).toMatchObject({
      metric: 'cpu',
      aggregation_method: 'mean',
      resource_type: 'instance',
      threshold: 0,
      comparison_operator: 'ge',
      evaluation_periods: 1,
      repeat_actions: true,
      enabled: { get_param: 'scaling_enabled' },
      time_constraints: [{ name: 'schedule', start: '0 20 * * *', duration: 420, timezone: 'Europe/Berlin' }],
    });
    expect(policyOf(alarm)).toEqual(['web_tv_spot_policy']);
    expect(tv.triggerSeconds).toBe(420);
    expect(tv.holdSeconds).toBe(0);
    // AND without a duration no other alarm is constrained
    expect(heat.resources.web_scale_in).toBeDefined();
    expect(Object.values(heat.resources).filter((r) => r.properties?.time_constraints !== undefined)).toHaveLength(1);
  });

  test("duration pauses only the group's scale-in alarms (group and per-member), outside the hold windows", () => {
    // GIVEN CPU scaling per member, a group-level scale-in alarm of the user's, a scale-out alarm, and a weekday schedule held 2 h
    const { stack, group } = groupStack();
    const web = group({ minSize: 1 });
    web.scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    const down = new ScalingPolicy(stack, 'Down', { group: web, adjustment: ScalingAdjustment.changeInCapacity(-1) });
    const up = new ScalingPolicy(stack, 'Up', { group: web, adjustment: ScalingAdjustment.changeInCapacity(1) });
    new Alarm(stack, 'Quiet', { metric: Metric.gnocchi({ metric: 'queue.depth', resourceType: 'queue' }), threshold: 1, comparisonOperator: ComparisonOperator.LESS_THAN, alarmActions: [down] });
    new Alarm(stack, 'Busy', { metric: Metric.gnocchi({ metric: 'queue.depth', resourceType: 'queue' }), threshold: 100, alarmActions: [up] });
    web.scaleOnSchedule('TvSpot', { ...TV_SPOT, schedule: Schedule.cron({ minute: 0, hour: 20, weekDay: 'MON-FRI' }), duration: Duration.hours(2) });
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    const member = memberOf(heat, 'web');
    // THEN the scale-in alarms are evaluated Mon-Thu from 22:01 until 19:59 and from Friday 22:01 until Monday 19:59 (Berlin time):
    // Aodh opens a window up to a minute early, so each pause is a minute wider on both sides
    const outside = [
      { name: 'outside_schedules_1', start: '1 22 * * 1,2,3,4', duration: 22 * 3600 - 120, timezone: 'Europe/Berlin' },
      { name: 'outside_schedules_2', start: '1 22 * * 5', duration: 70 * 3600 - 120, timezone: 'Europe/Berlin' },
    ];
    expect(heat.resources.quiet.properties!.time_constraints).toEqual(outside);
    expect(member.resources.web_cpu_low.properties.time_constraints).toEqual(outside);
    // AND the scale-out alarms are evaluated at all times
    expect(heat.resources.busy.properties!.time_constraints).toBeUndefined();
    expect(member.resources.web_cpu_high.properties.time_constraints).toBeUndefined();
    // AND the schedule's own alarm keeps its trigger window
    expect(heat.resources.web_tv_spot_alarm.properties!.time_constraints).toEqual([{ name: 'schedule', start: '0 20 * * MON-FRI', duration: 420, timezone: 'Europe/Berlin' }]);
  });

  test('Terraform: the policy, the schedule alarm and the paused scale-in alarm are in the embedded Heat stack', () => {
    // GIVEN a schedule with a hold on a group with CPU scaling on the aggregate
    const { stack, group } = groupStack();
    const web = group({ minSize: 1 });
    web.scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    web.scaleOnSchedule('TvSpot', { ...TV_SPOT, duration: Duration.minutes(90) });
    // WHEN synthesized to Terraform
    const embedded = embeddedOf(terraformOf(stack), 'web');
    // THEN the embedded template holds the exact-capacity policy and the windowed alarm signalling it
    expect(embedded.resources.web_tv_spot_policy.properties).toMatchObject({ adjustment_type: 'exact_capacity', scaling_adjustment: 3 });
    expect(embedded.resources.web_tv_spot_alarm.properties!.time_constraints).toEqual([{ name: 'schedule', start: '0 20 * * *', duration: 420, timezone: 'Europe/Berlin' }]);
    expect(policyOf(embedded.resources.web_tv_spot_alarm)).toEqual(['web_tv_spot_policy']);
    // AND the member's scale-in alarm is evaluated from 21:31 until 19:59
    expect(embedded.member.resources.web_cpu_low.properties.time_constraints).toEqual([
      { name: 'outside_schedules', start: '31 21 * * *', duration: 22.5 * 3600 - 120, timezone: 'Europe/Berlin' },
    ]);
  });

  test('two schedules with holds in one time zone: the scale-in alarms run only outside both', () => {
    const { stack, group } = groupStack();
    const web = group({ minSize: 1 });
    const down = new ScalingPolicy(stack, 'Down', { group: web, adjustment: ScalingAdjustment.changeInCapacity(-1) });
    new Alarm(stack, 'Quiet', { metric: Metric.gnocchi({ metric: 'queue.depth', resourceType: 'queue' }), threshold: 1, comparisonOperator: ComparisonOperator.LESS_THAN, alarmActions: [down] });
    web.scaleOnSchedule('Morning', { schedule: Schedule.cron({ minute: 0, hour: 8 }), desiredCapacity: 2, duration: Duration.hours(1) });
    web.scaleOnSchedule('Evening', { schedule: Schedule.cron({ minute: 0, hour: 20 }), desiredCapacity: 4, duration: Duration.hours(2) });
    expect(heatOf(stack).resources.quiet.properties!.time_constraints).toEqual([
      { name: 'outside_schedules_1', start: '1 9 * * *', duration: 11 * 3600 - 120, timezone: 'UTC' },
      { name: 'outside_schedules_2', start: '1 22 * * *', duration: 10 * 3600 - 120, timezone: 'UTC' },
    ]);
  });
});

describe('scaleOnSchedule refuses what it cannot express', () => {
  test.each(['minSize', 'maxSize', 'minCapacity', 'maxCapacity'])("'%s': a schedule cannot change the group's bounds", (key) => {
    const { group } = groupStack();
    const e = errorOf(() => group().scaleOnSchedule('TvSpot', { ...TV_SPOT, [key]: 2 } as never));
    expect(e.code).toBe('SO_UNSUPPORTED');
    expect(e.constructPath).toBe('test/Web/TvSpot');
    expect(e.prop).toBe(key);
    expect(e.message).toContain('changes only with a stack update');
    expect(e.message).toContain("use 'desiredCapacity'");
  });

  test('desiredCapacity outside minSize..maxSize', () => {
    const { group } = groupStack();
    const e = errorOf(() => group({ minSize: 2, maxSize: 4 }).scaleOnSchedule('TvSpot', { ...TV_SPOT, desiredCapacity: 5 }));
    expect(e.prop).toBe('desiredCapacity');
    expect(e.message).toContain("must be between the group's minSize (2) and maxSize (4), got 5");
  });

  test('a group that can be empty: the alarm would have no data', () => {
    const { group } = groupStack();
    const e = errorOf(() => group({ minSize: 0 }).scaleOnSchedule('TvSpot', TV_SPOT));
    expect(e.prop).toBe('desiredCapacity');
    expect(e.message).toContain('needs a group with minSize >= 1');
  });

  test('a bad time zone, a bad cron field, an unknown prop', () => {
    const { group } = groupStack();
    const web = group();
    expect(errorOf(() => web.scaleOnSchedule('A', { ...TV_SPOT, timeZone: 'Berlin' })).message).toContain("test/Web/A: 'timeZone' is not a time zone of the IANA database");
    const bad = errorOf(() => web.scaleOnSchedule('B', { ...TV_SPOT, schedule: Schedule.cron({ minute: 60, hour: 20 }) }));
    expect(bad.constructPath).toBe('test/Web/B');
    expect(bad.prop).toBe('schedule.minute');
    expect(errorOf(() => web.scaleOnSchedule('C', { ...TV_SPOT, durationn: Duration.hours(1) } as never)).code).toBe('SO_UNKNOWN_PROP');
    expect(errorOf(() => web.scaleOnSchedule('D', { ...TV_SPOT, schedule: '0 20 * * *' } as never)).prop).toBe('schedule');
  });

  test('duration: whole minutes, a weekly schedule, one time zone per group, and time left for scale-in', () => {
    const { group } = groupStack();
    const web = group();
    expect(errorOf(() => web.scaleOnSchedule('A', { ...TV_SPOT, duration: Duration.seconds(90) })).message).toContain("'duration' must be whole minutes");
    const monthly = errorOf(() => web.scaleOnSchedule('B', { ...TV_SPOT, schedule: Schedule.cron({ minute: 0, hour: 20, day: 1 }), duration: Duration.hours(1) }));
    expect(monthly.prop).toBe('schedule');
    expect(monthly.message).toContain("to pause the group's scale-in alarms for 'duration'");
    web.scaleOnSchedule('C', { ...TV_SPOT, duration: Duration.hours(1) });
    const zone = errorOf(() => web.scaleOnSchedule('D', { ...TV_SPOT, timeZone: 'UTC', duration: Duration.hours(1) }));
    expect(zone.prop).toBe('timeZone');
    expect(zone.message).toContain("must be the time zone of the group's other schedules with a 'duration' (Europe/Berlin)");
    const full = errorOf(() => web.scaleOnSchedule('E', { ...TV_SPOT, schedule: Schedule.cron({ minute: 0, hour: 21 }), duration: Duration.minutes(23 * 60 - 2) }));
    expect(full.prop).toBe('duration');
    expect(full.message).toContain("leaves no time in the week for the group's scale-in alarms");
  });
});
