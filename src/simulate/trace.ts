/**
 * Load traces: demand over time. A trace holds points `{ t, demand }` (t in seconds from the start,
 * demand held until the next point) and, optionally, `metrics: false` where every server's
 * measures vanish (Ceilometer stops reporting: the kill-switch case).
 *
 * Demand is in the metric's units for the whole group: vCPU-seconds per second for the `cpu`
 * metric (2.5 = two and a half vCPUs busy), the metric's own unit for a gauge (e.g. queue
 * messages). Built-in traces are *relative*: their demand counts members loaded up to the
 * scale-out threshold, and the simulator converts them per group, so one built-in trace fits every
 * group.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ErrorCode, propError } from '../core/errors';

/** One point of a trace. */
export interface TracePoint {
  /** Seconds from the start. */
  readonly t: number;
  /** Demand from `t` until the next point. */
  readonly demand: number;
  /** False while every server's measures vanish. @default true */
  readonly metrics?: boolean;
}

/** A load trace. */
export interface Trace {
  readonly name: string;
  /** Points sorted by strictly increasing `t`; the last one marks the end. */
  readonly points: readonly TracePoint[];
  /** True when demand counts members at the scale-out threshold instead of metric units. */
  readonly relative: boolean;
}

/** The group facts a built-in trace is shaped by. */
export interface TraceShape {
  readonly minSize: number;
  readonly maxSize: number;
}

/** A small, seedable, deterministic generator (mulberry32); returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60;
const HOUR = 3600;

function levels(shape: TraceShape): { base: number; peak: number } {
  const lowest = Math.max(1, shape.minSize);
  // The peak needs a few members more than the minimum, never more than the maximum.
  const peak = Math.max(lowest, Math.min(shape.maxSize, Math.max(lowest + 3, lowest * 2))) - 0.5;
  return { base: Math.max(0.25, lowest * 0.4), peak };
}

function sampled(name: string, end: number, f: (t: number) => number, metrics?: (t: number) => boolean): Trace {
  const points: TracePoint[] = [];
  for (let t = 0; t <= end; t += MINUTE) {
    const m = metrics ? metrics(t) : true;
    points.push(m ? { t, demand: round(f(t)) } : { t, demand: round(f(t)), metrics: false });
  }
  return { name, points, relative: true };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The built-in traces, by name. */
export const BUILT_IN_TRACES: Readonly<Record<string, { readonly summary: string; build(shape: TraceShape, seed: number): Trace }>> = {
  step: {
    summary: 'TV spot: quiet for 1 h, a sudden step to the peak for 2 h, quiet again until 6 h',
    build: (s) => {
      const { base, peak } = levels(s);
      return sampled('step', 6 * HOUR, (t) => (t >= HOUR && t < 3 * HOUR ? peak : base));
    },
  },
  ramp: {
    summary: 'quiet for 30 min, a 3 h climb to the peak, 1 h there, a 2 h descent, quiet until 7 h',
    build: (s) => {
      const { base, peak } = levels(s);
      return sampled('ramp', 7 * HOUR, (t) => {
        const a = 30 * MINUTE;
        if (t < a) return base;
        if (t < a + 3 * HOUR) return base + ((peak - base) * (t - a)) / (3 * HOUR);
        if (t < a + 4 * HOUR) return peak;
        if (t < a + 6 * HOUR) return peak - ((peak - base) * (t - a - 4 * HOUR)) / (2 * HOUR);
        return base;
      });
    },
  },
  daily: {
    summary: 'two days of a daily cycle: low at 04:00, peak at 16:00',
    build: (s) => {
      const { base, peak } = levels(s);
      return sampled('daily', 48 * HOUR, (t) => base + ((peak - base) * (1 - Math.cos((2 * Math.PI * (t - 4 * HOUR)) / (24 * HOUR)))) / 2);
    },
  },
  noisy: {
    summary: 'a plateau halfway to the peak for 6 h with ±20% noise each minute (seeded)',
    build: (s, seed) => {
      const { base, peak } = levels(s);
      const level = (base + peak) / 2;
      const random = seededRandom(seed);
      return sampled('noisy', 6 * HOUR, () => level * (1 + 0.4 * (random() - 0.5)));
    },
  },
  outage: {
    summary: 'the peak from 30 min to 4 h, and from 2 h to 3 h every server\'s measures vanish; quiet until 6 h',
    build: (s) => {
      const { base, peak } = levels(s);
      return sampled(
        'outage',
        6 * HOUR,
        (t) => (t >= 30 * MINUTE && t < 4 * HOUR ? peak : base),
        (t) => !(t >= 2 * HOUR && t < 3 * HOUR),
      );
    },
  },
};

