/**
 * Autohealing on the real Heat and Aodh of the loop: Keystone, Heat 19, Gnocchi and Aodh 15 on
 * loopback, and a stand-in Octavia API (test/loop/octavia.ts) in Keystone's catalog.
 *
 * GIVEN an ApiTier with readiness (autohealing on by default), its template with Nova, Neutron,
 *       Octavia and the readiness wait condition mapped to OS::Heat::None, two members
 * WHEN  the stand-in Octavia reports one member of the pool `operating_status: ERROR`
 * THEN  Aodh's `loadbalancer_member_health` evaluator finds it once the member is older than
 *       Aodh's grace period, its `trust+heat://` notifier marks the member unhealthy and updates
 *       the stack, and Heat replaces that member (new member stack and server) while the group
 *       keeps its size and the other member is untouched; the alarm then returns to ok and nothing
 *       else is replaced.
 */
import { ApiTier, App, Flavor, Image, Stack, synthesizeHeat, heatFiles, VirtualNetwork } from '../../src';
import { prepareGnocchi } from './ceilometer';
import { ensureTelemetry, startCloud, type Cloud } from './harness';
import { registerLoadBalancerEndpoint, StandInOctavia, type StandInMember } from './octavia';
import { OpenStack } from './openstack';

/** Aodh's `[evaluator] evaluation_interval` here (Aodh's default is 60 s). */
const EVALUATION_SECONDS = 10;
/** Aodh's default `[DEFAULT] member_creation_time` (aodh `evaluator/loadbalancer.py` OPTS), untouched by the loop. */
const AODH_GRACE_SECONDS = 120;
const NONE_TYPES = ['OS::Nova::*', 'OS::Neutron::*', 'OS::Octavia::*', 'OS::Heat::WaitCondition'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface HeatResource {
  resource_name: string;
  resource_type: string;
  physical_resource_id: string;
  resource_status: string;
  parent_resource?: string;
  creation_time: string;
}

interface Member {
  /** Name of the member's nested stack resource in the group. */
  name: string;
  /** The member's nested stack id. */
  stackId: string;
  /** The member's server (an OS::Heat::None id). */
  serverId: string;
  /** Its pool member: the id the stand-in Octavia reports. */
  poolMemberId: string;
  poolMemberCreated: string;
}

interface Observed {
  template: any;
  groupName: string;
  alarmName: string;
  before: Member[];
  after: Member[];
  victim: Member;
  /** Seconds, from the moment the stand-in reported the victim ERROR. */
  eligibleAt: number;
  alarmAt?: number;
  updateSeenAt?: number;
  replacedAt?: number;
  finalStatus: string;
  aodhLog: string;
  memberRequests: number[];
  poolId: string;
  laterMembers: Member[];
  laterAlarmState: string;
  stackEvents: string[];
}

let cloud: Cloud | undefined;
const octavia = new StandInOctavia();
let observed: Observed | undefined;

function synthesize(): { template: any; files: Record<string, string>; environment: any; groupName: string; alarmName: string } {
  const app = new App();
  const stack = new Stack(app, 'heal');
  const network = new VirtualNetwork(stack, 'Network', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
  new ApiTier(stack, 'Api', {
    image: Image.fromName('ubuntu-22.04'),
    flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
    subnet: network.subnet,
    externalNetworkName: 'public',
    minSize: 2,
    maxSize: 4,
    readiness: { command: 'curl -fsS -o /dev/null http://127.0.0.1/healthz' },
  });
  const syn = synthesizeHeat(stack);
  const files = heatFiles(syn);
  delete files[`${syn.stackName}.yaml`];
  delete files[`${syn.stackName}.env.yaml`];
  const resources = syn.template.resources as Record<string, any>;
  const groupName = Object.keys(resources).find((n) => resources[n].type === 'OS::Heat::AutoScalingGroup')!;
  const alarmName = Object.keys(resources).find((n) => resources[n].type === 'OS::Aodh::LBMemberHealthAlarm')!;
  const environment = { ...syn.environment, resource_registry: Object.fromEntries(NONE_TYPES.map((t) => [t, 'OS::Heat::None'])) };
  return { template: JSON.parse(JSON.stringify(syn.template)), files, environment, groupName, alarmName };
}

/** The group's members as Heat has them now: member stack, server, pool member. */
async function membersOf(os: OpenStack, groupStackId: string): Promise<Member[]> {
  const inGroup = ((await os.call('GET', await os.heatUrl(`/stacks/${groupStackId}/resources`))).resources as HeatResource[]).filter(
    (r) => !r.resource_status.startsWith('DELETE') && r.physical_resource_id,
  );
  const out: Member[] = [];
  for (const m of inGroup) {
    const inMember = ((await os.call('GET', await os.heatUrl(`/stacks/${m.physical_resource_id}/resources`))).resources as HeatResource[]);
    const server = inMember.find((r) => r.resource_type === 'OS::Nova::Server');
    const poolMember = inMember.find((r) => r.resource_type === 'OS::Octavia::PoolMember');
    if (!server?.physical_resource_id || !poolMember?.physical_resource_id) continue;
    out.push({ name: m.resource_name, stackId: m.physical_resource_id, serverId: server.physical_resource_id, poolMemberId: poolMember.physical_resource_id, poolMemberCreated: poolMember.creation_time });
  }
  return out.sort((a, b) => a.poolMemberCreated.localeCompare(b.poolMemberCreated) || a.name.localeCompare(b.name));
}

async function waitStack(os: OpenStack, stackPath: string, timeoutMs: number): Promise<any> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = (await os.call('GET', await os.heatUrl(`/stacks/${stackPath}`))).stack;
    if (!String(s.stack_status).endsWith('IN_PROGRESS')) return s;
    if (Date.now() > end) throw new Error(`stack ${stackPath} still ${s.stack_status}`);
    await sleep(1000);
  }
}

