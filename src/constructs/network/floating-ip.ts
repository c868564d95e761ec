import { checkProps } from '../../core/props';
import { EXISTING_FLOATING_IP_PROPS, FLOATING_IP_PROPS } from '../prop-specs';
import { Construct, IConstruct } from 'constructs';
import type { DataOpenstackNetworkingFloatingipV2 } from '../../../.gen/providers/openstack/data-openstack-networking-floatingip-v2';
import type { NetworkingFloatingipAssociateV2 } from '../../../.gen/providers/openstack/networking-floatingip-associate-v2';
import type { NetworkingFloatingipV2 } from '../../../.gen/providers/openstack/networking-floatingip-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { Resource } from '../../core/resource';
import { requireConstructOf, requireDefined, requireIp, requireName, requireObject } from '../../core/validate';
import { Value } from '../../core/value';
import type { Server } from '../compute/server';
import type { INetwork, TerraformDependencies } from './network';
import { L1 } from '../../stacks/terraform/l1';

/**
 * Something with a Neutron port a floating IP can point at: a server (its port on one network)
 * or a load balancer (its VIP port).
 */
export interface IFloatingIpTarget extends IConstruct {
  /** @internal The port id in HOT (`get_resource`/`get_attr`, or a literal). */
  _heatPortId(ctx: HeatContext): unknown;
  /** @internal The port id in Terraform. */
  _terraformPortId(ctx: TerraformContext): string;
  /**
   * @internal Terraform resources the association must wait for beyond the port itself (the
   * router interface that makes the port's subnet reachable from the external network).
   * @default - none
   */
  _terraformFloatingIpDependencies?(ctx: TerraformContext): TerraformDependencies;
}

/** Options of `associateWithServer`. */
export interface ServerAssociationOptions {
  /**
   * Which of the server's networks the floating IP points at (the port on it).
   * @default - the server's first network
   */
  readonly network?: INetwork;
}

/** A public IPv4 address from an external network, pointing at one port. */
export interface IFloatingIp extends IConstruct {
  /** The public address, for outputs and user data. */
  readonly address: Value;
  /** Points the address at a target's port (a server's first port, or a load balancer's VIP). */
  associateWith(target: IFloatingIpTarget): void;
  /** Points the address at a server's port on one of its networks. */
  associateWithServer(server: Server, options?: ServerAssociationOptions): void;
}

/** Properties of a `FloatingIp`. */
export interface FloatingIpProps {
  /** Name of the external (provider) network the address is allocated from, e.g. `public`. */
  readonly externalNetworkName: string;
}

/** Properties of `FloatingIp.fromExisting`. */
export interface ExistingFloatingIpProps {
  /** The address, e.g. `203.0.113.10` (Terraform's association names the floating IP by address). */
  readonly address: string;
  /** The floating IP's Neutron id (Heat's association names it by id and cannot look an address up). */
  readonly floatingIpId: string;
}

interface Association {
  readonly target: IFloatingIpTarget;
  readonly network?: INetwork;
}

/** Which floating IP points at which port: Neutron maps a port's address to one floating IP only. */
const PORTS_TAKEN = new WeakMap<IConstruct, Map<string, string>>();

/** What both kinds of floating IP share: one association, made through the methods. */
abstract class FloatingIpBase extends Resource implements IFloatingIp {
  public abstract readonly address: Value;
  protected association?: Association;

  public associateWith(target: IFloatingIpTarget): void {
    requireDefined(this, 'target', target, 'pass a Server or a LoadBalancer');
    if (typeof (target as Partial<IFloatingIpTarget>)._heatPortId !== 'function') {
      throw propError(this, ErrorCode.USAGE, 'target', target.node?.path ?? target, 'must be a floating IP target (a Server or a LoadBalancer)', 'pass the server or load balancer itself');
    }
    this.associate({ target });
  }

  public associateWithServer(server: Server, options: ServerAssociationOptions = {}): void {
    requireDefined(this, 'server', server, 'pass the Server the address points at');
    requireConstructOf(this, 'server', server, '_portSuffixFor', 'a Server', 'pass the Server the address points at');
    requireObject(this, 'options', options ?? undefined, 'pass { network } or nothing');
    this.associate({ target: server, network: options?.network });
  }

  private associate(association: Association): void {
    const { target, network } = association;
    const server = target as Partial<Pick<Server, '_portSuffixFor'>>;
    let port = 'port';
    if (typeof server._portSuffixFor === 'function') {
      try {
        port = server._portSuffixFor(network);
      } catch {
        const shown = (network as Partial<IConstruct> | undefined)?.node?.path ?? network;
        throw propError(this, ErrorCode.USAGE, 'network', shown, `must be one of the networks of ${target.node.path}`, "pass one of the server's 'networks', or leave it out for its first");
      }
    }
    if (this.association !== undefined) {
      throw usageError(
        this,
        ErrorCode.USAGE,
        'associateWith',
        `was already called (the address points at ${this.association.target.node.path}); a floating IP points at one port, create another FloatingIp`,
      );
    }
    const taken = PORTS_TAKEN.get(target) ?? new Map<string, string>();
    const other = taken.get(port);
    if (other !== undefined) {
      throw usageError(this, ErrorCode.CONFLICT, 'target', `points at the same port of ${target.node.path} as ${other}; a port's address takes one floating IP, point this one elsewhere`);
    }
    taken.set(port, this.node.path);
    PORTS_TAKEN.set(target, taken);
    this.association = association;
  }

  /** The target's port in HOT, or undefined when not associated. */
  protected heatPort(ctx: HeatContext): unknown {
    const a = this.association;
    if (!a) return undefined;
    return a.network ? (a.target as Server)._heatPortId(ctx, a.network) : a.target._heatPortId(ctx);
  }

