/**
 * `npm run bench`: synthesis speed and memory of every example and of generated apps with
 * N = 1, 10, 50 API+worker tier pairs, for both targets, next to a peer: plain cdktf writing the
 * same Terraform resources without Scaleout. Each figure is the median of RUNS whole processes
 * (compiled JavaScript, so no TypeScript compile time is counted). Prints a table; asserts nothing.
 *
 * Options (environment): BENCH_RUNS (default 5), BENCH_N (default "1,10,50").
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLES } from '../examples';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_N ?? '1,10,50').split(',').map(Number);
const TARGETS = ['heat', 'terraform', 'peer'] as const;

interface Sample {
  wallMs: number;
  synthMs: number;
  maxRssKiB: number;
  resources: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function runOnce(worker: string, kind: string, target: string, peerInput = ''): Sample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-bench-'));
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [worker, kind, target, outdir, peerInput], { cwd: ROOT, encoding: 'utf8' });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`${kind} ${target} failed:\n${r.stderr}`);
    const parsed = JSON.parse(r.stdout.trim().split('\n').pop()!);
    return { wallMs, ...parsed };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Writes the case's cdk.tf.json once (the peer's input) and returns its path. */
function prepareJson(worker: string, kind: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-bench-peer-'));
  const r = spawnSync(process.execPath, [worker, kind, 'terraform', dir], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`preparing ${kind} failed:\n${r.stderr}`);
  const stackDir = path.join(dir, 'stacks');
  return path.join(stackDir, fs.readdirSync(stackDir)[0], 'cdk.tf.json');
}

function main(): void {
  process.stdout.write('Compiling (tsc -p tsconfig.json) ...\n');
  execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  const worker = path.join(ROOT, 'lib', 'scripts', 'bench-worker.js');
  const cases = [...EXAMPLES.map((e) => `example:${e.name}`), ...SIZES.map((n) => `app:${n}`)];
  process.stdout.write(`\n${os.cpus().length} CPUs, Node ${process.version}, median of ${RUNS} processes per cell\n\n`);
  const header = ['case', 'target', 'resources', 'wall ms', 'synth ms', 'peak RSS MiB', 'synth vs peer'];
  const rows: string[][] = [];
  for (const kind of cases) {
    const medians: Record<string, { synthMs: number; wallMs: number; rss: number; resources: number }> = {};
    const peerInput = prepareJson(worker, kind);
    for (const target of TARGETS) {
      const samples = Array.from({ length: RUNS }, () => runOnce(worker, kind, target, peerInput));
      medians[target] = {
        synthMs: median(samples.map((s) => s.synthMs)),
        wallMs: median(samples.map((s) => s.wallMs)),
        rss: median(samples.map((s) => s.maxRssKiB)) / 1024,
        resources: samples[0].resources,
      };
    }
    for (const target of TARGETS) {
      const m = medians[target];
      const ratio = target === 'peer' ? '1.00' : (m.synthMs / medians.peer.synthMs).toFixed(2);
      rows.push([kind, target, String(m.resources), m.wallMs.toFixed(0), m.synthMs.toFixed(1), m.rss.toFixed(0), target === 'heat' ? `(${ratio})` : ratio]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  process.stdout.write(
    '\nresources: Heat resources in the main template (heat) or Terraform resources (terraform, peer).\n' +
      'synth ms: building the construct tree and writing the files, timed inside the process.\n' +
      'peer: plain cdktf (TerraformResource + overrides) writing the same Terraform resources; "synth vs peer"\n' +
      'is the Scaleout Terraform synth time over the peer\'s (the Heat ratio, in parentheses, compares targets).\n',
  );
}

main();
