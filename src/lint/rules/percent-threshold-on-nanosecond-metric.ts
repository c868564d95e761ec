/**
 * percent-threshold-on-nanosecond-metric: a Gnocchi alarm on the `cpu` metric has a threshold in
 * CPU-nanoseconds per granularity, not a percent. Ceilometer's `cpu` is a cumulative counter in ns
 * (`cpu_util`, the percent meter, was removed in Stein); `rate:mean` over it is ns per period, so
 * 70 % of one vCPU over 300 s is 0.7 × 300 × 1e9 = 2.1e11.
 */
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { hotResources, num } from '../view';

export const percentThresholdOnNanosecondMetric: PolicyRule = {
  id: 'percent-threshold-on-nanosecond-metric',
  level: 'error',
  summary: 'CPU alarms on the nanosecond `cpu` metric have thresholds in ns per period, not percents',
  why: 'A threshold of 70 on a metric counting about 1e11 ns per period is always exceeded: the group scales out to its max and never comes back.',
  evaluate(view) {
    const results: RuleResult[] = [];
    for (const { template, name, def } of hotResources(view).filter((r) => String(r.def.type).startsWith('OS::Aodh::Gnocchi'))) {
      if (def.properties?.metric !== 'cpu') continue;
      const t = num(def.properties?.threshold);
      if (t === undefined) continue;
      results.push(
        // As the construct's warning (`warnPercentOnCpuTime`): a percent is in (0, 100]; a threshold of
        // 0 or below is no percent (a schedule's alarm compares the counter's mean with 0, always true).
        t > 0 && t <= 100
          ? nonCompliant(template.location, name, `threshold ${t} on metric cpu (${def.properties?.aggregation_method ?? 'mean'}) looks like a percent; the metric counts CPU-nanoseconds`, 'properties.threshold')
          : compliant(template.location, name, `threshold ${t} ns on metric cpu`),
      );
    }
    return results;
  },
};
