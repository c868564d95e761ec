/**
 * OpenStack 2025.1's Heat (Debian 13's python3-heat, Heat 24.0.0) validating every Heat template
 * committed under templates/, as test/integration/heat-real-validator.test.ts does with Zed's
 * (Heat 19.0.0), with the same driver (test/tools/heat_validate.py). The Debian 13 root is built by
 * scripts/ensure-heat-2025.sh (run by scripts/ensure-heat.sh, so by `npm test` and `.ci/run`).
 *
 * Never skipped: if Heat 2025.1 cannot run, these tests fail.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLES } from '../../examples';
import { App, assertValidHot, OpenStackRelease, Stack, synthesizeHeat, writeHeat } from '../../src';
import { findHotTemplates, HeatValidationResult, validateWithHeat } from '../tools/heat-real-validator';

const repoRoot = path.resolve(__dirname, '..', '..');
const V = "heat_template_version: '2021-04-16'";

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-heat-2025-'));
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

function describeResult(r: HeatValidationResult): string {
  const nested = r.nested.map((n) => `\n    nested ${n.template}: ${n.ok ? 'ok' : n.error}`).join('');
  return `${r.id} (${r.template}): ${r.ok ? 'ok' : r.error}${nested}`;
}

function writeTemplate(name: string, text: string): string {
  const file = path.join(scratch, `${name}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

describe("Heat 2025.1's validator is Heat 2025.1", () => {
  it('GIVEN an OS::Aodh::PrometheusAlarm (Heat 22.0.0 / 2024.1 and newer) and a broken template WHEN both releases validate them THEN 2025.1 accepts the alarm that Zed rejects, and both reject the broken one', () => {
    // GIVEN
    const alarm = writeTemplate(
      'prometheus-alarm',
      `${V}
resources:
  cpu_high:
    type: OS::Aodh::PrometheusAlarm
    properties:
      query: 'avg(rate(ceilometer_cpu{server_group="web"}[150s])) / 1e7'
      threshold: 70
      comparison_operator: gt
`,
    );
    const broken = writeTemplate('broken', `${V}\nresources:\n  sg: {type: OS::Neutron::SecurityGroup, properties: {nmae: web}}\n`);
    const entries = [
      { id: 'alarm', template: alarm },
      { id: 'broken', template: broken },
    ];

    // WHEN
    const epoxy = validateWithHeat(entries, { release: '2025.1' });
    const zed = validateWithHeat(entries, { release: '2022.2' });

    // THEN
    expect(epoxy.map(describeResult)).toEqual([
      `alarm (${alarm}): ok`,
      // Heat 24 prefixes the message with "Property error: " (Heat 19 does not)
      `broken (${broken}): Property error: resources.sg.properties: Unknown Property nmae`,
    ]);
    expect(zed[0].ok).toBe(false);
    expect(zed[0].error).toContain('The Resource Type (OS::Aodh::PrometheusAlarm) could not be found.');
    expect(zed[1].error).toContain('Unknown Property nmae');
  });
});

describe('validateWithHeat 2025.1 without its Debian 13 root', () => {
  it('GIVEN HEAT_2025_ROOT pointing at an empty folder WHEN validating THEN it throws, naming scripts/ensure-heat-2025.sh', () => {
    const saved = process.env.HEAT_2025_ROOT;
    process.env.HEAT_2025_ROOT = path.join(scratch, 'no-root');
    try {
      expect(() => validateWithHeat([{ id: 'x', template: 'x.yaml' }], { release: '2025.1' })).toThrow(
        /Heat 2025\.1's validator needs .*no-root.*ld-linux.*bash scripts\/ensure-heat-2025\.sh/,
      );
    } finally {
      if (saved === undefined) delete process.env.HEAT_2025_ROOT;
      else process.env.HEAT_2025_ROOT = saved;
    }
  });
});

describe('every committed Heat template, on Heat 2025.1', () => {
  it('GIVEN the templates under templates/ WHEN Heat 2025.1 validates each of them THEN all pass', () => {
    // GIVEN
    const templatesRoot = path.join(repoRoot, 'templates');
    const entries = findHotTemplates(templatesRoot);
    expect(entries.length).toBeGreaterThan(0);

    // WHEN
    const results = validateWithHeat(entries, { release: '2025.1' });

    // THEN every one is ok (the failures are printed with Heat's message), nested templates included
    expect(results.filter((r) => !r.ok).map(describeResult)).toEqual([]);
    expect(results).toHaveLength(entries.length);
    expect(results.flatMap((r) => r.nested).filter((n) => !n.ok)).toEqual([]);
  });
});

describe('every example built for OpenStackRelease.V2025_1, on Heat 2025.1', () => {
  it('GIVEN each example in a Stack targeting 2025.1 WHEN synthesized and validated by Heat 24.0.0 and by the bundled 2025.1 schema THEN all pass', () => {
    // GIVEN / WHEN each example synthesized for 2025.1 into the scratch folder
    const entries = EXAMPLES.map((example) => {
      const stack = new Stack(new App(), example.name, { description: example.description, release: OpenStackRelease.V2025_1 });
      example.build(stack);
      const synthesis = synthesizeHeat(stack);
      assertValidHot({ template: synthesis.template, environment: synthesis.environment, files: synthesis.files as Record<string, Record<string, unknown>>, release: stack.release.schemaRelease });
      const dir = path.join(scratch, 'v2025_1', example.name);
      writeHeat(stack, dir, { onWarning: () => undefined });
      return { id: example.name, template: path.join(dir, `${example.name}.yaml`), environment: path.join(dir, `${example.name}.env.yaml`) };
    });
    const results = validateWithHeat(entries, { release: '2025.1' });

    // THEN
    expect(OpenStackRelease.V2025_1.schemaRelease).toBe('2025.1');
    expect(results.map((r) => r.id)).toEqual(EXAMPLES.map((e) => e.name));
    expect(results.filter((r) => !r.ok).map(describeResult)).toEqual([]);
  });
});
