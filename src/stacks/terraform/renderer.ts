/**
 * Renders the Scaleout constructs of one stack to the engine's L1 resources. Two placements:
 *
 * - native: the stack is the user's cdktf/cdktn `TerraformStack`; each construct's L1 resources
 *   become its own children (the primary one is its `node.defaultChild`), rendered when the engine
 *   prepares the stack (`cdktf synth`, `app.synth()`) or runs its Aspects (`Testing.synth`);
 * - container: a Scaleout `Stack` rendered by `synthesizeTerraform` into a private cdktf stack.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { TerraformOutput, TerraformVariable } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { engineModule } from '../../engine';
import type { TerraformContext, TerraformVariableDef } from '../../core/context';
import { CUSTOM_SYNTHESIS_SYMBOL, hasMarker, TERRAFORM_OUTPUT_SYMBOL, TERRAFORM_PROVIDER_SYMBOL } from '../../core/engine-elements';
import { ErrorCode, usageError } from '../../core/errors';
import { logicalNameOf } from '../../core/names';
import type { OpenStackRelease } from '../../core/release';
import { isRenderedByScaleout, markRendered, Resource, resourcesBelow } from '../../core/resource';
import { IStack, Stack } from '../../core/stack';
import { Warnings, WARNING_METADATA_TYPE } from '../../core/warnings';
import { validateTree } from '../heat/heat-synthesizer';
import type { TerraformStackLike } from '../../lint/suppressions';
import { hasSuppressions } from '../../lint/suppression-marker';
import { DISABLE_STACK_TRACE_CONTEXT, withoutCreationStacks } from './creation-stacks';
import { L1 } from './l1';


/** What the engine passes to a custom synthesis (the part used here). */
interface SynthesisSession {
  readonly outdir: string;
  readonly manifest: { forStack(stack: unknown): { readonly workingDirectory: string } };
}

/** The renderer of each stack, so a construct of another stack is rendered by its own. */
const renderers = new WeakMap<IConstruct, TerraformRenderer>();

/** How L1 resources are placed. */
type Placement = { readonly kind: 'native' } | { readonly kind: 'container'; readonly scope: Construct };

/** One stack's Terraform rendering. */
export class TerraformRenderer implements TerraformContext {
  /** The renderer of a stack (created on first use). */
  public static of(target: IStack): TerraformRenderer {
    let r = renderers.get(target.root);
    if (!r) {
      r = new TerraformRenderer(target, { kind: 'native' });
      renderers.set(target.root, r);
    }
    return r;
  }

  /** A renderer that places a Scaleout `Stack`'s L1 resources in `scope` (inside a private cdktf stack). */
  public static container(target: IStack, scope: Construct): TerraformRenderer {
    return new TerraformRenderer(target, { kind: 'container', scope });
  }

  private readonly handles = new Map<IConstruct, unknown>();
  private readonly owners: IConstruct[] = [];
  private readonly deferred: Array<{ readonly owner: IConstruct | undefined; readonly fn: () => void }> = [];
  private readonly names = new Map<string, string>();
  private readonly variables = new Map<string, TerraformVariable>();
  private readonly variableDefs = new Map<string, TerraformVariableDef>();
  private readonly locals = new Set<string>();
  private readonly assets = new Map<string, string>();
  private rendered = false;
  private assetWriter?: Construct;

  private constructor(
    private readonly target: IStack,
    private readonly placement: Placement,
  ) {}

  public get release(): OpenStackRelease {
    return this.target.release;
  }

  /** Where the L1 resource being created goes: the construct being rendered (native), or the container. */
  public get scope(): Construct {
    if (this.placement.kind === 'container') return this.placement.scope;
    return (this.owners[this.owners.length - 1] ?? this.target.root) as Construct;
  }

  /** The root construct of the stack the L1 resources live in (variables, outputs, provider). */
  private get stackRoot(): Construct {
    return (this.placement.kind === 'container' ? this.placement.scope : this.target.root) as Construct;
  }

  public logicalId(construct: IConstruct, suffix?: string): string {
    this.requireSameStack(construct);
    return logicalNameOf(construct, this.target.root, suffix);
  }

  private requireSameStack(construct: IConstruct): void {
    const other = Stack.tryOf(construct);
    if (other && other !== this.target && this.placement.kind === 'container') {
      throw usageError(
        construct,
        ErrorCode.USAGE,
        construct.node.path,
        `belongs to stack ${other.root.node.path} and is used by stack ${this.target.root.node.path}; a Scaleout Stack rendered to Terraform cannot reference another stack's resources: create both in cdktf TerraformStacks (cdktf wires cross-stack references), or import it by id (e.g. SecurityGroup.fromSecurityGroupId)`,
      );
    }
  }

