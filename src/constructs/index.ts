export * from './compute';
export * from './network';
export * from './loadbalancing';
export * from './services';
export * from './autoscaling';
export * from './patterns';
