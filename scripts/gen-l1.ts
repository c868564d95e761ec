/**
 * Regenerates the L1 layer from the schemas committed under `schemas/`:
 *
 * - Terraform: cdktf's own generator (`ConstructsMaker`, the code path of `cdktf get`) with its
 *   provider-schema cache pre-filled from `schemas/terraform-provider-openstack/<version>/schema.json`,
 *   so the bindings in `.gen/providers/openstack` are exactly what `cdktf get` writes, offline.
 * - Heat: typed property interfaces for the resource types the constructs use, generated from
 *   `schemas/heat/<release>/resource_types.json` into `.gen/heat/`.
 *
 * Usage: `npm run gen` (also run by `npm ci` through the `prepare` script).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Language, TerraformProviderConstraint } from '@cdktf/commons';
import { ConstructsMaker } from '@cdktf/provider-generator';
import { generateHeatL1 } from './heat-l1-generator';

const ROOT = path.resolve(__dirname, '..');
const CDKTF_JSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8'));
const PROVIDER_VERSION = '3.4.0';
const HEAT_RELEASE = '2023.1';

async function generateTerraform(): Promise<void> {
  const providers: string[] = CDKTF_JSON.terraformProviders;
  const constraints = providers.map((p) => new TerraformProviderConstraint(p));
  const schema = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'schemas', 'terraform-provider-openstack', PROVIDER_VERSION, 'schema.json'), 'utf8'),
  );
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-schema-cache-'));
  try {
    for (const c of constraints) {
      // The key cdktf's schema cache uses: encodeURIComponent(fqn)@encodeURIComponent(version).
      const key = `${encodeURIComponent(c.fqn)}@${encodeURIComponent(c.version ?? '')}`;
      const fqpn = Object.keys(schema.provider_schemas).find((k) => k.endsWith(`/${c.fqn}`));
      if (!fqpn) throw new Error(`schema.json has no provider matching ${c.fqn}`);
      const entry = { ...schema, provider_versions: { [fqpn]: PROVIDER_VERSION } };
      fs.writeFileSync(path.join(cacheDir, `${key}.json`), JSON.stringify(entry));
    }
    const outdir = path.join(ROOT, CDKTF_JSON.codeMakerOutput);
    fs.rmSync(path.join(outdir, 'providers'), { recursive: true, force: true });
    fs.rmSync(path.join(outdir, 'constraints.json'), { force: true });
    const maker = new ConstructsMaker({ codeMakerOutput: outdir, targetLanguage: Language.TYPESCRIPT }, cacheDir);
    await maker.generate(constraints);
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  await generateTerraform();
  generateHeatL1({
    schemaFile: path.join(ROOT, 'schemas', 'heat', HEAT_RELEASE, 'resource_types.json'),
    outFile: path.join(ROOT, CDKTF_JSON.codeMakerOutput, 'heat', 'resources.ts'),
  });
  process.stdout.write(`L1 generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
