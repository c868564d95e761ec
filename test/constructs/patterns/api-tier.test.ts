/**
 * ApiTier: load balancer, listener, pool and monitor; the group joining that pool; CPU alarms
 * driving their policies; the floating IP on the VIP; exposure; services wiring.
 */
import { ApiTier, ApiTierProps, AutoScalingGroup, CloudConfig, Duration, Flavor, ListenerProtocol, Network, Peer, Placement, SecurityGroup, SERVICE_PLACEHOLDERS, ServicesTier, Subnet } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { embeddedOf, errorOf, heatIngress, IMAGE, memberOf, memberPolicyOf, netStack, SMALL, terraformIngress } from './fixture';

function apiStack(props: Partial<ApiTierProps> = {}) {
  const { app, stack, net } = netStack();
  const api = new ApiTier(stack, 'Api', { image: IMAGE, flavor: SMALL, subnet: net.subnet, externalNetworkName: 'public', maxSize: 6, ...props });
  return { app, stack, net, api };
}

describe('ApiTier in Heat', () => {
  test('an HTTP listener on 80, its pool and an HTTP GET health monitor on /healthz', () => {
    // GIVEN an API tier with defaults WHEN synthesized to HOT
    const { stack } = apiStack();
    const heat = heatOf(stack);
    // THEN the load balancing chain is there, each link pointing at the previous one
    expect(heat.resources.api_lb.properties).toMatchObject({ vip_subnet: { get_resource: 'net_subnet' } });
    expect(heat.resources.api_lb_listener.properties).toMatchObject({ loadbalancer: { get_resource: 'api_lb' }, protocol: 'HTTP', protocol_port: 80 });
    expect(heat.resources.api_lb_listener.properties!.allowed_cidrs).toBeUndefined();
    expect(heat.resources.api_lb_listener_pool.properties).toMatchObject({ listener: { get_resource: 'api_lb_listener' }, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' });
    expect(heat.resources.api_lb_listener_pool_health).toMatchObject({
      type: 'OS::Octavia::HealthMonitor',
      properties: { pool: { get_resource: 'api_lb_listener_pool' }, type: 'HTTP', http_method: 'GET', url_path: '/healthz', expected_codes: '200' },
    });
  });

  test('the group (2 to maxSize) joins exactly that pool on port 80', () => {
    // GIVEN an API tier WHEN synthesized to HOT
    const { stack } = apiStack();
    const heat = heatOf(stack);
    // THEN the group passes the pool's id to its member template, whose PoolMember uses it
    const group = heat.resources.api_servers;
    expect(group.properties).toMatchObject({ min_size: 2, max_size: 6, cooldown: 300 });
    expect(group.properties!.resource.properties).toMatchObject({
      api_lb_listener_pool_pool: { get_resource: 'api_lb_listener_pool' },
      api_lb_listener_pool_subnet: { get_resource: 'net_subnet' },
    });
    const member = heat.files[group.properties!.resource.type] as Record<string, any>;
    expect(Object.values(hotResourcesOfType(member, 'OS::Octavia::PoolMember'))).toEqual([
      {
        type: 'OS::Octavia::PoolMember',
        properties: expect.objectContaining({ pool: { get_param: 'api_lb_listener_pool_pool' }, protocol_port: 80 }),
        depends_on: ['api_servers_drain'],
      },
    ]);
  });

  test('a server leaves the pool and drains 30 s before it is deleted; drainTime changes it', () => {
    // GIVEN API tiers with the default and with a 1-minute drain WHEN synthesized to HOT
    const member = (props: Partial<ApiTierProps>) => heatOf(apiStack(props).stack).files['api_servers_member.yaml'] as Record<string, any>;
    const byDefault = member({});
    const oneMinute = member({ drainTime: Duration.minutes(1) });
    // THEN the pool member depends on a DELETE-only delay, which depends on the server
    expect(byDefault.resources.api_servers_drain).toEqual({ type: 'OS::Heat::Delay', properties: { min_wait: 30, actions: ['DELETE'] }, depends_on: ['api_servers_server'] });
    expect(byDefault.resources.api_servers_member_api_lb_listener_pool.depends_on).toEqual(['api_servers_drain']);
    expect(oneMinute.resources.api_servers_drain.properties.min_wait).toBe(60);
  });

  test('the CPU alarms drive their own policies: out above 70 %, in below 30 %', () => {
    // GIVEN an API tier on a 1-vCPU flavor with per-member CPU alarms WHEN synthesized to HOT
    const { stack, api } = apiStack({ cpuAlarmsPerMember: true });
    const heat = heatOf(stack);
    // THEN each member's high alarm signals the scale-out policy, its low alarm the scale-in one, with thresholds in CPU ns per 300 s
    const member = memberOf(heat, 'api_servers').resources;
    expect(memberPolicyOf(heat.template, 'api_servers', member.api_servers_cpu_high)).toEqual(['api_servers_cpu_scale_out']);
    expect(memberPolicyOf(heat.template, 'api_servers', member.api_servers_cpu_low)).toEqual(['api_servers_cpu_scale_in']);
    expect(member.api_servers_cpu_high.properties!.composite_rule.rules[0]).toMatchObject({ metric: 'cpu', comparison_operator: 'gt', threshold: 0.7 * 300 * 1e9 });
    expect(member.api_servers_cpu_low.properties).toMatchObject({ comparison_operator: 'lt', threshold: 0.3 * 300 * 1e9 });
    // AND the steps are shares of the group: +100 % (75 x (70/30 - 1) = 100), and -42 % (75 x (1 - 30/70)), which leaves the rest below 70 %
    expect(heat.resources.api_servers_cpu_scale_out.properties).toMatchObject({ auto_scaling_group_id: { get_resource: 'api_servers' }, adjustment_type: 'percent_change_in_capacity', scaling_adjustment: 100 });
    expect(heat.resources.api_servers_cpu_scale_in.properties).toMatchObject({ auto_scaling_group_id: { get_resource: 'api_servers' }, adjustment_type: 'percent_change_in_capacity', scaling_adjustment: -42 });
    expect(api.cpuScaling.highCpuAlarm.alarmActions).toEqual([api.cpuScaling.scaleOutPolicy]);
  });

  test('the floating IP points at the VIP port and is exported as URL and address', () => {
    // GIVEN an API tier WHEN synthesized to HOT
    const { stack } = apiStack();
    const heat = heatOf(stack);
    // THEN
    expect(heat.resources.api_floating_ip).toEqual({
      type: 'OS::Neutron::FloatingIP',
      properties: { floating_network: 'public', port_id: { get_attr: ['api_lb', 'vip_port_id'] } },
    });
    expect((heat.template.outputs as any).api_url.value).toEqual({ list_join: ['', ['http://', { get_attr: ['api_floating_ip', 'floating_ip_address'] }]] });
    expect((heat.template.outputs as any).api_address.value).toEqual({ get_attr: ['api_floating_ip', 'floating_ip_address'] });
  });

  test('nothing is public but the listener: the servers let in port 80 from the member subnet only', () => {
    // GIVEN an API tier WHEN synthesized to both targets
    const { stack } = apiStack();
    // THEN the only ingress rule is the member port from the load balancer's member side
    const expected = [{ group: 'api_servers_security_group', port: 'tcp 80', fromCidr: '10.0.0.0/24' }];
    expect(heatIngress(heatOf(stack).template)).toEqual(expected);
    expect(terraformIngress(terraformOf(stack))).toEqual(expected);
  });
});

describe('ApiTier in Terraform', () => {
  test('load balancing and the floating IP are native; the group is embedded and joins the pool by id', () => {
    // GIVEN an API tier with per-member CPU alarms WHEN synthesized to Terraform
    const { stack } = apiStack({ cpuAlarmsPerMember: true });
    const tf = terraformOf(stack);
    // THEN the chain is native Terraform
    expect(tf.resources('openstack_lb_listener_v2').api_lb_listener).toMatchObject({ loadbalancer_id: '${openstack_lb_loadbalancer_v2.api_lb.id}', protocol: 'HTTP', protocol_port: 80 });
    expect(tf.resources('openstack_lb_pool_v2').api_lb_listener_pool).toMatchObject({ listener_id: '${openstack_lb_listener_v2.api_lb_listener.id}' });
    expect(tf.resources('openstack_lb_monitor_v2').api_lb_listener_pool_health).toMatchObject({
      pool_id: '${openstack_lb_pool_v2.api_lb_listener_pool.id}',
      type: 'HTTP',
      url_path: '/healthz',
      http_method: 'GET',
    });
    // AND the floating IP is bound to the VIP port and exported
    expect(tf.resources('openstack_networking_floatingip_associate_v2').api_floating_ip_association).toMatchObject({
      floating_ip: '${openstack_networking_floatingip_v2.api_floating_ip.address}',
      port_id: '${openstack_lb_loadbalancer_v2.api_lb.vip_port_id}',
    });
    expect(tf.json.output.api_url.value).toBe('http://${openstack_networking_floatingip_v2.api_floating_ip.address}');
    expect(tf.json.output.api_address.value).toBe('${openstack_networking_floatingip_v2.api_floating_ip.address}');
    // AND the embedded group gets that pool's id as a stack parameter, which its PoolMember uses
    const embedded = embeddedOf(tf, 'api_servers');
    expect(embedded.resource.parameters.api_lb_listener_pool_pool).toBe('${openstack_lb_pool_v2.api_lb_listener_pool.id}');
    expect(embedded.resources.api_servers.properties!.resource.properties.api_lb_listener_pool_pool).toEqual({ get_param: 'api_lb_listener_pool_pool' });
    expect(Object.values(hotResourcesOfType(embedded.member, 'OS::Octavia::PoolMember'))[0].properties!.pool).toEqual({ get_param: 'api_lb_listener_pool_pool' });
    // AND in there the alarms signal their policies
    expect(memberPolicyOf(embedded.template, 'api_servers', embedded.member.resources.api_servers_cpu_high)).toEqual(['api_servers_cpu_scale_out']);
    expect(memberPolicyOf(embedded.template, 'api_servers', embedded.member.resources.api_servers_cpu_low)).toEqual(['api_servers_cpu_scale_in']);
    expect(embedded.resources.api_servers.properties).toMatchObject({ min_size: 2, max_size: 6 });
    // AND Terraform never manages the pool's members
    expect(tf.resources('openstack_lb_member_v2')).toEqual({});
    expect(tf.resources('openstack_lb_members_v2')).toEqual({});
  });
});

describe('ApiTier with services', () => {
  test('the services open their ports to the API group only, and fill the API document', () => {
    // GIVEN services and an API tier using them
    const { stack, net } = netStack();
    const services = new ServicesTier(stack, 'Services', { image: IMAGE, flavor: SMALL, networks: [net.network] });
    const config = new CloudConfig().addRunCommands(`run-api --db ${SERVICE_PLACEHOLDERS.DB_HOST} --mq ${SERVICE_PLACEHOLDERS.MQ_HOST}`);
    new ApiTier(stack, 'Api', { image: IMAGE, flavor: SMALL, subnet: net.subnet, externalNetworkName: 'public', maxSize: 4, services, cloudConfig: config });
    // WHEN synthesized to both targets
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN database and queue admit the API servers' group, and nothing else is open
    const expected = [
      { group: 'api_servers_security_group', port: 'tcp 80', fromCidr: '10.0.0.0/24' },
      { group: 'services_database_security_group', port: 'tcp 5432', fromGroup: 'api_servers_security_group' },
      { group: 'services_queue_security_group', port: 'tcp 5672', fromGroup: 'api_servers_security_group' },
    ];
    expect(heatIngress(heat.template)).toEqual(expected);
    expect(terraformIngress(tf)).toEqual(expected);
    // AND the members' user data carries the services' addresses
    const userData = heat.resources.api_servers.properties!.resource.properties.user_data;
    expect(userData.str_replace.params[SERVICE_PLACEHOLDERS.DB_HOST]).toEqual({ get_attr: ['services_database_port_net', 'fixed_ips', 0, 'ip_address'] });
    expect(embeddedOf(tf, 'api_servers').userData).toContain('--mq ${openstack_compute_instance_v2.services_queue.access_ip_v4}');
  });
});

describe('ApiTier options', () => {
  test('TLS terminated at the load balancer: 443 outside, HTTP to port 80 inside, an https URL', () => {
    // GIVEN a terminated-HTTPS tier limited to one CIDR, with custom scaling
    const { stack, api } = apiStack({
      cpuAlarmsPerMember: true,
      protocol: ListenerProtocol.terminatedHttps('https://barbican.example.com:9311/v1/containers/0b1c'),
      allowedCidrs: ['203.0.113.0/24'],
      minSize: 3,
      scaleOutAbovePercent: 60,
      scaleInBelowPercent: 20,
      scaleOutBy: 3,
      cooldown: Duration.seconds(180),
      outputPrefix: 'shop',
    });
    // WHEN synthesized
    const heat = heatOf(stack);
    // THEN
    expect(heat.resources.api_lb_listener.properties).toMatchObject({ protocol: 'TERMINATED_HTTPS', protocol_port: 443, allowed_cidrs: ['203.0.113.0/24'] });
    expect(heat.resources.api_lb_listener_pool.properties!.protocol).toBe('HTTP');
    expect(heat.resources.api_servers.properties).toMatchObject({ min_size: 3, cooldown: 180 });
    expect(heat.resources.api_servers_cpu_scale_out.properties!.scaling_adjustment).toBe(3);
    expect(memberOf(heat, 'api_servers').resources.api_servers_cpu_high.properties!.threshold).toBe(0.6 * 300 * 1e9);
    expect((heat.template.outputs as any).shop_url.value.list_join[1][0]).toBe('https://');
    expect(heatIngress(heat.template)).toEqual([{ group: 'api_servers_security_group', port: 'tcp 80', fromCidr: '10.0.0.0/24' }]);
    expect(api.internalUrl.describe()).toBe('internal URL of test/Api');
    // AND Terraform says the same
    const tf = terraformOf(stack);
    expect(tf.resources('openstack_lb_listener_v2').api_lb_listener).toMatchObject({
      protocol: 'TERMINATED_HTTPS',
      protocol_port: 443,
      allowed_cidrs: ['203.0.113.0/24'],
      default_tls_container_ref: 'https://barbican.example.com:9311/v1/containers/0b1c',
    });
    expect(tf.resources('openstack_lb_pool_v2').api_lb_listener_pool.protocol).toBe('HTTP');
    expect(tf.json.output.shop_url.value).toBe('https://${openstack_networking_floatingip_v2.api_floating_ip.address}');
    expect(embeddedOf(tf, 'api_servers').resources.api_servers_cpu_scale_out.properties!.scaling_adjustment).toBe(3);
  });

  test('the CPU alarms wait 2 periods by default, scale-in as many (at least warm-up plus one); overridable', () => {
    // GIVEN a tier with the default CPU scaling, and one with 4 periods
    const defaults = apiStack({ cpuAlarmsPerMember: true });
    const four = apiStack({ evaluationPeriods: 4, cpuAlarmsPerMember: true });
    // WHEN synthesized to both targets THEN 2, resp. 4, on every member alarm, in Heat and in the Terraform embedding
    for (const [{ stack }, periods] of [[defaults, 2], [four, 4]] as const) {
      const heat = heatOf(stack);
      const embedded = embeddedOf(terraformOf(stack), 'api_servers').member.resources;
      for (const alarms of [memberOf(heat, 'api_servers').resources, embedded]) {
        expect(alarms.api_servers_cpu_high.properties!.composite_rule.rules.map((r: any) => r.evaluation_periods)).toEqual([periods, periods]);
        expect(alarms.api_servers_cpu_saturated.properties!.evaluation_periods).toBe(periods);
        expect(alarms.api_servers_cpu_low.properties!.evaluation_periods).toBe(periods);
      }
    }
  });


  test('allowInternalClients adds the subnet to a restricted allowedCidrs, in both targets', () => {
    // GIVEN a tier restricted to one client block whose internal URL servers on its subnet use
    const { stack } = apiStack({ allowedCidrs: ['203.0.113.0/24'], allowInternalClients: true });
    // WHEN synthesized THEN the subnet 10.0.0.0/24 is appended, in Heat and in Terraform
    expect(heatOf(stack).resources.api_lb_listener.properties!.allowed_cidrs).toEqual(['203.0.113.0/24', '10.0.0.0/24']);
    expect(terraformOf(stack).resources('openstack_lb_listener_v2').api_lb_listener.allowed_cidrs).toEqual(['203.0.113.0/24', '10.0.0.0/24']);
  });

  test('allowInternalClients adds nothing when a listed block covers the subnet, or nothing is restricted', () => {
    // GIVEN a tier allowing 10.0.0.0/8 (which holds the subnet), and one allowing anywhere
    const covered = apiStack({ allowedCidrs: ['10.0.0.0/8', '203.0.113.0/24'], allowInternalClients: true });
    const open = apiStack({ allowInternalClients: true });
    // WHEN synthesized THEN the lists stay as given
    expect(heatOf(covered.stack).resources.api_lb_listener.properties!.allowed_cidrs).toEqual(['10.0.0.0/8', '203.0.113.0/24']);
    expect(terraformOf(covered.stack).resources('openstack_lb_listener_v2').api_lb_listener.allowed_cidrs).toEqual(['10.0.0.0/8', '203.0.113.0/24']);
    expect(heatOf(open.stack).resources.api_lb_listener.properties!.allowed_cidrs).toBeUndefined();
    expect(terraformOf(open.stack).resources('openstack_lb_listener_v2').api_lb_listener.allowed_cidrs).toBeUndefined();
  });

  test('on an existing subnet, allowInternalClients adds the member access peer', () => {
    // GIVEN an existing subnet whose CIDR is given as member access peer
    const { stack } = netStack();
    const subnet = Subnet.fromName(stack, 'Existing', 'prod-subnet', Network.fromName(stack, 'ProdNet', 'prod-net'));
    new ApiTier(stack, 'Api', {
      image: IMAGE,
      flavor: SMALL,
      subnet,
      externalNetworkName: 'public',
      maxSize: 3,
      memberAccessPeer: Peer.ipv4('10.20.0.0/24'),
      allowedCidrs: ['203.0.113.0/24'],
      allowInternalClients: true,
    });
    // WHEN synthesized THEN that CIDR is appended in both targets
    expect(heatOf(stack).resources.api_lb_listener.properties!.allowed_cidrs).toEqual(['203.0.113.0/24', '10.20.0.0/24']);
    expect(terraformOf(stack).resources('openstack_lb_listener_v2').api_lb_listener.allowed_cidrs).toEqual(['203.0.113.0/24', '10.20.0.0/24']);
  });

  test('a TCP listener is probed with TCP and serves the listener port; a custom server port', () => {
    // GIVEN a TCP tier on 8443 whose servers listen on 9000
    const { stack } = apiStack({ protocol: ListenerProtocol.TCP, port: 8443, serverPort: 9000 });
    // WHEN synthesized THEN the monitor connects, the servers open 9000, the URL carries the port
    const heat = heatOf(stack);
    expect(heat.resources.api_lb_listener_pool_health.properties).toMatchObject({ type: 'TCP' });
    expect(heat.resources.api_lb_listener_pool_health.properties!.url_path).toBeUndefined();
    expect(heatIngress(heat.template)).toEqual([{ group: 'api_servers_security_group', port: 'tcp 9000', fromCidr: '10.0.0.0/24' }]);
    expect((heat.template.outputs as any).api_url.value.list_join[1][2]).toBe(':8443');
    const tf = terraformOf(stack);
    expect(tf.resources('openstack_lb_monitor_v2').api_lb_listener_pool_health).toMatchObject({ type: 'TCP' });
    expect(terraformIngress(tf)).toEqual([{ group: 'api_servers_security_group', port: 'tcp 9000', fromCidr: '10.0.0.0/24' }]);
    expect(tf.json.output.api_url.value).toBe('http://${openstack_networking_floatingip_v2.api_floating_ip.address}:8443');
  });

  test('an existing subnet needs the member access peer, which becomes the only rule', () => {
    // GIVEN an existing network and subnet, and the subnet's CIDR as member access peer
    const { stack } = netStack();
    const subnet = Subnet.fromName(stack, 'Existing', 'prod-subnet', Network.fromName(stack, 'ProdNet', 'prod-net'));
    new ApiTier(stack, 'Api', { image: IMAGE, flavor: SMALL, subnet, externalNetworkName: 'public', maxSize: 3, memberAccessPeer: Peer.ipv4('10.20.0.0/24') });
    // WHEN synthesized THEN the VIP is on the named subnet and the servers admit that CIDR
    const heat = heatOf(stack);
    expect(heat.resources.api_lb.properties!.vip_subnet).toBe('prod-subnet');
    expect(heatIngress(heat.template)).toEqual([{ group: 'api_servers_security_group', port: 'tcp 80', fromCidr: '10.20.0.0/24' }]);
    expect(terraformOf(stack).resources('openstack_lb_loadbalancer_v2').api_lb.vip_subnet_id).toBe('${data.openstack_networking_subnet_v2.existing.id}');
  });
});

describe('ApiTier validation', () => {
  test('maxSize is mandatory', () => {
    const e = errorOf(() => apiStack({ maxSize: undefined }));
    expect(e.code).toBe('SO_REQUIRED');
    expect(e.message).toContain("test/Api: 'maxSize' is required");
  });

  test('UDP cannot front an API', () => {
    const e = errorOf(() => apiStack({ protocol: ListenerProtocol.UDP }));
    expect(e.code).toBe('SO_UNSUPPORTED');
    expect(e.message).toContain("'protocol' cannot front an API tier");
  });

  test('healthCheckPath needs an HTTP listener', () => {
    const e = errorOf(() => apiStack({ protocol: ListenerProtocol.TCP, healthCheckPath: '/health' }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toContain("'healthCheckPath' applies to HTTP(S) listeners only");
  });

  test('the port must be a TCP port', () => {
    const e = errorOf(() => apiStack({ port: 70000 }));
    expect(e.code).toBe('SO_RANGE');
    expect(e.message).toContain("'port' must be between 1 and 65535");
  });

  test('CPU scaling needs the flavor vCPU count', () => {
    const e = errorOf(() => apiStack({ flavor: Flavor.fromName('m1.small') }));
    expect(e.code).toBe('SO_REQUIRED');
    expect(e.message).toContain("'flavor.vcpus'");
  });

  test('the output prefix must be snake_case', () => {
    const e = errorOf(() => apiStack({ outputPrefix: 'Shop-API' }));
    expect(e.code).toBe('SO_FORMAT');
    expect(e.message).toContain("'outputPrefix' must match snake_case");
  });

  test('an existing subnet without member access peer is refused with the fix', () => {
    const { stack } = netStack();
    const subnet = Subnet.fromName(stack, 'Existing', 'prod-subnet', Network.fromName(stack, 'ProdNet', 'prod-net'));
    const e = errorOf(() => new ApiTier(stack, 'Api', { image: IMAGE, flavor: SMALL, subnet, externalNetworkName: 'public', maxSize: 3 }));
    expect(e.code).toBe('SO_REQUIRED');
    expect(e.message).toContain("'memberAccessPeer' is required");
  });

  test('allowInternalClients with a restricted list on a subnet of unknown CIDR is refused with the fix', () => {
    // GIVEN an existing subnet, restricted clients, internal clients, and no member access peer
    const { stack } = netStack();
    const subnet = Subnet.fromName(stack, 'Existing', 'prod-subnet', Network.fromName(stack, 'ProdNet', 'prod-net'));
    // WHEN the tier is built THEN it names the missing CIDR and how to give it
    const e = errorOf(
      () => new ApiTier(stack, 'Api', { image: IMAGE, flavor: SMALL, subnet, externalNetworkName: 'public', maxSize: 3, allowedCidrs: ['203.0.113.0/24'], allowInternalClients: true }),
    );
    expect(e.code).toBe('SO_REQUIRED');
    expect(e.message).toContain("test/Api: 'memberAccessPeer' is required: 'allowedCidrs' restricts the listener, and servers on test/Existing reach the API through its internal URL");
    expect(e.message).toContain("memberAccessPeer: Peer.ipv4('10.1.0.0/24')");
  });

  test('allowInternalClients must be a boolean', () => {
    const e = errorOf(() => apiStack({ allowInternalClients: 'yes' as never }));
    expect(e.code).toBe('SO_FORMAT');
    expect(e.message).toContain("'allowInternalClients' must be true or false");
  });

  test('cloudConfig must be a CloudConfig', () => {
    const e = errorOf(() => apiStack({ cloudConfig: '#cloud-config' as never }));
    expect(e.code).toBe('SO_FORMAT');
    expect(e.message).toContain("'cloudConfig' must be a CloudConfig");
  });
});

describe('ApiTier placement and readiness', () => {
  test('servers spread over hosts by default; placement and readiness reach the group', () => {
    // GIVEN a default tier, and one opting out of spreading and into readiness
    const spread = apiStack();
    const ready = apiStack({ placement: Placement.any(), readiness: { command: 'curl -fsS http://127.0.0.1/healthz', timeout: Duration.minutes(15) } });
    // WHEN synthesized
    const a = heatOf(spread.stack);
    const b = heatOf(ready.stack);
    // THEN the default tier has a soft-anti-affinity group for its servers
    expect(a.resources.api_servers_server_group.properties!.policies).toEqual(['soft-anti-affinity']);
    expect(hotResourcesOfType(a.files['api_servers_member.yaml'] as Record<string, unknown>, 'OS::Heat::WaitCondition')).toEqual({});
    // AND the other has none, but a member that joins the pool only once ready
    expect(hotResourcesOfType(b.template, 'OS::Nova::ServerGroup')).toEqual({});
    const member = b.files['api_servers_member.yaml'] as Record<string, any>;
    expect(member.resources.api_servers_ready.properties.timeout).toBe(900);
    expect(member.resources.api_servers_member_api_lb_listener_pool.depends_on).toEqual(['api_servers_drain', 'api_servers_ready']);
  });
});

describe('ApiTier with restricted outbound traffic', () => {
  test('allowAllOutbound: false: the servers reach the services they are let into, and the metadata service, nothing else', () => {
    // GIVEN an API tier that may not send anything out, using a database and a queue
    const { stack, net } = netStack();
    const services = new ServicesTier(stack, 'Services', { image: IMAGE, flavor: SMALL, networks: [net.network] });
    new ApiTier(stack, 'Api', { image: IMAGE, flavor: SMALL, subnet: net.subnet, externalNetworkName: 'public', maxSize: 4, services, allowAllOutbound: false });
    // WHEN synthesized to both targets
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN the group's security group drops Neutron's default egress rules
    expect(heat.resources.api_servers_security_group.properties!.rules).toHaveLength(1);
    expect(tf.resources('openstack_networking_secgroup_v2').api_servers_security_group.delete_default_rules).toBe(true);
    // AND its egress rules are exactly the services' ports (written by services.allowFrom) and the metadata service
    const egress = (rules: Array<{ group: string; to: string }>) => rules.filter((r) => r.group === 'api_servers_security_group').map((r) => r.to).sort();
    const heatEgress = Object.values(hotResourcesOfType(heat.template, 'OS::Neutron::SecurityGroupRule'))
      .filter((r) => r.properties!.direction === 'egress')
      .map((r) => ({ group: r.properties!.security_group.get_resource, to: `${r.properties!.port_range_min} ${r.properties!.remote_group?.get_resource ?? r.properties!.remote_ip_prefix}` }));
    const expected = ['5432 services_database_security_group', '5672 services_queue_security_group', '80 169.254.169.254/32'].sort();
    expect(egress(heatEgress)).toEqual(expected);
    const tfEgress = Object.values(tf.resources('openstack_networking_secgroup_rule_v2'))
      .filter((r: any) => r.direction === 'egress')
      .map((r: any) => ({
        group: r.security_group_id.replace(/^\$\{openstack_networking_secgroup_v2\.(\w+)\.id\}$/, '$1'),
        to: `${r.port_range_min} ${r.remote_group_id?.replace(/^\$\{openstack_networking_secgroup_v2\.(\w+)\.id\}$/, '$1') ?? r.remote_ip_prefix}`,
      }));
    expect(egress(tfEgress)).toEqual(expected);
  });

  test('allowAllOutbound with securityGroups on a group is refused', () => {
    const { stack, net } = netStack();
    const e = errorOf(
      () =>
        new AutoScalingGroup(stack, 'G', { image: IMAGE, flavor: SMALL, networks: [net.network], maxSize: 2, securityGroups: [new SecurityGroup(stack, 'Sg')], allowAllOutbound: false }),
    );
    expect(e.message).toContain("test/G: 'allowAllOutbound' applies to the default security group only, and 'securityGroups' is given");
  });
});
