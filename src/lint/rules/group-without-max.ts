/** group-without-max: every autoscaling group has a literal max size. */
import { compliant, nonCompliant, type PolicyRule } from '../rule';
import { scalingGroupsOf } from '../view';

export const groupWithoutMax: PolicyRule = {
  id: 'group-without-max',
  level: 'error',
  summary: 'Every autoscaling group has a max size',
  why: 'Without a cap a runaway alarm (a load test, a loop, a noisy metric) keeps adding servers until the quota or the budget runs out.',
  evaluate(view) {
    return scalingGroupsOf(view).map((g) =>
      g.maxSize === undefined
        ? nonCompliant(g.template.location, g.name, `max_size is ${g.def.properties?.max_size === undefined ? 'missing' : `not a literal number (${JSON.stringify(g.def.properties.max_size)})`}`, 'properties.max_size')
        : compliant(g.template.location, g.name, `max_size ${g.maxSize}`),
    );
  },
};
