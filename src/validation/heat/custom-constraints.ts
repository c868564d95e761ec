import { isIPv4, isIPv6 } from 'net';

/**
 * Heat's custom constraints that are checked locally (`needs_service: false`) and have a clear,
 * time-independent definition, re-implemented after Heat 19.0.0's (Zed, 2022.2)
 * `heat/engine/constraint/common_constraints.py` (which calls netaddr, neutron-lib, iso8601 and
 * croniter). Left out on purpose: `timezone` (depends on the tz database Heat's pytz bundles) and
 * `expiration` (valid only while in the future). Constraints that call a service (`nova.flavor`,
 * `neutron.network`, ...) can only be checked against a cloud.
 */
export interface LocalCustomConstraint {
  /** What a valid value looks like, for messages. */
  readonly description: string;
  /** True when Heat would accept the string. */
  check(value: string): boolean;
}

/** `ip_addr`: neutron-lib's `validate_ip_address` (IPv4 written canonically, or IPv6). */
function isIpAddress(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

/**
 * `net_cidr`: neutron-lib's `validate_subnet`. An address, `/` and a prefix length; IPv4 must be
 * written canonically (host bits may be set, as Heat allows).
 */
function isNetCidr(value: string): boolean {
  const parts = value.split('/');
  if (parts.length !== 2 || !/^\d+$/.test(parts[1])) return false;
  const [address, prefix] = parts;
  if (isIPv4(address)) return String(Number(prefix)) === prefix && Number(prefix) <= 32;
  if (isIPv6(address)) return Number(prefix) <= 128;
  return false;
}

/** `ip_or_cidr`: a CIDR when it contains `/`, else an IP address. */
function isIpOrCidr(value: string): boolean {
  return value.includes('/') ? isNetCidr(value) : isIpAddress(value);
}

/** `mac_addr`: the EUI-48 spellings `netaddr.valid_mac` accepts. */
const MAC_FORMATS = [
  /^[0-9a-f]{1,2}(?::[0-9a-f]{1,2}){5}$/i,
  /^[0-9a-f]{1,2}(?:-[0-9a-f]{1,2}){5}$/i,
  /^[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){2}$/i,
  /^[0-9a-f]{1,4}(?:-[0-9a-f]{1,4}){2}$/i,
  /^[0-9a-f]{1,4}(?:\.[0-9a-f]{1,4}){2}$/i,
  /^[0-9a-f]{5,6}[-:][0-9a-f]{5,6}$/i,
  /^[0-9a-f]{11,12}$/i,
];

function isMacAddress(value: string): boolean {
  return MAC_FORMATS.some((re) => re.test(value));
}

/** `iso_8601`: what oslo's `parse_isotime` (the iso8601 library) parses, with a real calendar date. */
const ISO_8601 =
  /^(\d{4})(?:(?:-(\d{1,2})|(\d{2})(?!$))(?:(?:-(\d{1,2})|(\d{2}))(?:[ T](\d{2})(?::?(\d{2}))?(?::?(\d{1,2})(?:[.,]\d+)?)?(?:Z|[-+]\d{2}:?(?:\d{2})?)?)?)?)?$/;

function isIso8601(value: string): boolean {
  const m = ISO_8601.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2] ?? m[3] ?? 1);
  const day = Number(m[4] ?? m[5] ?? 1);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return Number(m[6] ?? 0) <= 23 && Number(m[7] ?? 0) <= 59 && Number(m[8] ?? 0) <= 59;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const CRON_SHORTCUTS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

interface CronField {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly namesStart?: number;
  /** Day of month also takes `L`; day of week also takes `<day>#<n>`. */
  readonly dayField?: 'month' | 'week';
}

/** Minute, hour, day of month, month, day of week, and optionally seconds. */
const CRON_FIELDS: readonly CronField[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31, dayField: 'month' },
  { min: 1, max: 12, names: MONTHS, namesStart: 1 },
  { min: 0, max: 7, names: DAYS, namesStart: 0, dayField: 'week' },
  { min: 0, max: 59 },
];

