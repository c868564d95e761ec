/**
 * Runs one load trace against one autoscaling group of an example on the loopback cloud and
 * records what happened as a timeline (the format the simulator of issue 12 calibrates against).
 *
 * Time scale: every duration of the synthesized template (alarm granularity, group and policy
 * cooldowns) is divided by `timeScale`, and so are the thresholds (CPU-nanoseconds per period
 * scale with the period); Aodh evaluates every 60/timeScale s, the stand-in polls every
 * granularity, members boot in bootSeconds/timeScale. A test second is `timeScale` cloud seconds;
 * Heat's own latency (a resize takes a few real seconds) is the one thing that does not shrink.
 */
import * as fs from 'fs';
import * as yaml from 'js-yaml';
import * as path from 'path';
import { App, synthesizeHeat, heatFiles } from '../../src';
import { exampleStack, type Example } from '../../examples';
import { prepareGnocchi, StandInCeilometer } from './ceilometer';
import type { Cloud } from './harness';
import { OpenStack } from './openstack';

/** Demand over time, in vCPUs of work, as a function of cloud seconds since the start. */
export interface Trace {
  readonly name: string;
  /** Length in cloud seconds. */
  readonly durationSeconds: number;
  /** Cloud seconds after which the load is gone for good (the group must return to minSize). */
  readonly loadEndsAt: number;
  demand(cloudSeconds: number): number;
}

/** What one member serves at the scale-out threshold, and the demand that needs `n` members. */
export function neededSize(demand: number, capacityPerMember: number): number {
  return Math.ceil(demand / capacityPerMember - 1e-9);
}

/** A deterministic noise source (mulberry32), so a trace is the same on every run. */
function noise(seed: number): (i: number) => number {
  return (i: number) => {
    let a = (seed + i * 0x6d2b79f5) | 0;
    a = Math.imul(a ^ (a >>> 15), a | 1);
    a ^= a + Math.imul(a ^ (a >>> 7), a | 61);
    return ((a ^ (a >>> 14)) >>> 0) / 4294967296;
  };
}

/** The three traces, for a group whose members serve `capacity` vCPUs each at the scale-out threshold. */
export function traces(base: number, peak: number): Trace[] {
  const n = noise(11);
  return [
    {
      // The "TV spot": demand jumps, holds for an hour, drops.
      name: 'step',
      durationSeconds: 10800,
      loadEndsAt: 4200,
      demand: (s) => (s >= 600 && s < 4200 ? peak : base),
    },
    {
      name: 'ramp',
      durationSeconds: 10800,
      loadEndsAt: 5400,
      demand: (s) => (s < 600 ? base : s < 2400 ? base + ((peak - base) * (s - 600)) / 1800 : s < 4200 ? peak : s < 5400 ? peak - ((peak - base) * (s - 4200)) / 1200 : base),
    },
    {
      // Half the peak, +-15 % noise every 5 minutes.
      name: 'noisy',
      durationSeconds: 10800,
      loadEndsAt: 4200,
      demand: (s) => (s >= 600 && s < 4200 ? (peak / 2) * (0.85 + 0.3 * n(Math.floor(s / 300))) : base),
    },
  ];
}

export interface TimelineSample {
  t: number;
  kind: 'sample';
  demand: number;
  members: number;
  ready: number;
  served: number;
  alarms: Record<string, string>;
}
export interface TimelineSignal {
  t: number;
  kind: 'signal';
  policy: string;
  result: string;
}
export interface Timeline {
  example: string;
  group: string;
  trace: string;
  timeScale: number;
  config: {
    granularity: number;
    evaluationPeriods: number;
    /** Cooldown of the scale-out policies (cloud seconds). */
    cooldown: number;
    /** Cooldown of the scale-in policy (cloud seconds). */
    scaleInCooldown?: number;
    /** The group's alarm-driven policies: logical name -> adjustment. */
    policies?: Record<string, { type: string; adjustment: number; minStep?: number; cooldown: number }>;
    /** Member CPU utilization (%) at which the faster scale-out policy takes over, if there is one. */
    saturationPercent?: number;
    bootSeconds: number;
    minSize: number;
    maxSize: number;
    capacityPerMember: number;
  };
  events: Array<TimelineSample | TimelineSignal>;
}

