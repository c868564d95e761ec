import { checkProps } from '../../core/props';
import { SECURITY_GROUP_PROPS } from '../prop-specs';
import { Construct, IConstruct } from 'constructs';
import type { DataOpenstackNetworkingSecgroupV2 } from '../../../.gen/providers/openstack/data-openstack-networking-secgroup-v2';
import type { NetworkingSecgroupV2 } from '../../../.gen/providers/openstack/networking-secgroup-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { logicalNameOf, fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { Resource } from '../../core/resource';
import { Stack } from '../../core/stack';
import { requireBoolean, requireDefined, requireInstance, requireName, requireObject } from '../../core/validate';
import { Connections, IConnectable } from './connections';
import { CidrPeer, GroupPeer, Peer } from './peer';
import { Port, Protocol } from './port';
import { L1 } from '../../stacks/terraform/l1';

/**
 * TCP ports that must never be open to the whole internet unless the rule says so explicitly:
 * remote shells, databases, queues and caches.
 */
export const SENSITIVE_TCP_PORTS: ReadonlyMap<number, string> = new Map([
  [22, 'SSH'],
  [23, 'Telnet'],
  [3389, 'RDP'],
  [3306, 'MySQL/MariaDB'],
  [5432, 'PostgreSQL'],
  [5671, 'AMQP over TLS'],
  [5672, 'AMQP (RabbitMQ)'],
  [15672, 'RabbitMQ management'],
  [6379, 'Redis'],
  [11211, 'memcached'],
  [27017, 'MongoDB'],
  [9200, 'Elasticsearch'],
  [2375, 'Docker API'],
]);

/** Options of one security group rule. */
export interface RuleOptions {
  /**
   * Description written on the rule.
   * @default - '<port> from <peer>'
   */
  readonly description?: string;
  /**
   * Set to true to open a remote-shell, database, queue or cache port (see
   * `SENSITIVE_TCP_PORTS`) to the whole internet, or to a block that spans much of it (see
   * `Peer.isInternetWide`). Without it such a rule is refused.
   * @default false
   */
  readonly allowPublicAccessToSensitivePort?: boolean;
}

/** A security group: one the stack creates, or an existing one it only references. */
export interface ISecurityGroup extends IConstruct, IConnectable {
  /** Snake-case label of the group used in other groups' rule names. */
  readonly ruleLabel: string;
  /** Whether the group lets all outbound traffic out (its default egress rules are kept). */
  readonly allowAllOutbound: boolean;
  /** Adds an ingress rule. */
  addIngressRule(peer: Peer, port: Port, options?: RuleOptions): void;
  /** Adds an egress rule. */
  addEgressRule(peer: Peer, port: Port, options?: RuleOptions): void;
  /** @internal What HOT writes to name this group (id or get_resource). */
  _heatRef(ctx: HeatContext): unknown;
  /** @internal The group id in Terraform. */
  _terraformId(ctx: TerraformContext): string;
}

/** Properties of a `SecurityGroup`. */
export interface SecurityGroupProps {
  /**
   * Name of the group in Neutron.
   * @default - the construct's logical name in the stack
   */
  readonly securityGroupName?: string;
  /**
   * Description of the group.
   * @default - 'Managed by Scaleout: <construct path>'
   */
  readonly description?: string;
  /**
   * Keep Neutron's default egress rules (all IPv4 and IPv6 traffic out). When false the group
   * lets nothing out except what `addEgressRule`/`connections.allowTo` add: Terraform deletes the
   * default rules (`delete_default_rules`), Heat replaces them with one rule that matches nothing.
   * The metadata service stays reachable (see `allowMetadataService`); DNS does not.
   * @default true
   */
  readonly allowAllOutbound?: boolean;
  /**
   * With `allowAllOutbound: false`, still let the servers reach the metadata service
   * (`169.254.169.254/32`, tcp 80; `METADATA_SERVICE_CIDR`): without it cloud-init cannot fetch
   * the user data, SSH keys and instance name unless the servers boot with a config drive. Both
   * targets render it as one egress rule (`<group>_egress_tcp_80_to_cidr_169_254_169_254_32`).
   * False removes it. Not allowed with `allowAllOutbound` true, where it would change nothing.
   *
   * DNS is not opened: a security group does not know the subnet its servers use, nor its
   * resolvers. Servers that resolve names need
   * `addEgressRule(peer, Port.udp(53))` and `addEgressRule(peer, Port.tcp(53))`, the peer being the
   * subnet's `dnsNameservers` or, without them, the subnet's CIDR (Neutron's DHCP ports answer DNS
   * there). DHCP itself needs no rule: Neutron lets it through whatever the group says.
   * @default true
   */
  readonly allowMetadataService?: boolean;
}

