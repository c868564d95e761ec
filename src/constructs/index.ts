export * from './compute';
export * from './network';
