import { IConstruct } from 'constructs';
import { ErrorCode, propError } from '../../core/errors';

/** IP protocols a security group rule can name. */
export enum Protocol {
  TCP = 'tcp',
  UDP = 'udp',
  ICMP = 'icmp',
  /** Every protocol. */
  ALL = 'any',
}

/** IP protocol names Neutron accepts in a security group rule. */
export const NEUTRON_PROTOCOLS: readonly string[] = [
  'ah', 'dccp', 'egp', 'esp', 'gre', 'icmp', 'igmp', 'ipip', 'ipv6-encap', 'ipv6-frag', 'ipv6-icmp',
  'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp', 'udplite', 'vrrp',
];

/**
 * Ports (and protocol) a security group rule opens.
 *
 * @example Port.tcp(80); Port.tcpRange(8000, 8100); Port.icmp(); Port.allTraffic()
 */
export class Port {
  /** One TCP port (1-65535). */
  public static tcp(port: number): Port {
    return new Port(Protocol.TCP, port, port, `tcp_${port}`);
  }

  /** A range of TCP ports, inclusive (1-65535, from <= to). */
  public static tcpRange(from: number, to: number): Port {
    return new Port(Protocol.TCP, from, to, `tcp_${from}_${to}`);
  }

  /** Every TCP port. */
  public static allTcp(): Port {
    return new Port(Protocol.TCP, 1, 65535, 'tcp_all');
  }

  /** One UDP port (1-65535). */
  public static udp(port: number): Port {
    return new Port(Protocol.UDP, port, port, `udp_${port}`);
  }

  /** A range of UDP ports, inclusive. */
  public static udpRange(from: number, to: number): Port {
    return new Port(Protocol.UDP, from, to, `udp_${from}_${to}`);
  }

  /** Every ICMP message. */
  public static icmp(): Port {
    return new Port(Protocol.ICMP, undefined, undefined, 'icmp');
  }

  /**
   * One ICMP type and code, e.g. `Port.icmpType(8, 0)` for echo request (ping). The code is
   * required: Terraform's provider cannot express "every code of one type".
   * @param type ICMP type (0-255)
   * @param code ICMP code (0-255)
   */
  public static icmpType(type: number, code: number): Port {
    return new Port(Protocol.ICMP, type, code, `icmp_${type}_${code}`);
  }

  /**
   * Every packet of another IP protocol Neutron knows by name (`gre`, `vrrp`, `esp`, `sctp`, ...;
   * see `NEUTRON_PROTOCOLS`), with no port range.
   */
  public static ipProtocol(name: string): Port {
    return new Port(name as Protocol, undefined, undefined, `proto_${String(name).replace(/[^A-Za-z0-9]+/g, '_')}`);
  }

  /** Every protocol and port. */
  public static allTraffic(): Port {
    return new Port(Protocol.ALL, undefined, undefined, 'all');
  }

  private constructor(
    /** The protocol: one of `Protocol` or another name from `NEUTRON_PROTOCOLS`. */
    public readonly protocol: Protocol | string,
    /** First port (or ICMP type); undefined for every port. */
    public readonly fromPort: number | undefined,
    /** Last port (or ICMP code); undefined for every port. */
    public readonly toPort: number | undefined,
    /** A short snake_case label used in rule names, e.g. `tcp_443`. */
    public readonly label: string,
  ) {}

  /** True when the rule covers `port` for TCP. */
  public coversTcp(port: number): boolean {
    if (this.protocol === Protocol.ALL) return true;
    if (this.protocol !== Protocol.TCP) return false;
    return (this.fromPort ?? 1) <= port && port <= (this.toPort ?? 65535);
  }

  /** Throws unless the port numbers are in range, naming `scope` and `prop`. */
  public validate(scope: IConstruct, prop: string): void {
    if (this.protocol !== Protocol.ALL && !NEUTRON_PROTOCOLS.includes(this.protocol)) {
      throw propError(scope, ErrorCode.ENUM, `${prop}.protocol`, this.protocol, `must be one of ${NEUTRON_PROTOCOLS.join(', ')}`, 'use a protocol Neutron knows');
    }
    if (this.protocol === Protocol.TCP || this.protocol === Protocol.UDP) {
      for (const p of [this.fromPort, this.toPort]) {
        if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) {
          throw propError(scope, ErrorCode.RANGE, prop, p, `must be a ${this.protocol.toUpperCase()} port between 1 and 65535`, `use Port.all${this.protocol === Protocol.TCP ? 'Tcp' : 'Traffic'}() for every port`);
        }
      }
      if (this.fromPort! > this.toPort!) {
        throw propError(scope, ErrorCode.CONFLICT, prop, `${this.fromPort}-${this.toPort}`, 'must be a range whose first port is not above its last', 'swap the two ports');
      }
    }
    if (this.protocol === Protocol.ICMP) {
      for (const [what, v] of [['ICMP type', this.fromPort], ['ICMP code', this.toPort]] as const) {
        if (this.label !== 'icmp' && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255)) {
          throw propError(scope, ErrorCode.RANGE, prop, v, `must have an ${what} between 0 and 255`, 'use Port.icmp() for every ICMP message');
        }
      }
    }
  }

  public toString(): string {
    if (this.protocol === Protocol.ALL) return 'all traffic';
    if (this.fromPort === undefined) return `${this.protocol} (all)`;
    return this.fromPort === this.toPort ? `${this.protocol} ${this.fromPort}` : `${this.protocol} ${this.fromPort}-${this.toPort}`;
  }
}