/** Checks points read from a file or given by code, with errors naming the point at fault. */
export function validateTrace(where: string, name: string, raw: unknown, relative = false): Trace {
  if (!Array.isArray(raw) || raw.length < 2) {
    throw propError(where, ErrorCode.RANGE, 'points', raw, 'must list at least 2 points', 'give { "t": <s>, "demand": <units> } points, the last one marking the end');
  }
  const points: TracePoint[] = raw.map((p, i) => {
    const at = `points[${i}]`;
    if (p === null || typeof p !== 'object') throw propError(where, ErrorCode.FORMAT, at, p, 'must be an object', 'write { "t": 0, "demand": 1.5 }');
    const { t, demand, metrics } = p as Record<string, unknown>;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw propError(where, ErrorCode.RANGE, `${at}.t`, t, 'must be a number of seconds, at least 0', 'give seconds from the start');
    if (typeof demand !== 'number' || !Number.isFinite(demand) || demand < 0) {
      throw propError(where, ErrorCode.RANGE, `${at}.demand`, demand, 'must be a number, at least 0', "give the demand in the metric's units");
    }
    if (metrics !== undefined && typeof metrics !== 'boolean') throw propError(where, ErrorCode.FORMAT, `${at}.metrics`, metrics, 'must be true or false', 'write false where measures vanish');
    return metrics === false ? { t, demand, metrics } : { t, demand };
  });
  for (let i = 1; i < points.length; i++) {
    if (points[i].t <= points[i - 1].t) {
      throw propError(where, ErrorCode.CONFLICT, `points[${i}].t`, points[i].t, `must be after the previous point's t (${points[i - 1].t})`, 'sort the points by time, one per time');
    }
  }
  return { name, points, relative };
}

/** Parses a CSV trace: a header naming `t` (or `time`) and `demand` columns, optionally `metrics` (1/0). */
export function parseCsvTrace(where: string, name: string, text: string): Trace {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (lines.length === 0) throw propError(where, ErrorCode.EMPTY, 'csv', text, 'is empty', 'write a header "t,demand" and one line per point');
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  const ti = header.findIndex((h) => h === 't' || h === 'time');
  const di = header.indexOf('demand');
  const mi = header.indexOf('metrics');
  if (ti < 0 || di < 0) throw propError(where, ErrorCode.FORMAT, 'csv header', lines[0], "must name the columns 't' and 'demand'", 'start the file with "t,demand"');
  const raw = lines.slice(1).map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const n = (c: string | undefined) => (c === undefined || c === '' ? NaN : Number(c));
    const point: Record<string, unknown> = { t: n(cells[ti]), demand: n(cells[di]) };
    if (mi >= 0 && cells[mi] !== undefined && cells[mi] !== '') {
      if (cells[mi] !== '0' && cells[mi] !== '1') throw propError(where, ErrorCode.FORMAT, `line ${i + 2} metrics`, cells[mi], 'must be 1 or 0', 'write 0 where measures vanish');
      point.metrics = cells[mi] === '1';
    }
    return point;
  });
  return validateTrace(where, name, raw);
}

/** Reads a trace file: `.csv`, or `.json` holding a list of points or `{ "points": [...], "relative"?: bool }`. */
export function readTraceFile(file: string): Trace {
  const name = path.basename(file).replace(/\.(csv|json)$/i, '');
  const text = fs.readFileSync(file, 'utf8');
  if (/\.csv$/i.test(file)) return parseCsvTrace(file, name, text);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw propError(file, ErrorCode.FORMAT, 'trace', text.slice(0, 40), `is not JSON (${(e as Error).message})`, 'write a JSON list of { "t", "demand" } points or a .csv file');
  }
  if (Array.isArray(doc)) return validateTrace(file, name, doc);
  const obj = (doc ?? {}) as Record<string, unknown>;
  if (obj.relative !== undefined && typeof obj.relative !== 'boolean') throw propError(file, ErrorCode.FORMAT, 'relative', obj.relative, 'must be true or false', 'drop it or write true');
  return validateTrace(file, name, obj.points, obj.relative === true);
}

/**
 * A trace by built-in name or file path. A built-in trace needs the group's shape; a file is read
 * as is. `cwd` resolves a relative path.
 */
export function resolveTrace(nameOrFile: string, shape: TraceShape, seed: number, cwd = process.cwd()): Trace {
  const builtIn = BUILT_IN_TRACES[nameOrFile];
  if (builtIn) return builtIn.build(shape, seed);
  const file = path.resolve(cwd, nameOrFile);
  if (!fs.existsSync(file)) {
    throw propError('simulate', ErrorCode.ENUM, 'trace', nameOrFile, `is neither a built-in trace (${Object.keys(BUILT_IN_TRACES).join(', ')}) nor a file`, 'name a built-in trace or a .csv/.json file');
  }
  return readTraceFile(file);
}
