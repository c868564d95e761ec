/**
 * AutoScalingGroup: sizes, cooldown, rolling updates, the member template, pool membership,
 * webhooks, the scaling_enabled switch, warnings, and the Terraform embedding.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudConfig, Duration, Flavor, HealthMonitorType, KeyPair, Network, SecurityGroup, UserData, Warnings, heatFiles } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { terraformValidate } from '../../tools/terraform-validate';
import { validateWithHeat } from '../../tools/heat-real-validator';
import { embeddedOf, errorOf, groupStack, webPool } from './fixture';

describe('AutoScalingGroup in Heat', () => {
  test('the group waits for the subnet and router interface of the networks the stack creates', () => {
    // GIVEN a group on a VirtualNetwork
    const { stack, group } = groupStack();
    group();
    // WHEN synthesized THEN the group (whose members boot on that network) depends on both
    expect(heatOf(stack).resources.web.depends_on).toEqual(['net_subnet', 'net_router_interface']);
    // AND the Terraform orchestration stack waits for the same two resources
    expect(terraformOf(stack).resources('openstack_orchestration_stack_v1').web.depends_on).toEqual([
      'openstack_networking_subnet_v2.net_subnet',
      'openstack_networking_router_interface_v2.net_router_interface',
    ]);
  });


  test('sizes, cooldown and rolling updates go on OS::Heat::AutoScalingGroup', () => {
    // GIVEN a group with every size prop
    const { stack, group } = groupStack();
    group({ minSize: 2, maxSize: 10, cooldown: Duration.minutes(10), rollingUpdates: { minInService: 1, maxBatchSize: 2, pauseTime: Duration.seconds(30) } });
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    // THEN the group carries them and its member is the nested template
    expect(heat.resources.web).toMatchObject({
      type: 'OS::Heat::AutoScalingGroup',
      properties: {
        min_size: 2,
        max_size: 10,
        cooldown: 600,
        rolling_updates: { min_in_service: 1, max_batch_size: 2, pause_time: 30 },
        resource: { type: 'web_member.yaml' },
      },
    });
    expect(heat.resources.web.properties!.desired_capacity).toBeUndefined();
    expect(Object.keys(heat.files)).toEqual(['web_member.yaml']);
  });

  test('defaults: minSize 1, cooldown 300 s, no rolling_updates, a new security group', () => {
    // GIVEN a group with only the mandatory props
    const { stack, group } = groupStack();
    group();
    // WHEN synthesized
    const props = heatOf(stack).resources.web.properties!;
    // THEN
    expect(props).toMatchObject({ min_size: 1, max_size: 4, cooldown: 300 });
    expect(props.rolling_updates).toBeUndefined();
    expect(props.resource.properties.security_groups).toEqual([{ get_resource: 'web_security_group' }]);
  });

  test('the member template: a port per network, a server stamped with its group key and owners', () => {
    // GIVEN a group with key pair, user data and user metadata, on two networks
    const { stack, net, group } = groupStack();
    const admin = Network.fromId(stack, 'Admin', 'admin-uuid');
    const key = new KeyPair(stack, 'Key', { publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH8mC8dHRWf3hYyB0E8yTZ8Yv4aL3Jq2pQk7Hq2b6jvS ops' });
    group({ networks: [net.network, admin], keyPair: key, userData: UserData.forShellScript('echo hi'), metadata: { role: 'web' } });
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    const member = heat.files['web_member.yaml'] as Record<string, any>;
    // THEN the parent passes every input, and the group key is <stack id>-web
    expect(heat.resources.web.properties!.resource.properties).toEqual({
      image: 'ubuntu-22.04',
      flavor: 'm1.small',
      key_name: { get_resource: 'key' },
      network_net: { get_resource: 'net' },
      network_admin: 'admin-uuid',
      nova_server_group: { get_resource: 'web_server_group' },
      security_groups: [{ get_resource: 'web_security_group' }],
      user_data: '#!/bin/sh\nset -eu\necho hi\n',
      owner_stack: { get_param: 'OS::stack_name' },
      server_group: { str_replace: { template: '%stack_id%-web', params: { '%stack_id%': { get_param: 'OS::stack_id' } } } },
    });
    // AND the member declares them and stamps the server
    expect(Object.keys(member.parameters).sort()).toEqual(
      ['flavor', 'image', 'key_name', 'network_admin', 'network_net', 'nova_server_group', 'owner_stack', 'security_groups', 'server_group', 'user_data'].sort(),
    );
    expect(member.parameters.security_groups.type).toBe('comma_delimited_list');
    expect(Object.keys(hotResourcesOfType(member, 'OS::Neutron::Port'))).toEqual(['web_port_net', 'web_port_admin']);
    expect(member.resources.web_server.properties).toMatchObject({
      image: { get_param: 'image' },
      key_name: { get_param: 'key_name' },
      user_data_format: 'RAW',
      user_data: { get_param: 'user_data' },
      networks: [{ port: { get_resource: 'web_port_net' } }, { port: { get_resource: 'web_port_admin' } }],
      scheduler_hints: { group: { get_param: 'nova_server_group' } },
      metadata: {
        role: 'web',
        'metering.server_group': { get_param: 'server_group' },
        scaleout_stack: { get_param: 'owner_stack' },
        scaleout_owner: 'test/Web',
      },
    });
  });

  test('two groups in one stack get distinct group keys', () => {
    // GIVEN two groups in one Heat stack (they share its stack id)
    const { stack, group } = groupStack();
    group({}, 'Api');
    group({}, 'Worker');
    // WHEN synthesized THEN each key carries the group's name
    const heat = heatOf(stack);
    expect(heat.resources.api.properties!.resource.properties.server_group.str_replace.template).toBe('%stack_id%-api');
    expect(heat.resources.worker.properties!.resource.properties.server_group.str_replace.template).toBe('%stack_id%-worker');
  });

  test('attachToPool adds a PoolMember to the member and opens the port to the load balancer only', () => {
    // GIVEN a pool behind an HTTP listener
    const { stack, net, group } = groupStack();
    const pool = webPool(stack, net);
    // WHEN the group serves it on 8080
    const web = group();
    web.attachToPool(pool, 8080);
    // THEN the member template joins the pool with the port's address on the pool subnet
    const heat = heatOf(stack);
    const member = heat.files['web_member.yaml'] as Record<string, any>;
    expect(member.resources.web_member_lb_front_web).toEqual({
      type: 'OS::Octavia::PoolMember',
      properties: {
        pool: { get_param: 'lb_front_web_pool' },
        address: { get_attr: ['web_port_net', 'fixed_ips', 0, 'ip_address'] },
        protocol_port: 8080,
        subnet: { get_param: 'lb_front_web_subnet' },
      },
      depends_on: ['web_drain'],
    });
    expect(member.resources.web_port_net.properties.fixed_ips).toEqual([{ subnet: { get_param: 'lb_front_web_subnet' } }]);
    expect(heat.resources.web.properties!.resource.properties).toMatchObject({
      lb_front_web_pool: { get_resource: 'lb_front_web' },
      lb_front_web_subnet: { get_resource: 'net_subnet' },
    });
    // AND the group's security group lets only the member subnet in on 8080
    expect(heat.resources['web_security_group_ingress_tcp_8080_from_cidr_10_0_0_0_24'].properties).toMatchObject({ port_range_min: 8080, remote_ip_prefix: '10.0.0.0/24' });
    expect(web.attachedPools).toEqual([pool]);
    // AND nothing manages the pool's members from the main template
    expect(hotResourcesOfType(heat.template, 'OS::Octavia::PoolMember')).toEqual({});
  });

  test('a pool member joins after its server exists and leaves 30 s before it is deleted, by default', () => {
    // GIVEN a group in a pool, with the default drainTime
    const { stack, net, group } = groupStack();
    group().attachToPool(webPool(stack, net), 8080);
    // WHEN synthesized
    const member = heatOf(stack).files['web_member.yaml'] as Record<string, any>;
    // THEN pool member -> delay -> server: Heat creates in that order backwards (server, delay,
    // pool member) and deletes in this order, waiting 30 s on DELETE only
    expect(member.resources.web_drain).toEqual({
      type: 'OS::Heat::Delay',
      properties: { min_wait: 30, actions: ['DELETE'] },
      depends_on: ['web_server'],
    });
    expect(member.resources.web_member_lb_front_web.depends_on).toEqual(['web_drain']);
    expect(member.resources.web_server.type).toBe('OS::Nova::Server');
    // AND the Terraform target embeds the same member template
    expect(embeddedOf(terraformOf(stack), 'web').member).toEqual(member);
  });

  test('drainTime sets the wait; 0 drops the delay and the pool member depends on the server directly', () => {
    // GIVEN two groups in the same pool, one draining 2 minutes, one not at all
    const { stack, net, group } = groupStack();
    const pool = webPool(stack, net);
    group({ drainTime: Duration.minutes(2) }, 'Slow').attachToPool(pool, 8080);
    group({ drainTime: Duration.seconds(0) }, 'Fast').attachToPool(pool, 8081);
    // WHEN synthesized
    const heat = heatOf(stack);
    const slow = heat.files['slow_member.yaml'] as Record<string, any>;
    const fast = heat.files['fast_member.yaml'] as Record<string, any>;
    // THEN the slow one waits 120 s, the fast one has no delay but keeps the order
    expect(slow.resources.slow_drain.properties).toEqual({ min_wait: 120, actions: ['DELETE'] });
    expect(hotResourcesOfType(fast, 'OS::Heat::Delay')).toEqual({});
    expect(fast.resources.fast_member_lb_front_web.depends_on).toEqual(['fast_server']);
  });

  test('a group in no pool has no delay', () => {
    const { stack, group } = groupStack();
    group();
    expect(hotResourcesOfType(heatOf(stack).files['web_member.yaml'] as Record<string, unknown>, 'OS::Heat::Delay')).toEqual({});
  });

  test('attachToPool opens ICMP echo for a PING health monitor', () => {
    // GIVEN a pool with a PING monitor WHEN the group joins it
    const { stack, net, group } = groupStack();
    const pool = webPool(stack, net);
    pool.addHealthMonitor('Ping', { type: HealthMonitorType.PING });
    group().attachToPool(pool, 80);
    // THEN echo requests from the member subnet are let in
    expect(Object.keys(heatOf(stack).resources)).toContain('web_security_group_ingress_icmp_8_0_from_cidr_10_0_0_0_24');
  });

  test('webhook outputs and the scaling_enabled switch', () => {
    // GIVEN a group with CPU scaling
    const { stack, group } = groupStack();
    group().scaleOnCpuUtilization({ scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    // THEN the two webhooks are outputs, the switch is a boolean parameter set in the environment
    expect((heat.template.outputs as any).web_scale_out_url.value).toEqual({ get_attr: ['web_scale_out', 'signal_url'] });
    expect((heat.template.outputs as any).web_scale_in_url.value).toEqual({ get_attr: ['web_scale_in', 'signal_url'] });
    expect(heat.resources.web_scale_out.properties).toMatchObject({ adjustment_type: 'change_in_capacity', scaling_adjustment: 1 });
    expect(heat.resources.web_scale_in.properties).toMatchObject({ scaling_adjustment: -1 });
    expect((heat.template.parameters as any).scaling_enabled).toMatchObject({ type: 'boolean', default: true });
    expect(heat.environment).toEqual({ parameters: { scaling_enabled: true } });
    for (const alarm of Object.values(hotResourcesOfType(heat.template, 'OS::Aodh::GnocchiAggregationByResourcesAlarm'))) {
      expect(alarm.properties!.enabled).toEqual({ get_param: 'scaling_enabled' });
    }
  });

  test('scalingWebhooks: false creates no webhook policy nor output', () => {
    // GIVEN a group without webhooks WHEN synthesized THEN no policy, no output
    const { stack, group } = groupStack();
    const web = group({ scalingWebhooks: false });
    const heat = heatOf(stack);
    expect(web.scaleOutPolicy).toBeUndefined();
    expect(hotResourcesOfType(heat.template, 'OS::Heat::ScalingPolicy')).toEqual({});
    expect(heat.template.outputs).toBeUndefined();
  });

  test('desiredCapacity is rendered and warned about', () => {
    // GIVEN a group with a desired capacity
    const { app, stack, group } = groupStack();
    group({ desiredCapacity: 3 });
    // WHEN synthesized THEN it is set, and a warning says every update resets it
    expect(heatOf(stack).resources.web.properties!.desired_capacity).toBe(3);
    expect(Warnings.of(app)).toEqual([{ path: 'test/Web', id: 'scaleout:desired-capacity', message: expect.stringContaining('Heat resets the group to 3 servers on every stack update') }]);
  });

  test('no warning without desiredCapacity', () => {
    const { app, group } = groupStack();
    group();
    expect(Warnings.of(app)).toEqual([]);
  });
});

describe('AutoScalingGroup in Terraform', () => {
  test('embeds group, policies, alarms and member in an orchestration stack, with ids as parameters', () => {
    // GIVEN a group in a pool, with CPU scaling, user data and a key
    const { stack, net, group } = groupStack();
    const pool = webPool(stack, net);
    const web = group({ keyName: 'ops', userData: UserData.forShellScript('echo ${HOME}') });
    web.attachToPool(pool, 8080);
    web.scaleOnCpuUtilization({ perMember: true, scaleOutAbovePercent: 70, scaleInBelowPercent: 20 });
    // WHEN synthesized to Terraform
    const tf = terraformOf(stack);
    const embedded = embeddedOf(tf, 'web');
    // THEN what Terraform manages arrives as parameters
    expect(embedded.resource.name).toBe('test-web');
    expect(embedded.resource.parameters).toEqual({
      image: 'ubuntu-22.04',
      flavor: 'm1.small',
      key_name: 'ops',
      network_net: '${openstack_networking_network_v2.net.id}',
      nova_server_group: '${openstack_compute_servergroup_v2.web_server_group.id}',
      security_groups: '${openstack_networking_secgroup_v2.web_security_group.id}',
      owner_stack: 'test',
      lb_front_web_pool: '${openstack_lb_pool_v2.lb_front_web.id}',
      lb_front_web_subnet: '${openstack_networking_subnet_v2.net_subnet.id}',
      // Heat echoes a boolean as Python's str() prints it; the provider compares the echo with this
      scaling_enabled: '${var.scaling_enabled ? "True" : "False"}',
    });
    // AND the user data is no parameter (Heat would echo a hidden one as ******): the environment's
    // parameter_defaults carry it to the member template, from a Terraform local
    expect(embedded.template.parameters.user_data).toBeUndefined();
    expect(embedded.resources.web.properties!.resource.properties.user_data).toBeUndefined();
    expect(embedded.member.parameters.user_data).toMatchObject({ type: 'string', hidden: true });
    expect(embedded.resource.environment_opts).toEqual({ Bin: '${jsonencode({ parameter_defaults = { user_data = local.web_user_data } })}' });
    expect(tf.json.locals.web_user_data).toBe('#!/bin/sh\nset -eu\necho $${HOME}\n');
    expect(embedded.userData).toBe('#!/bin/sh\nset -eu\necho $${HOME}\n');
    // AND, as `openstack stack create` does, a failed create is not rolled back
    expect(embedded.resource.disable_rollback).toBe(true);
    expect(tf.json.variable.scaling_enabled).toMatchObject({ type: 'bool', default: true });
    // AND the embedded template holds the group, its policies (and the signal base of the member alarms), reading its parameters
    expect(Object.keys(hotResourcesOfType(embedded.template, 'OS::Heat::ScalingPolicy')).sort()).toEqual([
      'web_cpu_scale_in',
      'web_cpu_scale_out',
      'web_cpu_scale_out_saturated',
      'web_scale_in',
      'web_scale_out',
      'web_signal_base',
    ]);
    // AND the CPU alarms are in the member template, one set per server
    expect(Object.keys(hotResourcesOfType(embedded.template, 'OS::Aodh::GnocchiAggregationByResourcesAlarm'))).toEqual([]);
    expect(Object.keys(hotResourcesOfType(embedded.member, 'OS::Aodh::GnocchiResourcesAlarm')).sort()).toEqual(['web_cpu_low', 'web_cpu_saturated']);
    expect(Object.keys(hotResourcesOfType(embedded.member, 'OS::Aodh::CompositeAlarm'))).toEqual(['web_cpu_high']);
    expect(embedded.resources.web.properties!.resource.properties).toMatchObject({
      network_net: { get_param: 'network_net' },
      security_groups: { get_param: 'security_groups' },
      lb_front_web_pool: { get_param: 'lb_front_web_pool' },
    });
    expect(embedded.template.parameters.security_groups.type).toBe('comma_delimited_list');
    expect(embedded.member.resources.web_cpu_high.properties!.enabled).toEqual({ get_param: 'scaling_enabled' });
    expect(embedded.resources.web.properties!.resource.properties.scaling_enabled).toEqual({ get_param: 'scaling_enabled' });
    // AND the member is the same template the Heat target writes, joining the pool
    expect(embedded.member).toEqual(heatOf(stack).files['web_member.yaml']);
    expect(embedded.member.resources.web_member_lb_front_web.type).toBe('OS::Octavia::PoolMember');
    // AND the pool's members are never managed by Terraform
    expect(tf.resources('openstack_lb_members_v2')).toEqual({});
    expect(tf.resources('openstack_lb_member_v2')).toEqual({});
  });

  test('the member file sits next to cdk.tf.json under a content hash', () => {
    // GIVEN two stacks differing only in the members' metadata (written in the member template)
    const synth = (role: string) => {
      const { stack, group } = groupStack();
      group({ metadata: { role } });
      const tf = terraformOf(stack);
      return { tf, embedded: embeddedOf(tf, 'web') };
    };
    const a = synth('a');
    const b = synth('b');
    // THEN the path is relative to the stack folder and carries the hash of the member's text
    expect(a.embedded.memberPath).toMatch(/^assets\/[A-Za-z0-9_]+\/[0-9a-f]{32}\/web_member\.yaml$/);
    expect(fs.existsSync(path.join(a.tf.directory, 'cdk.tf.json'))).toBe(true);
    // AND an edit of the member alone changes the Bin string Terraform sees
    const c = synth('a');
    expect(c.embedded.memberPath).toBe(a.embedded.memberPath);
    const key = (e: typeof a.embedded) => e.memberPath.split('/')[2];
    expect(key(b.embedded)).not.toBe(key(a.embedded));
    expect(b.embedded.resource.template_opts.Bin).not.toBe(a.embedded.resource.template_opts.Bin);
  });

  test('webhook outputs read the orchestration stack outputs', () => {
    // GIVEN a group WHEN synthesized to Terraform
    const { stack, group } = groupStack();
    group();
    const tf = terraformOf(stack);
    const embedded = embeddedOf(tf, 'web');
    // THEN the embedded template exports the signal URLs and Terraform reads them by key
    expect(embedded.template.outputs.web_scale_out_url.value).toEqual({ get_attr: ['web_scale_out', 'signal_url'] });
    expect(tf.json.output.web_scale_out_url.value).toBe(
      '${lookup({ for o in openstack_orchestration_stack_v1.web.outputs : o.output_key => o.output_value }, "web_scale_out_url", "")}',
    );
    expect(tf.json.output.web_scale_in_url.value).toContain('"web_scale_in_url"');
    // AND without alarms there is no scaling_enabled to pass
    expect(embedded.resource.parameters.scaling_enabled).toBeUndefined();
    expect(tf.json.variable?.scaling_enabled).toBeUndefined();
    // AND without user data there is no environment
    expect(embedded.resource.environment_opts).toBeUndefined();
  });

  test('literal ${ in the template is escaped for Terraform', () => {
    // GIVEN a cloud-config user data with a shell variable WHEN synthesized
    const { stack, group } = groupStack();
    group({ userData: UserData.forCloudConfig(new CloudConfig().addRunCommands('echo ${HOSTNAME}')) });
    const tf = terraformOf(stack);
    // THEN the user data's local is escaped and the Bin has no unescaped interpolation
    expect(embeddedOf(tf, 'web').userData).toContain('$${HOSTNAME}');
    expect(tf.resources('openstack_orchestration_stack_v1').web.template_opts.Bin).not.toMatch(/(^|[^$])\$\{/);
  });
});

describe('both outputs pass the real validators', () => {
  test("terraform validate (stand-in provider) and Heat's own validator accept a full group", async () => {
    // GIVEN a group with a pool, CPU and step scaling
    const { stack, net, group } = groupStack();
    const web = group({ userData: UserData.forShellScript('echo ok') });
    web.attachToPool(webPool(stack, net), 8080);
    web.scaleOnCpuUtilization({ scaleOutAbovePercent: 80, scaleInBelowPercent: 20 });
    // WHEN synthesized to both targets
    const tf = terraformOf(stack);
    const heatDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-asg-heat-'));
    for (const [name, text] of Object.entries(heatFiles(heatOf(stack)))) fs.writeFileSync(path.join(heatDir, name), text);
    // THEN terraform validate finds nothing
    const result = await terraformValidate(tf.directory);
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
    // AND Heat validates the main template (with its member) and the embedded Bin (member read beside cdk.tf.json)
    const bin = embeddedOf(tf, 'web').text;
    const results = validateWithHeat([
      { id: 'heat', template: path.join(heatDir, 'test.yaml'), environment: path.join(heatDir, 'test.env.yaml') },
      {
        id: 'embedded',
        template: 'Bin of web',
        inline: { dir: tf.directory, template: bin, environment: JSON.stringify({ parameter_defaults: { user_data: embeddedOf(tf, 'web').userData } }) },
      },
    ]);
    for (const r of results) expect({ id: r.id, ok: r.ok, error: r.error }).toEqual({ id: r.id, ok: true, error: null });
  });
});

describe('AutoScalingGroup validation', () => {
  test.each([
    ['maxSize missing', { maxSize: undefined }, 'SO_REQUIRED', "'maxSize' is required"],
    ['maxSize 0', { maxSize: 0 }, 'SO_RANGE', "'maxSize' must be between 1 and 1000 servers, got 0"],
    ['maxSize above 1000', { maxSize: 1001 }, 'SO_RANGE', "'maxSize' must be between 1 and 1000"],
    ['minSize negative', { minSize: -1 }, 'SO_RANGE', "'minSize' must be between 0 and 1000"],
    ['minSize above maxSize', { minSize: 5, maxSize: 3 }, 'SO_CONFLICT', "'minSize' must be <= maxSize (3), got 5"],
    ['desiredCapacity above maxSize', { desiredCapacity: 5 }, 'SO_CONFLICT', "'desiredCapacity' must be between minSize (1) and maxSize (4), got 5"],
    ['desiredCapacity below minSize', { minSize: 2, desiredCapacity: 1 }, 'SO_CONFLICT', "'desiredCapacity' must be between minSize (2) and maxSize (4), got 1"],
    ['a negative cooldown', { cooldown: Duration.seconds(-5) }, 'SO_RANGE', "'cooldown' must be a whole number of seconds between 0 and 86400"],
    ['a fractional cooldown', { cooldown: Duration.seconds(1.5) }, 'SO_RANGE', "'cooldown' must be a whole number"],
    ['a drainTime above 30 minutes', { drainTime: Duration.seconds(1801) }, 'SO_RANGE', "'drainTime' must be a whole number of seconds between 0 and 1800, got \"1801 seconds\""],
    ['no networks', { networks: [] }, 'SO_REQUIRED', "'networks' must list at least one network"],
    ['the reserved metering.server_group', { metadata: { 'metering.server_group': 'x' } }, 'SO_CONFLICT', "'metadata.metering.server_group' is reserved"],
    ['an ownership key', { metadata: { scaleout_owner: 'x' } }, 'SO_CONFLICT', "'metadata.scaleout_owner' is reserved"],
    ['rolling minInService above maxSize', { rollingUpdates: { minInService: 5 } }, 'SO_RANGE', "'rollingUpdates.minInService' must be between 0 and 4"],
    ['rolling maxBatchSize 0', { rollingUpdates: { maxBatchSize: 0 } }, 'SO_RANGE', "'rollingUpdates.maxBatchSize' must be between 1 and 4"],
    ['keyName and keyPair', { keyName: 'a' }, 'SO_CONFLICT', "'keyPair' cannot be given together with 'keyName'"],
  ])('%s is refused', (name, override, code, fragment) => {
    // GIVEN a stack WHEN a group gets a bad prop THEN it is refused with the code and message
    const { stack, group } = groupStack();
    const extra = name === 'keyName and keyPair' ? { keyPair: KeyPair.fromName(stack, 'Key', 'ops') } : {};
    const err = errorOf(() => group({ ...override, ...extra } as any));
    expect(err.code).toBe(code);
    expect(err.message).toContain(`test/Web: ${fragment}`);
  });

  test('attachToPool refuses a pool on a network the members are not on, twice the same pool, and bad ports', () => {
    // GIVEN a pool on Net and a group only on another network
    const { stack, net, group } = groupStack();
    const pool = webPool(stack, net);
    const other = group({ networks: [Network.fromName(stack, 'OtherNet', 'other')] }, 'Other');
    // THEN
    expect(errorOf(() => other.attachToPool(pool, 80)).message).toContain("'attachToPool' needs the members on the pool's member network test/Net/Network");
    const web = group();
    expect(errorOf(() => web.attachToPool(pool, 0)).code).toBe('SO_RANGE');
    web.attachToPool(pool, 80);
    expect(errorOf(() => web.attachToPool(pool, 80)).code).toBe('SO_DUPLICATE');
  });

  test('a PING monitor added after attachToPool is reported at synthesis', () => {
    // GIVEN a group in a pool WHEN the pool gets a PING monitor afterwards
    const { stack, net, group } = groupStack();
    const pool = webPool(stack, net);
    group().attachToPool(pool, 80);
    pool.addHealthMonitor('Ping', { type: HealthMonitorType.PING });
    // THEN synthesis names the ordering problem
    expect(errorOf(() => heatOf(stack)).message).toContain('got a PING health monitor after attachToPool');
  });

  test('user security groups replace the default one', () => {
    // GIVEN a group with its own security group WHEN synthesized THEN only that one is used
    const { stack, group } = groupStack();
    const sg = new SecurityGroup(stack, 'Sg');
    group({ securityGroups: [sg], flavor: Flavor.fromName('m1.large') });
    const heat = heatOf(stack);
    expect(heat.resources.web.properties!.resource.properties.security_groups).toEqual([{ get_resource: 'sg' }]);
    expect(heat.resources.web_security_group).toBeUndefined();
  });
});
