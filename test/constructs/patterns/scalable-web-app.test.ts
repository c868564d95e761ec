/** ScalableWebApp: the three tiers wired together, each overridable, on a new or an existing network. */
import { App, CacheEngine, CloudConfig, Flavor, Image, Network, Peer, ScalableWebApp, ScalableWebAppProps, Stack, Subnet } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { embeddedOf, errorOf, heatIngress, IMAGE, SMALL, terraformIngress } from './fixture';

function appStack(props: Partial<ScalableWebAppProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'test');
  const web = new ScalableWebApp(stack, 'Shop', { image: IMAGE, flavor: SMALL, externalNetworkName: 'public', api: { maxSize: 8 }, ...props });
  return { stack, web };
}

describe('ScalableWebApp', () => {
  test('defaults: a new 10.0.0.0/24 network, a database without queue, an API tier of 2 to maxSize', () => {
    // GIVEN an app with only the mandatory props WHEN synthesized
    const { stack, web } = appStack();
    const heat = heatOf(stack);
    // THEN the network is created with its router on 'public'
    expect(heat.resources.shop_network_subnet.properties).toMatchObject({ cidr: '10.0.0.0/24' });
    expect(heat.resources.shop_network_router.properties).toMatchObject({ external_gateway_info: { network: 'public' } });
    // AND the services are a database only (no worker, so no queue)
    expect(Object.keys(hotResourcesOfType(heat.template, 'OS::Nova::Server'))).toEqual(['shop_services_database']);
    expect(web.services.messageQueue).toBeUndefined();
    expect(web.workers).toBeUndefined();
    // AND the API tier serves the public address; only the database admits the API group
    expect(heat.resources.shop_api_servers.properties).toMatchObject({ min_size: 2, max_size: 8 });
    expect(heat.resources.shop_api_floating_ip.properties!.port_id).toEqual({ get_attr: ['shop_api_lb', 'vip_port_id'] });
    const expected = [
      { group: 'shop_api_servers_security_group', port: 'tcp 80', fromCidr: '10.0.0.0/24' },
      { group: 'shop_services_database_security_group', port: 'tcp 5432', fromGroup: 'shop_api_servers_security_group' },
    ];
    expect(heatIngress(heat.template)).toEqual(expected);
    expect(terraformIngress(terraformOf(stack))).toEqual(expected);
    expect(web.url).toBe(web.api.url);
  });

  test('workers bring the queue, which admits the API and the workers; @@API_URL@@ becomes the VIP', () => {
    // GIVEN an app with workers whose document calls the API
    const { stack, web } = appStack({ workers: { maxSize: 12, cloudConfig: new CloudConfig().addRunCommands('worker --api @@API_URL@@') } });
    // WHEN synthesized to both targets
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN the queue exists and opens 5672 to both groups, the workers open nothing
    expect(web.services.messageQueue).toBeDefined();
    const expected = [
      { group: 'shop_api_servers_security_group', port: 'tcp 80', fromCidr: '10.0.0.0/24' },
      { group: 'shop_services_database_security_group', port: 'tcp 5432', fromGroup: 'shop_api_servers_security_group' },
      { group: 'shop_services_database_security_group', port: 'tcp 5432', fromGroup: 'shop_workers_security_group' },
      { group: 'shop_services_queue_security_group', port: 'tcp 5672', fromGroup: 'shop_api_servers_security_group' },
      { group: 'shop_services_queue_security_group', port: 'tcp 5672', fromGroup: 'shop_workers_security_group' },
    ];
    expect(heatIngress(heat.template)).toEqual(expected);
    expect(terraformIngress(tf)).toEqual(expected);
    expect(heat.resources.shop_workers_servers.properties).toMatchObject({ min_size: 1, max_size: 12 });
    // AND the workers reach the API through its internal address
    const userData = heat.resources.shop_workers_servers.properties!.resource.properties.user_data;
    expect(userData.str_replace.params['@@API_URL@@']).toEqual({ list_join: ['', ['http://', { get_attr: ['shop_api_lb', 'vip_address'] }]] });
    expect(embeddedOf(tf, 'shop_workers_servers').userData).toContain('worker --api http://${openstack_lb_loadbalancer_v2.shop_api_lb.vip_address}');
  });

  test('with workers, a restricted API listener also admits the subnet the workers call the internal URL from', () => {
    // GIVEN an app whose API admits one client block, with and without workers
    const withWorkers = appStack({ api: { maxSize: 8, allowedCidrs: ['203.0.113.0/24'] }, workers: { maxSize: 4 } });
    const withoutWorkers = appStack({ api: { maxSize: 8, allowedCidrs: ['203.0.113.0/24'] } });
    const optedOut = appStack({ api: { maxSize: 8, allowedCidrs: ['203.0.113.0/24'], allowInternalClients: false }, workers: { maxSize: 4 } });
    // WHEN synthesized to both targets
    const allowed = (stack: Stack) => [
      heatOf(stack).resources.shop_api_lb_listener.properties!.allowed_cidrs,
      terraformOf(stack).resources('openstack_lb_listener_v2').shop_api_lb_listener.allowed_cidrs,
    ];
    // THEN the workers' subnet 10.0.0.0/24 joins the list only when there are workers (and no opt-out)
    expect(allowed(withWorkers.stack)).toEqual([
      ['203.0.113.0/24', '10.0.0.0/24'],
      ['203.0.113.0/24', '10.0.0.0/24'],
    ]);
    expect(allowed(withoutWorkers.stack)).toEqual([['203.0.113.0/24'], ['203.0.113.0/24']]);
    expect(allowed(optedOut.stack)).toEqual([['203.0.113.0/24'], ['203.0.113.0/24']]);
  });

  test('each tier takes its own image, flavor and options', () => {
    // GIVEN overrides per tier
    const { stack } = appStack({
      cidr: '10.5.0.0/24',
      services: { flavor: Flavor.fromName('m1.large', { vcpus: 4 }), cacheEngine: CacheEngine.redis(), messageQueue: true },
      api: { maxSize: 20, minSize: 3, image: Image.fromName('api-image'), scaleOutBy: 3 },
      workers: { maxSize: 4, flavor: Flavor.fromName('c1.large', { vcpus: 8 }) },
    });
    // WHEN synthesized THEN each tier runs what it was given
    const heat = heatOf(stack);
    expect(heat.resources.shop_network_subnet.properties!.cidr).toBe('10.5.0.0/24');
    expect(heat.resources.shop_services_database.properties!.flavor).toBe('m1.large');
    expect(heat.resources.shop_services_cache.properties!.flavor).toBe('m1.large');
    expect(heat.resources.shop_api_servers.properties).toMatchObject({ min_size: 3, max_size: 20, resource: { properties: { image: 'api-image', flavor: 'm1.small' } } });
    expect(heat.resources.shop_api_servers_cpu_scale_out.properties!.scaling_adjustment).toBe(3);
    expect(heat.resources.shop_workers_servers.properties!.resource.properties).toMatchObject({ image: 'ubuntu-22.04', flavor: 'c1.large' });
    expect(heat.resources.shop_workers_servers_cpu_high.properties!.composite_rule.rules[0].threshold).toBe(0.7 * 300 * 1e9 * 8);
    expect(heatIngress(heat.template)).toContainEqual({ group: 'shop_services_cache_security_group', port: 'tcp 6379', fromGroup: 'shop_api_servers_security_group' });
  });

  test('an existing subnet: no network is created, the tiers run on it', () => {
    // GIVEN an existing network and subnet
    const app = new App();
    const stack = new Stack(app, 'test');
    const subnet = Subnet.fromName(stack, 'Prod', 'prod-subnet', Network.fromName(stack, 'ProdNet', 'prod-net'));
    const web = new ScalableWebApp(stack, 'Shop', { image: IMAGE, flavor: SMALL, externalNetworkName: 'public', subnet, api: { maxSize: 4, memberAccessPeer: Peer.ipv4('10.20.0.0/24') } });
    // WHEN synthesized to both targets
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN no network resource, and everything names the existing ones
    expect(web.network).toBeUndefined();
    for (const type of ['OS::Neutron::Net', 'OS::Neutron::Subnet', 'OS::Neutron::Router']) expect(hotResourcesOfType(heat.template, type)).toEqual({});
    expect(heat.resources.shop_api_lb.properties!.vip_subnet).toBe('prod-subnet');
    expect(heat.resources.shop_api_servers.properties!.resource.properties.network_prod_net).toBe('prod-net');
    expect(tf.resources('openstack_networking_network_v2')).toEqual({});
    expect(tf.json.data.openstack_networking_subnet_v2.prod).toMatchObject({ name: 'prod-subnet' });
    expect(heatIngress(heat.template)).toContainEqual({ group: 'shop_api_servers_security_group', port: 'tcp 80', fromCidr: '10.20.0.0/24' });
  });
});

