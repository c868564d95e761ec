/**
 * Deterministic fuzzing of every construct constructor and value-class factory.
 *
 * For each construct (see `fuzz-specs.ts`), every candidate value of every prop is tried alone on
 * a valid base (the boundary sweep: 0, -1, min, max, max+1, NaN, Infinity, '', '   ', very long
 * strings, wrong types, malformed CIDRs and addresses, missing required props), then a fixed
 * number of random combinations drawn from a seeded mulberry32 stream. Each case must either
 *
 * - be refused at construction with a `ScaleoutError` whose code is one of `ErrorCode` and whose
 *   message names the construct path and the prop, or
 * - synthesize to BOTH targets with output our schema validators accept (`heatOf` /
 *   `terraformOf`), or be refused at render time by exactly one target for a documented limit
 *   (`TARGET_LIMITS`) or by a cross-construct validation (`node.addValidation`).
 *
 * Never a TypeError, never a template a validator rejects, never an invalid value accepted. A
 * sample of the rendered templates also goes through Heat's own validator (one batch) and the real
 * `terraform validate`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validateWithHeat, type HeatValidationEntry } from '../tools/heat-real-validator';
import { terraformValidate } from '../tools/terraform-validate';
import { casesOf, removeSynthesis, runCase, TARGET_LIMITS } from './fuzz-kit';
import { SPECS } from './fuzz-specs';

/** The fixed seed: the same cases on every run. */
const SEED = 0x5ca1e0a7;
/** Random combinations per construct, on top of the sweep of every candidate alone. */
const RANDOM_CASES = 80;
/** Every n-th stack rendered to both targets also goes through Heat's own validator. */
const HEAT_SAMPLE_EVERY = 10;
/** How many rendered Terraform stacks go through the real `terraform validate` (one per construct, first ones). */
const TERRAFORM_SAMPLES = 5;

interface Tally {
  cases: number;
  refused: number;
  rendered: number;
  targetLimited: number;
  crossConstruct: number;
  limits: Set<string>;
  codes: Set<string>;
}

const tallies = new Map<string, Tally>();
const heatSamples: HeatValidationEntry[] = [];
const terraformSamples: Array<{ id: string; dir: string }> = [];
const sampleRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-fuzz-'));
let renderedSoFar = 0;

afterAll(() => {
  for (const s of terraformSamples) removeSynthesis(s.dir);
  fs.rmSync(sampleRoot, { recursive: true, force: true });
});

describe('fuzz: every construct refuses bad input with a ScaleoutError or renders valid templates to both targets', () => {
  for (const spec of SPECS) {
    const cases = casesOf(spec, SEED, RANDOM_CASES);
    test(`${spec.name}: ${cases.length} cases`, () => {
      const tally: Tally = { cases: cases.length, refused: 0, rendered: 0, targetLimited: 0, crossConstruct: 0, limits: new Set(), codes: new Set() };
      const failures: string[] = [];
      cases.forEach((mutations, i) => {
        const outcome = runCase(spec, i, mutations);
        switch (outcome.kind) {
          case 'failed':
            failures.push(outcome.why);
            break;
          case 'refused':
            tally.refused++;
            tally.codes.add(outcome.code);
            break;
          case 'target-limited':
            tally.targetLimited++;
            tally.limits.add(outcome.limit);
            break;
          case 'cross-construct':
            tally.crossConstruct++;
            break;
          case 'rendered':
            tally.rendered++;
            keepSamples(spec.name, outcome.label, outcome.heat, outcome.terraformDir);
            break;
        }
      });
      tallies.set(spec.name, tally);
      expect(failures).toEqual([]);
    });
  }

  test('every construct had cases refused and cases rendered to both targets', () => {
    // One line per construct, so a construct whose fuzzing only ever refuses (or only ever
    // renders) shows up in the diff with its counts.
    const summary = SPECS.map((s) => {
      const t = tallies.get(s.name);
      if (!t) return `${s.name}: not run`;
      const limits = t.limits.size > 0 ? ` (${[...t.limits].map((l) => TARGET_LIMITS.get(l) ?? l).join('; ')})` : '';
      return `${s.name}: ${t.cases} cases, ${t.refused} refused [${[...t.codes].sort().join(' ')}], ${t.rendered} rendered, ${t.targetLimited} refused by one target${limits}, ${t.crossConstruct} cross-construct`;
    });
    const thin = SPECS.filter((s) => !tallies.get(s.name) || tallies.get(s.name)!.refused === 0 || tallies.get(s.name)!.rendered === 0).map((s) => s.name);
    expect({ thin, summary }).toEqual({ thin: [], summary });
  });

  test(`Heat's own validator accepts every ${HEAT_SAMPLE_EVERY}th rendered template (one batch)`, () => {
    expect(heatSamples.length).toBeGreaterThanOrEqual(SPECS.length);
    const rejected = validateWithHeat(heatSamples)
      .filter((r) => !r.ok)
      .map((r) => `${r.id}: ${r.error}`);
    expect(rejected).toEqual([]);
  });

  test('terraform validate accepts a handful of rendered stacks', async () => {
    expect(terraformSamples.length).toBe(TERRAFORM_SAMPLES);
    const rejected: string[] = [];
    for (const s of terraformSamples) {
      const result = await terraformValidate(s.dir);
      if (!result.valid) rejected.push(`${s.id}: ${result.diagnostics.map((d) => `${d.summary} ${d.detail ?? ''}`).join(' | ')}`);
    }
    expect(rejected).toEqual([]);
  });
});

/** Keeps every n-th rendered HOT template for Heat, and the first Terraform stack of a few constructs. */
function keepSamples(construct: string, label: string, heat: Record<string, string>, terraformDir: string): void {
  renderedSoFar++;
  if (renderedSoFar % HEAT_SAMPLE_EVERY === 1 || !heatSamples.some((s) => s.id.startsWith(`${construct} #`))) {
    const dir = fs.mkdtempSync(path.join(sampleRoot, 'heat-'));
    for (const [name, text] of Object.entries(heat)) fs.writeFileSync(path.join(dir, name), text);
    const main = Object.keys(heat).find((n) => !n.endsWith('.env.yaml'))!;
    const env = Object.keys(heat).find((n) => n.endsWith('.env.yaml'))!;
    heatSamples.push({ id: label, template: path.join(dir, main), environment: path.join(dir, env) });
  }
  const wanted = terraformSamples.length < TERRAFORM_SAMPLES && !terraformSamples.some((s) => s.id.startsWith(`${construct} #`));
  if (wanted && /Server|LoadBalancer|Database|HealthMonitor|VirtualNetwork/.test(construct)) {
    terraformSamples.push({ id: label, dir: terraformDir });
  } else {
    removeSynthesis(terraformDir);
  }
}
