/** Alarms and metrics: Gnocchi and Prometheus alarms, the group query, actions and switches. */
import {
  Alarm,
  ComparisonOperator,
  Duration,
  GnocchiAggregation,
  GnocchiQuery,
  Metric,
  OpenStackRelease,
  ScalingAdjustment,
  ScalingPolicy,
  Stack,
  Warnings,
  cpuPercentToNanoseconds,
} from '../../../src';
import { heatOf, terraformOf } from '../../util/synth';
import { embeddedOf, errorOf, groupStack, memberOf, memberPolicyOf, signalActionOf as actionFor } from './fixture';

describe('Gnocchi alarms', () => {
  test('Metric.cpuTime: one alarm per member on its own server (rate:mean of cpu), threshold as given', () => {
    // GIVEN a group, a policy and an alarm on the group's CPU time
    const { stack, group } = groupStack();
    const web = group({ scalingWebhooks: false });
    const up = new ScalingPolicy(stack, 'Up', { group: web, adjustment: ScalingAdjustment.changeInCapacity(1) });
    new Alarm(stack, 'Busy', { metric: Metric.cpuTime(), threshold: 1e11, perMember: true, alarmActions: [up] });
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    // THEN the group's template has no alarm, and the member's reads its own server's cpu with rate:mean over 300 s, 2 periods
    expect(heat.resources.busy).toBeUndefined();
    expect(memberOf(heat, 'web').resources.busy).toEqual({
      type: 'OS::Aodh::GnocchiResourcesAlarm',
      properties: {
        description: "rate:mean of Gnocchi metric 'cpu' over 300 s > 100000000000",
        enabled: { get_param: 'scaling_enabled' },
        repeat_actions: true,
        alarm_actions: [{ get_param: 'up_alarm_url' }],
        metric: 'cpu',
        aggregation_method: 'rate:mean',
        granularity: 300,
        resource_type: 'instance',
        resource_id: { get_resource: 'web_server' },
        evaluation_periods: 2,
        threshold: 1e11,
        comparison_operator: 'gt',
      },
    });
    expect(memberPolicyOf(heat.template, 'web', memberOf(heat, 'web').resources.busy)).toEqual(['up']);
  });

  test('perMember: false puts a CPU alarm on the group aggregate (live members only), with a warning', () => {
    // GIVEN a CPU alarm forced onto the group's aggregate
    const { app, stack, group } = groupStack();
    const web = group({ scalingWebhooks: false });
    const up = new ScalingPolicy(stack, 'Up', { group: web, adjustment: ScalingAdjustment.changeInCapacity(1) });
    new Alarm(stack, 'Busy', { metric: Metric.cpuTime(), threshold: 1e11, perMember: false, alarmActions: [up] });
    // WHEN synthesized THEN it aggregates the servers whose server_group is the group's key and that have not ended
    expect(heatOf(stack).resources.busy).toEqual({
      type: 'OS::Aodh::GnocchiAggregationByResourcesAlarm',
      properties: {
        description: "rate:mean of Gnocchi metric 'cpu' over 300 s > 100000000000",
        enabled: { get_param: 'scaling_enabled' },
        repeat_actions: true,
        alarm_actions: [actionFor('up')],
        metric: 'cpu',
        aggregation_method: 'rate:mean',
        granularity: 300,
        resource_type: 'instance',
        query: { str_replace: { template: '{"and":[{"=":{"server_group":"%stack_id%-web"}},{"=":{"ended_at":null}}]}', params: { '%stack_id%': { get_param: 'OS::stack_id' } } } },
        evaluation_periods: 2,
        threshold: 1e11,
        comparison_operator: 'gt',
      },
    });
    expect(Warnings.of(app).map((w) => w.id)).toEqual(['scaleout:group-rate-alarm']);
  });

  test('custom metric, aggregation, granularity, query, comparison, periods and repeat', () => {
    // GIVEN a queue-depth metric published for the group's servers
    const { stack, group } = groupStack();
    const web = group();
    const metric = Metric.gnocchi({
      metric: 'queue.depth',
      aggregation: GnocchiAggregation.MAX,
      resourceType: 'generic',
      granularity: Duration.seconds(60),
      query: GnocchiQuery.of({ and: [{ '=': { server_group: Metric.SERVER_GROUP } }, { '=': { queue: 'tasks' } }] }),
    });
    new Alarm(stack, 'Backlog', {
      metric,
      threshold: 100,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL,
      evaluationPeriods: 3,
      repeatActions: false,
      description: 'tasks pile up',
      alarmActions: [web.scaleOutPolicy!],
    });
    // WHEN synthesized to both targets
    const heat = heatOf(stack).resources.backlog.properties!;
    const embedded = embeddedOf(terraformOf(stack), 'web').resources.backlog.properties!;
    // THEN every prop is rendered, and the Terraform embedding holds the same alarm
    expect(heat).toMatchObject({
      description: 'tasks pile up',
      metric: 'queue.depth',
      aggregation_method: 'max',
      resource_type: 'generic',
      granularity: 60,
      evaluation_periods: 3,
      repeat_actions: false,
      comparison_operator: 'ge',
      threshold: 100,
      alarm_actions: [actionFor('web_scale_out')],
    });
    expect(heat.query.str_replace.template).toBe('{"and":[{"=":{"server_group":"%stack_id%-web"}},{"=":{"queue":"tasks"}}]}');
    expect(embedded).toEqual(heat);
  });

  test('a query without the group placeholder is passed as plain JSON text', () => {
    const { stack, group } = groupStack();
    const web = group();
    new Alarm(stack, 'All', {
      metric: Metric.gnocchi({ metric: 'memory.usage', query: GnocchiQuery.of({ '=': { flavor_name: 'm1.small' } }) }),
      threshold: 1,
      alarmActions: [web.scaleInPolicy!],
    });
    expect(heatOf(stack).resources.all.properties!.query).toBe('{"=":{"flavor_name":"m1.small"}}');
  });

  test('upperBound makes a composite alarm on the band', () => {
    // GIVEN an alarm on [50, 100)
    const { stack, group } = groupStack();
    const web = group();
    new Alarm(stack, 'Band', {
      metric: Metric.gnocchi({ metric: 'queue.depth' }),
      threshold: 50,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL,
      upperBound: 100,
      alarmActions: [web.scaleOutPolicy!],
    });
    // WHEN synthesized THEN both rules must hold
    const band = heatOf(stack).resources.band;
    expect(band.type).toBe('OS::Aodh::CompositeAlarm');
    expect(band.properties!.composite_rule.operator).toBe('and');
    expect(band.properties!.composite_rule.rules).toEqual([
      expect.objectContaining({ type: 'gnocchi_aggregation_by_resources_threshold', metric: 'queue.depth', threshold: 50, comparison_operator: 'ge', evaluation_periods: 1 }),
      expect.objectContaining({ type: 'gnocchi_aggregation_by_resources_threshold', metric: 'queue.depth', threshold: 100, comparison_operator: 'lt' }),
    ]);
    expect(band.properties!.enabled).toEqual({ get_param: 'scaling_enabled' });
  });

  test('one alarm signals several policies of one group', () => {
    const { stack, group } = groupStack();
    const web = group();
    const alarm = new Alarm(stack, 'Hot', { metric: Metric.cpuTime(), threshold: 1, perMember: true, alarmActions: [web.scaleOutPolicy!] });
    alarm.addAlarmAction(web.scaleInPolicy!);
    alarm.addAlarmAction(web.scaleOutPolicy!);
    expect(alarm.alarmActions).toEqual([web.scaleOutPolicy, web.scaleInPolicy]);
    const heat = heatOf(stack);
    expect(memberPolicyOf(heat.template, 'web', memberOf(heat, 'web').resources.hot)).toEqual(['web_scale_out', 'web_scale_in']);
  });
});