describe('ScalableWebApp validation', () => {
  test('the API tier is required', () => {
    const e = errorOf(() => appStack({ api: undefined }));
    expect(e.code).toBe('SO_REQUIRED');
    expect(e.message).toContain("'api' is required");
  });

  test('cidr and subnet exclude each other', () => {
    const app = new App();
    const stack = new Stack(app, 'test');
    const subnet = Subnet.fromName(stack, 'Prod', 'prod-subnet', Network.fromName(stack, 'ProdNet', 'prod-net'));
    const e = errorOf(() => new ScalableWebApp(stack, 'Shop', { image: IMAGE, flavor: SMALL, externalNetworkName: 'public', subnet, cidr: '10.0.0.0/24', api: { maxSize: 4 } }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toContain("'cidr' cannot be given together with 'subnet'");
  });

  test('externalNetworkName is required', () => {
    const e = errorOf(() => appStack({ externalNetworkName: undefined as never }));
    expect(e.code).toBe('SO_REQUIRED');
    expect(e.message).toContain("'externalNetworkName' is required");
  });

  test('a tier error names the tier', () => {
    const e = errorOf(() => appStack({ api: { maxSize: 0 } }));
    expect(e.code).toBe('SO_RANGE');
    expect(e.message).toContain('test/Shop/Api/Servers');
  });
});