/** The address of the OpenStack metadata service (cloud-init reads user data from it over HTTP, tcp 80). */
export const METADATA_SERVICE_CIDR = '169.254.169.254/32';

interface Rule {
  readonly direction: 'ingress' | 'egress';
  readonly peer: Peer;
  readonly port: Port;
  readonly description: string;
  readonly name: string;
}

/** Ports Heat and Terraform write for a rule: protocol and range, omitted for "every". */
function ruleFields(port: Port): { protocol?: string; min?: number; max?: number } {
  if (port.protocol === Protocol.ALL) return {};
  return { protocol: port.protocol, min: port.fromPort, max: port.toPort };
}

/**
 * A Neutron security group with typed rules. Rules are separate resources named after what they
 * allow (`<group>_ingress_tcp_443_from_any_ipv4`), so adding one never renames another and two
 * groups can allow each other without a dependency cycle.
 */
export class SecurityGroup extends Resource implements ISecurityGroup {
  /** References an existing security group by id; the stack adds no rule to it. */
  public static fromId(scope: Construct, id: string, securityGroupId: string): ISecurityGroup {
    return new ImportedSecurityGroup(scope, id, { id: securityGroupId });
  }

  /** References an existing security group by name; the stack adds no rule to it. */
  public static fromName(scope: Construct, id: string, securityGroupName: string): ISecurityGroup {
    return new ImportedSecurityGroup(scope, id, { name: securityGroupName });
  }

  public readonly connections: Connections;
  public readonly allowAllOutbound: boolean;
  private readonly rules: Rule[] = [];
  private readonly props: SecurityGroupProps;

  constructor(scope: Construct, id: string, sgProps: SecurityGroupProps = {}) {
    super(scope, id);
    const props = checkProps(this, sgProps, SECURITY_GROUP_PROPS, { fix: 'pass { securityGroupName, description, allowAllOutbound, allowMetadataService } or nothing', optional: true });
    requireName(this, 'securityGroupName', props.securityGroupName);
    requireName(this, 'description', props.description);
    requireBoolean(this, 'allowAllOutbound', props.allowAllOutbound);
    requireBoolean(this, 'allowMetadataService', props.allowMetadataService);
    this.props = props;
    this.allowAllOutbound = props.allowAllOutbound ?? true;
    if (this.allowAllOutbound && props.allowMetadataService === false) {
      throw propError(
        this,
        ErrorCode.CONFLICT,
        'allowMetadataService',
        false,
        'has no effect while allowAllOutbound is true (every destination, the metadata service included, is allowed)',
        'pass allowAllOutbound: false as well, or drop allowMetadataService',
      );
    }
    this.connections = new Connections({ securityGroups: [this] });
    if (!this.allowAllOutbound && props.allowMetadataService !== false) {
      this.addRule('egress', Peer.ipv4(METADATA_SERVICE_CIDR), Port.tcp(80), { description: 'Metadata service: cloud-init fetches user data and keys from it' });
    }
  }

  public get ruleLabel(): string {
    return logicalNameOf(this, Stack.of(this).root);
  }

  public addIngressRule(peer: Peer, port: Port, options: RuleOptions = {}): void {
    this.addRule('ingress', peer, port, options);
  }

