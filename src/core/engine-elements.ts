/**
 * The markers cdktf and cdktn (same strings) put on their constructs, read without loading an
 * engine: the core and the Heat target tell engine elements apart by them.
 */
import type { IConstruct } from 'constructs';

const marker = (name: string) => Symbol.for(`cdktf/${name}`);

/** `TerraformStack`. */
export const TERRAFORM_STACK_SYMBOL = marker('TerraformStack');
/** Every Terraform element: resource, data source, provider, backend, variable, output, ... */
export const TERRAFORM_ELEMENT_SYMBOL = marker('TerraformElement');
/** `TerraformProvider`. */
export const TERRAFORM_PROVIDER_SYMBOL = marker('TerraformProvider');
/** `TerraformBackend`. */
export const TERRAFORM_BACKEND_SYMBOL = marker('TerraformBackend');
/** `TerraformOutput`. */
export const TERRAFORM_OUTPUT_SYMBOL = marker('TerraformOutput');
/** The engine's custom-synthesis hook (the one `TerraformAsset` uses). */
export const CUSTOM_SYNTHESIS_SYMBOL = marker('customSynthesis');

/** True when `x` carries `symbol` (an engine marker). */
export function hasMarker(x: unknown, symbol: symbol): x is IConstruct {
  return typeof x === 'object' && x !== null && symbol in x;
}
