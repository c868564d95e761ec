import { checkProps } from '../../core/props';
import { VIRTUAL_NETWORK_PROPS } from '../prop-specs';
import { Construct, IConstruct } from 'constructs';
import type { DataOpenstackNetworkingNetworkV2 } from '../../../.gen/providers/openstack/data-openstack-networking-network-v2';
import type { DataOpenstackNetworkingSubnetV2 } from '../../../.gen/providers/openstack/data-openstack-networking-subnet-v2';
import type { NetworkingNetworkV2 } from '../../../.gen/providers/openstack/networking-network-v2';
import type { NetworkingPortV2Config } from '../../../.gen/providers/openstack/networking-port-v2';
import type { NetworkingRouterInterfaceV2 } from '../../../.gen/providers/openstack/networking-router-interface-v2';
import type { NetworkingRouterV2 } from '../../../.gen/providers/openstack/networking-router-v2';
import type { NetworkingSubnetV2 } from '../../../.gen/providers/openstack/networking-subnet-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { fitName, SERVICE_NAME_MAX_LENGTH, snakeCase } from '../../core/names';

/** The longest suffix a virtual network adds to its name (`-router`; the subnet adds `-subnet`). */
const NETWORK_PART_SUFFIX = '-router';
/** The longest network name that leaves room for that suffix within Neutron's 255 characters. */
const NETWORK_NAME_MAX_LENGTH = SERVICE_NAME_MAX_LENGTH - NETWORK_PART_SUFFIX.length;
import { Resource } from '../../core/resource';
import { L1 } from '../../stacks/terraform/l1';
import {
  isUnresolved,
  parseIpv4,
  requireBoolean,
  requireCidr,
  requireConstructOf,
  requireDefined,
  requireIp,
  requireList,
  requireName,
  requireObject,
  } from '../../core/validate';

/** Terraform resources something must wait for (the `depends_on` of an L1). */
export type TerraformDependencies = NonNullable<NetworkingPortV2Config['dependsOn']>;

/** A Neutron network that servers and ports attach to. */
export interface INetwork extends IConstruct {
  /** Snake-case label used in the names of resources attached to this network. */
  readonly label: string;
  /** @internal What HOT writes for the network (name, id or get_resource). */
  _heatNetwork(ctx: HeatContext): unknown;
  /** @internal The network id in Terraform. */
  _terraformNetworkId(ctx: TerraformContext): string;
  /**
   * @internal Terraform resources a port on this network must wait for (its subnet and router
   * interface when the stack creates them).
   */
  _terraformPortDependencies?(ctx: TerraformContext): TerraformDependencies;
  /**
   * @internal The same for HOT: logical names of the subnet and router interface. Heat infers a
   * port's dependency on its network's subnet, but not on the router interface, which a server's
   * first boot (package installs) and a floating IP need.
   */
  _heatPortDependencies?(ctx: HeatContext): string[];
}

/** A Neutron subnet (load balancer VIPs and pool members live on one). */
export interface ISubnet extends IConstruct {
  /** The network the subnet belongs to. */
  readonly network: INetwork;
  /** Snake-case label used in the names of resources attached to this subnet. */
  readonly label: string;
  /**
   * The subnet's CIDR block when the stack knows it (a subnet it creates); undefined for an
   * existing subnet. Load balancers let pool members accept traffic from it.
   */
  readonly cidr?: string;
  /** @internal What HOT writes for the subnet (name, id or get_resource). */
  _heatSubnet(ctx: HeatContext): unknown;
  /** @internal The subnet id in Terraform. */
  _terraformSubnetId(ctx: TerraformContext): string;
  /** @internal Terraform resources an address on this subnet must wait for (see `INetwork`). */
  _terraformPortDependencies?(ctx: TerraformContext): TerraformDependencies;
  /** @internal The same for HOT (see `INetwork`). */
  _heatPortDependencies?(ctx: HeatContext): string[];
}

/** An existing network, referenced by name or id; the stack creates nothing for it. */
export class ImportedNetwork extends Resource implements INetwork {
  constructor(
    scope: Construct,
    id: string,
    private readonly ref: { readonly id?: string; readonly name?: string },
  ) {
    super(scope, id);
    const prop = 'id' in ref ? 'networkId' : 'networkName';
    requireDefined(this, prop, ref.id ?? ref.name, 'give the id or name of an existing network');
    requireName(this, prop, ref.id ?? ref.name);
  }

  public get label(): string {
    return snakeCase(this.node.id);
  }

  public _heatNetwork(): unknown {
    return this.ref.id ?? this.ref.name;
  }