describe('Prometheus alarms', () => {
  test('on 2024.1: OS::Aodh::PrometheusAlarm with the group key substituted, valid against the 2024.1 schema', () => {
    // GIVEN a 2024.1 stack and a PromQL alarm selecting the group's members
    const { stack, group } = groupStack(OpenStackRelease.V2024_1);
    const web = group();
    new Alarm(stack, 'Hot', {
      metric: Metric.prometheus({ query: `avg(rate(ceilometer_cpu{server_group="${Metric.SERVER_GROUP}"}[5m])) / 1e9 * 100` }),
      threshold: 80,
      alarmActions: [web.scaleOutPolicy!],
    });
    // WHEN synthesized to both targets (heatOf and embeddedOf validate with the 2024.1 overlay)
    const heat = heatOf(stack).resources.hot;
    const embedded = embeddedOf(terraformOf(stack), 'web', stack.release.schemaRelease).resources.hot;
    // THEN
    expect(stack.release.schemaRelease).toBe('2024.1');
    expect(heat).toEqual({
      type: 'OS::Aodh::PrometheusAlarm',
      properties: {
        description: expect.stringContaining('Prometheus query'),
        enabled: { get_param: 'scaling_enabled' },
        repeat_actions: true,
        alarm_actions: [actionFor('web_scale_out')],
        query: {
          str_replace: {
            template: 'avg(rate(ceilometer_cpu{server_group="%stack_id%-web"}[5m])) / 1e9 * 100',
            params: { '%stack_id%': { get_param: 'OS::stack_id' } },
          },
        },
        threshold: 80,
        comparison_operator: 'gt',
      },
    });
    expect(embedded).toEqual(heat);
  });

  test('on 2022.2 (Zed) it is refused, naming the release', () => {
    // GIVEN a 2022.2 stack WHEN a Prometheus alarm is created THEN refused
    const { stack, group } = groupStack(OpenStackRelease.V2022_2);
    const web = group();
    const err = errorOf(() => new Alarm(stack, 'Hot', { metric: Metric.prometheus({ query: 'up' }), threshold: 1, alarmActions: [web.scaleOutPolicy!] }));
    expect(err.code).toBe('SO_UNSUPPORTED');
    expect(err.message).toContain('needs OS::Aodh::PrometheusAlarm, which Heat has only from OpenStack 2024.1 (Caracal); this stack targets 2022.2 (Zed)');
  });

  test('evaluationPeriods is refused (the window belongs in the query)', () => {
    const { stack, group } = groupStack(OpenStackRelease.V2024_1);
    const web = group();
    const err = errorOf(() => new Alarm(stack, 'Hot', { metric: Metric.prometheus({ query: 'up' }), threshold: 1, evaluationPeriods: 2, alarmActions: [web.scaleOutPolicy!] }));
    expect(err.code).toBe('SO_UNSUPPORTED');
    expect(err.message).toContain("'evaluationPeriods' is not a property of Prometheus alarms");
  });
});

