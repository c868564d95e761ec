/**
 * Test helpers: synthesize a stack to either target and check the result against the schema
 * validators on every call, so every test that synthesizes also proves the output is valid.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, synthesizeHeat, synthesizeTerraform, type HeatSynthesis } from '../../src';
import { assertValidHot } from '../../src/validation/heat';
import { assertValidTerraformJson } from '../../src/validation/terraform';

/** A HOT resource as synthesized. */
export interface HotResource {
  type: string;
  properties?: Record<string, any>;
  depends_on?: string[];
  update_policy?: Record<string, any>;
  metadata?: Record<string, any>;
}

/** Synthesizes to HOT and checks every document (main and nested) against Heat's schema. */
export function heatOf(stack: Stack): HeatSynthesis & { resources: Record<string, HotResource> } {
  const synthesis = synthesizeHeat(stack);
  assertValidHot({
    template: synthesis.template,
    environment: synthesis.environment,
    files: synthesis.files as Record<string, Record<string, unknown>>,
    release: stack.release.schemaRelease,
  });
  return { ...synthesis, resources: synthesis.template.resources as Record<string, HotResource> };
}

/** The resources of one type in a HOT document, by logical name. */
export function hotResourcesOfType(doc: Record<string, unknown>, type: string): Record<string, HotResource> {
  const resources = (doc.resources ?? {}) as Record<string, HotResource>;
  return Object.fromEntries(Object.entries(resources).filter(([, r]) => r.type === type));
}

/** Terraform JSON of a stack plus the folder it was written to (with its assets). */
export interface TfSynthesis {
  json: Record<string, any>;
  directory: string;
  /** resource[type] or {} */
  resources(type: string): Record<string, any>;
}

/** Synthesizes to Terraform JSON in a temp folder and checks it against the provider schema. */
export function terraformOf(stack: Stack): TfSynthesis {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-test-'));
  const [result] = synthesizeTerraform(stack, outdir);
  assertValidTerraformJson(result.json);
  const json = result.json as Record<string, any>;
  return { json, directory: result.directory, resources: (type: string) => json.resource?.[type] ?? {} };
}
