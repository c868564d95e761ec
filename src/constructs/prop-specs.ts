import { checkedByConstructor, PropSpec } from '../core/props';
import { imageCheck, flavorCheck, keyPairCheck, metadataCheck, securityGroupsCheck, userDataCheck } from './checks';
import type { CacheProps } from './services/cache';
import type { DatabaseProps } from './services/database';
import type { ExistingFloatingIpProps } from './network/floating-ip';
import type { FloatingIpProps } from './network/floating-ip';
import type { GeneratedPasswordProps } from './services/generated-password';
import type { HealthMonitorProps } from './loadbalancing/health-monitor';
import type { KeyPairProps } from './compute/key-pair';
import type { ListenerProps } from './loadbalancing/listener';
import type { LoadBalancerProps } from './loadbalancing/load-balancer';
import type { MessageQueueProps } from './services/message-queue';
import type { ObjectContainerProps } from './services/object-container';
import type { PoolProps } from './loadbalancing/pool';
import type { SecurityGroupProps } from './network/security-group';
import type { ServerGroupProps } from './compute/server-group';
import type { ServerProps } from './compute/server';
import type { VirtualNetworkProps } from './network/network';

import type { ServicesTierProps } from './patterns/services-tier';
import type { ApiTierProps } from './patterns/api-tier';
import type { WorkerTierProps } from './patterns/worker-tier';
import type { ScalableWebAppProps } from './patterns/scalable-web-app';
/**
 * The prop specs of the constructs outside autoscaling (see `src/core/props.ts`). Every prop is
 * listed (TypeScript refuses a spec that misses one), so each constructor reads only own
 * properties and refuses unknown keys; props with a shared check (image, flavor, key pair, user
 * data, metadata, security groups) are type-checked here, the others by the constructor's own
 * checks right after (`checkedByConstructor`).
 */

/** `ServerGroup` props. */
export const SERVER_GROUP_PROPS: PropSpec<ServerGroupProps> = {
  policy: checkedByConstructor,
  serverGroupName: checkedByConstructor,
};

/** `Server` props. */
export const SERVER_PROPS: PropSpec<ServerProps> = {
  image: imageCheck,
  flavor: flavorCheck,
  networks: checkedByConstructor,
  keyName: checkedByConstructor,
  keyPair: keyPairCheck,
  serverGroup: checkedByConstructor,
  bootVolume: checkedByConstructor,
  securityGroups: securityGroupsCheck,
  userData: userDataCheck,
  metadata: metadataCheck,
  serverName: checkedByConstructor,
};

/** `KeyPair` props. */
export const KEY_PAIR_PROPS: PropSpec<KeyPairProps> = {
  publicKey: checkedByConstructor,
  keyPairName: checkedByConstructor,
};

/** `LoadBalancer` props. */
export const LOAD_BALANCER_PROPS: PropSpec<LoadBalancerProps> = {
  vipSubnet: checkedByConstructor,
  vipAddress: checkedByConstructor,
  provider: checkedByConstructor,
  flavorName: checkedByConstructor,
  memberAccessPeer: checkedByConstructor,
  loadBalancerName: checkedByConstructor,
  description: checkedByConstructor,
};

/** `Listener` props. */
export const LISTENER_PROPS: PropSpec<ListenerProps> = {
  loadBalancer: checkedByConstructor,
  protocol: checkedByConstructor,
  port: checkedByConstructor,
  connectionLimit: checkedByConstructor,
  allowedCidrs: checkedByConstructor,
  allowPublicAccessToSensitivePort: checkedByConstructor,
  listenerName: checkedByConstructor,
  description: checkedByConstructor,
};

/** `HealthMonitor` props. */
export const HEALTH_MONITOR_PROPS: PropSpec<HealthMonitorProps> = {
  pool: checkedByConstructor,
  type: checkedByConstructor,
  delay: checkedByConstructor,
  timeout: checkedByConstructor,
  maxRetries: checkedByConstructor,
  maxRetriesDown: checkedByConstructor,
  urlPath: checkedByConstructor,
  expectedCodes: checkedByConstructor,
  httpMethod: checkedByConstructor,
};

/** `Pool` props. */
export const POOL_PROPS: PropSpec<PoolProps> = {
  listener: checkedByConstructor,
  protocol: checkedByConstructor,
  algorithm: checkedByConstructor,
  sessionPersistence: checkedByConstructor,
  memberSubnet: checkedByConstructor,
  poolName: checkedByConstructor,
  description: checkedByConstructor,
};

/** `ObjectContainer` props. */
export const OBJECT_CONTAINER_PROPS: PropSpec<ObjectContainerProps> = {
  containerName: checkedByConstructor,
  publicRead: checkedByConstructor,
  publicListing: checkedByConstructor,
  versioned: checkedByConstructor,
  purgeOnDelete: checkedByConstructor,
};

/** `MessageQueue` props. */
export const MESSAGE_QUEUE_PROPS: PropSpec<MessageQueueProps> = {
  vhost: checkedByConstructor,
  username: checkedByConstructor,
  image: imageCheck,
  flavor: flavorCheck,
  networks: checkedByConstructor,
  keyName: checkedByConstructor,
  keyPair: keyPairCheck,
};

