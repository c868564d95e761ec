export * from './cache';
export * from './database';
export * from './database-engine';
export * from './database-hosting';
export * from './generated-password';
export * from './message-queue';
export * from './object-container';
export * from './service-host';
