/**
 * alarm-query-matches-no-member: an aggregating alarm of a group selects exactly that group's
 * members. Ceilometer turns the Nova metadata `metering.server_group` into the Gnocchi instance
 * attribute `server_group` (ceilometer: ceilometer/publisher/data/gnocchi_resources.yaml, resource
 * type `instance`, `server_group: resource_metadata.user_metadata.server_group`), so the alarm's
 * query on `server_group` must equal the value the member servers carry — here compared
 * symbolically, after `str_replace`/`get_param` are followed from the group into its member.
 */
import type { Doc } from '../../assertions/output';
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { hotResources, scalingGroupsOf, symbolic } from '../view';

const SERVER_GROUP = /"server_group"\s*:\s*"([^"]*)"/g;

export const alarmQueryMatchesNoMember: PolicyRule = {
  id: 'alarm-query-matches-no-member',
  level: 'error',
  summary: "A group's aggregating alarms query server_group with the value its member servers carry in metering.server_group",
  why: 'A query matching no member makes the alarm see no data (insufficient data: the group never scales); one matching other servers scales the group on someone else\'s load.',
  evaluate(view) {
    const results: RuleResult[] = [];
    for (const g of scalingGroupsOf(view)) {
      if (!g.member) continue;
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries((g.def.properties?.resource?.properties ?? {}) as Doc)) {
        const s = symbolic(v, 'parent');
        if (s !== undefined) params[k] = s;
      }
      const tags = hotResources({ ...view, templates: [{ ...g.template, location: g.member.location, role: 'nested', doc: g.member.doc }] }, 'OS::Nova::Server').map((s) =>
        symbolic(s.def.properties?.metadata?.['metering.server_group'], 'member', params),
      );
      for (const p of g.policies) {
        for (const a of p.alarms.filter((x) => x.def.type === 'OS::Aodh::GnocchiAggregationByResourcesAlarm')) {
          const query = symbolic(a.props.query, 'parent') ?? '';
          const wanted = [...query.matchAll(SERVER_GROUP)].map((m) => m[1]);
          if (wanted.length === 0) {
            results.push(nonCompliant(g.template.location, a.name, `query ${query || '(none)'} does not select by server_group, so it aggregates servers outside group ${g.name}`, 'properties.query'));
          } else if (tags.length === 0 || tags.some((t) => t === undefined)) {
            results.push(nonCompliant(g.template.location, a.name, `members of ${g.name} (${g.member.location}) carry no metering.server_group, so query server_group=${wanted[0]} matches none of them`, 'properties.query'));
          } else if (!wanted.every((w) => tags.every((t) => t === w))) {
            results.push(nonCompliant(g.template.location, a.name, `query server_group=${wanted.join(', ')} but members of ${g.name} carry metering.server_group=${tags.join(', ')}`, 'properties.query'));
          } else {
            results.push(compliant(g.template.location, a.name, `query and members agree on server_group=${wanted[0]}`));
          }
        }
      }
    }
    return results;
  },
};
