/**
 * The vertical slice of the foundation: a security group with ingress rules and one server,
 * synthesized to both targets; both outputs pass the schema checks (heatOf/terraformOf run them).
 */
import {
  App,
  CloudConfig,
  Flavor,
  Image,
  Network,
  OpenStackRelease,
  Peer,
  Port,
  SecurityGroup,
  Server,
  Stack,
  UserData,
  Value,
} from '../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../util/synth';

function sliceStack(release?: OpenStackRelease) {
  const app = new App();
  const stack = new Stack(app, 'slice', { release });
  const net = Network.fromName(stack, 'Private', 'private-net');
  const sg = new SecurityGroup(stack, 'WebSg');
  sg.addIngressRule(Peer.anyIpv4(), Port.tcp(443));
  sg.addIngressRule(Peer.ipv4('198.51.100.0/24'), Port.tcp(22), { description: 'admin SSH' });
  const server = new Server(stack, 'Web', {
    image: Image.fromName('ubuntu-22.04'),
    flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
    keyName: 'ops-key',
    networks: [net],
    securityGroups: [sg],
    userData: UserData.forCloudConfig(new CloudConfig().addPackages('nginx').addRunCommands('echo ${HOME}')),
    metadata: { role: 'web' },
  });
  return { stack, sg, server, net };
}

