/** The two renderers: template versions, file layout, determinism, cdktf synth offline. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { App, heatFiles, HeatContext, OpenStackRelease, Resource, SecurityGroup, Stack, synthesizeHeat, synthesizeTerraform, TerraformContext, writeHeat } from '../../src';
import { errorOf } from '../util/errors';
import { validateHot } from '../../src/validation/heat';
import { EXAMPLES } from '../../examples';
import { synthExample } from '../../scripts/synth-examples';

const ROOT = path.resolve(__dirname, '../..');

function listFiles(dir: string): string[] {
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  return walk(dir)
    .map((f) => path.relative(dir, f))
    .sort();
}

describe('HeatStack rendering', () => {
  test('the template version comes from the target release and the description from the stack', () => {
    const app = new App();
    const stack = new Stack(app, 'versions', { release: OpenStackRelease.V2024_1, description: 'Versioned' });
    new SecurityGroup(stack, 'Sg');
    const { template } = synthesizeHeat(stack);
    expect(template.heat_template_version).toBe(OpenStackRelease.V2024_1.heatTemplateVersion);
    expect(template.description).toBe('Versioned');
  });

  test('a stack targets Zed (2022.2), the release of the bundled Heat 19.0.0 schema, by default; 2023.1 is its deprecated alias', () => {
    // GIVEN a stack without a release, and one with the deprecated name
    const app = new App();
    const plain = new Stack(app, 'plain');
    const old = new Stack(app, 'old', { release: OpenStackRelease.V2023_1 });
    // THEN both are Zed, checked against the 2022.2 dump, and the names say so
    expect(plain.release).toBe(OpenStackRelease.V2022_2);
    expect(old.release).toBe(OpenStackRelease.V2022_2);
    expect(plain.release.toString()).toBe('2022.2 (Zed)');
    expect(plain.release.schemaRelease).toBe('2022.2');
    expect(OpenStackRelease.of('2023.1')).toBe(OpenStackRelease.V2022_2);
    expect(OpenStackRelease.ALL.map((r) => r.version)).toEqual(['2022.2', '2023.2', '2024.1', '2024.2', '2025.1']);
    // AND each release is checked against the newest bundled Heat schema not after it
    expect(OpenStackRelease.ALL.map((r) => r.schemaRelease)).toEqual(['2022.2', '2022.2', '2024.1', '2024.1', '2025.1']);
    // AND the validator still takes the old release name
    new SecurityGroup(plain, 'Sg');
    const { template } = synthesizeHeat(plain);
    expect(validateHot({ template, release: '2023.1' })).toEqual([]);
    expect(validateHot({ template, release: '2022.2' })).toEqual([]);
  });

  test('writeHeat writes <stack>.yaml and <stack>.env.yaml that parse back to the synthesized documents', () => {
    const app = new App();
    const stack = new Stack(app, 'files');
    new SecurityGroup(stack, 'Sg');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-heat-'));
    const written = writeHeat(stack, dir).map((f) => path.basename(f)).sort();
    expect(written).toEqual(['files.env.yaml', 'files.yaml']);
    expect(yaml.load(fs.readFileSync(path.join(dir, 'files.yaml'), 'utf8'))).toEqual(synthesizeHeat(stack).template);
  });

  test('the same app synthesizes byte-identical HOT every time', () => {
    const build = () => {
      const app = new App();
      const stack = new Stack(app, 'same');
      const a = new SecurityGroup(stack, 'A');
      const b = new SecurityGroup(stack, 'B');
      a.connections.allowFrom(b, require('../../src').Port.tcp(8080));
      return heatFiles(synthesizeHeat(stack));
    };
    expect(build()).toEqual(build());
  });
});

describe('examples', () => {
  test.each(EXAMPLES.map((e) => e.name))('%s synthesizes byte-identical files twice, equal to the committed templates/', (name) => {
    // GIVEN two fresh synth runs of the example
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-a-'));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-b-'));
    synthExample(name, a);
    synthExample(name, b);
    // THEN they list the same files with the same bytes
    const files = listFiles(path.join(a, name));
    expect(listFiles(path.join(b, name))).toEqual(files);
    for (const f of files) expect(fs.readFileSync(path.join(b, name, f))).toEqual(fs.readFileSync(path.join(a, name, f)));
    // AND the committed templates/ are exactly what the code synthesizes (run `npm run synth` after a change)
    const committed = path.join(ROOT, 'templates', name);
    expect(listFiles(committed)).toEqual(files);
    for (const f of files) {
      expect({ file: f, text: fs.readFileSync(path.join(committed, f), 'utf8') }).toEqual({ file: f, text: fs.readFileSync(path.join(a, name, f), 'utf8') });
    }
  });
});

describe('shared declarations', () => {
  /** A resource that declares one parameter/variable with a description of its choice. */
  class Declares extends Resource {
    constructor(scope: Stack, id: string, private readonly text: string) {
      super(scope, id);
    }
    public _toHeat(ctx: HeatContext): void {
      ctx.parameter('shared', { type: 'string', description: this.text });
    }
    public _toTerraform(ctx: TerraformContext): unknown {
      return ctx.variable('shared', { type: 'string', description: this.text });
    }
  }

  test('the same declaration twice is one parameter in Heat and one variable in Terraform', () => {
    const app = new App();
    const stack = new Stack(app, 'shared');
    new Declares(stack, 'A', 'same');
    new Declares(stack, 'B', 'same');
    expect(synthesizeHeat(stack).template.parameters).toEqual({ shared: { type: 'string', description: 'same' } });
    const [tf] = synthesizeTerraform(stack, fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-vars-')));
    expect(Object.keys((tf.json as any).variable)).toEqual(['shared']);
  });

  test('two different declarations of one name are refused in both targets, never merged silently', () => {
    const app = new App();
    const stack = new Stack(app, 'shared');
    new Declares(stack, 'A', 'first');
    new Declares(stack, 'B', 'second');
    expect(errorOf(() => synthesizeHeat(stack)).message).toContain("'shared' is declared twice as a parameter with different definitions");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-vars-'));
    expect(errorOf(() => synthesizeTerraform(stack, out)).message).toContain("'shared' is declared twice as a Terraform variable with different definitions");
  });
});

