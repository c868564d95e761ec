import { IConstruct } from 'constructs';
import { ErrorCode, propError } from '../../core/errors';
import { cidrPrefix, cidrVersion, isUnresolved, requireConstructOf } from '../../core/validate';
import { Connections, IConnectable } from './connections';
import type { ISecurityGroup } from './security-group';

/**
 * The other side of a security group rule: a CIDR block, or the members of a security group
 * (a remote-group rule, so only servers in that group are let in — never a CIDR when a group is
 * meant).
 */
export abstract class Peer implements IConnectable {
  /** An IPv4 CIDR block, e.g. `203.0.113.0/24`. */
  public static ipv4(cidr: string): Peer {
    return new CidrPeer(cidr, 4);
  }

  /** An IPv6 CIDR block, e.g. `2001:db8::/32`. */
  public static ipv6(cidr: string): Peer {
    return new CidrPeer(cidr, 6);
  }

  /** Every IPv4 address (0.0.0.0/0): the whole internet. */
  public static anyIpv4(): Peer {
    return new CidrPeer('0.0.0.0/0', 4);
  }

  /** Every IPv6 address (::/0). */
  public static anyIpv6(): Peer {
    return new CidrPeer('::/0', 6);
  }

  /** The members of a security group. */
  public static securityGroup(group: ISecurityGroup): Peer {
    return new GroupPeer(group);
  }

  /** A short snake_case label for rule names, e.g. `any_ipv4`, `cidr_10_0_0_0_24`, `web_sg`. */
  public abstract readonly label: string;

  /** Throws when the peer is malformed, naming `scope` and `prop`. */
  public abstract validate(scope: IConstruct, prop: string): void;

  /** A peer used where a connectable thing is expected: rules name the peer itself. */
  public get connections(): Connections {
    return new Connections({ peer: this });
  }

  /** True when the peer is the whole internet (a `/0` block, however it is spelled). */
  public get isPublic(): boolean {
    return false;
  }

  /**
   * True when the peer spans much of the internet: the whole of it, or an IPv4 block wider than a
   * /8 or an IPv6 block wider than a /7 (each holds public addresses; the widest private blocks
   * are 10.0.0.0/8 and fc00::/7). Sensitive ports are refused to such peers like to the internet.
   */
  public get isInternetWide(): boolean {
    return false;
  }

  public abstract toString(): string;
}

/** A peer that is a CIDR block. */
export class CidrPeer extends Peer {
  /** `IPv4` or `IPv6`. */
  public readonly ethertype: 'IPv4' | 'IPv6';

  constructor(
    /** The CIDR block. */
    public readonly cidr: string,
    version: 4 | 6,
  ) {
    super();
    this.ethertype = version === 4 ? 'IPv4' : 'IPv6';
  }

  public get label(): string {
    if (this.isPublic) return this.ethertype === 'IPv4' ? 'any_ipv4' : 'any_ipv6';
    return `cidr_${String(this.cidr).replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`;
  }

  public get isPublic(): boolean {
    return cidrPrefix(this.cidr) === 0;
  }

  public get isInternetWide(): boolean {
    const prefix = cidrPrefix(this.cidr);
    if (prefix === undefined) return false;
    return prefix < (cidrVersion(this.cidr) === 4 ? 8 : 7);
  }

  public validate(scope: IConstruct, prop: string): void {
    if (isUnresolved(this.cidr)) return;
    const want = this.ethertype === 'IPv4' ? 4 : 6;
    if (typeof this.cidr !== 'string' || cidrVersion(this.cidr) !== want) {
      throw propError(scope, ErrorCode.FORMAT, prop, this.cidr, `must be an IPv${want} CIDR block with no host bits set`, want === 4 ? "write it like '203.0.113.0/24'" : "write it like '2001:db8::/32'");
    }
  }

  public toString(): string {
    return this.cidr;
  }
}

/** A peer that is the members of a security group. */
export class GroupPeer extends Peer {
  constructor(
    /** The security group. */
    public readonly group: ISecurityGroup,
  ) {
    super();
  }

  public get label(): string {
    return this.group.ruleLabel;
  }

  public validate(scope: IConstruct, prop: string): void {
    requireConstructOf(scope, prop, this.group ?? null, '_heatRef', 'a security group (Peer.securityGroup(group))', 'pass a SecurityGroup, or one from SecurityGroup.fromId/fromName');
  }

  public toString(): string {
    return `members of ${this.group?.node?.path ?? String(this.group)}`;
  }
}
