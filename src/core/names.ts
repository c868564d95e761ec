import { IConstruct } from 'constructs';

/** Construct ids left out of logical names: the primary child of a construct is its parent's resource. */
const TRANSPARENT_IDS = new Set(['Resource', 'Default']);

/** `LoadBalancer` -> `load_balancer`, `API2Tier` -> `api2_tier`, `web-app` -> `web_app`. */
export function snakeCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/**
 * The logical name of a construct in a template: its path below `root`, each id in snake case,
 * joined by `_`, with `Resource`/`Default` ids dropped. Stable and readable, no hashes; a
 * construct's id is therefore public contract.
 */
export function logicalNameOf(construct: IConstruct, root: IConstruct, suffix?: string): string {
  const parts: string[] = [];
  for (const c of construct.node.scopes.slice(root.node.scopes.length)) {
    if (!TRANSPARENT_IDS.has(c.node.id)) parts.push(snakeCase(c.node.id));
  }
  if (suffix) parts.push(snakeCase(suffix));
  let name = parts.filter(Boolean).join('_') || 'resource';
  if (!/^[a-z_]/.test(name)) name = `r_${name}`;
  return name;
}
