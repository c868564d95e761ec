/**
 * Cache: Redis (with a generated password) or memcached on a server of its own, bound to the
 * private address, reachable only from what allowFrom names.
 */
import { Cache, CacheEngine, Port } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf, expectNoPasswordLiterals, fixture, hotUserData, setupScript } from './fixture';

describe('a Redis cache', () => {
  test('Heat: a server whose cloud-init binds Redis to the private address with requirepass from a RandomString', () => {
    // GIVEN a Redis cache limited to 256 MiB
    const f = fixture();
    const cache = new Cache(f.stack, 'Sessions', { engine: CacheEngine.redis(), ...f.host, maxMemoryMiB: 256 });
    f.stack.addOutput('cache_host', { value: cache.host, description: 'cache address' });
    f.stack.addOutput('cache_port', { value: cache.port, description: 'cache port' });
    // WHEN synthesized to HOT
    const heat = heatOf(f.stack);
    const { text, params } = hotUserData(heat.resources.sessions);
    const script = setupScript(text);
    // THEN redis-server is installed, bound to the discovered private address and loopback, with a password
    expect(text).toContain('- redis-server');
    expect(script).toContain("PRIVATE_IP=\"$(hostname -I | awk '{print $1}')\"");
    expect(script).toContain('bind $PRIVATE_IP 127.0.0.1');
    expect(script).toContain('requirepass @@REDIS_PASSWORD@@');
    expect(script).toContain('maxmemory 256mb\nmaxmemory-policy allkeys-lru');
    expect(params).toEqual({ '@@REDIS_PASSWORD@@': { get_attr: ['sessions_password', 'value'] } });
    expect(heat.resources.sessions_password.type).toBe('OS::Heat::RandomString');
    expect(heat.resources.sessions_port_net.properties!.security_groups).toEqual([{ get_resource: 'sessions_security_group' }]);
    // AND the endpoint is the server's private IP and 6379
    const outputs = heat.template.outputs as any;
    expect(outputs.cache_host.value).toEqual({ get_attr: ['sessions_port_net', 'fixed_ips', 0, 'ip_address'] });
    expect(outputs.cache_port.value).toBe(6379);
    expect(cache.connections.defaultPort!.fromPort).toBe(6379);
  });

  test('Terraform: the password is a sensitive variable in the user data; no literal anywhere', () => {
    // GIVEN a Redis cache
    const f = fixture();
    new Cache(f.stack, 'Sessions', { engine: CacheEngine.redis(), ...f.host });
    // WHEN synthesized to Terraform
    const tf = terraformOf(f.stack);
    // THEN requirepass reads the variable, which has no default
    expect(tf.resources('openstack_compute_instance_v2').sessions.user_data).toContain('requirepass ${var.sessions_password}');
    expect(tf.json.variable.sessions_password).toMatchObject({ type: 'string', sensitive: true });
    expect(tf.resources('openstack_compute_instance_v2').sessions.user_data).not.toContain('maxmemory');
    expect(expectNoPasswordLiterals(f.stack, tf)).toEqual({ heat: 1, terraform: 1 });
  });
});

describe('a memcached cache', () => {
  test('cloud-init listens on the private address, no UDP, the memory limit; there is no password', () => {
    // GIVEN memcached with 128 MiB
    const f = fixture();
    const cache = new Cache(f.stack, 'Sessions', { engine: CacheEngine.memcached(), ...f.host, maxMemoryMiB: 128 });
    // WHEN synthesized
    const heat = heatOf(f.stack);
    const tf = terraformOf(f.stack);
    const script = setupScript(hotUserData(heat.resources.sessions).text);
    // THEN the config is rewritten and nothing generates a password
    expect(script).toContain(`printf '%s\\n' "-l $PRIVATE_IP,127.0.0.1" '-p 11211' '-U 0' >> /etc/memcached.conf`);
    expect(script).toContain("printf '%s\\n' '-m 128' >> /etc/memcached.conf");
    expect(cache.password).toBeUndefined();
    expect(hotResourcesOfType(heat.template, 'OS::Heat::RandomString')).toEqual({});
    expect(tf.json.variable).toBeUndefined();
    expect(cache.connections.defaultPort!.fromPort).toBe(11211);
  });
});

