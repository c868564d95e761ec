/**
 * Loads the entry point's tool areas on first use. `tsc` compiles `export * from './lint'` to
 * `__exportStar(require("./lint"), exports)`, which loads the area (and everything it imports)
 * with the entry point. A synth needs none of the checkers, diff, diagram or simulator: loading
 * them was about 40 ms of every process's start-up (a fifth of a small Heat synth). This step
 * rewrites each such line of the compiled `lib/src/index.js` into getters with the same names,
 * in the same order and with the same precedence as `__exportStar` (a name already exported wins),
 * that require the area when one of its exports is first read. The declarations are untouched.
 * Used by scripts/build.ts (what the package ships) and scripts/bench.ts (what is measured).
 */
import * as fs from 'fs';
import * as path from 'path';

/** The areas of `src/index.ts` loaded on first use: none of them is needed to synthesize. */
export const LAZY_AREAS = ['./validation/heat', './validation/terraform', './assertions', './lint', './diff', './diagram', './simulate'];

const HELPER = `var __lazyExportStar = function (load, names, exports) {
    var m;
    names.forEach(function (k) {
        if (k === "default" || Object.prototype.hasOwnProperty.call(exports, k)) return;
        Object.defineProperty(exports, k, { enumerable: true, get: function () { return (m || (m = load()))[k]; } });
    });
};
`;

/**
 * Rewrites `__exportStar(require("<area>"), exports);` for each of `areas` in the compiled text of
 * an entry point; `namesOf(area)` gives the area's export names. Returns the new text; throws if
 * an area's line is missing (the entry point changed shape).
 */
export function lazyReExports(text: string, areas: readonly string[], namesOf: (area: string) => string[]): string {
  let out = text;
  for (const area of areas) {
    const line = `__exportStar(require(${JSON.stringify(area)}), exports);`;
    if (!out.includes(line)) throw new Error(`lazy exports: no line ${line} in the entry point`);
    out = out.replace(line, `__lazyExportStar(function () { return require(${JSON.stringify(area)}); }, ${JSON.stringify(namesOf(area))}, exports);`);
  }
  const anchor = 'Object.defineProperty(exports, "__esModule", { value: true });\n';
  if (!out.includes(anchor)) throw new Error('lazy exports: the entry point has no __esModule marker');
  return out.replace(anchor, `${anchor}${HELPER}`);
}

/** Applies `lazyReExports` to `<lib>/src/index.js`, reading each area's names from its compiled module. */
export function makeEntryPointLazy(lib: string): void {
  const entry = path.join(lib, 'src', 'index.js');
  const text = fs.readFileSync(entry, 'utf8');
  const namesOf = (area: string): string[] => Object.keys(require(path.resolve(lib, 'src', area)) as object);
  fs.writeFileSync(entry, lazyReExports(text, LAZY_AREAS, namesOf));
}
