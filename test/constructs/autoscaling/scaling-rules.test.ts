/** The conveniences: scaleOnCpuUtilization (policy + alarm pairs) and scaleOnMetric (step scaling). */
import { AdjustmentType, Alarm, Duration, Flavor, Metric, OpenStackRelease, ScalingAdjustment, ScalingPolicy, Warnings } from '../../../src';
import { cpuScalingCooldowns, cpuScalingSteps } from '../../../src/constructs/autoscaling/scaling-rules';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { embeddedOf, errorOf, groupStack, memberOf, memberPolicyOf, policyOf } from './fixture';

describe('scaleOnCpuUtilization', () => {
  test('one alarm per member on its own server, a banded scale-out, a saturated one and a scale-in, thresholds in ns per period', () => {
    // GIVEN a group of 2-vCPU servers
    const { app, stack, group } = groupStack();
    const web = group();
    // WHEN it scales out above 70% and in below 20%
    const cpu = web.scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    const heat = heatOf(stack);
    const member = memberOf(heat, 'web').resources;
    // THEN the group's template holds no CPU alarm: each member's template holds them, on its own server
    expect(Object.keys(hotResourcesOfType(heat.template, 'OS::Aodh::GnocchiAggregationByResourcesAlarm'))).toEqual([]);
    expect(member.web_cpu_low).toMatchObject({
      type: 'OS::Aodh::GnocchiResourcesAlarm',
      properties: { metric: 'cpu', aggregation_method: 'rate:mean', granularity: 300, resource_type: 'instance', resource_id: { get_resource: 'web_server' }, threshold: 120_000_000_000, comparison_operator: 'lt' },
    });
    // AND the scale-out band is 70% .. 90% of 2 vCPU x 300 s, the saturated alarm 90% and up
    expect(member.web_cpu_high.type).toBe('OS::Aodh::CompositeAlarm');
    expect(member.web_cpu_high.properties!.composite_rule).toEqual({
      operator: 'and',
      rules: [
        { type: 'gnocchi_resources_threshold', metric: 'cpu', aggregation_method: 'rate:mean', granularity: 300, resource_type: 'instance', resource_id: { get_resource: 'web_server' }, evaluation_periods: 2, threshold: 420_000_000_000, comparison_operator: 'gt' },
        { type: 'gnocchi_resources_threshold', metric: 'cpu', aggregation_method: 'rate:mean', granularity: 300, resource_type: 'instance', resource_id: { get_resource: 'web_server' }, evaluation_periods: 2, threshold: 540_000_000_000, comparison_operator: 'lt' },
      ],
    });
    expect(member.web_cpu_saturated.properties).toMatchObject({ threshold: 540_000_000_000, comparison_operator: 'ge', evaluation_periods: 2 });
    // AND each alarm signals its own policy, through the group's parameters
    expect(memberPolicyOf(heat.template, 'web', member.web_cpu_high)).toEqual(['web_cpu_scale_out']);
    expect(memberPolicyOf(heat.template, 'web', member.web_cpu_saturated)).toEqual(['web_cpu_scale_out_saturated']);
    expect(memberPolicyOf(heat.template, 'web', member.web_cpu_low)).toEqual(['web_cpu_scale_in']);
    // AND the steps are percentages that cannot cross the other threshold: +100 % (70/20 allows 187), +200 % saturated (90/20 allows 262), -53 % (75 x (1 - 20/70))
    expect(heat.resources.web_cpu_scale_out.properties).toMatchObject({ adjustment_type: 'percent_change_in_capacity', scaling_adjustment: 100, min_adjustment_step: 1 });
    expect(heat.resources.web_cpu_scale_out_saturated.properties).toMatchObject({ adjustment_type: 'percent_change_in_capacity', scaling_adjustment: 200, min_adjustment_step: 1 });
    expect(heat.resources.web_cpu_scale_in.properties).toMatchObject({ adjustment_type: 'percent_change_in_capacity', scaling_adjustment: -53, min_adjustment_step: 1 });
    // AND the cooldowns wait for fresh points: 180 + 300 x 2 + 60 = 840 s out, 300 x 2 + 60 = 660 s in
    expect(heat.resources.web_cpu_scale_out.properties!.cooldown).toBe(840);
    expect(heat.resources.web_cpu_scale_in.properties!.cooldown).toBe(660);
    // AND the member alarms follow the stack's scaling switch
    expect(member.web_cpu_low.properties!.enabled).toEqual({ get_param: 'scaling_enabled' });
    expect(heat.resources.web.properties!.resource.properties.scaling_enabled).toEqual({ get_param: 'scaling_enabled' });
    expect(cpu.highCpuAlarm.alarmActions).toEqual([cpu.scaleOutPolicy]);
    expect(cpu.saturatedCpuAlarm!.alarmActions).toEqual([cpu.saturatedScaleOutPolicy]);
    expect(cpu.lowCpuAlarm.alarmActions).toEqual([cpu.scaleInPolicy]);
    expect(cpu.highCpuAlarm.perMember).toBe(true);
    // AND the only warning is the one every per-member group gets: its members' signals race in Heat
    expect(Warnings.of(app).map((w) => [w.path, w.id])).toEqual([['test/Web', 'scaleout:per-member-signal-race']]);
  });

  test('the signal base is a policy that scales nothing, and the group does not depend on its real policies (no cycle)', () => {
    // GIVEN CPU scaling WHEN synthesized
    const { stack, group } = groupStack();
    group().scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    const heat = heatOf(stack);
    // THEN the base names no group and changes nothing if ever signalled
    expect(heat.resources.web_signal_base).toEqual({
      type: 'OS::Heat::ScalingPolicy',
      properties: { auto_scaling_group_id: 'none (signal URL prefix of the per-member alarms; never signalled)', adjustment_type: 'change_in_capacity', scaling_adjustment: 0 },
    });
    // AND nothing the group passes its members refers to a real policy
    const passed = JSON.stringify(heat.resources.web.properties);
    for (const policy of ['web_cpu_scale_out', 'web_cpu_scale_in', 'web_cpu_scale_out_saturated']) {
      expect(passed).not.toContain(`"${policy}"`);
      expect(passed).toContain(`/resources/${policy}/signal`);
    }
  });

  test('fixed steps (scaleOutBy, scaleInBy) drop the saturated band; granularity, periods and cooldown carry into the Terraform embedding', () => {
    // GIVEN a group of 4-vCPU servers on a 60 s archive policy
    const { stack, group } = groupStack();
    const web = group({ flavor: Flavor.fromName('m1.xlarge', { vcpus: 4 }), maxSize: 20 });
    web.scaleOnCpuUtilization({
      perMember: true,
      scaleOutAbovePercent: 50,
      scaleInBelowPercent: 10,
      granularity: Duration.minutes(1),
      evaluationPeriods: 3,
      scaleOutBy: 3,
      scaleInBy: 2,
      cooldown: Duration.minutes(10),
    });
    // WHEN synthesized to both targets
    const heat = heatOf(stack);
    const embedded = embeddedOf(terraformOf(stack), 'web');
    const member = memberOf(heat, 'web').resources;
    // THEN 50% of 4 vCPU x 60 s = 120e9 ns on a plain alarm, 10% = 24e9 ns; the scale-in waits as long
    expect(member.web_cpu_high).toMatchObject({ type: 'OS::Aodh::GnocchiResourcesAlarm', properties: { granularity: 60, evaluation_periods: 3, threshold: 120_000_000_000 } });
    expect(member.web_cpu_low.properties).toMatchObject({ granularity: 60, evaluation_periods: 4, threshold: 24_000_000_000 });
    expect(member.web_cpu_saturated).toBeUndefined();
    expect(heat.resources.web_cpu_scale_out.properties).toEqual({ auto_scaling_group_id: { get_resource: 'web' }, adjustment_type: 'change_in_capacity', scaling_adjustment: 3, cooldown: 600 });
    expect(heat.resources.web_cpu_scale_in.properties).toMatchObject({ scaling_adjustment: -2, cooldown: 600 });
    for (const name of ['web_signal_base', 'web_cpu_scale_out', 'web_cpu_scale_in']) expect(embedded.resources[name]).toEqual(heat.resources[name]);
    for (const name of ['web_cpu_high', 'web_cpu_low']) expect(embedded.member.resources[name]).toEqual(member[name]);
  });

  test('cpuScalingSteps keeps every step inside the band', () => {
    // GIVEN thresholds in/out and a saturation s WHEN a step is taken at the edge of its band
    for (const [out, inn, sat] of [[60, 20, 90], [70, 30, 95], [70, 60, 90], [90, 10, 95], [55, 50, 99]]) {
      const steps = cpuScalingSteps(out, inn, sat);
      // THEN growing by p% from `out` leaves a member above `in`, shrinking by q% from `in` leaves it below `out`
      expect(out / (1 + steps.scaleOut / 100)).toBeGreaterThan(inn);
      expect(sat / (1 + steps.scaleOutSaturated / 100)).toBeGreaterThan(inn);
      expect(inn / (1 - steps.scaleIn / 100)).toBeLessThan(out);
      expect(steps.scaleOut).toBeGreaterThanOrEqual(1);
    }
    expect(cpuScalingSteps(60, 20, 90)).toEqual({ scaleOut: 100, scaleOutSaturated: 200, scaleIn: 50 });
    // AND a narrow band takes a smaller step than the caps: 75 x (70/60 - 1) = 12 %
    expect(cpuScalingSteps(70, 60, 90).scaleOut).toBe(12);
  });

  test.each([
    [
      'overlapping thresholds (in = out)',
      { scaleOutAbovePercent: 50, scaleInBelowPercent: 50 },
      'SO_CONFLICT',
      "'scaleOnCpuUtilization.scaleInBelowPercent' must be below scaleOutAbovePercent (50)",
    ],
    ['overlapping thresholds (in > out)', { scaleOutAbovePercent: 40, scaleInBelowPercent: 60 }, 'SO_CONFLICT', 'overlapping thresholds'],
    [
      'a percent of 0',
      { scaleOutAbovePercent: 70, scaleInBelowPercent: 0 },
      'SO_RANGE',
      "'scaleOnCpuUtilization.scaleInBelowPercent' must be a percentage above 0 and at most 100, got 0",
    ],
    [
      'a percent above 100',
      { scaleOutAbovePercent: 120, scaleInBelowPercent: 20 },
      'SO_RANGE',
      "'scaleOnCpuUtilization.scaleOutAbovePercent' must be a percentage above 0 and at most 100, got 120",
    ],
    ['a negative percent', { scaleOutAbovePercent: 70, scaleInBelowPercent: -5 }, 'SO_RANGE', 'must be a percentage above 0'],
    ['a step of 0 servers', { scaleOutAbovePercent: 70, scaleInBelowPercent: 20, scaleOutBy: 0 }, 'SO_RANGE', "'scaleOnCpuUtilization.scaleOutBy' must be between 1 and 1000"],
  ])('%s is refused', (_name, props, code, fragment) => {
    const { group } = groupStack();
    const web = group();
    const err = errorOf(() => web.scaleOnCpuUtilization(props));
    expect(err.code).toBe(code);
    expect(err.message).toContain(fragment);
  });

  test('a flavor without vCPUs is refused (never guessed)', () => {
    // GIVEN a flavor known only by name WHEN CPU scaling is asked THEN the vCPU count is required
    const { group } = groupStack();
    const web = group({ flavor: Flavor.fromName('m1.small') });
    const err = errorOf(() => web.scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20 }));
    expect(err.code).toBe('SO_REQUIRED');
    expect(err.message).toContain("test/Web: 'flavor.vcpus' is needed to turn a CPU percentage into Gnocchi's CPU time");
    expect(err.message).toContain("Flavor.fromName('m1.small', { vcpus: 2 })");
  });

  test('calling it twice is refused', () => {
    const { group } = groupStack();
    const web = group();
    web.scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    expect(errorOf(() => web.scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 80, scaleInBelowPercent: 10 })).code).toBe('SO_DUPLICATE');
  });

  test('the alarms wait 2 periods by default, the scale-in one at least warm-up plus a period, in both targets', () => {
    // GIVEN CPU scaling without evaluationPeriods, and one with a 10-minute warm-up
    const { app, stack, group } = groupStack();
    group().scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    group({}, 'Slow').scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20, warmup: Duration.minutes(10) });
    // WHEN synthesized to both targets
    const heat = heatOf(stack);
    const embedded = embeddedOf(terraformOf(stack), 'web').member.resources;
    // THEN scale-out needs 2 points and scale-in 2 (a 180 s warm-up idles at most one 300 s point)
    for (const alarms of [memberOf(heat, 'web').resources, embedded]) {
      expect(alarms.web_cpu_saturated.properties).toMatchObject({ aggregation_method: 'rate:mean', evaluation_periods: 2 });
      expect(alarms.web_cpu_low.properties).toMatchObject({ aggregation_method: 'rate:mean', evaluation_periods: 2 });
    }
    // AND a 600 s warm-up makes scale-in wait ceil(600 / 300) + 1 = 3 points, and the scale-out cooldown 600 + 600 + 60
    expect(memberOf(heat, 'slow').resources.slow_cpu_low.properties).toMatchObject({ evaluation_periods: 3 });
    expect(heat.resources.slow_cpu_scale_out.properties!.cooldown).toBe(1260);
    expect(Warnings.of(app).map((w) => w.id)).toEqual(['scaleout:per-member-signal-race', 'scaleout:per-member-signal-race']);
  });

  test('evaluationPeriods: 1 is rendered without warning (a member alarm reads one server); fewer scale-in periods than warm-up needs are warned about', () => {
    // GIVEN CPU scaling on a single period, and one whose scale-in waits 1 period after a 400 s warm-up
    const { app, stack, group } = groupStack();
    group().scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20, evaluationPeriods: 1 });
    group({}, 'Slow').scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20, warmup: Duration.seconds(400), scaleInEvaluationPeriods: 1 });
    // WHEN synthesized THEN 1 is rendered in both targets, and the low alarm keeps warm-up's 2
    const heat = heatOf(stack);
    expect(memberOf(heat, 'web').resources.web_cpu_saturated.properties!.evaluation_periods).toBe(1);
    expect(embeddedOf(terraformOf(stack), 'web').member.resources.web_cpu_saturated.properties!.evaluation_periods).toBe(1);
    expect(memberOf(heat, 'web').resources.web_cpu_low.properties!.evaluation_periods).toBe(2);
    // AND only the too-short scale-in is warned about, with the figures
    const warnings = Warnings.of(app).filter((w) => w.id !== 'scaleout:per-member-signal-race');
    expect(warnings.map((w) => [w.path, w.id])).toEqual([['test/Slow', 'scaleout:scale-in-periods-shorter-than-warmup']]);
    expect(warnings[0].message).toContain('(1) is below ceil(warmup / granularity) + 1 = 3');
  });

  test('a group alarm on a rate (perMember: false) is warned about; perMember on a metric no member owns is refused', () => {
    // GIVEN a group with a policy
    const { app, group } = groupStack();
    const web = group();
    const policy = new ScalingPolicy(web, 'Out', { group: web, adjustment: ScalingAdjustment.changeInCapacity(1) });
    // WHEN a CPU alarm is forced onto the group's aggregate THEN it warns, naming the reason
    const alarm = new Alarm(web, 'GroupCpu', { metric: Metric.cpuTime(), threshold: 1, perMember: false, alarmActions: [policy] });
    expect(alarm.perMember).toBe(false);
    const w = Warnings.of(app).filter((x) => x.id === 'scaleout:group-rate-alarm');
    expect(w.map((x) => x.path)).toEqual(['test/Web']);
    expect(w[0].message).toContain("rate of the members' mean cumulative counter");
    // AND a per-member alarm on a queue metric (not on the members' resources) is refused
    const err = errorOf(() => new Alarm(web, 'Queue', { metric: Metric.gnocchi({ metric: 'queue.depth', resourceType: 'queue' }), threshold: 1, perMember: true, alarmActions: [policy] }));
    expect(err.code).toBe('SO_CONFLICT');
    expect(err.message).toContain("test/Web/Queue: 'perMember' needs a Gnocchi metric on the members' own 'instance' resources");
  });

  test('saturationPercent: above the scale-out threshold, not with scaleOutBy', () => {
    const { group } = groupStack();
    expect(errorOf(() => group().scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20, saturationPercent: 70 })).message).toContain(
      "'scaleOnCpuUtilization.saturationPercent' must be above scaleOutAbovePercent (70)",
    );
    expect(errorOf(() => group({}, 'B').scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20, saturationPercent: 95, scaleOutBy: 2 })).code).toBe('SO_CONFLICT');
  });

  test('the member policy helper compares the whole action: a real policy reference or a lost trust+ prefix do not pass', () => {
    // GIVEN a synthesized member alarm and corrupted copies of what the group passes
    const { stack, group } = groupStack();
    group().scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    const heat = heatOf(stack);
    const alarm = memberOf(heat, 'web').resources.web_cpu_low;
    const param = (alarm.properties!.alarm_actions as any[])[0].get_param as string;
    const withPassed = (value: unknown) => {
      const t = JSON.parse(JSON.stringify(heat.template));
      t.resources.web.properties.resource.properties[param] = value;
      return t;
    };
    const direct = withPassed({ str_replace: { template: 'trust+url', params: { url: { get_attr: ['web_cpu_scale_in', 'signal_url'] } } } });
    const noTrust = withPassed({ str_replace: { template: { str_replace: { template: 'url', params: { url: { get_attr: ['web_signal_base', 'signal_url'] } } } }, params: { '/resources/web_signal_base/signal': '/resources/web_cpu_scale_in/signal' } } });
    // THEN only the real one names the policy
    expect(memberPolicyOf(heat.template, 'web', alarm)).toEqual(['web_cpu_scale_in']);
    expect(memberPolicyOf(direct, 'web', alarm)).not.toEqual(['web_cpu_scale_in']);
    expect(memberPolicyOf(noTrust, 'web', alarm)).not.toEqual(['web_cpu_scale_in']);
  });

  test('a policy cooldown shorter than the group one is warned about', () => {
    const { app, group } = groupStack();
    group().scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20, cooldown: Duration.seconds(60) });
    expect(Warnings.of(app).map((w) => w.path)).toEqual(expect.arrayContaining(['test/Web/CpuScaleOut', 'test/Web/CpuScaleIn']));
  });

  test('a cooldown shorter than warm-up plus the scale-out periods is warned about, with the figures', () => {
    // GIVEN CPU scaling on 300 s points, 2 periods, the default 180 s warm-up, and a 600 s cooldown
    const { app, group } = groupStack();
    group().scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20, cooldown: Duration.seconds(600) });
    // THEN the group is warned once: 180 + 300 x 2 + 60 = 840 s
    const w = Warnings.of(app).filter((x) => x.id === 'scaleout:cooldown-shorter-than-alarm-window');
    expect(w.map((x) => x.path)).toEqual(['test/Web']);
    expect(w[0].message).toContain('= 840 s');
  });

  test('the derived cooldowns follow granularity, periods and warm-up', () => {
    // GIVEN 60 s points, 2 periods (scale-in 3), a 120 s warm-up
    // THEN scale-out needs 120 + 60 x 2 + 60 = 300 s, scale-in 60 x 3 + 60 = 240 s
    expect(cpuScalingCooldowns(60, 2, 3, 120)).toEqual({ scaleOut: 300, scaleIn: 240 });
    // AND on the group's aggregate the scale-out cooldown lasts until the scale-in alarm has read its
    // points from after the last joining server's first poll for a whole period:
    // (3 + 2) x 60 + 60 = 360 s here, and (4 + 2) x 300 + 60 = 1860 s at Ceilometer's 300 s points,
    // past 180 + 300 x 2 + 60 = 840 s
    expect(cpuScalingCooldowns(60, 2, 3, 120, true)).toEqual({ scaleOut: 360, scaleIn: 240 });
    expect(cpuScalingCooldowns(300, 2, 4, 180, true)).toEqual({ scaleOut: 1860, scaleIn: 1260 });
    expect(cpuScalingCooldowns(300, 2, 4, 180, false)).toEqual({ scaleOut: 840, scaleIn: 1260 });
    // AND a cooldown of 299 s is warned about, 300 s is not
    for (const [seconds, warned] of [[299, 1], [300, 0]] as const) {
      const { app, group } = groupStack();
      group().scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20, granularity: Duration.minutes(1), warmup: Duration.seconds(120), cooldown: Duration.seconds(seconds) });
      expect(Warnings.of(app).filter((x) => x.id === 'scaleout:cooldown-shorter-than-alarm-window')).toHaveLength(warned);
    }
  });
});

