/**
 * scale-in-faster-than-scale-out: a group removes servers no faster than it adds them — neither a
 * larger step, nor an alarm that decides on a shorter window.
 */
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { alarmWindowSeconds, isScaleIn, isScaleOut, scalingGroupsOf, stepAt } from '../view';

export const scaleInFasterThanScaleOut: PolicyRule = {
  id: 'scale-in-faster-than-scale-out',
  level: 'warning',
  summary: 'Scale-in steps are no larger, and scale-in alarms no quicker, than scale-out ones',
  why: 'Capacity removed faster than it can come back turns a short lull into an outage when the load returns: new servers take minutes to boot, removed ones are gone at once.',
  evaluate(view) {
    const results: RuleResult[] = [];
    for (const g of scalingGroupsOf(view)) {
      const n = Math.max(g.minSize ?? 1, 1);
      const outs = g.policies.filter((p) => isScaleOut(p) && p.alarms.length > 0);
      const ins = g.policies.filter((p) => isScaleIn(p) && p.alarms.length > 0);
      if (outs.length === 0 || ins.length === 0) continue;
      const outStep = Math.max(...outs.map((p) => stepAt(p, n) ?? 0));
      const outWindow = Math.min(...outs.flatMap((p) => p.alarms.map((a) => alarmWindowSeconds(a) ?? Infinity)));
      for (const p of ins) {
        const inStep = Math.abs(stepAt(p, n + outStep) ?? 0);
        const inWindow = Math.min(...p.alarms.map((a) => alarmWindowSeconds(a) ?? Infinity));
        const problems = [
          ...(inStep > outStep ? [`removes ${inStep} server(s) per step but the group adds ${outStep}`] : []),
          ...(inWindow < outWindow ? [`decides on ${inWindow} s of data where scale-out waits for ${outWindow} s`] : []),
        ];
        results.push(
          problems.length
            ? nonCompliant(g.template.location, p.name, `${p.name} ${problems.join(' and ')}`, inStep > outStep ? 'properties.scaling_adjustment' : 'evaluation_periods')
            : compliant(g.template.location, p.name, `${p.name} removes ${inStep} per step over ${inWindow} s; scale-out adds ${outStep} over ${outWindow} s`),
        );
      }
    }
    return results;
  },
};
