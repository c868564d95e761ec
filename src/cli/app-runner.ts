/**
 * Runs a user's app (the `app` of cdktf.json, or `--app "<cmd>"`) the way `cdktf synth` does, and
 * collects what it wrote: the engine's Terraform output (its `CDKTF_OUTDIR` contract) and, when
 * asked, the Heat rendering of every stack that holds Scaleout constructs (`SCALEOUT_HEAT_OUTDIR`,
 * read by Scaleout inside the app: see `src/stacks/terraform/native.ts` and `App.synth()`).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HEAT_OUTDIR_ENV } from '../core/stack';
import { CliUsageError } from './command';


/** What `synthesizeApp` needs. */
export interface SynthesizeAppOptions {
  /** The command that runs the app; @default - the `app` of `<cwd>/cdktf.json` */
  readonly app?: string;
  /** The folder the command runs in. */
  readonly cwd: string;
  /** Where the output goes: `<outdir>/heat/<stack>/...` and `<outdir>/terraform/stacks/<stack>/cdk.tf.json`. */
  readonly outdir: string;
  /** Which targets to keep. */
  readonly targets: ReadonlyArray<'heat' | 'terraform'>;
  /** Receives each line the app prints to standard error (warnings, errors). */
  readonly onStderr?: (line: string) => void;
}

/** What the app wrote. */
export interface SynthesizedApp {
  /** `<outdir>/heat`, one folder per stack, when Heat was asked for. */
  readonly heatDir?: string;
  /** `<outdir>/terraform` (cdktf's layout: `stacks/<stack>/cdk.tf.json`), when Terraform was asked for. */
  readonly terraformDir?: string;
  /** The engine's annotations (warnings and errors) from its manifest, by stack. */
  readonly annotations: ReadonlyArray<{ readonly stack: string; readonly level: string; readonly path: string; readonly message: string }>;
}

/** The `app` command of `<cwd>/cdktf.json`. */
export function appFromCdktfJson(cwd: string): string {
  const file = path.join(cwd, 'cdktf.json');
  if (!fs.existsSync(file)) throw new CliUsageError(`no --app given and no cdktf.json in ${cwd}; pass --app "<command that runs your app>"`);
  const app = (JSON.parse(fs.readFileSync(file, 'utf8')) as { app?: unknown }).app;
  if (typeof app !== 'string' || app.trim() === '') throw new CliUsageError(`${file} has no "app" command; pass --app "<command>"`);
  return app;
}

/** Runs the app and returns where its output is. Terraform output not asked for is written to a temporary folder and deleted. */
export async function synthesizeApp(options: SynthesizeAppOptions): Promise<SynthesizedApp> {
  const command = options.app ?? appFromCdktfJson(options.cwd);
  const wantTf = options.targets.includes('terraform');
  const wantHeat = options.targets.includes('heat');
  fs.mkdirSync(options.outdir, { recursive: true });
  const terraformDir = wantTf ? path.join(options.outdir, 'terraform') : fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-tf-'));
  const heatDir = path.join(options.outdir, 'heat');
  try {
    if (wantTf) fs.rmSync(terraformDir, { recursive: true, force: true });
    if (wantHeat) fs.rmSync(heatDir, { recursive: true, force: true });
    const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: terraformDir, CHECKPOINT_DISABLE: '1' };
    if (wantHeat) env[HEAT_OUTDIR_ENV] = heatDir;
    else delete env[HEAT_OUTDIR_ENV];
    const code = await run(command, options.cwd, env, options.onStderr ?? (() => undefined));
    if (code !== 0) throw new Error(`the app failed (exit ${code}): ${command}`);
    const annotations = readAnnotations(terraformDir);
    if (wantHeat && !fs.existsSync(heatDir)) {
      throw new Error(`the app wrote no Heat templates: it must synthesize a cdktf App holding Scaleout constructs (app.synth()) or call app.synth() on a Scaleout App (${command})`);
    }
    return { heatDir: wantHeat ? heatDir : undefined, terraformDir: wantTf ? terraformDir : undefined, annotations };
  } finally {
    if (!wantTf) fs.rmSync(terraformDir, { recursive: true, force: true });
  }
}

function run(command: string, cwd: string, env: NodeJS.ProcessEnv, onStderr: (line: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'inherit', 'pipe'] });
    let buffer = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const l of lines) onStderr(l);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (buffer) onStderr(buffer);
      resolve(code ?? 1);
    });
  });
}

function readAnnotations(terraformDir: string): SynthesizedApp['annotations'] {
  const file = path.join(terraformDir, 'manifest.json');
  if (!fs.existsSync(file)) return [];
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { stacks?: Record<string, { annotations?: Array<{ constructPath: string; level: string; message: string }> }> };
  return Object.entries(manifest.stacks ?? {}).flatMap(([stack, s]) => (s.annotations ?? []).map((a) => ({ stack, level: a.level, path: a.constructPath, message: a.message })));
}

/** Every stack folder under a Heat output folder: `<heatDir>/<stack>/`. */
export function heatStackDirs(heatDir: string): string[] {
  return fs
    .readdirSync(heatDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(heatDir, e.name))
    .sort();
}
