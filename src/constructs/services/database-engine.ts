import { IConstruct } from 'constructs';
import { ErrorCode, propError } from '../../core/errors';
import { isUnresolved } from '../../core/validate';
import { DISCOVER_PRIVATE_IP, ServiceBoot } from './service-host';

/** Placeholders the database setup scripts carry until deploy time. */
export const DB_PLACEHOLDERS = {
  /** The application user's password. */
  PASSWORD: '@@DB_PASSWORD@@',
  /** The replication user's password. */
  REPLICATION_PASSWORD: '@@DB_REPLICATION_PASSWORD@@',
  /** The primary's private IP (in a replica's script). */
  PRIMARY_HOST: '@@DB_PRIMARY_HOST@@',
} as const;

/** The user read replicas connect to the primary as. */
export const REPLICATION_USER = 'replicator';

/** Options of a database engine. */
export interface DatabaseEngineOptions {
  /**
   * The engine version. On a server, the version the image's packages must provide, as a
   * prefix (`'8.0'`, `'10.11'`, `'16'`): PostgreSQL installs `postgresql-<major>`, and the setup
   * script fails the boot if the installed server does not match. With Trove, the name of a
   * datastore version registered in the cloud (`'8.0.29'`); required there.
   * @default - on a server, whatever version the image's distribution packages
   */
  readonly version?: string;
}

type Family = 'mysql' | 'mariadb' | 'postgresql';

/** What a database engine needs to know to set up one server. */
export interface DatabaseScriptArgs {
  /** The database to create. */
  readonly databaseName: string;
  /** The application user. */
  readonly username: string;
  /** 1 for the primary, 2.. for replicas (MySQL/MariaDB `server-id`). */
  readonly serverId: number;
  /** True when the primary must accept read replicas. */
  readonly withReplication: boolean;
}

/**
 * A relational database engine: MySQL, MariaDB or PostgreSQL. On a server, cloud-init installs it
 * from the distribution's packages (Debian/Ubuntu; MySQL 5.7 or later, MariaDB 10.2 or later); with
 * Trove it names the datastore.
 */
export class DatabaseEngine {
  /**
   * MySQL (`mysql-server`, port 3306), 5.7 or later on a server; replicas use GTID binlog
   * replication, with the statements the version has (see `replicationSyntax`).
   */
  public static mysql(options: DatabaseEngineOptions = {}): DatabaseEngine {
    return new DatabaseEngine('mysql', 3306, options?.version);
  }

  /** MariaDB (`mariadb-server`, port 3306), 10.2 or later on a server; replicas use GTID binlog replication. */
  public static mariadb(options: DatabaseEngineOptions = {}): DatabaseEngine {
    return new DatabaseEngine('mariadb', 3306, options?.version);
  }

  /** PostgreSQL (`postgresql[-<major>]`, port 5432); replicas are hot standbys fed by streaming replication. */
  public static postgresql(options: DatabaseEngineOptions = {}): DatabaseEngine {
    return new DatabaseEngine('postgresql', 5432, options?.version);
  }

  private constructor(
    /** `mysql`, `mariadb` or `postgresql` (also the Trove datastore type). */
    public readonly family: Family,
    /** The TCP port the engine listens on. */
    public readonly defaultPort: number,
    /** The requested version, if any. */
    public readonly version: string | undefined,
  ) {}

