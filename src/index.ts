export { useEngine, engineName } from './engine';
export * from './core';
export * from './constructs';
export * from './stacks';
export * from './validation/heat';
export * from './validation/terraform';
export * from './assertions';
export * from './lint';
