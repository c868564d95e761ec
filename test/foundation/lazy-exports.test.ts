/** The built entry point loads its tool areas on first use (scripts/lazy-exports.ts). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { LAZY_AREAS, lazyReExports } from '../../scripts/lazy-exports';

const ROOT = path.resolve(__dirname, '../..');

/** Compiles `source` as tsc compiles the entry point (CommonJS, ES2022). */
function compile(source: string): string {
  return ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
}

describe('lazyReExports', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-lazy-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function writeFixture(): string {
    // An eager area and a tool area that shares one name with it and counts its loads.
    fs.writeFileSync(path.join(dir, 'core.js'), 'exports.shared = "core"; exports.coreOnly = 1;\n');
    fs.writeFileSync(path.join(dir, 'tool.js'), 'globalThis.__toolLoads = (globalThis.__toolLoads || 0) + 1; exports.shared = "tool"; exports.toolFn = function () { return "tool"; }; exports.default = "d";\n');
    return compile("export * from './core';\nexport * from './tool';\n");
  }

  test('GIVEN a compiled entry point WHEN rewritten THEN the tool area loads when one of its names is first read, once, with the same exports as before', () => {
    // GIVEN
    const compiled = writeFixture();
    fs.writeFileSync(path.join(dir, 'eager.js'), compiled);
    fs.writeFileSync(path.join(dir, 'lazy.js'), lazyReExports(compiled, ['./tool'], () => ['shared', 'toolFn', 'default']));
    const g = globalThis as { __toolLoads?: number };
    g.__toolLoads = 0;
    // WHEN
    const lazy = require(path.join(dir, 'lazy.js'));
    // THEN
    expect(g.__toolLoads).toBe(0);
    expect(Object.keys(lazy)).toEqual(['shared', 'coreOnly', 'toolFn']);
    expect(lazy.shared).toBe('core');
    expect(g.__toolLoads).toBe(0);
    expect(lazy.toolFn()).toBe('tool');
    expect(lazy.toolFn()).toBe('tool');
    expect(g.__toolLoads).toBe(1);
    const eager = require(path.join(dir, 'eager.js'));
    expect(Object.keys(lazy)).toEqual(Object.keys(eager));
    expect(lazy.shared).toBe(eager.shared);
    expect(lazy.default).toBeUndefined();
  });

  test('GIVEN an entry point without the line of an area WHEN rewritten THEN it fails naming the line', () => {
    expect(() => lazyReExports(compile("export * from './core';\n"), ['./tool'], () => [])).toThrow('no line __exportStar(require("./tool"), exports);');
  });

  test('GIVEN the real entry point WHEN compiled THEN every lazy area is one of its export-star lines, after the areas a synth needs', () => {
    const compiled = compile(fs.readFileSync(path.join(ROOT, 'src', 'index.ts'), 'utf8'));
    const rewritten = lazyReExports(compiled, LAZY_AREAS, () => ['x']);
    expect(rewritten).not.toMatch(/__exportStar\(require\("\.\/(validation|assertions|lint|diff|diagram|simulate)/);
    for (const eager of ['./core', './constructs', './stacks']) expect(rewritten).toContain(`__exportStar(require("${eager}"), exports);`);
  });
});