describe('scaleOnMetric', () => {
  const queue = () => Metric.gnocchi({ metric: 'queue.depth' });

  test('one alarm and one policy per step; middle steps alarm on their band only', () => {
    // GIVEN a worker group scaling on queue depth in three steps
    const { stack, group } = groupStack();
    const workers = group({ maxSize: 10 });
    // WHEN compiled
    const result = workers.scaleOnMetric('Queue', {
      metric: queue(),
      steps: [
        { lower: 100, change: 3 },
        { upper: 5, change: -1 },
        { lower: 50, upper: 100, change: 1 },
      ],
    });
    const heat = heatOf(stack);
    // THEN the steps are sorted and named by their bounds
    expect(result.steps.map((s) => s.policy.node.path)).toEqual(['test/Web/Queue/Below5/Policy', 'test/Web/Queue/Above50/Policy', 'test/Web/Queue/Above100/Policy']);
    // AND each alarm drives its own policy with that step's change
    const alarms = { ...hotResourcesOfType(heat.template, 'OS::Aodh::GnocchiAggregationByResourcesAlarm'), ...hotResourcesOfType(heat.template, 'OS::Aodh::CompositeAlarm') };
    expect(Object.fromEntries(Object.entries(alarms).map(([name, a]) => [name, policyOf(a)]))).toEqual({
      web_queue_below5_alarm: ['web_queue_below5_policy'],
      web_queue_above100_alarm: ['web_queue_above100_policy'],
      web_queue_above50_alarm: ['web_queue_above50_policy'],
    });
    expect(heat.resources.web_queue_below5_policy.properties!.scaling_adjustment).toBe(-1);
    expect(heat.resources.web_queue_above50_policy.properties!.scaling_adjustment).toBe(1);
    expect(heat.resources.web_queue_above100_policy.properties!.scaling_adjustment).toBe(3);
    // AND the outer steps compare once, the middle one is the band [50, 100)
    expect(heat.resources.web_queue_below5_alarm.properties).toMatchObject({ threshold: 5, comparison_operator: 'lt', metric: 'queue.depth' });
    expect(heat.resources.web_queue_above100_alarm.properties).toMatchObject({ threshold: 100, comparison_operator: 'ge' });
    expect(heat.resources.web_queue_above50_alarm.type).toBe('OS::Aodh::CompositeAlarm');
    expect(heat.resources.web_queue_above50_alarm.properties!.composite_rule.rules.map((r: any) => [r.comparison_operator, r.threshold])).toEqual([
      ['ge', 50],
      ['lt', 100],
    ]);
    // AND the Terraform embedding holds the same
    const embedded = embeddedOf(terraformOf(stack), 'web').resources;
    expect(embedded.web_queue_above50_alarm).toEqual(heat.resources.web_queue_above50_alarm);
  });

  test('steps on a rate (CPU time) are alarmed per member and wait 2 periods by default; a gauge stays on the group, 1 period', () => {
    // GIVEN steps on the group's CPU time, and steps on a queue-depth gauge
    const { stack, group } = groupStack();
    const web = group({ maxSize: 10 });
    web.scaleOnMetric('Cpu', { metric: Metric.cpuTime(), perMember: true, steps: [{ upper: 1e10, change: -1 }, { lower: 1e11, upper: 2e11, change: 1 }, { lower: 2e11, change: 2 }] });
    web.scaleOnMetric('Queue', { metric: queue(), steps: [{ upper: 1, change: -1 }, { lower: 50, change: 1 }] });
    // WHEN synthesized to both targets
    const heat = heatOf(stack);
    const tf = embeddedOf(terraformOf(stack), 'web');
    for (const [main, member] of [[heat.resources, memberOf(heat, 'web').resources], [tf.resources, tf.member.resources]] as const) {
      // THEN every CPU rule, composite ones included, is on the member's server and needs 2 points
      expect(main.web_cpu_below10000000000_alarm).toBeUndefined();
      expect(member.web_cpu_below10000000000_alarm.properties).toMatchObject({ resource_id: { get_resource: 'web_server' }, evaluation_periods: 2 });
      expect(member.web_cpu_above200000000000_alarm.properties!.evaluation_periods).toBe(2);
      expect(member.web_cpu_above100000000000_alarm.properties!.composite_rule.rules.map((r: any) => [r.type, r.evaluation_periods])).toEqual([
        ['gnocchi_resources_threshold', 2],
        ['gnocchi_resources_threshold', 2],
      ]);
      // AND the gauge stays one alarm on the group's aggregate, with 1 period
      expect(main.web_queue_below1_alarm).toMatchObject({ type: 'OS::Aodh::GnocchiAggregationByResourcesAlarm', properties: { evaluation_periods: 1 } });
      expect(main.web_queue_above50_alarm.properties!.evaluation_periods).toBe(1);
    }
  });

  test('percentage steps with a minimum step; exact-capacity steps', () => {
    const { stack, group } = groupStack();
    const web = group({ maxSize: 10 });
    web.scaleOnMetric('Pct', {
      metric: queue(),
      adjustmentType: AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
      minAdjustmentStep: 1,
      steps: [
        { upper: 5, change: -25 },
        { lower: 50, change: 50 },
      ],
    });
    web.scaleOnMetric('Exact', { metric: Metric.gnocchi({ metric: 'sessions' }), adjustmentType: AdjustmentType.EXACT_CAPACITY, steps: [{ lower: 1000, change: 8 }] });
    const heat = heatOf(stack).resources;
    expect(heat.web_pct_above50_policy.properties).toMatchObject({ adjustment_type: 'percent_change_in_capacity', scaling_adjustment: 50, min_adjustment_step: 1 });
    expect(heat.web_pct_below5_policy.properties).toMatchObject({ scaling_adjustment: -25, min_adjustment_step: 1 });
    expect(heat.web_exact_above1000_policy.properties).toMatchObject({ adjustment_type: 'exact_capacity', scaling_adjustment: 8 });
    expect(heat.web_exact_above1000_policy.properties).not.toHaveProperty('min_adjustment_step');
  });

  test('Prometheus steps on 2024.1 use prometheus rules in the band', () => {
    const { stack, group } = groupStack(OpenStackRelease.V2024_1);
    group({ maxSize: 10 }).scaleOnMetric('Rps', {
      metric: Metric.prometheus({ query: 'sum(rate(http_requests_total[5m]))' }),
      steps: [
        { upper: 10, change: -1 },
        { lower: 100, upper: 500, change: 1 },
        { lower: 500, change: 4 },
      ],
    });
    const heat = heatOf(stack).resources;
    expect(heat.web_rps_above500_alarm.type).toBe('OS::Aodh::PrometheusAlarm');
    expect(heat.web_rps_above100_alarm.properties!.composite_rule.rules[0]).toEqual({
      type: 'prometheus',
      query: 'sum(rate(http_requests_total[5m]))',
      threshold: 100,
      comparison_operator: 'ge',
    });
    embeddedOf(terraformOf(stack), 'web', '2024.1');
  });

  test.each([
    ['no step', [], 'SO_RANGE', "'steps' must list 1 to 20 steps"],
    ['a step without bounds', [{ change: 1 }], 'SO_REQUIRED', "'steps[0]' needs 'lower', 'upper' or both"],
    ['lower above upper', [{ lower: 10, upper: 5, change: 1 }], 'SO_CONFLICT', "'steps[0]' must have 'lower' below 'upper'"],
    [
      'overlapping steps',
      [
        { lower: 50, upper: 100, change: 1 },
        { lower: 80, change: 2 },
      ],
      'SO_CONFLICT',
      "'steps' overlap: [50, 100) -> 1 and [80, +inf) -> 2",
    ],
    [
      'a gap between two scale-out steps',
      [
        { upper: 5, change: -1 },
        { lower: 50, upper: 60, change: 1 },
        { lower: 70, change: 2 },
      ],
      'SO_CONFLICT',
      "'steps' leave 2 ranges without a step",
    ],
    [
      'no range without a step',
      [
        { upper: 50, change: -1 },
        { lower: 50, change: 1 },
      ],
      'SO_CONFLICT',
      "'steps' cover every value, leaving no range where the group keeps its size",
    ],
    ['a scale-out step that removes servers', [{ lower: 50, change: -1 }], 'SO_CONFLICT', "'steps.change' of [50, +inf) -> -1 must be positive"],
    ['a scale-in step that adds servers', [{ upper: 5, change: 2 }], 'SO_CONFLICT', "'steps.change' of [-inf, 5) -> 2 must be negative"],
  ])('%s is refused', (_name, steps, code, fragment) => {
    const { group } = groupStack();
    const web = group();
    const err = errorOf(() => web.scaleOnMetric('Queue', { metric: queue(), steps }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(`test/Web/Queue: ${fragment}`);
  });

  test('a minimum step without a percentage adjustment is refused', () => {
    const { group } = groupStack();
    const err = errorOf(() => group().scaleOnMetric('Queue', { metric: queue(), minAdjustmentStep: 2, steps: [{ lower: 50, change: 1 }] }));
    expect(err.code).toBe('SO_CONFLICT');
    expect(err.message).toContain(
      "'minAdjustmentStep' is only accepted with AdjustmentType.PERCENT_CHANGE_IN_CAPACITY (Heat refuses min_adjustment_step with change_in_capacity), got 2",
    );
  });

  test('a Prometheus metric on 2022.2 (Zed) is refused', () => {
    const { group } = groupStack();
    const err = errorOf(() => group().scaleOnMetric('Rps', { metric: Metric.prometheus({ query: 'up' }), steps: [{ lower: 1, change: 1 }] }));
    expect(err.code).toBe('SO_UNSUPPORTED');
    expect(err.message).toContain('this stack targets 2022.2 (Zed)');
  });
});
