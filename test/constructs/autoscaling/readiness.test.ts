/**
 * Readiness (opt-in): a member counts only once its cloud-init has signalled an
 * OS::Heat::WaitCondition; its pool memberships wait for the signal.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudConfig, Duration, heatFiles, UserData } from '../../../src';
import { READINESS_NOTIFY_PLACEHOLDER } from '../../../src/constructs/autoscaling/readiness';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { terraformValidate } from '../../tools/terraform-validate';
import { validateWithHeat } from '../../tools/heat-real-validator';
import { embeddedOf, errorOf, groupStack, webPool } from './fixture';

const CHECK = 'curl -fsS http://127.0.0.1:8080/healthz';

/** A group 'Web' serving a pool on 8080, with readiness. */
function readyGroup(props: Record<string, unknown> = {}) {
  const g = groupStack();
  const web = g.group({ userData: UserData.forShellScript('apt-get install -y nginx'), readiness: { command: CHECK, timeout: Duration.minutes(5) }, ...props });
  web.attachToPool(webPool(g.stack, g.net), 8080);
  return { ...g, web };
}

describe('readiness in the member template', () => {
  test('Heat: a handle, a wait condition after the server, the signal in the user data, and the pool member waiting for it', () => {
    // GIVEN a group with readiness that serves a pool
    const { stack } = readyGroup();
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    const member = heat.files['web_member.yaml'] as Record<string, any>;
    // THEN the member holds a handle and a wait condition that starts once the server is ACTIVE
    expect(member.resources.web_ready_handle).toEqual({ type: 'OS::Heat::WaitConditionHandle' });
    expect(member.resources.web_ready).toEqual({
      type: 'OS::Heat::WaitCondition',
      properties: { handle: { get_resource: 'web_ready_handle' }, timeout: 300, count: 1 },
      depends_on: ['web_server'],
    });
    // AND the server's user data gets the handle's curl command in place of the placeholder
    expect(member.resources.web_server.properties.user_data).toEqual({
      str_replace: { template: { get_param: 'user_data' }, params: { [READINESS_NOTIFY_PLACEHOLDER]: { get_attr: ['web_ready_handle', 'curl_cli'] } } },
    });
    // AND the pool member joins only after the signal
    // the pool member waits for readiness, and leaves (drains) before the server goes
    expect(member.resources.web_member_lb_front_web.depends_on).toEqual(['web_drain', 'web_ready']);
    // AND the user data passed by the group runs the user's script under the readiness trap
    const userData = heat.resources.web.properties!.resource.properties.user_data as string;
    expect(userData.startsWith('#!/bin/sh\nset -eu\n')).toBe(true);
    expect(userData).toContain(`scaleout_ready_check() {\n${CHECK}\n}`);
    expect(userData).toContain('trap scaleout_on_exit EXIT\napt-get install -y nginx\n');
    expect(userData).toContain(`${READINESS_NOTIFY_PLACEHOLDER} --retry 5`);
  });

  test('Terraform: the embedded member holds the same wait condition, and the user data (a local passed in the environment) carries the placeholder', () => {
    const { stack } = readyGroup();
    const tf = terraformOf(stack);
    const embedded = embeddedOf(tf, 'web');
    const userData = String(tf.json.locals.web_user_data);
    expect(embedded.resource.environment_opts.Bin).toBe('${jsonencode({ parameter_defaults = { user_data = local.web_user_data } })}');
    expect(embedded.member.resources.web_ready.properties).toEqual({ handle: { get_resource: 'web_ready_handle' }, timeout: 300, count: 1 });
    expect(embedded.member.resources.web_member_lb_front_web.depends_on).toEqual(['web_drain', 'web_ready']);
    expect(userData).toContain(`${READINESS_NOTIFY_PLACEHOLDER} --retry 5`);
    // Terraform's template escapes: `$(` and `$((` need none, and no `${` is left unescaped
    expect(userData).not.toMatch(/(^|[^$])\$\{/);
  });

  test('off by default: no wait condition, no dependency, the user data unchanged', () => {
    const { stack, net, group } = groupStack();
    const web = group({ userData: UserData.forShellScript('echo hi') });
    web.attachToPool(webPool(stack, net), 8080);
    const heat = heatOf(stack);
    const member = heat.files['web_member.yaml'] as Record<string, any>;
    expect(hotResourcesOfType(member, 'OS::Heat::WaitCondition')).toEqual({});
    expect(hotResourcesOfType(member, 'OS::Heat::WaitConditionHandle')).toEqual({});
    // only the drain ordering, no readiness
    expect(member.resources.web_member_lb_front_web.depends_on).toEqual(['web_drain']);
    expect(member.resources.web_server.properties.user_data).toEqual({ get_param: 'user_data' });
    expect(heat.resources.web.properties!.resource.properties.user_data).toBe('#!/bin/sh\nset -eu\necho hi\n');
  });

  test('a cloud-config document gets the check as its last runcmd entry; the user document is not changed', () => {
    // GIVEN a cloud-config document
    const config = new CloudConfig().addPackages('nginx').addRunCommands('systemctl restart nginx');
    const before = config.render();
    const { stack } = readyGroup({ userData: UserData.forCloudConfig(config), readiness: { command: 'curl -fsS http://127.0.0.1/' } });
    // WHEN synthesized
    const text = heatOf(stack).resources.web.properties!.resource.properties.user_data as string;
    // THEN the script is written root-only and runs after the user's commands
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    expect(text).toContain('path: /usr/local/sbin/scaleout-ready');
    expect(text).toContain("permissions: '0700'");
    expect(text).toMatch(/runcmd:\n {2}- systemctl restart nginx\n {2}- - \/bin\/sh\n {4}- \/usr\/local\/sbin\/scaleout-ready\n$/);
    expect(text).toContain('+ 600 ))'); // the default timeout, 10 minutes
    // AND the user's own CloudConfig renders as before
    expect(config.render()).toBe(before);
  });

  test('no user data: a script that only runs the check', () => {
    const { stack } = readyGroup({ userData: undefined, readiness: {} });
    const text = heatOf(stack).resources.web.properties!.resource.properties.user_data as string;
    expect(text).toContain('scaleout_ready_check() {\n  :\n}');
    expect(text.endsWith('trap scaleout_on_exit EXIT\n')).toBe(true);
  });

  test('validation', () => {
    const { group } = groupStack();
    expect(errorOf(() => group({ userData: UserData.custom('#!/bin/bash\necho'), readiness: {} })).message).toContain(
      "test/Web: 'readiness' cannot be combined with UserData.custom()",
    );
    expect(errorOf(() => group({ readiness: { timeout: Duration.hours(2) } }, 'A')).message).toContain("'readiness.timeout' must be a whole number of seconds between 1 and 3600");
    expect(errorOf(() => group({ readiness: { timeout: 60 as never } }, 'B')).message).toContain("'readiness.timeout' must be a Duration");
    expect(errorOf(() => group({ readiness: { command: ' ' } }, 'C')).message).toContain("'readiness.command' must be a non-empty shell command");
    expect(errorOf(() => group({ readiness: { comand: 'true' } as never }, 'D')).message).toContain("'readiness.comand' is not a property this accepts");
  });
});

describe('the readiness script, run by /bin/sh with a stand-in for the signal', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-ready-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs the member's user data with the handle's curl replaced by a logger; returns the exit status and the signals sent. */
  function run(userScript: string[], command: string, timeout = Duration.minutes(1)) {
    const { stack } = readyGroup({ userData: UserData.forShellScript(...userScript), readiness: { command, timeout } });
    const text = heatOf(stack).resources.web.properties!.resource.properties.user_data as string;
    const log = path.join(dir, `signals-${Math.random().toString(36).slice(2)}`);
    const fake = path.join(dir, 'fake-curl');
    // The stand-in records the --data-binary argument, as Heat's signal endpoint would receive it.
    fs.writeFileSync(fake, `#!/bin/sh\nwhile [ $# -gt 0 ]; do if [ "$1" = --data-binary ]; then printf '%s\\n' "$2" >> "$SIGNALS"; fi; shift; done\n`, { mode: 0o755 });
    const script = path.join(dir, 'user-data.sh');
    fs.writeFileSync(script, text.split(READINESS_NOTIFY_PLACEHOLDER).join(fake));
    const r = spawnSync('/bin/sh', [script], { env: { PATH: process.env.PATH, SIGNALS: log }, encoding: 'utf8', timeout: 30000 });
    const signals = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
    return { status: r.status, signals };
  }

  test('the check succeeds after the user script: one SUCCESS', () => {
    const ready = path.join(dir, 'ready');
    expect(run([`touch ${ready}`], `test -f ${ready}`)).toEqual({ status: 0, signals: [{ status: 'SUCCESS', reason: 'ready' }] });
  });

  test('the user script fails under set -e: FAILURE at once with its status, the check is not tried', () => {
    expect(run(['false', 'echo never'], 'true')).toEqual({ status: 1, signals: [{ status: 'FAILURE', reason: 'user data exited with status 1' }] });
  });

  test('the check never succeeds: FAILURE when the timeout has passed', () => {
    const r = run(['true'], 'false', Duration.seconds(1));
    expect(r.signals).toEqual([{ status: 'FAILURE', reason: 'readiness command did not succeed within 1 s' }]);
  }, 30000);
});

describe("Heat's own validator and terraform validate accept a group with readiness", () => {
  test('both targets', async () => {
    const { stack } = readyGroup();
    const tf = terraformOf(stack);
    const heatDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-ready-heat-'));
    for (const [name, text] of Object.entries(heatFiles(heatOf(stack)))) fs.writeFileSync(path.join(heatDir, name), text);
    const result = await terraformValidate(tf.directory);
    expect(result.diagnostics).toEqual([]);
    const results = validateWithHeat([
      { id: 'heat', template: path.join(heatDir, 'test.yaml'), environment: path.join(heatDir, 'test.env.yaml') },
      { id: 'embedded', template: 'Bin of web', inline: { dir: tf.directory, template: embeddedOf(tf, 'web').text } },
    ]);
    for (const r of results) expect({ id: r.id, ok: r.ok, error: r.error, nested: r.nested.map((n) => n.ok) }).toEqual({ id: r.id, ok: true, error: null, nested: r.nested.map(() => true) });
  }, 120000);
});
