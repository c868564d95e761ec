/**
 * Judges a loop timeline against the acceptance rules of issue 11 and computes its figures.
 *
 * - needed size at t = ceil(demand / capacityPerMember), capacityPerMember being the work one
 *   member carries at the scale-out threshold.
 * - target = the needed size of the median demand of the plateau (from `plateauStart` to the end
 *   of the load).
 * - time to size: from the plateau's start until members >= target. Bound (cloud seconds):
 *     detect = granularity × (evaluationPeriods + 1) + 60 (Aodh interval) + granularity (margin)
 *       the first point wholly above the threshold covers the first full poll interval after the
 *       load rose; the alarm needs `evaluationPeriods` of them and sees them at its next run.
 *     steps  = the scale-outs the template's policies make from minSize to the target under the
 *       plateau's demand (the saturated policy while a member would run at or above its
 *       saturation, the other one below), with Heat's rounding (`scalingutil`).
 *     bound  = detect + (steps - 1) × (scale-out cooldown + 120) + granularity
 *       each further step waits for the policy's cooldown (which covers warm-up and a fresh
 *       window of points), plus 120 cloud seconds for Heat to resize the group on this machine.
 * - a scale-in "under load" leaves fewer members than the needed size at that moment.
 * - overshoot: members above the largest needed size during the load by more than the scale-out
 *   step that got them there.
 * - oscillation: more than one reversal of direction (out/in) while the plateau holds after reaching the target.
 * - return: at the end of the trace the group is back at minSize.
 */
import { neededSize, type Timeline, type TimelineSample, type Trace } from './run-trace';

export interface Figures {
  servedPercent: number;
  scaleInsUnderLoad: number;
  maxMembers: number;
  target: number;
  timeToSizeSeconds: number | null;
  boundSeconds: number;
  reversals: number;
  endMembers: number;
  signals: number;
  signalsIgnored: number;
}

export interface Verdict {
  figures: Figures;
  problems: string[];
}

/** Cloud seconds at which each trace's plateau starts. */
const PLATEAU_START: Record<string, number> = { step: 600, ramp: 2400, noisy: 600 };

/** Heat's new capacity for one adjustment (heat `scaling/scalingutil.py` `calculate_new_capacity`), clamped. */
export function adjusted(current: number, p: { type: string; adjustment: number; minStep?: number }, min: number, max: number): number {
  let next: number;
  if (p.type === 'change_in_capacity') next = current + p.adjustment;
  else if (p.type === 'exact_capacity') next = p.adjustment;
  else {
    const delta = (current * p.adjustment) / 100;
    let rounded = Math.abs(delta) < 1 ? (delta > 0 ? Math.ceil(delta) : Math.floor(delta)) : delta > 0 ? Math.floor(delta) : Math.ceil(delta);
    if (p.minStep !== undefined && p.minStep > Math.abs(rounded)) rounded = rounded > 0 ? p.minStep : -p.minStep;
    next = current + rounded;
  }
  return Math.max(min, Math.min(max, next));
}

/** The scale-outs the group's policies make from `from` to `target` members under `demand` vCPUs. */
export function scaleOutSteps(c: Timeline['config'], from: number, target: number, demand: number, vcpus: number): number {
  const outs = Object.values(c.policies ?? {}).filter((p) => p.adjustment > 0);
  if (outs.length === 0) return Math.max(0, target - from);
  const byGrowth = [...outs].sort((a, b) => adjusted(10, a, 0, 1e9) - adjusted(10, b, 0, 1e9));
  let n = from;
  let steps = 0;
  while (n < target && steps < 100) {
    const saturated = c.saturationPercent !== undefined && (100 * demand) / (n * vcpus) >= c.saturationPercent;
    const p = saturated ? byGrowth[byGrowth.length - 1] : byGrowth[0];
    n = adjusted(n, p, c.minSize, c.maxSize);
    steps++;
    if (n >= c.maxSize) break;
  }
  return steps;
}