  public _terraformNetworkId(ctx: TerraformContext): string {
    return this.ref.id ?? ctx.handleOf<DataOpenstackNetworkingNetworkV2>(this).id;
  }

  public _toHeat(): void {}

  public _toTerraform(ctx: TerraformContext): unknown {
    if (this.ref.id !== undefined) return undefined;
    const name = ctx.logicalId(this);
    return ctx.named(new L1.DataOpenstackNetworkingNetworkV2(ctx.scope, name, { name: this.ref.name }), name);
  }
}

/** Ways to reference networks that already exist. */
export class Network {
  /** An existing network by name (Terraform looks its id up with a data source). */
  public static fromName(scope: Construct, id: string, networkName: string): INetwork {
    return new ImportedNetwork(scope, id, { name: networkName });
  }

  /** An existing network by id. */
  public static fromId(scope: Construct, id: string, networkId: string): INetwork {
    return new ImportedNetwork(scope, id, { id: networkId });
  }

  private constructor() {}
}

/** Ways to reference subnets that already exist; the stack creates nothing for them. */
export class Subnet {
  /**
   * An existing subnet by id.
   * @param network the subnet's network. Heat cannot look a subnet's network up, so give it when
   * something creates ports on the subnet (servers, load balancer VIPs) in a Heat stack.
   * @default network - looked up by Terraform (`data.openstack_networking_subnet_v2`); Heat refuses to render it
   */
  public static fromId(scope: Construct, id: string, subnetId: string, network?: INetwork): ISubnet {
    return new ImportedSubnet(scope, id, { id: subnetId }, network);
  }

  /**
   * An existing subnet by name (Terraform looks it up with `data.openstack_networking_subnet_v2`,
   * within `network` when given).
   * @param network the subnet's network. In Terraform it also narrows the lookup when subnet names
   * repeat; Heat passes the bare name to Neutron, which must find exactly one subnet of that name in
   * the project, so use `fromId` where names are not unique.
   * @default network - looked up by Terraform; Heat refuses to render it
   */
  public static fromName(scope: Construct, id: string, subnetName: string, network?: INetwork): ISubnet {
    return new ImportedSubnet(scope, id, { name: subnetName }, network);
  }

  private constructor() {}
}

/** An existing subnet, by id or name. */
class ImportedSubnet extends Resource implements ISubnet {
  public readonly network: INetwork;

  constructor(
    scope: Construct,
    id: string,
    private readonly ref: { readonly id?: string; readonly name?: string },
    private readonly givenNetwork: INetwork | undefined,
  ) {
    super(scope, id);
    const prop = 'id' in ref ? 'subnetId' : 'subnetName';
    requireDefined(this, prop, ref.id ?? ref.name, 'give the id or name of an existing subnet');
    requireName(this, prop, ref.id ?? ref.name);
    requireConstructOf(this, 'network', givenNetwork, '_heatNetwork', 'a network (a VirtualNetwork\'s .network or Network.fromName/fromId)', "use Network.fromName(this, 'Net', '<network name>')");
    this.network = givenNetwork ?? new NetworkOfImportedSubnet(this, 'Network', this);
  }

  public get label(): string {
    return snakeCase(this.node.id);
  }

  public _heatSubnet(): unknown {
    return this.ref.id ?? this.ref.name;
  }

  public _terraformSubnetId(ctx: TerraformContext): string {
    return this.ref.id ?? this._lookup(ctx)!.id;
  }

  /** @internal The data source that finds the subnet (by name, or by id to learn its network). */
  public _lookup(ctx: TerraformContext): DataOpenstackNetworkingSubnetV2 | undefined {
    return ctx.handleOf<DataOpenstackNetworkingSubnetV2 | undefined>(this);
  }

  public _toHeat(): void {}

  public _toTerraform(ctx: TerraformContext): DataOpenstackNetworkingSubnetV2 | undefined {
    if (this.ref.id !== undefined && this.givenNetwork !== undefined) return undefined;
    const name = ctx.logicalId(this);
    return ctx.named(
      new L1.DataOpenstackNetworkingSubnetV2(ctx.scope, name, {
        subnetId: this.ref.id,
        name: this.ref.name,
        networkId: this.givenNetwork?._terraformNetworkId(ctx),
      }),
      name,
    );
  }
}

/** The network of a subnet imported without one: Terraform reads it from the subnet; Heat cannot. */
class NetworkOfImportedSubnet extends Construct implements INetwork {
  constructor(
    scope: Construct,
    id: string,
    private readonly subnet: ImportedSubnet,
  ) {
    super(scope, id);
  }

