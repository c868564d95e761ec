import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { arg, checkProps, optionsObject } from '../../core/props';
import { LISTENER_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import type { LbListenerV2 } from '../../../.gen/providers/openstack/lb-listener-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { Resource } from '../../core/resource';
import {
  cidrVersion,
  isUnresolved,
  requireCidr,
  requireBoolean,
  requireConstructOf,
  requireDefined,
  requireInstance,
  requireInt,
  requireName,
  } from '../../core/validate';
import { Peer } from '../network/peer';
import { SENSITIVE_TCP_PORTS } from '../network/security-group';
import { knownCidrOf, type LoadBalancer } from './load-balancer';
import { Pool, PoolOptions } from './pool';
import { L1 } from '../../stacks/terraform/l1';

/**
 * The protocol a listener accepts from clients. Every value here exists in both Heat's
 * `OS::Octavia::Listener` and Terraform's `openstack_lb_listener_v2`.
 */
export class ListenerProtocol {
  /** Plain HTTP; the load balancer sees requests (cookies, headers). */
  public static readonly HTTP = new ListenerProtocol('HTTP', 'tcp');
  /** HTTPS passed through to the members unopened (the load balancer sees only TCP). */
  public static readonly HTTPS = new ListenerProtocol('HTTPS', 'tcp');
  /** Plain TCP. */
  public static readonly TCP = new ListenerProtocol('TCP', 'tcp');
  /** Plain UDP. */
  public static readonly UDP = new ListenerProtocol('UDP', 'udp');

  /**
   * HTTPS terminated at the load balancer with a certificate from Barbican; members get HTTP.
   * @param certificateRef URL of the Barbican secret container (PKCS12 secret or certificate
   *   container), e.g. `https://barbican.example.com:9311/v1/containers/<uuid>`
   */
  public static terminatedHttps(certificateRef: string): ListenerProtocol {
    return new ListenerProtocol('TERMINATED_HTTPS', 'tcp', certificateRef);
  }

  private constructor(
    /** The Octavia protocol name. */
    public readonly name: 'HTTP' | 'HTTPS' | 'TCP' | 'UDP' | 'TERMINATED_HTTPS',
    /** The transport underneath, which decides which listeners share a port. */
    public readonly transport: 'tcp' | 'udp',
    /** The Barbican reference of the default TLS certificate (TERMINATED_HTTPS only). */
    public readonly certificateRef?: string,
  ) {}

  /** True when the load balancer parses HTTP (it can see and set cookies). */
  public get isHttpMode(): boolean {
    return this.name === 'HTTP' || this.name === 'TERMINATED_HTTPS';
  }

  public toString(): string {
    return this.name;
  }
}

/** Options of a listener added with `loadBalancer.addListener`. */
export interface ListenerOptions {
  /** The protocol clients speak. */
  readonly protocol: ListenerProtocol;
  /** The port on the VIP clients connect to (1-65535). */
  readonly port: number;
  /**
   * Maximum number of concurrent connections (at least 1).
   * @default - unlimited
   */
  readonly connectionLimit?: number;
  /**
   * Client CIDRs allowed to reach this listener (IPv4 or IPv6). This and the listener port are
   * the whole public exposure of the application: Octavia's VIP security group opens exactly the
   * listener ports, to these CIDRs, and nothing else. Each must be of the VIP's IP version
   * (Octavia refuses the other one); this is checked when the stack knows the VIP subnet's CIDR.
   * @default - anywhere (Octavia allows every address when the list is not set)
   */
  readonly allowedCidrs?: string[];
  /**
   * Allow a listener on an SSH, RDP, database, queue or cache port (`SENSITIVE_TCP_PORTS`) to
   * be reached from anywhere (no `allowedCidrs`, or a block that spans much of the internet).
   * Refused otherwise, like the same security-group rule.
   * @default false
   */
  readonly allowPublicAccessToSensitivePort?: boolean;
  /**
   * Name of the listener in Octavia.
   * @default - the construct's logical name
   */
  readonly listenerName?: string;
  /**
   * Description of the listener.
   * @default - 'Managed by Scaleout: <construct path>'
   */
  readonly description?: string;
}

/** Properties of a `Listener`. */
export interface ListenerProps extends ListenerOptions {
  /** The load balancer whose VIP the listener listens on. */
  readonly loadBalancer: LoadBalancer;
}

/**
 * A protocol and port on a load balancer's VIP. Its default pool (`addPool`) receives the traffic.
 */
export class Listener extends Resource {
  /** The load balancer. */
  public readonly loadBalancer: LoadBalancer;
  /** The protocol clients speak. */
  public readonly protocol: ListenerProtocol;
  /** The port on the VIP. */
  public readonly port: number;
  private readonly props: ListenerProps;
  private pool?: Pool;

  constructor(scope: Construct, id: string, listenerProps: ListenerProps) {
    super(scope, id);
    const props = checkProps(this, listenerProps, LISTENER_PROPS, { fix: 'use loadBalancer.addListener(id, { protocol, port })' });
    requireDefined(this, 'loadBalancer', props.loadBalancer, 'use loadBalancer.addListener(id, options)');
    requireConstructOf(this, 'loadBalancer', props.loadBalancer, '_registerListener', 'a LoadBalancer', 'use loadBalancer.addListener(id, options)');
    const protocolFix = 'use ListenerProtocol.HTTP, .HTTPS, .TCP, .UDP or .terminatedHttps(certificateRef)';
    requireDefined(this, 'protocol', props.protocol, protocolFix);
    requireInstance(this, 'protocol', props.protocol, ListenerProtocol, protocolFix);
    requireDefined(this, 'port', props.port, 'give the port clients connect to, e.g. 80');
    requireInt(this, 'port', props.port, 1, 65535);
    requireInt(this, 'connectionLimit', props.connectionLimit, 1, 2147483647, 'connections');
    requireName(this, 'listenerName', props.listenerName);
    requireName(this, 'description', props.description);
    validateCertificateRef(this, props.protocol);
    const lb = props.loadBalancer;
    validateAllowedCidrs(this, props.allowedCidrs, knownCidrOf(lb.vipSubnet));
    requireBoolean(this, 'allowPublicAccessToSensitivePort', props.allowPublicAccessToSensitivePort);
    validateListenerExposure(this, props);
    if (lb.provider?.preservesClientAddress && !['TCP', 'UDP'].includes(props.protocol.name)) {
      throw propError(this, ErrorCode.UNSUPPORTED, 'protocol', props.protocol.name, `is not supported by the ${lb.provider.name} provider, which balances TCP and UDP only`, 'use ListenerProtocol.TCP or .UDP, or the amphora provider');
    }
    const clash = lb.listeners.find((l) => l.port === props.port && l.protocol.transport === props.protocol.transport);
    if (clash) {
      throw propError(this, ErrorCode.CONFLICT, 'port', props.port, `is already used by listener ${clash.node.path} (${props.protocol.transport})`, 'pick another port');
    }
    this.props = props;
    this.loadBalancer = lb;
    this.protocol = props.protocol;
    this.port = props.port;
    lb._registerListener(this);
  }

  /**
   * Adds the listener's default pool (a child of the listener). A listener has one default pool.
   */
  public addPool(id: string, options: PoolOptions = {}): Pool {
    arg(this, 'options', options, optionsObject, 'pass { protocol, algorithm, ... } or nothing');
    return new Pool(this, id, { ...options, listener: this });
  }

  /** The default pool, once one was added. */
  public get defaultPool(): Pool | undefined {
    return this.pool;
  }

  /** @internal Called by `Pool`: records the listener's default pool, refusing a second one. */
  public _registerPool(pool: Pool): void {
    if (this.pool && this.pool !== pool) {
      throw usageError(pool, ErrorCode.CONFLICT, 'listener', `already has default pool ${this.pool.node.path}; a listener sends its traffic to one pool (add another listener for another pool)`);
    }
    this.pool = pool;
  }

  /** @internal The listener id in HOT. */
  public _heatId(ctx: HeatContext): { get_resource: string } {
    return ctx.ref(this);
  }

  /** @internal The listener id in Terraform. */
  public _terraformId(ctx: TerraformContext): string {
    return ctx.handleOf<LbListenerV2>(this).id;
  }

  public _toHeat(ctx: HeatContext): void {
    ctx.addResource(this, 'OS::Octavia::Listener', {
      name: this.props.listenerName ?? fitName(ctx.logicalId(this), SERVICE_NAME_MAX_LENGTH),
      description: this.description,
      loadbalancer: this.loadBalancer._heatId(ctx),
      protocol: this.protocol.name,
      protocol_port: this.port,
      connection_limit: this.props.connectionLimit,
      allowed_cidrs: this.props.allowedCidrs,
      default_tls_container_ref: this.protocol.certificateRef,
    });
  }

  public _toTerraform(ctx: TerraformContext): LbListenerV2 {
    const name = ctx.logicalId(this);
    return ctx.named(
      new L1.LbListenerV2(ctx.scope, name, {
        name: this.props.listenerName ?? fitName(name, SERVICE_NAME_MAX_LENGTH),
        description: this.description,
        loadbalancerId: this.loadBalancer._terraformId(ctx),
        protocol: this.protocol.name,
        protocolPort: this.port,
        connectionLimit: this.props.connectionLimit,
        allowedCidrs: this.props.allowedCidrs,
        defaultTlsContainerRef: this.protocol.certificateRef,
      }),
      name,
    );
  }

  private get description(): string {
    return this.props.description ?? fitName(`Managed by Scaleout: ${this.node.path}`, SERVICE_NAME_MAX_LENGTH);
  }
}

function validateCertificateRef(scope: Construct, protocol: ListenerProtocol): void {
  if (protocol.name !== 'TERMINATED_HTTPS') return;
  const ref = protocol.certificateRef;
  if (isUnresolved(ref)) return;
  if (typeof ref !== 'string' || !/^https?:\/\/\S+$/.test(ref)) {
    throw propError(
      scope,
      ErrorCode.FORMAT,
      'protocol.certificateRef',
      ref,
      'must be the URL of a Barbican secret container',
      "write it like 'https://barbican.example.com:9311/v1/containers/<uuid>'",
    );
  }
  requireName(scope, 'protocol.certificateRef', ref, { maxLength: 2048 });
}

/**
 * At least one well-formed CIDR, none twice, each of the VIP's IP version when the stack knows the
 * VIP subnet (Octavia refuses an allowed CIDR of the other version).
 */
function validateAllowedCidrs(scope: Construct, cidrs: string[] | undefined, vipCidr: string | undefined): void {
  if (cidrs === undefined) return;
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    throw propError(scope, ErrorCode.EMPTY, 'allowedCidrs', cidrs, 'must list at least one CIDR (an empty list would let nobody in)', "leave it out to allow anywhere, or give e.g. ['203.0.113.0/24']");
  }
  const vipVersion = vipCidr === undefined ? undefined : cidrVersion(vipCidr);
  cidrs.forEach((c, i) => {
    requireDefined(scope, `allowedCidrs[${i}]`, c, "give a CIDR, e.g. '203.0.113.0/24'");
    requireCidr(scope, `allowedCidrs[${i}]`, c);
    if (vipVersion !== undefined && !isUnresolved(c) && cidrVersion(c) !== vipVersion) {
      throw propError(scope, ErrorCode.CONFLICT, `allowedCidrs[${i}]`, c, `must be an IPv${vipVersion} block like the VIP subnet ${vipCidr} (Octavia refuses the other version)`, "list blocks of the VIP's IP version only");
    }
  });
  const dup = cidrs.find((c, i) => cidrs.indexOf(c) !== i);
  if (dup !== undefined) {
    throw propError(scope, ErrorCode.CONFLICT, 'allowedCidrs', dup, 'lists a CIDR twice', 'remove the duplicate');
  }
}

/**
 * A listener forwards its port from every address in `allowedCidrs` (anywhere when unset), so an
 * SSH, RDP, database, queue or cache port there is as exposed as the same security-group rule,
 * which Scaleout refuses without `allowPublicAccessToSensitivePort`: refuse it here too.
 */
function validateListenerExposure(scope: Listener, props: ListenerProps): void {
  if (props.allowPublicAccessToSensitivePort === true || props.protocol.transport !== 'tcp') return;
  const what = SENSITIVE_TCP_PORTS.get(props.port);
  if (what === undefined) return;
  const wide = props.allowedCidrs === undefined ? 'anywhere' : props.allowedCidrs.find((c) => (c.includes(':') ? Peer.ipv6(c) : Peer.ipv4(c)).isInternetWide);
  if (wide === undefined) return;
  throw propError(
    scope,
    ErrorCode.INSECURE,
    'port',
    props.port,
    `would forward ${what} (tcp ${props.port}) from ${wide === 'anywhere' ? 'anywhere (no allowedCidrs)' : wide}`,
    'list the client CIDRs in allowedCidrs (e.g. your admin network), or pass { allowPublicAccessToSensitivePort: true } if this is really meant',
  );
}
