import { fitName, nameLength, SERVICE_NAME_MAX_LENGTH } from '../../core/names';

/** Nova's limit on a metadata value (nova/api/validation/parameter_types.py, `metadata`: maxLength 255). */
export const NOVA_METADATA_VALUE_MAX_LENGTH = 255;
import { checkProps } from '../../core/props';
import { SERVER_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import type { ComputeInstanceV2 } from '../../../.gen/providers/openstack/compute-instance-v2';
import type { DataOpenstackImagesImageV2 } from '../../../.gen/providers/openstack/data-openstack-images-image-v2';
import type { NetworkingPortV2 } from '../../../.gen/providers/openstack/networking-port-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { Resource } from '../../core/resource';
import { Stack } from '../../core/stack';
import {
  requireBoolean,
  requireConstructOf,
  requireDefined,
  requireInstance,
  requireInt,
  requireList,
  requireLiteralText,
  requireName,
  requireObject,
  } from '../../core/validate';
import { Value } from '../../core/value';
import { Connections, IConnectable } from '../network/connections';
import type { IFloatingIpTarget } from '../network/floating-ip';
import type { INetwork } from '../network/network';
import { ISecurityGroup, SecurityGroup } from '../network/security-group';
import { Flavor, Image } from './image';
import type { IKeyPair } from './key-pair';
import type { IServerGroup } from './server-group';
import { UserData } from './user-data';
import { L1 } from '../../stacks/terraform/l1';

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
   * Security groups of the server's ports (at least one when given: an empty list would leave the
   * ports in no group, which the two targets treat differently).
   * @default - a new security group (child 'SecurityGroup') with outbound traffic allowed and no inbound rule
   */
  readonly securityGroups?: ISecurityGroup[];
  /**
   * What the server runs at first boot (at most 65535 bytes once base64-encoded, Nova's limit).
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

  constructor(scope: Construct, id: string, serverProps: ServerProps) {
    super(scope, id);
    const props = checkProps(this, serverProps, SERVER_PROPS, { fix: 'pass { image, flavor, networks }' });
    validateImageAndFlavor(this, props.image, props.flavor);
    validateNetworks(this, 'networks', props.networks);
    requireName(this, 'keyName', props.keyName);
    requireConstructOf(this, 'keyPair', props.keyPair, '_heatKeyName', 'a key pair (new KeyPair or KeyPair.fromName)', "use KeyPair.fromName(this, 'Key', 'ops')");
    if (props.keyName !== undefined && props.keyPair !== undefined) {
      throw propError(this, ErrorCode.CONFLICT, 'keyPair', props.keyName, "cannot be given together with 'keyName'", "drop 'keyName' or use KeyPair.fromName(this, 'Key', keyName)");
    }
    requireConstructOf(this, 'serverGroup', props.serverGroup, '_heatServerGroupId', 'a server group (new ServerGroup or ServerGroup.fromId)', 'pass a ServerGroup');
    if (props.bootVolume !== undefined) {
      requireObject(this, 'bootVolume', props.bootVolume, 'pass { sizeGiB: 20 }');
      requireDefined(this, 'bootVolume.sizeGiB', props.bootVolume.sizeGiB, 'give the volume size, e.g. { sizeGiB: 20 }');
      requireInt(this, 'bootVolume.sizeGiB', props.bootVolume.sizeGiB, 1, 16384, 'GiB');
      requireName(this, 'bootVolume.volumeType', props.bootVolume.volumeType);
      requireBoolean(this, 'bootVolume.deleteOnTermination', props.bootVolume.deleteOnTermination);
    }
    if (props.securityGroups !== undefined) {
      requireList(this, 'securityGroups', props.securityGroups, 1, 100, 'list at least one security group, or leave it out for a new one');
      props.securityGroups.forEach((g, i) =>
        requireConstructOf(this, `securityGroups[${i}]`, g ?? null, '_heatRef', 'a security group', 'pass a SecurityGroup or SecurityGroup.fromId/fromName'),
      );
    }
    requireInstance(this, 'userData', props.userData, UserData, 'use UserData.forCloudConfig(...), .forShellScript(...) or .custom(text)');
    validateUserDataSize(this, 'userData', props.userData);
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
    return this._terraformPort(ctx, network).id;
  }

  /** True when the server has a port on `network` (the same construct as one of its `networks`). */
  public hasNetwork(network: INetwork): boolean {
    return this.props.networks.includes(network);
  }

  /** @internal The first fixed IP of the server's port on `network`, in HOT. */
  public _heatAddressOn(ctx: HeatContext, network: INetwork): unknown {
    return { get_attr: [ctx.logicalId(this, this._portSuffixFor(network)), 'fixed_ips', 0, 'ip_address'] };
  }

  /** @internal The server's Terraform port on `network` (or on its first network). */
  public _terraformPort(ctx: TerraformContext, network?: INetwork): NetworkingPortV2 {
    const index = network ? this.props.networks.indexOf(network) : 0;
    if (index < 0) this._portSuffixFor(network!);
    return ctx.handleOf<{ ports: NetworkingPortV2[] }>(this).ports[index];
  }

  private metadataFor(stackName: unknown): Record<string, unknown> {
    return { ...(this.props.metadata ?? {}), [OWNERSHIP_METADATA.STACK]: stackName, [OWNERSHIP_METADATA.OWNER]: fitName(this.node.path, NOVA_METADATA_VALUE_MAX_LENGTH) };
  }

  public _toHeat(ctx: HeatContext): void {
    const ports = this.props.networks.map((net, i) =>
      ctx.addResource(
        this,
        'OS::Neutron::Port',
        { network: net._heatNetwork(ctx) as string, security_groups: this.props.securityGroups!.map((g) => g._heatRef(ctx)) },
        { suffix: this.portSuffix(i), dependsOn: net._heatPortDependencies?.(ctx) },
      ),
    );
    const boot = this.props.bootVolume;
    ctx.addResource(this, 'OS::Nova::Server', {
      name: this.props.serverName ?? fitName(ctx.logicalId(this), SERVICE_NAME_MAX_LENGTH),
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
        new L1.NetworkingPortV2(ctx.scope, name, {
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
      new L1.ComputeInstanceV2(ctx.scope, name, {
        name: this.props.serverName ?? fitName(name, SERVICE_NAME_MAX_LENGTH),
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
    return ctx.named(new L1.DataOpenstackImagesImageV2(ctx.scope, name, { name: this.props.image.name }), name);
  }
}

/** Checks the image and flavor of a server (or of every server of a group). */
export function validateImageAndFlavor(scope: Construct, image: Image, flavor: Flavor, prefix = ''): void {
  requireDefined(scope, `${prefix}image`, image, "use Image.fromName('ubuntu-22.04')");
  requireInstance(scope, `${prefix}image`, image, Image, "use Image.fromName('ubuntu-22.04') or Image.fromId('<uuid>')");
  requireDefined(scope, `${prefix}flavor`, flavor, "use Flavor.fromName('m1.small', { vcpus: 1 })");
  requireInstance(scope, `${prefix}flavor`, flavor, Flavor, "use Flavor.fromName('m1.small', { vcpus: 1 }) or Flavor.fromId('<id>')");
  image.validate(scope, `${prefix}image`);
  flavor.validate(scope, `${prefix}flavor`);
}

/**
 * Checks a list of networks to put one port on each: at least one, each an `INetwork`, no two
 * with the same label (their ports would get the same logical name).
 */
export function validateNetworks(scope: Construct, prop: string, networks: INetwork[] | undefined): void {
  const fix = "use Network.fromName(this, 'Net', 'private') or a VirtualNetwork's .network";
  if (networks === undefined || networks === null || (Array.isArray(networks) && networks.length === 0)) {
    throw propError(scope, ErrorCode.REQUIRED, prop, networks, 'must list at least one network', fix);
  }
  requireList(scope, prop, networks, 1, 64, fix);
  networks.forEach((n, i) => requireConstructOf(scope, `${prop}[${i}]`, n ?? null, '_heatNetwork', 'a network', fix));
  const labels = networks.map((n) => n.label);
  const dup = labels.findIndex((l, i) => labels.indexOf(l) !== i);
  if (dup >= 0) {
    const first = networks[labels.indexOf(labels[dup])];
    throw propError(
      scope,
      ErrorCode.CONFLICT,
      `${prop}[${dup}]`,
      networks[dup].node.path,
      first === networks[dup] ? 'lists the same network twice' : `has the same label '${labels[dup]}' as ${first.node.path}, so their ports would get the same name`,
      first === networks[dup] ? 'list each network once' : 'give one of the networks another construct id',
    );
  }
}

/** Nova refuses user data over 65535 bytes once base64-encoded. */
const MAX_USER_DATA_BASE64_BYTES = 65535;

/** Checks that the user data (placeholders still in place) fits Nova's limit. */
export function validateUserDataSize(scope: Construct, prop: string, userData: UserData | undefined): void {
  if (userData === undefined) return;
  const text: unknown = userData.render();
  if (typeof text !== 'string') {
    throw propError(scope, ErrorCode.FORMAT, prop, text, 'must render to text', 'pass a string to UserData.custom(), or use UserData.forShellScript(...)');
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  const encoded = 4 * Math.ceil(bytes / 3);
  if (encoded > MAX_USER_DATA_BASE64_BYTES) {
    throw propError(
      scope,
      ErrorCode.RANGE,
      prop,
      `${bytes} bytes`,
      `must be at most ${MAX_USER_DATA_BASE64_BYTES} bytes once base64-encoded (Nova's limit), but is ${encoded}`,
      'install large files from an object container or a package instead of inlining them',
    );
  }
}

/** A Nova metadata key (nova/api/validation/parameter_types.py, `metadata.patternProperties`). */
const NOVA_METADATA_KEY = /^[a-zA-Z0-9-_:. ]{1,255}$/;

/** Checks Nova metadata: at most 128 items, string keys and values of 1-255 characters, no reserved key. */
export function validateMetadata(scope: Construct, prop: string, metadata: Record<string, string> | undefined): void {
  if (metadata === undefined) return;
  requireObject(scope, prop, metadata, "pass string keys and values, e.g. { role: 'web' }");
  const entries = Object.entries(metadata);
  if (entries.length > 120) {
    throw propError(scope, ErrorCode.RANGE, prop, entries.length, 'must have at most 120 keys (Nova allows 128; Scaleout adds its own)', 'drop some keys');
  }
  for (const [k, v] of entries) {
    if (k.length === 0 || nameLength(k) > 255) throw propError(scope, ErrorCode.RANGE, `${prop}`, k, 'keys must be 1 to 255 characters long', 'rename the key');
    // Nova's API schema (nova/api/validation/parameter_types.py, `metadata`) allows only these
    // characters in a key; anything else passes here and fails at server create.
    if (!NOVA_METADATA_KEY.test(k)) {
      throw propError(scope, ErrorCode.FORMAT, `${prop}`, k, 'keys may hold only letters, digits, spaces and - _ : .', 'rename the key');
    }
    // Nova counts a value's length in code points (a Python str), like names.
    if (typeof v !== 'string' || nameLength(v) > NOVA_METADATA_VALUE_MAX_LENGTH) {
      throw propError(scope, ErrorCode.RANGE, `${prop}.${k}`, v, `must be a string of at most ${NOVA_METADATA_VALUE_MAX_LENGTH} characters`, 'shorten the value');
    }
    requireLiteralText(scope, `${prop}`, k);
    requireLiteralText(scope, `${prop}.${k}`, v);
    if ((Object.values(OWNERSHIP_METADATA) as string[]).includes(k)) {
      throw propError(scope, ErrorCode.CONFLICT, `${prop}.${k}`, v, 'is reserved for Scaleout ownership metadata', 'use another key');
    }
  }
}
