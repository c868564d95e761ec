/**
 * The YAML text of a HOT document, byte for byte what js-yaml 4.1's `dump` writes with the
 * options below, in a fraction of its time (YAML dumping was about 40 % of a Heat synth).
 *
 * The structure is the part of js-yaml's `lib/dumper.js` a HOT document uses, rewritten: block
 * mappings and sequences (`writeBlockMapping`, `writeBlockSequence`, with `compact` and
 * `generateNextLine`), `{}` and `[]` for empty ones (`writeFlowMapping`, `writeFlowSequence`), no
 * anchors (`noRefs`), keys in insertion order, undefined values skipped in mappings and `null` in
 * sequences. Every scalar's text is js-yaml's own: `dump` of the scalar alone, remembered per
 * value, so the choice of style (plain, quoted, literal block) and of escapes is never re-implemented;
 * only a literal block is re-indented for its level (`writeScalar`: `blockHeader` plus
 * `indentString` by `indent * max(1, level)`). Identifier-like strings, which js-yaml always
 * writes plain, skip even that look-up. Anything else (a key needing `? `, a multi-line key, a
 * value that is not plain data) makes the whole document go through js-yaml.
 */
import type { DumpOptions } from 'js-yaml';
import { yaml } from '../../core/js-yaml';

/** The dump options of every HOT file. */
export const HOT_YAML_OPTIONS: DumpOptions = { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: "'" };

const INDENT = 2;

/**
 * Strings js-yaml writes plain whatever the level: a letter first, then letters, digits, `_`, `.`,
 * `/`, `-` and spaces, ending in a letter, digit or `_` (so no `: `, ` #`, quote, indicator or
 * trailing space), unless the whole string is a YAML 1.1/1.2 null or boolean (RESERVED; every
 * other implicit type starts with a digit, a sign, a dot, `~` or `<`).
 */
const IDENTIFIER = /^[A-Za-z](?:[A-Za-z0-9_ ./-]*[A-Za-z0-9_])?$/;
const RESERVED = new Set(['null', 'true', 'false', 'y', 'n', 'yes', 'no', 'on', 'off']);

/** Thrown (and caught) when the document holds something only js-yaml itself should write. */
class NotPlainData extends Error {}

const scalars = new Map<unknown, string>();

/** js-yaml's text for a scalar alone (at level 0, not a key), without the final newline. */
function dumpedScalar(value: unknown): string {
  // 0 and -0 would share a Map key but not a text (js-yaml writes -0 as -0.0).
  if (Object.is(value, -0)) return yaml.dump(value, HOT_YAML_OPTIONS).slice(0, -1);
  let text = scalars.get(value);
  if (text === undefined) {
    text = yaml.dump(value, HOT_YAML_OPTIONS).slice(0, -1);
    scalars.set(value, text);
  }
  return text;
}

function spaces(n: number): string {
  return ' '.repeat(n);
}

/** js-yaml's `indentString`: every non-empty line, other than a lone line feed, indented. */
function indentLines(text: string, indent: number): string {
  const pad = spaces(indent);
  let out = '';
  let position = 0;
  while (position < text.length) {
    const next = text.indexOf('\n', position);
    const line = next === -1 ? text.slice(position) : text.slice(position, next + 1);
    position = next === -1 ? text.length : next + 1;
    if (line.length && line !== '\n') out += pad;
    out += line;
  }
  return out;
}

function stringValue(value: string, level: number): string {
  if (IDENTIFIER.test(value) && !RESERVED.has(value.toLowerCase())) return value;
  const text = dumpedScalar(value);
  if (text.charCodeAt(0) !== 0x7c /* | */) return text;
  // A literal block: js-yaml indents its lines by INDENT * max(1, level); the header does not
  // depend on the level (`blockHeader`), the body does.
  const header = text.slice(0, text.indexOf('\n') + 1);
  const body = indentLines(value, INDENT * Math.max(1, level));
  return header + (body.endsWith('\n') ? body.slice(0, -1) : body);
}

function keyText(key: string): string {
  if (key.length <= 1024 && IDENTIFIER.test(key) && !RESERVED.has(key.toLowerCase())) return key;
  const text = dumpedScalar(key);
  // A key js-yaml would write differently from a value (singleLineOnly) or as an explicit pair.
  if (text.includes('\n') || text.charCodeAt(0) === 0x7c || text.charCodeAt(0) === 0x3e || text.length > 1024) throw new NotPlainData();
  return text;
}

/** js-yaml's `writeNode` for a block context; returns undefined for `undefined` (skipped). */
function node(value: unknown, level: number, compact: boolean): string | undefined {
  switch (typeof value) {
    case 'string':
      return stringValue(value, level);
    case 'number':
    case 'boolean':
      return dumpedScalar(value);
    case 'undefined':
      return undefined;
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return value.length === 0 ? '[]' : sequence(value, level, compact);
      if (Object.getPrototypeOf(value) !== Object.prototype) throw new NotPlainData();
      return mapping(value as Record<string, unknown>, level, compact);
    default:
      throw new NotPlainData();
  }
}

/** Whether `text`, written by `node` for `value` outside compact mode, starts on the next line. */
function opensBlock(value: unknown, text: string): boolean {
  return typeof value === 'object' && value !== null && text !== '{}' && text !== '[]';
}

function mapping(value: Record<string, unknown>, level: number, compact: boolean): string {
  let out = '';
  const nextLine = `\n${spaces(INDENT * level)}`;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const text = node(item, level + 1, false);
    if (text === undefined) continue;
    if (!compact || out !== '') out += nextLine;
    out += keyText(key);
    // A non-empty mapping or sequence (not compact here) starts on the next line. Decided from the
    // value, not from `text`: reading a character of a long concatenated string flattens it (a
    // copy of the whole subtree at every level).
    out += opensBlock(item, text) ? ':' : ': ';
    out += text;
  }
  return out || '{}';
}

function sequence(value: unknown[], level: number, compact: boolean): string {
  let out = '';
  const nextLine = `\n${spaces(INDENT * level)}`;
  for (const item of value) {
    const text = node(item, level + 1, true) ?? 'null';
    if (!compact || out !== '') out += nextLine;
    // An item is written compact: a mapping or sequence starts on the dash's line, a scalar never
    // starts with a line feed (js-yaml quotes it or writes a block), so always "- ".
    out += '- ';
    out += text;
  }
  return out;
}

/** The YAML text of a document: `yaml.dump(doc, HOT_YAML_OPTIONS)`, byte for byte. */
export function hotYaml(doc: unknown): string {
  try {
    const text = node(doc, 0, true);
    if (text !== undefined) return `${text}\n`;
  } catch (e) {
    if (!(e instanceof NotPlainData)) throw e;
  }
  return yaml.dump(doc, HOT_YAML_OPTIONS);
}
