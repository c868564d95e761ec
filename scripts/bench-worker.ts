/**
 * One benchmark measurement, run as its own process by scripts/bench.ts:
 *   node lib/scripts/bench-worker.js <case> <target> <outdir> [<cdk.tf.json>]
 * where <case> is `example:<name>` or `app:<N>` (N API+worker tier pairs), and <target> is
 * `both` (one tree written to Heat and to Terraform, in one process), `heat`, `terraform` or
 * `peer` (plain cdktf writing the very same Terraform resources, read from a cdk.tf.json Scaleout
 * wrote beforehand, for comparison with what Scaleout's layer costs).
 * Prints one JSON line: synth time (from the first line of this module, so loading the library
 * counts), the process's CPU time (user + system, start-up included), peak RSS and the number of
 * resources (counted after the measurements are taken).
 */
const started = process.hrtime.bigint();
import * as fs from 'fs';
import * as path from 'path';

type Scaleout = typeof import('../src');

function stacksFor(so: Scaleout, kind: string): import('../src').Stack[] {
  if (kind.startsWith('example:')) {
    const { EXAMPLES, exampleStack } = require('../examples') as typeof import('../examples');
    const name = kind.slice('example:'.length);
    const example = EXAMPLES.find((e) => e.name === name);
    if (!example) throw new Error(`unknown example ${name}`);
    return [exampleStack(example, new so.App())];
  }
  if (kind.startsWith('app:')) {
    const { buildBenchApp } = require('./bench-app') as typeof import('./bench-app');
    return [buildBenchApp(new so.App(), Number(kind.slice(4)))];
  }
  throw new Error(`unknown case ${kind}`);
}

/** Plain cdktf, no Scaleout: one TerraformResource per resource of a given cdk.tf.json. */
function synthPeer(json: Record<string, any>, outdir: string): void {
  const { App: CdktfApp, TerraformResource, TerraformStack } = require('cdktf') as typeof import('cdktf');
  const app = new CdktfApp({ outdir });
  const stack = new TerraformStack(app, 'peer');
  for (const [type, byName] of Object.entries<Record<string, any>>(json.resource ?? {})) {
    for (const [name, body] of Object.entries<Record<string, any>>(byName)) {
      const r = new TerraformResource(stack, name, { terraformResourceType: type });
      for (const [k, v] of Object.entries(body)) if (k !== '//') r.addOverride(k, v);
    }
  }
  app.synth();
}

/** Number of resources in a synthesized cdk.tf.json. */
function countResources(json: Record<string, any>): number {
  return Object.values<Record<string, unknown>>(json.resource ?? {}).reduce((n, r) => n + Object.keys(r).length, 0);
}

function main(): void {
  const [kind, target, outdir, peerInput] = process.argv.slice(2);
  let resources = 0;
  let written: import('../src').TerraformSynthesis[] = [];
  if (target === 'peer') {
    // The input of the peer is Scaleout's own Terraform output, written by an earlier process.
    const json = JSON.parse(fs.readFileSync(peerInput, 'utf8'));
    resources = countResources(json);
    synthPeer(json, path.join(outdir, 'peer'));
  } else {
    const so = require('../src') as Scaleout;
    const stacks = stacksFor(so, kind);
    if (target === 'heat' || target === 'both') {
      for (const s of stacks) {
        // What writeHeat does, counting the main template's resources on the way.
        const synthesis = so.synthesizeHeat(s);
        if (target === 'heat') resources += Object.keys(synthesis.template.resources as object).length;
        const dir = path.join(outdir, 'heat', s.stackName);
        fs.mkdirSync(dir, { recursive: true });
        for (const [name, text] of Object.entries(so.heatFiles(synthesis))) fs.writeFileSync(path.join(dir, name), text);
      }
    }
    if (target === 'terraform' || target === 'both') {
      fs.mkdirSync(outdir, { recursive: true });
      written = so.synthesizeTerraform(stacks, path.join(outdir, 'terraform'));
    }
    if (target !== 'heat' && target !== 'terraform' && target !== 'both') throw new Error(`unknown target ${target}`);
  }
  const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  // Counted after the measurement: parsing cdk.tf.json is the benchmark's bookkeeping, not synthesis.
  for (const tf of written) resources += countResources(tf.json);
  process.stdout.write(`${JSON.stringify({ synthMs, cpuMs, maxRssKiB: usage.maxRSS, resources })}\n`);
}

main();
