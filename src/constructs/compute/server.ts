import { Construct } from 'constructs';
import { ComputeInstanceV2 } from '../../../.gen/providers/openstack/compute-instance-v2';
import { DataOpenstackImagesImageV2 } from '../../../.gen/providers/openstack/data-openstack-images-image-v2';
import { NetworkingPortV2 } from '../../../.gen/providers/openstack/networking-port-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { Resource } from '../../core/resource';
import { Stack } from '../../core/stack';
import { requireDefined, requireInt, requireName } from '../../core/validate';
import { Value } from '../../core/value';
import { Connections, IConnectable } from '../network/connections';
import type { IFloatingIpTarget } from '../network/floating-ip';
import type { INetwork } from '../network/network';
import { ISecurityGroup, SecurityGroup } from '../network/security-group';
import { Flavor, Image } from './image';
import type { IKeyPair } from './key-pair';
import type { IServerGroup } from './server-group';
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
   * Name of an existing Nova key pair for SSH access. Give this or `keyPair`, not both.
   * @default - no key pair (no SSH key is injected)
   */
  readonly keyName?: string;
  /**
   * Key pair for SSH access: one the stack creates (`new KeyPair`) or `KeyPair.fromName`. Give
   * this or `keyName`, not both.
   * @default - no key pair (no SSH key is injected)
   */
  readonly keyPair?: IKeyPair;
  /**
   * Server group whose placement policy (anti-affinity, ...) Nova applies to this server.
   * @default - no server group
   */
  readonly serverGroup?: IServerGroup;
  /**
   * Boot from a new Cinder volume made from `image` instead of the flavor's local disk.
   * @default - boot from the flavor's local disk
   */
  readonly bootVolume?: BootVolume;
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

/** A boot volume created from the server's image. */
export interface BootVolume {
  /** Size of the volume in GiB (1 to 16384); at least the image's minimum disk. */
  readonly sizeGiB: number;
  /**
   * Delete the volume when the server is deleted. When false the volume outlives the server
   * (and the stack: Heat keeps it with `deletion_policy: Retain` when it is a separate resource).
   * @default true
   */
  readonly deleteOnTermination?: boolean;
  /**
   * Cinder volume type. Heat's `block_device_mapping_v2` has no volume type, so with one the Heat
   * target creates the volume as an `OS::Cinder::Volume` (suffix `boot_volume`) and boots from it.
   * @default - the cloud's default volume type
   */
  readonly volumeType?: string;
}

/**
 * A Nova server with one Neutron port per network, carrying its security groups. It can be the
 * target of a floating IP (its port on the first network, or on one chosen with
 * `FloatingIp.associateWithServer`).
 */
export class Server extends Resource implements IConnectable, IFloatingIpTarget {
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
    if (props.keyName !== undefined && props.keyPair !== undefined) {
      throw propError(this, ErrorCode.CONFLICT, 'keyPair', props.keyName, "cannot be given together with 'keyName'", "drop 'keyName' or use KeyPair.fromName(this, 'Key', keyName)");
    }
    if (props.bootVolume !== undefined) {
      requireDefined(this, 'bootVolume.sizeGiB', props.bootVolume.sizeGiB, 'give the volume size, e.g. { sizeGiB: 20 }');
      requireInt(this, 'bootVolume.sizeGiB', props.bootVolume.sizeGiB, 1, 16384, 'GiB');
      requireName(this, 'bootVolume.volumeType', props.bootVolume.volumeType);
    }
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

  /** @internal The suffix of the server's port on `network` (default: the first); throws when the server is not on it. */
  public _portSuffixFor(network?: INetwork): string {
    if (network === undefined) return this.portSuffix(0);
    const index = this.props.networks.indexOf(network);
    if (index < 0) {
      throw usageError(this, ErrorCode.USAGE, 'network', `${network?.node?.path ?? String(network)} is not one of the server's networks; pass one of its 'networks'`);
    }
    return this.portSuffix(index);
  }

