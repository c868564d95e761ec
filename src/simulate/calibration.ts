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
 * moment the stand-in Ceilometer sees the new member stacks COMPLETE (or the removed ones gone),
 * i.e. the end of Heat's resize; several members of one resize appear at nearly the same time and
 * count as one action. The simulator's action is the accepted signal plus the resize time, and
 * its resize time is the loop's own (`heatLatency`: from the first signal Heat accepted to the
 * size change, the median over the run; Heat creating the member stacks and their alarms takes
 * real seconds that the loop's time scale multiplies). The loop's stand-in Ceilometer polls on 3
 * hosts at phases 0, 1/3 and 2/3 of the granularity (test/loop/ceilometer.ts), and a member takes
 * load `bootSeconds` after it appears.
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
  /** Heat's resize time the loop showed (see the file comment), used for the prediction. */
  readonly heatLatencySeconds: number;
  /** Empty when the two agree; otherwise what differs. */
  readonly mismatches: readonly string[];
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
 * Heat's resize time in a loop run: for each size change, the time since the first signal of a
 * policy in that direction Heat accepted after the previous change; the median of those.
 * Undefined when the run holds no accepted signal before a change.
 */
export function heatLatency(real: readonly ScalingAction[], signals: readonly { t: number; policy: string; result: string }[], growing: (policy: string) => boolean | undefined): number | undefined {
  const latencies: number[] = [];
  let since = -Infinity;
  for (const a of real) {
    const up = a.to > a.from;
    const first = signals.find((s) => s.t > since && s.t <= a.t && growing(s.policy) === up && (s.result === 'accepted' || s.result.startsWith('scaled')));
    if (first) latencies.push(a.t - first.t);
    since = a.t;
  }
  if (latencies.length === 0) return undefined;
  const sorted = [...latencies].sort((x, y) => x - y);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * Replays the loop's run in the simulator and compares. `templatesDir` holds `<example>/heat/`.
 * `where` names the timeline file in errors.
 */
export function calibrate(loop: LoopTimeline, templatesDir: string, where = 'timeline', options: SimulationOptions = {}): CalibrationResult {
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
  const real = actionsOfSamples(
    samples.map((s) => ({ t: s.t - t0, members: s.members })),
    evaluationInterval,
  );
  const loopSignals = loop.events
    .filter((e): e is Extract<LoopEvent, { kind: 'signal' }> => e.kind === 'signal')
    .map((e) => ({ t: e.t * loop.timeScale - t0, policy: e.policy, result: e.result }));
  const growing = (name: string) => (tuned.policies[name] ? tuned.policies[name].scalingAdjustment > 0 : undefined);
  const latency = options.resizeSeconds ?? heatLatency(real, loopSignals, growing) ?? 60;
  // The loop's capacityPerMember is the load one member carries at the scale-out threshold, which
  // the simulator reads from the alarm itself; what a member can serve at most stays its vCPUs.
  // A member takes load bootSeconds after its resize ends (when the stand-in sees it).
  const timeline = simulate(tuned, trace, {
    pollPhases: [0, c.granularity / 3, (2 * c.granularity) / 3],
    ...options,
    pollIntervalSeconds: c.granularity,
    resizeSeconds: latency,
    bootSeconds: c.bootSeconds + latency,
    evaluationIntervalSeconds: evaluationInterval,
  });
  const predicted = timeline.signals.filter((s) => s.result === 'scaled').map((s) => ({ t: s.t + latency, from: s.from, to: s.to }));
  const mismatches: string[] = [];
  if (real.length !== predicted.length) mismatches.push(`${real.length} scaling actions in the loop (${describe(real)}), ${predicted.length} predicted (${describe(predicted)})`);
  for (let i = 0; i < Math.min(real.length, predicted.length); i++) {
    const r = real[i];
    const p = predicted[i];
    if (r.to !== p.to) mismatches.push(`action ${i + 1}: loop went ${r.from}->${r.to} at ${r.t} s, prediction ${p.from}->${p.to} at ${p.t} s`);
    else if (Math.abs(r.t - p.t) > evaluationInterval) mismatches.push(`action ${i + 1} (${r.from}->${r.to}): loop at ${r.t} s, prediction at ${p.t} s, more than ${evaluationInterval} s apart`);
  }
  return { real, predicted, toleranceSeconds: evaluationInterval, heatLatencySeconds: latency, mismatches, timeline };
}

function describe(actions: readonly ScalingAction[]): string {
  return actions.map((a) => `${a.from}->${a.to} at ${Math.round(a.t)} s`).join(', ') || 'none';
}
