import type { IConstruct } from 'constructs';
import type { HeatContext } from '../../core/context';
import type { HeatValue } from '../../core/heat-value';
import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { Warnings } from '../../core/warnings';
import { Pool } from '../loadbalancing/pool';
import type { IPool } from '../loadbalancing/pool-ref';
import { SCALING_ENABLED, SCALING_ENABLED_PARAMETER } from './alarm';

/**
 * Autohealing: a member whose load-balancer health check fails is *replaced*, not only taken out
 * of rotation. One `OS::Aodh::LBMemberHealthAlarm` (Heat 13.0.0, Train, and later) per pool the
 * group serves, in the group's template, and Aodh does the rest:
 *
 * - Aodh's `loadbalancer_member_health` evaluator (aodh `evaluator/loadbalancer.py`,
 *   `LoadBalancerMemberHealthEvaluator._get_unhealthy_members`) lists the pool's members from
 *   Octavia (the `load-balancer` endpoint of Aodh's service catalog, `member_list(pool_id)`) at
 *   every evaluation, ignores members younger than `[DEFAULT] member_creation_time` (120 s by
 *   default, an Aodh setting of the cloud), and counts those with `admin_state_up` and
 *   `operating_status: ERROR`. Octavia sets ERROR only from a health monitor, so the pool needs one.
 * - On the transition to alarm, the `trust+heat://` action (aodh `notifier/heat.py`,
 *   `TrustHeatAlarmNotifier.notify`), with the trust Aodh created from Heat's token when the alarm
 *   was created, finds each ERROR member's Heat resource among the resources of the alarm's
 *   `stack` (`resources.list(stack_id, nested_depth=3, filters={physical_resource_id: <Octavia
 *   member id>})`), marks its parent, the member's nested stack in the group, unhealthy
 *   (`resources.mark_unhealthy(autoscaling_group_id, ...)`, so `autoscaling_group_id` must be the
 *   group's nested stack id: `get_resource` of the group), then updates the alarm's `stack` in place
 *   (`stacks.update(stack_id, existing=True)`), so `stack` must be the stack the group is a resource
 *   of, here always the root one (`OS::stack_id` of the main template, or of the Terraform-embedded
 *   stack).
 * - Heat replaces the member that mark-unhealthy left CHECK_FAILED (heat
 *   `engine/resources/stack_resource.py`, `StackResource._needs_update` raises `UpdateReplace`)
 *   while the group keeps its size (heat `engine/resources/aws/autoscaling/autoscaling_group.py`,
 *   `handle_update` resizes to the current capacity).
 *
 * The alarm calls its action once per transition (`repeat_actions: false`): a repeated action would
 * mark the name of a member being replaced unhealthy again, and that name is the replacement's.
 * The `scaling_enabled` switch turns autohealing off with the scaling alarms.
 */

/** The Aodh action of an autohealing alarm: Aodh's Heat notifier, through a trust Aodh creates. */
export const AUTOHEALING_ACTION = 'trust+heat://';

/** Aodh's default grace period for a new pool member (`[DEFAULT] member_creation_time`), seconds. */
export const AODH_MEMBER_CREATION_SECONDS = 120;

/** A pool the group heals its members in, and the pool id as the group's template sees it. */
export interface HealedPool {
  readonly pool: IPool;
  readonly poolId: unknown;
  /** Snake-case label of the pool, for the alarm's logical name. */
  readonly label: string;
}

/**
 * Why autohealing cannot work for a group that serves `pools` (empty when it can): the group must
 * serve a pool, and each pool must be a `Pool` with a health monitor (without one Octavia never
 * reports a member ERROR, so the alarm would never fire).
 */
export function autohealingProblems(pools: readonly IPool[]): string[] {
  if (pools.length === 0) {
    return ["'autohealing' needs the members in a load-balancer pool: call attachToPool(pool, port), or set autohealing: false"];
  }
  const problems: string[] = [];
  for (const pool of pools) {
    if (!(pool instanceof Pool)) {
      problems.push(`'autohealing' needs a Pool whose health monitor it can see, got ${pool.node.path}; set autohealing: false for this group`);
    } else if (pool.healthMonitor === undefined) {
      problems.push(
        `'autohealing' needs a health monitor on pool ${pool.node.path}: Octavia marks a member ERROR only when its health check fails; call pool.addHealthMonitor(...), or set autohealing: false`,
      );
    }
  }
  return problems;
}

/** Warns that without readiness a slow member may be replaced before it ever serves. */
export function warnAutohealingWithoutReadiness(group: IConstruct): void {
  Warnings.add(
    group,
    'scaleout:autohealing-without-readiness',
    `'autohealing' is on without 'readiness': Aodh ignores a new pool member for ${AODH_MEMBER_CREATION_SECONDS} s (its member_creation_time, a cloud setting) and then replaces it if its health check fails, so a member that needs longer to boot and start serving is replaced before it serves, again and again; ` +
      'set readiness (a member then joins the pool only once it serves), or acknowledge this warning if the image serves within that time',
  );
}

/**
 * Renders one `OS::Aodh::LBMemberHealthAlarm` per pool into the group's template (`ctx`): the main
 * template in the Heat target, the embedded stack's in the Terraform target. `group` is the
 * group's logical name in that template.
 */
export function renderAutohealing(ctx: HeatContext, owner: IConstruct, group: string, pools: readonly HealedPool[]): void {
  const enabled = ctx.parameter(SCALING_ENABLED, SCALING_ENABLED_PARAMETER);
  ctx.setEnvironmentParameter(SCALING_ENABLED, true);
  for (const p of pools) {
    ctx.addResource(
      owner,
      'OS::Aodh::LBMemberHealthAlarm',
      {
        description: fitName(`Replaces a member of ${owner.node.path} whose health check fails in pool ${p.pool.node.path}`, SERVICE_NAME_MAX_LENGTH),
        pool: p.poolId as HeatValue<string>,
        stack: { get_param: 'OS::stack_id' },
        autoscaling_group_id: { get_resource: group },
        alarm_actions: [AUTOHEALING_ACTION],
        repeat_actions: false,
        enabled,
      },
      { suffix: `autohealing_${p.label}` },
    );
  }
}
