export * from './image';
export * from './key-pair';
export * from './placement';
export * from './server';
export * from './server-group';
export * from './user-data';
