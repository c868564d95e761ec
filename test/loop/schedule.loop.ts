/**
 * Scheduled scaling (`group.scaleOnSchedule`) on the real loop: Keystone, Heat, Gnocchi and Aodh
 * on loopback, the stand-in Ceilometer posting the members' `cpu` counters.
 *
 * GIVEN a group of 1 to 3 servers whose scale-in alarm always holds (so outside a schedule's hold
 *       it keeps the group at 1), and a daily schedule, in Europe/Berlin time, whose start is
 *       the first whole minute at least 150 s after the stack is created: set the group to 3 and
 *       pause scale-in for 4 minutes
 * WHEN  the wall clock passes the start (Aodh reads the cron start in the time zone, as on a real
 *       cloud; only the Gnocchi granularity, Aodh's evaluation interval and the cooldown are short)
 * THEN  until a minute before the start the group has 1 server; Aodh signals the schedule's
 *       policy from at most a minute before the start (Aodh opens a window up to 60 s early, see
 *       `AODH_EARLY_OPENING_MINUTES`) and Heat sets the group to 3; it stays at 3 through the hold
 *       although the scale-in alarm is in alarm; after the hold, the scale-in alarm brings it back to 1.
 */
import { App, Duration, Flavor, Image, Metric, GnocchiAggregation, Alarm, ComparisonOperator, AutoScalingGroup, Network, Placement, Schedule, Stack, synthesizeHeat, heatFiles } from '../../src';
import { prepareGnocchi, StandInCeilometer } from './ceilometer';
import { ensureTelemetry, startCloud, type Cloud } from './harness';
import { OpenStack } from './openstack';

const GRANULARITY = 10;
const EVALUATION_INTERVAL = 5;
const COOLDOWN = 30;
const HOLD_MINUTES = 4;
const TIME_ZONE = 'Europe/Berlin';
const NONE_TYPES = ['OS::Nova::*', 'OS::Neutron::*', 'OS::Octavia::*'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Hour and minute of `date` in `timeZone`. */
function localTime(date: Date, timeZone: string): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  return { hour: Number(parts.find((p) => p.type === 'hour')!.value), minute: Number(parts.find((p) => p.type === 'minute')!.value) };
}

/** The stack under test, synthesized to HOT for a schedule starting at `start`. */
function templates(start: Date) {
  const app = new App();
  const stack = new Stack(app, 'sched');
  const group = new AutoScalingGroup(stack, 'Web', {
    image: Image.fromName('ubuntu-22.04'),
    flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
    networks: [Network.fromName(stack, 'Net', 'private')],
    placement: Placement.any(),
    minSize: 1,
    maxSize: 3,
    cooldown: Duration.seconds(COOLDOWN),
  });
  // Always in alarm when evaluated: a member's cumulative cpu counter is far below 1e18 ns.
  new Alarm(stack, 'Idle', {
    metric: Metric.gnocchi({ metric: 'cpu', aggregation: GnocchiAggregation.MEAN, granularity: Duration.seconds(GRANULARITY) }),
    threshold: 1e18,
    comparisonOperator: ComparisonOperator.LESS_THAN,
    evaluationPeriods: 1,
    alarmActions: [group.scaleInPolicy!],
  });
  const { hour, minute } = localTime(start, TIME_ZONE);
  const scheduled = group.scaleOnSchedule('Rush', {
    schedule: Schedule.cron({ minute, hour }),
    timeZone: TIME_ZONE,
    desiredCapacity: 3,
    duration: Duration.minutes(HOLD_MINUTES),
  });
  const syn = synthesizeHeat(stack);
  const template = JSON.parse(JSON.stringify(syn.template));
  // The schedule's alarm reads Ceilometer's 300 s points by default: the loop's archive policy keeps 10 s points.
  for (const r of Object.values(template.resources as Record<string, any>)) {
    if (String(r.type).startsWith('OS::Aodh::Gnocchi')) r.properties.granularity = GRANULARITY;
  }
  const files = heatFiles(syn);
  delete files[`${syn.stackName}.yaml`];
  delete files[`${syn.stackName}.env.yaml`];
  return {
    template,
    files,
    environment: { ...syn.environment, resource_registry: Object.fromEntries(NONE_TYPES.map((t) => [t, 'OS::Heat::None'])) },
    triggerSeconds: scheduled.triggerSeconds,
  };
}

