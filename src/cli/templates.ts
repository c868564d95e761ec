/**
 * Finds synthesized output in a folder, for the commands that read written templates (validate,
 * and the review tools): Heat stacks (`<stack>.yaml` next to `<stack>.env.yaml`, with the nested
 * templates of the same folder) and Terraform stacks (`cdk.tf.json`).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/** One Heat stack as written by `writeHeat`. */
export interface HeatStackFiles {
  /** The stack name (`<name>.yaml`). */
  readonly name: string;
  /** The folder holding it. */
  readonly dir: string;
  readonly template: Record<string, unknown>;
  readonly environment: Record<string, unknown>;
  /** Other templates of the folder, by file name. */
  readonly files: Record<string, Record<string, unknown>>;
}

/** One Terraform stack as written by the engine. */
export interface TerraformStackFiles {
  /** The stack folder's name. */
  readonly name: string;
  /** The `cdk.tf.json` path. */
  readonly file: string;
  readonly json: Record<string, unknown>;
}

/** Files below `dir`, leaving out hidden ones (editors' and tools' temporary files, e.g. `.x.swp`). */
function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/** Every Heat stack below `root` (a file or a folder). */
export function findHeatStacks(root: string): HeatStackFiles[] {
  const all = fs.statSync(root).isDirectory() ? walk(root) : [root];
  const envs = all.filter((f) => f.endsWith('.env.yaml'));
  return envs.map((env) => {
    const dir = path.dirname(env);
    const name = path.basename(env, '.env.yaml');
    const mainFile = path.join(dir, `${name}.yaml`);
    if (!fs.existsSync(mainFile)) throw new Error(`${env} has no main template ${name}.yaml beside it`);
    const files: Record<string, Record<string, unknown>> = {};
    for (const f of fs.readdirSync(dir).sort()) {
      if (f.startsWith('.') || !f.endsWith('.yaml') || f === `${name}.yaml` || f.endsWith('.env.yaml')) continue;
      files[f] = load(path.join(dir, f));
    }
    return { name, dir, template: load(mainFile), environment: load(env), files };
  });
}

/** Every `cdk.tf.json` below `root`. */
export function findTerraformStacks(root: string): TerraformStackFiles[] {
  const all = fs.statSync(root).isDirectory() ? walk(root) : [root];
  return all
    .filter((f) => path.basename(f) === 'cdk.tf.json')
    .map((file) => ({ name: path.basename(path.dirname(file)), file, json: JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> }));
}

function load(file: string): Record<string, unknown> {
  const doc = yaml.load(fs.readFileSync(file, 'utf8'));
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${file} is not a YAML mapping`);
  return doc as Record<string, unknown>;
}
