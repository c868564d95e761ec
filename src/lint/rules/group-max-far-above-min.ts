/** group-max-far-above-min: a group's max is within `maxToMinRatio` × max(min, 1). */
import { compliant, nonCompliant, type PolicyRule } from '../rule';
import { scalingGroupsOf } from '../view';

export const groupMaxFarAboveMin: PolicyRule = {
  id: 'group-max-far-above-min',
  level: 'warning',
  summary: 'A group\'s max size is at most 10 × its min size (the ratio is an option)',
  why: 'A max far above the min is rarely what capacity planning meant: it lets one bad signal multiply the bill and the load on shared services (database connections, queue consumers) before anyone looks.',
  evaluate(view, options) {
    return scalingGroupsOf(view)
      .filter((g) => g.maxSize !== undefined)
      .map((g) => {
        const base = Math.max(g.minSize ?? 0, 1);
        return g.maxSize! > options.maxToMinRatio * base
          ? nonCompliant(g.template.location, g.name, `max_size ${g.maxSize} is more than ${options.maxToMinRatio} × ${base} (min_size ${g.minSize ?? '?'})`, 'properties.max_size')
          : compliant(g.template.location, g.name, `max_size ${g.maxSize} for min_size ${g.minSize ?? '?'}`);
      });
  },
};