  /** Throws unless the version is well formed: digits and dots on a server, a datastore version name with Trove. */
  public validate(scope: IConstruct, prop: string, hosting: 'server' | 'trove'): void {
    const v = this.version;
    if (v === undefined || isUnresolved(v)) return;
    const pattern = hosting === 'server' ? /^\d+(\.\d+){0,2}$/ : /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/;
    if (typeof v !== 'string' || !pattern.test(v)) {
      const want = hosting === 'server' ? 'numbers separated by dots' : 'a Trove datastore version name (letters, digits, dots, dashes)';
      throw propError(scope, ErrorCode.FORMAT, `${prop}.version`, v, `must be ${want}`, `write it like '${this.family === 'postgresql' ? '16' : '8.0'}'`);
    }
    if (hosting !== 'server' || this.family === 'postgresql') return;
    // The setup scripts use `CREATE USER IF NOT EXISTS` (MySQL 5.7 GA, MariaDB 10.1.3) and GTID
    // replication; the oldest line that has both, and is still packaged, is the minimum. A prefix
    // is judged by the oldest release it allows ('10' allows MariaDB 10.0).
    const minimum = MINIMUM_SERVER_VERSION[this.family];
    if (compareVersions(versionParts(v), minimum) < 0) {
      throw propError(
        scope,
        ErrorCode.UNSUPPORTED,
        `${prop}.version`,
        v,
        `is not supported on a server: Scaleout's setup and replication scripts need ${this.family === 'mysql' ? 'MySQL' : 'MariaDB'} ${minimum.join('.')} or later (a version prefix counts as its oldest release)`,
        `give ${this.family === 'mysql' ? "'8.0' or '8.4'" : "'10.11' or '11.4'"}, or use DatabaseHosting.trove()`,
      );
    }
  }

  /**
   * The replication statements a MySQL replica runs, by version: `CHANGE REPLICATION SOURCE TO` is
   * MySQL 8.0.23 and later (`START REPLICA` 8.0.22), and 8.4 removed the `CHANGE MASTER TO` /
   * `START SLAVE` forms older servers need. `detect` when the version (absent, or a prefix such as
   * '8.0' or '8') spans both: the script then reads the installed server's version at boot.
   */
  public get replicationSyntax(): 'source' | 'master' | 'detect' | 'mariadb' | 'postgresql' {
    if (this.family !== 'mysql') return this.family;
    if (this.version === undefined || isUnresolved(this.version)) return 'detect';
    const parts = versionParts(this.version);
    const lowest = compareVersions(parts, MYSQL_REPLICATION_SOURCE_SYNTAX);
    const highest = compareVersions([...parts, Infinity, Infinity].slice(0, 3), MYSQL_REPLICATION_SOURCE_SYNTAX);
    if (lowest >= 0) return 'source';
    return highest < 0 ? 'master' : 'detect';
  }

  public toString(): string {
    return this.version ? `${this.family} ${this.version}` : this.family;
  }

  /** @internal The first boot of the primary server. */
  public _primaryBoot(args: DatabaseScriptArgs): ServiceBoot {
    return { packages: this.packages, scriptName: `scaleout-${this.family}-primary`, script: this.family === 'postgresql' ? this.pgPrimary(args) : this.myPrimary(args) };
  }

  /** @internal The first boot of a read replica. */
  public _replicaBoot(args: DatabaseScriptArgs): ServiceBoot {
    return { packages: this.packages, scriptName: `scaleout-${this.family}-replica`, script: this.family === 'postgresql' ? this.pgReplica(args) : this.myReplica(args) };
  }

  private get packages(): string[] {
    if (this.family === 'postgresql') return [this.version ? `postgresql-${this.version.split('.')[0]}` : 'postgresql'];
    return [this.family === 'mysql' ? 'mysql-server' : 'mariadb-server', this.family === 'mysql' ? 'mysql-client' : 'mariadb-client'];
  }

  /** Shell that fails the boot unless the installed server has the requested version. */
  private get versionCheck(): string {
    if (!this.version) return '';
    const v = this.version.replace(/\./g, '\\.');
    const probe = this.family === 'postgresql' ? 'psql --version' : '"$(command -v mariadbd || command -v mysqld)" --version';
    const expect = this.family === 'postgresql' ? `PostgreSQL\\) ${v}([^0-9]|$)` : `Ver ${v}([^0-9]|$)`;
    return `if ! ${probe} | grep -Eq '${expect}'; then echo "scaleout: installed ${this.family} is not version ${this.version}: $(${probe})" >&2; exit 1; fi\n`;
  }

  private get myConfFile(): string {
    return this.family === 'mysql' ? '/etc/mysql/mysql.conf.d/zz-scaleout.cnf' : '/etc/mysql/mariadb.conf.d/99-scaleout.cnf';
  }