  public get label(): string {
    return this.subnet.label;
  }

  public _heatNetwork(): unknown {
    throw usageError(
      this.subnet,
      ErrorCode.UNSUPPORTED,
      'network',
      'is unknown: Heat cannot look up the network of an existing subnet; pass it, e.g. ' +
        "Subnet.fromId(this, 'Subnet', '<subnet id>', Network.fromName(this, 'Net', '<network name>'))",
    );
  }

  public _terraformNetworkId(ctx: TerraformContext): string {
    return this.subnet._lookup(ctx)!.networkId;
  }
}

/** A range of addresses Neutron hands out on a subnet (inclusive). */
export interface AllocationPool {
  /** First address of the range. */
  readonly start: string;
  /** Last address of the range. */
  readonly end: string;
}

/** Properties of a `VirtualNetwork`. */
export interface VirtualNetworkProps {
  /**
   * Name of the external (provider) network the router's gateway sits on, where floating IPs
   * come from, e.g. `public`.
   */
  readonly externalNetworkName: string;
  /** IPv4 CIDR block of the subnet, e.g. `10.0.0.0/24` (prefix /8 to /29). */
  readonly cidr: string;
  /**
   * Name of the network in Neutron; the subnet and router are named `<name>-subnet` and `<name>-router`,
   * so it has at most 248 characters (Neutron's names have at most 255).
   * @default - the construct's logical name, shortened deterministically (start + hash, see
   * `fitName`) when it would be longer than 248 characters
   */
  readonly networkName?: string;
  /**
   * DNS servers handed to servers by DHCP (at most 5, Neutron's default limit; none twice).
   * @default - none: Neutron's DHCP agent hands out its own resolvers
   */
  readonly dnsNameservers?: string[];
  /**
   * Gateway address of the subnet (the router's interface takes it); inside `cidr`, not its
   * network or broadcast address.
   * @default - the first host address of `cidr`, chosen by Neutron
   */
  readonly gatewayIp?: string;
  /**
   * Whether Neutron's DHCP serves addresses on the subnet.
   * @default true
   */
  readonly enableDhcp?: boolean;
  /**
   * Ranges Neutron hands addresses out of (at least one when given); each inside `cidr`, not
   * overlapping, not holding the gateway.
   * @default - every host address of `cidr` except the gateway
   */
  readonly allocationPools?: AllocationPool[];
}

/** IPv4 range of a CIDR block as 32-bit numbers. */
function ipv4Range(cidr: string): { first: number; last: number } {
  const [base, prefix] = cidr.split('/');
  const size = 2 ** (32 - Number(prefix));
  const first = parseIpv4(base)!;
  return { first, last: first + size - 1 };
}

/**
 * A private network the stack owns: a Neutron network, one IPv4 subnet, and a router whose
 * gateway is on an external network (so servers reach the internet and can get floating IPs).
 * Servers attach to `.network`; load balancers and pool members use `.subnet`.
 *
 * Heat: `OS::Neutron::Net`, `OS::Neutron::Subnet`, `OS::Neutron::Router` (with
 * `external_gateway_info`), `OS::Neutron::RouterInterface`. Terraform: the `_v2` network, subnet,
 * router and router interface, with the external network's id from a data source by name.
 */
export class VirtualNetwork extends Resource {
  /** The network, for server ports. */
  public readonly network: INetwork;
  /** The subnet, for load balancer VIPs and pool members. */
  public readonly subnet: ISubnet;
  /** Name of the external network the router's gateway is on (where floating IPs come from). */
  public readonly externalNetworkName: string;
  /** The subnet's CIDR block. */
  public readonly cidr: string;
  private readonly props: VirtualNetworkProps;

  constructor(scope: Construct, id: string, networkProps: VirtualNetworkProps) {
    super(scope, id);
    const props = checkProps(this, networkProps, VIRTUAL_NETWORK_PROPS, { fix: "pass { externalNetworkName: 'public', cidr: '10.0.0.0/24' }" });
    requireDefined(this, 'externalNetworkName', props.externalNetworkName, "name the provider network floating IPs come from, e.g. 'public'");
    requireName(this, 'externalNetworkName', props.externalNetworkName);
    requireDefined(this, 'cidr', props.cidr, "give the subnet's block, e.g. '10.0.0.0/24'");
    requireCidr(this, 'cidr', props.cidr, 4);
    requireName(this, 'networkName', props.networkName, { maxLength: NETWORK_NAME_MAX_LENGTH });
    requireBoolean(this, 'enableDhcp', props.enableDhcp);
    this.validateAddresses(props);
    this.props = props;
    this.externalNetworkName = props.externalNetworkName;
    this.cidr = props.cidr;
    this.network = new VirtualNetworkPart(this, 'Network', this);
    this.subnet = new VirtualNetworkSubnet(this, 'Subnet', this);
  }

