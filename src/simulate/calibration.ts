/**
 * Calibration against the real telemetry loop: a timeline the loop recorded on a loopback cloud
 * (Keystone, Heat, Gnocchi, Aodh and a stand-in Ceilometer) is replayed by the simulator on the
 * same example, group and demand, and the two must agree: the same number of scaling actions, each
 * at the same size and within one evaluation interval of the real one.
 *
 * The loop's file (`test/loop/timelines/<name>.json`):
 * `{ example, group, trace, timeScale, config: { granularity, evaluationPeriods, cooldown,
 *   bootSeconds, minSize, maxSize, capacityPerMember, evaluationInterval?, policies? }, events: [...] }`
 * with events `{ t, kind: 'sample', demand, members, ready, served, alarms }` and
 * `{ t, kind: 'signal', policy, result }`. `t` is in test seconds; × `timeScale` gives cloud
 * seconds, the unit of every `config` value. `config.policies` (per-member timelines) gives each
 * alarm-driven policy's cooldown as the loop ran it.
 *
 * What is compared: a scaling action is a change of the group's size. In the loop that is the
 * moment the stand-in Ceilometer sees a new member stack COMPLETE (or a removed one gone); the
 * members of one resize appear one after the other, so size changes closer than the shortest
 * cooldown are one action (Heat refuses every signal from a resize's start to its cooldown's end).
 * The simulator's action is the accepted signal plus Heat's latency plus one member's resize time
 * (`heatLatencySeconds`, `resizeSecondsPerMember`: stated in the options, else measured in the
 * run by `heatTiming`). The loop's stand-in Ceilometer polls on 3 hosts at phases 0, 1/3 and 2/3
 * of the granularity (test/loop/ceilometer.ts), and a member takes load `bootSeconds` after it
 * appears.
 *
 * What is not the simulator's to predict: the loop runs one Heat engine on a loaded machine, which
 * sometimes acts on a signal many minutes late. When the loop's Aodh signalled the predicted
 * policy within the tolerance of the predicted moment and its Heat still resized later than the
 * tolerance, that action is the loop's delay: `loopDelayed` says so and the comparison stops
 * there (every later action follows from the late one).
 */
import * as path from 'path';
import { ErrorCode, propError } from '../core/errors';
import { simulate, type SimulationOptions, type Timeline } from './engine';
import { loadGroups, type SimGroup } from './stack-model';
import { validateTrace } from './trace';

/** A timeline recorded by the real loop. */
export interface LoopTimeline {
  readonly example: string;
  readonly group: string;
  readonly trace: string;
  readonly timeScale: number;
  readonly config: {
    readonly granularity: number;
    readonly evaluationPeriods: number;
    readonly cooldown: number;
    readonly bootSeconds: number;
    readonly minSize: number;
    readonly maxSize: number;
    readonly capacityPerMember: number;
    readonly evaluationInterval?: number;
    /** The alarm-driven policies as the loop ran them (cloud seconds). */
    readonly policies?: Readonly<Record<string, { readonly type: string; readonly adjustment: number; readonly minStep?: number; readonly cooldown: number }>>;
  };
  readonly events: readonly LoopEvent[];
}

/** One event of the loop's timeline. */
export type LoopEvent =
  | { readonly t: number; readonly kind: 'sample'; readonly demand: number; readonly members: number; readonly ready?: number; readonly served?: number; readonly alarms?: unknown }
  | { readonly t: number; readonly kind: 'signal'; readonly policy: string; readonly result: string };

/** A change of the group's size at a time (cloud seconds). */
export interface ScalingAction {
  readonly t: number;
  readonly from: number;
  readonly to: number;
}

