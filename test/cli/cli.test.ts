/**
 * The `scaleout` CLI: dispatch and usage, `synth` on the examples' cdktf app and on a Heat-only
 * script, `validate` on written templates.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/command';

const ROOT = path.resolve(__dirname, '../..');

function io(cwd = ROOT): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, cwd, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-cli-'));
}

/**
 * A Heat-only script as a user writes it: a Scaleout App with a stack 'web' (`s` is the library),
 * `body` adding to it, then `app.synth()`. Returns its path.
 */
function heatOnlyScript(dir: string, body: readonly string[]): string {
  const script = path.join(dir, 'heat-app.js');
  const lines = [
    `require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(ROOT, 'tsconfig.json'))} });`,
    `const s = require(${JSON.stringify(path.join(ROOT, 'src'))});`,
    'const app = new s.App();',
    "const stack = new s.Stack(app, 'web');",
    ...body,
    'app.synth();',
  ];
  fs.writeFileSync(script, lines.join('\n'));
  return script;
}

function tmpEntries(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('scaleout-tf-'));
}

describe('scaleout (dispatch)', () => {
  test('--help lists the commands; an unknown command or option exits 2 with the usage', async () => {
    const h = io();
    expect(await main(['--help'], h)).toBe(0);
    expect(h.lines.join('\n')).toMatch(/synth\s+run your app[\s\S]*validate\s+check written/);
    const u = io();
    expect(await main(['synthesize'], u)).toBe(2);
    expect(u.errors[0]).toBe("scaleout: unknown command 'synthesize'");
    const o = io();
    expect(await main(['synth', '--targt', 'heat'], o)).toBe(2);
    expect(o.errors[0]).toBe('scaleout synth: unknown option --targt; known: --app, --target, --out');
    const t = io();
    expect(await main(['synth', '--target', 'cloudformation'], t)).toBe(2);
    expect(t.errors[0]).toContain("--target must be one of heat, terraform, both, got 'cloudformation'");
  });
});

