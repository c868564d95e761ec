import { Construct, IConstruct } from 'constructs';
import { ErrorCode, propError } from './errors';
import { nameLength, NameMeasure } from './names';

/**
 * Eager prop validation used by every construct's constructor. Each check throws a
 * `ScaleoutError` naming the construct path, the prop, the value and what is allowed.
 * Values that are unresolved tokens (cdktf `${TfToken[...]}` strings or our own late-bound
 * values) are skipped: they are only known at deploy time.
 */

const TOKEN_MARKERS = ['${TfToken[', '${Token[', '#{TfToken['];

/** True when the value is only known later (a token), so static checks must not judge it. */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') return TOKEN_MARKERS.some((m) => value.includes(m));
  if (typeof value === 'number') return value <= -1.8881545897087626e289 && value > -1.8881545897087627e289;
  return typeof value === 'object' && value !== null && typeof (value as { resolve?: unknown }).resolve === 'function';
}

/** Throws when a required prop is missing. */
export function requireDefined<T>(scope: IConstruct, prop: string, value: T | undefined, fix: string): T {
  if (value === undefined || value === null) {
    throw propError(scope, ErrorCode.REQUIRED, prop, value, 'is required', fix);
  }
  return value;
}

/** A non-empty string (after trimming), optionally limited in length and matched to a pattern. */
export function requireName(
  scope: IConstruct,
  prop: string,
  value: string | undefined,
  options: { maxLength?: number; pattern?: RegExp; patternText?: string; measure?: NameMeasure } = {},
): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw propError(scope, ErrorCode.EMPTY, prop, value, 'must be a non-empty string', `give a name of 1 to ${options.maxLength ?? 255} characters`);
  }
  const max = options.maxLength ?? 255;
  // OpenStack services are Python: a name's length is counted in code points (len() of a str),
  // not in UTF-16 units as JavaScript's .length does ('✓' and an emoji are one character each).
  // Swift is the exception: it measures container names in UTF-8 bytes (measure: 'bytes').
  const measure = options.measure ?? 'characters';
  const length = nameLength(value, measure);
  if (length > max) {
    const unit = measure === 'bytes' ? 'bytes of UTF-8' : 'characters';
    throw propError(scope, ErrorCode.RANGE, prop, value, `must be at most ${max} ${unit} long (it has ${length})`, 'shorten it');
  }
  if (value.trim() !== value) {
    // Nova's name schema (nova/api/validation/parameter_types.py, `name`, `valid_name_regex`)
    // refuses leading and trailing whitespace; the other services store it, and lookups by the
    // trimmed name then miss. Refused everywhere, so both targets get the same name.
    throw propError(scope, ErrorCode.FORMAT, prop, value, 'must not start or end with whitespace', 'trim it');
  }
  if (options.pattern && !options.pattern.test(value)) {
    throw propError(scope, ErrorCode.FORMAT, prop, value, `must match ${options.patternText ?? options.pattern.toString()}`, 'rename it');
  }
  requireLiteralText(scope, prop, value);
}

/**
 * A string that both targets write literally: Terraform reads `${` and `%{` in any string as the
 * start of an expression or directive, so a literal holding one would be evaluated (or refused).
 */
export function requireLiteralText(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string') {
    throw propError(scope, ErrorCode.FORMAT, prop, value, 'must be a string', 'give a text value');
  }
  if (value.includes('${') || value.includes('%{')) {
    throw propError(
      scope,
      ErrorCode.FORMAT,
      prop,
      value,
      "must not contain '${' or '%{' (Terraform would read it as an expression)",
      'remove the sequence; pass values known only at deploy time as a Value',
    );
  }
}

/** An integer within [min, max]. */
export function requireInt(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number, unit = ''): void {
  if (value === undefined || isUnresolved(value)) return;
  const u = unit ? ` ${unit}` : '';
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw propError(scope, ErrorCode.RANGE, prop, value, `must be an integer between ${min} and ${max}${u}`, 'give a whole number');
  }
  if (value < min || value > max) {
    throw propError(scope, ErrorCode.RANGE, prop, value, `must be between ${min} and ${max}${u}`, `pick a value in [${min}, ${max}]`);
  }
}

