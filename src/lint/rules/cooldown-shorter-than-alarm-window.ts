/**
 * cooldown-shorter-than-alarm-window: a policy driven by an alarm waits, between two scalings, at
 * least the alarm's data window plus the time a new member needs to boot and report.
 *
 * Aodh reads granularity × (evaluation periods + 1) seconds of data per evaluation (aodh:
 * aodh/evaluator/threshold.py, `ThresholdEvaluator._bound_duration`, with `look_back = 1`). Heat
 * restarts the group's cooldown after every scaling and a policy cooldown shorter than the group's
 * has no effect, so the effective wait is the larger of the two. Shorter than the window plus boot
 * time, the next evaluation still sees the load from before the last step and scales again.
 */
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { alarmWindowSeconds, scalingGroupsOf } from '../view';

export const cooldownShorterThanAlarmWindow: PolicyRule = {
  id: 'cooldown-shorter-than-alarm-window',
  level: 'warning',
  summary: 'Cooldown ≥ the alarm\'s data window (granularity × (evaluation periods + 1)) plus boot time',
  why: 'A shorter cooldown acts again on data from before the last step: the group overshoots on the way out and undershoots on the way in.',
  evaluate(view, options) {
    const results: RuleResult[] = [];
    for (const g of scalingGroupsOf(view)) {
      for (const p of g.policies) {
        const effective = Math.max(g.cooldown ?? 0, p.cooldown ?? g.cooldown ?? 0);
        for (const a of p.alarms) {
          const window = alarmWindowSeconds(a);
          if (window === undefined) continue;
          const needed = window + options.bootSeconds;
          const text = `${p.name} waits ${effective} s (group ${g.cooldown ?? 'unset'}, policy ${p.cooldown ?? 'unset'}) but ${a.name} reads ${window} s of data and a member needs ${options.bootSeconds} s to boot: ${needed} s`;
          results.push(effective < needed ? nonCompliant(g.template.location, p.name, text, 'properties.cooldown') : compliant(g.template.location, p.name, text));
        }
      }
    }
    return results;
  },
};
