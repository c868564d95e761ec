/**
 * Reads a synthesized folder (either target) into one neutral shape the diff and the diagram
 * work on: the main HOT template, the nested member templates, and, for Terraform, the native
 * resources plus every Heat template embedded in an `openstack_orchestration_stack_v1`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { embeddedUserDataOf } from '../assertions/output';
import { ErrorCode, propError } from '../core/errors';

/** A HOT or Terraform resource as read from a file. */
export interface ReadResource {
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

/** One HOT document and the nested documents it references by file name. */
export interface HotTemplate {
  /** Logical name: the main template's stack name, or an embedding Terraform stack's name. */
  readonly name: string;
  readonly resources: Record<string, ReadResource>;
  readonly outputs: Record<string, unknown>;
  readonly parameters: Record<string, unknown>;
  /** Nested templates (member templates) by the `type:` value that references them. */
  readonly nested: Record<string, HotTemplate>;
  /** For a Heat template embedded by Terraform: the stack's `parameters` (get_param values). */
  readonly inputs: Record<string, unknown>;
  /**
   * For a Heat template embedded by Terraform: its environment's `parameter_defaults`, which Heat
   * hands down to nested templates (the members' user data travels this way).
   */
  readonly parameterDefaults?: Record<string, unknown>;
}

/** A synthesized folder, read. */
export interface Synthesis {
  readonly target: 'heat' | 'terraform';
  /** The folder read. */
  readonly directory: string;
  /** Heat: the one main template. Terraform: one per embedded orchestration stack. */
  readonly heat: readonly HotTemplate[];
  /** Terraform native resources by `<type>.<name>` (empty for Heat). */
  readonly terraform: Record<string, ReadResource>;
  /** Terraform outputs (Heat outputs are in `heat[0].outputs`). */
  readonly terraformOutputs: Record<string, unknown>;
}

const SUBJECT = 'templates dir';

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Finds the synthesis in `dir`: a Heat folder (`<stack>.yaml` + `<stack>.env.yaml`), a Terraform
 * folder (`cdk.tf.json`), or an example folder `templates/<example>/` (its `heat/` is used, since
 * both targets describe the same behaviour). Throws a Scaleout error when there is none.
 */
export function readSynthesis(dir: string): Synthesis {
  if (!isDir(dir)) {
    throw propError('scaleout', ErrorCode.USAGE, SUBJECT, dir, 'is not a folder', 'give the folder that holds <stack>.yaml and <stack>.env.yaml, or cdk.tf.json');
  }
  if (fs.existsSync(path.join(dir, 'cdk.tf.json'))) return readTerraform(dir);
  const mains = heatMains(dir);
  if (mains.length === 1) return readHeat(dir, mains[0]);
  if (mains.length > 1) {
    throw propError('scaleout', ErrorCode.CONFLICT, SUBJECT, dir, `holds ${mains.length} stacks (${mains.join(', ')})`, 'give the folder of one stack');
  }
  if (isDir(path.join(dir, 'heat'))) return readSynthesis(path.join(dir, 'heat'));
  if (isDir(path.join(dir, 'terraform'))) return readSynthesis(path.join(dir, 'terraform'));
  throw propError(
    'scaleout',
    ErrorCode.USAGE,
    SUBJECT,
    dir,
    'holds no synthesized stack',
    'give a Heat folder (<stack>.yaml with <stack>.env.yaml) or a Terraform folder (cdk.tf.json); run the synth first',
  );
}

/** Stack names whose `<name>.yaml` and `<name>.env.yaml` are both in `dir`, sorted. */
function heatMains(dir: string): string[] {
  const names = new Set(fs.readdirSync(dir));
  return [...names]
    .filter((f) => f.endsWith('.env.yaml') && names.has(f.slice(0, -'.env.yaml'.length) + '.yaml'))
    .map((f) => f.slice(0, -'.env.yaml'.length))
    .sort();
}

function loadYaml(file: string): Record<string, any> {
  try {
    const doc = yaml.load(fs.readFileSync(file, 'utf8'));
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as Record<string, any>;
  } catch (e) {
    throw propError('scaleout', ErrorCode.FORMAT, SUBJECT, file, `is not valid YAML (${(e as Error).message.split('\n')[0]})`, 'synthesize it again');
  }
  throw propError('scaleout', ErrorCode.FORMAT, SUBJECT, file, 'is not a HOT document (a YAML mapping)', 'synthesize it again');
}

function readResources(doc: Record<string, any>): Record<string, ReadResource> {
  const out: Record<string, ReadResource> = {};
  for (const [name, r] of Object.entries((doc.resources ?? {}) as Record<string, any>)) {
    out[name] = { type: String(r?.type ?? ''), properties: (r?.properties ?? {}) as Record<string, unknown> };
  }
  return out;
}

/** Reads a nested template by its `type:` value, relative to the template that references it. */
type NestedLoader = (type: string) => { doc: Record<string, any>; loader: NestedLoader } | undefined;

function fileLoader(baseDir: string): NestedLoader {
  return (type) => {
    const file = path.join(baseDir, type);
    return fs.existsSync(file) ? { doc: loadYaml(file), loader: fileLoader(path.dirname(file)) } : undefined;
  };
}

/** Reads a HOT document and, through `load`, the nested templates its resources use as types. */
function hotTemplate(name: string, doc: Record<string, any>, load: NestedLoader, inputs: Record<string, unknown>, depth = 0): HotTemplate {
  const resources = readResources(doc);
  const nested: Record<string, HotTemplate> = {};
  for (const r of Object.values(resources)) {
    const nestedType = nestedTypeOf(r);
    if (nestedType && !(nestedType in nested) && depth < 3) {
      const found = load(nestedType);
      if (found) nested[nestedType] = hotTemplate(path.basename(nestedType, '.yaml'), found.doc, found.loader, {}, depth + 1);
    }
  }
  return { name, resources, outputs: doc.outputs ?? {}, parameters: doc.parameters ?? {}, nested, inputs };
}

/** The main template of an in-memory Heat synthesis (`synthesizeHeat(stack)`), with its nested templates. */
export function hotTemplateOf(stackName: string, template: Record<string, unknown>, files: Readonly<Record<string, Record<string, unknown>>>): HotTemplate {
  const loader: NestedLoader = (type) => (files[type] ? { doc: files[type] as Record<string, any>, loader } : undefined);
  return hotTemplate(stackName, template, loader, {});
}

/** The `type:` of a group's member (`resource.type`) or of a nested-stack resource, when it is a file. */
export function nestedTypeOf(r: ReadResource): string | undefined {
  const t = r.type === 'OS::Heat::AutoScalingGroup' || r.type === 'OS::Heat::ResourceGroup' ? (r.properties.resource as any)?.type ?? (r.properties.resource_def as any)?.type : r.type;
  return typeof t === 'string' && (t.endsWith('.yaml') || t.endsWith('.template')) ? t : undefined;
}

function readHeat(dir: string, stackName: string): Synthesis {
  const doc = loadYaml(path.join(dir, `${stackName}.yaml`));
  return { target: 'heat', directory: dir, heat: [hotTemplate(stackName, doc, fileLoader(dir), {})], terraform: {}, terraformOutputs: {} };
}

function readTerraform(dir: string): Synthesis {
  let json: Record<string, any>;
  try {
    json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  } catch (e) {
    throw propError('scaleout', ErrorCode.FORMAT, SUBJECT, path.join(dir, 'cdk.tf.json'), `is not valid JSON (${(e as Error).message})`, 'synthesize it again');
  }
  const terraform: Record<string, ReadResource> = {};
  const heat: HotTemplate[] = [];
  for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, any>>)) {
    for (const [name, body] of Object.entries(byName)) {
      const { ['//']: _meta, ...properties } = body ?? {};
      if (type === 'openstack_orchestration_stack_v1' && typeof properties.template_opts?.Bin === 'string') {
        // The provider reads nested templates relative to Terraform's working directory: this folder.
        const doc = yaml.load(properties.template_opts.Bin) as Record<string, any>;
        const userData = embeddedUserDataOf(json, properties);
        heat.push({
          ...hotTemplate(name, doc ?? {}, fileLoader(dir), (properties.parameters ?? {}) as Record<string, unknown>),
          parameterDefaults: userData === undefined ? {} : { user_data: userData },
        });
        const { template_opts: _bin, ...rest } = properties;
        terraform[`${type}.${name}`] = { type, properties: rest };
      } else {
        terraform[`${type}.${name}`] = { type, properties };
      }
    }
  }
  // Locals hold text resources read (the members' user data of an embedded group stack).
  for (const [name, value] of Object.entries((json.locals ?? {}) as Record<string, unknown>)) terraform[`local.${name}`] = { type: 'local', properties: { value } };
  return { target: 'terraform', directory: dir, heat, terraform, terraformOutputs: json.output ?? {} };
}
