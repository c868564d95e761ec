export type { TerraformFinding, TerraformFindingCodeValue } from './findings';
export { TerraformFindingCode, formatFindings } from './findings';
export type { TerraformValidationOptions } from './validate-terraform-json';
export { TerraformValidationError, assertValidTerraformJson, validateTerraformJson } from './validate-terraform-json';
