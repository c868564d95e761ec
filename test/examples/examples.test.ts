/**
 * Every example synthesizes one stack whose output passes the schema checks in both targets,
 * plus targeted assertions on what each example is about. (Drift against templates/ is checked by
 * test/foundation/stacks.test.ts; Heat's own validator and terraform validate by test/integration.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { App, Stack } from '../../src';
import { FAAFO_COMMIT, FAAFO_PY3_FIXES, FAAFO_PYTHON_DEPENDENCIES } from '../../examples/fractals';
import { EXAMPLES, exampleStack } from '../../examples';
import { heatOf, hotResourcesOfType, terraformOf, type HotResource } from '../util/synth';
import { embeddedOf, heatIngress, IngressRule, memberOf, policyOf, terraformIngress } from '../constructs/patterns/fixture';

function build(name: string): Stack {
  const example = EXAMPLES.find((e) => e.name === name);
  if (!example) throw new Error(`no example ${name}`);
  return exampleStack(example, new App());
}

describe('every example', () => {
  test('the examples are registered, hello-server first', () => {
    expect(EXAMPLES.map((e) => e.name)).toEqual(['hello-server', 'fractals', 'web-app', 'existing-network']);
  });

  test.each(EXAMPLES.map((e) => e.name))('%s builds exactly one stack, valid in Heat and Terraform', (name) => {
    // GIVEN the example WHEN synthesized to both targets (heatOf/terraformOf run the schema validators)
    const stack = build(name);
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN both hold resources, and the stack is named after the example
    expect(stack.stackName).toBe(name);
    expect(Object.keys(heat.resources).length).toBeGreaterThan(0);
    expect(Object.keys(tf.json.resource ?? {}).length).toBeGreaterThan(0);
  });

  test.each(EXAMPLES.map((e) => e.name))('%s opens no sensitive port to the internet and no service port to any CIDR', (name) => {
    // GIVEN the example WHEN its ingress rules are listed in both targets
    const stack = build(name);
    const sensitive = /^tcp (22|3306|5432|5672|6379|11211)$/;
    const offending = (rules: IngressRule[]) =>
      rules.filter((r) => r.fromCidr !== undefined && ((sensitive.test(r.port) && ['0.0.0.0/0', '::/0'].includes(r.fromCidr)) || r.group.includes('services_')));
    // THEN none opens SSH, a database, a queue or a cache to everyone, and services admit groups only
    expect(offending(heatIngress(heatOf(stack).template))).toEqual([]);
    expect(offending(terraformIngress(terraformOf(stack)))).toEqual([]);
  });
});

describe('fractals', () => {
  const stack = build('fractals');
  const heat = heatOf(stack);
  const tf = terraformOf(stack);

  test('2 to 10 API servers in the pool, 1 to 20 workers', () => {
    expect(heat.resources.api_servers.properties).toMatchObject({ min_size: 2, max_size: 10 });
    expect(heat.resources.workers_servers.properties).toMatchObject({ min_size: 1, max_size: 20 });
    expect(heat.resources.api_servers.properties!.resource.properties.api_lb_listener_pool_pool).toEqual({ get_resource: 'api_lb_listener_pool' });
    expect(embeddedOf(tf, 'api_servers').resources.api_servers.properties).toMatchObject({ min_size: 2, max_size: 10 });
    expect(embeddedOf(tf, 'workers_servers').resources.workers_servers.properties).toMatchObject({ min_size: 1, max_size: 20 });
    expect(embeddedOf(tf, 'api_servers').resource.parameters.api_lb_listener_pool_pool).toBe('${openstack_lb_pool_v2.api_lb_listener_pool.id}');
  });

  test('a Swift container for the images, named in the servers’ configuration', () => {
    expect(hotResourcesOfType(heat.template, 'OS::Swift::Container')).toEqual({ services_files: { type: 'OS::Swift::Container', properties: { name: 'faafo-images', PurgeOnDelete: false } } });
    expect(tf.resources('openstack_objectstorage_container_v1').services_files).toMatchObject({ name: 'faafo-images' });
    expect(heat.resources.api_servers.properties!.resource.properties.user_data.str_replace.params['@@CONTAINER_NAME@@']).toBe('faafo-images');
  });

  test('MySQL opens 3306 to the API group only, RabbitMQ 5672 to the API and worker groups, workers open nothing', () => {
    const expected = [
      { group: 'api_servers_security_group', port: 'tcp 80', fromCidr: '10.0.0.0/24' },
      { group: 'services_database_security_group', port: 'tcp 3306', fromGroup: 'api_servers_security_group' },
      { group: 'services_queue_security_group', port: 'tcp 5672', fromGroup: 'api_servers_security_group' },
      { group: 'services_queue_security_group', port: 'tcp 5672', fromGroup: 'workers_security_group' },
    ];
    expect(heatIngress(heat.template)).toEqual(expected);
    expect(terraformIngress(tf)).toEqual(expected);
  });

  test('the load balancer VIP has the floating IP, exported as the URL', () => {
    expect(heat.resources.api_floating_ip.properties).toEqual({ floating_network: 'public', port_id: { get_attr: ['api_lb', 'vip_port_id'] } });
    expect(tf.json.output.api_url.value).toBe('http://${openstack_networking_floatingip_v2.api_floating_ip.address}');
  });

  test('each role gets the services’ endpoints in faafo.conf, substituted; workers call the API inside', () => {
    const api = heat.resources.api_servers.properties!.resource.properties.user_data.str_replace;
    expect(api.template).toContain('database_url = mysql+pymysql://@@DB_USER@@:@@DB_PASSWORD@@@@@DB_HOST@@:@@DB_PORT@@/@@DB_NAME@@');
    expect(api.params['@@DB_PASSWORD@@']).toEqual({ get_attr: ['services_database_password', 'value'] });
    const worker = embeddedOf(tf, 'workers_servers').userData!;
    expect(worker).toContain('endpoint_url = http://${openstack_lb_loadbalancer_v2.api_lb.vip_address}');
    expect(worker).toContain('transport_url = amqp://app:${var.services_queue_password}@${openstack_compute_instance_v2.services_queue.access_ip_v4}:5672/app');
    expect(worker).not.toContain('@@');
  });

  describe('faafo (retired upstream in 2020) is installed from a pinned commit, failing loudly', () => {
    const cloudConfig = (role: 'api' | 'workers') => {
      const text: string = heat.resources[`${role}_servers`].properties!.resource.properties.user_data.str_replace.template;
      return yaml.load(text.replace(/^#cloud-config\n/, '')) as { runcmd: string[]; write_files: Array<{ path: string; content: string; permissions: string }>; packages: string[] };
    };
    const installerOf = (role: 'api' | 'workers') => cloudConfig(role).write_files.find((f) => f.path === '/usr/local/sbin/install-faafo')!;

    test('the installer downloads the tree of the last commit before the retirement, by hash, and stops at the first error', () => {
      const script = installerOf('api').content;
      expect(FAAFO_COMMIT).toMatch(/^[0-9a-f]{40}$/);
      expect(script.split('\n').slice(0, 5)).toContain('set -euo pipefail');
      expect(script).toContain(`curl -fsSL --retry 5 -o /opt/faafo/faafo.tar.gz https://github.com/openstack/faafo/archive/${FAAFO_COMMIT}.tar.gz`);
      // never a moving branch piped into a shell, never a silent curl
      expect(script).not.toMatch(/\|\s*(ba)?sh\b/);
      expect(script).not.toMatch(/branch\/master|curl -L -s|curl -s/);
      expect(installerOf('api').permissions).toBe('0755');
      expect(installerOf('workers').content).toBe(script);
    });

    test('each role runs the installer, nothing else; faafo.conf keeps the passwords from other users', () => {
      // the API also runs the readiness check last (the example opts in to readiness)
      expect(cloudConfig('api').runcmd).toEqual(['/usr/local/sbin/install-faafo api', ['/bin/sh', '/usr/local/sbin/scaleout-ready']]);
      expect(cloudConfig('workers').runcmd).toEqual(['/usr/local/sbin/install-faafo worker']);
      expect(cloudConfig('api').packages).toEqual(['curl', 'python3-venv', 'python3-swiftclient']);
      expect(cloudConfig('api').write_files.find((f) => f.path === '/etc/faafo/faafo.conf')!.permissions).toBe('0640');
    });

    test('the script is valid bash and refuses an unknown role before touching anything', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-faafo-'));
      try {
        const file = path.join(dir, 'install-faafo');
        fs.writeFileSync(file, installerOf('api').content);
        expect(spawnSync('bash', ['-n', file]).status).toBe(0);
        const run = spawnSync('bash', [file, 'demo'], { encoding: 'utf8' });
        expect(run.status).toBe(2);
        expect(run.stderr).toContain("install-faafo: role must be api or worker, got 'demo'");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('the Python 3 changes are applied by exact text, and each is required', () => {
      const script = installerOf('api').content;
      for (const [file, from, to] of FAAFO_PY3_FIXES) expect(script).toContain(`(${JSON.stringify(file)}, ${JSON.stringify(from)}, ${JSON.stringify(to)}),`);
      expect(script).toContain('sys.exit(f"install-faafo: {name} no longer holds {old!r}")');
      // faafo's own requirements.txt (Pillow==2.4.0, anyjson) is not installed; the bounds are
      for (const dep of FAAFO_PYTHON_DEPENDENCIES) expect(script).toContain(`'${dep}'`);
      expect(script).not.toContain('requirements.txt');
    });
  });

  test("workers scale on the depth of faafo's queue 'normal', which the queue's server publishes", () => {
    // +1 worker per 20 waiting fractals (up to +3 per signal), -1 on an empty queue, read from the publisher's resource
    const alarm = (step: string) => heat.resources[`workers_servers_queue_depth_${step}_alarm`];
    expect(alarm('below1')).toMatchObject({ type: 'OS::Aodh::GnocchiResourcesAlarm', properties: { metric: 'rabbitmq.normal.messages_ready', resource_type: 'generic', comparison_operator: 'lt', threshold: 1 } });
    expect(alarm('above60').properties).toMatchObject({ comparison_operator: 'ge', threshold: 60 });
    expect(policyOf(alarm('above20'))).toEqual(['workers_servers_queue_depth_above20_policy']);
    expect(heat.resources.workers_servers_queue_depth_above60_policy.properties!.scaling_adjustment).toBe(3);
    expect(heat.resources.workers_servers_cpu_high).toBeUndefined();
    // AND the queue's server runs the publisher for that queue; Terraform passes the resource id into the embedded stack
    expect(heat.resources.services_queue.properties!.user_data.str_replace.template).toContain('path: /etc/scaleout/queue-depth.d/normal');
    expect(embeddedOf(tf, 'workers_servers').resource.parameters.workers_servers_rabbitmq_normal_messages_ready_resource).toBe(
      '${join("", reverse(split("-", local.services_queue_queue_depth_resource)))}',
    );
  });
});

describe('web-app', () => {
  const stack = build('web-app');
  const heat = heatOf(stack);
  const tf = terraformOf(stack);

  test('sized for the TV spike: 2 to 20 clones on group-wide CPU alarms (one signal per evaluation): +100 % above 60 %, +200 % saturated, -50 % below 20 %', () => {
    expect(heat.resources.site_api_servers.properties).toMatchObject({ min_size: 2, max_size: 20 });
    const r = heat.resources;
    // no alarm in the member template: the group's alarms read the live members' aggregate
    expect(Object.values(memberOf(heat, 'site_api_servers').resources).filter((x: any) => String(x.type).startsWith('OS::Aodh::'))).toEqual([]);
    expect(policyOf(r.site_api_servers_cpu_high)).toEqual(['site_api_servers_cpu_scale_out']);
    expect(policyOf(r.site_api_servers_cpu_saturated)).toEqual(['site_api_servers_cpu_scale_out_saturated']);
    expect(policyOf(r.site_api_servers_cpu_low)).toEqual(['site_api_servers_cpu_scale_in']);
    expect(r.site_api_servers_cpu_high.properties!.composite_rule.rules.map((x: any) => [x.type, x.comparison_operator, x.threshold])).toEqual([
      ['gnocchi_aggregation_by_resources_threshold', 'gt', 0.6 * 300 * 1e9],
      ['gnocchi_aggregation_by_resources_threshold', 'lt', 0.9 * 300 * 1e9],
    ]);
    expect(r.site_api_servers_cpu_low.properties).toMatchObject({ aggregation_method: 'rate:mean', comparison_operator: 'lt', threshold: 0.2 * 300 * 1e9 });
    expect(JSON.parse(r.site_api_servers_cpu_low.properties!.query.str_replace.template)).toEqual({ and: [{ '=': { server_group: '%stack_id%-site_api_servers' } }, { '=': { ended_at: null } }] });
    const policy = (name: string) => r[name].properties;
    // on the group's aggregate a scale-out waits until the scale-in alarm's 4 points have followed the
    // last joining server's first poll for a period ((4 + 2) x 300 + 60 s), so the steps are bold:
    // +100 %, +200 % saturated
    expect(policy('site_api_servers_cpu_scale_out')).toMatchObject({ adjustment_type: 'percent_change_in_capacity', scaling_adjustment: 100, min_adjustment_step: 1, cooldown: 1860 });
    expect(policy('site_api_servers_cpu_scale_out_saturated')).toMatchObject({ scaling_adjustment: 200, cooldown: 1860 });
    // -50 % from below 20 % leaves the others below 40 %, under the 60 % that would add servers back;
    // on the aggregate scale-in reads two periods more than scale-out (4 x 300 + 60 s)
    expect(policy('site_api_servers_cpu_scale_in')).toMatchObject({ scaling_adjustment: -50, min_adjustment_step: 1, cooldown: 1260 });
    expect(embeddedOf(tf, 'site_api_servers').resources.site_api_servers_cpu_scale_out_saturated.properties!.scaling_adjustment).toBe(200);
  });

  test('sessions in a shared Redis and a database with a read replica, reachable from the web clones only', () => {
    const servers = Object.keys(hotResourcesOfType(heat.template, 'OS::Nova::Server')).sort();
    expect(servers).toEqual(['site_services_cache', 'site_services_database', 'site_services_database_replica1']);
    const fromWeb = heatIngress(heat.template).filter((r) => r.fromGroup === 'site_api_servers_security_group');
    expect(fromWeb).toEqual([
      { group: 'site_services_cache_security_group', port: 'tcp 6379', fromGroup: 'site_api_servers_security_group' },
      { group: 'site_services_database_security_group', port: 'tcp 5432', fromGroup: 'site_api_servers_security_group' },
    ]);
    expect(terraformIngress(tf).filter((r) => r.fromGroup === 'site_api_servers_security_group')).toEqual(fromWeb);
    const params = heat.resources.site_api_servers.properties!.resource.properties.user_data.str_replace.params;
    expect(params['@@DB_READ_HOSTS@@']).toEqual({ get_attr: ['site_services_database_replica1_port_network', 'fixed_ips', 0, 'ip_address'] });
    expect(params['@@CACHE_PASSWORD@@']).toEqual({ get_attr: ['site_services_cache_password', 'value'] });
  });

  test('no message queue and no worker tier', () => {
    expect(Object.values(heat.resources).filter((r: HotResource) => r.type === 'OS::Heat::AutoScalingGroup')).toHaveLength(1);
    expect(heat.resources.site_services_queue).toBeUndefined();
  });
});

describe('existing-network', () => {
  const stack = build('existing-network');
  const heat = heatOf(stack);
  const tf = terraformOf(stack);

  test('creates no network, subnet, router or key pair', () => {
    for (const type of ['OS::Neutron::Net', 'OS::Neutron::Subnet', 'OS::Neutron::Router', 'OS::Neutron::RouterInterface', 'OS::Nova::KeyPair']) {
      expect(hotResourcesOfType(heat.template, type)).toEqual({});
    }
    for (const type of ['openstack_networking_network_v2', 'openstack_networking_subnet_v2', 'openstack_networking_router_v2', 'openstack_compute_keypair_v2']) {
      expect(tf.resources(type)).toEqual({});
    }
  });

  test('names the existing network, subnet and key pair in both targets', () => {
    expect(heat.resources.orders_api_lb.properties!.vip_subnet).toBe('prod-subnet');
    expect(heat.resources.orders_api_servers.properties!.resource.properties).toMatchObject({ network_prod_net: 'prod-net', key_name: 'ops' });
    expect(heat.resources.orders_services_database.properties!.key_name).toBe('ops');
    expect(tf.json.data.openstack_networking_network_v2.prod_net).toMatchObject({ name: 'prod-net' });
    expect(tf.json.data.openstack_networking_subnet_v2.prod_subnet).toMatchObject({ name: 'prod-subnet', network_id: '${data.openstack_networking_network_v2.prod_net.id}' });
    expect(tf.resources('openstack_lb_loadbalancer_v2').orders_api_lb.vip_subnet_id).toBe('${data.openstack_networking_subnet_v2.prod_subnet.id}');
    expect(embeddedOf(tf, 'orders_api_servers').resource.parameters).toMatchObject({ key_name: 'ops', network_prod_net: '${data.openstack_networking_network_v2.prod_net.id}' });
  });

  test('the API port opens to the subnet CIDR only; the workers track 60 % CPU: +10 % from 66 %, +25 % from 75 %, +50 % from 90 %, -45 % below 33 %, -72 % below 16.5 %', () => {
    expect(heatIngress(heat.template).filter((r) => r.group === 'orders_api_servers_security_group')).toEqual([
      { group: 'orders_api_servers_security_group', port: 'tcp 8080', fromCidr: '10.20.0.0/24' },
    ]);
    const r = heat.resources;
    expect(r.orders_workers_servers_cpu_high).toBeUndefined();
    const policies = Object.keys(r).filter((k) => /^orders_workers_servers_cpu_target_.*_policy$/.test(k));
    expect(policies.map((k) => r[k].properties!.scaling_adjustment).sort((a: number, b: number) => a - b)).toEqual([-72, -45, 10, 25, 50]);
    expect(policyOf(r.orders_workers_servers_cpu_target_scale_out_by50_alarm)).toEqual(['orders_workers_servers_cpu_target_scale_out_by50_policy']);
    expect(r.orders_workers_servers_cpu_target_scale_out_by50_alarm.properties).toMatchObject({ comparison_operator: 'ge', threshold: 0.9 * 300 * 1e9 });
    expect(r.orders_workers_servers_cpu_target_scale_in_by45_alarm.properties!.composite_rule.rules.map((x: any) => [x.comparison_operator, x.threshold])).toEqual([
      ['ge', 0.165 * 300 * 1e9],
      ['lt', 0.33 * 300 * 1e9],
    ]);
  });
});
