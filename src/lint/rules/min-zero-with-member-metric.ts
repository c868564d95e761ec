/**
 * min-zero-with-member-metric: a group that may shrink to zero does not scale out only on a metric
 * its members report. With no member there is no measure, the alarm sits in "insufficient data"
 * and never fires, so the group stays at zero whatever the load.
 */
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { isScaleOut, scalingGroupsOf, type AlarmRef } from '../view';

/** True for an alarm whose data comes from the group's own servers. */
function needsMember(a: AlarmRef): boolean {
  // A per-member alarm exists only with its member: at zero members there is no alarm at all.
  if (a.perMember) return true;
  if (a.def.type === 'OS::Aodh::GnocchiAggregationByResourcesAlarm' || a.def.type === 'OS::Aodh::GnocchiResourcesAlarm') return (a.props.resource_type ?? 'instance') === 'instance';
  if (a.def.type === 'OS::Aodh::PrometheusAlarm') return /ceilometer_(cpu|memory|disk|network)/.test(JSON.stringify(a.props.query ?? ''));
  return false;
}

export const minZeroWithMemberMetric: PolicyRule = {
  id: 'min-zero-with-member-metric',
  level: 'error',
  summary: 'A group with min_size 0 scales out on a metric that does not need a running member',
  why: 'At zero members a member-reported metric has no data, so the scale-out alarm never fires and the group never leaves zero.',
  evaluate(view) {
    const results: RuleResult[] = [];
    for (const g of scalingGroupsOf(view)) {
      const outs = g.policies.filter(isScaleOut).flatMap((p) => p.alarms);
      if (outs.length === 0 || g.minSize === undefined) continue;
      const onlyMember = outs.every(needsMember);
      results.push(
        g.minSize === 0 && onlyMember
          ? nonCompliant(g.template.location, g.name, `min_size 0 and every scale-out alarm (${outs.map((a) => a.name).join(', ')}) reads a metric the members report`, 'properties.min_size')
          : compliant(g.template.location, g.name, g.minSize === 0 ? 'min_size 0 with a scale-out alarm on a metric reported without members' : `min_size ${g.minSize}`),
      );
    }
    return results;
  },
};