  private validateAddresses(props: VirtualNetworkProps): void {
    if (isUnresolved(props.cidr)) return;
    const prefix = Number(props.cidr.split('/')[1]);
    if (prefix < 8 || prefix > 29) {
      throw propError(this, ErrorCode.RANGE, 'cidr', props.cidr, 'must have a prefix between /8 and /29', "use a block like '10.0.0.0/24'");
    }
    const range = ipv4Range(props.cidr);
    const isHost = (ip: number): boolean => ip > range.first && ip < range.last;
    requireList(this, 'dnsNameservers', props.dnsNameservers, 0, 5, "list at most 5 addresses, e.g. ['9.9.9.9']");
    const dns = props.dnsNameservers ?? [];
    dns.forEach((ip, i) => {
      requireDefined(this, `dnsNameservers[${i}]`, ip, "give an address, e.g. '9.9.9.9'");
      requireIp(this, `dnsNameservers[${i}]`, ip);
    });
    const dupDns = dns.find((ip, i) => dns.indexOf(ip) !== i);
    if (dupDns !== undefined) {
      throw propError(this, ErrorCode.CONFLICT, 'dnsNameservers', dupDns, 'lists an address twice (Neutron refuses duplicates)', 'remove the duplicate');
    }
    const gateway = props.gatewayIp;
    requireIp(this, 'gatewayIp', gateway);
    const gw = gateway === undefined || isUnresolved(gateway) ? undefined : parseIpv4(gateway);
    if (gateway !== undefined && !isUnresolved(gateway) && (gw === undefined || !isHost(gw))) {
      throw propError(this, ErrorCode.CONFLICT, 'gatewayIp', gateway, `must be an IPv4 host address inside ${props.cidr}`, 'pick an address of the subnet, e.g. its first one');
    }
    requireList(this, 'allocationPools', props.allocationPools, 1, 1000, "give ranges like [{ start: '10.0.0.10', end: '10.0.0.200' }], or leave it out");
    const pools = (props.allocationPools ?? []).map((p, i) => {
      const at = `allocationPools[${i}]`;
      requireDefined(this, at, p, "give a range like { start: '10.0.0.10', end: '10.0.0.200' }");
      requireObject(this, at, p, "give a range like { start: '10.0.0.10', end: '10.0.0.200' }");
      for (const key of ['start', 'end'] as const) {
        const ip = p?.[key];
        requireDefined(this, `${at}.${key}`, ip, "give both ends, e.g. { start: '10.0.0.10', end: '10.0.0.200' }");
        const n = parseIpv4(ip);
        if (n === undefined) {
          throw propError(this, ErrorCode.FORMAT, `${at}.${key}`, ip, 'must be an IPv4 address', "write it like '10.0.0.10'");
        }
        if (!isHost(n)) {
          throw propError(this, ErrorCode.CONFLICT, `${at}.${key}`, ip, `must be a host address inside ${props.cidr}`, 'pick an address of the subnet');
        }
      }
      const start = parseIpv4(p.start)!;
      const end = parseIpv4(p.end)!;
      if (start > end) {
        throw propError(this, ErrorCode.CONFLICT, at, `${p.start}-${p.end}`, 'must start at or before its end', 'swap start and end');
      }
      const gwAddr = gw ?? range.first + 1;
      if (gwAddr >= start && gwAddr <= end) {
        throw propError(this, ErrorCode.CONFLICT, at, `${p.start}-${p.end}`, `must not hold the gateway ${gateway ?? 'address (the first host)'}`, 'start the pool after the gateway');
      }
      return { start, end, at, text: `${p.start}-${p.end}` };
    });
    pools.forEach((a, i) =>
      pools.slice(i + 1).forEach((b) => {
        if (a.start <= b.end && b.start <= a.end) {
          throw propError(this, ErrorCode.CONFLICT, b.at, b.text, `must not overlap ${a.at} (${a.text})`, 'make the ranges disjoint');
        }
      }),
    );
  }

  /** @internal Snake-case label of the network, for resources attached to it. */
  public get label(): string {
    return snakeCase(this.node.id);
  }