  public addEgressRule(peer: Peer, port: Port, options: RuleOptions = {}): void {
    this.addRule('egress', peer, port, options);
  }

  /** The rules, in the order they were added (for inspection and tests). */
  public get ruleSummaries(): ReadonlyArray<{ direction: string; peer: string; port: string }> {
    return this.rules.map((r) => ({ direction: r.direction, peer: r.peer.toString(), port: r.port.toString() }));
  }

  private addRule(direction: 'ingress' | 'egress', peer: Peer, port: Port, ruleOptions: RuleOptions): void {
    const peerFix = 'use Peer.ipv4(), Peer.anyIpv4() or Peer.securityGroup()';
    const portFix = 'use Port.tcp(), Port.udp(), Port.icmp() or Port.allTraffic()';
    requireDefined(this, 'peer', peer, peerFix);
    requireInstance(this, 'peer', peer, Peer, peerFix);
    requireDefined(this, 'port', port, portFix);
    requireInstance(this, 'port', port, Port, portFix);
    peer.validate(this, 'peer');
    port.validate(this, 'port');
    const options = ruleOptions ?? {};
    requireObject(this, 'options', options, 'pass { description, allowPublicAccessToSensitivePort } or nothing');
    requireName(this, 'description', options.description);
    requireBoolean(this, 'allowPublicAccessToSensitivePort', options.allowPublicAccessToSensitivePort);
    if (direction === 'ingress' && peer.isInternetWide && options.allowPublicAccessToSensitivePort !== true) {
      for (const [p, what] of SENSITIVE_TCP_PORTS) {
        if (port.coversTcp(p)) {
          throw propError(
            this,
            ErrorCode.INSECURE,
            'port',
            port.toString(),
            `would open ${what} (tcp ${p}) to ${peer.toString()}${peer.isPublic ? '' : ', a block that spans much of the internet'}`,
            'allow a narrower peer (a security group or your admin CIDR), or pass { allowPublicAccessToSensitivePort: true } if this is really meant',
          );
        }
      }
    }
    const ethertype = peer instanceof CidrPeer ? peer.ethertype : 'IPv4';
    if (ethertype === 'IPv4' && String(port.protocol).startsWith('ipv6-')) {
      throw propError(
        this,
        ErrorCode.CONFLICT,
        'port',
        port.toString(),
        `is an IPv6-only protocol, but the rule's peer ${peer.toString()} is IPv4 (Neutron refuses the pair)`,
        "use an IPv6 peer, e.g. Peer.ipv6('2001:db8::/32'), or Port.icmp() for IPv4",
      );
    }
    const name = `${direction}_${port.label}_${direction === 'ingress' ? 'from' : 'to'}_${peer.label}`;
    if (this.rules.some((r) => r.name === name)) return; // the same rule twice is one rule
    const description = options.description ?? fitName(`${port.toString()} ${direction === 'ingress' ? 'from' : 'to'} ${peer.toString()}`, SERVICE_NAME_MAX_LENGTH);
    this.rules.push({ direction, peer, port, description, name });
  }

  public _heatRef(ctx: HeatContext): unknown {
    return ctx.ref(this);
  }

  public _terraformId(ctx: TerraformContext): string {
    return ctx.handleOf<NetworkingSecgroupV2>(this).id;
  }

  public _toHeat(ctx: HeatContext): void {
    ctx.addResource(this, 'OS::Neutron::SecurityGroup', {
      name: this.props.securityGroupName ?? fitName(ctx.logicalId(this), SERVICE_NAME_MAX_LENGTH),
      description: this.description,
      // One egress rule makes Heat delete Neutron's default egress rules; this one matches nothing.
      rules: this.allowAllOutbound ? undefined : [DENY_ALL_EGRESS],
    });
    for (const r of this.rules) {
      const f = ruleFields(r.port);
      ctx.addResource(
        this,
        'OS::Neutron::SecurityGroupRule',
        {
          security_group: ctx.ref(this),
          description: r.description,
          direction: r.direction,
          ethertype: r.peer instanceof CidrPeer ? r.peer.ethertype : 'IPv4',
          protocol: f.protocol,
          port_range_min: f.min,
          port_range_max: f.max,
          remote_ip_prefix: r.peer instanceof CidrPeer ? r.peer.cidr : undefined,
          remote_group: r.peer instanceof GroupPeer ? (r.peer.group._heatRef(ctx) as string) : undefined,
        },
        { suffix: r.name },
      );
    }
  }