/** The comparison of the loop's scaling actions with the simulator's. */
export interface CalibrationResult {
  readonly real: readonly ScalingAction[];
  readonly predicted: readonly ScalingAction[];
  /** The largest time difference allowed between matching actions (one evaluation interval). */
  readonly toleranceSeconds: number;
  /** Heat's latency used for the prediction: from an accepted signal to its resize starting (see `heatTiming`). */
  readonly heatLatencySeconds: number;
  /** Heat's resize time per member used for the prediction (see `heatTiming`). */
  readonly resizeSecondsPerMember: number;
  /** Empty when the two agree; otherwise what differs. */
  readonly mismatches: readonly string[];
  /**
   * Set when the loop's Heat acted on an action later than the tolerance although the loop's Aodh
   * had signalled it in time (the loop's own delay, not the simulator's): the action's index (from
   * 0), and why. The comparison stops there, since every later action follows from that late one.
   */
  readonly loopDelayed?: { readonly action: number; readonly reason: string };
  readonly timeline: Timeline;
}

function check(where: string, loop: LoopTimeline): void {
  const c = loop?.config;
  if (!loop || typeof loop.example !== 'string' || typeof loop.group !== 'string') {
    throw propError(where, ErrorCode.FORMAT, 'example/group', loop?.example, 'must name the example and the group', 'write the loop timeline format');
  }
  if (typeof loop.timeScale !== 'number' || !(loop.timeScale > 0)) throw propError(where, ErrorCode.RANGE, 'timeScale', loop.timeScale, 'must be a positive number', 'give cloud seconds per test second');
  for (const k of ['granularity', 'evaluationPeriods', 'cooldown', 'bootSeconds', 'minSize', 'maxSize', 'capacityPerMember'] as const) {
    if (typeof c?.[k] !== 'number' || !Number.isFinite(c[k]) || c[k] < 0) throw propError(where, ErrorCode.RANGE, `config.${k}`, c?.[k], 'must be a number of at least 0', 'write the loop timeline format');
  }
  if (!Array.isArray(loop.events) || !loop.events.some((e) => e.kind === 'sample')) {
    throw propError(where, ErrorCode.REQUIRED, 'events', loop.events, "must hold 'sample' events", 'record the loop with samples');
  }
}

/**
 * The size changes in a list of (time, members) samples. Changes in the same direction less than
 * `mergeSeconds` apart are one action (the members of one resize appear one by one).
 */
export function actionsOfSamples(samples: readonly { t: number; members: number }[], mergeSeconds = 0): ScalingAction[] {
  const out: ScalingAction[] = [];
  let lastChange = -Infinity;
  for (let i = 1; i < samples.length; i++) {
    const { t, members } = samples[i];
    const before = samples[i - 1].members;
    if (members === before) continue;
    const prev = out[out.length - 1];
    if (prev && t - lastChange < mergeSeconds && Math.sign(members - before) === Math.sign(prev.to - prev.from)) {
      out[out.length - 1] = { ...prev, to: members };
    } else out.push({ t, from: before, to: members });
    lastChange = t;
  }
  return out;
}

/**
 * Heat's timing in a loop run, as the simulator's `heatLatencySeconds` and
 * `resizeSecondsPerMember` state it.
 * - Per member: the members of one resize appear (or go) one after the other; the median gap
 *   between consecutive size changes inside one action.
 * - Latency: for each action, the time since the first signal of a policy in that direction Heat
 *   passed to the group (not refused) after the previous action, less the first member's time;
 *   the least of those (Heat at its least loaded: a loaded engine acting late is the loop's own
 *   delay, which `calibrate` reports instead of predicting). Undefined when the run holds no such
 *   signal.
 */
