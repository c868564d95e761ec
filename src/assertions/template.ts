/**
 * `Template`: assertions over synthesized output of either target, in the shape of AWS CDK's
 * `Template` (`aws-cdk-lib/assertions`): `hasResourceProperties`, `resourceCountIs`,
 * `findResources`, `hasOutput`, `hasParameter`, with `Match` patterns. A failing assertion names
 * the closest candidate and every place where it differs.
 */
import * as path from 'path';
import * as yaml from 'js-yaml';
import type { IConstruct } from 'constructs';
import { matchPattern, renderValue, tryPattern, MatchResult } from './match';
import {
  embeddedTemplateOf,
  heatOutputOfStack,
  isTemplateType,
  nestedTypesOf,
  readHeatFolder,
  readTerraformFolder,
  terraformOutputOfStack,
  type Doc,
  type Target,
} from './output';

/** Options of `Template.fromStack`. */
export interface TemplateFromStackOptions {
  /** Which target's output to assert on. */
  readonly target: Target;
}

/** Options of `Template.fromTerraformJson`. */
export interface TemplateFromTerraformOptions {
  /** Nested HOT documents by path relative to the stack folder (the member templates under `assets/`). @default - none: `nested()` can reach the embedded template but not its member */
  readonly files?: Readonly<Record<string, Doc>>;
}

/** The document format a `Template` holds. */
export type TemplateFormat = 'hot' | 'terraform-json';

/**
 * One synthesized document to assert on: a HOT template (the Heat target's main or nested
 * template, or one embedded in Terraform JSON) or a Terraform JSON document.
 */
export class Template {
  /**
   * The output of `stack` in `target`: the main HOT template, or `cdk.tf.json` (synthesized in a
   * temp folder that is deleted again). Nested member templates stay reachable with `nested()`.
   */
  public static fromStack(stack: IConstruct, options: TemplateFromStackOptions): Template {
    if (options?.target === 'heat') {
      const out = heatOutputOfStack(stack);
      return new Template('heat', 'hot', out.files[out.main], out.files, out.main);
    }
    if (options?.target === 'terraform') {
      const out = terraformOutputOfStack(stack);
      return new Template('terraform', 'terraform-json', out.json, out.files, 'cdk.tf.json');
    }
    throw new Error(`Template.fromStack: 'target' must be 'heat' or 'terraform', got ${renderValue(options?.target)}`);
  }

  /**
   * Written Heat output: a folder (holding one stack's `<stack>.yaml`, its environment and nested
   * templates), or file name -> YAML text or parsed document (as `heatFiles()` returns).
   */
  public static fromHeatFiles(source: string | Readonly<Record<string, string | Doc>>, options: { readonly main?: string } = {}): Template {
    let files: Record<string, Doc>;
    let main: string | undefined = options.main;
    if (typeof source === 'string') {
      const outputs = readHeatFolder(source);
      const chosen = main ? outputs.find((o) => o.main === main) : outputs.length === 1 ? outputs[0] : undefined;
      if (!chosen) throw new Error(`Template.fromHeatFiles: ${source} holds main templates [${outputs.map((o) => o.main).join(', ')}]; pass { main } to choose one`);
      files = { ...chosen.files };
      main = chosen.main;
    } else {
      files = Object.fromEntries(
        Object.entries(source)
          .filter(([name]) => !name.endsWith('.env.yaml'))
          .map(([name, v]) => [name, (typeof v === 'string' ? yaml.load(v) : v) as Doc]),
      );
      const referenced = new Set(Object.values(files).flatMap((d) => nestedTypesOf(d).map((n) => n.file)));
      const mains = Object.keys(files).filter((f) => !referenced.has(f));
      main = main ?? (mains.length === 1 ? mains[0] : undefined);
      if (!main || !files[main]) throw new Error(`Template.fromHeatFiles: main templates [${mains.join(', ')}]; pass { main } to choose one`);
    }
    return new Template('heat', 'hot', files[main], files, main);
  }