describe('synthesizeTerraform result', () => {
  test('GIVEN a synthesized stack WHEN its output folder is gone before json is first read THEN json is still the document written, parsed once', () => {
    // GIVEN
    const stack = new Stack(new App(), 'result');
    new SecurityGroup(stack, 'Web');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-result-'));
    const [tf] = synthesizeTerraform(stack, out);
    const written = fs.readFileSync(path.join(tf.directory, 'cdk.tf.json'), 'utf8');
    // WHEN
    fs.rmSync(out, { recursive: true, force: true });
    // THEN
    expect(tf.json).toEqual(JSON.parse(written));
    expect(Object.keys((tf.json as any).resource)).toContain('openstack_networking_secgroup_v2');
    expect(tf.json).toBe(tf.json);
  });
});

describe('machine independence', () => {
  test('no synthesized file holds a path of this machine (the checkout or the temp folder)', () => {
    // GIVEN every example synthesized into a temp folder
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-paths-'));
    for (const e of EXAMPLES) synthExample(e.name, out);
    // THEN no file names the checkout or the temp folder (cdktf's default backend would write the cwd)
    for (const f of listFiles(out)) {
      const text = fs.readFileSync(path.join(out, f), 'utf8');
      expect({ f, hasRoot: text.includes(ROOT), hasTmp: text.includes(os.tmpdir()) }).toEqual({ f, hasRoot: false, hasTmp: false });
    }
    expect(listFiles(out).length).toBeGreaterThan(EXAMPLES.length);
  });
});

describe('cdktf synth', () => {
  test('works offline and writes cdktf.out/stacks/<stack>/cdk.tf.json for every example', () => {
    // GIVEN a copy of the project's cdktf.json pointing at our app, in a scratch folder
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-cdktf-'));
    // WHEN `cdktf synth` runs (no network: the provider bindings are already generated)
    execFileSync(path.join(ROOT, 'node_modules/.bin/cdktf'), ['synth', '--output', out], {
      cwd: ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1', DISABLE_VERSION_CHECK: '1', CI: '1' },
      stdio: 'pipe',
      timeout: 180000,
    });
    // THEN each example's stack is there and equals the committed Terraform template
    for (const example of EXAMPLES) {
      {
        const file = path.join(out, 'stacks', example.name, 'cdk.tf.json');
        expect(fs.existsSync(file)).toBe(true);
        const committed = path.join(ROOT, 'templates', example.name, 'terraform', 'cdk.tf.json');
        expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(JSON.parse(fs.readFileSync(committed, 'utf8')));
      }
    }
  });
});
