/**
 * Calibration against the real telemetry loop: a timeline the loop recorded on a loopback cloud
 * (Keystone, Heat, Gnocchi, Aodh and a stand-in Ceilometer) is replayed by the simulator on the
 * same example, group and demand, and the two must agree: the same number of scaling actions, each
 * at the same size and within one evaluation interval of the real one.
 *
 * The loop's file (`test/loop/timelines/<name>.json`):
 * `{ example, group, trace, timeScale, config: { granularity, evaluationPeriods, cooldown,
 *   bootSeconds, minSize, maxSize, capacityPerMember, evaluationInterval? }, events: [...] }` with
 * events `{ t, kind: 'sample', demand, members, ready, served, alarms }` and
 * `{ t, kind: 'signal', policy, result }`. `t` is in test seconds; × `timeScale` gives cloud
 * seconds, the unit of every `config` value.
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

/** The size changes in a list of (time, members) samples. */
export function actionsOfSamples(samples: readonly { t: number; members: number }[]): ScalingAction[] {
  const out: ScalingAction[] = [];
  for (let i = 1; i < samples.length; i++) {
    if (samples[i].members !== samples[i - 1].members) out.push({ t: samples[i].t, from: samples[i - 1].members, to: samples[i].members });
  }
  return out;
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
  const tuned: SimGroup = {
    ...group,
    minSize: c.minSize,
    maxSize: c.maxSize,
    cooldown: c.cooldown,
    policies: Object.fromEntries(Object.entries(group.policies).map(([k, p]) => [k, { ...p, cooldown: p.cooldown === undefined ? undefined : c.cooldown }])),
    alarms: group.alarms.map((a) => ({ ...a, rules: a.rules.map((r) => ({ ...r, granularity: c.granularity, evaluationPeriods: c.evaluationPeriods })) })),
  };
  const samples = loop.events
    .filter((e): e is Extract<LoopEvent, { kind: 'sample' }> => e.kind === 'sample')
    .map((e) => ({ t: e.t * loop.timeScale, demand: e.demand, members: e.members }));
  const t0 = samples[0].t;
  const points = samples.map((s) => ({ t: s.t - t0, demand: s.demand }));
  const dedup = points.filter((p, i) => i === 0 || p.t > points[i - 1].t);
  const trace = validateTrace(where, loop.trace ?? 'loop', dedup);
  const evaluationInterval = c.evaluationInterval ?? options.evaluationIntervalSeconds ?? 60;
  // The loop's capacityPerMember is the load one member carries at the scale-out threshold, which
  // the simulator reads from the alarm itself; what a member can serve at most stays its vCPUs.
  const timeline = simulate(tuned, trace, {
    ...options,
    bootSeconds: c.bootSeconds,
    evaluationIntervalSeconds: evaluationInterval,
  });
  const real = actionsOfSamples(samples.map((s) => ({ t: s.t - t0, members: s.members })));
  const predicted = timeline.signals.filter((s) => s.result === 'scaled').map((s) => ({ t: s.t, from: s.from, to: s.to }));
  const mismatches: string[] = [];
  if (real.length !== predicted.length) mismatches.push(`${real.length} scaling actions in the loop, ${predicted.length} predicted`);
  for (let i = 0; i < Math.min(real.length, predicted.length); i++) {
    const r = real[i];
    const p = predicted[i];
    if (r.to !== p.to) mismatches.push(`action ${i + 1}: loop went ${r.from}->${r.to} at ${r.t} s, prediction ${p.from}->${p.to} at ${p.t} s`);
    else if (Math.abs(r.t - p.t) > evaluationInterval) mismatches.push(`action ${i + 1} (${r.from}->${r.to}): loop at ${r.t} s, prediction at ${p.t} s, more than ${evaluationInterval} s apart`);
  }
  return { real, predicted, toleranceSeconds: evaluationInterval, mismatches, timeline };
}
