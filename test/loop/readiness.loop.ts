/**
 * Readiness in the real Heat: the member's `OS::Heat::WaitCondition` holds its pool member back
 * until the server signals the handle, and a failure signal fails the member with its reason.
 * Keystone and Heat (with Aodh and Gnocchi, which the group's alarms need) on loopback; Nova,
 * Neutron and Octavia are `OS::Heat::None`, and the test plays the server's cloud-init: it reads
 * the handle's `endpoint` and `token` attributes, as `curl_cli` would, and posts the signal.
 *
 * GIVEN an ApiTier with readiness, one member
 * WHEN  the member's server has not signalled
 * THEN  its wait condition waits and its pool member is not created
 * WHEN  the server signals SUCCESS
 * THEN  the pool member is created after the wait condition completes, and the stack completes
 * WHEN  (another stack) the server signals FAILURE with a reason
 * THEN  the member, the group and the stack fail, and the stack's reason carries the server's
 */
import { ApiTier, App, Duration, Flavor, Image, Stack, synthesizeHeat, heatFiles, VirtualNetwork } from '../../src';
import { prepareGnocchi } from './ceilometer';
import { ensureTelemetry, startCloud, type Cloud } from './harness';
import { OpenStack } from './openstack';

const NONE_TYPES = ['OS::Nova::*', 'OS::Neutron::*', 'OS::Octavia::*'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Outcome {
  waitingStatus: string;
  poolMemberWhileWaiting: string;
  finalStatus: string;
  finalReason: string;
  waitCompleted?: number;
  poolMemberCreated?: number;
}

let cloud: Cloud | undefined;
const outcomes: Record<'success' | 'failure', Outcome | undefined> = { success: undefined, failure: undefined };

function synthesize(name: string) {
  const stack = new Stack(new App(), name);
  const network = new VirtualNetwork(stack, 'Network', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
  new ApiTier(stack, 'Api', {
    image: Image.fromName('ubuntu-22.04'),
    flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
    subnet: network.subnet,
    externalNetworkName: 'public',
    minSize: 1,
    maxSize: 2,
    readiness: { command: 'curl -fsS -o /dev/null http://127.0.0.1/healthz', timeout: Duration.minutes(10) },
    autohealing: false,
  });
  const syn = synthesizeHeat(stack);
  const files = heatFiles(syn);
  delete files[`${syn.stackName}.yaml`];
  delete files[`${syn.stackName}.env.yaml`];
  const environment = { ...syn.environment, resource_registry: Object.fromEntries(NONE_TYPES.map((t) => [t, 'OS::Heat::None'])) };
  return { template: JSON.parse(JSON.stringify(syn.template)), files, environment };
}

const heatTime = (t: string) => Date.parse(t.endsWith('Z') ? t : `${t}Z`);

/** Creates the stack, waits for the member's wait condition, signals `status`, and records what Heat did. */
async function run(os: OpenStack, name: string, status: 'SUCCESS' | 'FAILURE'): Promise<Outcome> {
  const t = synthesize(name);
  const created = await os.call('POST', await os.heatUrl('/stacks'), { stack_name: name, template: t.template, files: t.files, environment: t.environment, timeout_mins: 20 });
  const stackPath = `${name}/${created.stack.id}`;
  // Find the member stack and its wait condition once Heat is waiting on it.
  let member: string | undefined;
  let wait: any;
  for (let i = 0; i < 240 && !wait; i++) {
    await sleep(1000);
    const list = (await os.call('GET', await os.heatUrl(`/stacks/${stackPath}/resources?nested_depth=2`))).resources as any[];
    const w = list.find((r) => r.resource_type === 'OS::Heat::WaitCondition' && r.resource_status === 'CREATE_IN_PROGRESS');
    if (w) {
      member = w.links.find((l: any) => l.rel === 'stack').href.split('/stacks/')[1];
      wait = w;
    }
  }
  if (!member || !wait) throw new Error(`${name}: no wait condition in progress after 240 s`);
  // Ten more seconds of silence: the wait condition must still wait, and no pool member exist.
  await sleep(10_000);
  const memberResources = async () => (await os.call('GET', await os.heatUrl(`/stacks/${member}/resources`))).resources as any[];
  const during = await memberResources();
  const waitingStatus = during.find((r) => r.resource_type === 'OS::Heat::WaitCondition').resource_status;
  const pm = during.find((r) => r.resource_type === 'OS::Octavia::PoolMember');
  const poolMemberWhileWaiting = pm ? pm.resource_status : 'absent';
  // The server's side: what curl_cli does, with the handle's endpoint and token.
  const handle = during.find((r) => r.resource_type === 'OS::Heat::WaitConditionHandle');
  const attrs = (await os.call('GET', await os.heatUrl(`/stacks/${member}/resources/${handle.resource_name}`))).resource.attributes;
  const res = await fetch(String(attrs.endpoint), {
    method: 'POST',
    headers: { 'X-Auth-Token': String(attrs.token), 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ status, reason: status === 'SUCCESS' ? 'ready' : 'readiness command failed: curl exit 7', id: '1' }),
  });
  if (res.status >= 300) throw new Error(`${name}: signal refused: ${res.status} ${await res.text()}`);
  // Wait for the stack to settle.
  let s: any;
  for (let i = 0; i < 300; i++) {
    s = (await os.call('GET', await os.heatUrl(`/stacks/${stackPath}`))).stack;
    if (!String(s.stack_status).endsWith('IN_PROGRESS')) break;
    await sleep(1000);
  }
  // Heat's events say when each resource's creation started and ended (a resource row's
  // creation_time is when the stack stored it, INIT_COMPLETE, not when it was created).
  const events = (await os.call('GET', await os.heatUrl(`/stacks/${member}/events?sort_dir=asc&limit=200`))).events as any[];
  const nameOf = (type: string) => during.find((r) => r.resource_type === type)?.resource_name;
  const at = (type: string, status: string) => events.find((e) => e.resource_name === nameOf(type) && e.resource_status === status);
  const waitDone = at('OS::Heat::WaitCondition', 'CREATE_COMPLETE');
  const pmStarted = at('OS::Octavia::PoolMember', 'CREATE_IN_PROGRESS');
  return {
    waitingStatus,
    poolMemberWhileWaiting,
    finalStatus: s.stack_status,
    finalReason: String(s.stack_status_reason),
    waitCompleted: waitDone ? heatTime(waitDone.event_time) : undefined,
    poolMemberCreated: pmStarted ? heatTime(pmStarted.event_time) : undefined,
  };
}

beforeAll(async () => {
  ensureTelemetry();
  cloud = await startCloud({ evaluationInterval: 60, metricProcessingDelay: 1 });
  const os = new OpenStack(cloud.info);
  // Aodh checks the CPU alarms' Gnocchi query at create: the instance resource type must exist.
  await prepareGnocchi(os, 'loop-ready-300s', 300);
  const [ok, failed] = await Promise.all([run(os, 'ready-success', 'SUCCESS'), run(os, 'ready-failure', 'FAILURE')]);
  outcomes.success = ok;
  outcomes.failure = failed;
  console.log(JSON.stringify(outcomes, null, 1));
}, 1_200_000);

afterAll(async () => {
  await cloud?.stop();
});

describe('readiness on the real Heat', () => {
  it('holds the member back while its server has not signalled: the wait condition waits, no pool member', () => {
    for (const o of [outcomes.success!, outcomes.failure!]) {
      expect(o.waitingStatus).toBe('CREATE_IN_PROGRESS');
      // Heat stores every resource of the member at once (INIT_COMPLETE); the pool member is not created.
      expect(['absent', 'INIT_COMPLETE']).toContain(o.poolMemberWhileWaiting);
    }
  });
  it('on SUCCESS creates the pool member after the wait condition completes, and the stack completes', () => {
    const o = outcomes.success!;
    expect(o.finalStatus).toBe('CREATE_COMPLETE');
    expect(o.waitCompleted).toBeDefined();
    expect(o.poolMemberCreated).toBeDefined();
    expect(o.poolMemberCreated!).toBeGreaterThanOrEqual(o.waitCompleted!);
  });
  it("on FAILURE fails the member, the group and the stack, with the server's reason", () => {
    const o = outcomes.failure!;
    expect(o.finalStatus).toBe('CREATE_FAILED');
    expect(o.finalReason).toContain('readiness command failed: curl exit 7');
    expect(o.poolMemberCreated).toBeUndefined();
  });
});