  public named<T extends { overrideLogicalId(id: string): void }>(resource: T, logicalId: string): T {
    const owner = (resource as unknown as IConstruct).node?.path ?? logicalId;
    const previous = this.names.get(logicalId);
    if (previous !== undefined) {
      throw usageError(this.target.root, ErrorCode.DUPLICATE, logicalId, `is the logical name of both ${previous} and ${owner}; give one of the constructs another id`);
    }
    this.names.set(logicalId, owner);
    resource.overrideLogicalId(logicalId);
    markRendered(resource as unknown as IConstruct);
    const current = this.owners[this.owners.length - 1];
    // The construct's own resource (no suffix) is its default child: the escape hatch for overrides.
    if (this.placement.kind === 'native' && current && logicalId === logicalNameOf(current, this.target.root) && !current.node.defaultChild) {
      current.node.defaultChild = resource as unknown as IConstruct;
    }
    return resource;
  }

  public handleOf<T>(construct: IConstruct): T {
    const other = Stack.tryOf(construct);
    if (other && other !== this.target) {
      this.requireSameStack(construct);
      return TerraformRenderer.of(other).handleOf<T>(construct);
    }
    if (!this.handles.has(construct)) {
      if (!Resource.isResource(construct)) {
        throw usageError(construct, ErrorCode.USAGE, construct.node.path, 'is not a Scaleout resource');
      }
      if (this.owners.includes(construct)) {
        const cycle = [...this.owners.slice(this.owners.indexOf(construct)), construct].map((c) => c.node.path).join(' -> ');
        throw usageError(construct, ErrorCode.USAGE, construct.node.path, `depends on itself while rendering to Terraform (${cycle}); break the cycle, e.g. a user data substitution that names its own server`);
      }
      this.owners.push(construct);
      try {
        this.handles.set(construct, construct._toTerraform(this));
      } finally {
        this.owners.pop();
      }
    }
    return this.handles.get(construct) as T;
  }

  public defer(fn: () => void): void {
    this.deferred.push({ owner: this.owners[this.owners.length - 1], fn });
  }

  private runDeferred(): void {
    while (this.deferred.length > 0) {
      const { owner, fn } = this.deferred.shift()!;
      if (owner) this.owners.push(owner);
      try {
        fn();
      } finally {
        if (owner) this.owners.pop();
      }
    }
  }

  public variable(name: string, def: TerraformVariableDef): unknown {
    const previous = this.variableDefs.get(name);
    if (previous !== undefined && JSON.stringify(previous) !== JSON.stringify(def)) {
      throw usageError(this.target.root, ErrorCode.DUPLICATE, name, 'is declared twice as a Terraform variable with different definitions');
    }
    this.variableDefs.set(name, def);
    let v = this.variables.get(name);
    if (!v) {
      v = new (engineModule().TerraformVariable)(this.stackRoot, `scaleout-variable-${name}`, {
        type: def.type,
        description: def.description,
        default: def.default,
        sensitive: def.sensitive,
        nullable: false,
        validation: def.validation?.map((x) => ({ condition: x.condition, errorMessage: x.errorMessage })),
      });
      v.overrideLogicalId(name);
      markRendered(v);
      this.variables.set(name, v);
    }
    return def.type === 'bool' ? v.booleanValue : def.type === 'number' ? v.numberValue : v.stringValue;
  }

  public local(name: string, value: string): string {
    if (this.locals.has(name)) {
      throw usageError(this.target.root, ErrorCode.DUPLICATE, name, 'is already a Terraform local of this stack');
    }
    const engine = engineModule();
    const stack = engine.TerraformStack.of(this.stackRoot);
    const clash = stack.node.findAll().find((c) => c instanceof engine.TerraformLocal && !isRenderedByScaleout(c) && (c as unknown as { friendlyUniqueId: string }).friendlyUniqueId === name);
    if (clash) {
      throw usageError(
        clash,
        ErrorCode.DUPLICATE,
        name,
        `is the name of this TerraformLocal and of a local Scaleout writes for ${this.target.root.node.path}; Terraform would refuse the duplicate: give your local another id`,
      );
    }
    this.locals.add(name);
    const l = new engine.TerraformLocal(this.stackRoot, `scaleout-local-${name}`, value);
    l.overrideLogicalId(name);
    markRendered(l);
    return `local.${name}`;
  }

  public addOutput(name: string, value: unknown, description: string, sensitive?: boolean): void {
    const clash = this.userOutputs().get(name);
    if (clash) {
      throw usageError(
        clash,
        ErrorCode.DUPLICATE,
        name,
        `is the name of this TerraformOutput and of an output Scaleout writes for ${this.target.root.node.path}; Terraform would keep only one: give your output another id (or the tier another outputPrefix)`,
      );
    }
    const o: TerraformOutput = new (engineModule().TerraformOutput)(this.stackRoot, `scaleout-output-${name}`, { value, description, sensitive });
    o.overrideLogicalId(name);
    markRendered(o);
  }

  private userOutputsByName: Map<string, IConstruct> | undefined;