export function checkTimeline(tl: Timeline, trace: Trace, vcpus = 1): Verdict {
  const S = tl.timeScale;
  const c = tl.config;
  const samples = tl.events.filter((e): e is TimelineSample => e.kind === 'sample');
  const cloud = (e: { t: number }) => e.t * S;
  const during = samples.filter((e) => cloud(e) < trace.loadEndsAt);
  const plateauStart = PLATEAU_START[trace.name] ?? 0;
  const plateau = during.filter((e) => cloud(e) >= plateauStart);
  const demands = plateau.map((e) => e.demand).sort((a, b) => a - b);
  const target = Math.min(c.maxSize, neededSize(demands[Math.floor(demands.length / 2)] ?? 0, c.capacityPerMember));
  const maxNeeded = Math.min(c.maxSize, Math.max(...during.map((e) => neededSize(e.demand, c.capacityPerMember))));
  const detect = c.granularity * (c.evaluationPeriods + 1) + 60 + c.granularity;
  const peakDemand = demands[Math.floor(demands.length / 2)] ?? 0;
  const steps = scaleOutSteps(c, c.minSize, target, peakDemand, vcpus);
  const boundSeconds = detect + Math.max(0, steps - 1) * (c.cooldown + 120) + c.granularity;
  const problems: string[] = [];

  const reached = plateau.find((e) => e.members >= target);
  const timeToSizeSeconds = reached ? Math.round(cloud(reached) - plateauStart) : null;
  if (timeToSizeSeconds === null || timeToSizeSeconds > boundSeconds) {
    problems.push(`reach: ${target} members ${timeToSizeSeconds === null ? 'never reached' : `after ${timeToSizeSeconds} s`}, bound ${boundSeconds} s`);
  }
  let scaleInsUnderLoad = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    if (b.members < a.members && b.members < Math.min(c.maxSize, neededSize(b.demand, c.capacityPerMember))) scaleInsUnderLoad++;
  }
  if (scaleInsUnderLoad > 0) problems.push(`scale-in under load: ${scaleInsUnderLoad}`);
  const maxMembers = Math.max(...samples.map((e) => e.members));
  // The scale-out step that first brought the group to its largest size.
  // Heat creates a step's members together, but they complete one by one: increases less than
  // half a cooldown apart are one step.
  let lastStep = 1;
  let stepStart = -Infinity;
  let stepSize = 0;
  for (let i = 1; i < samples.length; i++) {
    const d = samples[i].members - samples[i - 1].members;
    if (d > 0) {
      if (cloud(samples[i]) - stepStart > c.cooldown / 2) {
        stepStart = cloud(samples[i]);
        stepSize = 0;
      }
      stepSize += d;
      lastStep = stepSize;
    }
    if (samples[i].members === maxMembers) break;
  }
  if (maxMembers > maxNeeded + lastStep) problems.push(`overshoot: ${maxMembers} members, needed at most ${maxNeeded}, last step ${lastStep}`);
  let reversals = 0;
  let dir = 0;
  const settled = reached ? plateau.filter((e) => e.t >= reached.t) : [];
  for (let i = 1; i < settled.length; i++) {
    const d = Math.sign(settled[i].members - settled[i - 1].members);
    if (d !== 0 && dir !== 0 && d !== dir) reversals++;
    if (d !== 0) dir = d;
  }
  if (reversals > 1) problems.push(`oscillating: ${reversals} reversals on the plateau`);
  const endMembers = samples[samples.length - 1]?.members ?? -1;
  if (endMembers !== c.minSize) problems.push(`return: ${endMembers} members at the end, minSize ${c.minSize}`);
  const demandSum = during.reduce((s, e) => s + e.demand, 0);
  const servedSum = during.reduce((s, e) => s + e.served, 0);
  const signals = tl.events.filter((e) => e.kind === 'signal');
  return {
    figures: {
      servedPercent: Math.round((1000 * servedSum) / Math.max(demandSum, 1e-9)) / 10,
      scaleInsUnderLoad,
      maxMembers,
      target,
      timeToSizeSeconds,
      boundSeconds,
      reversals,
      endMembers,
      signals: signals.length,
      signalsIgnored: signals.filter((e) => e.kind === 'signal' && e.result.startsWith('ignored')).length,
    },
    problems,
  };
}
