/**
 * Connections: `a.connections.allowFrom(b, port)` and `b.connections.allowTo(a, port)` open both
 * sides, as AWS CDK's `Connections` does: ingress on a, and egress on b when b restricts outbound.
 */
import { App, Database, DatabaseEngine, DatabaseHosting, Flavor, Image, Network, Peer, Port, SecurityGroup, Stack } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf } from '../../util/errors';

function fresh() {
  const app = new App();
  const stack = new Stack(app, 'test');
  return { stack };
}

/** Every rule of both targets as `<group> <direction> <protocol> <min>-<max> <remote group or cidr>`, sorted. */
function rules(stack: Stack): { heat: string[]; terraform: string[] } {
  const heat = Object.values(hotResourcesOfType(heatOf(stack).template, 'OS::Neutron::SecurityGroupRule')).map((r) => {
    const p = r.properties!;
    return `${p.security_group.get_resource} ${p.direction} ${p.protocol} ${p.port_range_min}-${p.port_range_max} ${p.remote_group?.get_resource ?? p.remote_ip_prefix}`;
  });
  const ref = (s: string | undefined) => s?.replace(/^\$\{openstack_networking_secgroup_v2\.(\w+)\.id\}$/, '$1');
  const terraform = Object.values(terraformOf(stack).resources('openstack_networking_secgroup_rule_v2')).map(
    (r: any) => `${ref(r.security_group_id)} ${r.direction} ${r.protocol} ${r.port_range_min}-${r.port_range_max} ${ref(r.remote_group_id) ?? r.remote_ip_prefix}`,
  );
  return { heat: heat.sort(), terraform: terraform.sort() };
}

const METADATA = (group: string) => `${group} egress tcp 80-80 169.254.169.254/32`;

describe('allowFrom opens both sides', () => {
  test('a restricted source gets the egress rule towards the destination, in both targets', () => {
    // GIVEN an app group that lets nothing out, and a database group
    const { stack } = fresh();
    const app = new SecurityGroup(stack, 'App', { allowAllOutbound: false });
    const db = new SecurityGroup(stack, 'Db');
    // WHEN the database lets the app in
    db.connections.allowFrom(app, Port.tcp(5432));
    // THEN the database has the ingress rule and the app the matching egress rule
    const expected = ['app egress tcp 5432-5432 db', 'db ingress tcp 5432-5432 app', METADATA('app')].sort();
    expect(rules(stack)).toEqual({ heat: expected, terraform: expected });
    // AND the egress rule is named and described for its own direction
    const heat = heatOf(stack).resources;
    expect(heat.app_egress_tcp_5432_to_db.properties).toMatchObject({ direction: 'egress', remote_group: { get_resource: 'db' }, description: 'tcp 5432 to members of test/Db' });
  });

  test('an unrestricted source gets no egress rule (everything already goes out)', () => {
    const { stack } = fresh();
    const app = new SecurityGroup(stack, 'App');
    const db = new SecurityGroup(stack, 'Db');
    db.connections.allowFrom(app, Port.tcp(5432));
    const expected = ['db ingress tcp 5432-5432 app'];
    expect(rules(stack)).toEqual({ heat: expected, terraform: expected });
  });

  test("a caller's description stays on the ingress rule; the egress rule keeps its own", () => {
    const { stack } = fresh();
    const app = new SecurityGroup(stack, 'App', { allowAllOutbound: false });
    const db = new SecurityGroup(stack, 'Db');
    db.connections.allowFrom(app, Port.tcp(5432), { description: 'PostgreSQL from the app' });
    const heat = heatOf(stack).resources;
    expect(heat.db_ingress_tcp_5432_from_app.properties!.description).toBe('PostgreSQL from the app');
    expect(heat.app_egress_tcp_5432_to_db.properties!.description).toBe('tcp 5432 to members of test/Db');
  });

  test('a server-hosted Database letting a restricted client in on its default port', () => {
    // GIVEN a client group that lets nothing out, and a PostgreSQL database on a server
    const { stack } = fresh();
    const client = new SecurityGroup(stack, 'Client', { allowAllOutbound: false });
    const db = new Database(stack, 'Db', {
      engine: DatabaseEngine.postgresql(),
      databaseName: 'app',
      username: 'app',
      hosting: DatabaseHosting.server({ image: Image.fromName('debian-12'), flavor: Flavor.fromName('m1.small'), networks: [Network.fromName(stack, 'Net', 'private')] }),
    });
    // WHEN the database lets the client in
    db.connections.allowDefaultPortFrom(client);
    // THEN the client may reach the database's group on 5432, and nothing else new
    const expected = ['client egress tcp 5432-5432 db_security_group', 'db_security_group ingress tcp 5432-5432 client', METADATA('client')].sort();
    expect(rules(stack)).toEqual({ heat: expected, terraform: expected });
  });
});

