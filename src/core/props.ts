import { Construct, IConstruct } from 'constructs';
import { Duration } from './duration';
import { ErrorCode, propError } from './errors';
import {
  isUnresolved,
  requireBoolean,
  requireCidr,
  requireInstance,
  requireInt,
  requireIp,
  requireLiteralText,
  requireName,
  requireNumber,
  requireOneOf,
} from './validate';
import { Value } from './value';

/**
 * The validation layer every public constructor and method goes through.
 *
 * A construct declares its props once, as a `PropSpec<Props>`: one check per prop. TypeScript
 * makes the spec list exactly the interface's keys (a prop added to the interface and not to the
 * spec fails to compile), so the next construct is hardened by default. `checkProps` then:
 *
 * 1. refuses a missing props object, `null`, a string, a number or a list;
 * 2. copies only the object's OWN enumerable properties into a null-prototype object, so a
 *    polluted `Object.prototype` (`Object.prototype.maxSize = 1000`) changes nothing;
 * 3. refuses unknown keys, suggesting the nearest known one (`'cooldwon' is not a property ...;
 *    did you mean 'cooldown'?`) — TypeScript protects typed callers, JavaScript and YAML-driven
 *    callers are protected here;
 * 4. runs each prop's check: runtime types (a number where a `Duration` is expected, a string or
 *    a duck-typed look-alike where an `Image` or a construct is expected), ranges, formats.
 *
 * The constructor then reads the returned copy, never the caller's object. Cross-prop rules
 * (min <= max, one of two props) stay in the constructor, after this.
 */

/** Checks one prop value (never `undefined`: absent props are handled by `required`). Returns the value to keep. */
export type Check = (scope: IConstruct, prop: string, value: unknown) => unknown;

/** One check per prop of `T`: exactly the keys of `T`, optional ones included. */
export type PropSpec<T> = { readonly [K in keyof Required<T>]-?: Check };

/** Marks a check as required: `undefined`/absent is refused with `fix`. */
export interface RequiredCheck extends Check {
  readonly required: string;
}

/** A required prop: refused when absent (or `null`), else checked by `check`. */
export function required(check: Check, fix: string): RequiredCheck {
  const fn = ((scope: IConstruct, prop: string, value: unknown) => check(scope, prop, value)) as Check & { required: string };
  fn.required = fix;
  return fn;
}

/** Options of `checkProps`. */
export interface CheckPropsOptions {
  /** How to build a valid props object, for the error when there is none. */
  readonly fix: string;
  /** True when every prop is optional: a missing props object is then `{}`. */
  readonly optional?: boolean;
  /** The name the props object has in messages. @default 'props' */
  readonly name?: string;
}

/**
 * Validates a props object against its spec and returns a null-prototype copy holding only the
 * known own properties (each as its check returned it). Throws a `ScaleoutError` otherwise.
 */
export function checkProps<T extends object>(scope: IConstruct, props: T | undefined, spec: PropSpec<T>, options: CheckPropsOptions): T {
  const name = options.name ?? 'props';
  if (props === undefined && options.optional) return checkStruct(scope, '', {}, spec as Record<string, Check>) as T;
  if (props === undefined || props === null) {
    throw propError(scope, ErrorCode.REQUIRED, name, props, 'is required', options.fix);
  }
  if (typeof props !== 'object' || Array.isArray(props)) {
    throw propError(scope, ErrorCode.FORMAT, name, props, 'must be an object of properties', options.fix);
  }
  return checkStruct(scope, name === 'props' ? '' : name, props, spec as Record<string, Check>) as T;
}

