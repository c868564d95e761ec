import { Construct } from 'constructs';
import { ComputeInstanceV2 } from '../../../.gen/providers/openstack/compute-instance-v2';
import { NetworkingPortV2 } from '../../../.gen/providers/openstack/networking-port-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError } from '../../core/errors';
import { Resource } from '../../core/resource';
import { Stack } from '../../core/stack';
import { requireDefined, requireName } from '../../core/validate';
import { Value } from '../../core/value';
import { Connections, IConnectable } from '../network/connections';
import type { INetwork } from '../network/network';
import { ISecurityGroup, SecurityGroup } from '../network/security-group';
import { Flavor, Image } from './image';
import { UserData } from './user-data';

/** Metadata keys Scaleout writes on every server it creates, so none is orphaned or mistaken for another stack's. */
export const OWNERSHIP_METADATA = {
  /** The stack that owns the server. */
  STACK: 'scaleout_stack',
  /** The construct path of the server (or of its autoscaling group). */
  OWNER: 'scaleout_owner',
} as const;

/** Properties of a `Server`. */
export interface ServerProps {
  /** The image to boot. */
  readonly image: Image;
  /** The flavor (size). */
  readonly flavor: Flavor;
  /** The networks to attach, one port each; the first is the primary address. */
  readonly networks: INetwork[];
  /**
   * Name of an existing Nova key pair for SSH access.
   * @default - no key pair (no SSH key is injected)
   */
  readonly keyName?: string;
  /**
   * Security groups of the server's ports.
   * @default - a new security group (child 'SecurityGroup') with outbound traffic allowed and no inbound rule
   */
  readonly securityGroups?: ISecurityGroup[];
  /**
   * What the server runs at first boot.
   * @default - none
   */
  readonly userData?: UserData;
  /**
   * Nova metadata (string keys and values, at most 255 characters each). Scaleout adds
   * `scaleout_stack` and `scaleout_owner`, which may not be overridden.
   * @default - only the ownership keys
   */
  readonly metadata?: Record<string, string>;
  /**
   * Server name in Nova.
   * @default - the construct's logical name
   */
  readonly serverName?: string;
}

/** A Nova server with one Neutron port per network, carrying its security groups. */
export class Server extends Resource implements IConnectable {
  public readonly connections: Connections;
  private readonly props: ServerProps;

  constructor(scope: Construct, id: string, props: ServerProps) {
    super(scope, id);
    requireDefined(this, 'image', props.image, "use Image.fromName('ubuntu-22.04')");
    requireDefined(this, 'flavor', props.flavor, "use Flavor.fromName('m1.small', { vcpus: 1 })");
    props.image.validate(this, 'image');
    props.flavor.validate(this, 'flavor');
    if (!Array.isArray(props.networks) || props.networks.length === 0) {
      throw propError(this, ErrorCode.REQUIRED, 'networks', props.networks, 'must list at least one network', "use Network.fromName(this, 'Net', 'private')");
    }
    requireName(this, 'keyName', props.keyName);
    requireName(this, 'serverName', props.serverName, { maxLength: 255 });
    validateMetadata(this, 'metadata', props.metadata);
    const groups = props.securityGroups ?? [new SecurityGroup(this, 'SecurityGroup')];
    this.props = { ...props, securityGroups: groups };
    this.connections = new Connections({ securityGroups: groups });
  }

  /** The server's first fixed IP address (on its first network). */
  public get privateIp(): Value {
    return Value.of(
      (ctx) => ({ get_attr: [ctx.logicalId(this, this.portSuffix(0)), 'fixed_ips', 0, 'ip_address'] }),
      (ctx) => ctx.handleOf<{ instance: ComputeInstanceV2 }>(this).instance.accessIpV4,
      `private IP of ${this.node.path}`,
    );
  }

  private portSuffix(index: number): string {
    return `port_${this.props.networks[index].label}`;
  }

  private metadataFor(stackName: unknown): Record<string, unknown> {
    return { ...(this.props.metadata ?? {}), [OWNERSHIP_METADATA.STACK]: stackName, [OWNERSHIP_METADATA.OWNER]: this.node.path };
  }

  public _toHeat(ctx: HeatContext): void {
    const ports = this.props.networks.map((net, i) =>
      ctx.addResource(
        this,
        'OS::Neutron::Port',
        { network: net._heatNetwork(ctx) as string, security_groups: this.props.securityGroups!.map((g) => g._heatRef(ctx)) },
        { suffix: this.portSuffix(i) },
      ),
    );
    ctx.addResource(this, 'OS::Nova::Server', {
      name: this.props.serverName ?? ctx.logicalId(this),
      image: this.props.image.nameOrId,
      flavor: this.props.flavor.nameOrId,
      key_name: this.props.keyName,
      networks: ports.map((p) => ({ port: { get_resource: p } })),
      user_data_format: this.props.userData ? 'RAW' : undefined,
      user_data: this.props.userData?._heat(ctx) as string | undefined,
      metadata: this.metadataFor({ get_param: 'OS::stack_name' }),
    });
  }

  public _toTerraform(ctx: TerraformContext): { instance: ComputeInstanceV2; ports: NetworkingPortV2[] } {
    const ports = this.props.networks.map((net, i) => {
      const name = ctx.logicalId(this, this.portSuffix(i));
      return ctx.named(
        new NetworkingPortV2(ctx.scope, name, {
          networkId: net._terraformNetworkId(ctx),
          securityGroupIds: this.props.securityGroups!.map((g) => g._terraformId(ctx)),
          adminStateUp: true,
        }),
        name,
      );
    });
    const name = ctx.logicalId(this);
    const instance = ctx.named(
      new ComputeInstanceV2(ctx.scope, name, {
        name: this.props.serverName ?? name,
        imageName: this.props.image.name,
        imageId: this.props.image.id,
        flavorName: this.props.flavor.name,
        flavorId: this.props.flavor.id,
        keyPair: this.props.keyName,
        userData: this.props.userData?._terraform(ctx),
        metadata: this.metadataFor(Stack.of(this).stackName) as Record<string, string>,
        network: ports.map((p) => ({ port: p.id })),
      }),
      name,
    );
    return { instance, ports };
  }
}

/** Checks Nova metadata: at most 128 items, string keys and values of 1-255 characters, no reserved key. */
export function validateMetadata(scope: Construct, prop: string, metadata: Record<string, string> | undefined): void {
  if (metadata === undefined) return;
  const entries = Object.entries(metadata);
  if (entries.length > 120) {
    throw propError(scope, ErrorCode.RANGE, prop, entries.length, 'must have at most 120 keys (Nova allows 128; Scaleout adds its own)', 'drop some keys');
  }
  for (const [k, v] of entries) {
    if (k.length === 0 || k.length > 255) throw propError(scope, ErrorCode.RANGE, `${prop}`, k, 'keys must be 1 to 255 characters long', 'rename the key');
    if (typeof v !== 'string' || v.length > 255) throw propError(scope, ErrorCode.RANGE, `${prop}.${k}`, v, 'must be a string of at most 255 characters', 'shorten the value');
    if ((Object.values(OWNERSHIP_METADATA) as string[]).includes(k)) {
      throw propError(scope, ErrorCode.CONFLICT, `${prop}.${k}`, v, 'is reserved for Scaleout ownership metadata', 'use another key');
    }
  }
}
