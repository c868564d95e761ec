/** The conveniences: scaleOnCpuUtilization (policy + alarm pairs) and scaleOnMetric (step scaling). */
import { AdjustmentType, Duration, Flavor, Metric, OpenStackRelease, Warnings } from '../../../src';
import { cpuScalingCooldowns } from '../../../src/constructs/autoscaling/scaling-rules';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { embeddedOf, errorOf, groupStack, policyOf } from './fixture';

describe('scaleOnCpuUtilization', () => {
  test('creates an up and a down policy, each driven by its CPU alarm, thresholds in ns per period', () => {
    // GIVEN a group of 2-vCPU servers
    const { app, stack, group } = groupStack();
    const web = group();
    // WHEN it scales out above 70% and in below 20%
    const cpu = web.scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    const heat = heatOf(stack);
    // THEN the high alarm (> 70% of 2 vCPU x 300 s) signals the +1 policy
    expect(heat.resources.web_cpu_high.properties).toMatchObject({
      metric: 'cpu',
      aggregation_method: 'rate:mean',
      granularity: 300,
      threshold: 420_000_000_000,
      comparison_operator: 'gt',
    });
    expect(policyOf(heat.resources.web_cpu_high)).toEqual(['web_cpu_scale_out']);
    expect(heat.resources.web_cpu_scale_out.properties).toMatchObject({ adjustment_type: 'change_in_capacity', scaling_adjustment: 1, cooldown: 300 });
    // AND the low alarm (< 20%) signals the -1 policy
    expect(heat.resources.web_cpu_low.properties).toMatchObject({ threshold: 120_000_000_000, comparison_operator: 'lt' });
    expect(policyOf(heat.resources.web_cpu_low)).toEqual(['web_cpu_scale_in']);
    expect(heat.resources.web_cpu_scale_in.properties).toMatchObject({ scaling_adjustment: -1, cooldown: 300 });
    expect(cpu.highCpuAlarm.alarmActions).toEqual([cpu.scaleOutPolicy]);
    expect(cpu.lowCpuAlarm.alarmActions).toEqual([cpu.scaleInPolicy]);
    expect(Warnings.of(app)).toEqual([]);
  });

  test('granularity, periods, step sizes and cooldown; the same in the Terraform embedding', () => {
    // GIVEN a group of 4-vCPU servers on a 60 s archive policy
    const { stack, group } = groupStack();
    const web = group({ flavor: Flavor.fromName('m1.xlarge', { vcpus: 4 }), maxSize: 20 });
    web.scaleOnCpuUtilization({
      scaleOutAbovePercent: 50,
      scaleInBelowPercent: 10,
      granularity: Duration.minutes(1),
      evaluationPeriods: 3,
      scaleOutBy: 3,
      scaleInBy: 2,
      cooldown: Duration.minutes(10),
    });
    // WHEN synthesized to both targets
    const heat = heatOf(stack).resources;
    const embedded = embeddedOf(terraformOf(stack), 'web').resources;
    // THEN 50% of 4 vCPU x 60 s = 120e9 ns, 10% = 24e9 ns
    expect(heat.web_cpu_high.properties).toMatchObject({ granularity: 60, evaluation_periods: 3, threshold: 120_000_000_000 });
    expect(heat.web_cpu_low.properties).toMatchObject({ granularity: 60, evaluation_periods: 4, threshold: 24_000_000_000 });
    expect(heat.web_cpu_scale_out.properties).toMatchObject({ scaling_adjustment: 3, cooldown: 600 });
    expect(heat.web_cpu_scale_in.properties).toMatchObject({ scaling_adjustment: -2, cooldown: 600 });
    for (const name of ['web_cpu_high', 'web_cpu_low', 'web_cpu_scale_out', 'web_cpu_scale_in']) expect(embedded[name]).toEqual(heat[name]);
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
    const err = errorOf(() => web.scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20 }));
    expect(err.code).toBe('SO_REQUIRED');
    expect(err.message).toContain("test/Web: 'flavor.vcpus' is needed to turn a CPU percentage into Gnocchi's CPU time");
    expect(err.message).toContain("Flavor.fromName('m1.small', { vcpus: 2 })");
  });

  test('calling it twice is refused', () => {
    const { group } = groupStack();
    const web = group();
    web.scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    expect(errorOf(() => web.scaleOnCpuUtilization({ scaleOutAbovePercent: 80, scaleInBelowPercent: 10 })).code).toBe('SO_DUPLICATE');
  });

  test('the alarms wait 2 periods by default and the scale-in alarm 3, in both targets: joining servers skew the rate', () => {
    // GIVEN CPU scaling without evaluationPeriods
    const { app, stack, group } = groupStack();
    group().scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    // WHEN synthesized to both targets
    const heat = heatOf(stack).resources;
    const embedded = embeddedOf(terraformOf(stack), 'web').resources;
    // THEN the high alarm needs 2 consecutive points and the low one 3 (new servers' counters skew up to two buckets)
    for (const alarms of [heat, embedded]) {
      expect(alarms.web_cpu_high.properties).toMatchObject({ aggregation_method: 'rate:mean', evaluation_periods: 2 });
      expect(alarms.web_cpu_low.properties).toMatchObject({ aggregation_method: 'rate:mean', evaluation_periods: 3 });
    }
    expect(Warnings.of(app)).toEqual([]);
  });

  test('evaluationPeriods: 1 stays possible, with a warning on each alarm', () => {
    // GIVEN CPU scaling on a single period
    const { app, stack, group } = groupStack();
    group().scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20, evaluationPeriods: 1 });
    // WHEN synthesized THEN 1 is rendered on the high alarm in both targets (the low one keeps one more)
    expect(heatOf(stack).resources.web_cpu_high.properties!.evaluation_periods).toBe(1);
    expect(embeddedOf(terraformOf(stack), 'web').resources.web_cpu_high.properties!.evaluation_periods).toBe(1);
    expect(heatOf(stack).resources.web_cpu_low.properties!.evaluation_periods).toBe(2);
    // AND the single-period alarm warns that a member joining or leaving can fire it
    const warnings = Warnings.of(app);
    expect(warnings.map((w) => w.path)).toEqual(['test/Web/CpuHigh']);
    expect(warnings[0].message).toContain("'evaluationPeriods' is 1 on rate:mean of Gnocchi metric 'cpu'");
    expect(warnings[0].message).toContain('jumps for one period whenever a member joins or leaves');
  });

  test('the policy helper compares the whole action: another attribute or a lost trust+ prefix do not pass', () => {
    // GIVEN a synthesized CPU alarm and two corrupted copies of it
    const { stack, group } = groupStack();
    group().scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    const alarm = heatOf(stack).resources.web_cpu_high;
    const withAction = (action: unknown) => ({ ...alarm, properties: { ...alarm.properties, alarm_actions: [action] } });
    const otherAttr = withAction({ str_replace: { template: 'trust+url', params: { url: { get_attr: ['web_cpu_scale_out', 'alarm_url'] } } } });
    const noTrust = withAction({ str_replace: { template: 'url', params: { url: { get_attr: ['web_cpu_scale_out', 'signal_url'] } } } });
    // THEN only the real one names the policy
    expect(policyOf(alarm)).toEqual(['web_cpu_scale_out']);
    expect(policyOf(otherAttr)).not.toEqual(['web_cpu_scale_out']);
    expect(policyOf(noTrust)).not.toEqual(['web_cpu_scale_out']);
  });

  test('a policy cooldown shorter than the group one is warned about', () => {
    const { app, group } = groupStack();
    group().scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20, cooldown: Duration.seconds(60) });
    expect(Warnings.of(app).map((w) => w.path)).toEqual(expect.arrayContaining(['test/Web/CpuScaleOut', 'test/Web/CpuScaleIn']));
  });

  test('a cooldown shorter than the alarm window plus warm-up is warned about, with the figures', () => {
    // GIVEN CPU scaling on 300 s points, 2 periods, the default 180 s warm-up, and a 600 s cooldown
    const { app, group } = groupStack();
    group().scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20, cooldown: Duration.seconds(600) });
    // THEN the group is warned once: 300 x (2 + 1) + 180 = 1080 s
    const w = Warnings.of(app).filter((x) => x.id === 'scaleout:cooldown-shorter-than-alarm-window');
    expect(w.map((x) => x.path)).toEqual(['test/Web']);
    expect(w[0].message).toContain('= 1080 s');
  });

  test('the window behind the warning follows granularity, periods and warm-up', () => {
    // GIVEN 60 s points, 2 periods (scale-in 3), a 120 s warm-up
    // THEN scale-out needs 60 x 3 + 120 = 300 s, scale-in 60 x 4 = 240 s
    expect(cpuScalingCooldowns(60, 2, 3, 120)).toEqual({ scaleOut: 300, scaleIn: 240 });
    // AND a cooldown of 299 s is warned about, 300 s is not
    for (const [seconds, warned] of [[299, 1], [300, 0]] as const) {
      const { app, group } = groupStack();
      group().scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20, granularity: Duration.minutes(1), warmup: Duration.seconds(120), cooldown: Duration.seconds(seconds) });
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

  test('steps on a rate (CPU time) wait 2 periods by default, a gauge 1', () => {
    // GIVEN steps on the group's CPU time, and steps on a queue-depth gauge
    const { stack, group } = groupStack();
    const web = group({ maxSize: 10 });
    web.scaleOnMetric('Cpu', { metric: Metric.cpuTime(), steps: [{ upper: 1e10, change: -1 }, { lower: 1e11, upper: 2e11, change: 1 }, { lower: 2e11, change: 2 }] });
    web.scaleOnMetric('Queue', { metric: queue(), steps: [{ upper: 1, change: -1 }, { lower: 50, change: 1 }] });
    // WHEN synthesized to both targets
    const heat = heatOf(stack).resources;
    const embedded = embeddedOf(terraformOf(stack), 'web').resources;
    for (const alarms of [heat, embedded]) {
      // THEN every CPU rule, composite ones included, needs 2 points
      expect(alarms.web_cpu_below10000000000_alarm.properties!.evaluation_periods).toBe(2);
      expect(alarms.web_cpu_above200000000000_alarm.properties!.evaluation_periods).toBe(2);
      expect(alarms.web_cpu_above100000000000_alarm.properties!.composite_rule.rules.map((r: any) => r.evaluation_periods)).toEqual([2, 2]);
      // AND the gauge keeps 1
      expect(alarms.web_queue_below1_alarm.properties!.evaluation_periods).toBe(1);
      expect(alarms.web_queue_above50_alarm.properties!.evaluation_periods).toBe(1);
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
