export * from './heat/heat-synthesizer';
export * from './terraform/terraform-synthesizer';
import './terraform/native';
