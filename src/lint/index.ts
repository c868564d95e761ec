export * from './rule';
export { viewOf, hotResources, tfResources, scalingGroupsOf, symbolic, stepAt, isScaleIn, isScaleOut, alarmWindowSeconds, attrRefsIn } from './view';
export type { PolicyView, HotResourceRef, GroupRef, PolicyRef, AlarmRef } from './view';
export { poolMemberships, listenersOf, type PoolMembership, type ListenerRef } from './pools';
export {
  addSuppressionsToTerraformStack,
  heatSynthesisWithSuppressions,
  HOT_SUPPRESSIONS_RESOURCE,
  SUPPRESSION_METADATA_TYPE,
  TERRAFORM_SUPPRESSIONS_KEY,
  type PolicySuppression,
  type TerraformStackLike,
} from './suppressions';
export * from './pack';
export * from './aspect';
export * from './rules';
