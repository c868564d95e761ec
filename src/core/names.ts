import { IConstruct } from 'constructs';

/** Construct ids left out of logical names: the primary child of a construct is its parent's resource. */
const TRANSPARENT_IDS = new Set(['Resource', 'Default']);

/** Construct ids repeat (`Resource`, `Group`, `Port`, ...): each is converted once per process. */
const snakeCases = new Map<string, string>();

/** `LoadBalancer` -> `load_balancer`, `API2Tier` -> `api2_tier`, `web-app` -> `web_app`. */
export function snakeCase(id: string): string {
  let out = snakeCases.get(id);
  if (out === undefined) {
    out = id
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toLowerCase();
    snakeCases.set(id, out);
  }
  return out;
}

/**
 * The logical name of a construct in a template: its path below `root`, each id in snake case,
 * joined by `_`, with `Resource`/`Default` ids dropped. Stable and readable, no hashes; a
 * construct's id is therefore public contract.
 */
export function logicalNameOf(construct: IConstruct, root: IConstruct, suffix?: string): string {
  const parts = pathParts(construct, root);
  const suffixPart = suffix ? snakeCase(suffix) : '';
  let name = (suffixPart ? [...parts, suffixPart] : parts).join('_') || 'resource';
  if (!/^[a-z_]/.test(name)) name = `r_${name}`;
  return name;
}

/** A construct's path never changes once it is created: its name parts below a root are computed once. */
const partsByRoot = new WeakMap<IConstruct, WeakMap<IConstruct, readonly string[]>>();

/** The non-empty snake-case ids from below `root` down to `construct`, `Resource`/`Default` left out. */
function pathParts(construct: IConstruct, root: IConstruct): readonly string[] {
  let byRoot = partsByRoot.get(construct);
  if (!byRoot) {
    byRoot = new WeakMap();
    partsByRoot.set(construct, byRoot);
  }
  let parts = byRoot.get(root);
  if (!parts) {
    const out: string[] = [];
    for (const c of construct.node.scopes.slice(root.node.scopes.length)) {
      if (TRANSPARENT_IDS.has(c.node.id)) continue;
      const part = snakeCase(c.node.id);
      if (part) out.push(part);
    }
    parts = out;
    byRoot.set(root, parts);
  }
  return parts;
}
