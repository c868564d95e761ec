/**
 * `npm run bench`: synthesis speed and memory of generated apps with N = 1, 10, 50, 100 API+worker
 * tier pairs, measured side by side with AWS CDK synthesizing the same shape
 * (scripts/bench-awscdk-app.js) and with plain cdktf writing Scaleout's own Terraform resources.
 * Every sample is one whole process running compiled JavaScript (no TypeScript is compiled at
 * measure time); the targets of one size run in turn, round after round, with the order rotated
 * each round, so a burst of load on the machine hits them alike. Printed: medians of wall time,
 * of in-process synth time and of peak RSS, and the medians of the per-round ratios to AWS CDK;
 * the marginal cost of a tier pair is the slope of the median wall times between the two largest
 * sizes. Asserts nothing; no test depends on timings.
 *
 * aws-cdk-lib is no dependency of the package: it is installed on first use into .bench/awscdk/
 * (git-ignored), at the version pinned here.
 *
 * Options (environment): BENCH_RUNS (default 7), BENCH_N (default "1,10,50,100"),
 * BENCH_TARGETS (default "both,heat,terraform,awscdk,peer").
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeEntryPointLazy } from './lazy-exports';

const ROOT = path.resolve(__dirname, '..');
/** The newest aws-cdk-lib 2.x on the npm registry when the peer was written, and a constructs it accepts (^10.5). */
const AWS_CDK_LIB = '2.276.0';
const AWS_CDK_CONSTRUCTS = '10.5.1';
const AWS_CDK_DIR = path.join(ROOT, '.bench', 'awscdk');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SIZES = (process.env.BENCH_N ?? '1,10,50,100').split(',').map(Number);
const ALL_TARGETS = ['both', 'heat', 'terraform', 'awscdk', 'peer'] as const;
type Target = (typeof ALL_TARGETS)[number];
const TARGETS = (process.env.BENCH_TARGETS ?? ALL_TARGETS.join(',')).split(',') as Target[];
const LABELS: Record<Target, string> = {
  both: 'Scaleout, both targets',
  heat: 'Scaleout, Heat only',
  terraform: 'Scaleout, Terraform only',
  awscdk: `AWS CDK ${AWS_CDK_LIB}`,
  peer: 'plain cdktf peer',
};

interface Sample {
  wallMs: number;
  synthMs: number;
  cpuMs: number;
  maxRssKiB: number;
  resources: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Installs the pinned aws-cdk-lib into .bench/awscdk/ unless it is there; returns the peer app's path. */
function ensureAwsCdk(): string {
  const installed = path.join(AWS_CDK_DIR, 'node_modules', 'aws-cdk-lib', 'package.json');
  const version = fs.existsSync(installed) ? JSON.parse(fs.readFileSync(installed, 'utf8')).version : undefined;
  if (version !== AWS_CDK_LIB) {
    process.stdout.write(`Installing aws-cdk-lib@${AWS_CDK_LIB} into ${path.relative(ROOT, AWS_CDK_DIR)}/ ...\n`);
    fs.mkdirSync(AWS_CDK_DIR, { recursive: true });
    fs.writeFileSync(path.join(AWS_CDK_DIR, 'package.json'), `${JSON.stringify({ name: 'scaleout-bench-awscdk', private: true }, null, 2)}\n`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', `aws-cdk-lib@${AWS_CDK_LIB}`, `constructs@${AWS_CDK_CONSTRUCTS}`], {
      cwd: AWS_CDK_DIR,
      stdio: 'inherit',
    });
  }
  const app = path.join(AWS_CDK_DIR, 'app.js');
  fs.copyFileSync(path.join(ROOT, 'scripts', 'bench-awscdk-app.js'), app);
  return app;
}

/** Runs `node <command> <fresh output folder> <after>` once and reads the JSON line it prints. */
function runOnce(command: string[], label: string, after: string[] = []): Sample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-bench-'));
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [...command, outdir, ...after], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, JSII_DEPRECATED: 'quiet' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`${label} failed:\n${r.stderr}`);
    const parsed = JSON.parse(r.stdout.trim().split('\n').pop()!);
    return { wallMs, ...parsed };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Writes the app's cdk.tf.json once (the plain cdktf peer's input) into `dir`; returns its path. */
