/**
 * Database: MySQL, MariaDB or PostgreSQL on servers installed by cloud-init (with read
 * replicas), or in Trove; generated passwords; its port opened only to what allowFrom names.
 */
import { Database, DatabaseEngine, DatabaseHosting, Flavor, Image, Network, Placement, Port, TroveVolumeType } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf, expectNoPasswordLiterals, fixture, hotUserData, setupScript } from './fixture';

type Fixture = ReturnType<typeof fixture>;

function serverDb(f: Fixture, engine = DatabaseEngine.postgresql({ version: '16' }), readReplicas?: number): Database {
  return new Database(f.stack, 'Db', { engine, databaseName: 'shop', username: 'shop', hosting: DatabaseHosting.server({ ...f.host, readReplicas }) });
}

describe('a database on a server', () => {
  test('Heat: one server in its own security group, a RandomString password, no ingress rule', () => {
    // GIVEN a PostgreSQL database with no replicas and nothing allowed
    const f = fixture();
    serverDb(f);
    // WHEN synthesized to HOT
    const heat = heatOf(f.stack);
    // THEN there is one server, on a port in the database's group, and no rule on that group
    expect(Object.keys(hotResourcesOfType(heat.template, 'OS::Nova::Server')).sort()).toEqual(['db', 'web']);
    expect(heat.resources.db_port_net.properties!.security_groups).toEqual([{ get_resource: 'db_security_group' }]);
    expect(heat.resources.db_security_group.type).toBe('OS::Neutron::SecurityGroup');
    expect(hotResourcesOfType(heat.template, 'OS::Neutron::SecurityGroupRule')).toEqual({});
    // AND the password is a RandomString of letters and digits only, at least 24 long
    const pw = heat.resources.db_password;
    expect(pw.type).toBe('OS::Heat::RandomString');
    expect(pw.properties!.length).toBeGreaterThanOrEqual(24);
    expect(pw.properties!.character_classes.map((c: any) => c.class).sort()).toEqual(['digits', 'lowercase', 'uppercase']);
    expect(pw.properties!.character_sequences).toBeUndefined();
    // AND the user data gets it with get_attr [.., value]
    expect(hotUserData(heat.resources.db).params).toEqual({ '@@DB_PASSWORD@@': { get_attr: ['db_password', 'value'] } });
  });

  test('cloud-init installs the requested PostgreSQL, creates the database and the user', () => {
    // GIVEN PostgreSQL 16
    const f = fixture();
    serverDb(f);
    // WHEN synthesized
    const { text } = hotUserData(heatOf(f.stack).resources.db);
    const script = setupScript(text);
    // THEN the package is postgresql-16, the version is checked, and the role and database created
    expect(text).toContain('- postgresql-16');
    expect(script).toContain("grep -Eq 'PostgreSQL\\) 16([^0-9]|$)'");
    expect(script).toContain(`CREATE ROLE "shop" WITH LOGIN PASSWORD '@@DB_PASSWORD@@';`);
    expect(script).toContain('CREATE DATABASE "shop" OWNER "shop"');
    expect(script).toContain("'host shop shop 0.0.0.0/0 scram-sha-256'");
    expect(script).not.toContain('replicator');
  });

  test.each([
    ['mysql', DatabaseEngine.mysql(), 'mysql-server', '/etc/mysql/mysql.conf.d/zz-scaleout.cnf', 'gtid_mode = ON'],
    ['mariadb', DatabaseEngine.mariadb(), 'mariadb-server', '/etc/mysql/mariadb.conf.d/99-scaleout.cnf', 'log_bin = mysql-bin'],
  ])('cloud-init installs %s and grants the user its database', (_name, engine, pkg, conf, line) => {
    // GIVEN a MySQL-family engine without a version
    const f = fixture();
    serverDb(f, engine);
    // WHEN synthesized
    const { text } = hotUserData(heatOf(f.stack).resources.db);
    const script = setupScript(text);
    // THEN the package is installed, the config binds the private address, and the grants are narrow
    expect(text).toContain(`- ${pkg}`);
    expect(script).toContain(`cat > ${conf} <<EOF`);
    expect(script).toContain('bind-address = $PRIVATE_IP');
    expect(script).toContain(line);
    expect(script).toContain("CREATE USER IF NOT EXISTS 'shop'@'%' IDENTIFIED BY '@@DB_PASSWORD@@';");
    expect(script).toContain("GRANT ALL PRIVILEGES ON `shop`.* TO 'shop'@'%';");
    expect(script).not.toContain('--version'); // no version asked, none checked
  });

  test('Terraform: the server, a sensitive password variable without default, validated', () => {
    // GIVEN a MySQL database
    const f = fixture();
    const db = serverDb(f, DatabaseEngine.mysql({ version: '8.0' }));
    // WHEN synthesized to Terraform
    const tf = terraformOf(f.stack);
    // THEN the instance's user data reads the variable and nothing else carries the password
    expect(db.generatedPassword.terraformVariableName).toBe('db_password');
    expect(tf.json.variable.db_password).toMatchObject({ type: 'string', sensitive: true });
    expect(tf.json.variable.db_password).not.toHaveProperty('default');
    expect(tf.json.variable.db_password.description).toContain('TF_VAR_db_password');
    expect(tf.json.variable.db_password.validation[0].condition).toContain('length(var.db_password) >= 32');
    expect(tf.resources('openstack_compute_instance_v2').db.user_data).toContain("IDENTIFIED BY '${var.db_password}'");
    expect(tf.resources('openstack_networking_secgroup_rule_v2')).toEqual({});
  });

  test('no password literal in either output, replicas included', () => {
    // GIVEN databases of each engine, with replicas
    const f = fixture();
    serverDb(f, DatabaseEngine.mysql(), 2);
    new Database(f.stack, 'Pg', { engine: DatabaseEngine.postgresql(), databaseName: 'app', username: 'app', hosting: DatabaseHosting.server({ ...f.host, readReplicas: 1 }) });
    // WHEN both targets are synthesized
    // THEN every password slot holds a placeholder or a variable reference
    const slots = expectNoPasswordLiterals(f.stack, terraformOf(f.stack));
    expect(slots.heat).toBeGreaterThan(5);
    expect(slots.terraform).toBe(slots.heat);
  });
});

