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
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
const ENGINE = path.join(LIB, 'src', 'engine.js');

function files(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), suffix) : e.name.endsWith(suffix) ? [path.join(dir, e.name)] : []))
    .sort();
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
  const leaked = files(path.join(LIB, 'src'), '.d.ts').filter((f) => /from ['"]cdktf['"]|import\(['"]cdktf['"]\)/.test(fs.readFileSync(f, 'utf8')));
  if (leaked.length > 0) {
    throw new Error(`the public declarations must not name an engine (a cdktn app could not type-check them): ${leaked.map((f) => path.relative(ROOT, f)).join(', ')}`);
  }
  fs.chmodSync(path.join(LIB, 'src', 'cli', 'main.js'), 0o755);
  process.stdout.write(`built lib/ in ${((Date.now() - started) / 1000).toFixed(1)} s: ${rewritten} modules load the engine lazily, ${typed} cdktn declaration files\n`);
}

main();
