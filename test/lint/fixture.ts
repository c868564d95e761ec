/**
 * Hand-written HOT and Terraform documents for the policy rules: a valid group (2..6 servers,
 * CPU alarms at 70 % / 30 % of 1 vCPU over 300 s, member tagged with metering.server_group) whose
 * parts each test bends one way.
 */
import type { HeatOutput, SynthOutput, TerraformOutput } from '../../src/assertions';
import { DEFAULT_POLICY_OPTIONS, type PolicyRule, type RuleResult, viewOf } from '../../src/lint';

type Doc = Record<string, any>;

/** Heat output of a main template `main.yaml` and its nested files. */
export function heatOutput(main: Doc, files: Record<string, Doc> = {}): HeatOutput {
  return { target: 'heat', source: 'test', main: 'main.yaml', files: { 'main.yaml': main, ...files } };
}

/** Terraform output of a JSON document and its nested files. */
export function tfOutput(json: Doc, files: Record<string, Doc> = {}): TerraformOutput {
  return { target: 'terraform', source: 'test', json, files };
}

/** Runs one rule over one output with the default options. */
export function run(rule: PolicyRule, output: SynthOutput): RuleResult[] {
  return rule.evaluate(viewOf(output), DEFAULT_POLICY_OPTIONS);
}

/** Only the non-compliant results, as `resource: found`. */
export function failures(rule: PolicyRule, output: SynthOutput): string[] {
  return run(rule, output)
    .filter((r) => r.compliance === 'non-compliant')
    .map((r) => `${r.resource}: ${r.found}`);
}

/** Knobs of the scaling fixture. */
export interface GroupKnobs {
  min?: number;
  max?: number;
  groupCooldown?: number;
  policyCooldown?: number;
  outStep?: number;
  inStep?: number;
  outThreshold?: number;
  inThreshold?: number;
  outPeriods?: number;
  inPeriods?: number;
  metric?: string;
  aggregation?: string;
  granularity?: number;
  queryGroup?: string;
  memberTag?: Doc | null;
}

const signal = (policy: string) => [{ str_replace: { template: 'trust+url', params: { url: { get_attr: [policy, 'signal_url'] } } } }];

/** A group `web` with member template `member.yaml`, two policies and two CPU alarms. */
export function groupTemplate(k: GroupKnobs = {}): HeatOutput {
  const alarm = (name: string, op: string, threshold: number, periods: number, policy: string) => ({
    [name]: {
      type: 'OS::Aodh::GnocchiAggregationByResourcesAlarm',
      properties: {
        alarm_actions: signal(policy),
        metric: k.metric ?? 'cpu',
        aggregation_method: k.aggregation ?? 'rate:mean',
        granularity: k.granularity ?? 300,
        resource_type: 'instance',
        query: { str_replace: { template: `{"=":{"server_group":"%stack_id%-${k.queryGroup ?? 'web'}"}}`, params: { '%stack_id%': { get_param: 'OS::stack_id' } } } },
        evaluation_periods: periods,
        threshold,
        comparison_operator: op,
      },
    },
  });
  const main = {
    heat_template_version: '2021-04-16',
    resources: {
      web: {
        type: 'OS::Heat::AutoScalingGroup',
        properties: {
          min_size: k.min ?? 2,
          ...(k.max === undefined ? { max_size: 6 } : k.max < 0 ? {} : { max_size: k.max }),
          cooldown: k.groupCooldown ?? 1200,
          resource: {
            type: 'member.yaml',
            properties: { server_group: { str_replace: { template: '%stack_id%-web', params: { '%stack_id%': { get_param: 'OS::stack_id' } } } } },
          },
        },
      },
      web_out: { type: 'OS::Heat::ScalingPolicy', properties: { auto_scaling_group_id: { get_resource: 'web' }, adjustment_type: 'change_in_capacity', scaling_adjustment: k.outStep ?? 1, cooldown: k.policyCooldown ?? 1200 } },
      web_in: { type: 'OS::Heat::ScalingPolicy', properties: { auto_scaling_group_id: { get_resource: 'web' }, adjustment_type: 'change_in_capacity', scaling_adjustment: -(k.inStep ?? 1), cooldown: k.policyCooldown ?? 1200 } },
      ...alarm('web_high', 'gt', k.outThreshold ?? 210e9, k.outPeriods ?? 2, 'web_out'),
      ...alarm('web_low', 'lt', k.inThreshold ?? 90e9, k.inPeriods ?? 2, 'web_in'),
    },
  };
  const member = {
    heat_template_version: '2021-04-16',
    parameters: { server_group: { type: 'string' } },
    resources: {
      server: {
        type: 'OS::Nova::Server',
        properties: { image: 'ubuntu', flavor: 'm1.small', ...(k.memberTag === null ? {} : { metadata: { 'metering.server_group': k.memberTag ?? { get_param: 'server_group' } } }) },
      },
    },
  };
  return heatOutput(main, { 'member.yaml': member });
}