/** A finite number within [min, max]. */
export function requireNumber(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number, unit = ''): void {
  if (value === undefined || isUnresolved(value)) return;
  const u = unit ? ` ${unit}` : '';
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw propError(scope, ErrorCode.RANGE, prop, value, `must be a number between ${min} and ${max}${u}`, `pick a value in [${min}, ${max}]`);
  }
}

/** One of a fixed set of values. */
export function requireOneOf<T extends string>(scope: IConstruct, prop: string, value: string | undefined, allowed: readonly T[]): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!allowed.includes(value as T)) {
    throw propError(scope, ErrorCode.ENUM, prop, value, `must be one of ${allowed.join(', ')}`, 'use one of the listed values');
  }
}

/** Parses an IPv4 dotted quad into its 32-bit value, or undefined when malformed. */
export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** Parses an IPv6 address into its 128-bit value, or undefined when malformed. */
export function parseIpv6(text: string): bigint | undefined {
  if (typeof text !== 'string' || !/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const parts = halves.map(groups);
  const words: number[][] = [];
  for (const [h, list] of parts.entries()) {
    const out: number[] = [];
    for (const [i, g] of list.entries()) {
      const isLast = h === parts.length - 1 && i === list.length - 1;
      if (isLast && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) {
        out.push(parseInt(g, 16));
      } else {
        return undefined;
      }
    }
    words.push(out);
  }
  const count = words.reduce((n, w) => n + w.length, 0);
  if (halves.length === 2 ? count >= 8 : count !== 8) return undefined;
  const all = halves.length === 2 ? [...words[0], ...new Array<number>(8 - count).fill(0), ...words[1]] : words[0];
  return all.reduce((acc, w) => (acc << 16n) + BigInt(w), 0n);
}

function isIpv6(text: string): boolean {
  return parseIpv6(text) !== undefined;
}

/** True for a valid IPv4 or IPv6 address. */
export function isIpAddress(text: string): boolean {
  return parseIpv4(text) !== undefined || isIpv6(text);
}

/** Which IP version a CIDR is, or undefined when it is malformed (including host bits set). */
export function cidrVersion(text: string): 4 | 6 | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const prefix = Number(m[2]);
  if (m[2].length > 1 && m[2].startsWith('0')) return undefined;
  const v4 = parseIpv4(m[1]);
  if (v4 !== undefined) {
    if (prefix > 32) return undefined;
    const hostBits = prefix === 32 ? 0 : (0xffffffff >>> prefix) >>> 0;
    return (v4 & hostBits) === 0 ? 4 : undefined;
  }
  const v6 = parseIpv6(m[1]);
  if (v6 === undefined || prefix > 128) return undefined;
  const hostBits6 = (1n << BigInt(128 - prefix)) - 1n;
  return (v6 & hostBits6) === 0n ? 6 : undefined;
}

/** The prefix length of a well-formed CIDR (see `cidrVersion`), else undefined. */
export function cidrPrefix(text: string): number | undefined {
  return cidrVersion(text) === undefined ? undefined : Number(text.split('/')[1]);
}

/** True when IPv4 address `ip` lies inside IPv4 CIDR `cidr` (both well formed), else false. */
export function ipv4InCidr(ip: string, cidr: string): boolean {
  const addr = parseIpv4(ip);
  if (addr === undefined || cidrVersion(cidr) !== 4) return false;
  const [base, prefix] = cidr.split('/');
  const first = parseIpv4(base)!;
  return addr >= first && addr < first + 2 ** (32 - Number(prefix));
}

/** A CIDR block such as `10.0.0.0/24` or `2001:db8::/64`, with no host bits set (IPv4). */
export function requireCidr(scope: IConstruct, prop: string, value: string | undefined, version?: 4 | 6): void {
  if (value === undefined || isUnresolved(value)) return;
  const v = typeof value === 'string' ? cidrVersion(value) : undefined;
  const want = version ? `an IPv${version}` : 'an IPv4 or IPv6';
  if (v === undefined || (version !== undefined && v !== version)) {
    throw propError(scope, ErrorCode.FORMAT, prop, value, `must be ${want} CIDR block with no host bits set`, "write it like '10.0.0.0/24'");
  }
}

