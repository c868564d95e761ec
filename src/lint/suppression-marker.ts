/**
 * Where policy suppressions are recorded in the construct tree. Kept free of imports so the
 * renderers can ask whether a stack has suppressions without loading the policy pack.
 */
import type { IConstruct } from 'constructs';

/** The construct-metadata type suppressions are recorded under. */
export const SUPPRESSION_METADATA_TYPE = 'scaleout:policy-suppress';

/** True when a policy suppression is recorded on `root` or below it (cheap: no rendering). */
export function hasSuppressions(root: IConstruct): boolean {
  return root.node.findAll().some((c) => c.node.metadata.some((m) => m.type === SUPPRESSION_METADATA_TYPE));
}
