/**
 * One benchmark measurement, run as its own process by scripts/bench.ts:
 *   node lib/scripts/bench-worker.js <case> <target> <outdir> [<cdk.tf.json>]
 * where <case> is `example:<name>` or `app:<N>` (N API+worker tier pairs), and <target> is
 * `heat`, `terraform` or `peer` (plain cdktf writing the very same Terraform resources, read from
 * a cdk.tf.json Scaleout wrote beforehand, for comparison with what Scaleout's layer costs).
 * Prints one JSON line: synth time and peak RSS.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App as CdktfApp, TerraformResource, TerraformStack } from 'cdktf';
import { App, heatFiles, Stack, synthesizeHeat, synthesizeTerraform } from '../src';
import { EXAMPLES, exampleStack } from '../examples';
import { buildBenchApp } from './bench-app';

function stacksFor(kind: string): Stack[] {
  if (kind.startsWith('example:')) {
    const name = kind.slice('example:'.length);
    const example = EXAMPLES.find((e) => e.name === name);
    if (!example) throw new Error(`unknown example ${name}`);
    return [exampleStack(example, new App())];
  }
  if (kind.startsWith('app:')) return [buildBenchApp(new App(), Number(kind.slice(4)))];
  throw new Error(`unknown case ${kind}`);
}

/** Plain cdktf, no Scaleout: one TerraformResource per resource of a given cdk.tf.json. */
function synthPeer(json: Record<string, any>, outdir: string): void {
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
  let started: bigint;
  if (target === 'peer') {
    // The input of the peer is Scaleout's own Terraform output, written by an earlier process.
    const json = JSON.parse(fs.readFileSync(peerInput, 'utf8'));
    resources = countResources(json);
    started = process.hrtime.bigint();
    synthPeer(json, path.join(outdir, 'peer'));
  } else {
    started = process.hrtime.bigint();
    const stacks = stacksFor(kind);
    if (target === 'heat') {
      for (const s of stacks) {
        const synthesis = synthesizeHeat(s);
        resources += Object.keys(synthesis.template.resources as object).length;
        for (const [name, text] of Object.entries(heatFiles(synthesis))) fs.writeFileSync(path.join(outdir, name), text);
      }
    } else {
      for (const tf of synthesizeTerraform(stacks, outdir)) {
        resources += countResources(tf.json);
      }
    }
  }
  const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ synthMs, maxRssKiB: process.resourceUsage().maxRSS, resources })}\n`);
}

main();
