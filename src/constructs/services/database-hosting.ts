import { IConstruct } from 'constructs';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { requireConstructOf, requireDefined, requireInstance, requireInt, requireList, requireName, requireObject } from '../../core/validate';
import { Flavor } from '../compute/image';
import { Placement } from '../compute/placement';
import { Connections, IConnectable } from '../network/connections';
import type { INetwork } from '../network/network';
import type { Port } from '../network/port';
import type { RuleOptions } from '../network/security-group';
import { ServiceHostProps, validateServiceHost } from './service-host';

/** Most read replicas a server-hosted database may have. */
export const MAX_READ_REPLICAS = 5;

/** Properties of a database on servers of its own. */
export interface DatabaseServerHostingProps extends ServiceHostProps {
  /**
   * Number of read replicas, 0 to 5: each its own server, replicating from the primary
   * (MySQL/MariaDB GTID binlog replication, PostgreSQL streaming replication) and answering
   * reads on `Database.replicaHosts`.
   * @default 0
   */
  readonly readReplicas?: number;
  /**
   * With read replicas, where Nova places the primary and its replicas relative to each other.
   * By default they spread across hypervisors (a `soft-anti-affinity` server group, the database's
   * child `ServerGroup`), so one host failure does not take the primary and its replicas together.
   * `Placement.strictSpread({ hosts })` makes it a hard rule; `Placement.any()` opts out.
   * Without replicas there is one server and no server group.
   * @default Placement.spread()
   */
  readonly placement?: Placement;
}

/** Properties of a database in the cloud's DBaaS (Trove). */
export interface TroveHostingProps {
  /** The Trove flavor (a Nova flavor Trove may use). */
  readonly flavor: Flavor;
  /**
   * Size of the data volume, in GiB (1 to 16384). Heat's `OS::Trove::Instance` accepts at most
   * 150: a larger volume renders to Terraform only (the Heat target refuses it).
   */
  readonly volumeSizeGiB: number;
  /**
   * Networks of the instance.
   * @default - Trove's default network
   */
  readonly networks?: INetwork[];
  /**
   * The Cinder volume type of the data volume. Terraform's `openstack_db_instance_v1` (provider
   * 3.4) requires one next to the size; Heat's `OS::Trove::Instance` cannot name one and lets
   * Trove use its default. `TroveVolumeType.troveDefault('<name>')` states which type that default
   * is, so both targets create the same volume; `TroveVolumeType.named('<name>')` picks another
   * type, which only Terraform can express (Heat then fails with an error).
   * @default - none: Heat uses Trove's default type; rendering to Terraform fails and asks for one
   */
  readonly volumeType?: TroveVolumeType;
}

/** The volume type of a Trove database's data volume (see `TroveHostingProps.volumeType`). */
export class TroveVolumeType {
  /**
   * The type Trove uses by default in this cloud, by name: Terraform writes the name, Heat
   * leaves the choice to Trove, which picks the same type.
   */
  public static troveDefault(name: string): TroveVolumeType {
    return new TroveVolumeType(name, true);
  }

  /** Another volume type, by name. Only Terraform can express it; rendering to Heat fails. */
  public static named(name: string): TroveVolumeType {
    return new TroveVolumeType(name, false);
  }

  private constructor(
    /** The Cinder volume type name. */
    public readonly name: string,
    /** True when it is Trove's default type (so Heat need not name it). */
    public readonly isTroveDefault: boolean,
  ) {}
}

/**
 * Where a `Database` runs: on servers the stack creates (`DatabaseHosting.server`), installed by
 * cloud-init, or in the cloud's DBaaS (`DatabaseHosting.trove`).
 */
export abstract class DatabaseHosting {
  /** On a server of its own (plus one server per read replica), installed by cloud-init. */
  public static server(props: DatabaseServerHostingProps): DatabaseHosting {
    return new ServerHosting(props);
  }

  /**
   * In Trove (Heat `OS::Trove::Instance`, Terraform `openstack_db_instance_v1`). Trove manages
   * the instance's security group itself: `connections.allowFrom` is refused. Needs an engine
   * version (Terraform requires the datastore version).
   */
  public static trove(props: TroveHostingProps): DatabaseHosting {
    return new TroveHosting(props);
  }

