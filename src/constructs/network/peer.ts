import { IConstruct } from 'constructs';
import { ErrorCode, propError } from '../../core/errors';
import { cidrVersion, isUnresolved } from '../../core/validate';
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

  /** True when the peer is the whole internet. */
  public get isPublic(): boolean {
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
    if (this.cidr === '0.0.0.0/0') return 'any_ipv4';
    if (this.cidr === '::/0') return 'any_ipv6';
    return `cidr_${this.cidr.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`;
  }

  public get isPublic(): boolean {
    return this.cidr === '0.0.0.0/0' || this.cidr === '::/0';
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

  public validate(): void {}

  public toString(): string {
    return `members of ${this.group.node.path}`;
  }
}
