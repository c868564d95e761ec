/** ServicesTier: which services exist, which ports open to whom, and the placeholders it fills. */
import { CacheEngine, CloudConfig, DatabaseEngine, Flavor, Peer, Placement, SecurityGroup, SERVICE_PLACEHOLDERS, ServicesTier, Server, UserData } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf, heatIngress, IMAGE, netStack, SMALL, terraformIngress } from './fixture';

function servicesStack(props: Partial<ConstructorParameters<typeof ServicesTier>[2]> = {}) {
  const { stack, net } = netStack();
  const services = new ServicesTier(stack, 'Services', { image: IMAGE, flavor: SMALL, networks: [net.network], ...props });
  return { stack, net, services };
}

describe('ServicesTier defaults', () => {
  test('a PostgreSQL database and a RabbitMQ broker on their own servers, with no port open', () => {
    // GIVEN a tier with only the mandatory props
    const { stack, services } = servicesStack();
    // WHEN synthesized to both targets
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN one server each, database 'app' for user 'app', no cache, no container
    expect(Object.keys(hotResourcesOfType(heat.template, 'OS::Nova::Server')).sort()).toEqual(['services_database', 'services_queue']);
    expect(services.database.engine.family).toBe('postgresql');
    expect(services.database.databaseName).toBe('app');
    expect(services.database.username).toBe('app');
    expect(services.cache).toBeUndefined();
    expect(services.objectContainer).toBeUndefined();
    expect(Object.keys(tf.resources('openstack_compute_instance_v2')).sort()).toEqual(['services_database', 'services_queue']);
    expect(tf.resources('openstack_objectstorage_container_v1')).toEqual({});
    // AND nothing can reach them yet
    expect(heatIngress(heat.template)).toEqual([]);
    expect(terraformIngress(tf)).toEqual([]);
  });
});

