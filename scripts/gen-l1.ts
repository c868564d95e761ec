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
import { generateHeatL1 } from './heat-l1-generator';

const ROOT = path.resolve(__dirname, '..');
const CDKTF_JSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8'));
const PROVIDER_VERSION = '3.4.0';
const HEAT_RELEASE = '2022.2';

async function generateTerraform(): Promise<void> {
  // Loaded after quietTerraform(): the generator reads the environment when it loads.
  const { Language, TerraformProviderConstraint } = await import('@cdktf/commons');
  const { ConstructsMaker } = await import('@cdktf/provider-generator');
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

/**
 * cdktf's generator asks the Terraform CLI for its version; Terraform complains (and cdktf logs it
 * as a red [ERROR]) when TF_CLI_CONFIG_FILE names a file that does not exist, and phones home for
 * update checks. Neither matters for generation: keep the install quiet.
 */
function quietTerraform(): void {
  const config = process.env.TF_CLI_CONFIG_FILE;
  if (config !== undefined && !fs.existsSync(config)) delete process.env.TF_CLI_CONFIG_FILE;
  process.env.CHECKPOINT_DISABLE = '1';
}

async function main(): Promise<void> {
  const started = Date.now();
  quietTerraform();
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