  public _toTerraform(ctx: TerraformContext): NetworkingSecgroupV2 {
    const group = ctx.named(
      new L1.NetworkingSecgroupV2(ctx.scope, ctx.logicalId(this), {
        name: this.props.securityGroupName ?? fitName(ctx.logicalId(this), SERVICE_NAME_MAX_LENGTH),
        description: this.description,
        deleteDefaultRules: this.allowAllOutbound ? undefined : true,
      }),
      ctx.logicalId(this),
    );
    ctx.defer(() => {
      for (const r of this.rules) {
        const f = ruleFields(r.port);
        const name = ctx.logicalId(this, r.name);
        ctx.named(
          new L1.NetworkingSecgroupRuleV2(ctx.scope, name, {
            securityGroupId: group.id,
            description: r.description,
            direction: r.direction,
            ethertype: r.peer instanceof CidrPeer ? r.peer.ethertype : 'IPv4',
            protocol: f.protocol,
            portRangeMin: f.min,
            portRangeMax: f.max,
            remoteIpPrefix: r.peer instanceof CidrPeer ? r.peer.cidr : undefined,
            remoteGroupId: r.peer instanceof GroupPeer ? r.peer.group._terraformId(ctx) : undefined,
          }),
          name,
        );
      }
    });
    return group;
  }

  private get description(): string {
    return this.props.description ?? fitName(`Managed by Scaleout: ${this.node.path}`, SERVICE_NAME_MAX_LENGTH);
  }
}

/** The AWS-CDK trick: an egress rule no packet matches, to replace Neutron's allow-all defaults. */
const DENY_ALL_EGRESS = {
  direction: 'egress' as const,
  ethertype: 'IPv4' as const,
  protocol: 'icmp',
  port_range_min: 252,
  port_range_max: 86,
  remote_ip_prefix: '255.255.255.255/32',
};

class ImportedSecurityGroup extends Resource implements ISecurityGroup {
  public readonly connections: Connections;
  public readonly allowAllOutbound = true;

  constructor(
    scope: Construct,
    id: string,
    private readonly ref: { id?: string; name?: string },
  ) {
    super(scope, id);
    const prop = 'id' in ref ? 'securityGroupId' : 'securityGroupName';
    requireDefined(this, prop, ref.id ?? ref.name, 'give the id or name of an existing security group');
    requireName(this, prop, ref.id ?? ref.name);
    this.connections = new Connections({ securityGroups: [this] });
  }

  public get ruleLabel(): string {
    return logicalNameOf(this, Stack.of(this).root);
  }

  public addIngressRule(): void {
    throw usageError(this, ErrorCode.USAGE, 'addIngressRule', 'cannot change a security group the stack does not own; create a SecurityGroup and allow traffic on it instead');
  }

  public addEgressRule(): void {
    throw usageError(this, ErrorCode.USAGE, 'addEgressRule', 'cannot change a security group the stack does not own; create a SecurityGroup and allow traffic on it instead');
  }

  public _heatRef(): unknown {
    return this.ref.id ?? this.ref.name;
  }

  public _terraformId(ctx: TerraformContext): string {
    return this.ref.id ?? ctx.handleOf<DataOpenstackNetworkingSecgroupV2>(this).id;
  }

  public _toHeat(): void {}

  public _toTerraform(ctx: TerraformContext): unknown {
    if (this.ref.id !== undefined) return undefined;
    const name = ctx.logicalId(this);
    return ctx.named(new L1.DataOpenstackNetworkingSecgroupV2(ctx.scope, name, { name: this.ref.name }), name);
  }
}
