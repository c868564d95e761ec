/**
 * Matchers for the assertions API, in the shape of AWS CDK's `aws-cdk-lib/assertions` `Match`:
 * a pattern is a plain value (compared deeply; objects partially inside `objectLike`) or a
 * `Matcher`. A match result lists every place the actual value differs, each with its path, so a
 * failing assertion says where and how the closest candidate differs.
 */

/** One place where an actual value differs from a pattern. */
export interface MatchFailure {
  /** Keys and indexes from the matched value down to the difference, e.g. `['properties', 'min_size']`. */
  readonly path: readonly string[];
  /** What differs there. */
  readonly message: string;
}

/** The result of testing a value against a pattern: the failures (none means a match). */
export class MatchResult {
  private readonly failureList: MatchFailure[] = [];
  private readonly captured: Array<{ capture: Capture; value: unknown }> = [];

  /** True when the value matched. */
  public get isSuccess(): boolean {
    return this.failureList.length === 0;
  }

  /** Every difference found. */
  public get failures(): readonly MatchFailure[] {
    return this.failureList;
  }

  /** Records one difference at `path` (relative to the value tested). */
  public fail(message: string, path: readonly string[] = []): this {
    this.failureList.push({ path, message });
    return this;
  }

  /** Adds the failures and captures of a match of a child value found under `key`. */
  public compose(key: string, inner: MatchResult): this {
    for (const f of inner.failureList) this.failureList.push({ path: [key, ...f.path], message: f.message });
    this.captured.push(...inner.captured);
    return this;
  }

  /** Remembers a value for a `Capture`; it is handed over only when the whole match succeeds. */
  public recordCapture(capture: Capture, value: unknown): void {
    this.captured.push({ capture, value });
  }

  /** Hands the captured values to their `Capture`s (called once the whole match succeeded). */
  public finishCaptures(): void {
    if (!this.isSuccess) return;
    for (const { capture, value } of this.captured) capture._record(value);
  }

  /** The failures as lines `at /a/b: message`. */
  public toHumanStrings(): string[] {
    return this.failureList.map((f) => `at /${f.path.join('/')}: ${f.message}`);
  }
}

/** A pattern that tests a value. Subclass it for a matcher of your own. */
export abstract class Matcher {
  /** True when `x` is a matcher (not a literal pattern). */
  public static isMatcher(x: unknown): x is Matcher {
    return x instanceof Matcher;
  }

  /** A short name for messages. */
  public abstract readonly name: string;

  /** Tests `actual`; the result lists every difference. */
  public abstract test(actual: unknown): MatchResult;
}

/** True when `x` is a matcher (not a literal pattern). */
export function isMatcher(x: unknown): x is Matcher {
  return Matcher.isMatcher(x);
}

/** Renders a value for a failure message, short. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function typeOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  return typeof x;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Turns a pattern (literal or matcher) into a matcher; literal objects are partial when `partialObjects`. */
function toMatcher(pattern: unknown, partialObjects: boolean): Matcher {
  if (Matcher.isMatcher(pattern)) return pattern;
  return new LiteralMatch(pattern, partialObjects);
}

class LiteralMatch extends Matcher {
  public readonly name = 'exact';
  constructor(
    private readonly pattern: unknown,
    private readonly partialObjects: boolean,
  ) {
    super();
  }

  public test(actual: unknown): MatchResult {
    const result = new MatchResult();
    const p = this.pattern;
    if (Array.isArray(p)) return new ArrayMatch(p, false, this.partialObjects).test(actual);
    if (isPlainObject(p)) return new ObjectMatch(p, this.partialObjects, this.partialObjects).test(actual);
    if (typeOf(actual) !== typeOf(p)) return result.fail(`expected ${typeOf(p)} ${renderValue(p)} but got ${typeOf(actual)} ${renderValue(actual)}`);
    if (actual !== p) result.fail(`expected ${renderValue(p)} but got ${renderValue(actual)}`);
    return result;
  }
}

