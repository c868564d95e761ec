import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { checkProps } from '../../core/props';
import { DATABASE_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import type { DbInstanceV1 } from '../../../.gen/providers/openstack/db-instance-v1';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { Resource } from '../../core/resource';
import { requireDefined, requireInstance, requireName } from '../../core/validate';
import { Value } from '../../core/value';
import { Placement } from '../compute/placement';
import type { Server } from '../compute/server';
import { Connections, IConnectable } from '../network/connections';
import { Peer } from '../network/peer';
import { Port } from '../network/port';
import { SecurityGroup } from '../network/security-group';
import { DatabaseEngine, DB_PLACEHOLDERS, REPLICATION_USER } from './database-engine';
import { DatabaseHosting, ServerHosting, TroveConnections, TroveHosting } from './database-hosting';
import { GeneratedPassword } from './generated-password';
import { createServiceServer } from './service-host';
import { L1 } from '../../stacks/terraform/l1';

/** Names the engines or Scaleout keep for themselves. */
const RESERVED_USERS = ['root', 'postgres', 'mysql', 'admin', REPLICATION_USER, 'debian-sys-maint', 'mariadb.sys'];
/** Longest user name Trove (and Heat's OS::Trove::Instance) accepts. */
const MAX_TROVE_USERNAME = 16;
/** Largest data volume Heat's OS::Trove::Instance accepts, in GiB (Terraform has no such cap). */
const MAX_HEAT_TROVE_SIZE_GIB = 150;
const RESERVED_DATABASES = ['mysql', 'sys', 'information_schema', 'performance_schema', 'postgres', 'template0', 'template1'];

/** Properties of a `Database`. */
export interface DatabaseProps {
  /** The engine: `DatabaseEngine.mysql()`, `.mariadb()` or `.postgresql({ version: '16' })`. */
  readonly engine: DatabaseEngine;
  /** Where it runs: `DatabaseHosting.server({...})` or `DatabaseHosting.trove({...})`. */
  readonly hosting: DatabaseHosting;
  /** The database the application uses: 2 to 63 letters, digits and underscores, not starting with a digit. */
  readonly databaseName: string;
  /**
   * The application's user, with all privileges on `databaseName`: 2 to 32 letters, digits and
   * underscores (at most 16 with Trove hosting, Trove's limit).
   */
  readonly username: string;
}

/**
 * A relational database for the application, with a generated password (see
 * `GeneratedPassword`; never a literal in a template).
 *
 * On servers (`DatabaseHosting.server`), cloud-init installs the engine on a primary server and on
 * `readReplicas` replica servers, all in one security group; replicas replicate from the primary's
 * private IP. The port opens only to what `connections.allowDefaultPortFrom(...)` names (plus,
 * when there are replicas, one rule letting the group's members reach each other for replication).
 * In Trove (`DatabaseHosting.trove`), the cloud runs it and owns its security group.
 *
 * @example
 * const db = new Database(this, 'Db', {
 *   engine: DatabaseEngine.postgresql({ version: '16' }), databaseName: 'shop', username: 'shop',
 *   hosting: DatabaseHosting.server({ image, flavor, networks: [net], readReplicas: 2 }),
 * });
 * db.connections.allowDefaultPortFrom(webServers);
 */
export class Database extends Resource implements IConnectable {
  /** The database's security group, with a default port (3306 or 5432). */
  public readonly connections: Connections;
  /** The engine. */
  public readonly engine: DatabaseEngine;
  /** The database name. */
  public readonly databaseName: string;
  /** The application user. */
  public readonly username: string;
  /** The primary's address: the server's private IP, or the Trove instance's first IP (in both targets). */
  public readonly host: Value;
  /** The TCP port. */
  public readonly port: Value;
  /** The application user's password, a secret. */
  public readonly password: Value;
  /** The generated password (Terraform: the variable the user sets). */
  public readonly generatedPassword: GeneratedPassword;
  /** The primary server; undefined in Trove. */
  public readonly server?: Server;
  /** The read replica servers, in order (`Replica1`, `Replica2`, ...); empty in Trove. */
  public readonly replicas: Server[] = [];
  /** The replicas' private IPs, for read-only connections. */
  public readonly replicaHosts: Value[];
  /** The security group of the servers; undefined in Trove. */
  public readonly securityGroup?: SecurityGroup;
  private readonly hosting: DatabaseHosting;

  constructor(scope: Construct, id: string, dbProps: DatabaseProps) {
    super(scope, id);
    const props = checkProps(this, dbProps, DATABASE_PROPS, { fix: 'pass { engine, hosting, databaseName, username }' });
    requireDefined(this, 'engine', props.engine, "use DatabaseEngine.postgresql({ version: '16' })");
    requireInstance(this, 'engine', props.engine, DatabaseEngine, 'use DatabaseEngine.mysql(), .mariadb() or .postgresql()');
    requireDefined(this, 'hosting', props.hosting, 'use DatabaseHosting.server({ image, flavor, networks }) or DatabaseHosting.trove({ flavor, volumeSizeGiB })');
    requireInstance(this, 'hosting', props.hosting, DatabaseHosting, 'use DatabaseHosting.server() or DatabaseHosting.trove()');
    props.hosting.validate(this, 'hosting');
    props.engine.validate(this, 'engine', props.hosting.kind);
    if (props.hosting.kind === 'trove' && props.engine.version === undefined) {
      throw propError(this, ErrorCode.REQUIRED, 'engine.version', undefined, 'is required with Trove hosting (Terraform\'s openstack_db_instance_v1 needs the datastore version)', `use DatabaseEngine.${props.engine.family}({ version: '<a datastore version of your cloud>' })`);
    }
    validateIdentifier(this, 'databaseName', props.databaseName, 63, RESERVED_DATABASES);
    validateIdentifier(this, 'username', props.username, 32, RESERVED_USERS);
    if (props.hosting.kind === 'trove' && props.username.length > MAX_TROVE_USERNAME) {
      throw propError(
        this,
        ErrorCode.CONFLICT,
        'username',
        props.username,
        `must be at most ${MAX_TROVE_USERNAME} characters with Trove hosting (Trove's and Heat's limit for database users)`,
        'shorten it',
      );
    }
    this.engine = props.engine;
    this.hosting = props.hosting;
    this.databaseName = props.databaseName;
    this.username = props.username;
    this.port = Value.literal(props.engine.defaultPort);
    this.generatedPassword = new GeneratedPassword(this, 'Password', { purpose: fitName(`database user '${props.username}' of ${this.node.path}`, SERVICE_NAME_MAX_LENGTH) });
    this.password = this.generatedPassword.value;

    if (props.hosting instanceof TroveHosting) {
      this.connections = new TroveConnections(this, Port.tcp(props.engine.defaultPort));
      // Both targets read Trove's `ip` list (the instance's first IP): Heat through the `show`
      // attribute (OS::Trove::Instance has no address attribute, and its `hostname` is empty unless
      // Trove has DNS support), Terraform through `addresses` (the provider fills it from `ip`).
      this.host = Value.of(
        (ctx) => ({ get_attr: [ctx.logicalId(this), 'show', 'ip', 0] }),
        (ctx) => String(ctx.handleOf<DbInstanceV1>(this).interpolationForAttribute('addresses[0]')),
        `address of ${this.node.path}`,
      );
      this.replicaHosts = [];
      return;
    }

    const hosting = props.hosting as ServerHosting;
    const sg = new SecurityGroup(this, 'SecurityGroup', { description: fitName(`${props.engine.family} database ${this.node.path}`, SERVICE_NAME_MAX_LENGTH) });
    this.securityGroup = sg;
    this.connections = new Connections({ securityGroups: [sg], defaultPort: Port.tcp(props.engine.defaultPort) });
    const replicas = hosting.readReplicas;
    const replication =
      replicas > 0 ? new GeneratedPassword(this, 'ReplicationPassword', { purpose: fitName(`replication user '${REPLICATION_USER}' of ${this.node.path}`, SERVICE_NAME_MAX_LENGTH) }).value : undefined;
    const base = { databaseName: this.databaseName, username: this.username, withReplication: replicas > 0 };

    // Primary and replicas spread over hosts (see DatabaseServerHostingProps.placement).
    const serverGroup =
      replicas > 0
        ? (hosting.props.placement ?? Placement.spread())._serverGroup(this, 'hosting.placement', { servers: replicas + 1, prop: 'hosting.readReplicas', value: replicas })
        : undefined;
    const primary = createServiceServer(this, 'Resource', hosting.props, sg, {
      ...props.engine._primaryBoot({ ...base, serverId: 1 }),
      substitutions: [[DB_PLACEHOLDERS.PASSWORD, this.password], ...(replication ? ([[DB_PLACEHOLDERS.REPLICATION_PASSWORD, replication]] as const) : [])],
    }, serverGroup);
    this.server = primary;
    this.host = primary.privateIp;
    for (let i = 1; i <= replicas; i++) {
      this.replicas.push(
        createServiceServer(this, `Replica${i}`, hosting.props, sg, {
          ...props.engine._replicaBoot({ ...base, serverId: i + 1 }),
          substitutions: [
            [DB_PLACEHOLDERS.PRIMARY_HOST, primary.privateIp],
            [DB_PLACEHOLDERS.REPLICATION_PASSWORD, replication!],
          ],
        }, serverGroup),
      );
    }
    if (replicas > 0) {
      sg.addIngressRule(Peer.securityGroup(sg), Port.tcp(props.engine.defaultPort), { description: fitName(`${props.engine.family} replication between members of ${this.node.path}`, SERVICE_NAME_MAX_LENGTH) });
    }
    this.replicaHosts = this.replicas.map((r) => r.privateIp);
  }

  public _toHeat(ctx: HeatContext): void {
    if (!(this.hosting instanceof TroveHosting)) return; // the servers render themselves
    const t = this.hosting.props;
    if (t.volumeType && !t.volumeType.isTroveDefault) {
      throw usageError(
        this,
        ErrorCode.UNSUPPORTED,
        'hosting.volumeType',
        `cannot be rendered to Heat: OS::Trove::Instance has no volume type property, so volume type '${t.volumeType.name}' would be dropped; ` +
          `use TroveVolumeType.troveDefault('<Trove's default type>') to render to Heat`,
      );
    }
    if (t.volumeSizeGiB > MAX_HEAT_TROVE_SIZE_GIB) {
      throw usageError(
        this,
        ErrorCode.UNSUPPORTED,
        'hosting.volumeSizeGiB',
        `cannot be rendered to Heat: OS::Trove::Instance accepts a size of at most ${MAX_HEAT_TROVE_SIZE_GIB} GiB, got ${t.volumeSizeGiB}; ` +
          `use at most ${MAX_HEAT_TROVE_SIZE_GIB} GiB for the Heat target, or deploy with Terraform`,
      );
    }
    ctx.addResource(this, 'OS::Trove::Instance', {
      name: fitName(ctx.logicalId(this), SERVICE_NAME_MAX_LENGTH),
      flavor: t.flavor.nameOrId,
      size: t.volumeSizeGiB,
      datastore_type: this.engine.family,
      datastore_version: this.engine.version,
      networks: t.networks?.map((n) => ({ network: n._heatNetwork(ctx) as string })),
      databases: [{ name: this.databaseName }],
      users: [{ name: this.username, password: this.password._heat(ctx) as string, databases: [this.databaseName] }],
    });
  }

  public _toTerraform(ctx: TerraformContext): DbInstanceV1 | undefined {
    if (!(this.hosting instanceof TroveHosting)) return undefined;
    const t = this.hosting.props;
    if (!t.volumeType) {
      throw usageError(
        this,
        ErrorCode.UNSUPPORTED,
        'hosting.volumeType',
        "is required to render to Terraform: openstack_db_instance_v1 (provider 3.4) needs 'volume_type' next to 'size'; " +
          "set volumeType: TroveVolumeType.troveDefault('<Trove's default type>') (Heat then renders the same volume)",
      );
    }
    const name = ctx.logicalId(this);
    let flavorId = t.flavor.id;
    if (flavorId === undefined) {
      const lookup = ctx.logicalId(this, 'flavor');
      flavorId = ctx.named(new L1.DataOpenstackComputeFlavorV2(ctx.scope, lookup, { name: t.flavor.name }), lookup).id;
    }
    return ctx.named(
      new L1.DbInstanceV1(ctx.scope, name, {
        name,
        flavorId,
        size: t.volumeSizeGiB,
        volumeType: t.volumeType.name,
        datastore: { type: this.engine.family, version: this.engine.version! },
        network: t.networks?.map((n) => ({ uuid: n._terraformNetworkId(ctx) })),
        database: [{ name: this.databaseName }],
        user: [{ name: this.username, password: this.password._terraform(ctx) as string, databases: [this.databaseName] }],
      }),
      name,
    );
  }
}

/** A database or user name: letters, digits and underscores, not a reserved name. */
function validateIdentifier(scope: Construct, prop: string, value: string | undefined, maxLength: number, reserved: string[]): void {
  requireDefined(scope, prop, value, `give a name like 'app'`);
  requireName(scope, prop, value, {
    maxLength,
    pattern: /^[A-Za-z_][A-Za-z0-9_]+$/,
    patternText: 'at least 2 letters, digits and underscores, not starting with a digit',
  });
  if (reserved.includes(value!.toLowerCase())) {
    throw propError(scope, ErrorCode.CONFLICT, prop, value, `is reserved (${reserved.join(', ')})`, "pick an application name like 'app'");
  }
}