  private get myService(): string {
    return this.family === 'mysql' ? 'mysql' : 'mariadb';
  }

  private myConf(serverId: number, replica: boolean): string {
    const lines = ['[mysqld]', 'bind-address = $PRIVATE_IP', `port = ${this.defaultPort}`, `server-id = ${serverId}`, 'log_bin = mysql-bin', 'binlog_format = ROW'];
    if (this.family === 'mysql') lines.push('gtid_mode = ON', 'enforce_gtid_consistency = ON');
    if (replica) lines.push('relay_log = relay-bin', 'read_only = ON');
    return `cat > ${this.myConfFile} <<EOF\n${lines.join('\n')}\nEOF\nsystemctl enable ${this.myService}\nsystemctl restart ${this.myService}\n`;
  }

  private myPrimary(a: DatabaseScriptArgs): string {
    const repl = a.withReplication
      ? `CREATE USER IF NOT EXISTS '${REPLICATION_USER}'@'%' IDENTIFIED BY '${DB_PLACEHOLDERS.REPLICATION_PASSWORD}';\nGRANT REPLICATION SLAVE ON *.* TO '${REPLICATION_USER}'@'%';\n`
      : '';
    return `${DISCOVER_PRIVATE_IP}
${this.versionCheck}${this.myConf(a.serverId, false)}mysql <<'SQL'
CREATE DATABASE IF NOT EXISTS \`${a.databaseName}\` CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '${a.username}'@'%' IDENTIFIED BY '${DB_PLACEHOLDERS.PASSWORD}';
GRANT ALL PRIVILEGES ON \`${a.databaseName}\`.* TO '${a.username}'@'%';
${repl}FLUSH PRIVILEGES;
SQL`;
  }

  private myReplica(a: DatabaseScriptArgs): string {
    const host = DB_PLACEHOLDERS.PRIMARY_HOST;
    const password = DB_PLACEHOLDERS.REPLICATION_PASSWORD;
    const sql = (statements: string): string => `mysql <<'SQL'\n${statements}\nSQL`;
    const source = `CHANGE REPLICATION SOURCE TO SOURCE_HOST='${host}', SOURCE_PORT=${this.defaultPort}, SOURCE_USER='${REPLICATION_USER}', SOURCE_PASSWORD='${password}', SOURCE_AUTO_POSITION=1, SOURCE_SSL=1;\nSTART REPLICA;`;
    const master = `CHANGE MASTER TO MASTER_HOST='${host}', MASTER_PORT=${this.defaultPort}, MASTER_USER='${REPLICATION_USER}', MASTER_PASSWORD='${password}', MASTER_AUTO_POSITION=1, MASTER_SSL=1;\nSTART SLAVE;`;
    const mariadb = `CHANGE MASTER TO MASTER_HOST='${host}', MASTER_PORT=${this.defaultPort}, MASTER_USER='${REPLICATION_USER}', MASTER_PASSWORD='${password}', MASTER_USE_GTID=slave_pos;\nSTART SLAVE;`;
    const syntax = this.replicationSyntax;
    const start =
      syntax === 'source'
        ? sql(source)
        : syntax === 'master'
          ? sql(master)
          : syntax === 'mariadb'
            ? sql(mariadb)
            : `MYSQL_VERSION="$("$(command -v mysqld || echo /usr/sbin/mysqld)" --version | sed -E 's/.*Ver ([0-9]+[.][0-9]+[.][0-9]+).*/\\1/')"
if [ "$(printf '%s\\n' ${MYSQL_REPLICATION_SOURCE_SYNTAX.join('.')} "$MYSQL_VERSION" | sort -V | head -n 1)" = ${MYSQL_REPLICATION_SOURCE_SYNTAX.join('.')} ]; then
${sql(source)}
else
${sql(master)}
fi`;
    return `${DISCOVER_PRIVATE_IP}
${this.versionCheck}${this.myConf(a.serverId, true)}${waitForPrimary(`mysql -h '${host}' -P ${this.defaultPort} -u ${REPLICATION_USER} -p'${password}' -e 'SELECT 1'`)}
${start}`;
  }