  /** @internal The server's port (on `network`, or on its first network) in HOT. */
  public _heatPortId(ctx: HeatContext, network?: INetwork): unknown {
    return ctx.ref(this, network ? this._portSuffixFor(network) : this.portSuffix(0));
  }

  /** @internal The server's port (on `network`, or on its first network) in Terraform. */
  public _terraformPortId(ctx: TerraformContext, network?: INetwork): string {
    const index = network ? this.props.networks.indexOf(network) : 0;
    if (index < 0) this._portSuffixFor(network!);
    return ctx.handleOf<{ ports: NetworkingPortV2[] }>(this).ports[index].id;
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
    const boot = this.props.bootVolume;
    ctx.addResource(this, 'OS::Nova::Server', {
      name: this.props.serverName ?? ctx.logicalId(this),
      image: boot ? undefined : this.props.image.nameOrId,
      block_device_mapping_v2: boot ? [this.heatBootDevice(ctx, boot)] : undefined,
      flavor: this.props.flavor.nameOrId,
      key_name: (this.props.keyPair?._heatKeyName(ctx) ?? this.props.keyName) as string | undefined,
      scheduler_hints: this.props.serverGroup ? { group: this.props.serverGroup._heatServerGroupId(ctx) } : undefined,
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
          dependsOn: net._terraformPortDependencies?.(ctx),
        }),
        name,
      );
    });
    const name = ctx.logicalId(this);
    const boot = this.props.bootVolume;
    const instance = ctx.named(
      new ComputeInstanceV2(ctx.scope, name, {
        name: this.props.serverName ?? name,
        imageName: boot ? undefined : this.props.image.name,
        imageId: boot ? undefined : this.props.image.id,
        blockDevice: boot
          ? [
              {
                sourceType: 'image',
                destinationType: 'volume',
                bootIndex: 0,
                uuid: this.props.image.id ?? this.terraformImageLookup(ctx).id,
                volumeSize: boot.sizeGiB,
                volumeType: boot.volumeType,
                deleteOnTermination: boot.deleteOnTermination ?? true,
              },
            ]
          : undefined,
        flavorName: this.props.flavor.name,
        flavorId: this.props.flavor.id,
        keyPair: this.props.keyPair?._terraformKeyName(ctx) ?? this.props.keyName,
        schedulerHints: this.props.serverGroup ? [{ group: this.props.serverGroup._terraformServerGroupId(ctx) }] : undefined,
        userData: this.props.userData?._terraform(ctx),
        metadata: this.metadataFor(Stack.of(this).stackName) as Record<string, string>,
        network: ports.map((p) => ({ port: p.id })),
      }),
      name,
    );
    return { instance, ports };
  }

  /**
   * Heat's boot device: the image written to a new volume by Nova, or (with a volume type, which
   * `block_device_mapping_v2` cannot carry) a separate `OS::Cinder::Volume` made from the image.
   */
  private heatBootDevice(ctx: HeatContext, boot: BootVolume): Record<string, unknown> {
    const deleteOnTermination = boot.deleteOnTermination ?? true;
    if (boot.volumeType === undefined) {
      return { image: this.props.image.nameOrId, volume_size: boot.sizeGiB, boot_index: 0, delete_on_termination: deleteOnTermination };
    }
    const volume = ctx.addResource(
      this,
      'OS::Cinder::Volume',
      { image: this.props.image.nameOrId, size: boot.sizeGiB, volume_type: boot.volumeType },
      { suffix: 'boot_volume', deletionPolicy: deleteOnTermination ? undefined : 'Retain' },
    );
    return { volume_id: { get_resource: volume }, boot_index: 0, delete_on_termination: deleteOnTermination };
  }

  /** Terraform's `block_device.uuid` must be an image id: an image given by name is looked up. */
  private terraformImageLookup(ctx: TerraformContext): DataOpenstackImagesImageV2 {
    const name = ctx.logicalId(this, 'image');
    return ctx.named(new DataOpenstackImagesImageV2(ctx.scope, name, { name: this.props.image.name }), name);
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