describe('access to the database', () => {
  test('allowDefaultPortFrom writes one remote-group rule on the database port, in both targets', () => {
    // GIVEN a database and a web server allowed to reach it
    const f = fixture();
    const db = serverDb(f);
    db.connections.allowDefaultPortFrom(f.web);
    // WHEN synthesized
    const heat = heatOf(f.stack);
    const tf = terraformOf(f.stack);
    // THEN the only rule lets members of the web group in on 5432, by group, never by CIDR
    const rules = hotResourcesOfType(heat.template, 'OS::Neutron::SecurityGroupRule');
    expect(Object.values(rules).map((r) => r.properties)).toEqual([
      expect.objectContaining({
        security_group: { get_resource: 'db_security_group' },
        direction: 'ingress',
        protocol: 'tcp',
        port_range_min: 5432,
        port_range_max: 5432,
        remote_group: { get_resource: 'web_security_group' },
      }),
    ]);
    expect(Object.values(rules)[0].properties!.remote_ip_prefix).toBeUndefined();
    const tfRules = Object.values(tf.resources('openstack_networking_secgroup_rule_v2')) as any[];
    expect(tfRules).toHaveLength(1);
    expect(tfRules[0]).toMatchObject({
      security_group_id: '${openstack_networking_secgroup_v2.db_security_group.id}',
      port_range_min: 5432,
      remote_group_id: '${openstack_networking_secgroup_v2.web_security_group.id}',
    });
    expect(tfRules[0].remote_ip_prefix).toBeUndefined();
  });

  test('allowFrom on another port and the default ports of each engine', () => {
    // GIVEN a MariaDB database and an admin CIDR allowed on SSH
    const f = fixture();
    const db = serverDb(f, DatabaseEngine.mariadb());
    db.connections.allowFrom(f.web, Port.tcp(22));
    // WHEN synthesized
    const rules = hotResourcesOfType(heatOf(f.stack).template, 'OS::Neutron::SecurityGroupRule');
    // THEN the rule is on 22 only; the default ports are 3306 and 5432
    expect(Object.values(rules).map((r) => r.properties!.port_range_min)).toEqual([22]);
    expect(db.connections.defaultPort!.fromPort).toBe(3306);
    expect(DatabaseEngine.postgresql().defaultPort).toBe(5432);
    expect(DatabaseEngine.mysql().defaultPort).toBe(3306);
  });
});