interface Sample {
  /** Seconds from the schedule's start (negative before). */
  t: number;
  members: number;
  idle: string;
  rush: string;
}

let cloud: Cloud | undefined;
const samples: Sample[] = [];
const signals: Array<{ t: number; policy: string }> = [];
let trigger = 0;
let startedAt = 0;
let createdAt = 0;
let leftovers: string[] = [];

beforeAll(async () => {
  ensureTelemetry();
  const cloudStart = Date.now();
  cloud = await startCloud({ evaluationInterval: EVALUATION_INTERVAL, metricProcessingDelay: 1 });
  console.log(`cloud up in ${Math.round((Date.now() - cloudStart) / 1000)} s`);
  const os = new OpenStack(cloud.info);
  const archivePolicy = `loop-low-rate-${GRANULARITY}s`;
  await prepareGnocchi(os, archivePolicy, GRANULARITY);
  // The first whole minute at least 150 s from now: time to create the stack and settle at 1 server.
  const start = new Date(Math.ceil((Date.now() + 150_000) / 60_000) * 60_000);
  startedAt = start.getTime();
  const t = templates(start);
  trigger = t.triggerSeconds;
  const stackName = 'schedule';
  const created = await os.call('POST', await os.heatUrl('/stacks'), { stack_name: stackName, template: t.template, files: t.files, environment: t.environment, timeout_mins: 20 });
  const stackId: string = created.stack.id;
  for (;;) {
    const s = (await os.call('GET', await os.heatUrl(`/stacks/${stackName}/${stackId}`))).stack;
    if (s.stack_status === 'CREATE_COMPLETE') break;
    if (!String(s.stack_status).endsWith('IN_PROGRESS')) throw new Error(`${stackName}: ${s.stack_status} ${s.stack_status_reason}`);
    await sleep(1000);
  }
  createdAt = Date.now();
  console.log(`stack created ${Math.round((startedAt - createdAt) / 1000)} s before the schedule's start (${start.toISOString()}, ${JSON.stringify(localTime(start, TIME_ZONE))} ${TIME_ZONE})`);
  const nestedId: string = (await os.call('GET', await os.heatUrl(`/stacks/${stackName}/${stackId}/resources/web`))).resource.physical_resource_id;
  const ceilo = new StandInCeilometer(os, { archivePolicy, pollSeconds: GRANULARITY, hosts: 1, load: { vcpus: 1, bootSeconds: 0, idleVcpus: 0.02 }, startMs: createdAt });
  const known = new Map<string, { id: string; serverGroup: string }>();
  const listMembers = async () => {
    const list = (await os.call('GET', await os.heatUrl(`/stacks/${nestedId}/resources`))).resources as any[];
    const out: Array<{ id: string; serverGroup: string }> = [];
    for (const r of list) {
      if (!r.physical_resource_id || String(r.resource_status).startsWith('DELETE') || r.resource_action === 'DELETE') continue;
      let m = known.get(r.physical_resource_id);
      if (m === undefined) {
        const member = (await os.call('GET', await os.heatUrl(`/stacks/${r.physical_resource_id}`))).stack;
        if (!String(member.stack_status).endsWith('COMPLETE')) continue;
        const serverId = (member.outputs as any[] | undefined)?.find((o) => o.output_key === 'server_id')?.output_value;
        if (!serverId) continue;
        m = { id: String(serverId), serverGroup: String(member.parameters.server_group) };
        known.set(r.physical_resource_id, m);
      }
      out.push(m);
    }
    return out;
  };
  let logOffset = cloud.log('heat-app').length;
  const end = startedAt + (HOLD_MINUTES * 60 + 360) * 1000;
  while (Date.now() < end) {
    const tt = (Date.now() - createdAt) / 1000;
    await ceilo.reconcile(tt, await listMembers());
    await ceilo.step(tt, 0);
    const text = cloud.log('heat-app');
    for (const line of text.slice(logOffset).split('\n')) {
      const sig = /Alarm (\S+), new state (\S+)/.exec(line);
      // Heat's own timestamp of the signal (the loopback services log in UTC), else when it was read.
      const stamp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+)/.exec(line);
      const at = stamp ? Date.parse(`${stamp[1]}T${stamp[2]}Z`) : Date.now();
      if (sig) signals.push({ t: (at - startedAt) / 1000, policy: sig[1] });
    }
    logOffset = text.length;
    const alarms = (await os.call('GET', `${cloud.info.aodh}/v2/alarms`)) as any[];
    const state = (n: string) => alarms.find((a) => String(a.name).startsWith(`${stackName}-${n}-`))?.state ?? 'missing';
    samples.push({ t: (Date.now() - startedAt) / 1000, members: ceilo.alive().length, idle: state('idle'), rush: state('web_rush_alarm') });
    await sleep(2000);
  }
  await os.call('DELETE', await os.heatUrl(`/stacks/${stackName}/${stackId}`), undefined, [204]);
  for (let i = 0; i < 120; i++) {
    const s = (await os.call('GET', await os.heatUrl(`/stacks/${stackName}/${stackId}`))).stack;
    if (!String(s.stack_status).endsWith('IN_PROGRESS')) {
      if (s.stack_status !== 'DELETE_COMPLETE') leftovers.push(`stack ${s.stack_status}`);
      break;
    }
    await sleep(1000);
  }
  let last = '';
  for (const s of samples) {
    const row = `${s.members} ${s.idle} ${s.rush}`;
    if (row !== last) console.log(`t=${s.t.toFixed(1)}s members=${s.members} idle=${s.idle} rush=${s.rush}`);
    last = row;
  }
  console.log(`signals: ${signals.map((s) => `${s.policy}@${s.t.toFixed(1)}`).join(' ')}`);
}, 1_200_000);

