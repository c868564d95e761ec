/**
 * Alarms inside the member template (one `OS::Aodh::GnocchiResourcesAlarm` per server, reading
 * that server's own stored `rate:mean`), reaching the parent's policy through a member parameter.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadGroups, simulate } from '../../src/simulate';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-sim-member-'));
  fs.writeFileSync(
    path.join(tmp, 'demo.yaml'),
    `heat_template_version: '2021-04-16'
resources:
  web:
    type: OS::Heat::AutoScalingGroup
    properties:
      min_size: 1
      max_size: 4
      cooldown: 600
      resource:
        type: web_member.yaml
        properties:
          scale_out_url:
            str_replace:
              template: trust+url
              params:
                url: { get_attr: [web_out, signal_url] }
  web_out:
    type: OS::Heat::ScalingPolicy
    properties:
      auto_scaling_group_id: { get_resource: web }
      adjustment_type: change_in_capacity
      scaling_adjustment: 1
`,
  );
  fs.writeFileSync(
    path.join(tmp, 'web_member.yaml'),
    `heat_template_version: '2021-04-16'
parameters:
  scale_out_url: { type: string }
resources:
  server:
    type: OS::Nova::Server
    properties: { image: x, flavor: y }
  cpu_high:
    type: OS::Aodh::GnocchiResourcesAlarm
    properties:
      description: 'Scale out: CPU above 70% of 1 vCPU x 300 s'
      metric: cpu
      aggregation_method: rate:mean
      granularity: 300
      evaluation_periods: 2
      threshold: 210000000000
      comparison_operator: gt
      resource_type: instance
      resource_id: { get_resource: server }
      alarm_actions: [{ get_param: scale_out_url }]
`,
  );
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('GIVEN a per-member alarm wired through a member parameter WHEN read THEN it signals the parent policy', () => {
  const [g] = loadGroups(tmp);
  expect(g.alarms.map((a) => [a.name, a.policy, a.perMember, a.rules[0].kind])).toEqual([['cpu_high', 'web_out', true, 'resource']]);
  expect(g.vcpus).toBe(1);
});

test('GIVEN per-member alarms WHEN every member is busy THEN each member alarm signals and the cooldown drops the extra ones', () => {
  const [g] = loadGroups(tmp);
  const tl = simulate(g, { name: 'busy', relative: false, points: [{ t: 0, demand: 3 }, { t: 3 * 3600, demand: 3 }] });
  const scaled = tl.signals.filter((s) => s.result === 'scaled');
  expect(scaled.map((s) => s.to)).toEqual([2, 3, 4]);
  // with several members in alarm at once, the second signal of an evaluation meets the running resize
  expect(tl.signals.some((s) => s.result === 'in-progress' || s.result === 'cooldown')).toBe(true);
});
