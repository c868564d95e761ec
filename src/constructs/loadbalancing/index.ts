export * from './health-monitor';
export * from './listener';
export * from './load-balancer';
export * from './pool';
export * from './pool-ref';