export function heatTiming(
  changes: readonly ScalingAction[],
  actions: readonly ScalingAction[],
  signals: readonly { t: number; policy: string; result: string }[],
  growing: (policy: string) => boolean | undefined,
  mergeSeconds: number,
): { perMember?: number; latency?: number } {
  const gaps: number[] = [];
  for (let i = 1; i < changes.length; i++) {
    const gap = changes[i].t - changes[i - 1].t;
    if (gap < mergeSeconds && Math.sign(changes[i].to - changes[i].from) === Math.sign(changes[i - 1].to - changes[i - 1].from)) gaps.push(gap);
  }
  const perMember = median(gaps);
  const latencies: number[] = [];
  let since = -Infinity;
  for (const a of actions) {
    const up = a.to > a.from;
    const first = signals.find((s) => s.t > since && s.t <= a.t && growing(s.policy) === up && (s.result === 'accepted' || s.result.startsWith('scaled')));
    if (first) latencies.push(Math.max(0, a.t - first.t - (perMember ?? 0)));
    since = a.t;
  }
  return { perMember, latency: latencies.length > 0 ? Math.min(...latencies) : undefined };
}

function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Options of a calibration: the simulator's, with Heat's timing stated or measured in the run. */
export interface CalibrationOptions extends SimulationOptions {
  /**
   * The largest time difference allowed between a loop action and its prediction.
   * @default - the evaluation interval (60 s)
   */
  readonly toleranceSeconds?: number;
}

/**
 * Replays the loop's run in the simulator and compares. `templatesDir` holds `<example>/heat/`.
 * `where` names the timeline file in errors. Heat's latency and time per member are the options'
 * when given, else measured in the run (`heatTiming`).
 */
