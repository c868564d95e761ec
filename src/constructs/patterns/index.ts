export * from './api-tier';
export * from './scalable-web-app';
export * from './services-tier';
export * from './worker-scaling';
export * from './worker-tier';