  /** `server` or `trove`. */
  public abstract readonly kind: 'server' | 'trove';

  /** Throws when the hosting props are wrong, naming `prop.<field>`. */
  public abstract validate(scope: IConstruct, prop: string): void;
}

/** @internal */
export class ServerHosting extends DatabaseHosting {
  public readonly kind = 'server' as const;

  constructor(public readonly props: DatabaseServerHostingProps) {
    super();
  }

  /** The replica count. */
  public get readReplicas(): number {
    return this.props.readReplicas ?? 0;
  }

  public validate(scope: IConstruct, prop: string): void {
    validateServiceHost(scope, this.props, `${prop}.`);
    requireInt(scope, `${prop}.readReplicas`, this.props.readReplicas, 0, MAX_READ_REPLICAS);
    if (this.props.placement !== undefined) {
      requireInstance(scope, `${prop}.placement`, this.props.placement, Placement, 'use Placement.spread(), Placement.strictSpread({ hosts }) or Placement.any()');
      this.props.placement.validate(scope, `${prop}.placement`);
    }
  }
}

/** @internal */
export class TroveHosting extends DatabaseHosting {
  public readonly kind = 'trove' as const;

  constructor(public readonly props: TroveHostingProps) {
    super();
  }

  public validate(scope: IConstruct, prop: string): void {
    requireDefined(scope, prop, this.props, "use DatabaseHosting.trove({ flavor, volumeSizeGiB })");
    requireObject(scope, prop, this.props, "use DatabaseHosting.trove({ flavor, volumeSizeGiB })");
    requireDefined(scope, `${prop}.flavor`, this.props.flavor, "use Flavor.fromName('db.small')");
    requireInstance(scope, `${prop}.flavor`, this.props.flavor, Flavor, "use Flavor.fromName('db.small')");
    this.props.flavor.validate(scope, `${prop}.flavor`);
    requireDefined(scope, `${prop}.volumeSizeGiB`, this.props.volumeSizeGiB, 'give the data volume size, e.g. 10');
    requireInt(scope, `${prop}.volumeSizeGiB`, this.props.volumeSizeGiB, 1, 16384, 'GiB');
    const vt = this.props.volumeType;
    if (vt !== undefined) {
      requireInstance(scope, `${prop}.volumeType`, vt, TroveVolumeType, "use TroveVolumeType.troveDefault('<name>') or TroveVolumeType.named('<name>')");
      requireDefined(scope, `${prop}.volumeType`, vt.name, "use TroveVolumeType.troveDefault('<name>') or TroveVolumeType.named('<name>')");
      requireName(scope, `${prop}.volumeType`, vt.name);
    }
    const networks = this.props.networks;
    if (networks !== undefined && (!Array.isArray(networks) || networks.length === 0)) {
      throw propError(scope, ErrorCode.REQUIRED, `${prop}.networks`, networks, 'must list at least one network when given', 'leave it out for Trove\'s default network');
    }
    requireList(scope, `${prop}.networks`, networks, 1, 64, "leave it out for Trove's default network");
    networks?.forEach((n, i) =>
      requireConstructOf(scope, `${prop}.networks[${i}]`, n ?? null, '_heatNetwork', 'a network', "use a VirtualNetwork's .network or Network.fromName(this, 'Net', 'name')"),
    );
  }
}

/**
 * The connections of a Trove database: it has a default port but no security group of the
 * stack's, so rules cannot be added; each attempt fails with an explanation.
 */
export class TroveConnections extends Connections {
  constructor(
    private readonly database: IConstruct,
    defaultPort: Port,
  ) {
    super({ defaultPort });
  }

  public allowFrom(_other: IConnectable, _port: Port, _options?: RuleOptions): void {
    throw usageError(
      this.database,
      ErrorCode.UNSUPPORTED,
      'allowFrom',
      "is not possible on a Trove database: Trove creates and owns the instance's security group, so neither Heat nor Terraform can add rules to it; " +
        "restrict access with Trove ('openstack database instance update --allowed-cidr <cidr>'), or use DatabaseHosting.server()",
    );
  }

  public addSecurityGroup(): void {
    throw usageError(this.database, ErrorCode.UNSUPPORTED, 'addSecurityGroup', 'is not possible on a Trove database: Trove owns the instance\'s security group');
  }
}