  /**
   * The user's own outputs in the engine stack, by name: collected once per rendering (no user
   * code runs while Scaleout renders), rather than walking the whole stack for every output.
   */
  private userOutputs(): Map<string, IConstruct> {
    if (!this.userOutputsByName) {
      this.userOutputsByName = new Map();
      for (const c of engineModule().TerraformStack.of(this.stackRoot).node.findAll()) {
        if (!hasMarker(c, TERRAFORM_OUTPUT_SYMBOL) || isRenderedByScaleout(c)) continue;
        const name = (c as unknown as { friendlyUniqueId: string }).friendlyUniqueId;
        if (!this.userOutputsByName.has(name)) this.userOutputsByName.set(name, c);
      }
    }
    return this.userOutputsByName;
  }

  /**
   * Writes `content` next to `cdk.tf.json` when the engine synthesizes the stack, as
   * `assets/<name>/<content hash>/<fileName>`, and returns that path (relative to the stack
   * folder, where Terraform runs). No file is written anywhere else.
   */
  public asset(fileName: string, content: string): string {
    if (!/^[a-z0-9][a-z0-9_.-]*$/.test(fileName)) {
      throw usageError(this.target.root, ErrorCode.FORMAT, fileName, 'is not a valid asset file name (lowercase letters, digits, _ . -)');
    }
    if (this.assets.has(fileName)) {
      throw usageError(this.target.root, ErrorCode.DUPLICATE, fileName, 'is already an asset of this stack; give the file another name');
    }
    const hash = crypto.createHash('sha256').update(content).digest('hex').slice(0, 32);
    const relative = `assets/${fileName.replace(/\.[^.]*$/, '')}/${hash}/${fileName}`;
    this.assets.set(fileName, relative);
    this.assetFiles.set(relative, content);
    if (!this.assetWriter) {
      const writer = new Construct(this.stackRoot, 'scaleout-assets');
      // The engine's custom-synthesis hook (the one TerraformAsset uses), run when the stack is written.
      Object.defineProperty(writer, CUSTOM_SYNTHESIS_SYMBOL, {
        value: {
          onSynthesize: (session: SynthesisSession) => {
          const stackDir = path.join(session.outdir, session.manifest.forStack(engineModule().TerraformStack.of(writer)).workingDirectory);
          for (const [rel, text] of this.assetFiles) {
            const file = path.join(stackDir, rel);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, text);
          }
          },
        },
      });
      this.assetWriter = writer;
    }
    return relative;
  }

  private readonly assetFiles = new Map<string, string>();

  /** @internal The asset files written next to `cdk.tf.json`: relative path -> text. */
  public assetTexts(): ReadonlyMap<string, string> {
    return this.assetFiles;
  }

  /**
   * Renders every Scaleout construct of the stack once: validations, the OpenStack provider when
   * the stack configures none, the L1 resources, the outputs, and each warning as an engine
   * annotation (so `cdktf synth` prints it).
   */
  public render(): void {
    if (this.rendered) return;
    this.rendered = true;
    // The app's stack traces off (`new App({ stackTraces: false })`): no creation stacks either.
    if (this.stackRoot.node.tryGetContext(DISABLE_STACK_TRACE_CONTEXT) === true) withoutCreationStacks(() => this.renderOnce());
    else this.renderOnce();
  }

  private renderOnce(): void {
    const root = this.target.root;
    validateTree(this.target);
    const engine = engineModule();
    const stackRoot = this.stackRoot;
    const stackOfL1 = engine.TerraformStack.of(stackRoot);
    if (!stackOfL1.node.findAll().some((c) => hasMarker(c, TERRAFORM_PROVIDER_SYMBOL) && (c as unknown as { terraformResourceType?: string }).terraformResourceType === 'openstack')) {
      // Configured from the standard OS_* environment variables, so no credentials are written.
      markRendered(new L1.OpenstackProvider(stackOfL1, 'scaleout-openstack-provider', {}));
    }
    for (const resource of resourcesBelow(root)) this.handleOf(resource);
    this.runDeferred();
    for (const [name, output] of this.target.stackOutputs) {
      this.addOutput(name, output.value._terraform(this), output.description, output.sensitive);
    }
    // Policy suppressions travel with the output, so `scaleout lint` on the folder honours them.
    if (hasSuppressions(root)) {
      // Loaded only here (as synthesizeHeat does): the module brings the template readers of src/assertions.
      const { addSuppressionsToTerraformStack } = require('../../lint/suppressions') as typeof import('../../lint/suppressions');
      addSuppressionsToTerraformStack(root, stackOfL1 as unknown as TerraformStackLike);
    }
    if (this.placement.kind !== 'native') return;
    for (const c of root.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type !== WARNING_METADATA_TYPE) continue;
        const w = m.data as { id: string; message: string };
        if (!Warnings.isAcknowledged(c, w.id)) engine.Annotations.of(c).addWarning(`${w.message} [${w.id}]`);
      }
    }
  }
}
