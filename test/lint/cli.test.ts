/** `scaleout lint`: exit codes, output lines, options, and every example's committed templates. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, heatFiles, Peer, Port, SecurityGroup, Stack, synthesizeHeat } from '../../src';
import { CliUsageError, type CliIo } from '../../src/cli/command';
import { command } from '../../src/cli/commands/lint';
import { EXAMPLES } from '../../examples';
import { heatSynthesisWithSuppressions, PolicyPack } from '../../src/lint';

const ROOT = path.resolve(__dirname, '../..');

function capture(cwd = ROOT) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), cwd };
  return { io, out, err };
}

/** Writes the Heat files of a stack with one public SSH rule (suppressed when `reason` is given) into a temp folder. */
function writeSshStack(reason?: string): string {
  const stack = new Stack(new App(), 'ssh');
  const sg = new SecurityGroup(stack, 'Bastion');
  sg.addIngressRule(Peer.anyIpv4(), Port.tcp(22), { allowPublicAccessToSensitivePort: true });
  if (reason) PolicyPack.suppress(sg, [{ id: 'world-open-sensitive-port', reason }]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-cli-lint-'));
  for (const [name, text] of Object.entries(heatFiles(heatSynthesisWithSuppressions(stack, synthesizeHeat(stack))))) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('scaleout lint', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('an unsuppressed error exits 1 and prints the finding and a summary', async () => {
    // GIVEN written templates with a public SSH rule WHEN linted
    const dir = writeSshStack();
    dirs.push(dir);
    const { io, out, err } = capture(path.dirname(dir));
    const code = await command.run([path.basename(dir)], io);
    // THEN exit 1, one error line naming rule, folder, file, resource and property
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`^ERROR world-open-sensitive-port: ${path.basename(dir)} ssh.yaml bastion_ingress_tcp_22_from_any_ipv4 \\(remote_ip_prefix\\): ingress tcp 22-22 from 0.0.0.0/0 opens 22 \\(SSH\\) — `));
    expect(err).toEqual([expect.stringMatching(/^scaleout lint: 1 error\(s\), 0 warning\(s\), 0 suppressed, \d+ compliant$/)]);
  });

  test('the suppression written into the templates is honoured: exit 0, shown with --show-suppressed', async () => {
    const dir = writeSshStack('the bastion is the one way in; keys only');
    dirs.push(dir);
    const quiet = capture();
    expect(await command.run([dir], quiet.io)).toBe(0);
    expect(quiet.out).toEqual([]);
    const shown = capture();
    expect(await command.run(['--show-suppressed', dir], shown.io)).toBe(0);
    expect(shown.out[0]).toMatch(/^suppressed world-open-sensitive-port: .* — reason: the bastion is the one way in; keys only$/);
  });

  test('--json prints the findings; bad options are usage errors; an empty folder is a failure', async () => {
    const dir = writeSshStack();
    dirs.push(dir);
    const j = capture();
    expect(await command.run(['--json', dir], j.io)).toBe(1);
    expect(JSON.parse(j.out.join('\n')).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['world-open-sensitive-port']);
    await expect(command.run(['--boot-seconds', 'soon'], capture().io)).rejects.toThrow(new CliUsageError('--boot-seconds needs a number >= 0, got "soon"'));
    await expect(command.run(['--fast'], capture().io)).rejects.toThrow('unknown option --fast');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-cli-empty-'));
    dirs.push(empty);
    const e = capture();
    expect(await command.run([empty], e.io)).toBe(1);
    expect(e.err[0]).toMatch(/^scaleout lint: no synthesized templates found below /);
  });
});

describe('scaleout lint on every example’s committed templates', () => {
  test.each(EXAMPLES.map((e) => e.name))('%s: no unsuppressed error', async (name) => {
    // GIVEN the example's committed Heat and Terraform templates WHEN linted as JSON
    const { io, out } = capture();
    const code = await command.run(['--json', path.join('templates', name)], io);
    const report = JSON.parse(out.join('\n'));
    const findings = report.findings as Array<{ ruleId: string; level: string; target: string; resource: string; suppressed?: unknown }>;
    // THEN both targets were read, and there is no error
    expect(report.outputs).toEqual([
      { source: `templates/${name}/heat`, target: 'heat' },
      { source: `templates/${name}/terraform`, target: 'terraform' },
    ]);
    const errors = findings.filter((f) => f.level === 'error' && !f.suppressed).map((f) => `${f.ruleId} ${f.target} ${f.resource}`);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
  });
});