/** What the runner needs to know of the group under test. */
export interface GroupUnderTest {
  readonly example: string;
  /** The example (see examples/index.ts), built into a Scaleout `Stack` of its own. */
  readonly source: Example;
  /** Logical name of the OS::Heat::AutoScalingGroup in the main template. */
  readonly group: string;
  readonly vcpus: number;
  /** Cloud seconds from a member's creation until it serves (boot + cloud-init). */
  readonly bootSeconds: number;
  /** vCPUs of work one member carries at the scale-out threshold. */
  readonly capacityPerMember: number;
}

const NONE_TYPES = ['OS::Nova::*', 'OS::Neutron::*', 'OS::Octavia::*', 'OS::Swift::*', 'OS::Trove::*', 'OS::Zaqar::*'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The example's HOT with every period divided by `scale`, and the environment mapping what the loop cannot run to OS::Heat::None. */
export function scaledTemplates(g: GroupUnderTest, scale: number): { template: any; files: Record<string, string>; environment: any; config: Timeline['config'] } {
  const syn = synthesizeHeat(exampleStack(g.source, new App()));
  const template = JSON.parse(JSON.stringify(syn.template));
  const res = template.resources as Record<string, any>;
  const group = res[g.group];
  if (!group) throw new Error(`no group ${g.group} in ${g.example}`);
  let granularity = 0;
  let evaluationPeriods = 0;
  const cooldown = group.properties.cooldown;
  group.properties.cooldown = cooldown / scale;
  // Alarm periods and thresholds (ns per period) shrink with the time scale, in the group's template and in the member's.
  const scaleAlarm = (r: any) => {
    if (typeof r.type !== 'string' || !r.type.startsWith('OS::Aodh::')) return;
    const rules = r.type === 'OS::Aodh::CompositeAlarm' ? r.properties.composite_rule.rules : [r.properties];
    for (const rule of rules) {
      if (rule.granularity !== undefined) {
        granularity = rule.granularity;
        evaluationPeriods = Math.max(evaluationPeriods, rule.evaluation_periods ?? 1);
        rule.granularity = rule.granularity / scale;
        rule.threshold = rule.threshold / scale;
      }
    }
  };
  for (const r of Object.values(res)) {
    if (r.type === 'OS::Heat::ScalingPolicy' && r.properties.cooldown !== undefined) r.properties.cooldown = r.properties.cooldown / scale;
    scaleAlarm(r);
  }
  const files = heatFiles(syn);
  delete files[`${syn.stackName}.yaml`];
  delete files[`${syn.stackName}.env.yaml`];
  const memberFile = String(group.properties.resource.type);
  const member = yaml.load(files[memberFile]!) as any;
  for (const r of Object.values(member.resources as Record<string, any>)) {
    scaleAlarm(r);
    // The drain before a member's server is deleted is a period too.
    if (r.type === 'OS::Heat::Delay' && typeof r.properties?.min_wait === 'number') r.properties.min_wait = r.properties.min_wait / scale;
  }
  files[memberFile] = yaml.dump(member, { lineWidth: -1, noRefs: true });
  const environment = { ...syn.environment, resource_registry: Object.fromEntries(NONE_TYPES.map((t) => [t, 'OS::Heat::None'])) };
  const groupName = g.group;
  const policies: NonNullable<Timeline['config']['policies']> = {};
  for (const [n, r] of Object.entries(res)) {
    if (r.type !== 'OS::Heat::ScalingPolicy' || r.properties.auto_scaling_group_id?.get_resource !== groupName) continue;
    policies[n] = { type: r.properties.adjustment_type, adjustment: r.properties.scaling_adjustment, minStep: r.properties.min_adjustment_step, cooldown: (r.properties.cooldown ?? cooldown / scale) * scale };
  }
  // The webhook policies (`<group>_scale_out`/`_in`, for a user's own monitor) are not alarm-driven.
  const alarmPolicies = Object.entries(policies).filter(([n]) => n !== `${groupName}_scale_out` && n !== `${groupName}_scale_in`);
  let saturationPercent: number | undefined;
  for (const r of Object.values(member.resources as Record<string, any>)) {
    if (r.type === 'OS::Aodh::GnocchiResourcesAlarm' && r.properties.comparison_operator === 'ge') {
      saturationPercent = Math.round((r.properties.threshold * scale * 100) / (granularity * 1e9 * g.vcpus));
    }
  }
  const outCooldowns = alarmPolicies.filter(([, p]) => p.adjustment > 0).map(([, p]) => p.cooldown);
  const inCooldowns = alarmPolicies.filter(([, p]) => p.adjustment < 0).map(([, p]) => p.cooldown);
  return {
    template,
    files,
    environment,
    config: {
      granularity,
      evaluationPeriods,
      cooldown: outCooldowns.length > 0 ? Math.max(...outCooldowns) : cooldown,
      scaleInCooldown: inCooldowns.length > 0 ? Math.max(...inCooldowns) : cooldown,
      policies: Object.fromEntries(alarmPolicies),
      saturationPercent,
      bootSeconds: g.bootSeconds,
      minSize: group.properties.min_size,
      maxSize: group.properties.max_size,
      capacityPerMember: g.capacityPerMember,
    },
  };
}

async function waitStack(os: OpenStack, name: string, id: string, timeoutMs = 180_000, pollMs = 1000): Promise<any> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = (await os.call('GET', await os.heatUrl(`/stacks/${name}/${id}`))).stack;
    if (!String(s.stack_status).endsWith('IN_PROGRESS')) return s;
    if (Date.now() > end) throw new Error(`stack ${name} still ${s.stack_status}`);
    await sleep(pollMs);
  }
}

