import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { command } from '../../src/cli/commands/diff';
import { diffFolders, formatMarkdown, serverChange } from '../../src/diff';
import { webApp, Workspace } from './web-app-variant';

function captureIo(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), cwd }, out, err };
}

const CHANGED = { scaleOutAbovePercent: 60, scaleOutBy: 3, maxSize: 20, packages: ['nginx', 'php-fpm'], sshFromAnywhere: true, healthCheckPath: '/ready', cacheMaxMemoryMiB: 1024, autohealing: true };

describe('scaleout diff on two syntheses of the web-app example', () => {
  const ws = new Workspace();
  let before: string;
  let after: string;


  beforeAll(() => {
    // GIVEN the example, and the example with a higher-sensitivity scale-out, a bigger step, a
    // higher max, different user data, SSH opened to the internet a new health-check path, a bigger cache (new user data on a standalone server) and autohealing
    before = ws.synth('before', webApp());
    after = ws.synth('after', webApp(CHANGED));
    ws.synth('same', webApp());
  });
  afterAll(() => ws.cleanup());

  const EXPECTED = [
    // one alarm per member; the derived scale-in step follows the scale-out threshold (75 x (1 - 25/60) %, was 75 x (1 - 25/70) %)
    'site_api_servers: scale-out now at member CPU > 60 % for 2 × 5 min (was 70 %); adds 3 servers (was 1); removes 43 % (at least 1 server) (was 48 %); max 20 (was 10); autohealing on in pool site_api_lb_listener_pool; replaces all member servers, 2 to 20 running (user data changed)',
    'security group site_api_servers_security_group: tcp port 22 opened to 0.0.0.0/0 (the whole internet)',
    'health monitor site_api_lb_listener_pool_health: url_path /ready (was /healthz)',
    'server site_services_cache: replaced (user data changed)',
  ];

  test('Heat folders: the behaviour reads as sentences, CPU thresholds back in percent', () => {
    // WHEN the Heat folders are compared
    const d = diffFolders(path.join(before, 'heat'), path.join(after, 'heat'));
    // THEN each changed behaviour is one sentence
    expect(d.behaviour).toEqual(EXPECTED);
    // AND the structure lists the changed property paths
    const group = d.structure.find((c) => c.resource === 'site_api_servers');
    expect(group?.kind).toBe('changed');
    expect(group?.paths).toEqual(['properties.max_size: 10 -> 20', 'properties.resource.properties.user_data: changed']);
    // the per-member alarm changed in the member template
    expect(d.structure.find((c) => c.resource === 'site_api_servers_member.yaml/site_api_servers_cpu_high')?.paths).toContain('properties.threshold: 210000000000 -> 180000000000');
    expect(d.structure.find((c) => c.resource === 'site_api_servers_security_group_ingress_tcp_22_from_any_ipv4')).toMatchObject({ kind: 'added', type: 'OS::Neutron::SecurityGroupRule' });
  });

  test('Terraform folders (groups embedded as Heat) give the same behaviour sentences', () => {
    // WHEN the Terraform folders are compared
    const d = diffFolders(path.join(before, 'terraform'), path.join(after, 'terraform'));
    // THEN the sentences are those of the Heat target
    expect(d.behaviour).toEqual(EXPECTED);
    // AND the embedded group's changes are listed under the orchestration stack's name
    // (the member template, which holds the per-member alarms, changed: its asset path carries its content hash)
    expect(d.structure.find((c) => c.resource === 'site_api_servers/site_api_servers')?.paths).toEqual(['properties.max_size: 10 -> 20', 'properties.resource.type: changed']);
    expect(d.structure.find((c) => c.resource === 'site_api_servers/site_api_servers_member.yaml/site_api_servers_cpu_high')?.paths).toContain('properties.threshold: 210000000000 -> 180000000000');
    // (the user data is a Terraform local the stack's environment reads, not a stack parameter)
    expect(d.structure.find((c) => c.resource === 'openstack_orchestration_stack_v1.site_api_servers')).toBeUndefined();
    expect(d.structure.find((c) => c.resource === 'local.site_api_servers_user_data')?.paths).toEqual(['properties.value: changed']);
  });

  test('an example folder (templates/<example>/) is read through its heat/ folder', () => {
    expect(diffFolders(before, after).behaviour).toEqual(EXPECTED);
  });

  test('the CLI exits 1 on changes, 0 on none, and --fail-on decides what counts', async () => {
    const changed = captureIo(ws.root);
    expect(await command.run(['before', 'after'], changed.io)).toBe(1);
    expect(changed.out[0]).toBe('Behaviour changes (4):');
    expect(changed.out).toContain(`  * ${EXPECTED[1]}`);

    const unchanged = captureIo(ws.root);
    expect(await command.run(['before/heat', 'same/heat'], unchanged.io)).toBe(0);
    expect(unchanged.out).toEqual(['No changes.']);

    expect(await command.run(['--fail-on', 'none', 'before', 'after'], captureIo(ws.root).io)).toBe(0);
    expect(await command.run(['--fail-on', 'behaviour', 'before', 'after'], captureIo(ws.root).io)).toBe(1);
  });

  test('--fail-on behaviour ignores a change that does not change behaviour', async () => {
    // GIVEN a copy whose only change is an alarm description
    const copy = path.join(ws.root, 'described');
    fs.cpSync(path.join(before, 'heat'), copy, { recursive: true });
    const member = path.join(copy, 'site_api_servers_member.yaml');
    const text = fs.readFileSync(member, 'utf8');
    expect(text).toContain("description: 'Scale in web-app/Site");
    fs.writeFileSync(member, text.replace("description: 'Scale in web-app/Site", "description: 'Reworded: scale in web-app/Site"));
    // WHEN compared with --fail-on behaviour, and with the default
    const io = captureIo(ws.root);
    expect(await command.run(['--fail-on', 'behaviour', 'before/heat', 'described'], io.io)).toBe(0);
    expect(io.out[0]).toBe('No behaviour changes.');
    expect(await command.run(['before/heat', 'described'], captureIo(ws.root).io)).toBe(1);
  });

  test('--format markdown prints sections for a pull request', async () => {
    const { io, out } = captureIo(ws.root);
    await command.run(['--format', 'markdown', 'before', 'after'], io);
    expect(out[0]).toBe('### Behaviour changes');
    expect(out).toContain('- security group site\\_api\\_servers\\_security\\_group: tcp port 22 opened to 0.0.0.0/0 (the whole internet)');
    expect(out).toContain('- `~ site_api_servers` (OS::Heat::AutoScalingGroup)');
    expect(out).toContain('  - `properties.max_size: 10 -> 20`');
    expect(formatMarkdown({ behaviour: [], structure: [] })).toEqual(['**No changes.**']);
  });

  test('--base compares a folder with its content at a git ref, and deletes the copy', async () => {
    // GIVEN a repository whose committed templates are the example's
    const repo = path.join(ws.root, 'repo');
    fs.mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.org', '-c', 'user.name=t', ...args], { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    fs.cpSync(path.join(before, 'heat'), path.join(repo, 'templates'), { recursive: true });
    git('add', '.');
    git('commit', '-q', '-m', 'templates');
    // AND a working tree with the changed synthesis
    fs.rmSync(path.join(repo, 'templates'), { recursive: true });
    fs.cpSync(path.join(after, 'heat'), path.join(repo, 'templates'), { recursive: true });
    const tempsBefore = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('scaleout-diff-base-')).length;
    // WHEN diffed against HEAD
    const { io, out } = captureIo(repo);
    const code = await command.run(['--base', 'HEAD', 'templates'], io);
    // THEN the changes since HEAD are reported and no copy is left behind
    expect(code).toBe(1);
    expect(out).toContain(`  * ${EXPECTED[0]}`);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('scaleout-diff-base-')).length).toBe(tempsBefore);
    // AND an unknown ref is a clear error
    const bad = captureIo(repo);
    expect(await command.run(['--base', 'no-such-branch', 'templates'], bad.io)).toBe(2);
    expect(bad.err[0]).toBe(`scaleout diff: '--base' is not a commit of this repository, got "no-such-branch"; give a branch, tag or commit, e.g. --base origin/main [SO_USAGE]`);
  });

  test('a folder without a synthesis is a clear error, exit 2', async () => {
    fs.mkdirSync(path.join(ws.root, 'empty'));
    const { io, err } = captureIo(ws.root);
    expect(await command.run(['empty', 'after'], io)).toBe(2);
    expect(err[0]).toMatch(/^scaleout: 'templates dir' holds no synthesized stack, got ".*empty"; give a Heat folder .* \[SO_USAGE\]$/);
    await expect(command.run(['only-one'], io)).rejects.toThrow('give two folders: <old dir> <new dir>');
    await expect(command.run(['--format', 'html', 'a', 'b'], io)).rejects.toThrow('--format must be text or markdown, got "html"');
  });
});

