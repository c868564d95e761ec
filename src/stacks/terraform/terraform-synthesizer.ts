/**
 * The Terraform target. This folder is the only place that imports cdktf's core (the generated
 * L1 bindings import it too); moving to cdktf's fork `cdktn` changes these imports and the
 * generator, and nothing in the L2 constructs.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as CdktfApp, AssetType, LocalBackend, TerraformAsset, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { OpenstackProvider } from '../../../.gen/providers/openstack/provider';
import type { TerraformContext, TerraformVariableDef } from '../../core/context';
import { ErrorCode, usageError } from '../../core/errors';
import { logicalNameOf } from '../../core/names';
import type { OpenStackRelease } from '../../core/release';
import { Resource, resourcesBelow } from '../../core/resource';
import type { Stack } from '../../core/stack';
import { validateTree } from '../heat/heat-synthesizer';

/**
 * cdktf's App, for a `cdktf synth` entry point (`cdktf.json`'s `app`), re-exported so that user
 * code imports cdktf from one place only.
 */
export { CdktfApp as TerraformApp };


class Context implements TerraformContext {
  private readonly handles = new Map<IConstruct, unknown>();
  private readonly rendering = new Set<IConstruct>();
  private readonly deferred: Array<() => void> = [];
  private readonly names = new Map<string, string>();
  private readonly variables = new Map<string, TerraformVariable>();
  private readonly variableDefs = new Map<string, TerraformVariableDef>();

  constructor(
    public readonly scope: Construct,
    private readonly stack: Stack,
  ) {}

  public get release(): OpenStackRelease {
    return this.stack.release;
  }

  public logicalId(construct: IConstruct, suffix?: string): string {
    return logicalNameOf(construct, this.stack, suffix);
  }

  public named<T extends { overrideLogicalId(id: string): void }>(resource: T, logicalId: string): T {
    const owner = (resource as unknown as IConstruct).node?.path ?? logicalId;
    const previous = this.names.get(logicalId);
    if (previous !== undefined) {
      throw usageError(this.stack, ErrorCode.DUPLICATE, logicalId, `is the logical name of both ${previous} and ${owner}; give one of the constructs another id`);
    }
    this.names.set(logicalId, owner);
    resource.overrideLogicalId(logicalId);
    return resource;
  }

  public handleOf<T>(construct: IConstruct): T {
    if (!this.handles.has(construct)) {
      if (!Resource.isResource(construct)) {
        throw usageError(construct, ErrorCode.USAGE, construct.node.path, 'is not a Scaleout resource');
      }
      if (this.rendering.has(construct)) {
        throw usageError(construct, ErrorCode.USAGE, construct.node.path, 'depends on itself while rendering to Terraform');
      }
      this.rendering.add(construct);
      this.handles.set(construct, construct._toTerraform(this));
      this.rendering.delete(construct);
    }
    return this.handles.get(construct) as T;
  }

  public defer(fn: () => void): void {
    this.deferred.push(fn);
  }

  public runDeferred(): void {
    while (this.deferred.length > 0) this.deferred.shift()!();
  }

  public variable(name: string, def: TerraformVariableDef): unknown {
    const previous = this.variableDefs.get(name);
    if (previous !== undefined && JSON.stringify(previous) !== JSON.stringify(def)) {
      throw usageError(this.stack, ErrorCode.DUPLICATE, name, 'is declared twice as a Terraform variable with different definitions');
    }
    this.variableDefs.set(name, def);
    let v = this.variables.get(name);
    if (!v) {
      v = new TerraformVariable(this.scope, name, {
        type: def.type,
        description: def.description,
        default: def.default,
        sensitive: def.sensitive,
        nullable: false,
        validation: def.validation?.map((v) => ({ condition: v.condition, errorMessage: v.errorMessage })),
      });
      v.overrideLogicalId(name);
      this.variables.set(name, v);
    }
    return def.type === 'bool' ? v.booleanValue : def.type === 'number' ? v.numberValue : v.stringValue;
  }