describe('read replicas', () => {
  test('Heat: one server per replica, wired to the primary address and the replication password', () => {
    // GIVEN PostgreSQL with 2 replicas
    const f = fixture();
    const db = serverDb(f, undefined, 2);
    // WHEN synthesized to HOT
    const heat = heatOf(f.stack);
    // THEN there are a primary and two replicas, all in the database's group
    expect(Object.keys(hotResourcesOfType(heat.template, 'OS::Nova::Server')).sort()).toEqual(['db', 'db_replica1', 'db_replica2', 'web']);
    expect(db.replicas).toHaveLength(2);
    expect(db.replicaHosts).toHaveLength(2);
    for (const r of ['db_replica1', 'db_replica2']) {
      expect(heat.resources[`${r}_port_net`].properties!.security_groups).toEqual([{ get_resource: 'db_security_group' }]);
      const { text, params } = hotUserData(heat.resources[r]);
      expect(params).toEqual({
        '@@DB_PRIMARY_HOST@@': { get_attr: ['db_port_net', 'fixed_ips', 0, 'ip_address'] },
        '@@DB_REPLICATION_PASSWORD@@': { get_attr: ['db_replication_password', 'value'] },
      });
      expect(setupScript(text)).toContain("pg_basebackup -h '@@DB_PRIMARY_HOST@@' -p 5432 -U replicator -D \"$PG_DATA\" -R -X stream");
    }
    // AND the primary creates the replication role, and accepts replication from its subnet
    const primary = setupScript(hotUserData(heat.resources.db).text);
    expect(primary).toContain("CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '@@DB_REPLICATION_PASSWORD@@';");
    expect(primary).toContain("'host replication replicator samenet scram-sha-256'");
    expect(heat.resources.db_replication_password.type).toBe('OS::Heat::RandomString');
  });

  test('replicas get the one rule replication needs: the group lets its own members in', () => {
    // GIVEN MySQL with one replica and nothing allowed
    const f = fixture();
    serverDb(f, DatabaseEngine.mysql(), 1);
    // WHEN synthesized
    const rules = hotResourcesOfType(heatOf(f.stack).template, 'OS::Neutron::SecurityGroupRule');
    // THEN the only rule is 3306 from the database's own group
    expect(Object.values(rules).map((r) => r.properties)).toEqual([
      expect.objectContaining({ port_range_min: 3306, port_range_max: 3306, remote_group: { get_resource: 'db_security_group' }, security_group: { get_resource: 'db_security_group' } }),
    ]);
  });

  test.each([
    ['mysql', DatabaseEngine.mysql(), "CHANGE REPLICATION SOURCE TO SOURCE_HOST='@@DB_PRIMARY_HOST@@'", 'START REPLICA;'],
    ['mariadb', DatabaseEngine.mariadb(), "CHANGE MASTER TO MASTER_HOST='@@DB_PRIMARY_HOST@@'", 'MASTER_USE_GTID=slave_pos'],
  ])('%s replicas use binlog replication with distinct server ids', (_n, engine, change, start) => {
    // GIVEN two replicas
    const f = fixture();
    serverDb(f, engine, 2);
    // WHEN synthesized
    const heat = heatOf(f.stack);
    const primary = setupScript(hotUserData(heat.resources.db).text);
    const r1 = setupScript(hotUserData(heat.resources.db_replica1).text);
    const r2 = setupScript(hotUserData(heat.resources.db_replica2).text);
    // THEN ids are 1, 2, 3; the replicas are read-only and follow the primary
    expect(primary).toContain('server-id = 1');
    expect(primary).toContain("GRANT REPLICATION SLAVE ON *.* TO 'replicator'@'%';");
    expect(r1).toContain('server-id = 2');
    expect(r2).toContain('server-id = 3');
    for (const r of [r1, r2]) {
      expect(r).toContain('read_only = ON');
      expect(r).toContain(change);
      expect(r).toContain(start);
    }
  });

  test('Terraform: replicas read the primary address and the replication variable', () => {
    // GIVEN MariaDB with one replica
    const f = fixture();
    serverDb(f, DatabaseEngine.mariadb(), 1);
    // WHEN synthesized to Terraform
    const tf = terraformOf(f.stack);
    const instances = tf.resources('openstack_compute_instance_v2');
    // THEN the replica's user data names the primary's address and the replication password variable
    expect(Object.keys(instances).sort()).toEqual(['db', 'db_replica1', 'web']);
    expect(instances.db_replica1.user_data).toContain("MASTER_HOST='${openstack_compute_instance_v2.db.access_ip_v4}'");
    expect(instances.db_replica1.user_data).toContain("MASTER_PASSWORD='${var.db_replication_password}'");
    expect(tf.json.variable.db_replication_password).toMatchObject({ sensitive: true });
  });

  test('no replicas, no replication password', () => {
    // GIVEN zero replicas
    const f = fixture();
    serverDb(f, DatabaseEngine.mysql(), 0);
    // WHEN synthesized
    const tf = terraformOf(f.stack);
    // THEN only the application password exists
    expect(Object.keys(tf.json.variable)).toEqual(['db_password']);
  });
});

