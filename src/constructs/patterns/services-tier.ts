import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { checkProps } from '../../core/props';
import { SERVICES_TIER_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { requireDefined, requireInstance } from '../../core/validate';
import { Value } from '../../core/value';
import type { Flavor, Image } from '../compute/image';
import type { IKeyPair } from '../compute/key-pair';
import { CloudConfig } from '../compute/user-data';
import type { Placement } from '../compute/placement';
import { Connections, type IConnectable } from '../network/connections';
import type { INetwork } from '../network/network';
import { Cache, CacheEngine } from '../services/cache';
import { Database } from '../services/database';
import { DatabaseEngine } from '../services/database-engine';
import { DatabaseHosting } from '../services/database-hosting';
import { MessageQueue } from '../services/message-queue';
import { ObjectContainer, ObjectContainerProps } from '../services/object-container';

/**
 * Placeholders `ServicesTier.substituteInto` replaces in a cloud-init document by the services'
 * deploy-time values (addresses, names, generated passwords): write them where the application's
 * configuration needs them, e.g. `postgresql://@@DB_USER@@:@@DB_PASSWORD@@@@@DB_HOST@@/@@DB_NAME@@`.
 */
export const SERVICE_PLACEHOLDERS = {
  /** The database primary's private address. */
  DB_HOST: '@@DB_HOST@@',
  /** The database port (3306 or 5432). */
  DB_PORT: '@@DB_PORT@@',
  /** The application database's name. */
  DB_NAME: '@@DB_NAME@@',
  /** The application user. */
  DB_USER: '@@DB_USER@@',
  /** The application user's generated password (a secret). */
  DB_PASSWORD: '@@DB_PASSWORD@@',
  /** The read replicas' addresses, comma-separated; the primary's address when there is no replica. */
  DB_READ_HOSTS: '@@DB_READ_HOSTS@@',
  /** The RabbitMQ server's private address. */
  MQ_HOST: '@@MQ_HOST@@',
  /** The AMQP port (5672). */
  MQ_PORT: '@@MQ_PORT@@',
  /** The RabbitMQ virtual host. */
  MQ_VHOST: '@@MQ_VHOST@@',
  /** The RabbitMQ user. */
  MQ_USER: '@@MQ_USER@@',
  /** The RabbitMQ user's generated password (a secret). */
  MQ_PASSWORD: '@@MQ_PASSWORD@@',
  /** The cache server's private address. */
  CACHE_HOST: '@@CACHE_HOST@@',
  /** The cache port (6379 or 11211). */
  CACHE_PORT: '@@CACHE_PORT@@',
  /** The Redis password (a secret); memcached has none. */
  CACHE_PASSWORD: '@@CACHE_PASSWORD@@',
  /** The Swift container's name. */
  CONTAINER_NAME: '@@CONTAINER_NAME@@',
} as const;

/** Which services of a `ServicesTier` a tier may reach (each only when the services tier runs it). */
export interface ServiceAccessOptions {
  /**
   * Open the database port.
   * @default true
   */
  readonly database?: boolean;
  /**
   * Open the AMQP port of the message queue.
   * @default true
   */
  readonly messageQueue?: boolean;
  /**
   * Open the cache port.
   * @default true
   */
  readonly cache?: boolean;
}

type ServiceKey = keyof ServiceAccessOptions;

/** The service whose port a placeholder's value is useless without (none for the container, reached over Swift's API). */
function serviceOfPlaceholder(placeholder: string): ServiceKey | undefined {
  if (placeholder.startsWith('@@DB_')) return 'database';
  if (placeholder.startsWith('@@MQ_')) return 'messageQueue';
  if (placeholder.startsWith('@@CACHE_')) return 'cache';
  return undefined;
}

/** What a services tier holds besides where it runs (the part `ScalableWebApp` lets you override). */
export interface ServicesTierOptions {
  /**
   * The database engine.
   * @default DatabaseEngine.postgresql()
   */
  readonly databaseEngine?: DatabaseEngine;
  /**
   * The application's database.
   * @default 'app'
   */
  readonly databaseName?: string;
  /**
   * The application's database user.
   * @default 'app'
   */
  readonly databaseUsername?: string;
  /**
   * Read replicas of the database (0 to 5), each on its own server; readers find them in
   * `@@DB_READ_HOSTS@@`.
   * @default 0
   */
  readonly databaseReadReplicas?: number;
  /**
   * With read replicas, where Nova places the database's primary and replicas relative to each
   * other (see `DatabaseServerHostingProps.placement`).
   * @default Placement.spread() - across hypervisors when Nova can
   */
  readonly databasePlacement?: Placement;
  /**
   * Flavor of the database servers (the database is usually the tier's largest server).
   * @default - the tier's `flavor`
   */
  readonly databaseFlavor?: Flavor;
  /**
   * Run a RabbitMQ broker, where API servers put tasks and workers take them.
   * @default true
   */
  readonly messageQueue?: boolean;
  /**
   * Flavor of the RabbitMQ server.
   * @default - the tier's `flavor`
   */
  readonly messageQueueFlavor?: Flavor;
  /**
   * Run a shared cache (sessions, computed pages) with this engine.
   * @default - no cache
   */
  readonly cacheEngine?: CacheEngine;
  /**
   * Memory of the cache in MiB (least recently used entries are evicted when full).
   * @default - the engine package's default (Redis unlimited, memcached 64 MiB)
   */
  readonly cacheMaxMemoryMiB?: number;
  /**
   * Flavor of the cache server.
   * @default - the tier's `flavor`
   */
  readonly cacheFlavor?: Flavor;
  /**
   * Create a Swift container for files every server must see (uploads, generated images); pass
   * `{}` for one with the default name.
   * @default - no container
   */
  readonly objectContainer?: ObjectContainerProps;
}

/** Properties of a `ServicesTier`. */
export interface ServicesTierProps extends ServicesTierOptions {
  /** Image of the service servers: Debian or Ubuntu with cloud-init (services are installed with apt). */
  readonly image: Image;
  /** Flavor of the service servers (each service can override it). */
  readonly flavor: Flavor;
  /** Networks of the service servers; clients reach the services on the first one. */
  readonly networks: INetwork[];
  /**
   * Key pair for SSH access to the service servers (SSH itself stays closed until you allow it).
   * @default - no key pair
   */
  readonly keyPair?: IKeyPair;
  /**
   * Tiers (anything with security groups) allowed to reach every service's port now; more with
   * `allowFrom`. Tiers that take the services as a prop (`ApiTier`, `WorkerTier`) allow themselves.
   * @default - none: no service port is open
   */
  readonly allowFrom?: IConnectable[];
}

/**
 * The stateful back end of a scale-out application, each service on its own server(s) and in
 * its own security group: a `Database` (with optional read replicas), a RabbitMQ `MessageQueue`,
 * optionally a `Cache` and a Swift `ObjectContainer`. Nothing is reachable until a tier is let in
 * with `allowFrom(tier)`: that adds, on each service's group, exactly one ingress rule for the
 * service's port whose remote group is the tier's security group (never a CIDR).
 *
 * Applications find the services through placeholders (`SERVICE_PLACEHOLDERS`) that
 * `substituteInto(config)` replaces with deploy-time values.
 *
 * @example
 * const services = new ServicesTier(this, 'Services', { image, flavor, networks: [net.network], cacheEngine: CacheEngine.redis() });
 * services.allowFrom(apiTier.group);
 */
export class ServicesTier extends Construct {
  /** The database. */
  public readonly database: Database;
  /** The RabbitMQ broker (undefined with `messageQueue: false`). */
  public readonly messageQueue?: MessageQueue;
  /** The cache (undefined without `cacheEngine`). */
  public readonly cache?: Cache;
  /** The Swift container (undefined without `objectContainer`). */
  public readonly objectContainer?: ObjectContainer;
  private readonly allowed: IConnectable[] = [];

  constructor(scope: Construct, id: string, props: ServicesTierProps) {
    super(scope, id);
    props = checkProps(this, props, SERVICES_TIER_PROPS, { fix: 'pass { image, flavor, networks }' });
    requireDefined(this, 'image', props?.image, "use Image.fromName('ubuntu-22.04')");
    requireDefined(this, 'flavor', props.flavor, "use Flavor.fromName('m1.medium', { vcpus: 2 })");
    if (!Array.isArray(props.networks) || props.networks.length === 0) {
      throw propError(this, ErrorCode.REQUIRED, 'networks', props.networks, 'must list at least one network', 'pass the network the application servers are on');
    }
    if (props.messageQueue !== undefined && typeof props.messageQueue !== 'boolean') {
      throw propError(this, ErrorCode.FORMAT, 'messageQueue', props.messageQueue, 'must be true or false', 'pass messageQueue: false to run no broker');
    }
    if (props.cacheEngine === undefined && props.cacheMaxMemoryMiB !== undefined) {
      throw propError(this, ErrorCode.CONFLICT, 'cacheMaxMemoryMiB', props.cacheMaxMemoryMiB, "needs 'cacheEngine'", 'add cacheEngine: CacheEngine.redis(), or drop cacheMaxMemoryMiB');
    }
    const host = (flavor: Flavor | undefined) => ({ image: props.image, flavor: flavor ?? props.flavor, networks: props.networks, keyPair: props.keyPair });
    this.database = new Database(this, 'Database', {
      engine: props.databaseEngine ?? DatabaseEngine.postgresql(),
      databaseName: props.databaseName ?? 'app',
      username: props.databaseUsername ?? 'app',
      hosting: DatabaseHosting.server({ ...host(props.databaseFlavor), readReplicas: props.databaseReadReplicas, placement: props.databasePlacement }),
    });
    if (props.messageQueue ?? true) {
      this.messageQueue = new MessageQueue(this, 'Queue', host(props.messageQueueFlavor));
    }
    if (props.cacheEngine !== undefined) {
      this.cache = new Cache(this, 'Cache', { ...host(props.cacheFlavor), engine: props.cacheEngine, maxMemoryMiB: props.cacheMaxMemoryMiB });
    }
    if (props.objectContainer !== undefined) {
      this.objectContainer = new ObjectContainer(this, 'Files', props.objectContainer);
    }
    for (const tier of props.allowFrom ?? []) this.allowFrom(tier);
  }

  /** The services that listen on a port, with what they are called in rule descriptions. */
  private get listeners(): Array<{ key: ServiceKey; service: IConnectable; what: string }> {
    const out: Array<{ key: ServiceKey; service: IConnectable; what: string }> = [{ key: 'database', service: this.database, what: `${this.database.engine.family} database` }];
    if (this.messageQueue) out.push({ key: 'messageQueue', service: this.messageQueue, what: 'RabbitMQ' });
    if (this.cache) out.push({ key: 'cache', service: this.cache, what: `${this.cache.engine.name} cache` });
    return out;
  }

  /** Checks `access` and returns, per service, whether it is granted. */
  private granted(access: ServiceAccessOptions | undefined, prop: string): (key: ServiceKey) => boolean {
    const a = access ?? {};
    for (const key of ['database', 'messageQueue', 'cache'] as const) {
      if (a[key] !== undefined && typeof a[key] !== 'boolean') {
        throw propError(this, ErrorCode.FORMAT, `${prop}.${key}`, a[key], 'must be true or false', `pass ${key}: false to keep the port closed`);
      }
    }
    const isGranted = (key: ServiceKey) => a[key] ?? true;
    if (!this.listeners.some((l) => isGranted(l.key))) {
      throw propError(this, ErrorCode.CONFLICT, prop, a, 'grants no service this tier runs, so it would open nothing', 'grant at least one of the services, or do not connect the tier');
    }
    return isGranted;
  }

  /**
   * Lets the members of `tier` reach the services on their ports (database, queue, cache; all of
   * them unless `access` says otherwise): one remote-group rule per service, on that service's
   * security group. Granting the same again adds nothing.
   */
  public allowFrom(tier: IConnectable, access?: ServiceAccessOptions): void {
    requireDefined(this, 'tier', tier, 'pass the tier (or its AutoScalingGroup) whose servers use the services');
    const connections = (tier as Partial<IConnectable>).connections;
    if (!(connections instanceof Connections)) {
      throw propError(this, ErrorCode.ENUM, 'tier', Construct.isConstruct(tier) ? tier.node.path : tier, 'must be a tier or group with security groups (an ApiTier, a WorkerTier, an AutoScalingGroup, a Server)', 'pass the construct itself');
    }
    if (tier.connections?.securityGroups?.length === 0) {
      throw usageError(this, ErrorCode.USAGE, 'allowFrom', 'needs a tier with a security group: services are opened to security groups, never to addresses');
    }
    const isGranted = this.granted(access, 'access');
    for (const { key, service, what } of this.listeners) {
      if (isGranted(key)) service.connections.allowDefaultPortFrom(tier, { description: fitName(`${what} from ${describeTier(tier)}`, SERVICE_NAME_MAX_LENGTH) });
    }
    if (!this.allowed.includes(tier)) this.allowed.push(tier);
  }

  /** The tiers let in so far, in order. */
  public get allowedTiers(): IConnectable[] {
    return [...this.allowed];
  }

  /**
   * Every placeholder this tier can fill (see `SERVICE_PLACEHOLDERS`), with its deploy-time value.
   * Services the tier does not run have no entry.
   */
  public get endpoints(): ReadonlyMap<string, Value> {
    const db = this.database;
    const P = SERVICE_PLACEHOLDERS;
    const map = new Map<string, Value>([
      [P.DB_HOST, db.host],
      [P.DB_PORT, db.port],
      [P.DB_NAME, Value.literal(db.databaseName)],
      [P.DB_USER, Value.literal(db.username)],
      [P.DB_PASSWORD, db.password],
      [P.DB_READ_HOSTS, joinValues(db.replicaHosts.length > 0 ? db.replicaHosts : [db.host], `read hosts of ${db.node.path}`)],
    ]);
    const mq = this.messageQueue;
    if (mq) {
      map.set(P.MQ_HOST, mq.host).set(P.MQ_PORT, mq.port).set(P.MQ_VHOST, Value.literal(mq.vhost)).set(P.MQ_USER, Value.literal(mq.username)).set(P.MQ_PASSWORD, mq.password);
    }
    const cache = this.cache;
    if (cache) {
      map.set(P.CACHE_HOST, cache.host).set(P.CACHE_PORT, cache.port);
      if (cache.password) map.set(P.CACHE_PASSWORD, cache.password);
    }
    if (this.objectContainer) map.set(P.CONTAINER_NAME, this.objectContainer.containerName);
    return map;
  }

  /**
   * Replaces, in `config`, every `SERVICE_PLACEHOLDERS` entry it holds by the service's value
   * (`str_replace` in Heat, an interpolation in Terraform). Call it once the document is
   * complete: placeholders added afterwards stay as they are. Throws when the document uses a
   * placeholder of a service this tier does not run, or one `access` does not grant (the servers
   * could not reach it).
   */
  public substituteInto(config: CloudConfig, access?: ServiceAccessOptions): CloudConfig {
    requireDefined(this, 'config', config, 'pass the CloudConfig of the servers that use the services');
    requireInstance(this, 'config', config, CloudConfig, 'pass new CloudConfig()... of the servers that use the services');
    const isGranted = this.granted(access, 'access');
    const text = config.render();
    const endpoints = this.endpoints;
    for (const placeholder of Object.values(SERVICE_PLACEHOLDERS)) {
      if (!text.includes(placeholder)) continue;
      const service = serviceOfPlaceholder(placeholder);
      if (service !== undefined && !isGranted(service)) {
        throw usageError(
          this,
          ErrorCode.CONFLICT,
          'substituteInto',
          `was given a document that uses ${placeholder}, but the servers are not granted the ${service} (access.${service} is false); grant it or remove the placeholder`,
        );
      }
      const value = endpoints.get(placeholder);
      if (value === undefined) {
        throw usageError(
          this,
          ErrorCode.USAGE,
          'substituteInto',
          `was given a document that uses ${placeholder}, but the tier runs no such service; enable it (messageQueue, cacheEngine, objectContainer) or remove the placeholder`,
        );
      }
      config.substitute(placeholder, value);
    }
    return config;
  }
}

/** A short name of a tier for rule descriptions: its construct path, or what it is. */
function describeTier(tier: IConnectable): string {
  const node = (tier as Partial<Construct>).node;
  return node ? `members of ${node.path}` : String(tier);
}

/** Several values joined by commas, in both targets. */
function joinValues(values: Value[], description: string): Value {
  if (values.length === 1) return values[0];
  return Value.of(
    (ctx) => ({ list_join: [',', values.map((v) => v._heat(ctx))] }),
    (ctx) => values.map((v) => String(v._terraform(ctx))).join(','),
    description,
  );
}
