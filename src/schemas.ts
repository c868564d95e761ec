import * as fs from 'fs';
import * as path from 'path';

/** The OpenStack provider version whose schema the Terraform side is generated from and checked against. */
export const TERRAFORM_PROVIDER_VERSION = '3.4.0';

let schemasRoot: string | undefined;

/**
 * Absolute path of a file under the package's `schemas/` folder (copied from the upstream dumps so
 * that the package works without anything outside it). Works from `src/` (ts-node, jest) and from
 * the compiled `lib/`.
 */
export function schemaPath(...parts: string[]): string {
  if (!schemasRoot) {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, 'schemas', 'heat'))) {
      const parent = path.dirname(dir);
      if (parent === dir) {
        throw new Error(`scaleout: cannot find the 'schemas' folder above ${__dirname}; the package is incomplete`);
      }
      dir = parent;
    }
    schemasRoot = path.join(dir, 'schemas');
  }
  return path.join(schemasRoot, ...parts);
}

const jsonCache = new Map<string, unknown>();

/** Reads and caches a JSON file under `schemas/`. */
export function loadSchemaJson<T>(...parts: string[]): T {
  const file = schemaPath(...parts);
  let value = jsonCache.get(file);
  if (value === undefined) {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
    jsonCache.set(file, value);
  }
  return value as T;
}