describe('Alarm validation', () => {
  test.each([
    ['cpu_util', () => Metric.gnocchi({ metric: 'cpu_util' }), 'SO_UNSUPPORTED', "'metric.metric' no longer exists in Ceilometer/Gnocchi"],
    ['an empty metric name', () => Metric.gnocchi({ metric: '' }), 'SO_EMPTY', "'metric.metric' must be a non-empty string"],
    ['a granularity of 0', () => Metric.cpuTime({ granularity: Duration.seconds(0) }), 'SO_RANGE', "'metric.granularity' must be a whole number of seconds between 1 and 86400"],
    ['an empty PromQL query', () => Metric.prometheus({ query: ' ' }), 'SO_EMPTY', "'metric.query' must be a non-empty string"],
  ])('%s is refused', (_name, metric, code, fragment) => {
    const { stack, group } = groupStack(OpenStackRelease.V2024_1);
    const web = group();
    const err = errorOf(() => new Alarm(stack, 'Bad', { metric: metric(), threshold: 1, alarmActions: [web.scaleOutPolicy!] }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(`test/Bad: ${fragment}`);
  });

  test('an alarm without action fails at synthesis', () => {
    const { stack, group } = groupStack();
    group();
    new Alarm(stack, 'Idle', { metric: Metric.cpuTime(), threshold: 1 });
    expect(errorOf(() => heatOf(stack)).message).toContain('test/Idle: alarm has no action');
  });

  test('policies of two groups in one alarm are refused', () => {
    const { stack, group } = groupStack();
    const a = group({}, 'A');
    const b = group({}, 'B');
    const alarm = new Alarm(stack, 'Mixed', { metric: Metric.cpuTime(), threshold: 1, alarmActions: [a.scaleOutPolicy!] });
    const err = errorOf(() => alarm.addAlarmAction(b.scaleOutPolicy!));
    expect(err.code).toBe('SO_USAGE');
    expect(err.message).toContain("'alarmActions' must all scale one group");
  });

  test('a policy of another stack is refused', () => {
    // GIVEN a group in one stack WHEN an alarm in another stack signals its policy THEN refused
    const { app, group } = groupStack();
    const web = group();
    const other = new Stack(app, 'other');
    const err = errorOf(() => new Alarm(other, 'Remote', { metric: Metric.cpuTime(), threshold: 1, alarmActions: [web.scaleOutPolicy!] }));
    expect(err.code).toBe('SO_USAGE');
    expect(err.message).toContain("other/Remote: 'alarmActions' must be policies of the alarm's stack");
  });

  test.each([
    [
      'an upper bound below the threshold',
      { threshold: 10, upperBound: 5, comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL },
      "'upperBound' must be above 'threshold' (10)",
    ],
    [
      'an upper bound with LESS_THAN',
      { threshold: 10, upperBound: 20, comparisonOperator: ComparisonOperator.LESS_THAN },
      "'comparisonOperator' must be GREATER_THAN or GREATER_THAN_OR_EQUAL with 'upperBound'",
    ],
  ])('%s is refused', (_name, props, fragment) => {
    const { stack, group } = groupStack();
    const web = group();
    const err = errorOf(() => new Alarm(stack, 'Bad', { metric: Metric.cpuTime(), alarmActions: [web.scaleOutPolicy!], ...props }));
    expect(err.code).toBe('SO_CONFLICT');
    expect(err.message).toContain(fragment);
  });
});

describe('CPU threshold arithmetic', () => {
  test.each([
    [70, 300, 2, 420_000_000_000],
    [20, 300, 2, 120_000_000_000],
    [50, 60, 4, 120_000_000_000],
    [100, 300, 1, 300_000_000_000],
    [12.5, 60, 1, 7_500_000_000],
  ])('%d%% over %d s on %d vCPU is %d ns per period', (percent, seconds, vcpus, expected) => {
    expect(cpuPercentToNanoseconds(percent, seconds, vcpus)).toBe(expected);
  });
});