/** An IPv4 or IPv6 address. */
export function requireIp(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string' || !isIpAddress(value)) {
    throw propError(scope, ErrorCode.FORMAT, prop, value, 'must be an IPv4 or IPv6 address', "write it like '203.0.113.10'");
  }
}

/**
 * The props object a constructor received. From plain JavaScript it can be missing or not an
 * object at all; a constructor whose props are all optional passes `optional` and gets `{}`.
 */
export function requireProps<T extends object>(scope: IConstruct, props: T | undefined, fix: string, optional = false): T {
  if (props === undefined && optional) return {} as T;
  if (props === undefined || props === null) {
    throw propError(scope, ErrorCode.REQUIRED, 'props', props, 'is required', fix);
  }
  if (typeof props !== 'object' || Array.isArray(props)) {
    throw propError(scope, ErrorCode.FORMAT, 'props', props, 'must be an object of properties', fix);
  }
  return props;
}

/** An optional object-valued prop (options, a nested struct): an object when given. */
export function requireObject(scope: IConstruct, prop: string, value: unknown, fix: string): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw propError(scope, ErrorCode.FORMAT, prop, value, 'must be an object', fix);
  }
}

/** A boolean, when given (`'false'` or `0` from plain JavaScript would otherwise be read as truthy or falsy). */
export function requireBoolean(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'boolean') {
    throw propError(scope, ErrorCode.FORMAT, prop, value, 'must be true or false', `pass ${prop}: true, ${prop}: false, or leave it out`);
  }
}

/**
 * An instance of one of Scaleout's choice or value classes (`HealthMonitorType`, `Duration`,
 * `Peer`, ...), when given: a string or plain object from JavaScript is refused.
 */
export function requireInstance(scope: IConstruct, prop: string, value: unknown, type: Function, fix: string): void {
  if (value === undefined) return;
  if (!(value instanceof type)) {
    throw propError(scope, ErrorCode.ENUM, prop, value, `must be ${/^[AEIOU]/.test(type.name) ? 'an' : 'a'} ${type.name}`, fix);
  }
}

/**
 * A construct reference given by interface (`INetwork`, `ISubnet`, `ISecurityGroup`, ...), when
 * given: recognised by one of its internal rendering methods, since interfaces do not exist at
 * run time.
 */
export function requireConstructOf(scope: IConstruct, prop: string, value: unknown, method: string, what: string, fix: string): void {
  if (value === undefined) return;
  // A real construct with the internal method: a plain object copying its shape (a look-alike) is refused.
  if (value === null || typeof value !== 'object' || !Construct.isConstruct(value) || typeof (value as unknown as Record<string, unknown>)[method] !== 'function') {
    const shown = Construct.isConstruct(value) ? value.node.path : value;
    throw propError(scope, ErrorCode.ENUM, prop, shown, `must be ${what}`, fix);
  }
}

/** A list with at least `min` and at most `max` items, when given. */
export function requireList(scope: IConstruct, prop: string, value: unknown, min: number, max: number, fix: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    throw propError(scope, ErrorCode.FORMAT, prop, value, 'must be a list', fix);
  }
  if (value.length < min) {
    throw propError(scope, min === 1 ? ErrorCode.REQUIRED : ErrorCode.RANGE, prop, value, min === 1 ? 'must list at least one item' : `must list at least ${min} items`, fix);
  }
  if (value.length > max) {
    throw propError(scope, ErrorCode.RANGE, prop, value, `must list at most ${max} items`, fix);
  }
}

/** Throws a CONFLICT error unless `ok`. */
export function requireThat(scope: IConstruct, ok: boolean, prop: string, value: unknown, problem: string, fix: string): void {
  if (!ok) throw propError(scope, ErrorCode.CONFLICT, prop, value, problem, fix);
}
