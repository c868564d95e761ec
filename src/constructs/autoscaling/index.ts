export * from './alarm';
export * from './auto-scaling-group';
export * from './metric';
export * from './scaling-policy';
export * from './scaling-rules';
export * from './target-tracking';
export type { OsAodhPrometheusAlarmProps } from './prometheus-alarm-l1';
export type { ReadinessOptions } from './readiness';
export { DEFAULT_READINESS_TIMEOUT } from './readiness';
