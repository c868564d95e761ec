/**
 * MySQL/MariaDB read replicas run the replication statements their version has: `CHANGE
 * REPLICATION SOURCE TO` / `START REPLICA` from MySQL 8.0.23, `CHANGE MASTER TO` / `START SLAVE`
 * before (and always on MariaDB), detected at boot when the requested version spans both. Versions
 * the setup scripts cannot run on are refused by construct path and property.
 */
import { App, Database, DatabaseEngine, DatabaseHosting, Flavor, Image, Network, Stack } from '../../src';
import { hotUserData, setupScript } from '../constructs/services/fixture';
import { errorOf } from '../util/errors';
import { heatOf, terraformOf } from '../util/synth';

function replicaDb(engine: DatabaseEngine, readReplicas = 1) {
  const app = new App();
  const stack = new Stack(app, 'test');
  const net = Network.fromName(stack, 'Net', 'private');
  const host = { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small', { vcpus: 1 }), networks: [net] };
  new Database(stack, 'Db', { engine, databaseName: 'shop', username: 'shop', hosting: DatabaseHosting.server({ ...host, readReplicas }) });
  return stack;
}

const SOURCE = "CHANGE REPLICATION SOURCE TO SOURCE_HOST='";
const START_REPLICA = 'START REPLICA;';
const MASTER = "CHANGE MASTER TO MASTER_HOST='";
const START_SLAVE = 'START SLAVE;';
const DETECT = 'sort -V';

describe('the replica script uses the syntax of the requested version', () => {
  test.each([
    // [engine, version, syntax, statements present, statements absent]
    ['mysql', '8.0.23', 'source', [SOURCE, START_REPLICA, 'SOURCE_AUTO_POSITION=1'], [MASTER, START_SLAVE, DETECT]],
    ['mysql', '8.0.36', 'source', [SOURCE, START_REPLICA], [MASTER, START_SLAVE, DETECT]],
    ['mysql', '8.4', 'source', [SOURCE, START_REPLICA], [MASTER, START_SLAVE, DETECT]],
    ['mysql', '9.1.0', 'source', [SOURCE, START_REPLICA], [MASTER, START_SLAVE, DETECT]],
    ['mysql', '8.0.22', 'master', [MASTER, START_SLAVE, 'MASTER_AUTO_POSITION=1', 'MASTER_SSL=1'], [SOURCE, START_REPLICA, DETECT]],
    ['mysql', '8.0.21', 'master', [MASTER, START_SLAVE], [SOURCE, START_REPLICA, DETECT]],
    ['mysql', '5.7', 'master', [MASTER, START_SLAVE], [SOURCE, START_REPLICA, DETECT]],
    ['mysql', '5.7.44', 'master', [MASTER, START_SLAVE], [SOURCE, START_REPLICA, DETECT]],
    ['mysql', '8.0', 'detect', [SOURCE, START_REPLICA, MASTER, START_SLAVE, DETECT, '8.0.23'], []],
    ['mysql', '8', 'detect', [SOURCE, MASTER, DETECT], []],
    ['mysql', undefined, 'detect', [SOURCE, MASTER, DETECT], []],
    ['mariadb', '10.11', 'mariadb', [MASTER, START_SLAVE, 'MASTER_USE_GTID=slave_pos'], [SOURCE, START_REPLICA, DETECT, 'MASTER_AUTO_POSITION']],
    ['mariadb', '11.4', 'mariadb', [MASTER, START_SLAVE, 'MASTER_USE_GTID=slave_pos'], [SOURCE, START_REPLICA, DETECT]],
    ['mariadb', '10.2', 'mariadb', [MASTER, START_SLAVE], [SOURCE, DETECT]],
    ['mariadb', undefined, 'mariadb', [MASTER, START_SLAVE], [SOURCE, DETECT]],
  ] as Array<['mysql' | 'mariadb', string | undefined, string, string[], string[]]>)(
    'GIVEN %s %s with a replica WHEN synthesized THEN both targets run the %s statements',
    (family, version, syntax, present, absent) => {
      const engine = family === 'mysql' ? DatabaseEngine.mysql({ version }) : DatabaseEngine.mariadb({ version });
      expect(engine.replicationSyntax).toBe(syntax);
      const stack = replicaDb(engine);
      // Heat: the replica's cloud-init writes the script
      const heatScript = setupScript(hotUserData(heatOf(stack).resources.db_replica1).text);
      // Terraform: the same script, with the placeholders interpolated
      const tfUserData = String(terraformOf(stack).resources('openstack_compute_instance_v2').db_replica1.user_data);
      for (const text of [heatScript, tfUserData]) {
        for (const p of present) expect(text).toContain(p);
        for (const a of absent) expect(text).not.toContain(a);
      }
    },
  );

  test('GIVEN MySQL 8.0 (a prefix spanning 8.0.23) THEN the boot-time choice compares the installed version with 8.0.23', () => {
    const script = setupScript(hotUserData(heatOf(replicaDb(DatabaseEngine.mysql({ version: '8.0' }))).resources.db_replica1).text);
    expect(script).toContain('MYSQL_VERSION="$("$(command -v mysqld || echo /usr/sbin/mysqld)" --version');
    expect(script).toContain(`if [ "$(printf '%s\\n' 8.0.23 "$MYSQL_VERSION" | sort -V | head -n 1)" = 8.0.23 ]; then`);
    // the newer statements come first: they run when 8.0.23 sorts first (the installed version is at least 8.0.23)
    expect(script.indexOf(SOURCE)).toBeLessThan(script.indexOf(MASTER));
  });
});

describe('versions the setup scripts cannot run on are refused', () => {
  test.each([
    ['mysql', '5.6'],
    ['mysql', '5.6.51'],
    ['mysql', '5.5'],
    ['mysql', '5'],
    ['mysql', '4.1'],
    ['mariadb', '10.1'],
    ['mariadb', '10.0.38'],
    ['mariadb', '10'],
    ['mariadb', '5.5'],
  ] as Array<['mysql' | 'mariadb', string]>)('GIVEN %s %s on a server THEN it is refused naming engine.version', (family, version) => {
    const engine = family === 'mysql' ? DatabaseEngine.mysql({ version }) : DatabaseEngine.mariadb({ version });
    for (const replicas of [0, 1]) {
      const err = errorOf(() => replicaDb(engine, replicas));
      expect(err.code).toBe('SO_UNSUPPORTED');
      expect(err.prop).toBe('engine.version');
      expect(err.message).toContain(`test/Db: 'engine.version' is not supported on a server`);
      expect(err.message).toContain(family === 'mysql' ? 'MySQL 5.7 or later' : 'MariaDB 10.2 or later');
      expect(err.message).toContain('DatabaseHosting.trove()');
    }
  });

  test.each([
    ['mysql', '5.7'],
    ['mariadb', '10.2'],
    ['mariadb', '10.3.39'],
  ] as Array<['mysql' | 'mariadb', string]>)('GIVEN %s %s (the oldest supported) THEN it is accepted', (family, version) => {
    const engine = family === 'mysql' ? DatabaseEngine.mysql({ version }) : DatabaseEngine.mariadb({ version });
    expect(() => replicaDb(engine)).not.toThrow();
  });

  test('GIVEN an old version in Trove THEN it is not judged here: Trove names its own datastore versions', () => {
    const app = new App();
    const stack = new Stack(app, 'test');
    expect(
      () =>
        new Database(stack, 'Db', {
          engine: DatabaseEngine.mysql({ version: '5.6' }),
          databaseName: 'shop',
          username: 'shop',
          hosting: DatabaseHosting.trove({ flavor: Flavor.fromName('db.small'), volumeSizeGiB: 5 }),
        }),
    ).not.toThrow();
  });
});
