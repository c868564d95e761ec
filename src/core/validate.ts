import { IConstruct } from 'constructs';
import { ErrorCode, propError } from './errors';

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
  options: { maxLength?: number; pattern?: RegExp; patternText?: string } = {},
): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw propError(scope, ErrorCode.EMPTY, prop, value, 'must be a non-empty string', `give a name of 1 to ${options.maxLength ?? 255} characters`);
  }
  const max = options.maxLength ?? 255;
  if (value.length > max) {
    throw propError(scope, ErrorCode.RANGE, prop, value, `must be at most ${max} characters long (it has ${value.length})`, 'shorten it');
  }
  if (options.pattern && !options.pattern.test(value)) {
    throw propError(scope, ErrorCode.FORMAT, prop, value, `must match ${options.patternText ?? options.pattern.toString()}`, 'rename it');
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

function isIpv6(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(':')) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const all = halves.flatMap(groups);
  const last = all[all.length - 1];
  let count = all.length;
  if (last && last.includes('.')) {
    if (parseIpv4(last) === undefined) return false;
    count += 1;
    all.pop();
  }
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count < 8 : count === 8;
}

/** True for a valid IPv4 or IPv6 address. */
export function isIpAddress(text: string): boolean {
  return parseIpv4(text) !== undefined || isIpv6(text);
}

/** Which IP version a CIDR is, or undefined when it is malformed (including host bits set for IPv4). */
export function cidrVersion(text: string): 4 | 6 | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const prefix = Number(m[2]);
  const v4 = parseIpv4(m[1]);
  if (v4 !== undefined) {
    if (prefix > 32) return undefined;
    const hostBits = prefix === 32 ? 0 : (0xffffffff >>> prefix) >>> 0;
    return (v4 & hostBits) === 0 ? 4 : undefined;
  }
  return isIpv6(m[1]) && prefix <= 128 ? 6 : undefined;
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

/** Throws a CONFLICT error unless `ok`. */
export function requireThat(scope: IConstruct, ok: boolean, prop: string, value: unknown, problem: string, fix: string): void {
  if (!ok) throw propError(scope, ErrorCode.CONFLICT, prop, value, problem, fix);
}