/** Checks an object against a spec; `prefix` ('' for top-level props) leads nested prop names. */
function checkStruct(scope: IConstruct, prefix: string, value: object, spec: Record<string, Check>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  const known = Object.keys(spec);
  const at = (key: string): string => (prefix ? `${prefix}.${key}` : key);
  for (const key of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(spec, key)) {
      const near = nearest(key, known);
      const hint = near ? `did you mean '${near}'?` : `known properties are ${known.map((k) => `'${k}'`).join(', ') || 'none'}`;
      throw propError(scope, ErrorCode.UNKNOWN_PROP, at(key), (value as Record<string, unknown>)[key], 'is not a property this accepts', hint);
    }
  }
  for (const key of known) {
    const own = Object.prototype.hasOwnProperty.call(value, key);
    const v = own ? (value as Record<string, unknown>)[key] : undefined;
    const check = spec[key] as Check & { required?: string };
    if (v === undefined) {
      if (check.required !== undefined) throw propError(scope, ErrorCode.REQUIRED, at(key), undefined, 'is required', check.required);
      continue;
    }
    out[key] = check(scope, at(key), v);
  }
  return out;
}

/** The known key closest to `key` (edit distance, case, plural), when close enough to be a typo. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const a = key.toLowerCase();
    const b = k.toLowerCase();
    // A known key that starts with the given one (or the reverse) is a truncation: 'maxBatch' -> 'maxBatchSize'.
    const d = a === b ? 0 : Math.min(a.length, b.length) >= 4 && (a.startsWith(b) || b.startsWith(a)) ? 1 : editDistance(a, b);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Levenshtein distance with adjacent transpositions (a swapped pair counts one edit). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

// ---------------------------------------------------------------------------------------------
// Checks, built on the helpers of validate.ts

/** Accepts the value as is: the constructor checks it itself (used sparingly, with a reason). */
export const checkedByConstructor: Check = (_s, _p, v) => v;

/** A string written literally (no `${`/`%{`). */
export const text: Check = (scope, prop, v) => {
  requireLiteralText(scope, prop, v as string);
  return v;
};

/** A name: non-empty, at most `maxLength`, optionally matched to a pattern. */
export function name(options: Parameters<typeof requireName>[3] = {}): Check {
  return (scope, prop, v) => {
    requireName(scope, prop, v as string, options);
    return v;
  };
}

/** An integer in [min, max]. */
export function int(min: number, max: number, unit = ''): Check {
  return (scope, prop, v) => {
    requireInt(scope, prop, v as number, min, max, unit);
    return v;
  };
}

/** A finite number in [min, max]. */
export function num(min: number, max: number, unit = ''): Check {
  return (scope, prop, v) => {
    requireNumber(scope, prop, v as number, min, max, unit);
    return v;
  };
}

/** True or false. */
export const bool: Check = (scope, prop, v) => {
  requireBoolean(scope, prop, v);
  return v;
};

/** One of fixed strings. */
export function oneOf(allowed: readonly string[]): Check {
  return (scope, prop, v) => {
    if (typeof v !== 'string') throw propError(scope, ErrorCode.ENUM, prop, v, `must be one of ${allowed.join(', ')}`, 'use one of the listed values');
    requireOneOf(scope, prop, v, allowed);
    return v;
  };
}

/** A CIDR block. */
export function cidr(version?: 4 | 6): Check {
  return (scope, prop, v) => {
    requireCidr(scope, prop, v as string, version);
    return v;
  };
}

/** An IP address. */
export const ip: Check = (scope, prop, v) => {
  requireIp(scope, prop, v as string);
  return v;
};

/** An instance of a Scaleout class (`Image`, `Duration`, `UserData`, ...): not a string, plain object or look-alike. */
export function instanceOf(type: Function, fix: string, then?: (scope: IConstruct, prop: string, value: any) => unknown): Check {
  return (scope, prop, v) => {
    requireInstance(scope, prop, v, type, fix);
    const kept = then?.(scope, prop, v);
    return kept === undefined ? v : kept;
  };
}

/** A `Duration` of a whole number of seconds in [min, max]. */
export function duration(minSeconds: number, maxSeconds: number): Check {
  return instanceOf(Duration, 'use Duration.seconds(n), Duration.minutes(n) or Duration.hours(n)', (scope, prop, d: Duration) => {
    d.validate(scope, prop, minSeconds, maxSeconds);
  });
}

/** A `Value` (known at deploy time): `Value.literal(...)` or a construct's attribute. */
export const value: Check = instanceOf(Value, "use Value.literal('text') or an attribute of a construct (e.g. database.host)", (scope, prop, v: Value) => {
  v.validate(scope, prop);
});

