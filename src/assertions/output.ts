/**
 * Synthesized output as plain documents, read from a stack (in memory) or from written folders,
 * for the assertions API and the policy pack. Only the public synthesis entry points are used
 * (`synthesizeHeat`, `synthesizeTerraform`), so a change in how stacks are hosted changes this
 * file alone.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import type { IConstruct } from 'constructs';
import { isScaleoutStack, Stack } from '../core/stack';
import { TerraformRenderer } from '../stacks/terraform/renderer';
import { synthesizeHeat } from '../stacks/heat/heat-synthesizer';
import { synthesizeTerraform } from '../stacks/terraform/terraform-synthesizer';

/** A parsed HOT document or Terraform JSON document. */
export type Doc = Record<string, any>;

/** The Heat output of one stack: the main template, the environment and the nested templates. */
export interface HeatOutput {
  readonly target: 'heat';
  /** Where it came from (a folder, or `stack <name>`), for messages. */
  readonly source: string;
  /** File name of the main template. */
  readonly main: string;
  /** Every HOT document by file name, the main one included. */
  readonly files: Readonly<Record<string, Doc>>;
  /** The environment file, when there is one. */
  readonly environment?: Doc;
}

/** The Terraform output of one stack: `cdk.tf.json` and the nested HOT files written beside it. */
export interface TerraformOutput {
  readonly target: 'terraform';
  /** Where it came from (a folder, or `stack <name>`), for messages. */
  readonly source: string;
  /** The parsed `cdk.tf.json`. */
  readonly json: Doc;
  /** Nested HOT documents by their path relative to the stack folder (as Heat templates name them). */
  readonly files: Readonly<Record<string, Doc>>;
}

/** Output of either target. */
export type SynthOutput = HeatOutput | TerraformOutput;

/** A target name. */
export type Target = 'heat' | 'terraform';

function parseYaml(text: string, where: string): Doc {
  try {
    const doc = yaml.load(text);
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not a mapping');
    return doc as Doc;
  } catch (e) {
    throw new Error(`${where}: not a YAML mapping (${(e as Error).message.split('\n')[0]})`);
  }
}

/** The Heat output of a stack, rendered in memory. */
export function heatOutputOfStack(stack: IConstruct): HeatOutput {
  const s = synthesizeHeat(stack);
  const main = `${s.stackName}.yaml`;
  return { target: 'heat', source: `stack ${s.stackName}`, main, files: { [main]: s.template, ...s.files }, environment: s.environment };
}

