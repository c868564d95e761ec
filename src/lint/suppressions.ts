/**
 * Suppressions: a policy finding that is intended is suppressed by rule id, with a reason, on a
 * construct (and everything below it) or on a whole stack. They are kept in the construct tree and
 * written into the synthesized output, so `scaleout lint <dir>` honours them as well:
 *
 * - HOT: one `OS::Heat::None` resource named `scaleout_policy_suppressions` per document that has
 *   suppressed resources, its resource-level `metadata.suppressions` mapping logical names (`'*'`
 *   for the whole stack) to `[{ id, reason }]`. `OS::Heat::None` creates nothing (Heat:
 *   heat/engine/resources/openstack/heat/none_resource.py, `NoneResource`). The suppressions are
 *   not put into the metadata of the resources they concern: Heat keeps a group's and a policy's
 *   cooldown state in their resource metadata (heat/scaling/cooldown.py, `CooldownMixin`, which
 *   reads the first key of old-style metadata as a timestamp), so extra keys there are not harmless.
 * - Terraform JSON: the top-level `//` comment block (which Terraform ignores and cdktf already uses
 *   for its own metadata) gets `scaleout_policy_suppressions` with the same map; it covers the native
 *   resources and the embedded group templates, whose logical names share one namespace.
 *
 * Output without suppressions is left byte for byte as it was.
 */
import { IConstruct } from 'constructs';
import { ErrorCode, propError } from '../core/errors';
import { logicalNameOf } from '../core/names';
import { embeddedTemplateOf, type Doc, type HotTemplateView } from '../assertions/output';
import type { HeatSynthesis } from '../stacks/heat/heat-synthesizer';

/** One suppression: the rule id and why the finding is intended. */
export interface PolicySuppression {
  /** The rule id, e.g. `world-open-sensitive-port`. */
  readonly id: string;
  /** Why the finding is intended; a sentence a reviewer can judge (at least 10 characters). */
  readonly reason: string;
}

export { hasSuppressions, SUPPRESSION_METADATA_TYPE } from './suppression-marker';
import { hasSuppressions, SUPPRESSION_METADATA_TYPE } from './suppression-marker';
/** Logical name of the HOT resource holding a document's suppressions. */
export const HOT_SUPPRESSIONS_RESOURCE = 'scaleout_policy_suppressions';
/** Key in the Terraform JSON `//` block holding the suppressions. */
export const TERRAFORM_SUPPRESSIONS_KEY = 'scaleout_policy_suppressions';
/** The key standing for every resource of the stack. */
export const WHOLE_STACK = '*';

const RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Suppressions by logical name (or `'*'`), per location (a HOT document, or `'*'` for all). */
export type SuppressionIndex = ReadonlyMap<string, ReadonlyMap<string, readonly PolicySuppression[]>>;

/** Records suppressions on `scope` after checking each has a rule id and a reason. */
export function addSuppressions(scope: IConstruct, suppressions: readonly PolicySuppression[]): void {
  if (!Array.isArray(suppressions) || suppressions.length === 0) {
    throw propError(scope, ErrorCode.REQUIRED, 'suppressions', suppressions, 'must list at least one { id, reason }', "e.g. [{ id: 'group-max-far-above-min', reason: 'a queue backlog needs 20 workers' }]");
  }
  suppressions.forEach((s, i) => {
    if (typeof s?.id !== 'string' || !RULE_ID.test(s.id)) {
      throw propError(scope, ErrorCode.FORMAT, `suppressions[${i}].id`, s?.id, 'must be a policy rule id in kebab case', 'copy the id from the finding, e.g. world-open-sensitive-port');
    }
    if (typeof s.reason !== 'string' || s.reason.trim().length < 10) {
      throw propError(scope, ErrorCode.REQUIRED, `suppressions[${i}].reason`, s.reason, `must say why finding '${s.id}' is intended, in at least 10 characters`, 'write the sentence a reviewer needs to accept it');
    }
    scope.node.addMetadata(SUPPRESSION_METADATA_TYPE, { id: s.id, reason: s.reason.trim() } satisfies PolicySuppression, { stackTrace: false });
  });
}

