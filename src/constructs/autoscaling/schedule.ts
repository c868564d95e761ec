import { IConstruct } from 'constructs';
import { ErrorCode, propError } from '../../core/errors';

/** The fields of a cron expression, as `Schedule.cron` takes them (numbers or cron text). */
export interface CronOptions {
  /** Minute of the hour, 0-59 (e.g. `0`, `'30'`, `'0,30'`, `'0-59/15' (every 15 minutes)`). */
  readonly minute: number | string;
  /** Hour of the day, 0-23, in the schedule's time zone (e.g. `20`, `'8-18'`). */
  readonly hour: number | string;
  /**
   * Day of the month, 1-31.
   * @default '*' - every day
   */
  readonly day?: number | string;
  /**
   * Month, 1-12 or JAN-DEC.
   * @default '*' - every month
   */
  readonly month?: number | string;
  /**
   * Day of the week, 0-7 (0 and 7 are Sunday) or SUN-SAT (e.g. `'MON-FRI'`).
   * @default '*' - every day of the week
   */
  readonly weekDay?: number | string;
}

/** One field of a cron expression: its name, range and names. */
interface CronField {
  readonly name: keyof CronOptions;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

/** croniter's ranges (croniter `croniter.RANGES`), which Aodh and Heat validate with. */
const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'weekDay', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const MINUTES_PER_WEEK = 7 * 24 * 60;

/**
 * When a scheduled action starts: a five-field cron expression (minute, hour, day of month, month,
 * day of week) read in the action's time zone, as Aodh reads an alarm's `time_constraints` start
 * (aodh `evaluator/__init__.py` `Evaluator.within_time_constraint`, croniter in the zone given).
 */
export class Schedule {
  /** A schedule from its fields, e.g. `Schedule.cron({ minute: 0, hour: 20 })` (every day at 20:00). */
  public static cron(options: CronOptions): Schedule {
    const o = (options ?? {}) as Partial<CronOptions>;
    return new Schedule([o.minute, o.hour, o.day ?? '*', o.month ?? '*', o.weekDay ?? '*'].map((f) => (f === undefined ? '' : String(f))));
  }

  /** A schedule from a cron expression of five fields, e.g. `'0 20 * * MON-FRI'`. */
  public static expression(cron: string): Schedule {
    return new Schedule(typeof cron === 'string' ? cron.trim().split(/\s+/) : [String(cron)]);
  }

  private constructor(private readonly fields: readonly string[]) {}

  /** The cron expression. */
  public get expressionString(): string {
    return this.fields.join(' ');
  }

  public toString(): string {
    return this.expressionString;
  }

  /** Throws, naming `scope` and `prop`, unless every field is valid cron in croniter's ranges. */
  public validate(scope: IConstruct, prop: string): void {
    if (this.fields.length !== 5) {
      throw propError(scope, ErrorCode.FORMAT, prop, this.expressionString, 'must be a cron expression of five fields (minute hour day month weekDay)', "use Schedule.cron({ minute: 0, hour: 20 }) or Schedule.expression('0 20 * * *')");
    }
    FIELDS.forEach((f, i) => expandField(scope, prop, f, this.fields[i]));
  }