/**
 * A construct given by interface (`INetwork`, `ISecurityGroup`, `IPool`, a group...): a real
 * construct (not a plain object that copies its shape) that has the internal `method`.
 */
export function constructOf(method: string, what: string, fix: string): Check {
  return (scope, prop, v) => {
    if (!Construct.isConstruct(v) || typeof (v as unknown as Record<string, unknown>)[method] !== 'function') {
      const shown = Construct.isConstruct(v) ? v.node.path : v;
      throw propError(scope, ErrorCode.ENUM, prop, shown, `must be ${what}`, fix);
    }
    return v;
  };
}

/** A list of `min` to `max` items, each checked by `item` (named `prop[i]`); returns a copy. */
export function listOf(item: Check, min: number, max: number, fix: string): Check {
  return (scope, prop, v) => {
    if (!Array.isArray(v)) throw propError(scope, ErrorCode.FORMAT, prop, shownOf(v), 'must be a list', fix);
    if (v.length < min) {
      throw propError(scope, min === 1 ? ErrorCode.REQUIRED : ErrorCode.RANGE, prop, v, min === 1 ? 'must list at least one item' : `must list at least ${min} items`, fix);
    }
    if (v.length > max) throw propError(scope, ErrorCode.RANGE, prop, `${v.length} items`, `must list at most ${max} items`, fix);
    return Array.from({ length: v.length }, (_, i) => {
      const x = v[i];
      if (x === undefined || x === null) throw propError(scope, ErrorCode.REQUIRED, `${prop}[${i}]`, x, 'must not be empty', fix);
      return item(scope, `${prop}[${i}]`, x);
    });
  };
}

/** A string-to-string map (own keys only, copied), each key and value checked. */
export function mapOf(key: Check, item: Check, fix: string): Check {
  return (scope, prop, v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw propError(scope, ErrorCode.FORMAT, prop, v, 'must be an object of keys and values', fix);
    const out: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(v)) {
      key(scope, `${prop}.${k}`, k);
      out[k] = item(scope, `${prop}.${k}`, (v as Record<string, unknown>)[k]);
    }
    return out;
  };
}

/** A nested options object, checked like props (own keys only, unknown keys refused); returns a copy. */
export function struct<T>(spec: PropSpec<T>, fix: string): Check {
  return (scope, prop, v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw propError(scope, ErrorCode.FORMAT, prop, v, 'must be an object', fix);
    return checkStruct(scope, prop, v, spec as Record<string, Check>);
  };
}

/**
 * An options object a method spreads into a constructor's props (`addListener(id, options)`):
 * a plain object, not a string (whose characters would spread as keys), a list or a number. The
 * constructor then checks its keys.
 */
export const optionsObject: Check = (scope, prop, v) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw propError(scope, ErrorCode.FORMAT, prop, shownOf(v), 'must be an object', 'pass an object of options');
  return v;
};

/** Each of several checks in turn (the value the last returns is kept). */
export function all(...checks: Check[]): Check {
  return (scope, prop, v) => checks.reduce((acc, c) => c(scope, prop, acc), v);
}

/**
 * A method argument (not a props object): refuses `undefined`/`null` with `fix`, then checks it.
 * Use at the top of public methods: `arg(this, 'port', port, int(1, 65535), 'give a port')`.
 */
export function arg<V>(scope: IConstruct, prop: string, v: V, check: Check, fix: string): V {
  if (v === undefined || v === null) throw propError(scope, ErrorCode.REQUIRED, prop, v, 'is required', fix);
  return check(scope, prop, v) as V;
}

/** An optional method argument: `undefined` passes, anything else is checked. */
export function optionalArg<V>(scope: IConstruct, prop: string, v: V, check: Check): V {
  return v === undefined ? v : (check(scope, prop, v) as V);
}

function shownOf(v: unknown): unknown {
  return Construct.isConstruct(v) ? v.node.path : v;
}

/** True when a value is a deploy-time token rather than a literal (re-exported for checks). */
export { isUnresolved };