/** `Database` props. */
export const DATABASE_PROPS: PropSpec<DatabaseProps> = {
  engine: checkedByConstructor,
  hosting: checkedByConstructor,
  databaseName: checkedByConstructor,
  username: checkedByConstructor,
};

/** `Cache` props. */
export const CACHE_PROPS: PropSpec<CacheProps> = {
  engine: checkedByConstructor,
  maxMemoryMiB: checkedByConstructor,
  image: imageCheck,
  flavor: flavorCheck,
  networks: checkedByConstructor,
  keyName: checkedByConstructor,
  keyPair: keyPairCheck,
};

/** `GeneratedPassword` props. */
export const GENERATED_PASSWORD_PROPS: PropSpec<GeneratedPasswordProps> = {
  purpose: checkedByConstructor,
  length: checkedByConstructor,
};

/** `FloatingIp` props. */
export const FLOATING_IP_PROPS: PropSpec<FloatingIpProps> = {
  externalNetworkName: checkedByConstructor,
};

/** `ExistingFloatingIp` props. */
export const EXISTING_FLOATING_IP_PROPS: PropSpec<ExistingFloatingIpProps> = {
  address: checkedByConstructor,
  floatingIpId: checkedByConstructor,
};

/** `SecurityGroup` props. */
export const SECURITY_GROUP_PROPS: PropSpec<SecurityGroupProps> = {
  securityGroupName: checkedByConstructor,
  description: checkedByConstructor,
  allowAllOutbound: checkedByConstructor,
  allowMetadataService: checkedByConstructor,
};

/** `VirtualNetwork` props. */
export const VIRTUAL_NETWORK_PROPS: PropSpec<VirtualNetworkProps> = {
  externalNetworkName: checkedByConstructor,
  cidr: checkedByConstructor,
  networkName: checkedByConstructor,
  dnsNameservers: checkedByConstructor,
  gatewayIp: checkedByConstructor,
  enableDhcp: checkedByConstructor,
  allocationPools: checkedByConstructor,
};

/** `ServicesTier` props. */
export const SERVICES_TIER_PROPS: PropSpec<ServicesTierProps> = {
  image: checkedByConstructor,
  flavor: checkedByConstructor,
  networks: checkedByConstructor,
  keyPair: checkedByConstructor,
  allowFrom: checkedByConstructor,
  databaseEngine: checkedByConstructor,
  databaseName: checkedByConstructor,
  databaseUsername: checkedByConstructor,
  databaseReadReplicas: checkedByConstructor,
  databasePlacement: checkedByConstructor,
  databaseFlavor: checkedByConstructor,
  messageQueue: checkedByConstructor,
  messageQueueFlavor: checkedByConstructor,
  cacheEngine: checkedByConstructor,
  cacheMaxMemoryMiB: checkedByConstructor,
  cacheFlavor: checkedByConstructor,
  objectContainer: checkedByConstructor,
};

/** `ApiTier` props. */
export const API_TIER_PROPS: PropSpec<ApiTierProps> = {
  image: checkedByConstructor,
  flavor: checkedByConstructor,
  subnet: checkedByConstructor,
  externalNetworkName: checkedByConstructor,
  services: checkedByConstructor,
  maxSize: checkedByConstructor,
  minSize: checkedByConstructor,
  protocol: checkedByConstructor,
  port: checkedByConstructor,
  serverPort: checkedByConstructor,
  healthCheckPath: checkedByConstructor,
  allowedCidrs: checkedByConstructor,
  allowInternalClients: checkedByConstructor,
  algorithm: checkedByConstructor,
  scaleOutAbovePercent: checkedByConstructor,
  scaleInBelowPercent: checkedByConstructor,
  scaleOutBy: checkedByConstructor,
  scaleInBy: checkedByConstructor,
  cpuAlarmsPerMember: checkedByConstructor,
  evaluationPeriods: checkedByConstructor,
  cooldown: checkedByConstructor,
  drainTime: checkedByConstructor,
  cloudConfig: checkedByConstructor,
  serviceAccess: checkedByConstructor,
  keyPair: checkedByConstructor,
  memberAccessPeer: checkedByConstructor,
  outputPrefix: checkedByConstructor,
  placement: checkedByConstructor,
  readiness: checkedByConstructor,
  autohealing: checkedByConstructor,
  allowAllOutbound: checkedByConstructor,
};

/** `WorkerTier` props. */
export const WORKER_TIER_PROPS: PropSpec<WorkerTierProps> = {
  image: checkedByConstructor,
  flavor: checkedByConstructor,
  networks: checkedByConstructor,
  services: checkedByConstructor,
  maxSize: checkedByConstructor,
  minSize: checkedByConstructor,
  scaling: checkedByConstructor,
  cooldown: checkedByConstructor,
  cloudConfig: checkedByConstructor,
  serviceAccess: checkedByConstructor,
  keyPair: checkedByConstructor,
  placement: checkedByConstructor,
  readiness: checkedByConstructor,
};

/** `ScalableWebApp` props. */
export const SCALABLE_WEB_APP_PROPS: PropSpec<ScalableWebAppProps> = {
  image: checkedByConstructor,
  flavor: checkedByConstructor,
  externalNetworkName: checkedByConstructor,
  cidr: checkedByConstructor,
  subnet: checkedByConstructor,
  keyPair: checkedByConstructor,
  services: checkedByConstructor,
  api: checkedByConstructor,
  workers: checkedByConstructor,
};
