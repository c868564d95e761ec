/**
 * Queue-depth scaling on the real loop (issue 11, item 4): Keystone, Heat, Gnocchi and Aodh on
 * loopback, and the publisher the queue's server runs, started from the very script the template
 * ships, authenticated as a non-admin member of the stack's project with an application credential.
 *
 * GIVEN a worker tier scaled like the Fractals workers (queue 'normal', 20 messages per worker),
 *       every period divided by TIME_SCALE, Nova/Neutron mapped to OS::Heat::None
 * WHEN  a project member creates an application credential, the stack is created with it, and
 *       the publisher (fed by a stand-in `rabbitmqctl`) posts the depth: 5, then 45, then 0
 * THEN  the publisher's resource is the one the alarms read, every alarm leaves insufficient
 *       data, Heat scales the group out under the backlog and back to minSize once it drains;
 *       the same member cannot write a resource created by a service user (what Ceilometer's
 *       instance resources are), the combination the library refuses.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as yaml from 'js-yaml';
import * as os from 'os';
import * as path from 'path';
import type { Construct } from 'constructs';
import { Flavor, Image, ServicesTier, VirtualNetwork, WorkerScaling, WorkerTier, queueDepthResourceIdOf } from '../../src';
import { ensureTelemetry, startCloud, type Cloud } from './harness';
import { OpenStack } from './openstack';
import { scaledTemplates, type GroupUnderTest } from './run-trace';

const TIME_SCALE = 10;
const MESSAGES_PER_WORKER = 20;
const MAX_SIZE = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Fractals workers' scaling (examples/fractals), with a services tier and no API tier (whose readiness waits for real servers). */
const WORKERS: GroupUnderTest = {
  example: 'queue-depth',
  source: {
    name: 'queue-depth',
    description: 'Workers scaled on the depth of the queue their services tier runs',
    build: (stack: Construct) => {
      const image = Image.fromName('ubuntu-22.04');
      const network = new VirtualNetwork(stack, 'Network', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
      const services = new ServicesTier(stack, 'Services', { image, flavor: Flavor.fromName('m1.medium', { vcpus: 2 }), networks: [network.network] });
      new WorkerTier(stack, 'Workers', {
        image,
        flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
        networks: [network.network],
        minSize: 1,
        maxSize: MAX_SIZE,
        services,
        scaling: WorkerScaling.queueDepth({ queueName: 'normal', messagesPerWorker: MESSAGES_PER_WORKER }),
      });
    },
  },
  group: 'workers_servers',
  vcpus: 1,
  bootSeconds: 0,
  capacityPerMember: 1,
};

/** A password-scoped token of `user` in `project` (domain default), with its roles. */
async function tokenOf(authUrl: string, user: string, password: string, project: string): Promise<{ token: string; roles: string[]; projectId: string }> {
  const res = await fetch(`${authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } }, scope: { project: { name: project, domain: { id: 'default' } } } },
    }),
  });
  if (res.status !== 201) throw new Error(`token of ${user}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as any;
  return { token: res.headers.get('x-subject-token')!, roles: body.token.roles.map((r: any) => r.name), projectId: body.token.project.id };
}

async function as(token: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method, headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

interface Sample {
  t: number;
  depth: number;
  members: number;
  alarms: Record<string, string>;
}

let cloud: Cloud | undefined;
let publisher: ChildProcess | undefined;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-queue-depth-'));
const result: {
  publisherRoles: string[];
  publisherTokenRoles: string[];
  resourceId: string;
  alarmResourceIds: string[];
  serviceResourceWrite: number;
  samples: Sample[];
  publisherLog: string;
  resource?: any;
  alarmTypes?: string[];
} = { publisherRoles: [], publisherTokenRoles: [], resourceId: '', alarmResourceIds: [], serviceResourceWrite: 0, samples: [], publisherLog: '' };

beforeAll(async () => {
  ensureTelemetry();
  cloud = await startCloud({ evaluationInterval: 60 / TIME_SCALE, metricProcessingDelay: 1 });
  const admin = new OpenStack(cloud.info);
  const ks = cloud.info.authUrl;
  await admin.authToken();
  const projectId = admin.projectId;

  // A member of the stack's project (no admin role), and its application credential.
  const password = 'publisher-secret';
  const user = (await admin.call('POST', `${ks}/users`, { user: { name: 'queue-publisher', password, domain_id: 'default' } })).user;
  const member = (await admin.call('GET', `${ks}/roles?name=member`)).roles[0];
  await admin.call('PUT', `${ks}/projects/${projectId}/users/${user.id}/roles/${member.id}`, undefined, [204]);
  const mine = await tokenOf(ks, 'queue-publisher', password, cloud.info.project);
  result.publisherRoles = mine.roles;
  const cred = (await as(mine.token, 'POST', `${ks}/users/${user.id}/application_credentials`, { application_credential: { name: 'scaleout-queue-depth' } })).body.application_credential;

  // The scaled archive policy (Gnocchi's `low` shape: 5-minute points, divided by the time scale).
  const granularity = 300 / TIME_SCALE;
  const archivePolicy = `loop-queue-${granularity}s`;
  await admin.call('POST', `${cloud.info.gnocchi}/v1/archive_policy`, {
    name: archivePolicy,
    back_window: 0,
    aggregation_methods: ['mean', 'min', 'max', 'sum', 'std', 'count'],
    definition: [{ granularity: `${granularity}s`, points: 2000 }],
  }, [201, 409]);

  // The templates, periods scaled; queue-depth thresholds are messages, not per-period amounts: put them back.
  const t = scaledTemplates(WORKERS, TIME_SCALE);
  const queueAlarms: string[] = [];
  for (const [name, r] of Object.entries(t.template.resources as Record<string, any>)) {
    if (r.type === 'OS::Aodh::GnocchiResourcesAlarm' && String(r.properties.metric).startsWith('rabbitmq.')) {
      r.properties.threshold *= TIME_SCALE;
      queueAlarms.push(name);
    } else if (r.type === 'OS::Aodh::CompositeAlarm' && r.properties.composite_rule.rules.some((x: any) => String(x.metric).startsWith('rabbitmq.'))) {
      for (const x of r.properties.composite_rule.rules) x.threshold *= TIME_SCALE;
      queueAlarms.push(name);
    }
  }
  expect(queueAlarms.length).toBe(4);

  const stackName = 'queue-depth';
  const created = await admin.call('POST', await admin.heatUrl('/stacks'), {
    stack_name: stackName,
    template: t.template,
    files: t.files,
    environment: t.environment,
    parameters: { queue_depth_auth_url: ks, queue_depth_credential_id: cred.id, queue_depth_credential_secret: cred.secret },
    timeout_mins: 30,
  });
  const stackId: string = created.stack.id;
  const stackUrl = await admin.heatUrl(`/stacks/${stackName}/${stackId}`);
  for (let i = 0; ; i++) {
    const s = (await admin.call('GET', stackUrl)).stack;
    if (s.stack_status === 'CREATE_COMPLETE') break;
    if (!String(s.stack_status).endsWith('IN_PROGRESS') || i > 300) throw new Error(`${stackName}: ${s.stack_status} ${s.stack_status_reason}`);
    await sleep(1000);
  }

  // What the queue server's publisher would compute from its Nova id (the metadata service's uuid).
  const queueServerId: string = (await admin.call('GET', `${stackUrl}/resources/services_queue`)).resource.physical_resource_id;
  result.resourceId = queueDepthResourceIdOf(queueServerId);
  const alarms = (await admin.call('GET', `${cloud.info.aodh}/v2/alarms`)) as any[];
  const mineAlarms = alarms.filter((a) => queueAlarms.some((n) => String(a.name).startsWith(`${stackName}-${n}-`)));
  const idsIn = (x: unknown): string[] =>
    Array.isArray(x) ? x.flatMap(idsIn) : x && typeof x === 'object' ? Object.entries(x).flatMap(([k, v]) => (k === 'resource_id' ? [String(v)] : idsIn(v))) : [];
  result.alarmResourceIds = mineAlarms.flatMap((a) => idsIn(a.composite_rule ?? a.gnocchi_resources_threshold_rule));
  result.alarmTypes = mineAlarms.map((a) => a.type).sort();

  // The publisher: the script and config the template writes onto the queue server.
  const userData = t.template.resources.services_queue.properties.user_data;
  const doc = yaml.load(String(userData.str_replace.template).replace(/^#cloud-config\n/, '')) as { write_files: Array<{ path: string; content: string }> };
  const file = (p: string) => doc.write_files.find((f) => f.path === p)!.content;
  fs.writeFileSync(path.join(work, 'publisher.py'), file('/usr/local/sbin/scaleout-queue-depth'));
  fs.mkdirSync(path.join(work, 'queues'));
  fs.writeFileSync(path.join(work, 'queues', 'normal'), file('/etc/scaleout/queue-depth.d/normal'));
  const depthFile = path.join(work, 'depth');
  fs.writeFileSync(depthFile, '0');
  // The stand-in for `rabbitmqctl -q list_queues -p app name messages_ready`.
  fs.writeFileSync(path.join(work, 'rabbitmqctl'), `#!/bin/sh\nprintf 'normal\\t%s\\nother\\t7\\n' "$(cat ${depthFile})"\n`, { mode: 0o755 });
  const conf = file('/etc/scaleout/queue-depth.conf')
    .replace('@@QUEUE_DEPTH_AUTH_URL@@', ks)
    .replace('@@QUEUE_DEPTH_CREDENTIAL_ID@@', cred.id)
    .replace('@@QUEUE_DEPTH_CREDENTIAL_SECRET@@', cred.secret)
    .replace(/^archive_policy = .*$/m, `archive_policy = ${archivePolicy}`)
    .replace(/^interval = (\d+)$/m, (_, s) => `interval = ${Number(s) / TIME_SCALE}`)
    .replace(/^queues_dir = .*$/m, `queues_dir = ${path.join(work, 'queues')}`);
  // The two keys only a test sets, in the [publisher] section: the metadata service's answer and the stand-in.
  fs.writeFileSync(path.join(work, 'publisher.conf'), conf.replace('[application_credential]', `server_id = ${queueServerId}\nrabbitmqctl = ${path.join(work, 'rabbitmqctl')}\n[application_credential]`));
  publisher = spawn('/usr/bin/python3', [path.join(work, 'publisher.py'), path.join(work, 'publisher.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  publisher.stderr!.on('data', (d) => (result.publisherLog += d.toString()));

  // The application credential's token: what the publisher authenticates with.
  const appToken = await fetch(`${ks}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['application_credential'], application_credential: { id: cred.id, secret: cred.secret } } } }),
  });
  result.publisherTokenRoles = ((await appToken.json()) as any).token.roles.map((r: any) => r.name);

  // The refused combination: a resource a service user created for the project (as Ceilometer does for instances).
  const svc = await tokenOf(ks, 'aodh', cloud.info.password, 'service');
  const foreign = await as(svc.token, 'POST', `${cloud.info.gnocchi}/v1/resource/generic`, {
    id: 'b7a0c3de-5f1e-4f7a-9d3c-2e8f6a1b4c5d',
    project_id: projectId,
    metrics: { 'rabbitmq.normal.messages_ready': { archive_policy_name: archivePolicy } },
  });
  if (foreign.status !== 201) throw new Error(`service resource: ${foreign.status} ${JSON.stringify(foreign.body)}`);
  result.serviceResourceWrite = (
    await as(mine.token, 'POST', `${cloud.info.gnocchi}/v1/resource/generic/b7a0c3de-5f1e-4f7a-9d3c-2e8f6a1b4c5d/metric/rabbitmq.normal.messages_ready/measures`, [
      { timestamp: new Date().toISOString(), value: 1 },
    ])
  ).status;

  // The trace: depth 5 (keep), 45 (two workers' worth of backlog above one: +2 per signal) until the
  // group is at its max, then 0 (drained: -1 per signal) until it is back at its min.
  const groupId: string = (await admin.call('GET', `${stackUrl}/resources/${WORKERS.group}`)).resource.physical_resource_id;
  const members = async (): Promise<number> => {
    const list = (await admin.call('GET', await admin.heatUrl(`/stacks/${groupId}/resources`))).resources as any[];
    return list.filter((r) => !String(r.resource_status).startsWith('DELETE') && r.resource_action !== 'DELETE').length;
  };
  const start = Date.now();
  const now = () => (Date.now() - start) / 1000;
  let phase: 'idle' | 'backlog' | 'drained' = 'idle';
  let phaseStart = 0;
  const depthOf = { idle: 5, backlog: 45, drained: 0 };
  for (;;) {
    const t0 = now();
    fs.writeFileSync(depthFile, String(depthOf[phase]));
    const n = await members();
    const list = (await admin.call('GET', `${cloud.info.aodh}/v2/alarms`)) as any[];
    const states: Record<string, string> = {};
    for (const name of queueAlarms) states[name.replace(`${WORKERS.group}_queue_depth_`, '')] = list.find((a) => String(a.name).startsWith(`${stackName}-${name}-`))?.state ?? 'missing';
    result.samples.push({ t: Math.round(t0 * 10) / 10, depth: depthOf[phase], members: n, alarms: states });
    if (phase === 'idle' && (t0 > 90 || Object.values(states).every((s) => s !== 'insufficient data'))) {
      if (t0 - phaseStart >= 30) {
        phase = 'backlog';
        phaseStart = t0;
      }
    } else if (phase === 'backlog' && (n >= MAX_SIZE || t0 - phaseStart > 300)) {
      phase = 'drained';
      phaseStart = t0;
    } else if (phase === 'drained' && ((n <= 1 && t0 - phaseStart > 60) || t0 - phaseStart > 400)) {
      break;
    }
    await sleep(2000);
  }
  result.resource = (await as(mine.token, 'GET', `${cloud.info.gnocchi}/v1/resource/generic/${result.resourceId}`)).body;
  // Not a CPU timeline (the calibration reads those): a file of its own.
  fs.mkdirSync(path.join(__dirname, 'timelines'), { recursive: true });
  fs.writeFileSync(
    path.join(__dirname, 'timelines', `queue-depth-workers${process.env.LOOP_SUFFIX ?? ''}.json`),
    JSON.stringify({ group: WORKERS.group, timeScale: TIME_SCALE, messagesPerWorker: MESSAGES_PER_WORKER, maxSize: MAX_SIZE, config: t.config, samples: result.samples }, null, 1) + '\n',
  );
  let last = '';
  const rows = ['t(s)  depth members  ' + Object.keys(result.samples[0]?.alarms ?? {}).join(' ')];
  for (const s of result.samples) {
    const key = `${s.depth}|${s.members}|${JSON.stringify(s.alarms)}`;
    if (key === last) continue;
    last = key;
    rows.push(`${s.t.toFixed(1).padStart(6)} ${String(s.depth).padStart(4)} ${String(s.members).padStart(5)}  ${Object.values(s.alarms).map((x) => (x === 'insufficient data' ? 'insuf' : x)).join(' ')}`);
  }
  console.log(`queue-depth loop\n${rows.join('\n')}\npublisher stderr: ${result.publisherLog || '(empty)'}`);
  await admin.call('DELETE', stackUrl, undefined, [204]).catch(() => undefined);
}, 1_500_000);

afterAll(async () => {
  if (publisher && publisher.exitCode === null) publisher.kill('SIGTERM');
  await cloud?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('queue-depth scaling on the real loop', () => {
  test('the publisher is a project member without the admin role, authenticated by an application credential', () => {
    expect(result.publisherRoles).toContain('member');
    expect(result.publisherRoles).not.toContain('admin');
    expect(result.publisherTokenRoles).not.toContain('admin');
    expect(result.publisherTokenRoles).toContain('member');
  });

  test('the alarms read the resource the publisher creates (same id in Heat and in the publisher), and it holds the depth', () => {
    expect(result.alarmTypes).toEqual(['composite', 'composite', 'gnocchi_resources_threshold', 'gnocchi_resources_threshold']);
    expect(result.alarmResourceIds.length).toBe(6);
    expect(new Set(result.alarmResourceIds)).toEqual(new Set([result.resourceId]));
    expect(result.resource.type).toBe('generic');
    expect(Object.keys(result.resource.metrics)).toEqual(['rabbitmq.normal.messages_ready']);
    expect(result.publisherLog).toBe('');
  });

  test('every alarm leaves insufficient data', () => {
    const idle = result.samples.filter((s) => s.depth === 5);
    expect(Object.values(idle[idle.length - 1].alarms).every((s) => s !== 'insufficient data')).toBe(true);
  });

  test('Heat scales the group out under the backlog (to maxSize) and back to minSize once the queue drains', () => {
    const peak = Math.max(...result.samples.filter((s) => s.depth === 45).map((s) => s.members));
    expect(peak).toBe(MAX_SIZE);
    // Never below 1 before the drain, never above max
    expect(Math.max(...result.samples.map((s) => s.members))).toBeLessThanOrEqual(MAX_SIZE);
    expect(result.samples.filter((s) => s.depth !== 0).every((s) => s.members >= 1)).toBe(true);
    const last = result.samples[result.samples.length - 1];
    expect(last.depth).toBe(0);
    expect(last.members).toBe(1);
  });

  test("a member cannot write a resource a service user created (the members' instance resources): the refused combination", () => {
    expect(result.serviceResourceWrite).toBe(403);
  });
});