/** Suppressions recorded on `construct` itself. */
function ownSuppressions(construct: IConstruct): PolicySuppression[] {
  return construct.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA_TYPE).map((m) => m.data as PolicySuppression);
}

/**
 * Resolves a logical name to the constructs that own it: those whose own logical name is the
 * longest prefix of it at a `_` boundary (a construct's resources are named after its path, with a
 * suffix; the member template's resources too).
 */
class Owners {
  private readonly byName = new Map<string, IConstruct[]>();

  constructor(private readonly stack: IConstruct) {
    for (const c of stack.node.findAll()) {
      if (c === stack) continue;
      const name = logicalNameOf(c, stack);
      const list = this.byName.get(name) ?? [];
      list.push(c);
      this.byName.set(name, list);
    }
  }

  public of(name: string): IConstruct[] {
    let key = name;
    for (;;) {
      const owners = this.byName.get(key);
      if (owners) return owners;
      const cut = key.lastIndexOf('_');
      if (cut <= 0) return [];
      key = key.slice(0, cut);
    }
  }

  /** The suppressions that apply to resource `name`: on its owners and their scopes below the stack. */
  public suppressionsOf(name: string): PolicySuppression[] {
    const seen = new Set<IConstruct>();
    const out: PolicySuppression[] = [];
    for (const owner of this.of(name)) {
      for (const scope of owner.node.scopes) {
        if (seen.has(scope) || scope === this.stack || !scope.node.scopes.includes(this.stack)) continue;
        seen.add(scope);
        out.push(...ownSuppressions(scope));
      }
    }
    return dedupe(out);
  }
}

function dedupe(list: PolicySuppression[]): PolicySuppression[] {
  const keys = new Set<string>();
  return list.filter((s) => {
    const k = `${s.id}\u0000${s.reason}`;
    if (keys.has(k)) return false;
    keys.add(k);
    return true;
  });
}

/** The suppressions of a stack for the resources of one document: logical name (or '*') -> list. */
function suppressionMap(stack: IConstruct, names: readonly string[]): Record<string, PolicySuppression[]> {
  const owners = new Owners(stack);
  const map: Record<string, PolicySuppression[]> = {};
  const whole = dedupe(ownSuppressions(stack));
  if (whole.length > 0) map[WHOLE_STACK] = whole;
  for (const name of names) {
    const list = owners.suppressionsOf(name);
    if (list.length > 0) map[name] = list;
  }
  return map;
}

/**
 * A HOT document with its suppressions added as an `OS::Heat::None` resource (the document itself
 * when none applies). Resource names listed are those of the document.
 */
export function withHotSuppressions(stack: IConstruct, doc: Doc): Doc {
  const resources = (doc.resources ?? {}) as Record<string, Doc>;
  const map = suppressionMap(stack, Object.keys(resources).filter((n) => n !== HOT_SUPPRESSIONS_RESOURCE));
  if (Object.keys(map).length === 0) return doc;
  return {
    ...doc,
    resources: {
      ...resources,
      [HOT_SUPPRESSIONS_RESOURCE]: {
        type: 'OS::Heat::None',
        metadata: { description: 'Policy findings suppressed on purpose, with the reasons (read by scaleout lint); creates nothing', suppressions: map },
      },
    },
  };
}

/** Terraform JSON with its suppressions in the top-level `//` block (the document itself when none applies). */
export function withTerraformSuppressions(stack: IConstruct, json: Doc, embedded: readonly Doc[] = []): Doc {
  const names = [
    ...Object.values((json.resource ?? {}) as Record<string, Doc>).flatMap((byName) => Object.keys(byName)),
    ...embedded.flatMap((d) => Object.keys((d.resources ?? {}) as Doc)),
  ];
  const map = suppressionMap(stack, [...new Set(names)]);
  if (Object.keys(map).length === 0) return json;
  return { ...json, '//': { ...(json['//'] ?? {}), [TERRAFORM_SUPPRESSIONS_KEY]: map } };
}

