export * from './core';
export * from './constructs';
export * from './stacks';
