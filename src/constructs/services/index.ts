export * from './cache';
export * from './database';
export * from './database-engine';
export * from './database-hosting';
export * from './generated-password';
export * from './message-queue';
export * from './object-container';
export * from './service-host';
export {
  DEFAULT_QUEUE_DEPTH_ARCHIVE_POLICY,
  DEFAULT_QUEUE_DEPTH_INTERVAL,
  QUEUE_DEPTH_PARAMETERS,
  QUEUE_DEPTH_RESOURCE_TYPE,
  queueDepthMetricName,
  queueDepthResourceIdOf,
} from './queue-depth-publisher';