describe('a database in Trove', () => {
  function troveDb(f: Fixture, flavor = Flavor.fromName('db.small'), volumeType: TroveVolumeType | undefined = TroveVolumeType.troveDefault('standard')) {
    return new Database(f.stack, 'Db', {
      engine: DatabaseEngine.mysql({ version: '8.0.29' }),
      databaseName: 'shop',
      username: 'shop',
      hosting: DatabaseHosting.trove({ flavor, volumeSizeGiB: 10, networks: [f.net], volumeType }),
    });
  }

  test('Heat: OS::Trove::Instance with the database, the user and a RandomString password', () => {
    // GIVEN a Trove MySQL 8.0.29 database
    const f = fixture();
    troveDb(f);
    // WHEN synthesized to HOT
    const heat = heatOf(f.stack);
    // THEN the instance carries datastore, size, network, database and user; no server is made
    expect(hotResourcesOfType(heat.template, 'OS::Trove::Instance')).toEqual({
      db: {
        type: 'OS::Trove::Instance',
        properties: {
          name: 'db',
          flavor: 'db.small',
          size: 10,
          datastore_type: 'mysql',
          datastore_version: '8.0.29',
          networks: [{ network: 'private' }],
          databases: [{ name: 'shop' }],
          users: [{ name: 'shop', password: { get_attr: ['db_password', 'value'] }, databases: ['shop'] }],
        },
      },
    });
    expect(Object.keys(hotResourcesOfType(heat.template, 'OS::Nova::Server'))).toEqual(['web']);
  });

  test("host is the instance's first IP in both targets (Trove's `ip` list), never the DNS-only hostname", () => {
    // GIVEN a Trove database whose address is exported
    const f = fixture();
    const db = troveDb(f);
    f.stack.addOutput('db_host', { value: db.host, description: 'database address' });
    // WHEN synthesized to both targets
    const heat = heatOf(f.stack);
    const tf = terraformOf(f.stack);
    // THEN Heat reads ip[0] of the instance's `show` (hostname is empty without Trove DNS support)
    expect((heat.template.outputs as any).db_host.value).toEqual({ get_attr: ['db', 'show', 'ip', 0] });
    expect(JSON.stringify(heat.template)).not.toContain('hostname');
    // AND Terraform reads addresses[0], which the provider fills from the same `ip` list
    expect(tf.json.output.db_host.value).toBe('${openstack_db_instance_v1.db.addresses[0]}');
  });

  test('Terraform: openstack_db_instance_v1 with user.name, database.name and the flavor looked up', () => {
    // GIVEN a Trove database whose flavor is given by name
    const f = fixture();
    troveDb(f);
    // WHEN synthesized to Terraform
    const tf = terraformOf(f.stack);
    // THEN the instance names the datastore, the looked-up flavor id and the variable password
    expect(tf.resources('openstack_db_instance_v1').db).toMatchObject({
      name: 'db',
      size: 10,
      volume_type: 'standard',
      flavor_id: '${data.openstack_compute_flavor_v2.db_flavor.id}',
      datastore: { type: 'mysql', version: '8.0.29' },
      network: [{ uuid: '${data.openstack_networking_network_v2.net.id}' }],
      database: [{ name: 'shop' }],
      user: [{ name: 'shop', password: '${var.db_password}', databases: ['shop'] }],
    });
    expect(tf.json.data.openstack_compute_flavor_v2.db_flavor.name).toBe('db.small');
  });

  test('a flavor by id is used as is', () => {
    // GIVEN a flavor id
    const f = fixture();
    troveDb(f, Flavor.fromId('f-123'));
    // WHEN synthesized to Terraform
    const tf = terraformOf(f.stack);
    // THEN no lookup is made
    expect(tf.resources('openstack_db_instance_v1').db.flavor_id).toBe('f-123');
    expect(tf.json.data?.openstack_compute_flavor_v2).toBeUndefined();
  });

  test("Terraform needs a volume type: without one, rendering fails and says why", () => {
    // GIVEN a Trove database without volume type
    const f = fixture();
    new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql({ version: '8.0' }), databaseName: 'shop', username: 'shop', hosting: DatabaseHosting.trove({ flavor: Flavor.fromName('db.small'), volumeSizeGiB: 10 }) });
    // WHEN synthesized: Heat works (Trove picks its default type), Terraform is refused
    expect(hotResourcesOfType(heatOf(f.stack).template, 'OS::Trove::Instance').db.properties).not.toHaveProperty('volume_type');
    const e = errorOf(() => terraformOf(f.stack));
    // THEN the error names the prop and the way out
    expect(e.code).toBe('SO_UNSUPPORTED');
    expect(e.message).toContain("'hosting.volumeType' is required to render to Terraform");
    expect(e.message).toContain('TroveVolumeType.troveDefault');
  });

  test('a volume type other than Trove\'s default renders to Terraform and is refused by Heat', () => {
    // GIVEN a named, non-default volume type
    const f = fixture();
    troveDb(f, undefined, TroveVolumeType.named('ssd'));
    // WHEN synthesized
    // THEN Terraform writes it and Heat fails rather than dropping it
    expect(terraformOf(f.stack).resources('openstack_db_instance_v1').db.volume_type).toBe('ssd');
    const e = errorOf(() => heatOf(f.stack));
    expect(e.code).toBe('SO_UNSUPPORTED');
    expect(e.message).toContain("volume type 'ssd' would be dropped");
  });

  test('allowFrom is refused with an explanation: Trove owns the security group', () => {
    // GIVEN a Trove database
    const f = fixture();
    const db = troveDb(f);
    // WHEN a client is allowed in
    const e = errorOf(() => db.connections.allowDefaultPortFrom(f.web));
    // THEN the error says why and what to do
    expect(e.code).toBe('SO_UNSUPPORTED');
    expect(e.message).toContain('Trove creates and owns');
    expect(e.message).toContain('DatabaseHosting.server()');
  });
});