export function calibrate(loop: LoopTimeline, templatesDir: string, where = 'timeline', options: CalibrationOptions = {}): CalibrationResult {
  check(where, loop);
  const heat = path.join(templatesDir, loop.example, 'heat');
  const group = loadGroups(heat).find((g) => g.name === loop.group);
  if (!group) throw propError(where, ErrorCode.USAGE, 'group', loop.group, `is not an autoscaling group of ${heat}`, 'name the group by its logical name in the template');
  const c = loop.config;
  // The loop may run a faster archive policy and other sizes than the example: its config wins.
  const cooldownOf = (name: string, p: SimGroup['policies'][string]): number | undefined => c.policies?.[name]?.cooldown ?? (p.cooldown === undefined ? undefined : c.cooldown);
  const tuned: SimGroup = {
    ...group,
    minSize: c.minSize,
    maxSize: c.maxSize,
    // A per-member timeline (with `policies`) ran the template's group cooldown; an older one gave it as `cooldown`.
    cooldown: c.policies ? group.cooldown : c.cooldown,
    policies: Object.fromEntries(Object.entries(group.policies).map(([k, p]) => [k, { ...p, cooldown: cooldownOf(k, p) }])),
    alarms: group.alarms.map((a) => ({ ...a, rules: a.rules.map((r) => ({ ...r, granularity: c.granularity, evaluationPeriods: c.policies ? r.evaluationPeriods : c.evaluationPeriods })) })),
  };
  const samples = loop.events
    .filter((e): e is Extract<LoopEvent, { kind: 'sample' }> => e.kind === 'sample')
    .map((e) => ({ t: e.t * loop.timeScale, demand: e.demand, members: e.members }));
  const t0 = samples[0].t;
  const points = samples.map((s) => ({ t: s.t - t0, demand: s.demand }));
  const dedup = points.filter((p, i) => i === 0 || p.t > points[i - 1].t);
  const trace = validateTrace(where, loop.trace ?? 'loop', dedup);
  const evaluationInterval = c.evaluationInterval ?? options.evaluationIntervalSeconds ?? 60;
  const tolerance = options.toleranceSeconds ?? evaluationInterval;
  // Two size changes closer than the shortest cooldown are one resize: Heat refuses every signal
  // from the resize's start until its cooldown ends (`heat/scaling/cooldown.py`).
  const cooldowns = Object.values(tuned.policies).map((p) => p.cooldown ?? tuned.cooldown);
  const mergeSeconds = Math.max(evaluationInterval, Math.min(...cooldowns, Infinity));
  const loopSizes = samples.map((s) => ({ t: s.t - t0, members: s.members }));
  const changes = actionsOfSamples(loopSizes);
  const real = actionsOfSamples(loopSizes, Number.isFinite(mergeSeconds) ? mergeSeconds : evaluationInterval);
  const loopSignals = loop.events
    .filter((e): e is Extract<LoopEvent, { kind: 'signal' }> => e.kind === 'signal')
    .map((e) => ({ t: e.t * loop.timeScale - t0, policy: e.policy, result: e.result }));
  const growing = (name: string) => (tuned.policies[name] ? tuned.policies[name].scalingAdjustment > 0 : undefined);
  const measured = heatTiming(changes, real, loopSignals, growing, mergeSeconds);
  const perMember = options.resizeSecondsPerMember ?? measured.perMember ?? 0;
  const latency = options.heatLatencySeconds ?? measured.latency ?? 0;
  // The loop's capacityPerMember is the load one member carries at the scale-out threshold, which
  // the simulator reads from the alarm itself; what a member can serve at most stays its vCPUs.
  // A member takes load bootSeconds after it appears (when the stand-in sees its stack COMPLETE),
  // i.e. one per-member resize time plus the boot after its creation starts.
  const timeline = simulate(tuned, trace, {
    pollPhases: [0, c.granularity / 3, (2 * c.granularity) / 3],
    ...options,
    pollIntervalSeconds: c.granularity,
    heatLatencySeconds: latency,
    resizeSecondsPerMember: perMember,
    bootSeconds: c.bootSeconds + perMember,
    evaluationIntervalSeconds: evaluationInterval,
  });
  // The loop sees an action when the first member of the resize appears or goes.
  const scaled = timeline.signals.filter((s) => s.result === 'scaled');
  const predicted = scaled.map((s) => ({ t: s.t + latency + perMember, from: s.from, to: s.to }));
  const mismatches: string[] = [];
  let loopDelayed: CalibrationResult['loopDelayed'];
  for (let i = 0; i < Math.min(real.length, predicted.length); i++) {
    const r = real[i];
    const p = predicted[i];
    if (r.to === p.to && Math.abs(r.t - p.t) <= tolerance) continue;
    // The loop acted late: did its Aodh signal the predicted policy in time (within the tolerance
    // of the predicted accepted signal)? Then its Heat lagged.
    const sent = loopSignals.find((x) => Math.abs(x.t - scaled[i].t) <= tolerance && x.policy === scaled[i].policy && !x.result.includes('no change'));
    if (r.t > p.t + tolerance && Math.sign(r.to - r.from) === Math.sign(p.to - p.from) && sent) {
      loopDelayed = {
        action: i,
        reason: `action ${i + 1}: the loop's Aodh signalled ${sent.policy} at ${Math.round(sent.t)} s (predicted signal at ${Math.round(scaled[i].t)} s), its Heat resized only at ${Math.round(r.t)} s (${r.from}->${r.to}; predicted ${p.from}->${p.to} at ${Math.round(p.t)} s)`,
      };
      break;
    }
    if (r.to !== p.to) mismatches.push(`action ${i + 1}: loop went ${r.from}->${r.to} at ${Math.round(r.t)} s, prediction ${p.from}->${p.to} at ${Math.round(p.t)} s`);
    else mismatches.push(`action ${i + 1} (${r.from}->${r.to}): loop at ${Math.round(r.t)} s, prediction at ${Math.round(p.t)} s, more than ${tolerance} s apart`);
  }
  if (!loopDelayed && real.length !== predicted.length) mismatches.unshift(`${real.length} scaling actions in the loop (${describe(real)}), ${predicted.length} predicted (${describe(predicted)})`);
  return { real, predicted, toleranceSeconds: tolerance, heatLatencySeconds: latency, resizeSecondsPerMember: perMember, mismatches, loopDelayed, timeline };
}

function describe(actions: readonly ScalingAction[]): string {
  return actions.map((a) => `${a.from}->${a.to} at ${Math.round(a.t)} s`).join(', ') || 'none';
}