function cronValue(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const i = field.names?.indexOf(text.toLowerCase()) ?? -1;
  return i >= 0 ? i + (field.namesStart ?? 0) : undefined;
}

function isCronItem(item: string, field: CronField): boolean {
  const [range, step, ...rest] = item.split('/');
  if (rest.length > 0 || (step !== undefined && !/^0*[1-9]\d*$/.test(step))) return false;
  if (range === '*') return true;
  if (field.dayField === 'month' && /^l$/i.test(range)) return step === undefined;
  if (field.dayField === 'week' && range.includes('#')) {
    const [day, nth] = range.split('#');
    return step === undefined && /^[1-5]$/.test(nth) && cronValue(day, field) !== undefined;
  }
  const bounds = range.split('-');
  if (bounds.length > 2) return false;
  return bounds.every((b) => cronValue(b, field) !== undefined);
}

/**
 * `cron_expression`: what the croniter of Heat 19.0.0's distribution (Debian 12) accepts: 5 fields (or 6, the
 * sixth being seconds) of `*`, numbers, names, ranges, lists and steps, plus `L` for the last day
 * of the month, `<day>#<n>` for the n-th weekday, and the `@daily`-style shortcuts. Heat accepts an
 * empty value.
 */
function isCronExpression(value: string): boolean {
  const text = value.trim();
  if (value === '') return true;
  if (CRON_SHORTCUTS.includes(text.toLowerCase())) return true;
  const fields = text.split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return false;
  return fields.every((f, i) => f.split(',').every((item) => item !== '' && isCronItem(item, CRON_FIELDS[i])));
}

const DNS_LABEL = /^[a-z0-9-]{1,63}$/;

/** `dns_name`: Heat's `validate_dns_format` (lower-case labels, FQDN of at most 255 characters). */
function isDnsName(value: string): boolean {
  if (value === '') return true;
  const trimmed = value.endsWith('.') ? value.slice(0, -1) : value;
  if (trimmed.length > 255) return false;
  const labels = trimmed.split('.');
  if (!labels.every((l) => l !== '' && !l.startsWith('-') && !l.endsWith('-') && DNS_LABEL.test(l))) return false;
  return !(value.endsWith('.') && labels.length > 1 && /^\d+$/.test(labels[labels.length - 1]));
}

/** The local custom constraints, by Heat's name. */
export const LOCAL_CUSTOM_CONSTRAINTS: Readonly<Record<string, LocalCustomConstraint>> = {
  ip_addr: { description: 'an IPv4 or IPv6 address', check: isIpAddress },
  net_cidr: { description: 'a network CIDR such as 10.0.0.0/24', check: isNetCidr },
  ip_or_cidr: { description: 'an IP address or a CIDR', check: isIpOrCidr },
  mac_addr: { description: 'a MAC address such as fa:16:3e:00:00:01', check: isMacAddress },
  iso_8601: { description: 'an ISO 8601 date or time such as 2024-01-31T12:00:00Z', check: isIso8601 },
  cron_expression: { description: "a cron expression such as '0 8 * * mon-fri'", check: isCronExpression },
  dns_name: { description: 'a DNS name of lower-case labels', check: isDnsName },
  dns_domain: {
    description: "a DNS domain ending with '.'",
    check: (v) => v === '' || (v.endsWith('.') && isDnsName(v)),
  },
  rel_dns_name: {
    description: "a relative DNS name (not ending with '.')",
    check: (v) => v === '' || (!v.endsWith('.') && v.length <= 252 && isDnsName(v)),
  },
};

/** The names of the custom constraints this validator checks offline, sorted. */
export function localCustomConstraintNames(): string[] {
  return Object.keys(LOCAL_CUSTOM_CONSTRAINTS).sort();
}
