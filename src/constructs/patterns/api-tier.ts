import { checkProps } from '../../core/props';
import { API_TIER_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import { Duration } from '../../core/duration';
import { ErrorCode, propError } from '../../core/errors';
import { fitName, logicalNameOf } from '../../core/names';

/** The longest output prefix (outputs are `<prefix>_url`, `<prefix>_address`, ...). */
const OUTPUT_PREFIX_MAX_LENGTH = 100;
import { Stack } from '../../core/stack';
import { cidrPrefix, cidrVersion, ipv4InCidr, requireBoolean, requireDefined, requireInt, requireName } from '../../core/validate';
import { Value } from '../../core/value';
import { AutoScalingGroup } from '../autoscaling/auto-scaling-group';
import type { CpuScaling } from '../autoscaling/scaling-rules';
import type { Flavor, Image } from '../compute/image';
import type { IKeyPair } from '../compute/key-pair';
import type { Placement } from '../compute/placement';
import type { ReadinessOptions } from '../autoscaling/readiness';
import { CloudConfig, UserData } from '../compute/user-data';
import { HealthMonitor, HealthMonitorType, HttpMethod } from '../loadbalancing/health-monitor';
import { Listener, ListenerProtocol } from '../loadbalancing/listener';
import { knownCidrOf, LoadBalancer } from '../loadbalancing/load-balancer';
import { LbAlgorithm, Pool } from '../loadbalancing/pool';
import { FloatingIp } from '../network/floating-ip';
import type { ISubnet } from '../network/network';
import { CidrPeer, type Peer } from '../network/peer';
import type { ServiceAccessOptions, ServicesTier } from './services-tier';
import { DEFAULT_SCALE_IN_BELOW_PERCENT, DEFAULT_SCALE_OUT_ABOVE_PERCENT } from './worker-scaling';

/** What an API tier is besides where it runs (the part `ScalableWebApp` lets you override). */
export interface ApiTierOptions {
  /** The most API servers (1 to 1000): the cap on a runaway scale-out. */
  readonly maxSize: number;
  /**
   * The fewest API servers. Two by default, so losing one server (or its host) leaves one serving.
   * @default 2
   */
  readonly minSize?: number;
  /**
   * What clients speak to the load balancer: HTTP, `ListenerProtocol.terminatedHttps(ref)` (TLS
   * ends at the load balancer, members get HTTP), HTTPS (passed through) or TCP.
   * @default ListenerProtocol.HTTP
   */
  readonly protocol?: ListenerProtocol;
  /**
   * The port on the public address.
   * @default - 80, or 443 with an HTTPS or TERMINATED_HTTPS listener
   */
  readonly port?: number;
  /**
   * The port the API servers listen on.
   * @default - 80, or 443 behind an HTTPS (pass-through) listener, or `port` behind a TCP listener
   */
  readonly serverPort?: number;
  /**
   * Path the health monitor GETs on every server (HTTP and HTTPS only); a server that does not
   * answer 200 leaves the rotation until it does.
   * @default '/healthz'
   */
  readonly healthCheckPath?: string;
  /**
   * Client CIDRs allowed to reach the listener: the tier's only public exposure. Octavia applies
   * them to every client of the VIP, including servers inside the network that use `internalUrl`;
   * see `allowInternalClients`.
   * @default - anywhere
   */
  readonly allowedCidrs?: string[];
  /**
   * Servers on `subnet` (another tier, e.g. workers) call the API through `internalUrl`. When
   * `allowedCidrs` restricts the listener, the subnet's CIDR is then appended to it (unless a
   * listed block already covers it), so those servers are not locked out; this also admits any
   * other server on that subnet. With an existing subnet whose CIDR the stack does not know,
   * `memberAccessPeer` must give it (`Peer.ipv4('10.1.0.0/24')`), or the tier is refused.
   * @default false - true in a `ScalableWebApp` with workers
   */
  readonly allowInternalClients?: boolean;
  /**
   * How the load balancer spreads requests.
   * @default LbAlgorithm.ROUND_ROBIN
   */
  readonly algorithm?: LbAlgorithm;
  /**
   * Add servers while the group's average CPU utilization is above this percent.
   * @default 70
   */
  readonly scaleOutAbovePercent?: number;
  /**
   * Remove servers while it is below this percent.
   * @default 30
   */
  readonly scaleInBelowPercent?: number;
  /**
   * Servers added per scale-out (raise it for sudden spikes).
   * @default 1
   */
  readonly scaleOutBy?: number;
  /**
   * Servers removed per scale-in.
   * @default 1
   */
  readonly scaleInBy?: number;
  /**
   * One set of CPU alarms per server, on its own CPU (`scaleOnCpuUtilization`'s `perMember`): the
   * reliable signal, on clouds whose Heat creates trusts with redelegation (docs/scaling.md).
   * @default false
   */
  readonly cpuAlarmsPerMember?: boolean;
  /**
   * Consecutive periods above (below) a CPU threshold before scaling. Keep at least 2: the CPU
   * rate jumps for one period whenever a server joins or leaves the group (see
   * `CpuUtilizationScalingProps.evaluationPeriods`), and 1 lets that point undo a scaling.
   * @default 2
   */
  readonly evaluationPeriods?: number;
  /**
   * The group's cooldown: after a scaling, further signals are refused for this long (a new
   * server needs it to boot and take load before CPU is judged again).
   * @default Duration.seconds(300)
   */
  readonly cooldown?: Duration;
  /**
   * On scale-in, how long a server is out of the pool before it is deleted, so requests in
   * flight finish (see `AutoScalingGroupProps.drainTime`).
   * @default Duration.seconds(30)
   */
  readonly drainTime?: Duration;
  /**
   * What every API server runs at first boot. `SERVICE_PLACEHOLDERS` in it are replaced by the
   * values of `services` (the document is changed in place).
   * @default - no user data: the image starts the API by itself
   */
  readonly cloudConfig?: CloudConfig;
  /**
   * Which of `services` the servers reach (and whose placeholders they may use).
   * @default - every service the services tier runs
   */
  readonly serviceAccess?: ServiceAccessOptions;
  /**
   * Key pair injected into every API server.
   * @default - no key pair
   */
  readonly keyPair?: IKeyPair;
  /**
   * Where Nova places the servers relative to each other (see `AutoScalingGroupProps.placement`).
   * @default Placement.spread() - across hypervisors when Nova can
   */
  readonly placement?: Placement;
  /**
   * Whether the API servers may send anything out. With false they reach only the services they
   * are let into (`services`: database, queue, cache ports) and the metadata service: for images
   * with the application preinstalled, which need no package mirror nor DNS at boot.
   * @default true
   */
  readonly allowAllOutbound?: boolean;
  /**
   * Make a server count only once it is ready (see `AutoScalingGroupProps.readiness`): a wait
   * condition that its cloud-init signals when `command` succeeds (e.g. `curl -fsS http://127.0.0.1/healthz`); the
   * load balancer gets a server only after that.
   * @default - none: a server counts as soon as it is ACTIVE
   */
  readonly readiness?: ReadinessOptions;
  /**
   * Replace a server whose health check fails (the pool's health monitor marks it ERROR) instead
   * of only leaving it out of rotation (see `AutoScalingGroupProps.autohealing`). On by default
   * with `readiness`: a server then joins the pool only once it serves, so Aodh's grace period for
   * a new member (120 s by default) starts when it serves. Without `readiness` a server that takes
   * longer than that to boot would be replaced before it serves, again and again, so it is off
   * unless you set it (a warning then says so).
   * @default - true with `readiness`, false without
   */
  readonly autohealing?: boolean;
  /**
   * Who the API servers let in on `serverPort`: the load balancer's member-side address. Needed
   * when the subnet is not created by the stack (its CIDR is unknown), e.g. `Peer.ipv4('10.1.0.0/24')`.
   * @default - the subnet's CIDR, when the stack creates the subnet
   */
  readonly memberAccessPeer?: Peer;
  /**
   * Prefix of the stack outputs `<prefix>_url` and `<prefix>_address` (snake_case).
   * @default - the tier's logical name
   */
  readonly outputPrefix?: string;
}

/** Properties of an `ApiTier`. */
export interface ApiTierProps extends ApiTierOptions {
  /** Image of the API servers. */
  readonly image: Image;
  /** Flavor of the API servers, with its vCPU count (CPU scaling needs it): `Flavor.fromName('m1.small', { vcpus: 1 })`. */
  readonly flavor: Flavor;
  /** The subnet of the load balancer's VIP and of the API servers' addresses. */
  readonly subnet: ISubnet;
  /** External network the public floating IP comes from, e.g. `public`. */
  readonly externalNetworkName: string;
  /**
   * The services the API uses: their ports open to the API group (and only to it), and their
   * placeholders are filled in `cloudConfig`.
   * @default - no services
   */
  readonly services?: ServicesTier;
}

/**
 * Stateless API servers that scale out: an `AutoScalingGroup` whose members join the pool of an
 * Octavia load balancer (listener + pool + HTTP health monitor), the load balancer's VIP on a
 * floating IP (exported as the stack outputs `<prefix>_url` and `<prefix>_address`), and two CPU
 * alarms that add servers above 70 % and remove them below 30 % by default.
 *
 * Exposure: the listener is the only public entry (Octavia opens exactly its port on the VIP,
 * to `allowedCidrs`); the servers' security group lets in only `serverPort` from the load
 * balancer's member side. With `services`, each service opens its port to the servers' group.
 */
export class ApiTier extends Construct {
  /** The API servers. */
  public readonly group: AutoScalingGroup;
  /** The load balancer. */
  public readonly loadBalancer: LoadBalancer;
  /** The public listener. */
  public readonly listener: Listener;
  /** The pool the servers join. */
  public readonly pool: Pool;
  /** The pool's health monitor. */
  public readonly healthMonitor: HealthMonitor;
  /** The public address of the load balancer. */
  public readonly floatingIp: FloatingIp;
  /** The CPU policies and alarms. */
  public readonly cpuScaling: CpuScaling;
  /** `<scheme>://<floating IP>[:port]`, the public URL. */
  public readonly url: Value;
  /**
   * `<scheme>://<VIP address>[:port]`, the URL inside the network (for workers and other tiers).
   * The listener's `allowedCidrs` apply to it too: set `allowInternalClients` when servers on the
   * subnet use it.
   */
  public readonly internalUrl: Value;

  constructor(scope: Construct, id: string, props: ApiTierProps) {
    super(scope, id);
    props = checkProps(this, props, API_TIER_PROPS, { fix: 'pass { image, flavor, subnet, externalNetworkName, maxSize }' });
    requireDefined(this, 'subnet', props?.subnet, "pass the subnet of the load balancer and the servers, e.g. network.subnet");
    requireDefined(this, 'externalNetworkName', props.externalNetworkName, "name the provider network floating IPs come from, e.g. 'public'");
    requireDefined(this, 'maxSize', props.maxSize, 'cap the API servers (1 to 1000); a cap is the first guard against a runaway scale-out');
    const protocol = props.protocol ?? ListenerProtocol.HTTP;
    if (!(protocol instanceof ListenerProtocol)) {
      throw propError(this, ErrorCode.ENUM, 'protocol', protocol, 'must be a ListenerProtocol', 'use ListenerProtocol.HTTP or .terminatedHttps(certificateRef)');
    }
    if (protocol.name === 'UDP') {
      throw propError(this, ErrorCode.UNSUPPORTED, 'protocol', protocol.name, 'cannot front an API tier (it is probed and served over TCP)', 'use ListenerProtocol.HTTP, .HTTPS, .TCP or .terminatedHttps(ref)');
    }
    const tls = protocol.name === 'HTTPS' || protocol.name === 'TERMINATED_HTTPS';
    const port = props.port ?? (tls ? 443 : 80);
    requireInt(this, 'port', port, 1, 65535);
    const serverPort = props.serverPort ?? (protocol.name === 'HTTPS' ? 443 : protocol.name === 'TCP' ? port : 80);
    requireInt(this, 'serverPort', serverPort, 1, 65535);
    const monitorType = protocol.name === 'TCP' ? HealthMonitorType.TCP : protocol.name === 'HTTPS' ? HealthMonitorType.HTTPS : HealthMonitorType.HTTP;
    if (props.healthCheckPath !== undefined && !monitorType.isHttp) {
      throw propError(this, ErrorCode.CONFLICT, 'healthCheckPath', props.healthCheckPath, 'applies to HTTP(S) listeners only; a TCP listener is probed with a TCP connection', 'drop healthCheckPath');
    }
    if (props.cloudConfig !== undefined && !(props.cloudConfig instanceof CloudConfig)) {
      throw propError(this, ErrorCode.FORMAT, 'cloudConfig', props.cloudConfig, 'must be a CloudConfig', 'build one with new CloudConfig().addPackages(...).addRunCommands(...)');
    }
    if (props.serviceAccess !== undefined && props.services === undefined) {
      throw propError(this, ErrorCode.CONFLICT, 'serviceAccess', props.serviceAccess, "needs 'services'", "pass the ServicesTier as 'services', or drop serviceAccess");
    }
    // A derived prefix longer than allowed is shortened like default names (start + hash).
    const prefix = props.outputPrefix ?? fitName(logicalNameOf(this, Stack.of(this).root), OUTPUT_PREFIX_MAX_LENGTH, 'characters', '_');
    requireName(this, 'outputPrefix', prefix, { maxLength: OUTPUT_PREFIX_MAX_LENGTH, pattern: /^[a-z][a-z0-9_]*$/, patternText: 'snake_case: lowercase letters, digits and underscores' });

    this.loadBalancer = new LoadBalancer(this, 'Lb', { vipSubnet: props.subnet, memberAccessPeer: props.memberAccessPeer });
    requireBoolean(this, 'allowInternalClients', props.allowInternalClients);
    const allowedCidrs = props.allowInternalClients ? this.withInternalClients(props) : props.allowedCidrs;
    this.listener = this.loadBalancer.addListener('Listener', { protocol, port, allowedCidrs });
    this.pool = this.listener.addPool('Pool', { algorithm: props.algorithm });
    this.healthMonitor = this.pool.addHealthMonitor('Health', {
      type: monitorType,
      urlPath: monitorType.isHttp ? (props.healthCheckPath ?? '/healthz') : undefined,
      httpMethod: monitorType.isHttp ? HttpMethod.GET : undefined,
    });

    const config = props.cloudConfig;
    if (config && props.services) props.services.substituteInto(config, props.serviceAccess);
    this.group = new AutoScalingGroup(this, 'Servers', {
      image: props.image,
      flavor: props.flavor,
      networks: [props.subnet.network],
      keyPair: props.keyPair,
      placement: props.placement,
      allowAllOutbound: props.allowAllOutbound,
      readiness: props.readiness,
      autohealing: props.autohealing ?? props.readiness !== undefined,
      minSize: props.minSize ?? 2,
      maxSize: props.maxSize,
      cooldown: props.cooldown ?? Duration.seconds(300),
      drainTime: props.drainTime,
      userData: config ? UserData.forCloudConfig(config) : undefined,
    });
    this.group.attachToPool(this.pool, serverPort);
    this.cpuScaling = this.group.scaleOnCpuUtilization({
      scaleOutAbovePercent: props.scaleOutAbovePercent ?? DEFAULT_SCALE_OUT_ABOVE_PERCENT,
      scaleInBelowPercent: props.scaleInBelowPercent ?? DEFAULT_SCALE_IN_BELOW_PERCENT,
      scaleOutBy: props.scaleOutBy,
      scaleInBy: props.scaleInBy,
      perMember: props.cpuAlarmsPerMember,
      evaluationPeriods: props.evaluationPeriods,
    });
    props.services?.allowFrom(this.group, props.serviceAccess);

    this.floatingIp = new FloatingIp(this, 'FloatingIp', { externalNetworkName: props.externalNetworkName });
    this.floatingIp.associateWith(this.loadBalancer);
    const scheme = tls ? 'https' : 'http';
    const portSuffix = port === (tls ? 443 : 80) ? '' : `:${port}`;
    this.url = urlOf(scheme, this.floatingIp.address, portSuffix, `public URL of ${this.node.path}`);
    this.internalUrl = urlOf(scheme, this.loadBalancer.vipAddress, portSuffix, `internal URL of ${this.node.path}`);
    const stack = Stack.of(this);
    stack.addOutput(`${prefix}_url`, { value: this.url, description: `Public URL of ${this.node.path} (the load balancer's floating IP)` });
    stack.addOutput(`${prefix}_address`, { value: this.floatingIp.address, description: `Floating IP of the load balancer of ${this.node.path}` });
  }

  /**
   * `allowedCidrs` plus the CIDR of the subnet internal clients come from (the subnet's own CIDR,
   * or `memberAccessPeer`'s), unless the list is unrestricted or already covers that block.
   */
  private withInternalClients(props: ApiTierProps): string[] | undefined {
    const cidrs = props.allowedCidrs;
    if (!Array.isArray(cidrs) || cidrs.length === 0 || cidrs.some((c) => cidrPrefix(c) === 0)) return cidrs; // anywhere, or refused by the listener
    const peer = props.memberAccessPeer;
    const subnetCidr = knownCidrOf(props.subnet) ?? (peer instanceof CidrPeer && !peer.isInternetWide ? peer.cidr : undefined);
    if (subnetCidr === undefined) {
      throw propError(
        this,
        ErrorCode.REQUIRED,
        'memberAccessPeer',
        undefined,
        `is required: 'allowedCidrs' restricts the listener, and servers on ${props.subnet.node.path} reach the API through its internal URL (allowInternalClients), but the stack does not know that subnet's CIDR to let them in`,
        "give the subnet's CIDR, e.g. memberAccessPeer: Peer.ipv4('10.1.0.0/24') (it is added to allowedCidrs)",
      );
    }
    return cidrs.some((c) => covers(c, subnetCidr)) ? cidrs : [...cidrs, subnetCidr];
  }
}

/** True when block `outer` contains block `inner` (equal blocks included; IPv6 only when equal). */
function covers(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  const [base, prefix] = inner.split('/');
  return cidrVersion(inner) === 4 && ipv4InCidr(base, outer) && (cidrPrefix(outer) ?? 33) <= Number(prefix);
}

/** `<scheme>://<address><portSuffix>` in both targets. */
function urlOf(scheme: string, address: Value, portSuffix: string, description: string): Value {
  return Value.of(
    (ctx) => ({ list_join: ['', [`${scheme}://`, address._heat(ctx), portSuffix].filter((p) => p !== '')] }),
    (ctx) => `${scheme}://${String(address._terraform(ctx))}${portSuffix}`,
    description,
  );
}