class ObjectMatch extends Matcher {
  constructor(
    private readonly pattern: Record<string, unknown>,
    private readonly partial: boolean,
    private readonly partialNested: boolean,
  ) {
    super();
  }

  public get name(): string {
    return this.partial ? 'objectLike' : 'objectEquals';
  }

  public test(actual: unknown): MatchResult {
    const result = new MatchResult();
    if (!isPlainObject(actual)) return result.fail(`expected an object but got ${typeOf(actual)} ${renderValue(actual)}`);
    if (!this.partial) {
      for (const key of Object.keys(actual)) {
        if (!(key in this.pattern)) result.fail(`unexpected key '${key}' (${renderValue(actual[key])})`, [key]);
      }
    }
    for (const [key, pattern] of Object.entries(this.pattern)) {
      const matcher = toMatcher(pattern, this.partialNested);
      if (!(key in actual) && !(matcher instanceof AbsentMatch)) {
        result.fail(`missing key '${key}'`, [key]);
        continue;
      }
      result.compose(key, matcher.test(actual[key]));
    }
    return result;
  }
}

class ArrayMatch extends Matcher {
  constructor(
    private readonly pattern: readonly unknown[],
    private readonly subsequence: boolean,
    private readonly partialObjects: boolean,
  ) {
    super();
  }

  public get name(): string {
    return this.subsequence ? 'arrayWith' : 'exact array';
  }

  public test(actual: unknown): MatchResult {
    const result = new MatchResult();
    if (!Array.isArray(actual)) return result.fail(`expected an array but got ${typeOf(actual)} ${renderValue(actual)}`);
    const matchers = this.pattern.map((p) => toMatcher(p, this.partialObjects));
    if (!this.subsequence) {
      if (actual.length !== matchers.length) result.fail(`expected an array of ${matchers.length} elements but got ${actual.length}: ${renderValue(actual)}`);
      matchers.forEach((m, i) => {
        if (i < actual.length) result.compose(String(i), m.test(actual[i]));
      });
      return result;
    }
    // arrayWith: the patterns must match elements in this order, others may lie between them.
    let next = 0;
    for (const [k, m] of matchers.entries()) {
      let found = false;
      while (next < actual.length) {
        const r = m.test(actual[next++]);
        if (r.isSuccess) {
          result.compose(String(next - 1), r);
          found = true;
          break;
        }
      }
      if (!found) {
        result.fail(`no element matches pattern ${k} (${renderValue(this.pattern[k])}) in order in ${renderValue(actual)}`);
        break;
      }
    }
    return result;
  }
}

class AbsentMatch extends Matcher {
  public readonly name = 'absent';
  public test(actual: unknown): MatchResult {
    const result = new MatchResult();
    if (actual !== undefined) result.fail(`expected nothing but got ${renderValue(actual)}`);
    return result;
  }
}

class AnyValueMatch extends Matcher {
  public readonly name = 'anyValue';
  public test(actual: unknown): MatchResult {
    const result = new MatchResult();
    if (actual === undefined || actual === null) result.fail(`expected any value but got ${renderValue(actual)}`);
    return result;
  }
}

class RegexpMatch extends Matcher {
  public readonly name = 'stringLikeRegexp';
  private readonly regexp: RegExp;
  constructor(pattern: string | RegExp) {
    super();
    this.regexp = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
  }

  public test(actual: unknown): MatchResult {
    const result = new MatchResult();
    if (typeof actual !== 'string') return result.fail(`expected a string matching ${this.regexp} but got ${typeOf(actual)} ${renderValue(actual)}`);
    if (!this.regexp.test(actual)) result.fail(`expected a string matching ${this.regexp} but got ${renderValue(actual)}`);
    return result;
  }
}

class NotMatch extends Matcher {
  public readonly name = 'not';
  constructor(private readonly pattern: unknown) {
    super();
  }

  public test(actual: unknown): MatchResult {
    const result = new MatchResult();
    if (toMatcher(this.pattern, true).test(actual).isSuccess) result.fail(`expected a value not matching ${renderValue(this.pattern)} but got ${renderValue(actual)}`);
    return result;
  }
}