function listOf(value: unknown): PolicySuppression[] {
  return Array.isArray(value) ? value.filter((s) => typeof s?.id === 'string' && typeof s?.reason === 'string' && s.reason.trim().length > 0) : [];
}

/** Reads the suppressions written into an output. */
export function readSuppressions(templates: readonly HotTemplateView[], terraform?: Doc): SuppressionIndex {
  const index = new Map<string, Map<string, PolicySuppression[]>>();
  const add = (location: string, map: unknown) => {
    if (!map || typeof map !== 'object') return;
    const inner = index.get(location) ?? new Map<string, PolicySuppression[]>();
    for (const [name, list] of Object.entries(map as Doc)) inner.set(name, [...(inner.get(name) ?? []), ...listOf(list)]);
    index.set(location, inner);
  };
  for (const t of templates) {
    const r = t.doc.resources?.[HOT_SUPPRESSIONS_RESOURCE];
    if (r?.type === 'OS::Heat::None') add(t.location, r.metadata?.suppressions);
  }
  if (terraform) add(WHOLE_STACK, terraform['//']?.[TERRAFORM_SUPPRESSIONS_KEY]);
  return index;
}

/**
 * The suppression of rule `id` for `resource` in `location`, if any. A suppression listed for a
 * logical name also covers the names it prefixes at a `_` boundary: those are resources of
 * constructs below the same construct (a group's member server `web_server` below group `web`),
 * which is how a Terraform stack's map reaches member templates it does not list.
 */
export function findSuppression(index: SuppressionIndex, location: string, resource: string, id: string): PolicySuppression | undefined {
  for (const loc of [location, WHOLE_STACK]) {
    const map = index.get(loc);
    if (!map) continue;
    for (let key = resource; key.length > 0; key = key.includes('_') ? key.slice(0, key.lastIndexOf('_')) : '') {
      const hit = map.get(key)?.find((s) => s.id === id);
      if (hit) return hit;
    }
    const whole = map.get(WHOLE_STACK)?.find((s) => s.id === id);
    if (whole) return whole;
  }
  return undefined;
}

/**
 * A Heat synthesis with the stack's suppressions written into each of its documents, for
 * `heatFiles`/`writeHeat` (the synthesis itself when none applies, so its files stay byte for byte).
 */
export function heatSynthesisWithSuppressions(stack: IConstruct, synthesis: HeatSynthesis): HeatSynthesis {
  const template = withHotSuppressions(stack, synthesis.template);
  const files = Object.fromEntries(Object.entries(synthesis.files).map(([name, doc]) => [name, withHotSuppressions(stack, doc)]));
  const changed = template !== synthesis.template || Object.entries(files).some(([name, doc]) => doc !== synthesis.files[name]);
  return changed ? { ...synthesis, template, files } : synthesis;
}

/** The part of a cdktf `TerraformStack` this module uses. */
export interface TerraformStackLike {
  toTerraform(): unknown;
  addOverride(path: string, value: unknown): void;
}

/**
 * Writes the stack's suppressions into the top-level `//` block of the cdktf stack rendering it,
 * before `app.synth()`; nothing is added when none applies.
 */
export function addSuppressionsToTerraformStack(stack: IConstruct, terraformStack: TerraformStackLike): void {
  if (!hasSuppressions(stack)) return;
  const json = terraformStack.toTerraform() as Doc;
  const stacks = (json.resource?.openstack_orchestration_stack_v1 ?? {}) as Record<string, Doc>;
  const embedded = Object.entries(stacks).flatMap(([n, r]) => embeddedTemplateOf(r, n) ?? []);
  const marked = withTerraformSuppressions(stack, json, embedded);
  if (marked !== json) terraformStack.addOverride(`//.${TERRAFORM_SUPPRESSIONS_KEY}`, marked['//'][TERRAFORM_SUPPRESSIONS_KEY]);
}
