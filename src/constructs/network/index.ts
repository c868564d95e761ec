export * from './connections';
export * from './floating-ip';
export * from './network';
export * from './peer';
export * from './port';
export * from './security-group';
