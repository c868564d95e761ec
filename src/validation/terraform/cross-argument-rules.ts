import { TerraformFinding, TerraformFindingCode, describeValue, finding, joinPath } from './findings';
import { AttributeConstraints, TypeSchema } from './provider-schema';
import { containsTemplate } from './template-expressions';

/**
 * The provider's rules between arguments, from `constraints.json`: `ConflictsWith`,
 * `ExactlyOneOf`, `AtLeastOneOf` and `RequiredWith`.
 *
 * These are runtime checks of the provider itself (terraform-plugin-sdk/v2 runs them in the
 * provider process during `terraform validate`/`plan`). `terraform providers schema -json` does not
 * carry them, so `terraform validate` against a stand-in provider built from the schema alone
 * cannot see them; neither can the generated JSON Schema. The semantics follow the SDK
 * (`helper/schema/schema.go`):
 *
 * - keys are absolute paths from the resource body, `.0.` indexing into blocks
 *   (`directions.0.out`); rules on nested attributes run once per existing block;
 * - `ConflictsWith` applies only when the attribute is set and both values are known;
 * - `RequiredWith` applies when the attribute is set; every listed key must then be set;
 * - `ExactlyOneOf` / `AtLeastOneOf` always apply; the attribute itself belongs to the group;
 *   a value not known until apply (a `${...}` template) neither counts as set nor as missing.
 */
export function checkCrossArgumentRules(type: TypeSchema, body: Record<string, unknown>, basePath: string): TerraformFinding[] {
  const findings: TerraformFinding[] = [];
  const reportedGroups = new Set<string>();
  for (const [attributePath, c] of Object.entries(type.constraints)) {
    if (!hasCrossRule(c)) continue;
    const parts = attributePath.split('.');
    const name = parts[parts.length - 1];
    for (const instance of blockInstances(body, parts.slice(0, -1), basePath)) {
      const key = instance.sdkKey ? `${instance.sdkKey}.${name}` : name;
      const path = joinPath(instance.path, name);
      const value = instance.node[name];
      const self = stateOf(value);
      if (self === 'set') {
        for (const other of c.conflicts_with ?? []) {
          const otherValue = valueAt(body, other);
          if (stateOf(otherValue) !== 'set') continue;
          findings.push(
            finding(
              TerraformFindingCode.CONFLICTS_WITH,
              path,
              `'${key}' conflicts with '${other}', got ${describeValue(value)} and ${describeValue(otherValue)}; set only one of them`,
            ),
          );
        }
      }
      if (self !== 'unset') {
        const missing = (c.required_with ?? []).filter((k) => stateOf(valueAt(body, k)) === 'unset');
        if (missing.length > 0) {
          findings.push(
            finding(
              TerraformFindingCode.REQUIRED_WITH,
              path,
              `'${key}' needs ${quoteAll(missing)} set too, got ${describeValue(value)} without ${missing.length === 1 ? 'it' : 'them'}; set ${quoteAll(missing)} or remove '${key}'`,
            ),
          );
        }
      }
      for (const [rule, list] of [
        ['exactly', c.exactly_one_of],
        ['at least', c.at_least_one_of],
      ] as const) {
        if (!list || list.length === 0) continue;
        const group = [...new Set([...list, key])].sort();
        const groupId = `${rule}|${instance.path}|${group.join(',')}`;
        if (reportedGroups.has(groupId)) continue;
        reportedGroups.add(groupId);
        const states = group.map((k) => stateOf(valueAt(body, k)));
        const specified = group.filter((_, i) => states[i] === 'set');
        const unknown = states.filter((s) => s === 'unknown').length;
        const where = instance.path;
        if (specified.length === 0 && unknown === 0) {
          const code = rule === 'exactly' ? TerraformFindingCode.EXACTLY_ONE_OF : TerraformFindingCode.AT_LEAST_ONE_OF;
          findings.push(finding(code, where, `${rule === 'exactly' ? 'exactly' : 'at least'} one of ${quoteAll(group)} must be set, got none; set ${rule === 'exactly' ? 'one' : 'at least one'} of them`));
        } else if (rule === 'exactly' && specified.length > 1) {
          findings.push(
            finding(TerraformFindingCode.EXACTLY_ONE_OF, where, `only one of ${quoteAll(group)} can be set, got ${quoteAll(specified)}; keep one of them`),
          );
        }
      }
    }
  }
  return findings;
}

function hasCrossRule(c: AttributeConstraints): boolean {
  return Boolean(c.conflicts_with?.length || c.exactly_one_of?.length || c.at_least_one_of?.length || c.required_with?.length);
}

function quoteAll(keys: readonly string[]): string {
  return keys.map((k) => `'${k}'`).join(', ');
}

type State = 'unset' | 'unknown' | 'set';

/** Unset (absent or null), unknown (a template Terraform evaluates later) or set. */
function stateOf(value: unknown): State {
  if (value === undefined || value === null) return 'unset';
  if (typeof value === 'string' && containsTemplate(value)) return 'unknown';
  return 'set';
}

/** The value at an SDK key (`directions.0.out`); a block written as one object is its own element 0. */
function valueAt(body: Record<string, unknown>, key: string): unknown {
  let node: unknown = body;
  for (const part of key.split('.')) {
    if (node === undefined || node === null || (typeof node === 'string' && containsTemplate(node))) return node;
    if (/^\d+$/.test(part)) {
      if (Array.isArray(node)) node = node[Number(part)];
      else if (typeof node === 'object' && part === '0') continue;
      else return undefined;
    } else if (typeof node === 'object' && !Array.isArray(node)) {
      node = (node as Record<string, unknown>)[part];
    } else {
      return undefined;
    }
  }
  return node;
}

interface BlockInstance {
  readonly node: Record<string, unknown>;
  /** Finding path of the block (`resource.t.n.directions[0]`). */
  readonly path: string;
  /** SDK key of the block (`directions.0`), '' for the body itself. */
  readonly sdkKey: string;
}

/** Every instance of the nested block at `blocks` (block names from the body down), as written. */
function blockInstances(body: Record<string, unknown>, blocks: readonly string[], basePath: string): BlockInstance[] {
  let instances: BlockInstance[] = [{ node: body, path: basePath, sdkKey: '' }];
  for (const name of blocks) {
    const next: BlockInstance[] = [];
    for (const parent of instances) {
      const value = parent.node[name];
      const path = joinPath(parent.path, name);
      const sdkKey = parent.sdkKey ? `${parent.sdkKey}.${name}` : name;
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (isObject(item)) next.push({ node: item, path: joinPath(path, i), sdkKey: `${sdkKey}.${i}` });
        });
      } else if (isObject(value)) {
        next.push({ node: value, path, sdkKey: `${sdkKey}.0` });
      }
    }
    instances = next;
  }
  return instances;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
