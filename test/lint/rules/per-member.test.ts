/**
 * Per-member alarms: the scaling rules see the alarms of the member template (one per server),
 * which reach the group's policies through the parameters the group passes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { cooldownShorterThanAlarmWindow, minZeroWithMemberMetric, scalingGroupsOf, stepAt, thresholdBandNarrowerThanStep, viewOf } from '../../../src/lint';
import { DEFAULT_POLICY_OPTIONS } from '../../../src/lint/rule';
import { heatOutput } from '../fixture';
import { webAppPerMemberHeat } from '../../util/web-app-per-member';

const load = (f: string) => yaml.load(fs.readFileSync(path.join(webAppPerMemberHeat(), f), 'utf8')) as Record<string, any>;

function webApp(edit: (main: Record<string, any>) => void = () => undefined) {
  const main = load('web-app.yaml');
  edit(main);
  return { ...heatOutput(main, { 'site_api_servers_member.yaml': load('site_api_servers_member.yaml') }), main: 'main.yaml' };
}

describe('member-template alarms', () => {
  test('GIVEN the web-app templates WHEN read THEN each CPU policy has its per-member alarm, and the signal_base policy none', () => {
    const [g] = scalingGroupsOf(viewOf(webApp()));
    const wiring = Object.fromEntries(g.policies.map((p) => [p.name, p.alarms.map((a) => `${a.name}${a.perMember ? ' (per member)' : ''} in ${a.location}`)]));
    expect(wiring).toEqual({
      site_api_servers_scale_out: [],
      site_api_servers_scale_in: [],
      site_api_servers_cpu_scale_out: ['site_api_servers_cpu_high (per member) in site_api_servers_member.yaml'],
      site_api_servers_cpu_scale_out_saturated: ['site_api_servers_cpu_saturated (per member) in site_api_servers_member.yaml'],
      site_api_servers_cpu_scale_in: ['site_api_servers_cpu_low (per member) in site_api_servers_member.yaml'],
    });
    // the band is a composite alarm: its first rule is the condition, both rules are listed
    const band = g.policies.find((p) => p.name === 'site_api_servers_cpu_scale_out')!.alarms[0];
    expect(band.props).toMatchObject({ comparison_operator: 'gt', threshold: 180000000000, granularity: 300, evaluation_periods: 2 });
    expect(band.rules.map((r) => `${r.comparison_operator} ${r.threshold}`)).toEqual(['gt 180000000000', 'lt 270000000000']);
  });

  test('GIVEN percentage steps WHEN sized THEN Heat rounds towards zero from one server up, with at least min_adjustment_step', () => {
    const [g] = scalingGroupsOf(viewOf(webApp()));
    const out = g.policies.find((p) => p.name === 'site_api_servers_cpu_scale_out')!; // +100 %
    const inn = g.policies.find((p) => p.name === 'site_api_servers_cpu_scale_in')!; // -50 %
    expect([1, 2, 3, 5].map((n) => stepAt(out, n))).toEqual([1, 2, 3, 5]);
    expect([1, 3, 5].map((n) => stepAt(inn, n))).toEqual([-1, -1, -2]);
  });

  test('GIVEN the derived cooldowns WHEN members boot within the warm-up THEN compliant; WHEN they need 600 s THEN the per-member window is named', () => {
    expect(run(cooldownShorterThanAlarmWindow, webApp(), 180).filter((r) => r.compliance === 'non-compliant')).toEqual([]);
    const slow = run(cooldownShorterThanAlarmWindow, webApp(), 600).filter((r) => r.compliance === 'non-compliant');
    // a scale-in needs no boot: the remaining members take the load at once
    expect(slow.map((r) => r.resource).sort()).toEqual(['site_api_servers_cpu_scale_out', 'site_api_servers_cpu_scale_out_saturated']);
    expect(slow.find((r) => r.resource === 'site_api_servers_cpu_scale_out')!.found).toBe(
      "site_api_servers_cpu_scale_out waits 840 s (group 300, policy 840) but site_api_servers_cpu_high (one per member) decides on its server's last 2 points of 300 s, seen up to 60 s later and a member needs 600 s to boot: 1260 s",
    );
  });

  test('GIVEN per-member scale-out alarms WHEN min_size is 0 THEN the group could never leave zero (no member, no alarm)', () => {
    const zero = webApp((m) => (m.resources.site_api_servers.properties.min_size = 0));
    expect(run(minZeroWithMemberMetric, zero).filter((r) => r.compliance === 'non-compliant').map((r) => r.resource)).toEqual(['site_api_servers']);
    expect(run(minZeroWithMemberMetric, webApp()).map((r) => r.compliance)).toEqual(['compliant']);
  });

  test('GIVEN the band and the saturated step WHEN checked at the minimum THEN both stay above the scale-in threshold, reported on the member template', () => {
    const results = run(thresholdBandNarrowerThanStep, webApp());
    expect(results.map((r) => `${r.location} ${r.resource} ${r.compliance}`)).toEqual([
      'site_api_servers_member.yaml site_api_servers_cpu_high compliant',
      'site_api_servers_member.yaml site_api_servers_cpu_saturated compliant',
    ]);
  });
});

function run(rule: typeof cooldownShorterThanAlarmWindow, output: ReturnType<typeof webApp>, bootSeconds = DEFAULT_POLICY_OPTIONS.bootSeconds) {
  return rule.evaluate(viewOf(output), { ...DEFAULT_POLICY_OPTIONS, bootSeconds });
}
