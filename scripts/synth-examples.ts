/**
 * The main job: synthesizes every example to both targets into `templates/<example>/`:
 * `heat/` (`<stack>.yaml`, `<stack>.env.yaml`, nested templates) and `terraform/` (`cdk.tf.json`
 * and its assets). The folders are rebuilt from scratch so removed files disappear. Usage:
 * `npm run synth [-- <example> ...]`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as CdktfApp } from 'cdktf';
import { writeDiagram, writeHeat, writeSimulationCharts } from '../src';
import { EXAMPLES } from '../examples';
import { ExampleStack } from '../examples/example-stack';

const ROOT = path.resolve(__dirname, '..');

/** Synthesizes one example into `<outRoot>/<example>/`; returns the files written, relative to outRoot. */
export function synthExample(name: string, outRoot: string): string[] {
  const example = EXAMPLES.find((e) => e.name === name);
  if (!example) throw new Error(`unknown example '${name}'; known: ${EXAMPLES.map((e) => e.name).join(', ')}`);
  const dir = path.join(outRoot, name);
  fs.rmSync(dir, { recursive: true, force: true });
  // One tree for both targets: the example's TerraformStack renders to Terraform with cdktf's own
  // synth, and to Heat with writeHeat.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-synth-'));
  try {
    const app = new CdktfApp({ outdir: scratch });
    const stack = new ExampleStack(app, example);
    app.synth();
    fs.cpSync(path.join(scratch, 'stacks', name), path.join(dir, 'terraform'), { recursive: true });
    writeHeat(stack, path.join(dir, 'heat'));
    writeDiagram(path.join(dir, 'heat'), dir); // templates/<example>/diagram.svg
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  // What the example's groups would do under the built-in load traces, replayed by the simulator.
  writeSimulationCharts(outRoot, outRoot, { examples: [name] });
  return listFiles(dir).map((f) => path.relative(outRoot, f));
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

function main(): void {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : EXAMPLES.map((e) => e.name);
  const outRoot = path.join(ROOT, 'templates');
  for (const name of names) {
    const started = process.hrtime.bigint();
    const files = synthExample(name, outRoot);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stdout.write(`${name}: ${files.length} files in ${ms.toFixed(0)} ms\n`);
    for (const f of files) process.stdout.write(`  templates/${f}\n`);
  }
}

if (require.main === module) main();