afterAll(async () => {
  await cloud?.stop();
});

const HOLD = HOLD_MINUTES * 60;
const firstAt = (pred: (s: Sample) => boolean, from = -Infinity) => samples.find((s) => s.t >= from && pred(s))?.t;

/** Aodh opens a window up to 60 s before its cron start (`_is_exact_match`). */
const EARLY = 60;

describe('scaleOnSchedule on the real loop', () => {
  it('keeps the group at minSize before the window opens (the scale-in alarm holds it there)', () => {
    const before = samples.filter((s) => s.t < -EARLY && s.t > -EARLY - 60);
    expect(before.length).toBeGreaterThan(5);
    expect(before.every((s) => s.members === 1)).toBe(true);
    expect(signals.filter((s) => s.policy === 'web_rush_policy' && s.t < -EARLY)).toEqual([]);
  });

  it("signals the schedule's exact-capacity policy within the window and Heat sets the group to 3", () => {
    const first = signals.find((s) => s.policy === 'web_rush_policy');
    expect(first).toBeDefined();
    console.log(`first schedule signal ${first!.t.toFixed(1)} s after the start; group at 3 at ${firstAt((s) => s.members === 3)?.toFixed(1)} s`);
    expect(first!.t).toBeGreaterThanOrEqual(-EARLY);
    expect(first!.t).toBeLessThan(trigger);
    const at3 = firstAt((s) => s.members === 3, -EARLY);
    expect(at3).toBeDefined();
    expect(at3!).toBeLessThan(trigger);
  });

  it('holds the group at 3 until the hold ends, though the scale-in alarm always holds', () => {
    const at3 = firstAt((s) => s.members === 3, -EARLY)!;
    const held = samples.filter((s) => s.t > at3 && s.t < HOLD);
    expect(held.length).toBeGreaterThan(20);
    expect(held.every((s) => s.members === 3)).toBe(true);
    expect(signals.filter((s) => s.policy === 'web_scale_in' && s.t > at3 && s.t < HOLD)).toEqual([]);
  });

  it('returns to minSize after the hold (the scale-in alarm is evaluated again)', () => {
    const back = firstAt((s) => s.members === 1, HOLD);
    expect(back).toBeDefined();
    const resumed = signals.find((s) => s.policy === 'web_scale_in' && s.t >= HOLD);
    console.log(`scale-in resumed ${(resumed!.t - HOLD).toFixed(1)} s after the hold ended; back at 1 server ${(back! - HOLD).toFixed(1)} s after it`);
    expect(back! - HOLD).toBeLessThan(360);
    expect(leftovers).toEqual([]);
  });
});