/** The Terraform output of a stack: synthesized into a private temp folder that is deleted again. */
export function terraformOutputOfStack(stack: IConstruct): TerraformOutput {
  if (!isScaleoutStack(stack)) {
    // A cdktf/cdktn TerraformStack: render it as the engine would, in memory (no files at all).
    const target = Stack.of(stack);
    const renderer = TerraformRenderer.of(target);
    renderer.render();
    const json = (stack as unknown as { toTerraform(): Doc }).toTerraform();
    const files = Object.fromEntries([...renderer.assetTexts()].map(([rel, text]) => [rel, parseYaml(text, rel)]));
    return { target: 'terraform', source: `stack ${target.stackName}`, json, files };
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-assertions-'));
  try {
    const [result] = synthesizeTerraform(stack, outdir);
    return { target: 'terraform', source: `stack ${stack.stackName}`, json: result.json as Doc, files: yamlFilesBelow(result.directory) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every `.yaml` file below `dir`, parsed, by POSIX path relative to `dir`, in code-unit order. */
function yamlFilesBelow(dir: string): Record<string, Doc> {
  const out: Record<string, Doc> = {};
  const walk = (rel: string) => {
    const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.yaml') || e.name.endsWith('.template')) out[r] = parseYaml(fs.readFileSync(path.join(dir, r), 'utf8'), path.join(dir, r));
    }
  };
  walk('');
  return out;
}

/** True for a resource type naming a nested template file rather than a plugin type. */
export function isTemplateType(type: unknown): type is string {
  return typeof type === 'string' && (type.endsWith('.yaml') || type.endsWith('.template'));
}

/** The nested template files a HOT document references as resource types (groups' `resource.type` too). */
export function nestedTypesOf(doc: Doc): Array<{ resource: string; file: string }> {
  const out: Array<{ resource: string; file: string }> = [];
  for (const [name, r] of Object.entries((doc.resources ?? {}) as Record<string, Doc>)) {
    if (isTemplateType(r?.type)) out.push({ resource: name, file: r.type });
    const inner = r?.properties?.resource?.type;
    if ((r?.type === 'OS::Heat::AutoScalingGroup' || r?.type === 'OS::Heat::ResourceGroup') && isTemplateType(inner)) out.push({ resource: name, file: inner });
    const def = r?.properties?.resource_def?.type;
    if (r?.type === 'OS::Heat::ResourceGroup' && isTemplateType(def)) out.push({ resource: name, file: def });
  }
  return out;
}

/**
 * Reads the Heat output written in `dir` (`<stack>.yaml`, `<stack>.env.yaml`, nested templates):
 * one entry per main template, i.e. per `.yaml` that is neither an environment file nor referenced
 * as a nested template by another file.
 */
export function readHeatFolder(dir: string): HeatOutput[] {
  const files = yamlFilesBelow(dir);
  const envs = Object.keys(files).filter((f) => f.endsWith('.env.yaml'));
  const templates = Object.fromEntries(Object.entries(files).filter(([f]) => !f.endsWith('.env.yaml')));
  const referenced = new Set(Object.values(templates).flatMap((d) => nestedTypesOf(d).map((n) => n.file)));
  const mains = Object.keys(templates).filter((f) => !referenced.has(f));
  return mains.map((main) => {
    const env = envs.find((e) => e === main.replace(/\.yaml$/, '.env.yaml'));
    return { target: 'heat', source: dir, main, files: templates, environment: env ? files[env] : undefined };
  });
}

/** Reads the Terraform output written in `dir` (a folder holding `cdk.tf.json`). */
export function readTerraformFolder(dir: string): TerraformOutput {
  const file = path.join(dir, 'cdk.tf.json');
  let json: Doc;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as Doc;
  } catch (e) {
    throw new Error(`${file}: cannot be read as Terraform JSON (${(e as Error).message})`);
  }
  return { target: 'terraform', source: dir, json, files: yamlFilesBelow(dir) };
}

/**
 * Every synthesized output below `dir`: each folder holding `cdk.tf.json` is Terraform output,
 * each folder holding an `*.env.yaml` is Heat output. Folders are visited in code-unit order.
 */
export function readOutputFolders(dir: string): SynthOutput[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir}: is not a folder of synthesized templates`);
  const out: SynthOutput[] = [];
  const walk = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (entries.some((e) => e.isFile() && e.name === 'cdk.tf.json')) {
      out.push(readTerraformFolder(d));
      return;
    }
    if (entries.some((e) => e.isFile() && e.name.endsWith('.env.yaml'))) {
      out.push(...readHeatFolder(d));
      return;
    }
    for (const e of entries) if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) walk(path.join(d, e.name));
  };
  walk(dir);
  return out;
}

/**
 * The Heat template embedded in an `openstack_orchestration_stack_v1` (its `template_opts.Bin`),
 * parsed. Terraform escapes `${` and `%{` in strings as `$${` and `%%{`; they are unescaped first.
 */
export function embeddedTemplateOf(resource: Doc, where: string): Doc | undefined {
  const bin = resource?.template_opts?.Bin;
  if (typeof bin !== 'string') return undefined;
  return parseYaml(bin.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'), where);
}

/**
 * The members' user data of an `openstack_orchestration_stack_v1` as Terraform JSON holds it:
 * Scaleout passes it in the embedded stack's environment (`parameter_defaults.user_data`), as
 * `jsonencode` of a Terraform local; this returns that local's text (with its `${...}`
 * references), or undefined when the stack has none.
 */
export function embeddedUserDataOf(json: Doc, resource: Doc): string | undefined {
  const bin = resource?.environment_opts?.Bin;
  const m = typeof bin === 'string' ? /^\$\{jsonencode\(\{ parameter_defaults = \{ user_data = local\.([A-Za-z0-9_-]+) \} \}\)\}$/.exec(bin) : null;
  const text = m ? json?.locals?.[m[1]] : undefined;
  return typeof text === 'string' ? text : undefined;
}

/** One HOT document of an output, wherever it sits. */
export interface HotTemplateView {
  /** `heat` for the Heat target; `terraform` for a template embedded in (or nested below) Terraform JSON. */
  readonly target: Target;
  /** A readable location: the file name, or `<tf type>.<name>` for an embedded template. */
  readonly location: string;
  /** main, nested (a file used as a resource type) or embedded (in an orchestration stack). */
  readonly role: 'main' | 'nested' | 'embedded';
  /** The document. */
  readonly doc: Doc;
  /** The file names nested templates are looked up by (relative to the same folder). */
  readonly files: Readonly<Record<string, Doc>>;
}

/** Every HOT document of an output: the main template and nested files, or each embedded template and its nested files. */
export function hotTemplatesOf(output: SynthOutput): HotTemplateView[] {
  const views: HotTemplateView[] = [];
  const seen = new Set<string>();
  const addNested = (doc: Doc, target: Target, files: Readonly<Record<string, Doc>>) => {
    for (const n of nestedTypesOf(doc)) {
      if (seen.has(n.file) || !files[n.file]) continue;
      seen.add(n.file);
      views.push({ target, location: n.file, role: 'nested', doc: files[n.file], files });
      addNested(files[n.file], target, files);
    }
  };
  if (output.target === 'heat') {
    const main = output.files[output.main];
    views.push({ target: 'heat', location: output.main, role: 'main', doc: main, files: output.files });
    seen.add(output.main);
    addNested(main, 'heat', output.files);
    return views;
  }
  for (const [name, r] of Object.entries((output.json.resource?.openstack_orchestration_stack_v1 ?? {}) as Record<string, Doc>)) {
    const location = `openstack_orchestration_stack_v1.${name}`;
    const doc = embeddedTemplateOf(r, `${output.source}: ${location}`);
    if (!doc) continue;
    views.push({ target: 'terraform', location, role: 'embedded', doc, files: output.files });
    addNested(doc, 'terraform', output.files);
  }
  return views;
}