describe('secrets stay secret', () => {
  test('the password is a secret: a stack output of it must be sensitive', () => {
    // GIVEN a database
    const f = fixture();
    const db = serverDb(f);
    // WHEN its password is exported without sensitive
    const e = errorOf(() => f.stack.addOutput('db_password', { value: db.password, description: 'password' }));
    // THEN it is refused; with sensitive it is a sensitive Terraform output
    expect(e.code).toBe('SO_INSECURE');
    expect(e.message).toContain("'sensitive' must be true");
    f.stack.addOutput('db_password', { value: db.password, description: 'password', sensitive: true });
    expect(terraformOf(f.stack).json.output.db_password).toEqual({ description: 'password', sensitive: true, value: '${var.db_password}' });
  });
});

describe('validation', () => {
  const host = () => ({ image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small') });
  test.each<[string, (f: Fixture) => unknown, string, string]>([
    ['replicas above 5', (f) => serverDb(f, undefined, 6), 'SO_RANGE', "'hosting.readReplicas' must be between 0 and 5"],
    ['fractional replicas', (f) => serverDb(f, undefined, 1.5), 'SO_RANGE', "'hosting.readReplicas' must be an integer"],
    ['negative replicas', (f) => serverDb(f, undefined, -1), 'SO_RANGE', "'hosting.readReplicas'"],
    ['a bad database name', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql(), databaseName: 'my-db', username: 'app', hosting: DatabaseHosting.server(f.host) }), 'SO_FORMAT', "'databaseName' must match"],
    ['a one-letter user', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql(), databaseName: 'app', username: 'a', hosting: DatabaseHosting.server(f.host) }), 'SO_FORMAT', "'username' must match"],
    ['a too long user', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql(), databaseName: 'app', username: 'u'.repeat(33), hosting: DatabaseHosting.server(f.host) }), 'SO_RANGE', "'username' must be at most 32"],
    ['a reserved user', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.postgresql(), databaseName: 'app', username: 'Postgres', hosting: DatabaseHosting.server(f.host) }), 'SO_CONFLICT', "'username' is reserved"],
    ['the replication user', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql(), databaseName: 'app', username: 'replicator', hosting: DatabaseHosting.server(f.host) }), 'SO_CONFLICT', "'username' is reserved"],
    ['a reserved database', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql(), databaseName: 'mysql', username: 'app', hosting: DatabaseHosting.server(f.host) }), 'SO_CONFLICT', "'databaseName' is reserved"],
    ['a missing database name', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql(), username: 'app', hosting: DatabaseHosting.server(f.host) } as any), 'SO_REQUIRED', "'databaseName' is required"],
    ['a missing engine', (f) => new Database(f.stack, 'Db', { databaseName: 'app', username: 'app', hosting: DatabaseHosting.server(f.host) } as any), 'SO_REQUIRED', "'engine' is required"],
    ['an engine string', (f) => new Database(f.stack, 'Db', { engine: 'mysql', databaseName: 'app', username: 'app', hosting: DatabaseHosting.server(f.host) } as any), 'SO_ENUM', "'engine' must be a DatabaseEngine"],
    ['a missing hosting', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql(), databaseName: 'app', username: 'app' } as any), 'SO_REQUIRED', "'hosting' is required"],
    ['no networks', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql(), databaseName: 'app', username: 'app', hosting: DatabaseHosting.server({ ...host(), networks: [] }) }), 'SO_REQUIRED', "'hosting.networks' must list at least one network"],
    ['a malformed server version', (f) => serverDb(f, DatabaseEngine.postgresql({ version: 'latest' })), 'SO_FORMAT', "'engine.version' must be numbers separated by dots"],
    ['Trove without version', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.postgresql(), databaseName: 'app', username: 'app', hosting: DatabaseHosting.trove({ flavor: Flavor.fromName('db.small'), volumeSizeGiB: 5 }) }), 'SO_REQUIRED', "'engine.version' is required with Trove"],
    ['a zero Trove volume', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql({ version: '8.0' }), databaseName: 'app', username: 'app', hosting: DatabaseHosting.trove({ flavor: Flavor.fromName('db.small'), volumeSizeGiB: 0 }) }), 'SO_RANGE', "'hosting.volumeSizeGiB' must be between 1 and 16384"],
    ['a Trove volume type string', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql({ version: '8.0' }), databaseName: 'app', username: 'app', hosting: DatabaseHosting.trove({ flavor: Flavor.fromName('db.small'), volumeSizeGiB: 5, volumeType: 'ssd' as any }) }), 'SO_ENUM', "'hosting.volumeType' must be a TroveVolumeType"],
    ['an empty Trove volume type', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql({ version: '8.0' }), databaseName: 'app', username: 'app', hosting: DatabaseHosting.trove({ flavor: Flavor.fromName('db.small'), volumeSizeGiB: 5, volumeType: TroveVolumeType.named(' ') }) }), 'SO_EMPTY', "'hosting.volumeType' must be a non-empty string"],
    ['Trove with empty networks', (f) => new Database(f.stack, 'Db', { engine: DatabaseEngine.mysql({ version: '8.0' }), databaseName: 'app', username: 'app', hosting: DatabaseHosting.trove({ flavor: Flavor.fromName('db.small'), volumeSizeGiB: 5, networks: [] }) }), 'SO_REQUIRED', "'hosting.networks' must list at least one network when given"],
  ])('%s is refused', (_what, make, code, fragment) => {
    // GIVEN a stack
    const f = fixture();
    // WHEN the database is created with the bad input
    const e = errorOf(() => make(f));
    // THEN the error names the prop and the rule
    expect(e.code).toBe(code);
    expect(e.message).toContain('test/Db');
    expect(e.message).toContain(fragment);
  });

  test('a Trove version name may hold letters and dashes; an imported network works', () => {
    // GIVEN a Trove datastore version with a suffix
    const f = fixture();
    const net = Network.fromId(f.stack, 'Other', 'net-uuid');
    new Database(f.stack, 'Db', { engine: DatabaseEngine.postgresql({ version: '12.4-ubuntu' }), databaseName: 'app', username: 'app', hosting: DatabaseHosting.trove({ flavor: Flavor.fromId('f1'), volumeSizeGiB: 5, networks: [net], volumeType: TroveVolumeType.troveDefault('standard') }) });
    // WHEN synthesized
    const tf = terraformOf(f.stack);
    // THEN it is passed through
    expect(tf.resources('openstack_db_instance_v1').db.datastore).toEqual({ type: 'postgresql', version: '12.4-ubuntu' });
    expect(tf.resources('openstack_db_instance_v1').db.network).toEqual([{ uuid: 'net-uuid' }]);
  });
});