  /** Terraform JSON: a parsed `cdk.tf.json`, or a folder holding one (its member templates are read too). */
  public static fromTerraformJson(source: Doc | string, options: TemplateFromTerraformOptions = {}): Template {
    if (typeof source === 'string') {
      const out = readTerraformFolder(source);
      return new Template('terraform', 'terraform-json', out.json, out.files, path.join(source, 'cdk.tf.json'));
    }
    return new Template('terraform', 'terraform-json', source, options.files ?? {}, 'cdk.tf.json');
  }

  private constructor(
    /** The target the document belongs to. */
    public readonly target: Target,
    /** What the document is: HOT or Terraform JSON. */
    public readonly format: TemplateFormat,
    private readonly doc: Doc,
    private readonly files: Readonly<Record<string, Doc>>,
    /** Where the document sits (a file name, or the resource embedding it), for messages. */
    public readonly location: string,
  ) {}

  /** The document as a plain object. */
  public toJSON(): Doc {
    return this.doc;
  }

  /**
   * The template one level down, by the logical name of the resource holding it: in HOT, an
   * autoscaling group (its member template) or a resource whose type is a template file; in
   * Terraform JSON, an `openstack_orchestration_stack_v1` (the embedded Heat template, whose own
   * `nested(group)` reaches the member template). A file name of a nested template works too.
   */
  public nested(name: string): Template {
    if (this.format === 'terraform-json') {
      const stacks = (this.doc.resource?.openstack_orchestration_stack_v1 ?? {}) as Record<string, Doc>;
      const r = stacks[name];
      if (!r) throw new Error(`${this.describe()}: no openstack_orchestration_stack_v1 named '${name}' to look into; there are [${Object.keys(stacks).join(', ')}]`);
      const embedded = embeddedTemplateOf(r, `${this.location}: ${name}`);
      if (!embedded) throw new Error(`${this.describe()}: openstack_orchestration_stack_v1.${name} has no template_opts.Bin`);
      return new Template(this.target, 'hot', embedded, this.files, `openstack_orchestration_stack_v1.${name}`);
    }
    const byResource = nestedTypesOf(this.doc).find((n) => n.resource === name);
    const file = byResource?.file ?? (isTemplateType(name) ? name : undefined);
    if (!file) {
      const names = nestedTypesOf(this.doc).map((n) => n.resource);
      throw new Error(`${this.describe()}: '${name}' is not a resource holding a nested template; those are [${names.join(', ')}]`);
    }
    const doc = this.files[file];
    if (!doc) throw new Error(`${this.describe()}: nested template '${file}' of '${name}' is not among the files read [${Object.keys(this.files).join(', ')}]`);
    return new Template(this.target, 'hot', doc, this.files, file);
  }

  /** Every resource by logical name with its type and full definition (HOT: `{type, properties, ...}`; Terraform: the resource body). */
  private resources(): Array<{ name: string; type: string; definition: Doc; properties: unknown }> {
    if (this.format === 'hot') {
      return Object.entries((this.doc.resources ?? {}) as Record<string, Doc>).map(([name, r]) => ({ name, type: r?.type, definition: r, properties: r?.properties ?? {} }));
    }
    const out: Array<{ name: string; type: string; definition: Doc; properties: unknown }> = [];
    for (const [type, byName] of Object.entries((this.doc.resource ?? {}) as Record<string, Record<string, Doc>>)) {
      for (const [name, body] of Object.entries(byName)) {
        const { ['//']: _comment, ...properties } = body;
        out.push({ name, type, definition: body, properties });
      }
    }
    return out;
  }

  /** Resources of `type` whose full definition matches `pattern` (a partial object by default), by logical name. */
  public findResources(type: string, pattern: unknown = {}): Record<string, Doc> {
    return Object.fromEntries(
      this.resources()
        .filter((r) => r.type === type && matchPattern(pattern, r.definition).isSuccess)
        .map((r) => [r.name, r.definition]),
    );
  }

