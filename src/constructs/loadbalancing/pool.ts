import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { arg, checkProps, optionsObject } from '../../core/props';
import { POOL_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import type { LbPoolV2 } from '../../../.gen/providers/openstack/lb-pool-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { Resource } from '../../core/resource';
import { requireConstructOf, requireDefined, requireInstance, requireInt, requireName, requireObject } from '../../core/validate';
import type { Server } from '../compute/server';
import type { IConnectable } from '../network/connections';
import type { ISubnet } from '../network/network';
import { Port } from '../network/port';
import { HealthMonitor, HealthMonitorOptions } from './health-monitor';
import type { Listener } from './listener';
import { LoadBalancerProvider } from './load-balancer';
import type { IPool } from './pool-ref';
import { L1 } from '../../stacks/terraform/l1';

/** The protocol between the load balancer and the members. */
export class PoolProtocol {
  /** Plain HTTP. */
  public static readonly HTTP = new PoolProtocol('HTTP', 'tcp');
  /** HTTPS passed through (the members terminate TLS). */
  public static readonly HTTPS = new PoolProtocol('HTTPS', 'tcp');
  /** Plain TCP. */
  public static readonly TCP = new PoolProtocol('TCP', 'tcp');
  /** TCP with a PROXY protocol (v1) header carrying the client's address. */
  public static readonly PROXY = new PoolProtocol('PROXY', 'tcp');
  /** Plain UDP. */
  public static readonly UDP = new PoolProtocol('UDP', 'udp');

  private constructor(
    /** The Octavia protocol name. */
    public readonly name: 'HTTP' | 'HTTPS' | 'TCP' | 'PROXY' | 'UDP',
    /** The transport members listen on. */
    public readonly transport: 'tcp' | 'udp',
  ) {}

  /** The security group port members open for this protocol. */
  public memberPort(port: number): Port {
    return this.transport === 'udp' ? Port.udp(port) : Port.tcp(port);
  }

  public toString(): string {
    return this.name;
  }
}

/** Pool protocols Octavia accepts behind each listener protocol. */
const POOL_PROTOCOLS_BY_LISTENER: Record<string, readonly string[]> = {
  HTTP: ['HTTP', 'PROXY'],
  HTTPS: ['HTTPS', 'TCP', 'PROXY'],
  TCP: ['HTTP', 'HTTPS', 'TCP', 'PROXY'],
  TERMINATED_HTTPS: ['HTTP', 'PROXY'],
  UDP: ['UDP'],
};

/** The pool protocol used when none is given: the listener's, HTTP behind TERMINATED_HTTPS. */
const DEFAULT_POOL_PROTOCOL: Record<string, PoolProtocol> = {
  HTTP: PoolProtocol.HTTP,
  HTTPS: PoolProtocol.HTTPS,
  TCP: PoolProtocol.TCP,
  TERMINATED_HTTPS: PoolProtocol.HTTP,
  UDP: PoolProtocol.UDP,
};

/** How the load balancer picks a member for a new connection. */
export class LbAlgorithm {
  /** Each member in turn. */
  public static readonly ROUND_ROBIN = new LbAlgorithm('ROUND_ROBIN');
  /** The member with the fewest open connections. */
  public static readonly LEAST_CONNECTIONS = new LbAlgorithm('LEAST_CONNECTIONS');
  /** A hash of the client address: a client keeps its member while the pool is unchanged. */
  public static readonly SOURCE_IP = new LbAlgorithm('SOURCE_IP');
  /** A hash of the client address and port: the only algorithm of the OVN provider. */
  public static readonly SOURCE_IP_PORT = new LbAlgorithm('SOURCE_IP_PORT');

  private constructor(
    /** The Octavia name. */
    public readonly name: 'ROUND_ROBIN' | 'LEAST_CONNECTIONS' | 'SOURCE_IP' | 'SOURCE_IP_PORT',
  ) {}

  public toString(): string {
    return this.name;
  }
}

/** Keeps a client on the same member across connections. */
export class SessionPersistence {
  /** By client address (works for every protocol). */
  public static sourceIp(): SessionPersistence {
    return new SessionPersistence('SOURCE_IP');
  }

  /** By a cookie the load balancer inserts (needs an HTTP or TERMINATED_HTTPS listener). */
  public static httpCookie(): SessionPersistence {
    return new SessionPersistence('HTTP_COOKIE');
  }

  /**
   * By a cookie the application sets (needs an HTTP or TERMINATED_HTTPS listener).
   * @param cookieName the application's cookie, e.g. `JSESSIONID`
   */
  public static appCookie(cookieName: string): SessionPersistence {
    return new SessionPersistence('APP_COOKIE', cookieName);
  }

  private constructor(
    /** The Octavia type. */
    public readonly type: 'SOURCE_IP' | 'HTTP_COOKIE' | 'APP_COOKIE',
    /** The application cookie name (APP_COOKIE only). */
    public readonly cookieName?: string,
  ) {}

  public toString(): string {
    return this.cookieName ? `${this.type}(${this.cookieName})` : this.type;
  }
}

/** Options of a pool added with `listener.addPool`. */
export interface PoolOptions {
  /**
   * The protocol between the load balancer and the members.
   * @default - the listener's protocol (HTTP behind a TERMINATED_HTTPS listener)
   */
  readonly protocol?: PoolProtocol;
  /**
   * How members are picked.
   * @default - LbAlgorithm.ROUND_ROBIN (LbAlgorithm.SOURCE_IP_PORT with the OVN provider, its only one)
   */
  readonly algorithm?: LbAlgorithm;
  /**
   * Keeps a client on one member.
   * @default - none (every connection is balanced on its own)
   */
  readonly sessionPersistence?: SessionPersistence;
  /**
   * The subnet members are addressed on. Octavia plugs the load balancer into it when it differs
   * from the VIP subnet.
   * @default - the load balancer's VIP subnet
   */
  readonly memberSubnet?: ISubnet;
  /**
   * Name of the pool in Octavia.
   * @default - the construct's logical name
   */
  readonly poolName?: string;
  /**
   * Description of the pool.
   * @default - 'Managed by Scaleout: <construct path>'
   */
  readonly description?: string;
}

/** Properties of a `Pool`. */
export interface PoolProps extends PoolOptions {
  /** The listener whose default pool this is. */
  readonly listener: Listener;
}

/** Options of a static member. */
export interface PoolMemberOptions {
  /**
   * Share of new connections relative to the other members (0 drains the member).
   * @default 1
   */
  readonly weight?: number;
}

interface StaticMember {
  readonly server: Server;
  readonly port: number;
  readonly weight?: number;
}

/**
 * An Octavia pool: the members a listener sends its traffic to. Fixed servers join with
 * `addMember`; autoscaling groups add their own members (from Heat) through `IPool`. Terraform
 * therefore writes one `openstack_lb_member_v2` per static member, never `openstack_lb_members_v2`
 * (which owns, and would delete, every member of the pool).
 */
export class Pool extends Resource implements IPool {
  /** The listener. */
  public readonly listener: Listener;
  /** The protocol to the members. */
  public readonly protocol: PoolProtocol;
  /** The algorithm. */
  public readonly algorithm: LbAlgorithm;
  public readonly memberSubnet: ISubnet;
  /**
   * The load balancer as the members see it: members allow the member port from it (the member
   * subnet's CIDR or the load balancer's `memberAccessPeer`).
   */
  public readonly loadBalancer: IConnectable;
  private readonly props: PoolProps;
  private readonly members: StaticMember[] = [];
  private monitor?: HealthMonitor;

  constructor(scope: Construct, id: string, poolProps: PoolProps) {
    super(scope, id);
    const props = checkProps(this, poolProps, POOL_PROPS, { fix: 'use listener.addPool(id, options)' });
    requireDefined(this, 'listener', props.listener, 'use listener.addPool(id, options)');
    requireConstructOf(this, 'listener', props.listener, '_registerPool', 'a Listener', 'use listener.addPool(id, options)');
    const listener = props.listener;
    const lb = listener.loadBalancer;
    const ovn = lb.provider?.preservesClientAddress === true;
    requireInstance(this, 'protocol', props.protocol, PoolProtocol, 'use PoolProtocol.HTTP, .HTTPS, .TCP, .PROXY or .UDP');
    this.protocol = props.protocol ?? DEFAULT_POOL_PROTOCOL[listener.protocol.name];
    const allowed = POOL_PROTOCOLS_BY_LISTENER[listener.protocol.name];
    if (!allowed.includes(this.protocol.name)) {
      throw propError(this, ErrorCode.CONFLICT, 'protocol', this.protocol.name, `cannot sit behind a ${listener.protocol.name} listener; Octavia accepts ${allowed.join(', ')} there`, 'pick one of those protocols');
    }
    requireInstance(this, 'algorithm', props.algorithm, LbAlgorithm, 'use LbAlgorithm.ROUND_ROBIN, .LEAST_CONNECTIONS, .SOURCE_IP or .SOURCE_IP_PORT');
    this.algorithm = props.algorithm ?? (ovn ? LbAlgorithm.SOURCE_IP_PORT : LbAlgorithm.ROUND_ROBIN);
    if (ovn && this.algorithm !== LbAlgorithm.SOURCE_IP_PORT) {
      throw propError(this, ErrorCode.UNSUPPORTED, 'algorithm', this.algorithm.name, `is not supported by the ${lb.provider!.name} provider`, 'use LbAlgorithm.SOURCE_IP_PORT');
    }
    if (LoadBalancerProvider._isAmphora(lb.provider) && this.algorithm === LbAlgorithm.SOURCE_IP_PORT) {
      const which = lb.provider === undefined ? "the cloud's default provider (amphora on nearly every cloud)" : `the ${lb.provider.name} provider (amphora)`;
      const fix = 'use LbAlgorithm.SOURCE_IP to keep clients on one member (or, on a cloud whose load balancers are OVN, set provider: LoadBalancerProvider.OVN)';
      throw propError(this, ErrorCode.UNSUPPORTED, 'algorithm', this.algorithm.name, `is not supported by ${which}`, fix);
    }
    validatePersistence(this, props.sessionPersistence, listener);
    requireConstructOf(this, 'memberSubnet', props.memberSubnet, '_heatSubnet', 'a subnet', "use a VirtualNetwork's .subnet or Subnet.fromName(this, 'Subnet', 'name')");
    requireName(this, 'poolName', props.poolName);
    requireName(this, 'description', props.description);
    this.props = props;
    this.listener = listener;
    this.memberSubnet = props.memberSubnet ?? lb.vipSubnet;
    this.loadBalancer = lb.memberSide(this.memberSubnet);
    listener._registerPool(this);
  }

  /**
   * Adds a fixed server as a member and opens `port` (and ICMP echo for a PING monitor) on the
   * server's security groups to the load balancer (see `loadBalancer`). The server must be on the
   * network of `memberSubnet` (the same `INetwork` construct that the subnet names): the member is
   * addressed by the fixed IP of the server's port on that network, in both targets.
   * @param port the port the server listens on (1-65535)
   */
  public addMember(server: Server, port: number, options: PoolMemberOptions = {}): void {
    requireDefined(this, 'server', server, 'give the Server to add');
    requireConstructOf(this, 'server', server, '_portSuffixFor', 'a Server', 'give the Server to add (autoscaling groups join pools themselves)');
    requireDefined(this, 'port', port, 'give the port the server listens on, e.g. 8080');
    requireInt(this, 'port', port, 1, 65535);
    requireObject(this, 'options', options ?? undefined, 'pass { weight } or nothing');
    requireInt(this, 'weight', options?.weight, 0, 256);
    if (this.members.some((m) => m.server === server && m.port === port)) {
      throw usageError(this, ErrorCode.DUPLICATE, 'addMember', `already has ${server.node.path} on port ${port}`);
    }
    this.requireOnMemberNetwork(server);
    server.connections.allowFrom(this.loadBalancer, this.protocol.memberPort(port), {
      description: fitName(`${this.protocol.memberPort(port).toString()} from load balancer pool ${this.node.path}`, SERVICE_NAME_MAX_LENGTH),
    });
    if (this.monitor?.type.name === 'PING') server.connections.allowFrom(this.loadBalancer, Port.icmpType(8, 0));
    this.members.push({ server, port, weight: options?.weight });
  }

  /** Refuses a server with no port on the member subnet's network (the load balancer could not reach it). */
  private requireOnMemberNetwork(server: Server): void {
    const network = this.memberSubnet.network;
    if (!server.hasNetwork(network)) {
      const problem = `cannot add ${server.node.path}: it has no port on ${network.node.path}, the network of the member subnet ${this.memberSubnet.node.path}, so the load balancer could not reach it there`;
      const fix = "put the server on that network (the same INetwork construct in its 'networks'), or give the pool a 'memberSubnet' on one of the server's networks (an existing subnet needs its network: Subnet.fromName(this, id, name, network))";
      throw usageError(this, ErrorCode.CONFLICT, 'addMember', `${problem}; ${fix}`);
    }
  }

  /** The member's address in HOT: the first fixed IP of the server's port on the member subnet's network. */
  private memberAddressHeat(ctx: HeatContext, server: Server): unknown {
    return server._heatAddressOn(ctx, this.memberSubnet.network);
  }

  /** The same in Terraform: `all_fixed_ips[0]` of that port. */
  private memberAddressTerraform(ctx: TerraformContext, server: Server): string {
    return String(server._terraformPort(ctx, this.memberSubnet.network).interpolationForAttribute('all_fixed_ips[0]'));
  }

  /** Adds the pool's health monitor (a child of the pool). A pool has at most one. */
  public addHealthMonitor(id: string, options: HealthMonitorOptions): HealthMonitor {
    arg(this, 'options', options, optionsObject, 'pass { type, delay, ... }');
    return new HealthMonitor(this, id, { ...options, pool: this });
  }

  /** The health monitor, once one was added. */
  public get healthMonitor(): HealthMonitor | undefined {
    return this.monitor;
  }

  /** @internal Called by `HealthMonitor`: records it, refusing a second, and lets PING probes in. */
  public _registerHealthMonitor(monitor: HealthMonitor): void {
    if (this.monitor && this.monitor !== monitor) {
      throw usageError(monitor, ErrorCode.CONFLICT, 'pool', `already has health monitor ${this.monitor.node.path}; Octavia allows one per pool`);
    }
    this.monitor = monitor;
    if (monitor.type.name === 'PING') {
      for (const m of this.members) m.server.connections.allowFrom(this.loadBalancer, Port.icmpType(8, 0));
    }
  }

  public _heatPoolId(ctx: HeatContext): { get_resource: string } {
    return ctx.ref(this);
  }

  public _terraformPoolId(ctx: TerraformContext): string {
    return ctx.handleOf<LbPoolV2>(this).id;
  }

  public _toHeat(ctx: HeatContext): void {
    const p = this.props.sessionPersistence;
    ctx.addResource(this, 'OS::Octavia::Pool', {
      name: this.props.poolName ?? fitName(ctx.logicalId(this), SERVICE_NAME_MAX_LENGTH),
      description: this.description,
      listener: this.listener._heatId(ctx),
      protocol: this.protocol.name,
      lb_algorithm: this.algorithm.name,
      session_persistence: p ? { type: p.type, cookie_name: p.cookieName } : undefined,
    });
    for (const m of this.members) {
      ctx.addResource(
        this,
        'OS::Octavia::PoolMember',
        {
          pool: ctx.ref(this),
          address: this.memberAddressHeat(ctx, m.server) as string,
          protocol_port: m.port,
          subnet: this.memberSubnet._heatSubnet(ctx) as string,
          weight: m.weight,
        },
        { suffix: memberSuffix(ctx.logicalId(m.server), m.port) },
      );
    }
  }

  public _toTerraform(ctx: TerraformContext): LbPoolV2 {
    const p = this.props.sessionPersistence;
    const name = ctx.logicalId(this);
    const pool = ctx.named(
      new L1.LbPoolV2(ctx.scope, name, {
        name: this.props.poolName ?? fitName(name, SERVICE_NAME_MAX_LENGTH),
        description: this.description,
        listenerId: this.listener._terraformId(ctx),
        protocol: this.protocol.name,
        lbMethod: this.algorithm.name,
        persistence: p ? { type: p.type, cookieName: p.cookieName } : undefined,
      }),
      name,
    );
    for (const m of this.members) {
      const memberName = ctx.logicalId(this, memberSuffix(ctx.logicalId(m.server), m.port));
      ctx.named(
        new L1.LbMemberV2(ctx.scope, memberName, {
          poolId: pool.id,
          address: this.memberAddressTerraform(ctx, m.server),
          protocolPort: m.port,
          subnetId: this.memberSubnet._terraformSubnetId(ctx),
          weight: m.weight,
          dependsOn: this.memberSubnet._terraformPortDependencies?.(ctx),
        }),
        memberName,
      );
    }
    return pool;
  }

  private get description(): string {
    return this.props.description ?? fitName(`Managed by Scaleout: ${this.node.path}`, SERVICE_NAME_MAX_LENGTH);
  }
}

/** Stable name of a static member: server and port, never a position that renumbers. */
function memberSuffix(serverName: string, port: number): string {
  return `member_${serverName}_${port}`;
}

function validatePersistence(scope: Construct, persistence: SessionPersistence | undefined, listener: Listener): void {
  if (persistence === undefined) return;
  requireInstance(scope, 'sessionPersistence', persistence, SessionPersistence, 'use SessionPersistence.sourceIp(), .httpCookie() or .appCookie(name)');
  if (persistence.type !== 'SOURCE_IP' && !listener.protocol.isHttpMode) {
    throw propError(
      scope,
      ErrorCode.CONFLICT,
      'sessionPersistence',
      persistence.toString(),
      `needs a listener that reads HTTP (HTTP or TERMINATED_HTTPS) to see cookies, but ${listener.node.path} is ${listener.protocol.name}`,
      'use SessionPersistence.sourceIp()',
    );
  }
  if (persistence.type === 'APP_COOKIE') {
    requireName(scope, 'sessionPersistence.cookieName', persistence.cookieName, {
      maxLength: 255,
      pattern: /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/,
      patternText: 'an HTTP cookie name (letters, digits and !#$%&\'*+-.^_`|~, no spaces)',
    });
    requireDefined(scope, 'sessionPersistence.cookieName', persistence.cookieName, "use SessionPersistence.appCookie('JSESSIONID')");
  }
}
