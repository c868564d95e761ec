/**
 * threshold-band-narrower-than-step: after one scale-out step the group's average must stay above
 * the scale-in threshold. Adding k servers to n spreads the same work over n + k, so a per-server
 * mean of T becomes T × n / (n + k); if that is below the scale-in threshold the group scales out
 * and straight back in. Checked at the smallest size (max(min, 1)), where a step weighs most, for
 * mean-type alarms (`mean`, `rate:mean`) on CPU over the group's members.
 */
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { num, scalingGroupsOf, stepAt, symbolic, type AlarmRef } from '../view';

// Only load that spreads over the members (CPU) shrinks per member when members are added; a
// queue depth or a request backlog does not.
const SPREAD_METRICS = new Set(['cpu', 'cpu_util']);
const isMean = (a: AlarmRef) => SPREAD_METRICS.has(String(a.props.metric)) && /(^|:)mean$/.test(String(a.props.aggregation_method ?? ''));
const signature = (a: AlarmRef) => `${a.perMember ? 'per-member' : a.def.type}|${a.props.metric}|${a.props.aggregation_method}|${a.props.granularity}|${symbolic(a.props.query, 'q') ?? ''}`;

export const thresholdBandNarrowerThanStep: PolicyRule = {
  id: 'threshold-band-narrower-than-step',
  level: 'error',
  summary: 'The gap between scale-out and scale-in thresholds is wider than one scaling step',
  why: 'When one step pushes the average below the scale-in threshold, the group oscillates: every scale-out is followed by a scale-in, members boot and die, and the load balancer keeps draining.',
  evaluate(view) {
    const results: RuleResult[] = [];
    for (const g of scalingGroupsOf(view)) {
      const n = Math.max(g.minSize ?? 1, 1);
      const outs = g.policies.flatMap((p) => p.alarms.filter((a) => isMean(a) && ['gt', 'ge'].includes(a.props.comparison_operator)).map((a) => ({ p, a })));
      const ins = g.policies.flatMap((p) => p.alarms.filter((a) => isMean(a) && ['lt', 'le'].includes(a.props.comparison_operator)).map((a) => ({ p, a })));
      for (const o of outs) {
        const k = stepAt(o.p, n);
        const high = num(o.a.props.threshold);
        if (k === undefined || k <= 0 || high === undefined) continue;
        for (const i of ins.filter((x) => signature(x.a) === signature(o.a))) {
          const low = num(i.a.props.threshold);
          if (low === undefined) continue;
          const after = (high * n) / (n + k);
          const text = `at ${n} server(s) a step of +${k} takes the mean from ${o.a.name}'s threshold ${high} to ${Math.round(after)}, ${after <= low ? 'at or below' : 'above'} ${i.a.name}'s threshold ${low}`;
          results.push(after <= low ? nonCompliant(o.a.location, o.a.name, text, 'properties.threshold') : compliant(o.a.location, o.a.name, text));
        }
      }
    }
    return results;
  },
};
