export * from './rule';
export * from './view';
export * from './pools';
export * from './suppressions';
export * from './pack';
export * from './aspect';
export * from './rules';