/** Factories for matchers. */
export class Match {
  /** The value is deeply equal to `pattern` (nested objects too: no extra keys anywhere). */
  public static exact(pattern: unknown): Matcher {
    return new LiteralMatch(pattern, false);
  }

  /** An object holding at least the keys of `pattern`; nested literal objects are partial too. */
  public static objectLike(pattern: Record<string, unknown>): Matcher {
    return new ObjectMatch(pattern, true, true);
  }

  /** An object with exactly the keys of `pattern` (nested literal objects exact too). */
  public static objectEquals(pattern: Record<string, unknown>): Matcher {
    return new ObjectMatch(pattern, false, false);
  }

  /** An array holding elements matching `pattern`'s, in that order, possibly with others between. */
  public static arrayWith(pattern: readonly unknown[]): Matcher {
    return new ArrayMatch(pattern, true, true);
  }

  /** The key is missing (or undefined). Use as a value inside an object pattern. */
  public static absent(): Matcher {
    return new AbsentMatch();
  }

  /** Any value but undefined or null. */
  public static anyValue(): Matcher {
    return new AnyValueMatch();
  }

  /** A string matching the regular expression. */
  public static stringLikeRegexp(pattern: string | RegExp): Matcher {
    return new RegexpMatch(pattern);
  }

  /** Any value that does not match `pattern`. */
  public static not(pattern: unknown): Matcher {
    return new NotMatch(pattern);
  }

  private constructor() {}
}

/**
 * Captures the values it matches, for assertions that need the value itself (a threshold, a
 * generated name). Optionally it only matches values that also match `pattern`. The values are
 * recorded only when the whole assertion succeeds, in the order they were met.
 */
export class Capture extends Matcher {
  public readonly name = 'Capture';
  private readonly values: unknown[] = [];
  private index = 0;

  constructor(private readonly pattern?: unknown) {
    super();
  }

  public test(actual: unknown): MatchResult {
    const result = this.pattern === undefined ? new AnyValueMatch().test(actual) : toMatcher(this.pattern, true).test(actual);
    if (result.isSuccess) result.recordCapture(this, actual);
    return result;
  }

  /** @internal records a value of a successful match. */
  public _record(value: unknown): void {
    this.values.push(value);
  }

  /** True while another captured value follows the current one; moves to it. */
  public next(): boolean {
    if (this.index + 1 >= this.values.length) return false;
    this.index += 1;
    return true;
  }

  /** Every captured value, in order. */
  public get all(): readonly unknown[] {
    return this.values;
  }

  /** The current captured value, whatever its type. */
  public asValue(): unknown {
    if (this.values.length === 0) throw new Error('Capture: no value was captured (did the assertion run and succeed?)');
    return this.values[this.index];
  }

  /** The current captured value as a string (fails if it is not one). */
  public asString(): string {
    return this.typed('string') as string;
  }

  /** The current captured value as a number (fails if it is not one). */
  public asNumber(): number {
    return this.typed('number') as number;
  }

  /** The current captured value as an array (fails if it is not one). */
  public asArray(): unknown[] {
    return this.typed('array') as unknown[];
  }

  /** The current captured value as an object (fails if it is not one). */
  public asObject(): Record<string, unknown> {
    return this.typed('object') as Record<string, unknown>;
  }

  private typed(type: string): unknown {
    const v = this.asValue();
    if (typeOf(v) !== type) throw new Error(`Capture: the captured value is ${typeOf(v)} ${renderValue(v)}, not ${type}`);
    return v;
  }
}

/** Tests `actual` against a pattern (a literal object is partial, as in `objectLike`) and hands captures over on success. */
export function matchPattern(pattern: unknown, actual: unknown, partialObjects = true): MatchResult {
  const result = toMatcher(pattern, partialObjects).test(actual);
  result.finishCaptures();
  return result;
}

/** Tests without handing captures over (for ranking candidates). */
export function tryPattern(pattern: unknown, actual: unknown, partialObjects = true): MatchResult {
  return toMatcher(pattern, partialObjects).test(actual);
}