/** Runs `trace` on a fresh stack; returns the timeline and whether anything was left behind. */
export async function runTrace(cloud: Cloud, g: GroupUnderTest, trace: Trace, scale: number, peakMembers: number): Promise<{ timeline: Timeline; leftovers: string[] }> {
  const os = new OpenStack(cloud.info);
  const t = scaledTemplates(g, scale);
  const granularity = t.config.granularity / scale;
  const archivePolicy = `loop-low-rate-${granularity}s`;
  await prepareGnocchi(os, archivePolicy, granularity);
  const stackName = `${g.example}-${trace.name}`;
  const created = await os.call('POST', await os.heatUrl('/stacks'), {
    stack_name: stackName,
    template: t.template,
    files: t.files,
    environment: t.environment,
    timeout_mins: 30,
  });
  const stackId: string = created.stack.id;
  const s = await waitStack(os, stackName, stackId);
  if (s.stack_status !== 'CREATE_COMPLETE') throw new Error(`${stackName}: ${s.stack_status} ${s.stack_status_reason}`);
  const groupRes = (await os.call('GET', await os.heatUrl(`/stacks/${stackName}/${stackId}/resources/${g.group}`))).resource;
  const nestedId: string = groupRes.physical_resource_id;
  const serverGroup = `${stackId}-${g.group}`;
  const startMs = Date.now();
  const now = () => (Date.now() - startMs) / 1000;
  const ceilo = new StandInCeilometer(os, {
    archivePolicy,
    pollSeconds: granularity,
    hosts: 3,
    load: { vcpus: g.vcpus, bootSeconds: g.bootSeconds / scale, idleVcpus: 0.02 },
    startMs,
  });
  const alarmNames = Object.entries(t.template.resources as Record<string, any>)
    .filter(([, r]) => String(r.type).startsWith('OS::Aodh::'))
    .map(([n]) => n);
  const memberDoc = yaml.load(t.files[String(t.template.resources[g.group].properties.resource.type)]!) as any;
  const memberAlarmNames = Object.entries(memberDoc.resources as Record<string, any>)
    .filter(([, r]) => String(r.type).startsWith('OS::Aodh::'))
    .map(([n]) => n);
  const policyNames = new Set(
    Object.entries(t.template.resources as Record<string, any>)
      .filter(([, r]) => r.type === 'OS::Heat::ScalingPolicy')
      .map(([n]) => n),
  );
  const events: Timeline['events'] = [];
  let logOffset = cloud.log('heat-app').length;
  let pending: TimelineSignal | undefined;
  let lastMembers = -1;
  const serverGroups = new Map<string, { serverId: string; serverGroup: string }>();

  const listMembers = async (): Promise<Array<{ id: string; serverGroup: string }>> => {
    const list = (await os.call('GET', await os.heatUrl(`/stacks/${nestedId}/resources`))).resources as any[];
    const out: Array<{ id: string; serverGroup: string }> = [];
    for (const r of list) {
      if (!r.physical_resource_id || String(r.resource_status).startsWith('DELETE') || r.resource_action === 'DELETE') continue;
      let known = serverGroups.get(r.physical_resource_id);
      // A member whose nested stack is still being created has no server to poll yet; asking
      // for its stack (outputs resolved on every show) at every listing loads the one Heat
      // process the loop shares with the stacks under test.
      if (known === undefined && !String(r.resource_status).endsWith('COMPLETE')) continue;
      if (known === undefined) {
        // Ceilometer's instance resource is the Nova server (the member's `server_id` output), and
        // its server_group is the server's metering.server_group: the member's `server_group` parameter.
        const member = (await os.call('GET', await os.heatUrl(`/stacks/${r.physical_resource_id}`))).stack;
        if (!String(member.stack_status).endsWith('COMPLETE')) continue;
        const serverId = (member.outputs as any[] | undefined)?.find((o) => o.output_key === 'server_id')?.output_value;
        if (!serverId) continue;
        known = { serverId: String(serverId), serverGroup: String(member.parameters.server_group) };
        serverGroups.set(r.physical_resource_id, known);
      }
      out.push({ id: known.serverId, serverGroup: known.serverGroup });
    }
    return out;
  };

  // Heat logs "Alarm <policy>, new state <state>" for every signal, then "<policy> alarm,
  // adjusting group <group> with id <group id>" when it passes the policy on (heat
  // `scaling_policy.py` `handle_signal`): the group id tells this stack's signals from the other
  // stacks' (same logical names), and the refusal that follows names the outcome.
  const unattributed = new Map<string, number[]>();
  const readSignals = (t: number): void => {
    const text = cloud.log('heat-app');
    const chunk = text.slice(logOffset);
    logOffset = text.length;
    for (const line of chunk.split('\n')) {
      const sig = /Alarm (\S+), new state (\S+)/.exec(line);
      if (sig && policyNames.has(sig[1])) {
        unattributed.set(sig[1], [...(unattributed.get(sig[1]) ?? []), t]);
        continue;
      }
      const adj = /(\S+) alarm, adjusting group \S+ with id (\S+)/.exec(line);
      if (adj && policyNames.has(adj[1])) {
        const queue = unattributed.get(adj[1]) ?? [];
        const at = queue.shift() ?? t;
        unattributed.set(adj[1], queue);
        if (adj[2] === nestedId) {
          pending = { t: at, kind: 'signal', policy: adj[1], result: 'accepted' };
          events.push(pending);
        } else {
          pending = undefined;
        }
        continue;
      }
      if (!pending) continue;
      if (line.includes('is in cooldown') || line.includes('cooldown')) pending.result = 'ignored: cooldown';
      else if (line.includes('no change in capacity')) pending.result = 'ignored: no change in capacity';
      else if (line.includes('is already in scaling') || line.includes('already in scaling')) pending.result = 'ignored: scaling in progress';
      else if (line.includes('status is not COMPLETE')) pending.result = 'ignored: group not complete';
      else continue;
      pending = undefined;
    }
  };

  const end = trace.durationSeconds / scale;
  let lastList = -Infinity;
  let nextSample = 0;
  while (now() < end) {
    const tt = now();
    const demand = trace.demand(tt * scale);
    // Every 4 s (40 cloud seconds at time scale 10): a member starts its boot delay at most that
    // late, against a 180 s boot and a 300 s poll interval.
    if (tt - lastList >= 4) {
      lastList = tt;
      await ceilo.reconcile(tt, await listMembers());
    }
    const served = await ceilo.step(tt, demand);
    readSignals(tt);
    const members = ceilo.alive().length;
    if (members !== lastMembers) {
      const accepted = [...events].reverse().find((e): e is TimelineSignal => e.kind === 'signal' && e.result === 'accepted');
      if (accepted && lastMembers >= 0) accepted.result = `scaled ${lastMembers}->${members}`;
      lastMembers = members;
    }
    if (tt >= nextSample) {
      nextSample += 2;
      const alarms: Record<string, string> = {};
      const list = (await os.call('GET', `${cloud.info.aodh}/v2/alarms`)) as any[];
      for (const name of alarmNames) {
        const a = list.find((x) => String(x.name).startsWith(`${stackName}-${name}-`));
        alarms[name] = a ? a.state : 'missing';
      }
      // Per-member alarms: how many members' alarms are in each state, e.g. "alarm 3, ok 7".
      for (const name of memberAlarmNames) {
        const mine = list.filter((x) => String(x.name).startsWith(`${stackName}-${g.group}-`) && String(x.name).includes(`-${name}-`));
        const counts = new Map<string, number>();
        for (const a of mine) counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
        alarms[name] = [...counts.entries()].sort().map(([k, v]) => `${k === 'insufficient data' ? 'insuf' : k} ${v}`).join(', ') || 'none';
      }
      events.push({ t: round(tt), kind: 'sample', demand: round(demand), members, ready: ceilo.ready(tt).length, served: round(served), alarms });
    }
    await sleep(250);
  }
  for (const e of events) e.t = round(e.t);

  // Keep the evidence before cleaning up: the timeline is written even if the delete fails.
  const early: Timeline = { example: g.example, group: g.group, trace: trace.name, timeScale: scale, config: t.config, events };
  writeTimeline(early, process.env.LOOP_SUFFIX ?? '');
  // Delete the stack; every member must be gone from Heat and ended in Gnocchi.
  const leftovers: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      await os.call('DELETE', await os.heatUrl(`/stacks/${stackName}/${stackId}`), undefined, [204]);
      break;
    } catch (e) {
      if (attempt >= 3) {
        leftovers.push(`stack delete refused: ${String(e).slice(0, 200)}`);
        break;
      }
      await sleep(10_000);
    }
  }
  const deleted = await waitStack(os, stackName, stackId, 900_000, 5000).catch((e) => ({ stack_status: String(e) }));
  if (deleted.stack_status !== 'DELETE_COMPLETE') leftovers.push(`stack ${deleted.stack_status}`);
  await ceilo.reconcile(now(), []);
  const open = (await os.call('POST', `${cloud.info.gnocchi}/v1/search/resource/instance`, { and: [{ '=': { server_group: serverGroup } }, { '=': { ended_at: null } }] })) as any[];
  for (const r of open) leftovers.push(`gnocchi instance ${r.id} without ended_at`);
  const timeline: Timeline = { example: g.example, group: g.group, trace: trace.name, timeScale: scale, config: t.config, events };
  void peakMembers;
  return { timeline, leftovers };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Writes the timeline to test/loop/timelines/<example>-<group>-<trace><suffix>.json. */
