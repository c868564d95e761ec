/**
 * Heat's side of scaling, replayed: the capacity arithmetic of a scaling policy, the order in which
 * a group removes members, and how a group answers a policy's signal. Pure functions over a small
 * state record; the engine owns time.
 *
 * Read from Heat's source (openstack/heat, master):
 * - `heat/scaling/scalingutil.py` `calculate_new_capacity`: change / exact / percent arithmetic,
 *   percent deltas below 1 in size rounded away from zero, larger ones towards zero,
 *   `min_adjustment_step` applied to the rounded percent delta only, then clamped to min/max.
 * - `heat/engine/resources/aws/autoscaling/autoscaling_group.py` `AutoScalingGroup.adjust` (the
 *   base of `OS::Heat::AutoScalingGroup`): refused when the group is not COMPLETE, then "no change
 *   in capacity" is decided *before* the cooldown, then `_check_scaling_allowed`; the cooldown is
 *   the policy's when it has one, else the group's. `check_create_complete` starts the group's
 *   cooldown when the stack is created.
 * - `heat/scaling/cooldown.py` `CooldownMixin._check_scaling_allowed`: refused while
 *   `scaling_in_progress` (a resize is running) or while now < `cooldown_end`;
 *   `_finished_scaling`: after a resize, `cooldown_end` = max(old end, now + cooldown), where now
 *   is when the resize finished.
 * - `heat/engine/resources/openstack/heat/instance_group.py` `resize` with
 *   `heat/scaling/template.py` `member_definitions` and `heat/common/grouputils.py`
 *   `get_members`: members sorted failed first, then by creation time, then name; a smaller group
 *   keeps the *last* N, so the oldest are removed first.
 */

/** Heat's adjustment types of `OS::Heat::ScalingPolicy`. */
export type AdjustmentTypeName = 'change_in_capacity' | 'exact_capacity' | 'percent_change_in_capacity';

/** The new size a policy asks for, as `scalingutil.calculate_new_capacity` computes it. */
export function calculateNewCapacity(
  current: number,
  adjustment: number,
  adjustmentType: AdjustmentTypeName,
  minAdjustmentStep: number | undefined,
  minimum: number,
  maximum: number,
): number {
  let next: number;
  if (adjustmentType === 'change_in_capacity') {
    next = current + adjustment;
  } else if (adjustmentType === 'exact_capacity') {
    next = adjustment;
  } else {
    const delta = (current * adjustment) / 100;
    // Below one server the delta rounds away from zero, otherwise towards zero.
    let rounded = Math.abs(delta) < 1 ? (delta > 0 ? Math.ceil(delta) : Math.floor(delta)) : delta > 0 ? Math.floor(delta) : Math.ceil(delta);
    if (minAdjustmentStep && minAdjustmentStep > Math.abs(rounded)) rounded = rounded > 0 ? minAdjustmentStep : -minAdjustmentStep;
    next = current + rounded;
  }
  if (next > maximum) return maximum;
  if (next < minimum) return minimum;
  return next;
}

/** A member as Heat sorts it for removal. */
export interface RemovableMember {
  readonly failed: boolean;
  readonly createdAt: number;
  readonly name: string;
}

/**
 * The members a resize to `newSize` removes: Heat sorts failed members first, then by creation
 * time, then by name, and keeps the last `newSize` of that list.
 */
export function membersToRemove<T extends RemovableMember>(members: readonly T[], newSize: number): T[] {
  const sorted = [...members].sort((a, b) => {
    if (a.failed !== b.failed) return a.failed ? -1 : 1;
    if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return sorted.slice(0, Math.max(0, sorted.length - newSize));
}

/** How Heat answered one signal. */
export type SignalResult =
  /** The group was resized. */
  | 'scaled'
  /** Refused: the group's stack is not COMPLETE (being created or updated). */
  | 'not-complete'
  /** Refused: the new size equals the current one (already at max or min). */
  | 'no-change'
  /** Refused: a resize is still running (`scaling_in_progress`). */
  | 'in-progress'
  /** Refused: the group is in its cooldown. */
  | 'cooldown';

/** What a group's signal handling needs to know. */
export interface GroupSignalState {
  readonly complete: boolean;
  readonly size: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly scalingInProgress: boolean;
  /** When the cooldown ends (seconds); the group refuses while now < cooldownEnd. */
  readonly cooldownEnd: number;
}

/** A policy's adjustment, as the template states it. */
export interface PolicyAdjustment {
  readonly adjustmentType: AdjustmentTypeName;
  readonly scalingAdjustment: number;
  readonly minAdjustmentStep?: number;
}

/** Heat's answer to a signal: refused with a reason, or the new size. */
export interface SignalDecision {
  readonly result: SignalResult;
  readonly from: number;
  readonly to: number;
}

/** Decides a signal the way `AutoScalingGroup.adjust` does, in its order of checks. */
export function decideSignal(group: GroupSignalState, policy: PolicyAdjustment, now: number): SignalDecision {
  const from = group.size;
  if (!group.complete) return { result: 'not-complete', from, to: from };
  const to = calculateNewCapacity(from, policy.scalingAdjustment, policy.adjustmentType, policy.minAdjustmentStep, group.minSize, group.maxSize);
  if (to === from) return { result: 'no-change', from, to };
  if (group.scalingInProgress) return { result: 'in-progress', from, to: from };
  if (now < group.cooldownEnd) return { result: 'cooldown', from, to: from };
  return { result: 'scaled', from, to };
}

/** `_finished_scaling`: the cooldown end after a resize that finished at `finishedAt`. */
export function cooldownEndAfter(previousEnd: number, finishedAt: number, cooldownSeconds: number): number {
  return Math.max(previousEnd, finishedAt + Math.max(0, cooldownSeconds));
}
