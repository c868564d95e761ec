/**
 * Builds what the package ships (run by `prepare`, so `npm ci`, `npm pack`, `npm publish` and git
 * installs all get it):
 *
 * 1. `tsc -p tsconfig.build.json`: `src/` and the generated L1 in `.gen/` to JavaScript and
 *    declarations in `lib/` (members marked `@internal` stripped from the declarations).
 * 2. Every `require("cdktf")` of the output, the generated bindings' included, goes through
 *    `engineModule()` (lib/src/engine.js), which loads the user's cdktf or cdktn on first use:
 *    one build serves both engines, and a Heat-only program loads neither.
 * 3. The bindings' declarations are copied to `lib/cdktn/` with `cdktn` as the engine, for the
 *    `scaleout/cdktn/providers/openstack` subpath (the JavaScript is shared).
 * 4. The entry point loads its tool areas (checkers, assertions, lint, diff, diagram, simulator)
 *    on first use (scripts/lazy-exports.ts).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeEntryPointLazy } from './lazy-exports';

const ROOT = path.resolve(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
const ENGINE = path.join(LIB, 'src', 'engine.js');

function files(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), suffix) : e.name.endsWith(suffix) ? [path.join(dir, e.name)] : []))
    .sort();
}

/** The engine-neutral stand-in for the L1 types in the public declarations (both engines' L1s satisfy it). */
const TERRAFORM_L1_DTS = `import type { IConstruct } from 'constructs';
/** Something a Terraform element can depend on (an engine's \`ITerraformDependable\`). */
export interface TerraformDependable {
    readonly fqn: string;
}
/**
 * An L1 resource of the Terraform CDK engine in use (cdktf or cdktn): the declarations name no
 * engine, so one package type-checks in both kinds of app. Cast to the binding's class
 * (\`scaleout/providers/openstack/<resource>\`, or \`scaleout/cdktn/providers/openstack/<resource>\`)
 * for its typed attributes.
 */
export interface TerraformL1 extends IConstruct, TerraformDependable {
    readonly terraformResourceType: string;
    readonly friendlyUniqueId: string;
    addOverride(path: string, value: any): void;
    overrideLogicalId(newLogicalId: string): void;
}
/** The common arguments of an L1's config. */
export interface TerraformL1Config {
    readonly dependsOn?: TerraformDependable[];
}
`;

/**
 * Makes the public declarations name no engine: an import of an L1 binding (whose declarations
 * import 'cdktf', absent in a cdktn app) becomes the engine-neutral \`TerraformL1\`. Returns the
 * number of files changed.
 */
function neutralizeDeclarations(srcLib: string): number {
  const stub = path.join(srcLib, 'terraform-l1.d.ts');
  fs.writeFileSync(stub, TERRAFORM_L1_DTS);
  let changed = 0;
  for (const file of files(srcLib, '.d.ts')) {
    const text = fs.readFileSync(file, 'utf8');
    let rel = path.relative(path.dirname(file), stub).replace(/\\/g, '/').replace(/\.d\.ts$/, '');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    const out = text
      .replace(/^import type \{ ([^}]+) \} from '(?:\.\.\/|\.\/)+\.gen\/providers\/[^']+';$/gm, (_m, names: string) => {
        const aliases = names.split(',').map((n) => n.trim()).filter(Boolean).map((n) => `${n.endsWith('Config') ? 'TerraformL1Config' : 'TerraformL1'} as ${n}`);
        return `import type { ${aliases.join(', ')} } from '${rel}';`;
      })
      // The internal table of binding classes (not reachable from the entry point) keeps no engine either.
      .replace(/typeof import\("(?:\.\.\/|\.\/)+\.gen\/providers\/[^"]+"\)\.\w+/g, 'unknown');
    if (out !== text) {
      fs.writeFileSync(file, out);
      changed++;
    }
  }
  return changed;
}

function main(): void {
  const started = Date.now();
  fs.rmSync(LIB, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit', cwd: ROOT });

  let rewritten = 0;
  for (const file of files(LIB, '.js')) {
    if (file === ENGINE) continue;
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes('require("cdktf")')) continue;
    let rel = path.relative(path.dirname(file), ENGINE).replace(/\\/g, '/').replace(/\.js$/, '');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    fs.writeFileSync(file, text.split('require("cdktf")').join(`require(${JSON.stringify(rel)}).engineModule()`));
    rewritten++;
  }

  const bindings = path.join(LIB, '.gen', 'providers');
  const cdktnTypes = path.join(LIB, 'cdktn', 'providers');
  let typed = 0;
  for (const file of files(bindings, '.d.ts')) {
    const target = path.join(cdktnTypes, path.relative(bindings, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, fs.readFileSync(file, 'utf8').split("from 'cdktf'").join("from 'cdktn'"));
    typed++;
  }
  makeEntryPointLazy(LIB);
  const neutral = neutralizeDeclarations(path.join(LIB, 'src'));
  const leaked = files(path.join(LIB, 'src'), '.d.ts').filter((f) => /from ['"]cdktf['"]|import\(['"]cdktf['"]\)|from ['"][./]*\.gen\/providers\//.test(fs.readFileSync(f, 'utf8')));
  if (leaked.length > 0) {
    throw new Error(`the public declarations must not name an engine (a cdktn app could not type-check them): ${leaked.map((f) => path.relative(ROOT, f)).join(', ')}`);
  }
  fs.chmodSync(path.join(LIB, 'src', 'cli', 'main.js'), 0o755);
  process.stdout.write(`built lib/ in ${((Date.now() - started) / 1000).toFixed(1)} s: ${rewritten} modules load the engine lazily, ${typed} cdktn declaration files, ${neutral} declaration files engine-neutral\n`);
}

main();
