/**
 * Alarms inside the member template (one `OS::Aodh::GnocchiResourcesAlarm` per server, reading
 * that server's own stored `rate:mean`), reaching the parent's policy through a member parameter.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadGroups, simulate } from '../../src/simulate';
import { webAppPerMemberHeat } from '../util/web-app-per-member';

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

describe('the web-app example: per-member alarms reached through the signal_base URL', () => {
  const step = { name: 'step', relative: false, points: [{ t: 0, demand: 0.4 }, { t: 3600, demand: 2.7 }, { t: 3 * 3600, demand: 2.7 }, { t: 3 * 3600 + 60, demand: 0.4 }, { t: 6 * 3600, demand: 0.4 }] };

  test('GIVEN a step to saturation WHEN simulated THEN only the real policies are signalled and the saturated step triples the group', () => {
    const [g] = loadGroups(webAppPerMemberHeat());
    const tl = simulate(g, step);
    expect(new Set(tl.signals.map((s) => s.policy))).not.toContain('site_api_servers_signal_base');
    const scaled = tl.signals.filter((s) => s.result === 'scaled');
    // 2 members at 1.35 vCPU of demand each are saturated (>= 90 %): +200 %
    expect(scaled[0]).toMatchObject({ alarm: 'site_api_servers_cpu_saturated', from: 2, to: 6 });
    // every member alarmed in that evaluation: the first signal scaled, the other met the running resize
    expect(tl.signals.filter((s) => s.t === scaled[0].t).map((s) => s.result)).toEqual(['scaled', 'in-progress']);
    // after the load the group sheds half its members per step, back to its minimum
    expect(scaled.filter((s) => s.to < s.from).map((s) => s.alarm)).toEqual(expect.arrayContaining(['site_api_servers_cpu_low']));
    expect(tl.samples[tl.samples.length - 1].members).toBe(2);
  });

  test('GIVEN a scale-out WHEN the new members are created THEN their alarms exist with them, in insufficient data until they have 2 points of their own', () => {
    const [g] = loadGroups(webAppPerMemberHeat());
    const tl = simulate(g, step);
    const first = tl.signals.find((s) => s.result === 'scaled')!;
    const after = tl.samples.find((s) => s.t === first.t)!;
    // one instance per member of each alarm: the four new members' are in insufficient data, the old ones' are decided
    expect(after.members).toBe(6);
    expect(after.memberAlarms!.site_api_servers_cpu_saturated).toEqual([2, 0, 4]);
    // a member's rate needs evaluation_periods differences of its counter: 3 polls after it takes load at the earliest
    const decided = tl.samples.find((s) => s.t > first.t && s.memberAlarms!.site_api_servers_cpu_low[2] === 0)!;
    expect(decided.t - first.t).toBeGreaterThanOrEqual(2 * 300);
    // the counts always cover exactly the members: a removed member's alarms go with it
    for (const s of tl.samples) for (const c of Object.values(s.memberAlarms!)) expect(c[0] + c[1] + c[2]).toBe(s.members);
  });

  test('GIVEN scaling_enabled false WHEN simulated THEN no member alarm is evaluated and nothing scales', () => {
    const [g] = loadGroups(webAppPerMemberHeat());
    const tl = simulate({ ...g, alarms: g.alarms.map((a) => ({ ...a, enabled: false })) }, step);
    expect(tl.signals).toEqual([]);
    expect(tl.samples.every((s) => s.members === 2)).toBe(true);
  });
});