describe('ServicesTier.allowFrom', () => {
  test('opens exactly each service port, as a remote-group rule from the tier, in both targets', () => {
    // GIVEN a tier with a cache, and an API security group
    const { stack, services } = servicesStack({ cacheEngine: CacheEngine.redis() });
    const api = new SecurityGroup(stack, 'ApiSg');
    // WHEN the API is let in (twice: the second call adds nothing)
    services.allowFrom(api);
    services.allowFrom(api);
    // THEN each service's group has one rule for its own port, from the API group only
    const expected = [
      { group: 'services_cache_security_group', port: 'tcp 6379', fromGroup: 'api_sg' },
      { group: 'services_database_security_group', port: 'tcp 5432', fromGroup: 'api_sg' },
      { group: 'services_queue_security_group', port: 'tcp 5672', fromGroup: 'api_sg' },
    ];
    expect(heatIngress(heatOf(stack).template)).toEqual(expected);
    expect(terraformIngress(terraformOf(stack))).toEqual(expected);
    expect(services.allowedTiers).toEqual([api]);
  });

  test('tiers passed as allowFrom are let in at construction; a MySQL database opens 3306', () => {
    // GIVEN two tiers passed as props and a MySQL engine without a queue
    const { stack, net } = netStack();
    const web = new Server(stack, 'Web', { image: IMAGE, flavor: SMALL, networks: [net.network] });
    const admin = new SecurityGroup(stack, 'Admin');
    new ServicesTier(stack, 'Services', { image: IMAGE, flavor: SMALL, networks: [net.network], databaseEngine: DatabaseEngine.mysql(), messageQueue: false, allowFrom: [web, admin] });
    // WHEN synthesized THEN only the database port opens, to those two groups
    expect(heatIngress(heatOf(stack).template)).toEqual([
      { group: 'services_database_security_group', port: 'tcp 3306', fromGroup: 'admin' },
      { group: 'services_database_security_group', port: 'tcp 3306', fromGroup: 'web_security_group' },
    ]);
  });

  test('access narrows the services a tier reaches', () => {
    // GIVEN a tier with a cache; the API reaches everything, the workers only the queue
    const { stack, services } = servicesStack({ cacheEngine: CacheEngine.redis() });
    const api = new SecurityGroup(stack, 'ApiSg');
    const workers = new SecurityGroup(stack, 'WorkerSg');
    services.allowFrom(api);
    services.allowFrom(workers, { database: false, cache: false });
    // WHEN synthesized THEN the workers' group appears on the queue's rules only
    const expected = [
      { group: 'services_cache_security_group', port: 'tcp 6379', fromGroup: 'api_sg' },
      { group: 'services_database_security_group', port: 'tcp 5432', fromGroup: 'api_sg' },
      { group: 'services_queue_security_group', port: 'tcp 5672', fromGroup: 'api_sg' },
      { group: 'services_queue_security_group', port: 'tcp 5672', fromGroup: 'worker_sg' },
    ];
    expect(heatIngress(heatOf(stack).template)).toEqual(expected);
    expect(terraformIngress(terraformOf(stack))).toEqual(expected);
  });

  test('access that grants nothing is refused', () => {
    const { stack, services } = servicesStack({ messageQueue: false });
    const e = errorOf(() => services.allowFrom(new SecurityGroup(stack, 'Sg'), { database: false }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toContain("'access' grants no service this tier runs");
  });

  test('refuses a CIDR: services open to security groups only', () => {
    // GIVEN a tier WHEN a CIDR peer is let in THEN it is refused
    const { services } = servicesStack();
    const e = errorOf(() => services.allowFrom(Peer.anyIpv4()));
    expect(e.code).toBe('SO_USAGE');
    expect(e.message).toContain('never to addresses');
  });
});

describe('ServicesTier options', () => {
  test('read replicas, cache flavor and a container', () => {
    // GIVEN a tier with one replica, a memcached cache on its own flavor, and a container
    const { stack, services } = servicesStack({
      databaseReadReplicas: 1,
      databaseFlavor: Flavor.fromName('m1.large', { vcpus: 4 }),
      cacheEngine: CacheEngine.memcached(),
      cacheMaxMemoryMiB: 256,
      cacheFlavor: Flavor.fromName('m1.tiny', { vcpus: 1 }),
      objectContainer: { containerName: 'images' },
    });
    // WHEN synthesized
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN the replica and the cache run on their flavors, and the container exists in both targets
    expect(heat.resources.services_database.properties!.flavor).toBe('m1.large');
    expect(heat.resources.services_database_replica1.properties!.flavor).toBe('m1.large');
    expect(heat.resources.services_cache.properties!.flavor).toBe('m1.tiny');
    expect(heat.resources.services_queue.properties!.flavor).toBe('m1.small');
    expect(heat.resources.services_files).toEqual({ type: 'OS::Swift::Container', properties: { name: 'images', PurgeOnDelete: false } });
    expect(tf.resources('openstack_objectstorage_container_v1').services_files).toMatchObject({ name: 'images' });
    expect(services.database.replicas).toHaveLength(1);
  });

  test('substituteInto fills the placeholders a document uses, in both targets', () => {
    // GIVEN a tier with a replica and Redis, and a document using database, replica and cache placeholders
    const { stack, net, services } = servicesStack({ databaseReadReplicas: 1, cacheEngine: CacheEngine.redis() });
    const P = SERVICE_PLACEHOLDERS;
    const config = new CloudConfig().addFile({
      path: '/etc/app.env',
      content: `DB=postgresql://${P.DB_USER}:${P.DB_PASSWORD}@${P.DB_HOST}:${P.DB_PORT}/${P.DB_NAME}\nREAD=${P.DB_READ_HOSTS}\nREDIS=${P.CACHE_HOST}:${P.CACHE_PORT}:${P.CACHE_PASSWORD}\n`,
    });
    // WHEN the tier fills it and a server runs it
    services.substituteInto(config);
    new Server(stack, 'App', { image: IMAGE, flavor: SMALL, networks: [net.network], userData: UserData.forCloudConfig(config) });
    // THEN Heat substitutes exactly the placeholders used, with the services' attributes
    const params = heatOf(stack).resources.app.properties!.user_data.str_replace.params;
    expect(Object.keys(params).sort()).toEqual([P.CACHE_HOST, P.CACHE_PASSWORD, P.CACHE_PORT, P.DB_HOST, P.DB_NAME, P.DB_PASSWORD, P.DB_PORT, P.DB_READ_HOSTS, P.DB_USER].sort());
    expect(params[P.DB_HOST]).toEqual({ get_attr: ['services_database_port_net', 'fixed_ips', 0, 'ip_address'] });
    expect(params[P.DB_READ_HOSTS]).toEqual({ get_attr: ['services_database_replica1_port_net', 'fixed_ips', 0, 'ip_address'] });
    expect(params[P.DB_PASSWORD]).toEqual({ get_attr: ['services_database_password', 'value'] });
    expect(params[P.CACHE_PASSWORD]).toEqual({ get_attr: ['services_cache_password', 'value'] });
    expect(params[P.DB_PORT]).toBe(5432);
    // AND Terraform interpolates the same values (passwords from sensitive variables)
    const userData: string = terraformOf(stack).resources('openstack_compute_instance_v2').app.user_data;
    expect(userData).toContain('DB=postgresql://app:${var.services_database_password}@${openstack_compute_instance_v2.services_database.access_ip_v4}:5432/app');
    expect(userData).toContain('READ=${openstack_compute_instance_v2.services_database_replica1.access_ip_v4}');
    expect(userData).toContain(':6379:${var.services_cache_password}');
    expect(userData).not.toContain('@@');
  });

  test('several replicas are joined by commas', () => {
    // GIVEN two replicas WHEN the read hosts are used THEN Heat joins them with list_join
    const { stack, net, services } = servicesStack({ databaseReadReplicas: 2 });
    const config = services.substituteInto(new CloudConfig().addRunCommands(`echo ${SERVICE_PLACEHOLDERS.DB_READ_HOSTS}`));
    new Server(stack, 'App', { image: IMAGE, flavor: SMALL, networks: [net.network], userData: UserData.forCloudConfig(config) });
    expect(heatOf(stack).resources.app.properties!.user_data.str_replace.params[SERVICE_PLACEHOLDERS.DB_READ_HOSTS]).toEqual({
      list_join: [
        ',',
        [
          { get_attr: ['services_database_replica1_port_net', 'fixed_ips', 0, 'ip_address'] },
          { get_attr: ['services_database_replica2_port_net', 'fixed_ips', 0, 'ip_address'] },
        ],
      ],
    });
    expect(terraformOf(stack).resources('openstack_compute_instance_v2').app.user_data).toContain(
      'echo ${openstack_compute_instance_v2.services_database_replica1.access_ip_v4},${openstack_compute_instance_v2.services_database_replica2.access_ip_v4}',
    );
  });
});

describe('ServicesTier validation', () => {
  test('networks must not be empty', () => {
    const { stack } = netStack();
    const e = errorOf(() => new ServicesTier(stack, 'Services', { image: IMAGE, flavor: SMALL, networks: [] }));
    expect(e.code).toBe('SO_REQUIRED');
    expect(e.message).toContain("'networks' must list at least one network");
  });

  test('image is required', () => {
    const { stack, net } = netStack();
    const e = errorOf(() => new ServicesTier(stack, 'Services', { image: undefined as never, flavor: SMALL, networks: [net.network] }));
    expect(e.code).toBe('SO_REQUIRED');
    expect(e.message).toContain("'image' is required");
  });

  test('cacheMaxMemoryMiB needs a cache engine', () => {
    const e = errorOf(() => servicesStack({ cacheMaxMemoryMiB: 128 }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toContain("'cacheMaxMemoryMiB' needs 'cacheEngine'");
  });

  test('messageQueue must be a boolean', () => {
    const e = errorOf(() => servicesStack({ messageQueue: 'yes' as never }));
    expect(e.code).toBe('SO_FORMAT');
    expect(e.message).toContain("'messageQueue' must be true or false");
  });

  test('substituteInto refuses a placeholder of a service the tier does not run', () => {
    // GIVEN a tier without a queue WHEN a document uses the queue's host THEN it is refused
    const { services } = servicesStack({ messageQueue: false });
    const e = errorOf(() => services.substituteInto(new CloudConfig().addRunCommands(`echo ${SERVICE_PLACEHOLDERS.MQ_HOST}`)));
    expect(e.code).toBe('SO_USAGE');
    expect(e.message).toContain('uses @@MQ_HOST@@, but the tier runs no such service');
  });

  test('substituteInto refuses a placeholder of a service not granted', () => {
    const { services } = servicesStack();
    const e = errorOf(() => services.substituteInto(new CloudConfig().addRunCommands(`echo ${SERVICE_PLACEHOLDERS.DB_HOST}`), { database: false }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toContain('uses @@DB_HOST@@, but the servers are not granted the database');
  });

  test('a bad database name is reported by the database, under the tier', () => {
    const e = errorOf(() => servicesStack({ databaseName: 'postgres' }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toContain('test/Services/Database');
  });
});

describe('ServicesTier database placement', () => {
  test('replicas spread by default; databasePlacement opts out', () => {
    // GIVEN a tier with a replica, and one with a replica that opts out of spreading
    const a = servicesStack({ databaseReadReplicas: 1 });
    const b = servicesStack({ databaseReadReplicas: 1, databasePlacement: Placement.any() });
    // WHEN synthesized THEN the first puts primary and replica in one soft-anti-affinity group
    const ha = heatOf(a.stack);
    expect(ha.resources.services_database_server_group.properties!.policies).toEqual(['soft-anti-affinity']);
    expect(ha.resources.services_database_replica1.properties!.scheduler_hints).toEqual({ group: { get_resource: 'services_database_server_group' } });
    // AND the second has no server group at all
    expect(hotResourcesOfType(heatOf(b.stack).template, 'OS::Nova::ServerGroup')).toEqual({});
    expect(terraformOf(b.stack).resources('openstack_compute_servergroup_v2')).toEqual({});
  });
});
