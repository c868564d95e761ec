/**
 * Judges a loop timeline against the acceptance rules of issue 11 and computes its figures.
 *
 * - needed size at t = ceil(demand / capacityPerMember), capacityPerMember being the work one
 *   member carries at the scale-out threshold.
 * - target = the needed size of the median demand of the plateau (from `plateauStart` to the end
 *   of the load).
 * - time to size: from the plateau's start until members >= target. Bound (cloud seconds):
 *     detect = granularity × (evaluationPeriods + 1) + granularity (polling) + 60 (Aodh interval)
 *     step   = max(cooldown, boot + granularity × (evaluationPeriods + 1))
 *     bound  = detect + (ceil((target - minSize) / scaleOutBy) - 1) × step + granularity (margin)
 *   The first scale-out needs the alarm's whole window of high points; every further one needs
 *   the group's cooldown and, because the new members' load only shows once they have booted and
 *   a full window has passed, the window again.
 * - a scale-in "under load" leaves fewer members than the needed size at that moment.
 * - overshoot: members above the largest needed size during the load by more than one scale-out step.
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

export function checkTimeline(tl: Timeline, trace: Trace, scaleOutBy = 3): Verdict {
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
  const window = c.granularity * (c.evaluationPeriods + 1);
  const detect = window + c.granularity + 60;
  const step = Math.max(c.cooldown, c.bootSeconds + window);
  const boundSeconds = detect + Math.max(0, Math.ceil((target - c.minSize) / scaleOutBy) - 1) * step + c.granularity;
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
  if (maxMembers > maxNeeded + scaleOutBy) problems.push(`overshoot: ${maxMembers} members, needed at most ${maxNeeded}, step ${scaleOutBy}`);
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
