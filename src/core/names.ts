import { createHash } from 'crypto';
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

/** The longest name Nova, Neutron and Octavia accept (code points; `maxLength` of their API schemas). */
export const SERVICE_NAME_MAX_LENGTH = 255;

/**
 * Characters a Heat-side default name keeps free for the deployed stack's name it starts with
 * (`<OS::stack_name>-<logical name>`): the name is only known at create time, and 64 is the
 * limit Scaleout puts on `stackName`.
 */
export const HEAT_STACK_NAME_ALLOWANCE = 64;

/** How a service measures a name: in code points (Python `len()` of a str) or in UTF-8 bytes (Swift). */
export type NameMeasure = 'characters' | 'bytes';

/** The length of `text` as a service measures it. */
export function nameLength(text: string, measure: NameMeasure = 'characters'): number {
  if (measure === 'bytes') return Buffer.byteLength(text, 'utf8');
  // Code points: UTF-16 code units less one per surrogate pair (what `[...text].length` counts, without the array).
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/**
 * A default (derived) name that fits a service's limit, deterministically.
 *
 * Default names come from construct paths, which have no length limit, while Nova, Neutron and
 * Octavia refuse names over 255 characters and Swift container names over 256 bytes. A name that
 * fits is returned unchanged. A longer one keeps its start and ends in `separator` plus the first 8 hex
 * digits of the SHA-256 of the whole name, so the result is stable from one synthesis to the next
 * and two long names that differ only after the cut still differ. Names given explicitly by the
 * user are never shortened: they are checked and refused when too long (`requireName`).
 */
export function fitName(name: string, max: number, measure: NameMeasure = 'characters', separator = '-'): string {
  if (nameLength(name, measure) <= max) return name;
  const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8);
  const room = max - 1 - hash.length;
  let kept = '';
  for (const ch of name) {
    if (nameLength(kept + ch, measure) > room) break;
    kept += ch;
  }
  return `${kept.replace(/[-_ .]+$/, '')}${separator}${hash}`;
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