/** Heat's creation_time (UTC, no zone) as epoch ms. */
const heatTime = (t: string) => Date.parse(t.endsWith('Z') ? t : `${t}Z`);

beforeAll(async () => {
  ensureTelemetry();
  cloud = await startCloud({ evaluationInterval: EVALUATION_SECONDS, metricProcessingDelay: 1 });
  await octavia.start();
  // Register before anything asks: a fresh client, so no token predates the catalog change.
  await registerLoadBalancerEndpoint(new OpenStack(cloud.info), octavia.endpoint);
  const os = new OpenStack(cloud.info);
  // Aodh checks the CPU alarms' Gnocchi query at create: the instance resource type must exist.
  await prepareGnocchi(os, 'loop-heal-60s', 60);
  const t = synthesize();
  const stackName = 'heal';
  const created = await os.call('POST', await os.heatUrl('/stacks'), { stack_name: stackName, template: t.template, files: t.files, environment: t.environment, timeout_mins: 20 });
  const stackPath = `${stackName}/${created.stack.id}`;
  const s = await waitStack(os, stackPath, 300_000);
  if (s.stack_status !== 'CREATE_COMPLETE') throw new Error(`${stackName}: ${s.stack_status} ${s.stack_status_reason}\n${cloud.log('heat-app').slice(-4000)}`);
  const res = async (name: string) => (await os.call('GET', await os.heatUrl(`/stacks/${stackPath}/resources/${name}`))).resource;
  const groupStackId: string = (await res(t.groupName)).physical_resource_id;
  const poolName = t.template.resources[t.alarmName].properties.pool.get_resource as string;
  const poolId: string = (await res(poolName)).physical_resource_id;
  const alarmId: string = (await res(t.alarmName)).physical_resource_id;

  const before = await membersOf(os, groupStackId);
  const victim = before[0];
  // The stand-in reports what Heat holds: every current pool member ONLINE, the victim ERROR.
  let current = before;
  const publish = () =>
    octavia.setMembers(
      poolId,
      current.map((m): StandInMember => ({ id: m.poolMemberId, created_at: m.poolMemberCreated.replace(/Z$/, ''), operating_status: m.poolMemberId === victim.poolMemberId ? 'ERROR' : 'ONLINE' })),
    );
  publish();
  const errorMs = Date.now();
  const since = (ms: number) => Math.round((ms - errorMs) / 100) / 10;
  const eligibleAt = since(heatTime(victim.poolMemberCreated) + AODH_GRACE_SECONDS * 1000);

  let alarmAt: number | undefined;
  let updateSeenAt: number | undefined;
  let replacedAt: number | undefined;
  let after: Member[] = before;
  const end = Date.now() + 600_000;
  while (Date.now() < end) {
    await sleep(1000);
    const alarm = await os.call('GET', `${cloud.info.aodh}/v2/alarms/${alarmId}`);
    if (alarmAt === undefined && alarm.state === 'alarm') alarmAt = since(Date.now());
    const st = (await os.call('GET', await os.heatUrl(`/stacks/${stackPath}`))).stack;
    if (updateSeenAt === undefined && String(st.stack_status).startsWith('UPDATE')) updateSeenAt = since(Date.now());
    current = await membersOf(os, groupStackId);
    publish();
    if (st.stack_status === 'UPDATE_COMPLETE' && !current.some((m) => m.stackId === victim.stackId)) {
      replacedAt = since(Date.now());
      after = current;
      break;
    }
    if (st.stack_status === 'UPDATE_FAILED') throw new Error(`stack update failed: ${st.stack_status_reason}`);
  }
  // After the replacement: every member ONLINE; nothing else may be replaced.
  await sleep(3 * EVALUATION_SECONDS * 1000);
  const laterMembers = await membersOf(os, groupStackId);
  const laterAlarmState = (await os.call('GET', `${cloud.info.aodh}/v2/alarms/${alarmId}`)).state;
  const events = ((await os.call('GET', await os.heatUrl(`/stacks/${stackPath}/events?nested_depth=2&sort_dir=asc&limit=500`))).events as any[]).map(
    (e) => `${e.event_time} ${e.resource_name} ${e.resource_status} ${e.resource_status_reason ?? ''}`,
  );
  // What Aodh did, from its own log (aodh `evaluator/__init__.py` `_refresh`, `notifier/heat.py`), in seconds since ERROR.
  const aodhLog = cloud.log('aodh-app');
  const loggedAt = (pattern: RegExp, after = -Infinity): number | undefined => {
    for (const line of aodhLog.split('\n')) {
      if (!pattern.test(line) || !line.includes(alarmId)) continue;
      const stamp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+)/.exec(line);
      const t = stamp ? since(Date.parse(`${stamp[1]}T${stamp[2]}Z`)) : undefined;
      if (t !== undefined && t >= after) return t;
    }
    return undefined;
  };
  const toAlarm = loggedAt(/transitioning to alarm/);
  const aodhFigures = {
    transitionToAlarm: toAlarm,
    markedUnhealthy: loggedAt(/is marked as unhealthy/),
    stackUpdateCalled: loggedAt(/Heat stack \S+ is updated/),
    transitionToOk: toAlarm === undefined ? undefined : loggedAt(/transitioning to ok/, toAlarm),
  };
  // Heat's events (UTC, whole seconds): the replacement member stack created, the old member deleted.
  const rawEvents = (await os.call('GET', await os.heatUrl(`/stacks/${stackPath}/events?nested_depth=2&sort_dir=asc&limit=500`))).events as any[];
  const eventAt = (match: (e: any) => boolean): number | undefined => {
    const e = rawEvents.find((x) => match(x) && heatTime(String(x.event_time).replace(/Z$/, '')) >= errorMs - 1000);
    return e ? since(heatTime(String(e.event_time).replace(/Z$/, ''))) : undefined;
  };
  const heatFigures = {
    markedCheckFailed: eventAt((e) => e.resource_name === victim.name && e.resource_status === 'CHECK_FAILED'),
    replacementCreated: eventAt((e) => String(e.resource_name).includes(`-${victim.name}-`) && e.resource_status === 'CREATE_COMPLETE'),
    oldMemberDeleted: eventAt((e) => e.resource_name === victim.name && e.resource_status === 'DELETE_COMPLETE'),
  };
  const memberRequests = octavia.requests.filter((r) => r.path === `/v2.0/lbaas/pools/${poolId}/members`).map((r) => since(r.at));
  observed = {
    template: t.template,
    groupName: t.groupName,
    alarmName: t.alarmName,
    before,
    after,
    victim,
    eligibleAt,
    alarmAt,
    updateSeenAt,
    replacedAt,
    finalStatus: (await os.call('GET', await os.heatUrl(`/stacks/${stackPath}`))).stack.stack_status,
    aodhLog,
    memberRequests,
    poolId,
    laterMembers,
    laterAlarmState,
    stackEvents: events,
  };
  console.log(
    JSON.stringify(
      {
        figures: {
          evaluationSeconds: EVALUATION_SECONDS,
          graceSeconds: AODH_GRACE_SECONDS,
          eligibleAtSeconds: eligibleAt,
          alarmAtSeconds: alarmAt,
          stackUpdateSeenAtSeconds: updateSeenAt,
          replacedAtSeconds: replacedAt,
          aodhLogSeconds: aodhFigures,
          heatEventSeconds: heatFigures,
          replacementAfterEligibleSeconds: replacedAt !== undefined ? Math.round((replacedAt - Math.max(0, eligibleAt)) * 10) / 10 : undefined,
        },
        before: before.map((m) => `${m.name} server ${m.serverId}`),
        after: after.map((m) => `${m.name} server ${m.serverId}`),
        memberListsByAodh: memberRequests.length,
        alarmLaterState: laterAlarmState,
      },
      null,
      1,
    ),
  );
  console.log(events.filter((e) => !e.includes('CREATE_IN_PROGRESS')).slice(-30).join('\n'));
  await os.call('DELETE', await os.heatUrl(`/stacks/${stackPath}`), undefined, [204]).catch(() => undefined);
  await waitStack(os, stackPath, 300_000).catch(() => undefined);
}, 1_500_000);

