/**
 * aggregation-not-in-archive-policy: a Gnocchi alarm asks for an aggregation and granularity its
 * metric's archive policy stores.
 *
 * - Ceilometer's default policies (ceilometer: ceilometer/publisher/data/gnocchi_resources.yaml):
 *   `ceilometer-low` stores `mean` and `ceilometer-low-rate` stores `mean` and `rate:mean`, both at
 *   a granularity of 5 minutes; `cpu` and the disk and network counters use `ceilometer-low-rate`,
 *   other instance metrics the default `ceilometer-low`. Metrics not listed are not judged.
 * - An aggregation-by-resources alarm with `rate:X` asks Gnocchi for
 *   `(aggregate rate:X (metric <m> X))`, so the stored method it needs is `X` (aodh:
 *   aodh/evaluator/gnocchi.py, `GnocchiAggregationResourcesThresholdEvaluator._statistics`); a
 *   single-resource alarm reads the stored series of its method itself.
 */
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { hotResources, num } from '../view';

interface ArchivePolicy {
  readonly name: string;
  readonly methods: readonly string[];
  readonly granularities: readonly number[];
}

const LOW: ArchivePolicy = { name: 'ceilometer-low', methods: ['mean'], granularities: [300] };
const LOW_RATE: ArchivePolicy = { name: 'ceilometer-low-rate', methods: ['mean', 'rate:mean'], granularities: [300] };

/** Archive policies of Ceilometer's instance metrics. */
export const CEILOMETER_ARCHIVE_POLICIES: Readonly<Record<string, ArchivePolicy>> = {
  cpu: LOW_RATE,
  'disk.read.requests': LOW_RATE,
  'disk.write.requests': LOW_RATE,
  'disk.read.bytes': LOW_RATE,
  'disk.write.bytes': LOW_RATE,
  memory: LOW,
  'memory.usage': LOW,
  'memory.resident': LOW,
  vcpus: LOW,
  'cpu.delta': LOW,
};

export const aggregationNotInArchivePolicy: PolicyRule = {
  id: 'aggregation-not-in-archive-policy',
  level: 'error',
  summary: "Gnocchi alarms ask for an aggregation and granularity the metric's archive policy stores",
  why: 'Gnocchi answers a query for an aggregate it does not store with no data: the alarm stays in insufficient data and the group never scales.',
  evaluate(view) {
    const results: RuleResult[] = [];
    for (const { template, name, def } of hotResources(view).filter((r) => String(r.def.type).startsWith('OS::Aodh::Gnocchi'))) {
      const p = def.properties ?? {};
      const policy = typeof p.metric === 'string' ? CEILOMETER_ARCHIVE_POLICIES[p.metric] : undefined;
      if (!policy || (p.resource_type ?? 'instance') !== 'instance') continue;
      const method = String(p.aggregation_method ?? 'mean');
      const stored = def.type === 'OS::Aodh::GnocchiAggregationByResourcesAlarm' && method.startsWith('rate:') ? method.slice('rate:'.length) : method;
      const granularity = num(p.granularity);
      const problems = [
        ...(!policy.methods.includes(stored) ? [`aggregation ${method} needs stored '${stored}' but ${policy.name} stores ${policy.methods.join(', ')}`] : []),
        ...(granularity !== undefined && !policy.granularities.includes(granularity) ? [`granularity ${granularity} s is not one of ${policy.name}'s (${policy.granularities.join(', ')} s)`] : []),
      ];
      results.push(
        problems.length
          ? nonCompliant(template.location, name, `metric ${p.metric}: ${problems.join('; ')}`, problems[0].startsWith('aggregation') ? 'properties.aggregation_method' : 'properties.granularity')
          : compliant(template.location, name, `metric ${p.metric}: ${method} at ${granularity ?? '?'} s is stored by ${policy.name}`),
      );
    }
    return results;
  },
};
