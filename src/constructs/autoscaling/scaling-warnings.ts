import type { IConstruct } from 'constructs';
import { Warnings } from '../../core/warnings';
import { GnocchiMetric, Metric, PrometheusMetric } from './metric';

/**
 * Warnings about scaling rules that are legal but do not do what they seem to (see
 * `docs/validation.md`). Each has a stable id and can be acknowledged with
 * `Warnings.acknowledge(scope, id, reason)`.
 */

/** Warning id: a group that may shrink to no member is scaled on a metric only members report. */
export const WARN_SCALE_FROM_ZERO = 'scaleout:member-metric-with-min-size-zero';
/** Warning id: one scaling step moves a per-member average across the other threshold. */
export const WARN_NARROW_BAND = 'scaleout:thresholds-narrower-than-step';
/** Warning id: a threshold between 0 and 100 on the CPU-time metric, whose unit is nanoseconds. */
export const WARN_PERCENT_ON_CPU_TIME = 'scaleout:percent-threshold-on-cpu-time';

/** The group facts the checks need. */
export interface ScaledGroupFacts {
  readonly minSize: number;
  readonly maxSize: number;
}

/**
 * True when the metric's points come from the group's own members: a Gnocchi metric whose query
 * selects them (`Metric.SERVER_GROUP`, the default query) or a PromQL query that names them.
 * With no member running, nobody reports, Gnocchi has no point, and Aodh leaves the alarm in
 * `insufficient data` (aodh `evaluator/threshold.py`: no points, no transition), so it never fires.
 */
export function isMemberMetric(metric: Metric): boolean {
  if (metric instanceof GnocchiMetric) return metric.query.toJson().includes(Metric.SERVER_GROUP);
  if (metric instanceof PrometheusMetric) return typeof metric.query === 'string' && metric.query.includes(Metric.SERVER_GROUP);
  return false;
}

/**
 * True when the metric is the members' average CPU time (`cpu` with `rate:mean` or `rate:median`
 * over the group): under a steady load it changes as 1/n when the group's size n changes. Other
 * metrics are not judged: a queue depth, say, does not fall when workers are added.
 */
export function isPerMemberAverage(metric: Metric): boolean {
  return metric instanceof GnocchiMetric && metric.metric === 'cpu' && isMemberMetric(metric) && ['rate:mean', 'rate:median'].includes(metric.aggregation.name);
}

/** Warns when `group` may shrink to 0 members and scales out on a metric only members report. */
export function warnScaleFromZero(group: IConstruct & ScaledGroupFacts, metric: Metric, at: string): void {
  if (group.minSize !== 0 || !isMemberMetric(metric)) return;
  Warnings.add(
    group,
    WARN_SCALE_FROM_ZERO,
    `'${at}' scales on ${metric.toString()}, which only running members report, but 'minSize' is 0: once the group is empty no point arrives, ` +
      "the alarm stays in 'insufficient data' and never scales out again; use minSize: 1, or scale on a metric reported from outside the group (a queue depth)",
  );
}

/**
 * The first group size at which a scale-in (or scale-out) by one step moves a per-member average
 * that was just past one threshold across the other one, assuming the load stays the same: from
 * n members at `inBelow`, removing r leaves `inBelow x n / (n - r)`; from n at `outAbove`, adding r
 * leaves `outAbove x n / (n + r)`. Heat clamps a step to the group's bounds, so r is at most the
 * distance to minSize or maxSize. Undefined when no size flips.
 */
export function flippingSize(
  facts: ScaledGroupFacts,
  outAbove: number,
  inBelow: number,
  scaleOutBy: number,
  scaleInBy: number,
): { direction: 'in' | 'out'; from: number; to: number; after: number } | undefined {
  for (let n = Math.max(facts.minSize, 1); n <= facts.maxSize; n++) {
    const removed = Math.min(scaleInBy, n - facts.minSize);
    if (removed > 0 && n - removed > 0) {
      const after = (inBelow * n) / (n - removed);
      if (after > outAbove) return { direction: 'in', from: n, to: n - removed, after };
    }
    const added = Math.min(scaleOutBy, facts.maxSize - n);
    if (added > 0) {
      const after = (outAbove * n) / (n + added);
      if (after < inBelow) return { direction: 'out', from: n, to: n + added, after };
    }
  }
  return undefined;
}

/** Warns when one scaling step moves the per-member average across the other threshold (see `flippingSize`). */
export function warnNarrowBand(
  group: IConstruct & ScaledGroupFacts,
  at: string,
  outAbove: number,
  inBelow: number,
  scaleOutBy: number,
  scaleInBy: number,
  unit = '',
): void {
  const flip = flippingSize(group, outAbove, inBelow, scaleOutBy, scaleInBy);
  if (!flip) return;
  const round = (x: number): string => String(Math.round(x * 100) / 100);
  const what =
    flip.direction === 'in'
      ? `scaling in from ${flip.from} to ${flip.to} members at just below ${inBelow}${unit} raises the per-member average to about ${round(flip.after)}${unit}, above the scale-out threshold ${outAbove}${unit}`
      : `scaling out from ${flip.from} to ${flip.to} members at just above ${outAbove}${unit} lowers the per-member average to about ${round(flip.after)}${unit}, below the scale-in threshold ${inBelow}${unit}`;
  Warnings.add(
    group,
    WARN_NARROW_BAND,
    `'${at}': the band between the thresholds is narrower than one scaling step: ${what}, so the group would scale back and forth under a steady load; widen the band (scale-in threshold at most scale-out x (n - step) / n) or scale by fewer members`,
  );
}

/** Warns when a threshold on the CPU-time metric (nanoseconds per period) looks like a percentage. */
export function warnPercentOnCpuTime(scope: IConstruct, metric: Metric, prop: string, threshold: number | undefined): void {
  if (!(metric instanceof GnocchiMetric) || metric.metric !== 'cpu' || typeof threshold !== 'number') return;
  if (!(threshold > 0 && threshold <= 100)) return;
  Warnings.add(
    scope,
    WARN_PERCENT_ON_CPU_TIME,
    `'${prop}' is ${threshold} on ${metric.toString()}, whose unit is nanoseconds of CPU time per period, not percent: ${threshold} ns is idle; ` +
      "use group.scaleOnCpuUtilization({ scaleOutAbovePercent, scaleInBelowPercent }), or convert with cpuPercentToNanoseconds(percent, granularitySeconds, vcpus)",
  );
}