describe('allowTo opens both sides', () => {
  test.each([
    ['restricted', false, ['app egress tcp 6379-6379 cache', 'cache ingress tcp 6379-6379 app', METADATA('app')].sort()],
    ['unrestricted', true, ['cache ingress tcp 6379-6379 app']],
  ])('from a %s source', (_what, allowAllOutbound, expected) => {
    // GIVEN an app group and a cache group
    const { stack } = fresh();
    const app = new SecurityGroup(stack, 'App', { allowAllOutbound });
    const cache = new SecurityGroup(stack, 'Cache');
    // WHEN the app is let reach the cache
    app.connections.allowTo(cache, Port.tcp(6379));
    // THEN the same rules as cache.allowFrom(app)
    expect(rules(stack)).toEqual({ heat: expected, terraform: expected });
  });

  test('both sides called: no duplicate rule', () => {
    // GIVEN a restricted app and a database
    const { stack } = fresh();
    const app = new SecurityGroup(stack, 'App', { allowAllOutbound: false });
    const db = new SecurityGroup(stack, 'Db');
    // WHEN both sides declare the same connection (and one of them twice)
    db.connections.allowFrom(app, Port.tcp(5432));
    app.connections.allowTo(db, Port.tcp(5432));
    app.connections.allowTo(db, Port.tcp(5432));
    // THEN one ingress and one egress rule
    const expected = ['app egress tcp 5432-5432 db', 'db ingress tcp 5432-5432 app', METADATA('app')].sort();
    expect(rules(stack)).toEqual({ heat: expected, terraform: expected });
    expect(app.ruleSummaries.filter((r) => r.direction === 'egress')).toHaveLength(2);
    expect(db.ruleSummaries).toHaveLength(1);
  });

  test('to a plain address: only the egress side, and only when outbound is restricted', () => {
    // GIVEN a restricted and an unrestricted group
    const { stack } = fresh();
    const locked = new SecurityGroup(stack, 'Locked', { allowAllOutbound: false });
    const open = new SecurityGroup(stack, 'Open');
    // WHEN both may reach a mirror's block on 443
    locked.connections.allowTo(Peer.ipv4('198.51.100.0/24'), Port.tcp(443));
    open.connections.allowTo(Peer.ipv4('198.51.100.0/24'), Port.tcp(443));
    // THEN only the restricted group gets a rule
    const expected = ['locked egress tcp 443-443 198.51.100.0/24', METADATA('locked')].sort();
    expect(rules(stack)).toEqual({ heat: expected, terraform: expected });
  });

  test('to a Trove database: refused with the Trove reason, as before', () => {
    const { stack } = fresh();
    const app = new SecurityGroup(stack, 'App', { allowAllOutbound: false });
    const db = new Database(stack, 'Db', {
      engine: DatabaseEngine.mysql({ version: '8.0' }),
      databaseName: 'app',
      username: 'app',
      hosting: DatabaseHosting.trove({ flavor: Flavor.fromName('db.small'), volumeSizeGiB: 10 }),
    });
    const e = errorOf(() => app.connections.allowTo(db, Port.tcp(3306)));
    expect(e.message).toContain("'allowFrom' is not possible on a Trove database");
    expect(app.ruleSummaries.filter((r) => r.direction === 'egress')).toHaveLength(1); // only the metadata service
  });
});
