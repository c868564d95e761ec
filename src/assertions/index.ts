export * from './match';
export * from './template';
export * from './annotations';
export { readOutputFolders, hotTemplatesOf, type HeatOutput, type TerraformOutput, type SynthOutput, type HotTemplateView, type Target } from './output';
