/**
 * metric-nobody-writes: a Gnocchi alarm on the members' `instance` resources reads a metric
 * Ceilometer publishes. Gnocchi's default policy (gnocchi `rest/policy.yaml`: `post measures` is
 * `admin_or_creator` = `role:admin or user:%(creator)s or project_id:%(created_by_project_id)s`)
 * lets only admins and the resource's creator (or its project) write; Ceilometer creates the
 * `instance` resources as its service user in the service project, so no user or server of the
 * stack's project can add a custom metric such as a queue depth to them: the alarm stays in
 * insufficient data while the stack creates fine. Write such a metric to a resource the writer
 * creates itself (`WorkerScaling.queueDepth({ queueName })`, `Metric.gnocchiResource`).
 */
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { hotResources } from '../view';

/** Metric names (or prefixes, ending in '.') Ceilometer's compute and notification agents publish on `instance` resources. */
export const CEILOMETER_INSTANCE_METRICS: readonly string[] = [
  'cpu',
  'vcpus',
  'memory',
  'memory.usage',
  'memory.resident',
  'memory.swap.',
  'memory.bandwidth.',
  'disk.',
  'network.',
  'perf.',
  'compute.instance.',
  'power.state',
  'instance',
];

function isCeilometerMetric(metric: string): boolean {
  return CEILOMETER_INSTANCE_METRICS.some((m) => (m.endsWith('.') ? metric.startsWith(m) : metric === m));
}

/** The Gnocchi rules of an alarm: itself, or a composite's sub-rules. */
function gnocchiRules(type: string, props: Record<string, any>): Array<Record<string, any>> {
  if (type === 'OS::Aodh::GnocchiAggregationByResourcesAlarm' || type === 'OS::Aodh::GnocchiResourcesAlarm') return [props];
  if (type !== 'OS::Aodh::CompositeAlarm') return [];
  const out: Array<Record<string, any>> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, any>;
      if (typeof n.type === 'string' && n.type.startsWith('gnocchi_')) out.push(n);
      else walk(n.rules);
    }
  };
  walk(props.composite_rule);
  return out;
}

export const metricNobodyWrites: PolicyRule = {
  id: 'metric-nobody-writes',
  level: 'warning',
  summary: "Gnocchi alarms on the members' instance resources read a metric Ceilometer publishes",
  why: "Only admins and a resource's creator may post measures under Gnocchi's default policy, and Ceilometer creates the instance resources: a custom metric on them has no writer, so the alarm never leaves insufficient data.",
  evaluate(view) {
    const results: RuleResult[] = [];
    for (const { template, name, def } of hotResources(view).filter((r) => String(r.def.type).startsWith('OS::Aodh::'))) {
      const rules = gnocchiRules(String(def.type), (def.properties ?? {}) as Record<string, any>).filter((r) => (r.resource_type ?? 'instance') === 'instance' && typeof r.metric === 'string');
      if (rules.length === 0) continue;
      const custom = [...new Set(rules.map((r) => r.metric as string).filter((m) => !isCeilometerMetric(m)))];
      results.push(
        custom.length > 0
          ? nonCompliant(
              template.location,
              name,
              `metric ${custom.join(', ')} on 'instance' resources: Ceilometer does not publish it, and Gnocchi's default policy lets no user of the project write to the instance resources Ceilometer creates; post it to a resource the writer creates (WorkerScaling.queueDepth({ queueName }), Metric.gnocchiResource)`,
              'properties.metric',
            )
          : compliant(template.location, name, `metric ${rules.map((r) => r.metric).join(', ')} is published by Ceilometer`),
      );
    }
    return results;
  },
};