  public addOutput(name: string, value: unknown, description: string, sensitive?: boolean): void {
    const o = new TerraformOutput(this.scope, `output_${name}`, { value, description, sensitive });
    o.overrideLogicalId(name);
  }

  public asset(fileName: string, content: string): string {
    if (!/^[a-z0-9][a-z0-9_.-]*$/.test(fileName)) {
      throw usageError(this.stack, ErrorCode.FORMAT, fileName, 'is not a valid asset file name (lowercase letters, digits, _ . -)');
    }
    const hash = crypto.createHash('sha256').update(content).digest('hex').slice(0, 32);
    // cdktf copies an asset from a file at synth time: stage the content under its hash.
    const staged = path.join(assetStagingDir(), hash, fileName);
    if (!fs.existsSync(staged)) {
      fs.mkdirSync(path.dirname(staged), { recursive: true });
      fs.writeFileSync(staged, content);
    }
    const id = `asset_${fileName.replace(/\.[^.]*$/, '').replace(/[^a-z0-9]+/g, '_')}`;
    if (this.scope.node.tryFindChild(id)) {
      throw usageError(this.stack, ErrorCode.DUPLICATE, fileName, 'is already an asset of this stack; give the file another name');
    }
    return new TerraformAsset(this.scope, id, { path: staged, type: AssetType.FILE, assetHash: hash }).path;
  }
}

let stagingDir: string | undefined;

/** A private folder (one per process) where asset contents wait for cdktf to copy them. */
function assetStagingDir(): string {
  if (!stagingDir) stagingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-assets-'));
  return stagingDir;
}

/**
 * A cdktf `TerraformStack` holding the Terraform rendering of a Scaleout `Stack`: the OpenStack
 * provider (configured from the standard `OS_*` environment variables, so no credentials are
 * written) and one or more L1 resources per construct.
 */
export class OpenStackTerraformStack extends TerraformStack {
  constructor(scope: Construct, stack: Stack) {
    super(scope, stack.stackName);
    validateTree(stack);
    new OpenstackProvider(this, 'openstack', {});
    // cdktf's default local backend writes the absolute path of the current directory into the
    // output; a relative path keeps the output the same on every machine (Terraform resolves it
    // against the stack folder it runs in).
    new LocalBackend(this, { path: `terraform.${stack.stackName}.tfstate` });
    // L1 resources live one level down, so no construct id can collide with cdktf's own children
    // (`backend`, the provider); their Terraform names are set exactly by ctx.named().
    const ctx = new Context(new Construct(this, 'scaleout'), stack);
    for (const resource of resourcesBelow(stack)) ctx.handleOf(resource);
    ctx.runDeferred();
    for (const [name, output] of stack.stackOutputs) {
      ctx.addOutput(name, output.value._terraform(ctx), output.description, output.sensitive);
    }
  }
}

/** Where a synthesized Terraform stack was written. */
export interface TerraformSynthesis {
  /** The stack folder (`<outdir>/stacks/<stackName>`), holding `cdk.tf.json` and any assets. */
  readonly directory: string;
  /** The parsed `cdk.tf.json`. */
  readonly json: Record<string, unknown>;
}

/**
 * Renders stacks with cdktf into `outdir` (as `cdktf synth` does: `<outdir>/stacks/<stackName>/cdk.tf.json`).
 */
export function synthesizeTerraform(stacks: Stack | Stack[], outdir: string): TerraformSynthesis[] {
  const list = Array.isArray(stacks) ? stacks : [stacks];
  const app = new CdktfApp({ outdir, skipValidation: false });
  for (const s of list) new OpenStackTerraformStack(app, s);
  app.synth();
  return list.map((s) => {
    const directory = path.join(outdir, 'stacks', s.stackName);
    return { directory, json: JSON.parse(fs.readFileSync(path.join(directory, 'cdk.tf.json'), 'utf8')) };
  });
}

/** Adds the Terraform rendering of each stack to an existing cdktf app (the `cdktf synth` entry point). */
export function addToCdktfApp(app: CdktfApp, stacks: Stack[]): OpenStackTerraformStack[] {
  return stacks.map((s) => new OpenStackTerraformStack(app, s));
}
