export * from './synthesis';
export * from './facts';
export * from './replacement';
export * from './behaviour';
export * from './structure';
export * from './diff';
export * from './git';