  public _toHeat(ctx: HeatContext): void {
    const name = this.props.networkName ?? fitName(ctx.logicalId(this), NETWORK_NAME_MAX_LENGTH);
    ctx.addResource(this, 'OS::Neutron::Net', { name });
    ctx.addResource(
      this,
      'OS::Neutron::Subnet',
      {
        name: `${name}-subnet`,
        network: ctx.ref(this),
        ip_version: 4,
        cidr: this.props.cidr,
        gateway_ip: this.props.gatewayIp,
        enable_dhcp: this.props.enableDhcp ?? true,
        dns_nameservers: this.props.dnsNameservers,
        allocation_pools: this.props.allocationPools?.map((p) => ({ start: p.start, end: p.end })),
      },
      { suffix: 'subnet' },
    );
    ctx.addResource(this, 'OS::Neutron::Router', { name: `${name}-router`, external_gateway_info: { network: this.props.externalNetworkName } }, { suffix: 'router' });
    ctx.addResource(this, 'OS::Neutron::RouterInterface', { router: ctx.ref(this, 'router'), subnet: ctx.ref(this, 'subnet') }, { suffix: 'router_interface' });
  }

  public _toTerraform(ctx: TerraformContext): VirtualNetworkHandle {
    const id = (suffix?: string): string => ctx.logicalId(this, suffix);
    const name = this.props.networkName ?? fitName(id(), NETWORK_NAME_MAX_LENGTH);
    const external = ctx.named(
      new L1.DataOpenstackNetworkingNetworkV2(ctx.scope, id('external_network'), { name: this.props.externalNetworkName, external: true }),
      id('external_network'),
    );
    const network = ctx.named(new L1.NetworkingNetworkV2(ctx.scope, id(), { name, adminStateUp: true }), id());
    const subnet = ctx.named(
      new L1.NetworkingSubnetV2(ctx.scope, id('subnet'), {
        name: `${name}-subnet`,
        networkId: network.id,
        ipVersion: 4,
        cidr: this.props.cidr,
        gatewayIp: this.props.gatewayIp,
        enableDhcp: this.props.enableDhcp ?? true,
        dnsNameservers: this.props.dnsNameservers,
        allocationPool: this.props.allocationPools?.map((p) => ({ start: p.start, end: p.end })),
      }),
      id('subnet'),
    );
    const router = ctx.named(
      new L1.NetworkingRouterV2(ctx.scope, id('router'), { name: `${name}-router`, externalNetworkId: external.id, adminStateUp: true }),
      id('router'),
    );
    const routerInterface = ctx.named(
      new L1.NetworkingRouterInterfaceV2(ctx.scope, id('router_interface'), { routerId: router.id, subnetId: subnet.id }),
      id('router_interface'),
    );
    return { network, subnet, router, routerInterface };
  }
}

/** What `VirtualNetwork._toTerraform` returns. */
export interface VirtualNetworkHandle {
  /** The network. */
  readonly network: NetworkingNetworkV2;
  /** The subnet. */
  readonly subnet: NetworkingSubnetV2;
  /** The router. */
  readonly router: NetworkingRouterV2;
  /** The router's interface on the subnet. */
  readonly routerInterface: NetworkingRouterInterfaceV2;
}

/** The network of a `VirtualNetwork` (rendered by its owner). */
class VirtualNetworkPart extends Construct implements INetwork {
  constructor(
    scope: Construct,
    id: string,
    protected readonly owner: VirtualNetwork,
  ) {
    super(scope, id);
  }

  public get label(): string {
    return this.owner.label;
  }

  public _heatNetwork(ctx: HeatContext): unknown {
    return ctx.ref(this.owner);
  }

  public _terraformNetworkId(ctx: TerraformContext): string {
    return ctx.handleOf<VirtualNetworkHandle>(this.owner).network.id;
  }

  public _terraformPortDependencies(ctx: TerraformContext): TerraformDependencies {
    const h = ctx.handleOf<VirtualNetworkHandle>(this.owner);
    return [h.subnet, h.routerInterface];
  }

  public _heatPortDependencies(ctx: HeatContext): string[] {
    return [ctx.logicalId(this.owner, 'subnet'), ctx.logicalId(this.owner, 'router_interface')];
  }
}

/** The subnet of a `VirtualNetwork` (rendered by its owner). */
class VirtualNetworkSubnet extends VirtualNetworkPart implements ISubnet {
  public get network(): INetwork {
    return this.owner.network;
  }

  public get cidr(): string {
    return this.owner.cidr;
  }

  public _heatSubnet(ctx: HeatContext): unknown {
    return ctx.ref(this.owner, 'subnet');
  }

  public _terraformSubnetId(ctx: TerraformContext): string {
    return ctx.handleOf<VirtualNetworkHandle>(this.owner).subnet.id;
  }
}