describe('access to the cache', () => {
  test('no rule by default; allowDefaultPortFrom writes one remote-group rule in both targets', () => {
    // GIVEN a cache
    const f = fixture();
    const cache = new Cache(f.stack, 'Sessions', { engine: CacheEngine.redis(), ...f.host });
    // WHEN nothing is allowed, THEN there is no rule
    expect(hotResourcesOfType(heatOf(f.stack).template, 'OS::Neutron::SecurityGroupRule')).toEqual({});
    // WHEN the web server is allowed on the default port
    cache.connections.allowDefaultPortFrom(f.web);
    // THEN one ingress rule on 6379 from the web group exists, and no CIDR
    const rules = Object.values(hotResourcesOfType(heatOf(f.stack).template, 'OS::Neutron::SecurityGroupRule'));
    expect(rules.map((r) => r.properties)).toEqual([
      expect.objectContaining({ security_group: { get_resource: 'sessions_security_group' }, direction: 'ingress', port_range_min: 6379, port_range_max: 6379, remote_group: { get_resource: 'web_security_group' } }),
    ]);
    expect(rules[0].properties!.remote_ip_prefix).toBeUndefined();
    const tfRules = Object.values(terraformOf(f.stack).resources('openstack_networking_secgroup_rule_v2')) as any[];
    expect(tfRules).toEqual([expect.objectContaining({ port_range_min: 6379, remote_group_id: '${openstack_networking_secgroup_v2.web_security_group.id}' })]);
  });

  test('opening the cache port to the internet is refused without the explicit flag', () => {
    // GIVEN a cache
    const f = fixture();
    const cache = new Cache(f.stack, 'Sessions', { engine: CacheEngine.memcached(), ...f.host });
    // WHEN 11211 is opened to 0.0.0.0/0
    const e = errorOf(() => cache.connections.allowFromAnyIpv4(Port.tcp(11211)));
    // THEN it is refused as insecure
    expect(e.code).toBe('SO_INSECURE');
  });
});

describe('validation', () => {
  test.each<[string, (f: ReturnType<typeof fixture>) => unknown, string, string]>([
    ['a missing engine', (f) => new Cache(f.stack, 'Sessions', { ...f.host } as any), 'SO_REQUIRED', "'engine' is required"],
    ['an engine string', (f) => new Cache(f.stack, 'Sessions', { ...f.host, engine: 'redis' } as any), 'SO_ENUM', "'engine' must be a CacheEngine"],
    ['too little memory', (f) => new Cache(f.stack, 'Sessions', { ...f.host, engine: CacheEngine.redis(), maxMemoryMiB: 8 }), 'SO_RANGE', "'maxMemoryMiB' must be between 16 and 1048576 MiB"],
    ['no networks', (f) => new Cache(f.stack, 'Sessions', { ...f.host, networks: [], engine: CacheEngine.redis() }), 'SO_REQUIRED', "'networks' must list at least one network"],
    ['a missing image', (f) => new Cache(f.stack, 'Sessions', { ...f.host, image: undefined, engine: CacheEngine.redis() } as any), 'SO_REQUIRED', "'image' is required"],
    ['an empty key name', (f) => new Cache(f.stack, 'Sessions', { ...f.host, keyName: '', engine: CacheEngine.redis() }), 'SO_EMPTY', "'keyName' must be a non-empty string"],
  ])('%s is refused', (_what, make, code, fragment) => {
    // GIVEN a stack
    const f = fixture();
    // WHEN the cache is created with the bad input
    const e = errorOf(() => make(f));
    // THEN the error names the construct, the prop and the rule
    expect(e.code).toBe(code);
    expect(e.message).toContain('test/Sessions');
    expect(e.message).toContain(fragment);
  });
});
