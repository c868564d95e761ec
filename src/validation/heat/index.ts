export { validateHot, assertValidHot, DEFAULT_HEAT_RELEASE } from './validate-hot';
export type { HotValidationInput } from './validate-hot';
export { HotFindingCode, HotValidationError, formatFinding } from './findings';
export type { HotFinding, HotFindingCodeValue } from './findings';
export { availableHeatReleases } from './heat-release';
export { localCustomConstraintNames } from './custom-constraints';