  /**
   * The starts of the schedule in one week, as minutes after Sunday 00:00, when it is a weekly
   * pattern: one minute and one hour, every day of the month and every month. Throws otherwise
   * (naming `prop` and `why`).
   */
  public _weeklyStarts(scope: IConstruct, prop: string, why: string): number[] {
    this.validate(scope, prop);
    const [minute, hour, day, month, weekDay] = FIELDS.map((f, i) => expandField(scope, prop, f, this.fields[i]));
    if (minute.length !== 1 || hour.length !== 1 || day.length !== 31 || month.length !== 12) {
      throw propError(
        scope,
        ErrorCode.UNSUPPORTED,
        prop,
        this.expressionString,
        `must start once a day at one minute and one hour, on every day of the month and every month, ${why}`,
        "use a weekly pattern such as Schedule.cron({ minute: 0, hour: 20, weekDay: 'MON-FRI' })",
      );
    }
    const days = [...new Set(weekDay.map((d) => d % 7))].sort((a, b) => a - b);
    return days.map((d) => d * 1440 + hour[0] * 60 + minute[0]);
  }
}

/** The values one cron field selects (sorted, unique); throws naming the field on bad syntax or range. */
function expandField(scope: IConstruct, prop: string, field: CronField, text: string | undefined): number[] {
  const bad = (problem: string): never => {
    throw propError(scope, ErrorCode.FORMAT, `${prop}.${field.name}`, text, problem, `use a number ${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}, '*', a list 'a,b', a range 'a-b' or a step '*/n'`);
  };
  if (typeof text !== 'string' || text === '') return bad('is required');
  const value = (v: string): number => {
    const upper = v.toUpperCase();
    const named = field.names?.indexOf(upper) ?? -1;
    if (named >= 0) return named + (field.name === 'month' ? 1 : 0);
    if (!/^\d{1,2}$/.test(v)) return bad(`has '${v}', which is not a number${field.names ? ' or a name' : ''}`);
    const n = Number(v);
    if (n < field.min || n > field.max) return bad(`has ${n}, outside ${field.min}-${field.max}`);
    return n;
  };
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(item);
    if (!m) return bad(`has '${item}', which is not a value, range or step`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return bad('has a step of 0');
    let lo: number;
    let hi: number;
    if (m[1] === '*') {
      [lo, hi] = [field.min, field.max];
    } else if (m[1].includes('-')) {
      const [a, b, ...rest] = m[1].split('-');
      if (rest.length > 0) return bad(`has '${item}', which is not a range`);
      [lo, hi] = [value(a), value(b)];
      if (lo > hi) return bad(`has the range '${m[1]}', whose start is after its end`);
    } else {
      lo = value(m[1]);
      hi = m[2] === undefined ? lo : field.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Time zones Aodh accepts are pytz's (aodh `api/controllers/v2/alarms.py`
 * `AlarmTimeConstraint.validate`; Heat's `timezone` constraint, heat
 * `engine/constraint/common_constraints.py` `TimezoneConstraint`): IANA names such as
 * `Europe/Berlin`, and `UTC`. Node's Intl knows the same database; offsets such as `+01:00`,
 * which Intl may accept and pytz does not, are refused by the name pattern.
 */
export function validateTimeZone(scope: IConstruct, prop: string, timeZone: unknown): string {
  const fix = "use an IANA time zone name such as 'Europe/Berlin', 'America/New_York' or 'UTC'";
  if (typeof timeZone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(timeZone)) {
    throw propError(scope, ErrorCode.FORMAT, prop, timeZone, 'must be an IANA time zone name', fix);
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw propError(scope, ErrorCode.FORMAT, prop, timeZone, 'is not a time zone of the IANA database', fix);
  }
  return timeZone;
}

/** One entry of an Aodh alarm's `time_constraints` (Heat `alarm_base.py` `TIME_CONSTRAINTS`). */
export interface HeatTimeConstraint {
  readonly name: string;
  readonly start: string;
  readonly duration: number;
  readonly timezone: string;
}

/**
 * Aodh counts a time up to 60 s BEFORE a cron start as inside the window: `within_time_constraint`
 * first asks `Evaluator._is_exact_match`, which steps croniter back and forth and accepts
 * `abs(now - next start) < 60` (aodh 15 `evaluator/__init__.py`). The real loop saw a window
 * open 46 s before its start. So every window opens up to a minute early.
 */
export const AODH_EARLY_OPENING_MINUTES = 1;

/** A window in which something is held, read weekly: starts (minutes after Sunday 00:00) and length. */
export interface WeeklyWindow {
  readonly starts: readonly number[];
  readonly minutes: number;
}

/**
 * The time constraints of an alarm that must NOT be evaluated inside `windows`: the free stretches
 * of the week, each one as a cron start (`m h * * days`) and a duration; stretches of the same
 * start time and length share one constraint. Aodh evaluates an alarm when the time is within any
 * of its constraints (`within_time_constraint`), so the union of these is the complement of the
 * windows. Returns undefined when there are no windows; throws via `full()` when they cover the week.
 *
 * Each window is widened by `AODH_EARLY_OPENING_MINUTES` on both sides: Aodh opens every window
 * up to a minute before its cron start (see there), so a stretch rendered to start at a window's
 * end would resume the alarm up to a minute before the window ends, and a window's own start (the
 * schedule's alarm) may come up to a minute early too.
 */
export function complementConstraints(windows: readonly WeeklyWindow[], timeZone: string, namePrefix: string, full: () => never): HeatTimeConstraint[] | undefined {
  if (windows.length === 0) return undefined;
  const held = new Uint8Array(MINUTES_PER_WEEK);
  for (const w of windows) {
    const from = -AODH_EARLY_OPENING_MINUTES;
    const to = Math.min(w.minutes + AODH_EARLY_OPENING_MINUTES, MINUTES_PER_WEEK);
    for (const s of w.starts) for (let i = from; i < to; i++) held[(s + i + MINUTES_PER_WEEK) % MINUTES_PER_WEEK] = 1;
  }
  const firstHeld = held.indexOf(1);
  if (held.indexOf(0) < 0) return full();
  // Walk the week once, starting at a held minute, so a free stretch that wraps past Saturday is one stretch.
  const runs: Array<{ start: number; length: number }> = [];
  let run: { start: number; length: number } | undefined;
  for (let k = 1; k <= MINUTES_PER_WEEK; k++) {
    const minute = (firstHeld + k) % MINUTES_PER_WEEK;
    if (held[minute] === 0) {
      if (run === undefined) run = { start: minute, length: 0 };
      run.length++;
    } else if (run !== undefined) {
      runs.push(run);
      run = undefined;
    }
  }
  const byShape = new Map<string, { minute: number; hour: number; length: number; days: number[] }>();
  for (const r of runs) {
    const minute = r.start % 60;
    const hour = Math.floor(r.start / 60) % 24;
    const key = `${minute} ${hour} ${r.length}`;
    const shape = byShape.get(key) ?? { minute, hour, length: r.length, days: [] };
    shape.days.push(Math.floor(r.start / 1440));
    byShape.set(key, shape);
  }
  const shapes = [...byShape.values()].sort((a, b) => a.days[0] * 1440 + a.hour * 60 + a.minute - (b.days[0] * 1440 + b.hour * 60 + b.minute));
  return shapes.map((s, i) => ({
    name: `${namePrefix}${shapes.length > 1 ? `_${i + 1}` : ''}`,
    start: `${s.minute} ${s.hour} * * ${s.days.length === 7 ? '*' : s.days.sort((a, b) => a - b).join(',')}`,
    duration: s.length * 60,
    timezone: timeZone,
  }));
}