  /** Shell that finds the cluster's files and writes Scaleout's settings (listen address, auth). */
  private pgConf(a: DatabaseScriptArgs, replica: boolean): string {
    const hba = [`host ${a.databaseName} ${a.username} 0.0.0.0/0 scram-sha-256`];
    if (a.withReplication || replica) hba.push(`host replication ${REPLICATION_USER} samenet scram-sha-256`);
    return `PG_HBA="$(runuser -u postgres -- psql -tAc 'SHOW hba_file')"
${replica ? `PG_DATA="$(runuser -u postgres -- psql -tAc 'SHOW data_directory')"\n` : ''}cat > "$(dirname "$PG_HBA")/conf.d/scaleout.conf" <<EOF
listen_addresses = '$PRIVATE_IP,127.0.0.1'
port = ${this.defaultPort}
password_encryption = 'scram-sha-256'${replica ? "\nhot_standby = on" : ''}
EOF
printf '%s\\n' ${hba.map((l) => `'${l}'`).join(' ')} >> "$PG_HBA"
`;
  }

  private pgPrimary(a: DatabaseScriptArgs): string {
    const repl = a.withReplication ? `CREATE ROLE ${REPLICATION_USER} WITH REPLICATION LOGIN PASSWORD '${DB_PLACEHOLDERS.REPLICATION_PASSWORD}';\n` : '';
    return `${DISCOVER_PRIVATE_IP}
${this.versionCheck}${this.pgConf(a, false)}systemctl enable postgresql
systemctl restart postgresql
runuser -u postgres -- psql -v ON_ERROR_STOP=1 <<'SQL'
CREATE ROLE "${a.username}" WITH LOGIN PASSWORD '${DB_PLACEHOLDERS.PASSWORD}';
CREATE DATABASE "${a.databaseName}" OWNER "${a.username}" TEMPLATE template0 ENCODING 'UTF8';
${repl}SQL`;
  }

  private pgReplica(a: DatabaseScriptArgs): string {
    return `${DISCOVER_PRIVATE_IP}
${this.versionCheck}${this.pgConf(a, true)}systemctl stop postgresql
find "$PG_DATA" -mindepth 1 -delete
${waitForPrimary(
  `runuser -u postgres -- env PGPASSWORD='${DB_PLACEHOLDERS.REPLICATION_PASSWORD}' pg_basebackup -h '${DB_PLACEHOLDERS.PRIMARY_HOST}' -p ${this.defaultPort} -U ${REPLICATION_USER} -D "$PG_DATA" -R -X stream`,
  'find "$PG_DATA" -mindepth 1 -delete',
)}
systemctl enable postgresql
systemctl start postgresql`;
  }
}

/** The first MySQL release with `CHANGE REPLICATION SOURCE TO` (MySQL 8.0.23 release notes; 8.4 removed `CHANGE MASTER TO`). */
const MYSQL_REPLICATION_SOURCE_SYNTAX = [8, 0, 23];

/** The oldest server version the setup scripts run on, per family (see `DatabaseEngine.validate`). */
const MINIMUM_SERVER_VERSION: Record<'mysql' | 'mariadb', number[]> = { mysql: [5, 7], mariadb: [10, 2] };

/** '8.0.23' -> [8, 0, 23]; a prefix keeps its length ('8.0' -> [8, 0]). */
function versionParts(version: string): number[] {
  return version.split('.').map(Number);
}

/** Compares versions part by part; a missing part counts as 0 (the oldest release of a prefix). */
function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Shell that retries `probe` every 15 s for up to 30 minutes (the primary installs in parallel). */
function waitForPrimary(probe: string, cleanup?: string): string {
  return `tries=0
until ${probe}; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then echo 'scaleout: the primary did not answer in 30 minutes' >&2; exit 1; fi
  ${cleanup ? `${cleanup}\n  ` : ''}sleep 15
done`;
}
