/**
 * terraform-members-on-heat-pool: no pool gets members both from Terraform (`openstack_lb_member_v2`,
 * `openstack_lb_members_v2`) and from a Heat group embedded as an orchestration stack.
 * `openstack_lb_members_v2` owns the pool's whole member list and removes members it did not
 * create; Heat adds and removes its members as the group scales, so the two undo each other.
 */
import { poolMemberships } from '../pools';
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';

export const terraformMembersOnHeatPool: PolicyRule = {
  id: 'terraform-members-on-heat-pool',
  level: 'error',
  summary: 'A pool filled by a Heat group has no Terraform-managed members',
  why: 'Terraform and Heat then fight over the member list: each apply removes the servers the group added, or the group\'s scale-in removes members Terraform expects.',
  evaluate(view) {
    if (view.target !== 'terraform') return [];
    const results: RuleResult[] = [];
    const members = poolMemberships(view);
    const heatPools = new Set(members.filter((m) => m.by === 'heat').map((m) => m.pool));
    for (const pool of heatPools) {
      const tf = members.filter((m) => m.by === 'terraform' && m.pool === pool);
      if (tf.length > 0) for (const m of tf) results.push(nonCompliant(m.location, m.resource, `${m.resource} adds members to pool ${pool}, which a Heat group also fills`, 'pool_id'));
      else results.push(compliant('cdk.tf.json', pool, `pool ${pool} is filled by a Heat group only`));
    }
    return results;
  },
};
