/**
 * js-yaml for the synthesis path (HOT files, cloud-config user data), loaded from the single-file
 * build its package ships (`dist/js-yaml.js`, built from the same `lib/` at the same version):
 * one module instead of the 25 its `index.js` pulls in, about 20 ms less start-up for every
 * process that synthesizes. Its package `exports` only name `.`, so the file is required by its
 * path next to the resolved entry; if it is not there, js-yaml loads as usual. The checkers and
 * tools (src/assertions, src/lint, src/diff) use `js-yaml` itself.
 */
import * as path from 'path';
import type * as JsYaml from 'js-yaml';

function load(): typeof JsYaml {
  try {
    return require(path.join(path.dirname(require.resolve('js-yaml')), 'dist', 'js-yaml.js')) as typeof JsYaml;
  } catch {
    return require('js-yaml') as typeof JsYaml;
  }
}

/** The js-yaml module. */
export const yaml: typeof JsYaml = load();