describe('security group + server, Heat target', () => {
  test('renders the group, one rule resource per rule, a port and the server', () => {
    // GIVEN a stack with a security group (2 rules) and a server
    const { stack } = sliceStack();
    // WHEN it is synthesized to HOT
    const heat = heatOf(stack);
    // THEN the template holds exactly those resources with readable, path-derived names
    expect(heat.template.heat_template_version).toBe('2021-04-16');
    expect(Object.keys(heat.resources)).toEqual([
      'web_sg',
      'web_sg_ingress_tcp_443_from_any_ipv4',
      'web_sg_ingress_tcp_22_from_cidr_198_51_100_0_24',
      'web_port_private',
      'web',
    ]);
    const rule = heat.resources.web_sg_ingress_tcp_22_from_cidr_198_51_100_0_24.properties!;
    expect(rule).toEqual({
      security_group: { get_resource: 'web_sg' },
      description: 'admin SSH',
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: 'tcp',
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: '198.51.100.0/24',
    });
  });

  test('the server carries image, flavor, key, port, user data and ownership metadata', () => {
    const { stack } = sliceStack();
    const server = heatOf(stack).resources.web.properties!;
    expect(server.image).toBe('ubuntu-22.04');
    expect(server.flavor).toBe('m1.small');
    expect(server.key_name).toBe('ops-key');
    expect(server.networks).toEqual([{ port: { get_resource: 'web_port_private' } }]);
    expect(server.user_data_format).toBe('RAW');
    expect(server.user_data).toMatch(/^#cloud-config\n/);
    expect(server.user_data).toContain('- nginx');
    expect(server.metadata).toEqual({ role: 'web', scaleout_stack: { get_param: 'OS::stack_name' }, scaleout_owner: 'slice/Web' });
    const port = hotResourcesOfType(heatOf(stack).template, 'OS::Neutron::Port').web_port_private.properties!;
    expect(port).toEqual({ network: 'private-net', security_groups: [{ get_resource: 'web_sg' }] });
  });

  test('a server without security groups gets its own group with no inbound rule', () => {
    const app = new App();
    const stack = new Stack(app, 'slice');
    new Server(stack, 'Web', { image: Image.fromId('img-1'), flavor: Flavor.fromId('fl-1'), networks: [Network.fromId(stack, 'Net', 'net-1')] });
    const heat = heatOf(stack);
    expect(hotResourcesOfType(heat.template, 'OS::Neutron::SecurityGroup')).toHaveProperty('web_security_group');
    expect(hotResourcesOfType(heat.template, 'OS::Neutron::SecurityGroupRule')).toEqual({});
  });
});

describe('security group + server, Terraform target', () => {
  test('renders secgroup, rules, port and instance wired by references', () => {
    const { stack } = sliceStack();
    const tf = terraformOf(stack);
    expect(Object.keys(tf.resources('openstack_networking_secgroup_v2'))).toEqual(['web_sg']);
    const rules = tf.resources('openstack_networking_secgroup_rule_v2');
    expect(rules.web_sg_ingress_tcp_443_from_any_ipv4).toMatchObject({
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: 'tcp',
      port_range_min: 443,
      port_range_max: 443,
      remote_ip_prefix: '0.0.0.0/0',
      security_group_id: '${openstack_networking_secgroup_v2.web_sg.id}',
    });
    const port = tf.resources('openstack_networking_port_v2').web_port_private;
    expect(port.network_id).toBe('${data.openstack_networking_network_v2.private.id}');
    expect(port.security_group_ids).toEqual(['${openstack_networking_secgroup_v2.web_sg.id}']);
    expect(tf.json.data.openstack_networking_network_v2.private.name).toBe('private-net');
    const instance = tf.resources('openstack_compute_instance_v2').web;
    expect(instance).toMatchObject({
      name: 'web',
      image_name: 'ubuntu-22.04',
      flavor_name: 'm1.small',
      key_pair: 'ops-key',
      network: [{ port: '${openstack_networking_port_v2.web_port_private.id}' }],
      metadata: { role: 'web', scaleout_stack: 'slice', scaleout_owner: 'slice/Web' },
    });
  });

  test('literal ${ in user data is escaped so Terraform does not read it as an interpolation', () => {
    const { stack } = sliceStack();
    const instance = terraformOf(stack).resources('openstack_compute_instance_v2').web;
    expect(instance.user_data).toContain('echo $${HOME}');
    expect(instance.user_data).not.toMatch(/[^$]\$\{HOME\}/);
  });

  test('the provider is configured from OS_* environment variables: no settings, no secrets', () => {
    const { stack } = sliceStack();
    const tf = terraformOf(stack);
    expect(tf.json.provider).toEqual({ openstack: [{}] });
    // cdktf pins the exact version the bindings were generated from (the schema we validate against)
    expect(tf.json.terraform.required_providers.openstack).toEqual({ source: 'terraform-provider-openstack/openstack', version: '3.4.0' });
  });
});

describe('values substituted into user data', () => {
  test('Heat uses str_replace, Terraform an interpolation', () => {
    const app = new App();
    const stack = new Stack(app, 'slice');
    const net = Network.fromName(stack, 'Net', 'private');
    const db = new Server(stack, 'Db', { image: Image.fromName('debian-12'), flavor: Flavor.fromName('m1.small'), networks: [net] });
    new Server(stack, 'App', {
      image: Image.fromName('debian-12'),
      flavor: Flavor.fromName('m1.small'),
      networks: [net],
      userData: UserData.forCloudConfig(new CloudConfig().addFile({ path: '/etc/app.env', content: 'DB_HOST=@@db@@\n' }).substitute('@@db@@', db.privateIp)),
    });
    const heatUserData = heatOf(stack).resources.app.properties!.user_data;
    expect(heatUserData.str_replace.params).toEqual({ '@@db@@': { get_attr: ['db_port_net', 'fixed_ips', 0, 'ip_address'] } });
    expect(heatUserData.str_replace.template).toContain('DB_HOST=@@db@@');
    const tfUserData = terraformOf(stack).resources('openstack_compute_instance_v2').app.user_data as string;
    expect(tfUserData).toContain('DB_HOST=${openstack_compute_instance_v2.db.access_ip_v4}');
  });

  test('a literal Value renders the same in both targets', () => {
    const app = new App();
    const stack = new Stack(app, 'slice');
    stack.addOutput('greeting', { value: Value.literal('hello'), description: 'a constant' });
    expect(heatOf(stack).template.outputs).toEqual({ greeting: { description: 'a constant', value: 'hello' } });
    expect(terraformOf(stack).json.output.greeting).toMatchObject({ value: 'hello', description: 'a constant' });
  });
});

describe('remote-group rules', () => {
  test('connections.allowFrom writes a rule whose remote is the other group, never a CIDR', () => {
    const app = new App();
    const stack = new Stack(app, 'slice');
    const api = new SecurityGroup(stack, 'ApiSg');
    const queue = new SecurityGroup(stack, 'QueueSg');
    queue.connections.allowFrom(api, Port.tcp(5672));
    queue.connections.allowFrom(api, Port.tcp(5672)); // the same rule twice is one rule
    const rules = hotResourcesOfType(heatOf(stack).template, 'OS::Neutron::SecurityGroupRule');
    expect(Object.keys(rules)).toEqual(['queue_sg_ingress_tcp_5672_from_api_sg']);
    expect(rules.queue_sg_ingress_tcp_5672_from_api_sg.properties).toMatchObject({
      remote_group: { get_resource: 'api_sg' },
      security_group: { get_resource: 'queue_sg' },
    });
    expect(rules.queue_sg_ingress_tcp_5672_from_api_sg.properties).not.toHaveProperty('remote_ip_prefix');
    const tfRule = terraformOf(stack).resources('openstack_networking_secgroup_rule_v2').queue_sg_ingress_tcp_5672_from_api_sg;
    expect(tfRule.remote_group_id).toBe('${openstack_networking_secgroup_v2.api_sg.id}');
    expect(tfRule).not.toHaveProperty('remote_ip_prefix');
  });

  test('two groups may allow each other without a dependency cycle', () => {
    const app = new App();
    const stack = new Stack(app, 'slice');
    const a = new SecurityGroup(stack, 'A');
    const b = new SecurityGroup(stack, 'B');
    a.connections.allowFrom(b, Port.tcp(1000));
    b.connections.allowFrom(a, Port.tcp(2000));
    expect(Object.keys(heatOf(stack).resources)).toEqual(['a', 'a_ingress_tcp_1000_from_b', 'b', 'b_ingress_tcp_2000_from_a']);
    expect(Object.keys(terraformOf(stack).resources('openstack_networking_secgroup_rule_v2')).sort()).toEqual([
      'a_ingress_tcp_1000_from_b',
      'b_ingress_tcp_2000_from_a',
    ]);
  });

  test('allowAllOutbound: false replaces the default egress rules in both targets', () => {
    const app = new App();
    const stack = new Stack(app, 'slice');
    const sg = new SecurityGroup(stack, 'Locked', { allowAllOutbound: false });
    sg.addEgressRule(Peer.ipv4('10.0.0.0/8'), Port.tcp(443));
    const heat = heatOf(stack);
    expect(heat.resources.locked.properties!.rules).toEqual([
      expect.objectContaining({ direction: 'egress', remote_ip_prefix: '255.255.255.255/32' }),
    ]);
    expect(heat.resources.locked_egress_tcp_443_to_cidr_10_0_0_0_8.properties).toMatchObject({ direction: 'egress', remote_ip_prefix: '10.0.0.0/8' });
    expect(terraformOf(stack).resources('openstack_networking_secgroup_v2').locked.delete_default_rules).toBe(true);
  });

  test('icmp, udp ranges and all traffic render their protocol and ranges', () => {
    const app = new App();
    const stack = new Stack(app, 'slice');
    const sg = new SecurityGroup(stack, 'Sg');
    sg.addIngressRule(Peer.ipv4('10.0.0.0/8'), Port.icmpType(8, 0));
    sg.addIngressRule(Peer.ipv4('10.0.0.0/8'), Port.udpRange(5000, 5010));
    sg.addIngressRule(Peer.ipv6('2001:db8::/32'), Port.allTraffic());
    const rules = heatOf(stack).resources;
    expect(rules.sg_ingress_icmp_8_0_from_cidr_10_0_0_0_8.properties).toMatchObject({ protocol: 'icmp', port_range_min: 8, port_range_max: 0 });
    expect(rules.sg_ingress_udp_5000_5010_from_cidr_10_0_0_0_8.properties).toMatchObject({ protocol: 'udp', port_range_min: 5000, port_range_max: 5010 });
    const all = rules.sg_ingress_all_from_cidr_2001_db8_32.properties!;
    expect(all).toMatchObject({ ethertype: 'IPv6', remote_ip_prefix: '2001:db8::/32' });
    expect(all).not.toHaveProperty('protocol');
  });
});