function preparePeerInput(worker: string, kind: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync(process.execPath, [worker, kind, 'terraform', dir], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`preparing ${kind} failed:\n${r.stderr}`);
  const stackDir = path.join(dir, 'terraform', 'stacks');
  return path.join(stackDir, fs.readdirSync(stackDir)[0], 'cdk.tf.json');
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function cpuModel(): string {
  return os.cpus()[0]?.model.trim() ?? 'unknown';
}

function main(): void {
  process.stdout.write('Compiling (tsc -p tsconfig.json) ...\n');
  if (!fs.existsSync(path.join(ROOT, 'lib', '.gen', 'providers'))) {
    execFileSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), path.join(ROOT, 'scripts', 'build.ts')], { cwd: ROOT, stdio: 'inherit' });
  }
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  // The entry point as the package ships it (scripts/build.ts): tool areas loaded on first use.
  makeEntryPointLazy(path.join(ROOT, 'lib'));
  const worker = path.join(ROOT, 'lib', 'scripts', 'bench-worker.js');
  const awsCdkApp = TARGETS.includes('awscdk') ? ensureAwsCdk() : '';
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  process.stdout.write(
    `\n${os.cpus().length} CPUs (${cpuModel()}), Node ${process.version}, load average ${load}; ${RUNS} rounds per size, targets rotated each round\n\n`,
  );

  const results = new Map<number, Map<Target, Sample[]>>();
  /** The 1-minute load average after each round, for the machine line of the report. */
  const loads: number[] = [os.loadavg()[0]];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-bench-peer-'));
  try {
    for (const n of SIZES) {
      const kind = `app:${n}`;
      const peerInput = TARGETS.includes('peer') ? preparePeerInput(worker, kind, path.join(scratch, String(n))) : '';
      const commands: Record<Target, string[]> = {
        both: [worker, kind, 'both'],
        heat: [worker, kind, 'heat'],
        terraform: [worker, kind, 'terraform'],
        awscdk: [awsCdkApp, String(n)],
        peer: [worker, kind, 'peer'],
      };
      const byTarget = new Map<Target, Sample[]>(TARGETS.map((t) => [t, []]));
      for (let round = 0; round < RUNS; round++) {
        const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length]);
        for (const t of order) {
          byTarget.get(t)!.push(runOnce(commands[t], `${LABELS[t]} N=${n}`, t === 'peer' ? [peerInput] : []));
        }
        loads.push(os.loadavg()[0]);
      }
      results.set(n, byTarget);
      process.stdout.write(`N=${n} done (load average ${os.loadavg()[0].toFixed(2)})\n`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const hasCdk = TARGETS.includes('awscdk');
  const header = ['N', 'target', 'resources', 'wall ms', 'CPU ms', 'synth ms', 'peak RSS MiB', ...(hasCdk ? ['wall vs AWS CDK', 'CPU vs AWS CDK', 'RSS vs AWS CDK'] : [])];
  const rows: string[][] = [];
  for (const [n, byTarget] of results) {
    const cdk = byTarget.get('awscdk');
    for (const t of TARGETS) {
      const s = byTarget.get(t)!;
      const ratio = (f: (x: Sample) => number) => (cdk ? `${median(s.map((x, i) => f(x) / f(cdk[i]))).toFixed(2)}×` : '');
      rows.push([
        String(n),
        LABELS[t],
        String(s[0].resources),
        median(s.map((x) => x.wallMs)).toFixed(0),
        median(s.map((x) => x.cpuMs)).toFixed(0),
        median(s.map((x) => x.synthMs)).toFixed(0),
        (median(s.map((x) => x.maxRssKiB)) / 1024).toFixed(0),
        ...(hasCdk ? [ratio((x) => x.wallMs), ratio((x) => x.cpuMs), ratio((x) => x.maxRssKiB)] : []),
      ]);
    }
  }
  process.stdout.write(`\n${table(header, rows)}\n`);
  process.stdout.write(`\n${new Date().toUTCString()}; 1-minute load average during the run ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}\n`);

  const sizes = [...results.keys()].sort((a, b) => a - b);
  if (sizes.length >= 2) {
    const [lo, hi] = sizes.slice(-2);
    const slope = (t: Target, f: (x: Sample) => number) =>
      ((median(results.get(hi)!.get(t)!.map(f)) - median(results.get(lo)!.get(t)!.map(f))) / (hi - lo)).toFixed(1);
    process.stdout.write(`\nMarginal cost of a tier pair (medians, N=${lo} to N=${hi}):\n\n`);
    process.stdout.write(`${table(['target', 'wall ms per pair', 'CPU ms per pair'], TARGETS.map((t) => [LABELS[t], slope(t, (x) => x.wallMs), slope(t, (x) => x.cpuMs)]))}\n`);
  }
  process.stdout.write(
    '\nresources: Heat resources in the main template (Heat only), Terraform resources (Terraform, both, plain cdktf),\n' +
      'CloudFormation resources (AWS CDK). wall ms: the whole process, start-up included. CPU ms: its user +\n' +
      'system CPU time (steadier than wall time on a shared machine). synth ms: from the\n' +
      "worker's first line to the files written (module loading included). Ratios: medians of the per-round\n" +
      'ratios to AWS CDK in the same round.\n',
  );
}

main();