export function writeTimeline(tl: Timeline, suffix = ''): string {
  const dir = path.join(__dirname, 'timelines');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${tl.example}-${tl.group}-${tl.trace}${suffix}.json`);
  fs.writeFileSync(file, JSON.stringify(tl, null, 1) + '\n');
  return file;
}

/** The timeline as a text table: one row per sample where something changed, and every signal. */
export function timelineTable(tl: Timeline): string {
  const alarmNames = Object.keys((tl.events.find((e) => e.kind === 'sample') as TimelineSample | undefined)?.alarms ?? {});
  const short = (s: string) => (s === 'insufficient data' ? 'insuf' : s);
  const rows = [`t(s)   cloud(min) demand needed members ready served  ${alarmNames.join(' ')}`];
  let last = '';
  for (const e of tl.events) {
    const cloudMin = ((e.t * tl.timeScale) / 60).toFixed(1).padStart(6);
    if (e.kind === 'signal') {
      rows.push(`${e.t.toFixed(1).padStart(6)} ${cloudMin}     signal ${e.policy}: ${e.result}`);
      continue;
    }
    const key = `${e.demand}|${e.members}|${e.ready}|${JSON.stringify(e.alarms)}`;
    if (key === last) continue;
    last = key;
    rows.push(
      `${e.t.toFixed(1).padStart(6)} ${cloudMin} ${e.demand.toFixed(2).padStart(6)} ${String(neededSize(e.demand, tl.config.capacityPerMember)).padStart(6)} ${String(e.members).padStart(7)} ${String(e.ready).padStart(5)} ${e.served.toFixed(2).padStart(6)}  ${alarmNames.map((n) => short(e.alarms[n])).join(' ')}`,
    );
  }
  return rows.join('\n');
}