describe('read replicas spread across hypervisors', () => {
  test('by default the primary and its replicas join one soft-anti-affinity server group, in both targets', () => {
    // GIVEN PostgreSQL with 2 replicas
    const f = fixture();
    serverDb(f, undefined, 2);
    // WHEN synthesized to both targets
    const heat = heatOf(f.stack);
    const tf = terraformOf(f.stack);
    // THEN one server group with the soft policy
    expect(heat.resources.db_server_group).toEqual({ type: 'OS::Nova::ServerGroup', properties: { name: 'db_server_group', policies: ['soft-anti-affinity'] } });
    expect(tf.resources('openstack_compute_servergroup_v2').db_server_group).toMatchObject({ policies: ['soft-anti-affinity'] });
    // AND each of the three servers names it (the unrelated 'web' server does not)
    for (const s of ['db', 'db_replica1', 'db_replica2']) {
      expect(heat.resources[s].properties!.scheduler_hints).toEqual({ group: { get_resource: 'db_server_group' } });
      expect(tf.resources('openstack_compute_instance_v2')[s].scheduler_hints).toEqual([{ group: '${openstack_compute_servergroup_v2.db_server_group.id}' }]);
    }
    expect(heat.resources.web.properties!.scheduler_hints).toBeUndefined();
  });

  test('without replicas there is no server group', () => {
    const f = fixture();
    serverDb(f);
    expect(hotResourcesOfType(heatOf(f.stack).template, 'OS::Nova::ServerGroup')).toEqual({});
    expect(terraformOf(f.stack).resources('openstack_compute_servergroup_v2')).toEqual({});
  });

  test('Placement.any() opts out; Placement.strictSpread refuses more servers than hosts', () => {
    // GIVEN a database opting out, WHEN synthesized THEN no group and no hint
    const f = fixture();
    new Database(f.stack, 'Db', {
      engine: DatabaseEngine.mysql(),
      databaseName: 'shop',
      username: 'shop',
      hosting: DatabaseHosting.server({ ...f.host, readReplicas: 1, placement: Placement.any() }),
    });
    const heat = heatOf(f.stack);
    expect(hotResourcesOfType(heat.template, 'OS::Nova::ServerGroup')).toEqual({});
    expect(heat.resources.db_replica1.properties!.scheduler_hints).toBeUndefined();
    // AND a strict spread of a primary and 2 replicas on 2 hosts is refused
    const g = fixture();
    const e = errorOf(
      () =>
        new Database(g.stack, 'Db', {
          engine: DatabaseEngine.mysql(),
          databaseName: 'shop',
          username: 'shop',
          hosting: DatabaseHosting.server({ ...g.host, readReplicas: 2, placement: Placement.strictSpread({ hosts: 2 }) }),
        }),
    );
    expect(e.message).toContain("test/Db: 'hosting.readReplicas' needs room for 3 servers, but 'hosting.placement' (strict spread) holds at most 2");
    // AND a strict spread that fits renders anti-affinity
    const h = fixture();
    new Database(h.stack, 'Db', {
      engine: DatabaseEngine.mysql(),
      databaseName: 'shop',
      username: 'shop',
      hosting: DatabaseHosting.server({ ...h.host, readReplicas: 2, placement: Placement.strictSpread({ hosts: 3 }) }),
    });
    expect(heatOf(h.stack).resources.db_server_group.properties!.policies).toEqual(['anti-affinity']);
  });

  test('a placement that is not a Placement is refused', () => {
    const f = fixture();
    const e = errorOf(() => DatabaseHosting.server({ ...f.host, readReplicas: 1, placement: 'spread' as never }).validate(f.stack as never, 'hosting'));
    expect(e.message).toContain("'hosting.placement' must be");
  });
});