  /** Asserts that exactly `count` resources of `type` exist. */
  public resourceCountIs(type: string, count: number): void {
    const names = this.resources().filter((r) => r.type === type).map((r) => r.name);
    if (names.length !== count) {
      throw new Error(`${this.describe()}: expected ${count} resources of type ${type} but found ${names.length}${names.length ? `: [${names.join(', ')}]` : ''}`);
    }
  }

  /** Asserts that a resource of `type` has a full definition matching `pattern` (HOT: `{ properties, metadata, depends_on, ... }`). */
  public hasResource(type: string, pattern: unknown): void {
    this.assertSome(`resources of type ${type}`, this.resources().filter((r) => r.type === type).map((r) => ({ name: r.name, value: r.definition })), pattern);
  }

  /** Asserts that a resource of `type` has properties matching `pattern` (HOT `properties`; the Terraform resource body). */
  public hasResourceProperties(type: string, pattern: unknown): void {
    this.assertSome(`resources of type ${type}`, this.resources().filter((r) => r.type === type).map((r) => ({ name: r.name, value: r.properties })), pattern);
  }

  /** Asserts that output `name` (`'*'` for any) matches `pattern` (HOT: `{ value, description }`; Terraform: the output block). */
  public hasOutput(name: string, pattern: unknown): void {
    const outputs = (this.format === 'hot' ? this.doc.outputs : this.doc.output) ?? {};
    this.assertSome(name === '*' ? 'outputs' : `output '${name}'`, this.named(outputs, name), pattern);
  }

  /** Outputs matching `pattern`, by name. */
  public findOutputs(name: string, pattern: unknown = {}): Record<string, Doc> {
    const outputs = (this.format === 'hot' ? this.doc.outputs : this.doc.output) ?? {};
    return Object.fromEntries(this.named(outputs, name).filter((o) => matchPattern(pattern, o.value).isSuccess).map((o) => [o.name, o.value as Doc]));
  }

  /** Asserts that parameter (HOT) or variable (Terraform) `name` (`'*'` for any) matches `pattern`. */
  public hasParameter(name: string, pattern: unknown): void {
    const params = (this.format === 'hot' ? this.doc.parameters : this.doc.variable) ?? {};
    this.assertSome(name === '*' ? 'parameters' : `parameter '${name}'`, this.named(params, name), pattern);
  }

  /** Parameters (HOT) or variables (Terraform) matching `pattern`, by name. */
  public findParameters(name: string, pattern: unknown = {}): Record<string, Doc> {
    const params = (this.format === 'hot' ? this.doc.parameters : this.doc.variable) ?? {};
    return Object.fromEntries(this.named(params, name).filter((o) => matchPattern(pattern, o.value).isSuccess).map((o) => [o.name, o.value as Doc]));
  }

  private named(section: Record<string, unknown>, name: string): Array<{ name: string; value: unknown }> {
    return Object.entries(section)
      .filter(([n]) => name === '*' || n === name)
      .map(([n, value]) => ({ name: n, value }));
  }

  private describe(): string {
    return `${this.target} template ${this.location}`;
  }

  /** Passes when one candidate matches; otherwise fails naming the closest one and where it differs. */
  private assertSome(what: string, candidates: Array<{ name: string; value: unknown }>, pattern: unknown): void {
    if (candidates.length === 0) throw new Error(`${this.describe()}: has no ${what}`);
    let best: { name: string; result: MatchResult } | undefined;
    for (const c of candidates) {
      const trial = tryPattern(pattern, c.value);
      if (trial.isSuccess) {
        matchPattern(pattern, c.value);
        return;
      }
      if (!best || trial.failures.length < best.result.failures.length) best = { name: c.name, result: trial };
    }
    const lines = best!.result.toHumanStrings().map((l) => `  ${l}`);
    throw new Error(
      `${this.describe()}: none of ${candidates.length} ${what} matches the pattern.\n` +
        `The closest is '${best!.name}' (${best!.result.failures.length} difference${best!.result.failures.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
  }
}