afterAll(async () => {
  await octavia.stop();
  await cloud?.stop();
});

describe('autohealing of an API tier on the real Heat and Aodh', () => {
  const o = () => observed!;

  it('renders one LBMemberHealthAlarm on the pool, the root stack and the group, acting through trust+heat', () => {
    const alarm = o().template.resources[o().alarmName];
    expect(alarm.properties).toMatchObject({
      stack: { get_param: 'OS::stack_id' },
      autoscaling_group_id: { get_resource: o().groupName },
      alarm_actions: ['trust+heat://'],
      repeat_actions: false,
    });
    expect(alarm.properties.pool).toEqual({ get_resource: expect.stringMatching(/pool$/) });
  });

  it("lets Aodh's evaluator read the pool's members from the stand-in Octavia", () => {
    expect(o().memberRequests.length).toBeGreaterThan(0);
  });

  it('waits for the grace period: nothing happens before the ERROR member is older than member_creation_time', () => {
    expect(o().alarmAt).toBeDefined();
    expect(o().alarmAt!).toBeGreaterThanOrEqual(o().eligibleAt - 1);
  });

  it("marks the member unhealthy and updates the stack through Aodh's Heat notifier", () => {
    expect(o().aodhLog).toContain(`Heat resource ${o().victim.name} is marked as unhealthy`);
    expect(o().aodhLog).toMatch(/Heat stack \S+ is updated for alarm/);
  });

  it('replaces that member: new member stack and server, the other member untouched, the group size unchanged', () => {
    expect(o().replacedAt).toBeDefined();
    expect(o().finalStatus).toBe('UPDATE_COMPLETE');
    const after = o().after;
    expect(after).toHaveLength(o().before.length);
    expect(after.map((m) => m.stackId)).not.toContain(o().victim.stackId);
    expect(after.map((m) => m.serverId)).not.toContain(o().victim.serverId);
    const others = o().before.filter((m) => m !== o().victim);
    for (const m of others) expect(after.map((a) => a.stackId)).toContain(m.stackId);
  });

  it('settles: the alarm returns to ok and nothing else is replaced once every member is ONLINE', () => {
    expect(o().laterAlarmState).toBe('ok');
    expect(o().laterMembers.map((m) => m.stackId).sort()).toEqual(o().after.map((m) => m.stackId).sort());
  });
});
