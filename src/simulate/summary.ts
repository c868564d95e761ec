/**
 * The summary a person reads first: did the group reach the size the load needs, and how fast;
 * did it remove servers under load; did it overshoot or oscillate; what did it cost against what
 * was needed; and a verdict per trace with its reasons.
 */
import type { Timeline } from './engine';
import type { SignalResult } from './heat-rules';
import { columnsOf } from './sample-columns';

/** A verdict: pass, pass with warnings, or fail. */
export type Verdict = 'pass' | 'warn' | 'fail';

/** The figures of one replay. */
export interface SimulationSummary {
  readonly stack: string;
  readonly group: string;
  readonly trace: string;
  /** Longest time from the load needing more members than were ready until enough were; null if never needed. */
  readonly timeToNeededSizeSeconds: number | null;
  /** The time allowed to reach the needed size (window + boot + per step: resize, cooldown, one poll interval). */
  readonly reachLimitSeconds: number;
  /** True when the load needed more members at some point and never got them before it eased. */
  readonly neverReached: boolean;
  /** Scale-ins that left fewer members than the load needed. */
  readonly scaleInsUnderLoad: number;
  /** Scale-ins while every measure was missing (the kill switch must hold the group). */
  readonly scaleInsWithoutMetrics: number;
  /** Peak members minus peak needed size (0 when never above). */
  readonly overshoot: number;
  /** Direction reversals of scaling within two windows plus cooldowns of each other. */
  readonly oscillations: number;
  /** Scaling actions Heat performed, out and in. */
  readonly scaleOuts: number;
  readonly scaleIns: number;
  /** Signals Heat refused, by reason. */
  readonly refused: Readonly<Partial<Record<SignalResult, number>>>;
  /** Server-minutes the group ran (booting included) and the server-minutes the load needed. */
  readonly serverMinutesUsed: number;
  readonly serverMinutesNeeded: number;
  /** True when the group ended at its minimum once the load went back to needing only that. */
  readonly returnedToMinimum: boolean;
  readonly verdict: Verdict;
  /** Why the verdict is not a pass (empty on pass). */
  readonly reasons: readonly string[];
}

/** Summarizes a timeline. */
export function summarize(timeline: Timeline): SimulationSummary {
  const { signals, config } = timeline;
  // (the columns, not the rows: a week of samples is read without making an object per sample)
  const c = columnsOf(timeline);
  const n = c.length;
  const dt = config.evaluationIntervalSeconds;
  let worst: number | null = null;
  let neverReached = false;
  let since: number | undefined;
  let peakNeeded = config.minSize;
  let peakMembers = -Infinity;
  let membersSum = 0;
  let neededSum = 0;
  for (let i = 0; i < n; i++) {
    const t = c.t[i];
    const needed = c.needed[i];
    if (c.ready[i] < needed) {
      if (since === undefined) since = t;
    } else if (since !== undefined) {
      worst = Math.max(worst ?? 0, t - since);
      since = undefined;
    }
    if (needed > peakNeeded) peakNeeded = needed;
    if (c.members[i] > peakMembers) peakMembers = c.members[i];
    membersSum += c.members[i];
    neededSum += needed;
  }
  if (since !== undefined) {
    neverReached = true;
    worst = Math.max(worst ?? 0, c.t[n - 1] - since);
  }
  const window = config.granularity * (config.evaluationPeriods + 1);
  const steps = Math.max(1, Math.ceil((peakNeeded - config.initialSize) / config.largestStep));
  const reachLimit = window + config.bootSeconds + steps * (config.resizeSeconds + config.cooldown + config.pollIntervalSeconds);

  const scaled = signals.filter((s) => s.result === 'scaled');
  const ins = scaled.filter((s) => s.to < s.from);
  const scaleInsUnderLoad = ins.filter((s) => c.needed[c.indexAt(s.t)] > s.to).length;
  const scaleInsWithoutMetrics = ins.filter((s) => c.metrics[c.indexAt(s.t)] === 0).length;
  const overshoot = Math.max(0, peakMembers - peakNeeded);
  let oscillations = 0;
  for (let i = 1; i < scaled.length; i++) {
    const a = scaled[i - 1];
    const b = scaled[i];
    if (Math.sign(a.to - a.from) !== Math.sign(b.to - b.from) && b.t - a.t <= 2 * (window + config.cooldown + config.resizeSeconds)) oscillations++;
  }
  const refused: Partial<Record<SignalResult, number>> = {};
  for (const s of signals) if (s.result !== 'scaled') refused[s.result] = (refused[s.result] ?? 0) + 1;
  const used = membersSum * (dt / 60);
  const needed = neededSum * (dt / 60);
  const last = n > 0 ? { needed: c.needed[n - 1], members: c.members[n - 1] } : undefined;
  const returnedToMinimum = last!.needed > config.minSize || last!.members === config.minSize;

  const reasons: string[] = [];
  let verdict: Verdict = 'pass';
  const fail = (r: string) => {
    verdict = 'fail';
    reasons.push(r);
  };
  const warn = (r: string) => {
    if (verdict === 'pass') verdict = 'warn';
    reasons.push(r);
  };
  if (neverReached) fail('never reached the needed size while the load lasted');
  if (scaleInsUnderLoad > 0) fail(`${scaleInsUnderLoad} scale-in(s) under load`);
  if (scaleInsWithoutMetrics > 0) fail(`${scaleInsWithoutMetrics} scale-in(s) while measures were missing`);
  if (!neverReached && worst !== null && worst > reachLimit) warn(`took ${minutes(worst)} to reach the needed size (limit ${minutes(reachLimit)})`);
  if (overshoot > config.largestStep) warn(`overshot the needed size by ${overshoot} members (one step is ${config.largestStep})`);
  if (oscillations > 0) warn(`${oscillations} reversal(s) of direction in quick succession`);
  if (!returnedToMinimum) warn(`ended at ${last!.members} members, not back at the minimum (${config.minSize})`);
  return {
    stack: timeline.stack,
    group: timeline.group,
    trace: timeline.trace,
    timeToNeededSizeSeconds: worst,
    reachLimitSeconds: reachLimit,
    neverReached,
    scaleInsUnderLoad,
    scaleInsWithoutMetrics,
    overshoot,
    oscillations,
    scaleOuts: scaled.length - ins.length,
    scaleIns: ins.length,
    refused,
    serverMinutesUsed: Math.round(used),
    serverMinutesNeeded: Math.round(needed),
    returnedToMinimum,
    verdict,
    reasons,
  };
}

function minutes(s: number): string {
  return `${Math.round(s / 60)} min`;
}

/** The summary as the lines the CLI prints. */
export function summaryLines(s: SimulationSummary): string[] {
  const reach = s.timeToNeededSizeSeconds === null ? 'never needed more than it had' : `${minutes(s.timeToNeededSizeSeconds)}${s.neverReached ? ' (not reached)' : ''}`;
  const refused = Object.entries(s.refused)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  return [
    `${s.stack}/${s.group} on '${s.trace}': ${s.verdict.toUpperCase()}${s.reasons.length ? ` (${s.reasons.join('; ')})` : ''}`,
    `  time to needed size: ${reach} (limit ${minutes(s.reachLimitSeconds)})`,
    `  scaling: ${s.scaleOuts} out, ${s.scaleIns} in, ${s.scaleInsUnderLoad} in under load, ${s.oscillations} reversals, overshoot ${s.overshoot}`,
    `  signals refused: ${refused || 'none'}`,
    `  server-minutes: ${s.serverMinutesUsed} used, ${s.serverMinutesNeeded} needed`,
  ];
}
