import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { checkProps } from '../../core/props';
import { CACHE_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import { requireDefined, requireInstance, requireInt } from '../../core/validate';
import { Value } from '../../core/value';
import type { Server } from '../compute/server';
import { Connections, IConnectable } from '../network/connections';
import { Port } from '../network/port';
import { SecurityGroup } from '../network/security-group';
import { GeneratedPassword } from './generated-password';
import { createServiceServer, DISCOVER_PRIVATE_IP, ServiceBoot, ServiceHostProps, validateServiceHost } from './service-host';

/** The cache software. */
export class CacheEngine {
  /** Redis (`redis-server`), port 6379, with a generated password (`requirepass`). */
  public static redis(): CacheEngine {
    return new CacheEngine('redis', 6379, true);
  }

  /**
   * memcached, port 11211. memcached has no password: only the security group protects it, so
   * allow nothing but the servers that need it.
   */
  public static memcached(): CacheEngine {
    return new CacheEngine('memcached', 11211, false);
  }

  private constructor(
    /** `redis` or `memcached`. */
    public readonly name: 'redis' | 'memcached',
    /** The TCP port the engine listens on. */
    public readonly defaultPort: number,
    /** Whether clients authenticate with a password. */
    public readonly hasPassword: boolean,
  ) {}

  public toString(): string {
    return this.name;
  }
}

/** Properties of a `Cache`. */
export interface CacheProps extends ServiceHostProps {
  /** The cache software: `CacheEngine.redis()` or `CacheEngine.memcached()`. */
  readonly engine: CacheEngine;
  /**
   * Memory the cache may use, in MiB. When full, the least recently used entries are evicted
   * (Redis `maxmemory-policy allkeys-lru`; memcached always evicts that way).
   * @default - the package's default: Redis unlimited, memcached 64 MiB
   */
  readonly maxMemoryMiB?: number;
}

/**
 * A shared cache on a server of its own, for sessions and other data every web clone must see.
 * cloud-init installs the engine and binds it to the server's private address (and loopback);
 * Redis requires the generated password. No port is open until you say who may connect:
 *
 * @example
 * const cache = new Cache(this, 'Sessions', { engine: CacheEngine.redis(), image, flavor, networks: [net] });
 * cache.connections.allowDefaultPortFrom(webServers);
 * config.substitute('@@REDIS_HOST@@', cache.host).substitute('@@REDIS_PASSWORD@@', cache.password!);
 */
export class Cache extends Construct implements IConnectable {
  /** The cache's security group, with a default port: `connections.allowDefaultPortFrom(web)`. */
  public readonly connections: Connections;
  /** The engine. */
  public readonly engine: CacheEngine;
  /** The server running the cache. */
  public readonly server: Server;
  /** The security group of the server (no ingress rule until something is allowed). */
  public readonly securityGroup: SecurityGroup;
  /** The server's private IP address. */
  public readonly host: Value;
  /** The TCP port. */
  public readonly port: Value;
  /**
   * The Redis password, a secret (see `GeneratedPassword`); undefined for memcached, which has
   * no authentication.
   */
  public readonly password?: Value;
  /** The generated password (Terraform: the variable the user sets); undefined for memcached. */
  public readonly generatedPassword?: GeneratedPassword;

  constructor(scope: Construct, id: string, cacheProps: CacheProps) {
    super(scope, id);
    const props = checkProps(this, cacheProps, CACHE_PROPS, { fix: 'pass { engine, image, flavor, networks }' });
    requireDefined(this, 'engine', props.engine, 'use CacheEngine.redis() or CacheEngine.memcached()');
    requireInstance(this, 'engine', props.engine, CacheEngine, 'use CacheEngine.redis() or CacheEngine.memcached()');
    validateServiceHost(this, props);
    requireInt(this, 'maxMemoryMiB', props.maxMemoryMiB, 16, 1048576, 'MiB');
    this.engine = props.engine;

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', { description: fitName(`${props.engine.name} cache ${this.node.path}`, SERVICE_NAME_MAX_LENGTH) });
    this.connections = new Connections({ securityGroups: [this.securityGroup], defaultPort: Port.tcp(props.engine.defaultPort) });
    if (props.engine.hasPassword) {
      this.generatedPassword = new GeneratedPassword(this, 'Password', { purpose: fitName(`Redis cache ${this.node.path}`, SERVICE_NAME_MAX_LENGTH) });
      this.password = this.generatedPassword.value;
    }
    this.server = createServiceServer(this, 'Resource', props, this.securityGroup, this.boot(props.maxMemoryMiB));
    this.host = this.server.privateIp;
    this.port = Value.literal(props.engine.defaultPort);
  }

  private boot(maxMemoryMiB: number | undefined): ServiceBoot {
    if (this.engine.name === 'redis') {
      const memory = maxMemoryMiB === undefined ? '' : `\nmaxmemory ${maxMemoryMiB}mb\nmaxmemory-policy allkeys-lru`;
      return {
        packages: ['redis-server'],
        scriptName: 'scaleout-redis-setup',
        script: `${DISCOVER_PRIVATE_IP}
cat > /etc/redis/scaleout.conf <<EOF
bind $PRIVATE_IP 127.0.0.1
protected-mode yes
port ${this.engine.defaultPort}
requirepass @@REDIS_PASSWORD@@${memory}
EOF
chown redis:redis /etc/redis/scaleout.conf
chmod 0640 /etc/redis/scaleout.conf
grep -q '^include /etc/redis/scaleout.conf' /etc/redis/redis.conf || echo 'include /etc/redis/scaleout.conf' >> /etc/redis/redis.conf
systemctl enable redis-server
systemctl restart redis-server`,
        substitutions: [['@@REDIS_PASSWORD@@', this.password!]],
      };
    }
    const memory =
      maxMemoryMiB === undefined
        ? ''
        : `\nsed -i -e '/^-m /d' /etc/memcached.conf\nprintf '%s\\n' '-m ${maxMemoryMiB}' >> /etc/memcached.conf`;
    return {
      packages: ['memcached'],
      scriptName: 'scaleout-memcached-setup',
      script: `${DISCOVER_PRIVATE_IP}
sed -i -e '/^-l /d' -e '/^-p /d' -e '/^-U /d' /etc/memcached.conf
printf '%s\\n' "-l $PRIVATE_IP,127.0.0.1" '-p ${this.engine.defaultPort}' '-U 0' >> /etc/memcached.conf${memory}
systemctl enable memcached
systemctl restart memcached`,
    };
  }
}