  /** Creates the Terraform association of `floatingIp` (an address) with the target's port. */
  protected terraformAssociation(ctx: TerraformContext, floatingIp: string): NetworkingFloatingipAssociateV2 | undefined {
    const a = this.association;
    if (!a) return undefined;
    const portId = a.network ? (a.target as Server)._terraformPortId(ctx, a.network) : a.target._terraformPortId(ctx);
    const deps = a.target._terraformFloatingIpDependencies?.(ctx) ?? [];
    const name = ctx.logicalId(this, 'association');
    return ctx.named(
      new L1.NetworkingFloatingipAssociateV2(ctx.scope, name, { floatingIp, portId, dependsOn: deps.length > 0 ? deps : undefined }),
      name,
    );
  }
}

/**
 * A floating IP: a public IPv4 address allocated from an external network, optionally pointed
 * at a server's port or a load balancer's VIP port (`associateWith`, `associateWithServer`).
 * Reuse an address the project already holds with `FloatingIp.fromExisting`.
 *
 * Heat: `OS::Neutron::FloatingIP` (`floating_network`, `port_id`). Terraform:
 * `openstack_networking_floatingip_v2` (`pool`) and `openstack_networking_floatingip_associate_v2`.
 * The port's subnet must be routed to the external network (a `VirtualNetwork` with the same
 * `externalNetworkName` is).
 */
export class FloatingIp extends FloatingIpBase {
  /**
   * Reuses a floating IP the project already holds, e.g. one a DNS record points at; the stack
   * only associates it and never releases it.
   *
   * Both the address and the id are required because the two targets name a floating IP
   * differently: Heat's `OS::Neutron::FloatingIPAssociation` takes the floating IP's id and Heat
   * has no way to look an id up from an address, while Terraform's
   * `openstack_networking_floatingip_associate_v2` takes the address (Terraform also checks it
   * exists with `data.openstack_networking_floatingip_v2`). Find the id with
   * `openstack floating ip show <address> -f value -c id`.
   */
  public static fromExisting(scope: Construct, id: string, props: ExistingFloatingIpProps): IFloatingIp {
    return new ExistingFloatingIp(scope, id, props);
  }

  /** Name of the external network the address comes from. */
  public readonly externalNetworkName: string;
  public readonly address: Value;

  constructor(scope: Construct, id: string, fipProps: FloatingIpProps) {
    super(scope, id);
    const props = checkProps(this, fipProps, FLOATING_IP_PROPS, { fix: "pass { externalNetworkName: 'public' }" });
    requireDefined(this, 'externalNetworkName', props.externalNetworkName, "name the provider network floating IPs come from, e.g. 'public'");
    requireName(this, 'externalNetworkName', props.externalNetworkName);
    this.externalNetworkName = props.externalNetworkName;
    this.address = Value.of(
      (ctx) => ctx.attr(this, 'OS::Neutron::FloatingIP', 'floating_ip_address'),
      (ctx) => ctx.handleOf<NetworkingFloatingipV2>(this).address,
      `address of ${this.node.path}`,
    );
  }

  public _toHeat(ctx: HeatContext): void {
    ctx.addResource(this, 'OS::Neutron::FloatingIP', {
      floating_network: this.externalNetworkName,
      port_id: this.heatPort(ctx) as string | undefined,
    });
  }

  public _toTerraform(ctx: TerraformContext): NetworkingFloatingipV2 {
    const name = ctx.logicalId(this);
    const fip = ctx.named(new L1.NetworkingFloatingipV2(ctx.scope, name, { pool: this.externalNetworkName }), name);
    this.terraformAssociation(ctx, fip.address);
    return fip;
  }
}

/** A floating IP the project already holds. Heat: an association by id; Terraform: a lookup by address and an association. */
class ExistingFloatingIp extends FloatingIpBase {
  public readonly address: Value;
  private readonly floatingIpId: string;

  constructor(scope: Construct, id: string, existingProps: ExistingFloatingIpProps) {
    super(scope, id);
    const fix = 'give both: openstack floating ip show <address> -f value -c id';
    const props = checkProps(this, existingProps, EXISTING_FLOATING_IP_PROPS, { fix: `pass { address, floatingIpId }; ${fix}` });
    requireDefined(this, 'address', props.address, fix);
    requireIp(this, 'address', props.address);
    if (typeof props.address === 'string' && props.address.includes(':')) {
      throw propError(this, ErrorCode.FORMAT, 'address', props.address, 'must be an IPv4 address (floating IPs are IPv4)', "write it like '203.0.113.10'");
    }
    requireDefined(this, 'floatingIpId', props.floatingIpId, fix);
    requireName(this, 'floatingIpId', props.floatingIpId);
    this.address = Value.literal(props.address);
    this.floatingIpId = props.floatingIpId;
  }

  public _toHeat(ctx: HeatContext): void {
    const port = this.heatPort(ctx);
    if (port === undefined) return;
    ctx.addResource(this, 'OS::Neutron::FloatingIPAssociation', { floatingip_id: this.floatingIpId, port_id: port as string }, { suffix: 'association' });
  }

  public _toTerraform(ctx: TerraformContext): DataOpenstackNetworkingFloatingipV2 {
    const name = ctx.logicalId(this);
    const lookup = ctx.named(new L1.DataOpenstackNetworkingFloatingipV2(ctx.scope, name, { address: this.address._terraform(ctx) as string }), name);
    this.terraformAssociation(ctx, lookup.address);
    return lookup;
  }
}
