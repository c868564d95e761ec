/**
 * cooldown-shorter-than-alarm-window: a policy driven by an alarm waits, between two scalings, at
 * least the alarm's data window plus the time a new member needs to boot and report.
 *
 * Aodh reads granularity × (evaluation periods + 1) seconds of data per evaluation (aodh:
 * aodh/evaluator/threshold.py, `ThresholdEvaluator._bound_duration`, with `look_back = 1`). Heat
 * restarts the group's cooldown after every scaling and a policy cooldown shorter than the group's
 * has no effect, so the effective wait is the larger of the two. Shorter than the window plus boot
 * time, the next evaluation still sees the load from before the last step and scales again.
 *
 * A per-member alarm (in the member template, on its own server's stored `rate:mean`) decides on
 * the last `evaluation periods` points of that server alone (aodh `evaluator/gnocchi.py`
 * `GnocchiBase._sanitize`); no member joining or leaving makes a point of its own, so the wait it
 * needs is granularity × evaluation periods + one Aodh evaluation interval (60 s, aodh
 * `[evaluator] evaluation_interval`), plus the boot time after a scale-out (after a scale-in the
 * remaining members take the load at once): the derivation of the library's default cooldowns
 * (`cpuScalingCooldowns` in src/constructs/autoscaling/scaling-rules.ts).
 */
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { alarmWindowSeconds, isScaleOut, num, scalingGroupsOf } from '../view';

/** Aodh's default evaluation interval (`[evaluator] evaluation_interval`). */
const EVALUATION_INTERVAL_SECONDS = 60;

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
          const granularity = num(a.props.granularity);
          const periods = num(a.props.evaluation_periods) ?? 1;
          const own = a.perMember && granularity !== undefined;
          const boot = own && !isScaleOut(p) ? 0 : options.bootSeconds;
          const needed = own ? boot + granularity! * periods + EVALUATION_INTERVAL_SECONDS : window + boot;
          const reads = own
            ? `${a.name} (one per member) decides on its server's last ${periods} points of ${granularity} s, seen up to ${EVALUATION_INTERVAL_SECONDS} s later`
            : `${a.name} reads ${window} s of data`;
          const booting = boot > 0 ? ` and a member needs ${boot} s to boot` : ' (the remaining members take the load at once)';
          const text = `${p.name} waits ${effective} s (group ${g.cooldown ?? 'unset'}, policy ${p.cooldown ?? 'unset'}) but ${reads}${booting}: ${needed} s`;
          results.push(effective < needed ? nonCompliant(g.template.location, p.name, text, 'properties.cooldown') : compliant(g.template.location, p.name, text));
        }
      }
    }
    return results;
  },
};
