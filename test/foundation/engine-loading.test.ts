/** Loading the engine: `archiver`, which cdktf requires eagerly and Scaleout never uses, loads on first use only. */
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

/** Runs a script in a fresh Node process (the module cache is per process), with the sources through ts-node. */
function fresh(script: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['-e', `require('ts-node').register({ transpileOnly: true });\n${script}`], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('engine loading', () => {
  test('GIVEN Scaleout loads cdktf WHEN nothing zips THEN archiver is not loaded; WHEN the app zips THEN it gets the real archiver', () => {
    const result = fresh(`
      const path = require('path');
      const { engineModule } = require('./src/engine');
      const cdktf = engineModule();
      const entry = require.resolve('archiver', { paths: [path.dirname(require.resolve('cdktf/package.json'))] });
      const loadedUtils = () => Object.keys(require.cache).some((f) => f.includes(path.sep + 'archiver-utils' + path.sep));
      const before = loadedUtils();
      const archiver = require(entry);
      const zip = archiver('zip');
      const registered = archiver.isRegisteredFormat('zip');
      console.log(JSON.stringify({ app: typeof cdktf.App, before, after: loadedUtils(), pipe: typeof zip.pipe, registered }));
    `);
    expect(result).toEqual({ app: 'function', before: false, after: true, pipe: 'function', registered: true });
  });

  test('GIVEN the app loaded cdktf first WHEN Scaleout uses it THEN archiver is the one cdktf loaded', () => {
    const result = fresh(`
      const path = require('path');
      require('cdktf');
      const entry = require.resolve('archiver', { paths: [path.dirname(require.resolve('cdktf/package.json'))] });
      const real = require.cache[entry].exports;
      const { engineModule } = require('./src/engine');
      engineModule();
      console.log(JSON.stringify({ same: require(entry) === real }));
    `);
    expect(result).toEqual({ same: true });
  });

  test('GIVEN the synthesis path WHEN it loads js-yaml THEN one file of it loads (its single-file build), writing what js-yaml itself writes', () => {
    const result = fresh(`
      const path = require('path');
      const { yaml } = require('./src/core/js-yaml');
      const files = Object.keys(require.cache).filter((f) => f.includes(path.sep + 'js-yaml' + path.sep)).map((f) => path.relative(path.dirname(require.resolve('js-yaml')), f));
      const doc = { a: 'yes', b: ['x\\ny\\n', 1.5, null], 'c d': { e: "it's" } };
      const options = { noRefs: true, lineWidth: -1, quotingType: "'" };
      const mine = yaml.dump(doc, options);
      const theirs = require('js-yaml').dump(doc, options);
      console.log(JSON.stringify({ files, same: mine === theirs, text: mine }));
    `);
    expect(result.files).toEqual([path.join('dist', 'js-yaml.js')]);
    expect(result.same).toBe(true);
    expect(result.text).toContain("a: 'yes'");
  });
});
