export * from './image';
export * from './server';
export * from './user-data';
