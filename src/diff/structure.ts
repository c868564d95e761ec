/**
 * Structural changes between two syntheses: resources added, removed and changed, each changed
 * resource with the property paths that differ.
 */
import { HotTemplate, ReadResource, Synthesis } from './synthesis';

/** One resource that differs. */
export interface StructuralChange {
  readonly kind: 'added' | 'removed' | 'changed';
  /** `api_servers`, `api_servers_member.yaml/api_servers_server`, `openstack_lb_pool_v2.api_pool`. */
  readonly resource: string;
  readonly type: string;
  /** For `changed`: `path: before -> after`, sorted. */
  readonly paths: readonly string[];
}

/** Every resource and output of a synthesis under a stable key. */
function flatten(s: Synthesis): Map<string, ReadResource> {
  const out = new Map<string, ReadResource>();
  const addTemplate = (t: HotTemplate, prefix: string) => {
    for (const [name, r] of Object.entries(t.resources)) out.set(`${prefix}${name}`, r);
    // Member templates by file name: Terraform asset folders carry a content hash.
    for (const [file, n] of Object.entries(t.nested)) addTemplate(n, `${prefix}${file.split('/').pop()}/`);
  };
  for (const t of s.heat) addTemplate(t, s.target === 'terraform' ? `${t.name}/` : '');
  for (const [key, r] of Object.entries(s.terraform)) out.set(key, r);
  const outputs = s.target === 'terraform' ? s.terraformOutputs : s.heat[0]?.outputs ?? {};
  for (const [name, o] of Object.entries(outputs)) out.set(`output ${name}`, { type: 'output', properties: (o ?? {}) as Record<string, unknown> });
  return out;
}

function short(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  if (text.includes('\\n') || text.length > 60) return '(changed)';
  return text;
}

/** `path: before -> after` for every leaf that differs; long or multi-line values read `(changed)`. */
export function changedPaths(before: unknown, after: unknown, at = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    return [...new Set([...Object.keys(b), ...Object.keys(a)])]
      .sort()
      .flatMap((k) => changedPaths(b[k], a[k], at ? `${at}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((v, i) => changedPaths(v, after[i], `${at}[${i}]`));
  }
  const b = short(before);
  const a = short(after);
  return [b === '(changed)' || a === '(changed)' ? `${at || '(root)'}: changed` : `${at || '(root)'}: ${b} -> ${a}`];
}

/** The structural changes from `before` to `after`, sorted by resource key. */
export function structuralChanges(before: Synthesis, after: Synthesis): StructuralChange[] {
  const b = flatten(before);
  const a = flatten(after);
  const keys = [...new Set([...b.keys(), ...a.keys()])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const out: StructuralChange[] = [];
  for (const k of keys) {
    const rb = b.get(k);
    const ra = a.get(k);
    if (!rb && ra) out.push({ kind: 'added', resource: k, type: ra.type, paths: [] });
    else if (rb && !ra) out.push({ kind: 'removed', resource: k, type: rb.type, paths: [] });
    else if (rb && ra) {
      const paths = changedPaths({ type: rb.type, properties: rb.properties }, { type: ra.type, properties: ra.properties });
      if (paths.length) out.push({ kind: 'changed', resource: k, type: ra.type, paths });
    }
  }
  return out;
}
