export * from './connections';
export * from './network';
export * from './peer';
export * from './port';
export * from './security-group';
