import { Construct, IConstruct } from 'constructs';
import { DataOpenstackNetworkingNetworkV2 } from '../../../.gen/providers/openstack/data-openstack-networking-network-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { snakeCase } from '../../core/names';
import { Resource } from '../../core/resource';
import { requireName } from '../../core/validate';

/** A Neutron network that servers and ports attach to. */
export interface INetwork extends IConstruct {
  /** Snake-case label used in the names of resources attached to this network. */
  readonly label: string;
  /** @internal What HOT writes for the network (name, id or get_resource). */
  _heatNetwork(ctx: HeatContext): unknown;
  /** @internal The network id in Terraform. */
  _terraformNetworkId(ctx: TerraformContext): string;
}

/** An existing network, referenced by name or id; the stack creates nothing for it. */
export class ImportedNetwork extends Resource implements INetwork {
  constructor(
    scope: Construct,
    id: string,
    private readonly ref: { readonly id?: string; readonly name?: string },
  ) {
    super(scope, id);
    if (ref.id !== undefined) requireName(this, 'networkId', ref.id);
    if (ref.name !== undefined) requireName(this, 'networkName', ref.name);
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
    return ctx.named(new DataOpenstackNetworkingNetworkV2(ctx.scope, name, { name: this.ref.name }), name);
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
