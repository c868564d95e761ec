import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { arg, checkProps, constructOf, optionsObject } from '../../core/props';
import { LOAD_BALANCER_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import type { LbLoadbalancerV2 } from '../../../.gen/providers/openstack/lb-loadbalancer-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { Resource } from '../../core/resource';
import {
  cidrVersion,
  ipv4InCidr,
  isUnresolved,
  requireConstructOf,
  requireDefined,
  requireInstance,
  requireIp,
  requireName,
  } from '../../core/validate';
import { Value } from '../../core/value';
import { Connections, IConnectable } from '../network/connections';
import type { IFloatingIpTarget } from '../network/floating-ip';
import type { ISubnet, TerraformDependencies } from '../network/network';
import { Peer } from '../network/peer';
import type { Port } from '../network/port';
import type { RuleOptions } from '../network/security-group';
import { Listener, ListenerOptions } from './listener';
import { L1 } from '../../stacks/terraform/l1';

/**
 * The Octavia provider (driver) that implements a load balancer. It decides where member traffic
 * comes from: the amphora driver proxies (members see the amphora's address on the member
 * subnet), OVN forwards (members see the client's own address).
 */
export class LoadBalancerProvider {
  /** The amphora driver (HAProxy in a service VM): Octavia's default. */
  public static readonly AMPHORA = new LoadBalancerProvider('amphora', false);
  /**
   * The OVN driver: layer-4 only (TCP, UDP listeners), the SOURCE_IP_PORT algorithm only, and the
   * client's source address reaches the members unchanged.
   */
  public static readonly OVN = new LoadBalancerProvider('ovn', true);

  /**
   * Another provider enabled on the cloud, by name (e.g. `octavia`, an alias of amphora). Scaleout
   * treats it like amphora for member traffic: a proxy whose member traffic comes from the member
   * subnet. `of('amphora')` and `of('ovn')` are `AMPHORA` and `OVN`, with all their checks.
   */
  public static of(name: string): LoadBalancerProvider {
    if (name === LoadBalancerProvider.AMPHORA.name) return LoadBalancerProvider.AMPHORA;
    if (name === LoadBalancerProvider.OVN.name) return LoadBalancerProvider.OVN;
    return new LoadBalancerProvider(name, false);
  }

  /**
   * @internal True when the load balancer runs on amphora: `AMPHORA`, its alias `octavia`, or no
   * provider at all (the cloud's default provider, which is amphora on nearly every cloud; a
   * cloud whose default is OVN needs `provider: LoadBalancerProvider.OVN` to get OVN's checks).
   */
  public static _isAmphora(provider: LoadBalancerProvider | undefined): boolean {
    return provider === undefined || provider.name === 'amphora' || provider.name === 'octavia';
  }

  /** @internal True for the OVN provider (layer 4 only, client addresses preserved). */
  public static _isOvn(provider: LoadBalancerProvider | undefined): boolean {
    return provider?.name === LoadBalancerProvider.OVN.name;
  }

  private constructor(
    /** The provider name Octavia knows. */
    public readonly name: string,
    /** True when members see the client's address rather than the load balancer's. */
    public readonly preservesClientAddress: boolean,
  ) {}

  public toString(): string {
    return this.name;
  }
}

/** Properties of a `LoadBalancer`. */
export interface LoadBalancerProps {
  /** The subnet the virtual IP (VIP) is allocated on. */
  readonly vipSubnet: ISubnet;
  /**
   * A fixed VIP address on `vipSubnet` (a host address inside its CIDR, checked when the stack
   * knows the CIDR).
   * @default - Neutron picks a free address
   */
  readonly vipAddress?: string;
  /**
   * The Octavia provider. Without one, Octavia uses the cloud's default provider, which is
   * amphora on nearly every cloud, so Scaleout applies amphora's checks (for example, no
   * `LbAlgorithm.SOURCE_IP_PORT`). On a cloud whose default provider is OVN, say so explicitly
   * with `LoadBalancerProvider.OVN` to get OVN's checks and defaults.
   * @default - the cloud's default provider (checked as amphora)
   */
  readonly provider?: LoadBalancerProvider;
  /**
   * Name of an Octavia flavor (sizing / topology of the load balancer). Terraform looks its id up.
   * @default - the cloud's default flavor
   */
  readonly flavorName?: string;
  /**
   * What the members' security group rules let in on the member port.
   *
   * Octavia puts the VIP port in a security group it manages itself and never lets a user group
   * contain the amphora, so members cannot name the load balancer as a remote group. With the
   * amphora driver the traffic to members comes from the amphora's port on the member subnet, so
   * by default members allow the member port from that subnet's CIDR (the least a member must
   * allow, and nothing from outside). Give a peer when the subnet's CIDR is not known to the stack
   * (an imported subnet), or when the provider keeps the client's address (OVN: allow the
   * listeners' `allowedCidrs`).
   * @default - the CIDR of the member subnet, when the stack created that subnet
   */
  readonly memberAccessPeer?: Peer;
  /**
   * Name of the load balancer in Octavia.
   * @default - the construct's logical name
   */
  readonly loadBalancerName?: string;
  /**
   * Description of the load balancer.
   * @default - 'Managed by Scaleout: <construct path>'
   */
  readonly description?: string;
}

/** The last (broadcast) address of an IPv4 CIDR, as text. */
function lastIpv4(cidr: string): string {
  const [base, prefix] = cidr.split('/');
  const first = base.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const last = first + 2 ** (32 - Number(prefix)) - 1;
  return [24, 16, 8, 0].map((shift) => Math.floor(last / 2 ** shift) % 256).join('.');
}

/** @internal The CIDR of a subnet when the stack knows it (a subnet it creates), else undefined. */
export function knownCidrOf(subnet: ISubnet): string | undefined {
  const cidr: unknown = subnet.cidr;
  return typeof cidr === 'string' && !isUnresolved(cidr) && cidrVersion(cidr) !== undefined ? cidr : undefined;
}

/**
 * The load balancer as its members see it on one subnet: a peer (a CIDR, not a group) that member
 * security groups allow. It has no security group of its own, so nothing can be allowed *to* it.
 */
class MemberSourceConnections extends Connections {
  constructor(
    private readonly lb: LoadBalancer,
    private readonly subnet: ISubnet,
  ) {
    super();
  }

  public asPeers(): Peer[] {
    return [this.lb._memberPeer(this.subnet)];
  }

  public allowFrom(_other: IConnectable, _port: Port, _options?: RuleOptions): void {
    throw usageError(
      this.lb,
      ErrorCode.USAGE,
      'connections.allowFrom',
      "cannot add rules to a load balancer: Octavia manages its VIP's security group and opens exactly the listener ports; restrict who reaches a listener with its 'allowedCidrs'",
    );
  }
}

/**
 * An Octavia load balancer with its VIP on a subnet. Add listeners with `addListener`, pools with
 * `listener.addPool`. Its `connections` stand for the traffic it sends to members, so
 * `member.connections.allowFrom(loadBalancer, Port.tcp(8080))` opens the member port to it only.
 * Octavia never lets the amphora join a user's security group, so "it" is a CIDR: the member
 * subnet, where the amphora's member-side port lives (see `memberAccessPeer`). The public side is
 * the listeners: Octavia opens exactly their ports on the VIP, to their `allowedCidrs`.
 * A `FloatingIp` can point at it (`floatingIp.associateWith(loadBalancer)`: the VIP port).
 */
export class LoadBalancer extends Resource implements IConnectable, IFloatingIpTarget {
  /** The subnet of the VIP. */
  public readonly vipSubnet: ISubnet;
  /** The provider, when one was chosen. */
  public readonly provider?: LoadBalancerProvider;
  /** The load balancer's traffic to members on the VIP subnet (a CIDR peer, see `memberAccessPeer`). */
  public readonly connections: Connections;
  private readonly props: LoadBalancerProps;
  private readonly memberSides = new Map<ISubnet, IConnectable>();
  private readonly listenerList: Listener[] = [];

  constructor(scope: Construct, id: string, lbProps: LoadBalancerProps) {
    super(scope, id);
    const props = checkProps(this, lbProps, LOAD_BALANCER_PROPS, { fix: "pass { vipSubnet: network.subnet }" });
    const subnetFix = "use a VirtualNetwork's .subnet or Subnet.fromName(this, 'Subnet', 'private-subnet')";
    requireDefined(this, 'vipSubnet', props.vipSubnet, subnetFix);
    requireConstructOf(this, 'vipSubnet', props.vipSubnet, '_heatSubnet', 'a subnet', subnetFix);
    requireIp(this, 'vipAddress', props.vipAddress);
    const vipCidr = knownCidrOf(props.vipSubnet);
    if (props.vipAddress !== undefined && !isUnresolved(props.vipAddress) && vipCidr !== undefined && cidrVersion(vipCidr) === 4) {
      const ip = props.vipAddress;
      const [network, prefix] = vipCidr.split('/');
      const broadcast = Number(prefix) >= 31 ? undefined : lastIpv4(vipCidr);
      if (!ipv4InCidr(ip, vipCidr) || ip === network || ip === broadcast) {
        throw propError(this, ErrorCode.CONFLICT, 'vipAddress', ip, `must be a host address inside the VIP subnet ${vipCidr}`, 'pick a free address of the subnet, or leave it out');
      }
    }
    requireName(this, 'flavorName', props.flavorName);
    requireName(this, 'loadBalancerName', props.loadBalancerName);
    requireName(this, 'description', props.description);
    if (props.provider !== undefined) {
      requireInstance(this, 'provider', props.provider, LoadBalancerProvider, 'use LoadBalancerProvider.AMPHORA, .OVN or .of(name)');
      requireName(this, 'provider', props.provider.name, { maxLength: 64, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'letters, digits, underscores and dashes' });
    }
    if (props.memberAccessPeer !== undefined) {
      requireInstance(this, 'memberAccessPeer', props.memberAccessPeer, Peer, "use Peer.ipv4('10.0.0.0/24')");
      props.memberAccessPeer.validate(this, 'memberAccessPeer');
    }
    this.props = props;
    this.vipSubnet = props.vipSubnet;
    this.provider = props.provider;
    this.connections = this.memberSide(props.vipSubnet).connections;
  }

  /** Adds a listener (a protocol and port on the VIP) as a child of this load balancer. */
  public addListener(id: string, options: ListenerOptions): Listener {
    arg(this, 'options', options, optionsObject, 'pass { protocol, port }');
    return new Listener(this, id, { ...options, loadBalancer: this });
  }

  /** The listeners of this load balancer, in the order they were added. */
  public get listeners(): Listener[] {
    return [...this.listenerList];
  }

  /** @internal Called by `Listener`: records a listener on this load balancer. */
  public _registerListener(listener: Listener): void {
    this.listenerList.push(listener);
  }

  /**
   * The load balancer as members on `subnet` see it: what their security groups allow the member
   * port from (`memberAccessPeer`, else the subnet's CIDR).
   */
  public memberSide(subnet: ISubnet): IConnectable {
    arg(this, 'subnet', subnet, constructOf('_heatSubnet', 'a subnet (ISubnet)', 'pass the subnet the members are on, e.g. network.subnet'), 'pass the subnet the members are on');
    let side = this.memberSides.get(subnet);
    if (!side) {
      side = new MemberSourceConnections(this, subnet);
      this.memberSides.set(subnet, side);
    }
    return side;
  }

  /** @internal The peer members on `subnet` allow; throws when the stack cannot know it. */
  public _memberPeer(subnet: ISubnet): Peer {
    if (this.props.memberAccessPeer) return this.props.memberAccessPeer;
    if (this.provider?.preservesClientAddress) {
      throw propError(
        this,
        ErrorCode.REQUIRED,
        'memberAccessPeer',
        undefined,
        `is required with the ${this.provider.name} provider, which passes the client's own address to the members`,
        "give the listeners' allowed CIDRs, e.g. Peer.anyIpv4() for a public service",
      );
    }
    const cidr = knownCidrOf(subnet);
    if (cidr === undefined) {
      throw propError(
        this,
        ErrorCode.REQUIRED,
        'memberAccessPeer',
        undefined,
        `is required to let the load balancer reach members on ${subnet.node.path}, whose CIDR the stack does not know (the amphora reaches members from that subnet)`,
        "give that subnet's CIDR, e.g. Peer.ipv4('10.0.0.0/24')",
      );
    }
    return cidrVersion(cidr) === 6 ? Peer.ipv6(cidr) : Peer.ipv4(cidr);
  }

  /** The VIP address. */
  public get vipAddress(): Value {
    return Value.of(
      (ctx) => ctx.attr(this, 'OS::Octavia::LoadBalancer', 'vip_address'),
      (ctx) => ctx.handleOf<LbLoadbalancerV2>(this).vipAddress,
      `VIP address of ${this.node.path}`,
    );
  }

  /** @internal The Neutron port of the VIP, for a floating IP. */
  public _heatPortId(ctx: HeatContext): unknown {
    return ctx.attr(this, 'OS::Octavia::LoadBalancer', 'vip_port_id');
  }

  /** @internal The Neutron port of the VIP in Terraform, for a floating IP. */
  public _terraformPortId(ctx: TerraformContext): string {
    return ctx.handleOf<LbLoadbalancerV2>(this).vipPortId;
  }

  /** @internal A floating IP on the VIP needs the VIP subnet's router interface. */
  public _terraformFloatingIpDependencies(ctx: TerraformContext): TerraformDependencies {
    return this.vipSubnet._terraformPortDependencies?.(ctx) ?? [];
  }

  /** @internal The load balancer id in HOT. */
  public _heatId(ctx: HeatContext): { get_resource: string } {
    return ctx.ref(this);
  }

  /** @internal The load balancer id in Terraform. */
  public _terraformId(ctx: TerraformContext): string {
    return ctx.handleOf<LbLoadbalancerV2>(this).id;
  }

  public _toHeat(ctx: HeatContext): void {
    ctx.addResource(this, 'OS::Octavia::LoadBalancer', {
      name: this.props.loadBalancerName ?? fitName(ctx.logicalId(this), SERVICE_NAME_MAX_LENGTH),
      description: this.description,
      vip_subnet: this.vipSubnet._heatSubnet(ctx) as string,
      vip_address: this.props.vipAddress,
      provider: this.provider?.name,
      flavor: this.props.flavorName,
    // A floating IP on the VIP needs the subnet's router interface, which Heat does not infer.
    }, { dependsOn: this.vipSubnet._heatPortDependencies?.(ctx) });
  }

  public _toTerraform(ctx: TerraformContext): LbLoadbalancerV2 {
    let flavorId: string | undefined;
    if (this.props.flavorName !== undefined) {
      const flavorName = ctx.logicalId(this, 'flavor');
      flavorId = ctx.named(new L1.DataOpenstackLbFlavorV2(ctx.scope, flavorName, { name: this.props.flavorName }), flavorName).flavorId;
    }
    const name = ctx.logicalId(this);
    return ctx.named(
      new L1.LbLoadbalancerV2(ctx.scope, name, {
        name: this.props.loadBalancerName ?? fitName(name, SERVICE_NAME_MAX_LENGTH),
        description: this.description,
        vipSubnetId: this.vipSubnet._terraformSubnetId(ctx),
        vipAddress: this.props.vipAddress,
        loadbalancerProvider: this.provider?.name,
        flavorId,
        dependsOn: this.vipSubnet._terraformPortDependencies?.(ctx),
      }),
      name,
    );
  }

  private get description(): string {
    return this.props.description ?? fitName(`Managed by Scaleout: ${this.node.path}`, SERVICE_NAME_MAX_LENGTH);
  }
}
