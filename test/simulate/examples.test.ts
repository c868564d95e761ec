/**
 * End to end on the committed example templates: reading them, replaying every group on every
 * built-in trace through the CLI command, and the files it writes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { command } from '../../src/cli/commands/simulate';
import { loadGroups, writeSimulationCharts } from '../../src/simulate';
import { errorOf } from '../util/errors';
import { webAppPerMemberHeat } from '../util/web-app-per-member';

const TEMPLATES = path.resolve(__dirname, '..', '..', 'templates');

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), cwd }, out, err };
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-sim-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('reading synthesized HOT', () => {
  test('GIVEN the web-app templates with per-member alarms WHEN read THEN those alarms reach the real policies through the member parameters', () => {
    const [g] = loadGroups(webAppPerMemberHeat());
    expect(g).toMatchObject({ stack: 'web-app', name: 'site_api_servers', minSize: 2, maxSize: 20, cooldown: 300, vcpus: 1 });
    expect(Object.keys(g.policies).sort()).toEqual([
      'site_api_servers_cpu_scale_in',
      'site_api_servers_cpu_scale_out',
      'site_api_servers_cpu_scale_out_saturated',
      'site_api_servers_scale_in',
      'site_api_servers_scale_out',
    ]);
    expect(g.policies.site_api_servers_cpu_scale_out).toMatchObject({ adjustmentType: 'percent_change_in_capacity', scalingAdjustment: 100, minAdjustmentStep: 1, cooldown: 840 });
    expect(g.policies.site_api_servers_cpu_scale_in).toMatchObject({ adjustmentType: 'percent_change_in_capacity', scalingAdjustment: -50, cooldown: 660 });
    // the scale-out band is a composite of two rules on the member's own server: above 60 %, below 90 %
    expect(g.alarms.map((a) => [a.name, a.policy, a.rules.map((r) => `${r.kind} ${r.comparisonOperator} ${r.threshold}`)])).toEqual([
      ['site_api_servers_cpu_high', 'site_api_servers_cpu_scale_out', ['resource gt 180000000000', 'resource lt 270000000000']],
      ['site_api_servers_cpu_low', 'site_api_servers_cpu_scale_in', ['resource lt 60000000000']],
      ['site_api_servers_cpu_saturated', 'site_api_servers_cpu_scale_out_saturated', ['resource ge 270000000000']],
    ]);
    expect(g.alarms[0].composite).toEqual({ and: [{ rule: 0 }, { rule: 1 }] });
    // enabled comes from the stack's scaling_enabled (environment: true) through the member parameter
    expect(g.alarms.every((a) => a.enabled && a.repeatActions && a.perMember)).toBe(true);
    // the URL prefix policy is never a target
    expect(g.policies.site_api_servers_signal_base).toBeUndefined();
    expect(g.alarms.some((a) => a.policy.endsWith('signal_base'))).toBe(false);
  });

  test('GIVEN the fractals templates with a schedule WHEN read THEN its alarm is skipped, and the paused scale-in alarm is replayed and listed', () => {
    const g = loadGroups(path.join(TEMPLATES, 'fractals', 'heat')).find((x) => x.name === 'api_servers')!;
    // the schedule's policy exists, but no replayed alarm signals it (the simulator has no wall clock)
    expect(g.policies.api_servers_class_policy).toMatchObject({ adjustmentType: 'exact_capacity', scalingAdjustment: 6 });
    expect(g.alarms.some((a) => a.policy === 'api_servers_class_policy')).toBe(false);
    expect(g.skipped).toContain('api_servers_class_alarm (OS::Aodh::GnocchiAggregationByResourcesAlarm): a schedule (time_constraints), not replayed; the simulator has no wall clock');
    // the CPU scale-in alarm, paused by the schedule on the cloud, is replayed as if always evaluated
    expect(g.alarms.map((a) => a.policy)).toContain('api_servers_cpu_scale_in');
    expect(g.skipped.some((s) => s.includes('time_constraints are ignored; replayed as if evaluated at all times'))).toBe(true);
  });

  test('GIVEN scaling_enabled false in the environment WHEN read THEN the per-member alarms are disabled', () => {
    const dir = path.join(tmp, 'heat');
    fs.cpSync(webAppPerMemberHeat(), dir, { recursive: true });
    const env = path.join(dir, 'web-app.env.yaml');
    fs.writeFileSync(env, fs.readFileSync(env, 'utf8').replace('scaling_enabled: true', 'scaling_enabled: false'));
    expect(loadGroups(dir)[0].alarms.map((a) => a.enabled)).toEqual([false, false, false]);
  });

  test('GIVEN the fractals templates WHEN read THEN the queue steps become composite alarms with their bands', () => {
    const groups = loadGroups(path.join(TEMPLATES, 'fractals', 'heat'));
    const workers = groups.find((g) => g.name === 'workers_servers')!;
    const band = workers.alarms.find((a) => a.name === 'workers_servers_queue_depth_above20_alarm')!;
    expect(band.composite).toEqual({ and: [{ rule: 0 }, { rule: 1 }] });
    expect(band.rules.map((r) => [r.comparisonOperator, r.threshold])).toEqual([
      ['ge', 20],
      ['lt', 40],
    ]);
  });

  test('GIVEN a folder without an autoscaling group WHEN read THEN the error says so', () => {
    const e = errorOf(() => loadGroups(path.join(TEMPLATES, 'hello-server', 'heat')));
    expect(e.message).toContain("'template' holds no OS::Heat::AutoScalingGroup");
  });

  test('GIVEN a group alarm query filtering on ended_at WHEN read THEN the rule keeps only live servers', () => {
    const dir = path.join(tmp, 'heat');
    fs.cpSync(path.join(TEMPLATES, 'existing-network', 'heat'), dir, { recursive: true });
    // (the API group's CPU alarms are on the group's aggregate in this example)
    const api = () => loadGroups(dir).find((g) => g.name === 'orders_api_servers')!;
    expect(api().alarms.every((a) => !a.perMember && a.rules.every((r) => r.kind === 'aggregation' && r.liveOnly))).toBe(true);
    // and without the filter, deleted servers stay in the query
    const main = path.join(dir, 'existing-network.yaml');
    const live = `{"and":[{"=":{"server_group":"%stack_id%-orders_api_servers"}},{"=":{"ended_at":null}}]}`;
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').split(live).join(`{"=":{"server_group":"%stack_id%-orders_api_servers"}}`));
    expect(api().alarms.some((a) => a.rules.some((r) => r.liveOnly))).toBe(false);
  });

  test("GIVEN queue-depth workers WHEN read THEN their alarms are single-resource rules of the group's template, not per member", () => {
    const workers = loadGroups(path.join(TEMPLATES, 'fractals', 'heat')).find((g) => g.name === 'workers_servers')!;
    expect(workers.alarms.length).toBe(4);
    expect(workers.alarms.every((a) => !a.perMember && a.rules.every((r) => r.kind === 'resource'))).toBe(true);
  });
});

describe('scaleout simulate', () => {
  const examples = fs.readdirSync(TEMPLATES).filter((e) => e !== 'hello-server' && fs.existsSync(path.join(TEMPLATES, e, 'heat')));

  test.each(examples.flatMap((e) => ['step', 'ramp', 'daily', 'noisy', 'outage'].map((t) => [e, t])))(
    'GIVEN example %s WHEN simulated on trace %s THEN each group gets a JSON, CSV and SVG and a summary line',
    async (example, trace) => {
      const c = io(tmp);
      const code = await command.run([path.join(TEMPLATES, example, 'heat'), '--trace', trace, '--out', 'out'], c.io);
      expect([0, 1]).toContain(code);
      const groups = loadGroups(path.join(TEMPLATES, example, 'heat'));
      for (const g of groups) {
        const json = JSON.parse(fs.readFileSync(path.join(tmp, 'out', `${g.name}.json`), 'utf8'));
        expect(json.group).toBe(g.name);
        expect(json.samples.length).toBeGreaterThan(60);
        expect(['pass', 'warn', 'fail']).toContain(json.summary.verdict);
        const csv = fs.readFileSync(path.join(tmp, 'out', `${g.name}.csv`), 'utf8').split('\n');
        expect(csv[0].startsWith('t,demand,needed,members,ready,capacity,served,metrics,alarm:')).toBe(true);
        expect(csv.length).toBe(json.samples.length + 2);
        const svg = fs.readFileSync(path.join(tmp, 'out', `${g.name}.svg`), 'utf8');
        expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
        expect(svg).toContain(`${example}/${g.name} on &#39;${trace}&#39;`.replace(/&#39;/g, "'"));
        expect(c.out.some((l) => l.startsWith(`${example}/${g.name} on '${trace}': `))).toBe(true);
      }
      expect(code).toBe(c.out.some((l) => / FAIL/.test(l)) ? 1 : 0);
    },
  );

  test('GIVEN the same input WHEN simulated twice THEN every file is identical byte for byte', async () => {
    const input = path.join(TEMPLATES, 'fractals', 'heat');
    await command.run([input, '--trace', 'noisy', '--seed', '3', '--out', 'a'], io(tmp).io);
    await command.run([input, '--trace', 'noisy', '--seed', '3', '--out', 'b'], io(tmp).io);
    const files = fs.readdirSync(path.join(tmp, 'a')).sort();
    expect(files).toEqual(['api_servers.csv', 'api_servers.json', 'api_servers.svg', 'workers_servers.csv', 'workers_servers.json', 'workers_servers.svg']);
    for (const f of files) expect(fs.readFileSync(path.join(tmp, 'b', f))).toEqual(fs.readFileSync(path.join(tmp, 'a', f)));
  });

  test('GIVEN the main template path and a CSV trace file WHEN simulated THEN the trace is read in the metric units', async () => {
    fs.writeFileSync(path.join(tmp, 'load.csv'), 't,demand\n0,0.5\n1800,3\n5400,0.5\n9000,0.5\n');
    const c = io(tmp);
    await command.run([path.join(TEMPLATES, 'web-app', 'heat', 'web-app.yaml'), '--trace', 'load.csv', '--out', 'o', '--boot', '120'], c.io);
    const json = JSON.parse(fs.readFileSync(path.join(tmp, 'o', 'site_api_servers.json'), 'utf8'));
    expect(json.trace).toBe('load');
    expect(json.config.bootSeconds).toBe(120);
    expect(Math.max(...json.samples.map((s: { demand: number }) => s.demand))).toBe(3);
  });

  test('GIVEN bad arguments WHEN run THEN the command exits 2 with the reason and writes nothing', async () => {
    const cases: [string[], string][] = [
      [['--trace', 'step', '--out', 'x'], 'give the main HOT template or its folder'],
      [[path.join(TEMPLATES, 'web-app', 'heat'), '--out', 'x'], '--trace is required'],
      [[path.join(TEMPLATES, 'web-app', 'heat'), '--trace', 'step', '--out', 'x', '--boot', 'soon'], '--boot must be a number of at least 0, got "soon"'],
      [[path.join(TEMPLATES, 'web-app', 'heat'), '--trace', 'step', '--out', 'x', '--fast', '1'], 'unknown option --fast'],
      [[path.join(TEMPLATES, 'web-app', 'heat'), '--trace', 'tv', '--out', 'x'], 'is neither a built-in trace'],
      [[path.join(TEMPLATES, 'hello-server', 'heat'), '--trace', 'step', '--out', 'x'], 'holds no OS::Heat::AutoScalingGroup'],
    ];
    for (const [args, message] of cases) {
      const c = io(tmp);
      expect(await command.run(args, c.io)).toBe(2);
      expect(c.err.join('\n')).toContain(message);
    }
    expect(fs.existsSync(path.join(tmp, 'x'))).toBe(false);
  });
});

describe('example charts', () => {
  test('GIVEN the templates folder WHEN charts are written THEN one SVG per example group and trace lands in <example>/simulation', () => {
    const files = writeSimulationCharts(TEMPLATES, tmp).map((f) => path.relative(tmp, f));
    expect(files).toContain(path.join('web-app', 'simulation', 'site_api_servers.step.svg'));
    expect(files).toContain(path.join('fractals', 'simulation', 'workers_servers.outage.svg'));
    expect(files.filter((f) => f.startsWith('hello-server'))).toEqual([]);
    expect(files.length).toBe(5 * 4);
  });
});
