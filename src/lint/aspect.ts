/**
 * The policy pack as a cdktf-style Aspect: `visit(node)` lints each stack it meets and reports
 * every unsuppressed finding as an annotation on the construct that owns the resource.
 *
 * - A cdktf `TerraformStack` (ours, or a user's holding Scaleout constructs): its Terraform JSON
 *   (`toTerraform()`) is linted, member templates read from the stack's assets; findings become
 *   cdktf annotations (`Annotations.of(node).addError/addWarning`), which `cdktf synth` prints and
 *   fails on for errors.
 * - A Scaleout `Stack`: its Heat output is linted; findings go to cdktf's annotations when the
 *   stack lives in a cdktf app, otherwise to construct metadata that `Annotations.fromStack` (the
 *   assertions API) and `PolicyAspect.findingsOf` read.
 *
 * cdktf is loaded lazily, inside `visit`, so Heat-only users do not need it.
 */
import * as fs from 'fs';
import { IConstruct } from 'constructs';
import { POLICY_ERROR_METADATA_TYPE, POLICY_WARNING_METADATA_TYPE } from '../assertions/annotations';
import type { Doc, TerraformOutput } from '../assertions/output';
import { logicalNameOf } from '../core/names';
import { isScaleoutStack, Stack } from '../core/stack';
import { formatPolicyFinding, PolicyPack, unsuppressed, type PolicyFinding } from './pack';

type Cdktf = typeof import('cdktf');

function loadCdktf(): Cdktf | undefined {
  try {
    return require('cdktf') as Cdktf;
  } catch {
    return undefined;
  }
}

/** A cdktf-style aspect running a policy pack. */
export class PolicyAspect {
  constructor(private readonly pack: PolicyPack = PolicyPack.scaleout()) {}

  /** Lints `node` when it is a stack; other nodes are left alone. */
  public visit(node: IConstruct): void {
    const cdktf = loadCdktf();
    if (cdktf && cdktf.TerraformStack.isStack(node)) {
      this.visitTerraformStack(cdktf, node);
    } else if (isScaleoutStack(node)) {
      const report = this.pack.checkStack(node, ['heat']);
      const inCdktf = cdktf !== undefined && node.node.scopes.some((s) => cdktf.App.isApp(s));
      for (const f of unsuppressed(report)) {
        const target = ownerIn(node, f.resource) ?? node;
        if (inCdktf) annotate(cdktf!, target, f);
        else target.node.addMetadata(f.level === 'error' ? POLICY_ERROR_METADATA_TYPE : POLICY_WARNING_METADATA_TYPE, { id: f.ruleId, message: formatPolicyFinding(f) }, { stackTrace: false });
      }
    }
  }

  private visitTerraformStack(cdktf: Cdktf, stack: InstanceType<Cdktf['TerraformStack']>): void {
    const json = stack.toTerraform() as Doc;
    const output: TerraformOutput = { target: 'terraform', source: `stack ${stack.node.path}`, json, files: assetFilesOf(cdktf, stack) };
    const report = this.pack.checkOutputs([output]);
    const elements = stack.node.findAll().filter((c) => cdktf.TerraformElement.isTerraformElement(c)) as Array<InstanceType<Cdktf['TerraformElement']>>;
    for (const f of unsuppressed(report)) {
      const embedded = f.location.startsWith('openstack_orchestration_stack_v1.') ? f.location.slice('openstack_orchestration_stack_v1.'.length) : undefined;
      const target = elements.find((e) => e.friendlyUniqueId === f.resource) ?? (embedded ? elements.find((e) => e.friendlyUniqueId === embedded) : undefined) ?? stack;
      annotate(cdktf, target, f);
    }
  }
}

function annotate(cdktf: Cdktf, target: IConstruct, f: PolicyFinding): void {
  const text = formatPolicyFinding(f);
  if (f.level === 'error') cdktf.Annotations.of(target).addError(text);
  else cdktf.Annotations.of(target).addWarning(text);
}

/** The construct of a Scaleout stack owning logical name `name` (longest matching prefix). */
function ownerIn(stack: Stack, name: string): IConstruct | undefined {
  const byName = new Map<string, IConstruct>();
  for (const c of stack.node.findAll()) if (c !== stack && !byName.has(logicalNameOf(c, stack))) byName.set(logicalNameOf(c, stack), c);
  for (let key = name; key.length > 0; key = key.includes('_') ? key.slice(0, key.lastIndexOf('_')) : '') {
    const hit = byName.get(key);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The YAML assets of a cdktf stack by the path Terraform will see them under (`assets/...`),
 * read from where cdktf copies them from. cdktf keeps that source path private; it is read
 * defensively and an asset without one is skipped (rules needing the member template then skip it).
 */
function assetFilesOf(cdktf: Cdktf, stack: IConstruct): Record<string, Doc> {
  const yaml = require('js-yaml') as typeof import('js-yaml');
  const out: Record<string, Doc> = {};
  for (const c of stack.node.findAll()) {
    if (!(c instanceof cdktf.TerraformAsset)) continue;
    const source = (c as unknown as { sourcePath?: unknown }).sourcePath;
    if (typeof source !== 'string' || !source.endsWith('.yaml') || !fs.existsSync(source)) continue;
    const doc = yaml.load(fs.readFileSync(source, 'utf8'));
    if (doc && typeof doc === 'object') out[c.path] = doc as Doc;
  }
  return out;
}
