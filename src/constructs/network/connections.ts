import { IConstruct } from 'constructs';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { arg, constructOf } from '../../core/props';
import { requireDefined, requireInstance } from '../../core/validate';
import { Peer } from './peer';
import { Port } from './port';
import type { ISecurityGroup, RuleOptions } from './security-group';

/** Anything that has security groups (servers, groups of servers, load balancers, services). */
export interface IConnectable {
  /** The network access of this thing. */
  readonly connections: Connections;
}

/** Properties of `Connections`. */
export interface ConnectionsProps {
  /** The security groups of the thing. @default - none (a plain peer such as a CIDR) */
  readonly securityGroups?: ISecurityGroup[];
  /** The peer that stands for this thing when it has no security groups. @default - none */
  readonly peer?: Peer;
  /** The port this thing listens on, for `allowDefaultPortFrom`. @default - none */
  readonly defaultPort?: Port;
}

/**
 * The network access of a connectable thing. `a.connections.allowFrom(b, Port.tcp(5672))`
 * writes an ingress rule on a's security groups whose remote group is each of b's groups, so
 * only members of b reach a.
 */
export class Connections implements IConnectable {
  private readonly groups: ISecurityGroup[];
  private readonly peer?: Peer;
  /** The port this thing listens on, if it has one. */
  public readonly defaultPort?: Port;

  constructor(props: ConnectionsProps = {}) {
    this.groups = [...(props.securityGroups ?? [])];
    this.peer = props.peer;
    this.defaultPort = props.defaultPort;
  }

  /** Itself, so a `Connections` is also an `IConnectable`. */
  public get connections(): Connections {
    return this;
  }

  /** The security groups, in the order they were added. */
  public get securityGroups(): ISecurityGroup[] {
    return [...this.groups];
  }

  /** Adds a security group (for example one the user created). */
  public addSecurityGroup(...groups: ISecurityGroup[]): void {
    groups.forEach((g, i) => {
      const prop = `addSecurityGroup[${i}]`;
      const fix = 'pass a SecurityGroup construct (or SecurityGroup.fromId / fromName)';
      const owner = this.owner as IConstruct;
      // A real construct with the group's methods: a plain object copying its shape is refused.
      arg(owner, prop, g, constructOf('_heatRef', 'a security group', fix), fix);
      arg(owner, prop, g, constructOf('addIngressRule', 'a security group', fix), fix);
    });
    for (const g of groups) if (!this.groups.includes(g)) this.groups.push(g);
  }

  /** What other things' rules name to mean "this": its groups, or its CIDR peer. */
  public asPeers(): Peer[] {
    if (this.groups.length > 0) return this.groups.map((g) => Peer.securityGroup(g));
    return this.peer ? [this.peer] : [];
  }

  /**
   * Lets `other` reach this thing on `port`: an ingress rule on each of this thing's groups from
   * each of other's groups (or its CIDR), and, on each of other's groups that restricts outbound
   * traffic (`allowAllOutbound: false`), the matching egress rule towards this thing. Both sides
   * are opened, as AWS CDK's `Connections.allowFrom` does (aws-cdk-lib
   * `aws-ec2/lib/connections.ts`, `allowFrom` calls `other.connections.allowTo`); a group that lets
   * everything out gets no egress rule. Calling `b.allowTo(a)` as well adds no second rule.
   */
  public allowFrom(other: IConnectable, port: Port, options: RuleOptions = {}): void {
    const owner = this.owner;
    requireConnectable(owner, other);
    requirePort(owner, port);
    const peers = other.connections.asPeers();
    if (peers.length === 0) throw usageError(owner, ErrorCode.USAGE, 'allowFrom', 'was given something with no security group and no address');
    if (this.groups.length === 0) throw usageError(owner, ErrorCode.USAGE, 'allowFrom', 'cannot add rules to something that has no security group');
    for (const g of this.groups) for (const p of peers) g.addIngressRule(p, port, options);
    const source = other.connections;
    if (source instanceof Connections) source.addEgressTowards(this, port, options);
  }

  /**
   * Lets this thing reach `other` on `port`: the same rules as `other.connections.allowFrom(this,
   * port)` (ingress on other's groups, egress on this thing's groups that restrict outbound). When
   * `other` is a plain address (`Peer.ipv4(...)`), only the egress side exists.
   */
  public allowTo(other: IConnectable, port: Port, options: RuleOptions = {}): void {
    requireConnectable(this.owner, other);
    requirePort(this.owner, port);
    const target = other.connections;
    if (target.securityGroups.length > 0 || target.asPeers().length === 0) {
      target.allowFrom(this, port, options); // also refuses what cannot take rules (a Trove database)
      return;
    }
    if (this.groups.length === 0) throw usageError(this.owner, ErrorCode.USAGE, 'allowTo', 'cannot add rules to something that has no security group');
    this.addEgressTowards(other, port, options);
  }

  /** Lets `other` reach this thing on its default port. */
  public allowDefaultPortFrom(other: IConnectable, options: RuleOptions = {}): void {
    if (!this.defaultPort) {
      throw usageError(this.owner, ErrorCode.USAGE, 'allowDefaultPortFrom', 'needs a default port; use allowFrom(other, port)');
    }
    this.allowFrom(other, this.defaultPort, options);
  }

  /** Lets every IPv4 address reach this thing on `port`. */
  public allowFromAnyIpv4(port: Port, options: RuleOptions = {}): void {
    this.allowFrom(Peer.anyIpv4(), port, options);
  }

  /** Egress rules towards `other` on this thing's groups that restrict outbound traffic. */
  private addEgressTowards(other: IConnectable, port: Port, options: RuleOptions): void {
    const restricted = this.groups.filter((g) => !g.allowAllOutbound);
    if (restricted.length === 0) return;
    // The caller's description names the ingress side ("... from load balancer"): egress rules get their own.
    const { description: _ingressDescription, ...egressOptions } = options ?? {};
    for (const g of restricted) for (const p of other.connections.asPeers()) g.addEgressRule(p, port, egressOptions);
  }

  /** The construct named in errors: the first security group. */
  private get owner(): IConstruct | string {
    return this.groups[0] ?? 'Connections';
  }
}

/** Throws unless `port` is a `Port` (a number or a string from plain JavaScript is refused at the call). */
function requirePort(owner: IConstruct | string, port: unknown): void {
  const fix = 'use Port.tcp(n), Port.udp(n), Port.icmp() or Port.allTraffic()';
  requireDefined(owner as IConstruct, 'port', port, fix);
  requireInstance(owner as IConstruct, 'port', port, Port, fix);
}

/** Throws unless `other` is something with connections (a server, a group, a peer, a service). */
function requireConnectable(owner: IConstruct | string, other: unknown): void {
  const connections = (other as Partial<IConnectable> | null | undefined)?.connections;
  if (connections === undefined || connections === null || typeof connections.asPeers !== 'function') {
    throw propError(owner, ErrorCode.ENUM, 'other', other, 'must be something with connections (a Server, a SecurityGroup, a Peer, a LoadBalancer, a service)', 'pass the construct itself, e.g. webServer or Peer.ipv4(cidr)');
  }
}