describe('serverChange: what Heat does to a server whose properties change (heat server.py)', () => {
  test.each([
    [{ user_data: 'a' }, { user_data: 'b' }, 'replace', ['user data']],
    [{ user_data: 'a', user_data_update_policy: 'IGNORE' }, { user_data: 'b', user_data_update_policy: 'IGNORE' }, 'update', ['user data']],
    [{ image: 'a' }, { image: 'b' }, 'rebuild', ['image']],
    [{ image: 'a', image_update_policy: 'REPLACE' }, { image: 'b', image_update_policy: 'REPLACE' }, 'replace', ['image']],
    [{ flavor: 'a' }, { flavor: 'b' }, 'resize', ['flavor']],
    [{ key_name: 'a', metadata: { x: 1 } }, { key_name: 'b', metadata: { x: 2 } }, 'replace', ['key pair']],
    [{ metadata: { x: 1 } }, { metadata: { x: 2 } }, 'update', ['metadata']],
  ])('Heat: %j -> %j is %s', (before, after, action, reasons) => {
    expect(serverChange('heat', before, after)).toEqual({ action, reasons });
  });

  test('Terraform: image and user data force a new server; flavor resizes', () => {
    expect(serverChange('terraform', { image: 'a' }, { image: 'b' })?.action).toBe('replace');
    expect(serverChange('terraform', { flavor: 'a' }, { flavor: 'b' })?.action).toBe('resize');
    expect(serverChange('terraform', { name: 'a' }, { name: 'a' })).toBeUndefined();
  });
});