describe('scaleout synth', () => {
  test("runs the cdktf.json app and writes both targets, equal to the committed templates", async () => {
    // GIVEN this repository's cdktf.json (the examples as cdktf stacks) WHEN synthesized to a scratch folder
    const out = scratch();
    const before = tmpEntries();
    try {
      const run = io();
      const code = await main(['synth', '--out', out], run);
      // THEN it succeeds and lists what it wrote
      expect(code).toBe(0);
      expect(run.lines).toContain(`heat: ${path.relative(ROOT, path.join(out, 'heat', 'web-app', 'web-app.yaml'))} (+ web-app.env.yaml, 1 nested)`);
      // AND each example's files are the committed ones, in both targets
      for (const example of ['hello-server', 'fractals', 'web-app', 'existing-network']) {
        const heat = fs.readFileSync(path.join(out, 'heat', example, `${example}.yaml`), 'utf8');
        expect(heat).toBe(fs.readFileSync(path.join(ROOT, 'templates', example, 'heat', `${example}.yaml`), 'utf8'));
        const tf = fs.readFileSync(path.join(out, 'terraform', 'stacks', example, 'cdk.tf.json'), 'utf8');
        expect(JSON.parse(tf)).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, 'templates', example, 'terraform', 'cdk.tf.json'), 'utf8')));
      }
      expect(tmpEntries()).toEqual(before);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('--target heat runs a Heat-only script (Scaleout App.synth) and keeps no Terraform output', async () => {
    // GIVEN a script that builds a Scaleout Stack and calls app.synth()
    const dir = scratch();
    const before = tmpEntries();
    try {
      const script = heatOnlyScript(dir, ["const sg = new s.SecurityGroup(stack, 'WebSg');", 'sg.addIngressRule(s.Peer.anyIpv4(), s.Port.tcp(80));']);
      const run = io(dir);
      // WHEN synthesized for Heat only
      expect(await main(['synth', '--app', `node ${script}`, '--target', 'heat', '--out', 'out'], run)).toBe(0);
      // THEN the Heat stack is there, with the rule, and there is no Terraform folder
      const template = yaml.load(fs.readFileSync(path.join(dir, 'out', 'heat', 'web', 'web.yaml'), 'utf8')) as { resources: Record<string, { type: string }> };
      expect(template.resources.web_sg.type).toBe('OS::Neutron::SecurityGroup');
      expect(fs.existsSync(path.join(dir, 'out', 'terraform'))).toBe(false);
      expect(tmpEntries()).toEqual(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an app that fails exits 1 and shows its error', async () => {
    const run = io();
    expect(await main(['synth', '--app', 'node -e "console.error(\'boom in the app\'); process.exit(3)"', '--out', scratch()], run)).toBe(1);
    expect(run.errors).toContain('boom in the app');
    expect(run.errors[run.errors.length - 1]).toContain('the app failed (exit 3)');
  });
});

describe('scaleout validate', () => {
  test('passes the committed templates and fails a broken copy, naming the finding', async () => {
    const ok = io();
    expect(await main(['validate', 'templates'], ok)).toBe(0);
    expect(ok.lines.filter((l) => l.startsWith('ok   heat'))).toHaveLength(4);
    expect(ok.lines.filter((l) => l.startsWith('ok   terraform'))).toHaveLength(4);
    // GIVEN a copy of hello-server with a misspelled property
    const dir = scratch();
    try {
      fs.cpSync(path.join(ROOT, 'templates', 'hello-server'), dir, { recursive: true });
      const file = path.join(dir, 'heat', 'hello-server.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('flavor:', 'flavour:'));
      const bad = io();
      expect(await main(['validate', dir], bad)).toBe(1);
      expect(bad.lines.join('\n')).toMatch(/FAIL heat .*hello-server\.yaml[\s\S]*flavour/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN a listener without its loadbalancer WHEN validated with --release 2025.1 and with the default THEN only Heat 24.0.0\'s schema refuses it, and hidden files are not read', async () => {
    // GIVEN
    const dir = scratch();
    try {
      fs.mkdirSync(path.join(dir, 'heat'));
      const template = { heat_template_version: '2021-04-16', resources: { l: { type: 'OS::Octavia::Listener', properties: { protocol: 'HTTP', protocol_port: 80 } } } };
      fs.writeFileSync(path.join(dir, 'heat', 'lb.yaml'), yaml.dump(template));
      fs.writeFileSync(path.join(dir, 'heat', 'lb.env.yaml'), '{}\n');
      // AND a hidden, broken pair (a tool's temporary files, e.g. the Heat validator's) that is left out
      fs.writeFileSync(path.join(dir, 'heat', '.tmp.yaml'), 'resources: [not, a, map]\n');
      fs.writeFileSync(path.join(dir, 'heat', '.tmp.env.yaml'), '{}\n');
      // WHEN
      const epoxy = io();
      const zed = io();
      // THEN
      expect(await main(['validate', dir, '--release', '2025.1'], epoxy)).toBe(1);
      expect(epoxy.lines.join('\n')).toMatch(/FAIL heat .*lb\.yaml[\s\S]*loadbalancer/);
      expect(await main(['validate', dir], zed)).toBe(0);
      expect(zed.lines).toEqual([expect.stringMatching(/^ok   heat .*lb\.yaml$/)]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--app on the commands that read templates', () => {
  const heatScript = (dir: string, twoStacks: boolean) =>
    heatOnlyScript(dir, [
      "const sg = new s.SecurityGroup(stack, 'Admin');",
      "sg.addIngressRule(s.Peer.anyIpv4(), s.Port.tcp(22), { allowPublicAccessToSensitivePort: true });",
      twoStacks ? "new s.Stack(app, 'other');" : '',
    ]);

  test('lint and diagram run on the app\'s templates; the temporary folder is removed', async () => {
    const dir = scratch();
    const before = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('scaleout-app-'));
    try {
      const script = heatScript(dir, false);
      // WHEN lint runs on the app THEN it finds the world-open SSH rule of the app's stack
      const lint = io(dir);
      expect(await main(['lint', '--app', `node ${script}`], lint)).toBe(1);
      expect(lint.lines.join('\n')).toContain('world-open-sensitive-port');
      // AND diagram draws it
      const d = io(dir);
      expect(await main(['diagram', '--app', `node ${script}`, '--out', 'pic'], d)).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'pic', 'diagram.svg'), 'utf8')).toContain('<svg');
      expect(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('scaleout-app-'))).toEqual(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a one-stack command refuses an app with several stacks, naming them', async () => {
    const dir = scratch();
    try {
      const run = io(dir);
      expect(await main(['diagram', '--app', `node ${heatScript(dir, true)}`, '--out', 'pic'], run)).toBe(2);
      expect(run.errors.join('\n')).toContain('--app synthesized 2 stacks (other, web)');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
