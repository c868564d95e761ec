import {
  TerraformFinding,
  TerraformFindingCode,
  TerraformValidationError,
  assertValidTerraformJson,
  validateTerraformJson,
} from '../../src/validation/terraform';

type Json = Record<string, any>;

/** A realistic cdktf document for a load-balanced web tier with a Heat-managed database stack. */
function webStack(): Json {
  const sg = '${openstack_networking_secgroup_v2.web_sg_A1B2.id}';
  return {
    '//': { metadata: { backend: 'local', stackName: 'web', version: '0.21.0' }, outputs: { web: { lb_vip: 'lb_vip' } } },
    terraform: { required_providers: { openstack: { source: 'terraform-provider-openstack/openstack', version: '~> 3.4' } } },
    provider: { openstack: [{}] },
    variable: {
      image_name: { type: 'string', default: 'ubuntu-24.04', description: 'Glance image of the web servers' },
      scaling_enabled: { type: 'bool', default: true, description: 'Whether the web tier scales out' },
      db_password: { type: 'string', sensitive: true, description: 'Password of the database' },
      tags: { type: 'map(string)', default: { role: 'web' }, description: 'Tags of every server' },
    },
    locals: { common_tags: ['scaleout', 'web'], web_count: '${var.scaling_enabled ? 2 : 1}' },
    data: {
      openstack_networking_network_v2: { ext: { name: 'public', external: true } },
      openstack_images_image_v2: { ubuntu: { name: '${var.image_name}', most_recent: true } },
    },
    resource: {
      openstack_networking_network_v2: {
        net: { name: 'web-net', admin_state_up: true, tags: '${local.common_tags}', '//': { metadata: { path: 'web/net/Resource', uniqueId: 'net' } } },
      },
      openstack_networking_subnet_v2: {
        subnet: {
          name: 'web-subnet',
          network_id: '${openstack_networking_network_v2.net.id}',
          cidr: '10.0.0.0/24',
          ip_version: 4,
          dns_nameservers: ['1.1.1.1', '9.9.9.9'],
          allocation_pool: [{ start: '10.0.0.10', end: '10.0.0.200' }],
        },
      },
      openstack_networking_router_v2: { router: { name: 'web-router', external_network_id: '${data.openstack_networking_network_v2.ext.id}' } },
      openstack_networking_router_interface_v2: {
        router_if: { router_id: '${openstack_networking_router_v2.router.id}', subnet_id: '${openstack_networking_subnet_v2.subnet.id}' },
      },
      openstack_networking_secgroup_v2: { web_sg_A1B2: { name: 'web', description: 'HTTP from the load balancer, SSH from the bastion' } },
      openstack_networking_secgroup_rule_v2: {
        http: {
          direction: 'ingress',
          ethertype: 'IPv4',
          protocol: 'tcp',
          port_range_min: 80,
          port_range_max: 80,
          remote_ip_prefix: '10.0.0.0/24',
          security_group_id: sg,
        },
        ssh: { direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_group_id: sg, security_group_id: sg },
      },
      openstack_compute_instance_v2: {
        web: {
          count: '${local.web_count}',
          name: 'web-${count.index}',
          image_id: '${data.openstack_images_image_v2.ubuntu.id}',
          flavor_name: 'm1.small',
          power_state: 'ACTIVE',
          security_groups: ['${openstack_networking_secgroup_v2.web_sg_A1B2.name}'],
          user_data: '#cloud-config\npackages: [nginx]\nwrite_files:\n  - path: /etc/motd\n    content: "$${HOSTNAME}"\n',
          metadata: { role: '${lookup(var.tags, "role", "web")}' },
          network: [{ uuid: '${openstack_networking_network_v2.net.id}' }],
          depends_on: ['openstack_networking_router_interface_v2.router_if'],
          lifecycle: { create_before_destroy: true, ignore_changes: ['user_data', 'metadata["role"]'] },
        },
      },
      openstack_lb_loadbalancer_v2: { lb: { name: 'web-lb', vip_subnet_id: '${openstack_networking_subnet_v2.subnet.id}' } },
      openstack_lb_listener_v2: { http: { name: 'web-http', protocol: 'HTTP', protocol_port: 80, loadbalancer_id: '${openstack_lb_loadbalancer_v2.lb.id}' } },
      openstack_lb_pool_v2: {
        pool: { protocol: 'HTTP', lb_method: 'ROUND_ROBIN', listener_id: '${openstack_lb_listener_v2.http.id}', persistence: { type: 'HTTP_COOKIE', cookie_name: 'sid' } },
      },
      openstack_lb_monitor_v2: {
        monitor: { pool_id: '${openstack_lb_pool_v2.pool.id}', type: 'HTTP', delay: 5, timeout: 3, max_retries: 3, url_path: '/healthz', expected_codes: '200' },
      },
      openstack_lb_member_v2: {
        web: {
          count: '${length(openstack_compute_instance_v2.web)}',
          pool_id: '${openstack_lb_pool_v2.pool.id}',
          address: '${openstack_compute_instance_v2.web[count.index].network[0].fixed_ip_v4}',
          protocol_port: 80,
          subnet_id: '${openstack_networking_subnet_v2.subnet.id}',
        },
      },
      openstack_networking_floatingip_v2: { vip: { pool: '${data.openstack_networking_network_v2.ext.name}' } },
      openstack_networking_floatingip_associate_v2: {
        vip: { floating_ip: '${openstack_networking_floatingip_v2.vip.address}', port_id: '${openstack_lb_loadbalancer_v2.lb.vip_port_id}' },
      },
      openstack_orchestration_stack_v1: {
        db: {
          name: 'web-db',
          template_opts: { Bin: 'heat_template_version: 2021-04-16\nparameters:\n  password: {type: string, hidden: true}\n  subnet: {type: string}\nresources: {}\n' },
          parameters: { password: '${var.db_password}', subnet: '${openstack_networking_subnet_v2.subnet.id}' },
          disable_rollback: true,
          timeout: 30,
        },
      },
    },
    output: {
      lb_vip: { value: '${openstack_networking_floatingip_v2.vip.address}', description: 'Public address of the load balancer' },
      web_ips: { value: '${openstack_compute_instance_v2.web[*].access_ip_v4}' },
      first_web: { value: '${element(openstack_compute_instance_v2.web.*.id, 0)}' },
      stack: { value: '${jsonencode({ id = openstack_orchestration_stack_v1.db.id, outputs = [for o in openstack_orchestration_stack_v1.db.outputs : o.output_value] })}' },
      db_password: { value: '${var.db_password}', sensitive: true },
    },
  };
}

/** The findings of the web stack after `change` edits it. */
function findingsAfter(change: (doc: Json) => void): TerraformFinding[] {
  const doc = webStack();
  change(doc);
  return validateTerraformJson(doc);
}

/** Code and path of each finding, for targeted assertions. */
function where(findings: readonly TerraformFinding[]): { code: string; path: string }[] {
  return findings.map(({ code, path }) => ({ code, path }));
}

const R = 'resource';
const INSTANCE = `${R}.openstack_compute_instance_v2.web`;

describe('validateTerraformJson', () => {
  describe('valid documents', () => {
    test('a realistic web stack has no findings', () => {
      // GIVEN network, subnet, router + interface, security group + rules, load balancer, floating IP,
      //       counted instances, a Heat stack, variables, locals and outputs
      const doc = webStack();
      // WHEN
      const findings = validateTerraformJson(doc);
      // THEN
      expect(findings).toEqual([]);
    });

    test('template strings stand for any type, and dynamic blocks bring their iterator into scope', () => {
      // GIVEN numbers and enums given as expressions, and blocks given as dynamic blocks, one the
      //       way cdktf writes them (iterator "each"), one with the default iterator (the block name)
      const findings = findingsAfter((doc) => {
        doc.variable.port = { type: 'number', default: 8080 };
        doc.variable.volumes = { type: 'map(string)', default: {} };
        doc.resource.openstack_lb_listener_v2.http.protocol_port = '${var.port}';
        doc.resource.openstack_lb_pool_v2.pool.lb_method = '${upper("round_robin")}';
        const web = doc.resource.openstack_compute_instance_v2.web;
        delete web.network;
        web.dynamic = {
          network: { for_each: '${toset([openstack_networking_network_v2.net.id])}', iterator: 'each', content: { uuid: '${each.value}' } },
          block_device: {
            for_each: '${var.volumes}',
            content: { uuid: '${block_device.value}', source_type: 'volume', destination_type: 'volume', boot_index: '${tonumber(block_device.key)}' },
          },
        };
      });
      // THEN
      expect(findings).toEqual([]);
    });

    test('for_each brings each.key and each.value into scope', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_networking_secgroup_rule_v2.ports = {
          for_each: '${toset(["443", "8443"])}',
          direction: 'ingress',
          ethertype: 'IPv4',
          protocol: 'tcp',
          port_range_min: '${tonumber(each.key)}',
          port_range_max: '${tonumber(each.value)}',
          security_group_id: '${openstack_networking_secgroup_v2.web_sg_A1B2.id}',
        };
      });
      expect(findings).toEqual([]);
    });

    test('resources of another required provider are accepted unchecked', () => {
      const findings = findingsAfter((doc) => {
        doc.terraform.required_providers.random = { source: 'hashicorp/random' };
        doc.resource.random_password = { db: { length: 24 } };
        doc.resource.openstack_orchestration_stack_v1.db.parameters.password = '${random_password.db.result}';
      });
      expect(findings).toEqual([]);
    });
  });

  describe('document outline', () => {
    test('unknown top-level key and output without value', () => {
      const findings = findingsAfter((doc) => {
        doc.resources = {};
        doc.output.empty = { description: 'no value' };
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.DOCUMENT, path: 'output.empty.value' },
        { code: TerraformFindingCode.DOCUMENT, path: 'resources' },
      ]);
      expect(findings[1].message).toContain("did you mean 'resource'?");
    });

    test('invalid resource name', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_networking_secgroup_v2['1st'] = { name: 'x' };
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.INVALID_NAME, path: `${R}.openstack_networking_secgroup_v2["1st"]` }]);
    });
  });

  describe('types', () => {
    test('unknown resource type, with a suggestion', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_compute_instance_v3 = { api: { name: 'api' } };
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.UNKNOWN_RESOURCE_TYPE, path: `${R}.openstack_compute_instance_v3` }]);
      expect(findings[0].message).toContain("did you mean 'openstack_compute_instance_v2'?");
    });

    test('resource of a provider that is not required', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.random_id = { suffix: { byte_length: 4 } };
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.UNKNOWN_RESOURCE_TYPE, path: `${R}.random_id` }]);
    });

    test('unknown data source type', () => {
      const findings = findingsAfter((doc) => {
        doc.data.openstack_networking_netwrok_v2 = { x: { name: 'x' } };
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.UNKNOWN_DATA_SOURCE_TYPE, path: 'data.openstack_networking_netwrok_v2' }]);
    });
  });

  describe('provider schema (ajv)', () => {
    test('unknown argument, with a suggestion', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_compute_instance_v2.web.netwrok = [];
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.UNKNOWN_ARGUMENT, path: `${INSTANCE}.netwrok` }]);
      expect(findings[0].message).toContain("did you mean 'network'?");
    });

    test('unknown argument in a nested block and in the provider block', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_compute_instance_v2.web.network[0].subnet = 'x';
        doc.provider.openstack[0].auth_uri = 'https://keystone.example.com';
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.UNKNOWN_ARGUMENT, path: 'provider.openstack[0].auth_uri' },
        { code: TerraformFindingCode.UNKNOWN_ARGUMENT, path: `${INSTANCE}.network[0].subnet` },
      ]);
    });

    test('missing required attribute, null required attribute and missing required block', () => {
      const findings = findingsAfter((doc) => {
        delete doc.resource.openstack_networking_secgroup_rule_v2.http.direction;
        doc.resource.openstack_networking_secgroup_rule_v2.ssh.ethertype = null;
        doc.resource.openstack_db_instance_v1 = { db: { name: 'db', size: 10, volume_type: 'ssd' } };
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.MISSING_REQUIRED_ARGUMENT, path: `${R}.openstack_db_instance_v1.db.datastore` },
        { code: TerraformFindingCode.MISSING_REQUIRED_ARGUMENT, path: `${R}.openstack_networking_secgroup_rule_v2.http.direction` },
        { code: TerraformFindingCode.MISSING_REQUIRED_ARGUMENT, path: `${R}.openstack_networking_secgroup_rule_v2.ssh.ethertype` },
      ]);
      expect(findings[0].message).toMatch(/^block 'datastore' is required/);
    });

    test('computed-only attribute', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_compute_instance_v2.web.network[0].mac = 'fa:16:3e:00:00:01';
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.COMPUTED_ONLY_ARGUMENT, path: `${INSTANCE}.network[0].mac` }]);
    });

    test('wrong JSON types: string, whole number, list, block', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_lb_listener_v2.http.protocol_port = '80';
        doc.resource.openstack_lb_monitor_v2.monitor.delay = 2.5;
        doc.resource.openstack_compute_instance_v2.web.security_groups = 'web';
        doc.resource.openstack_networking_subnet_v2.subnet.allocation_pool = 'all';
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.INVALID_TYPE, path: `${INSTANCE}.security_groups` },
        { code: TerraformFindingCode.INVALID_TYPE, path: `${R}.openstack_lb_listener_v2.http.protocol_port` },
        { code: TerraformFindingCode.INVALID_TYPE, path: `${R}.openstack_lb_monitor_v2.monitor.delay` },
        { code: TerraformFindingCode.INVALID_TYPE, path: `${R}.openstack_networking_subnet_v2.subnet.allocation_pool` },
      ]);
      expect(findings[2].message).toBe('\'delay\' must be a whole number, got 2.5; write a whole number or a "${...}" expression');
    });

    test('too many blocks', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_lb_pool_v2.pool.persistence = [{ type: 'SOURCE_IP' }, { type: 'HTTP_COOKIE' }];
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.ITEM_COUNT, path: `${R}.openstack_lb_pool_v2.pool.persistence` }]);
      expect(findings[0].message).toBe("'persistence' must have at most 1 block, got 2; remove some");
    });
  });

  describe('constraints.json', () => {
    test('value not in the enum, with a suggestion; enums that ignore case accept any case', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_lb_pool_v2.pool.lb_method = 'ROUND_ROBBIN';
        doc.resource.openstack_compute_instance_v2.web.power_state = 'Shutoff';
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.NOT_IN_ENUM, path: `${R}.openstack_lb_pool_v2.pool.lb_method` }]);
      expect(findings[0].message).toContain("did you mean 'ROUND_ROBIN'?");
    });

    test('number out of range', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_lb_monitor_v2.monitor.max_retries = 11;
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.OUT_OF_RANGE, path: `${R}.openstack_lb_monitor_v2.monitor.max_retries` }]);
      expect(findings[0].message).toBe("'max_retries' must be between 1 and 10, got 11; pick a value in that range");
    });

    test('string format (StringMatch pattern, IP address)', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_networking_network_v2.net.dns_domain = 'example.com';
        doc.resource.openstack_networking_bgp_peer_v2 = { peer: { auth_type: 'none', peer_ip: '10.0.0.300', remote_as: 65000 } };
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.INVALID_FORMAT, path: `${R}.openstack_networking_bgp_peer_v2.peer.peer_ip` },
        { code: TerraformFindingCode.INVALID_FORMAT, path: `${R}.openstack_networking_network_v2.net.dns_domain` },
      ]);
    });

    test('ConflictsWith: reported on both arguments', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_networking_secgroup_rule_v2.http.remote_group_id = '0b2f7d5e-0000-4000-8000-000000000000';
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.CONFLICTS_WITH, path: `${R}.openstack_networking_secgroup_rule_v2.http.remote_group_id` },
        { code: TerraformFindingCode.CONFLICTS_WITH, path: `${R}.openstack_networking_secgroup_rule_v2.http.remote_ip_prefix` },
      ]);
    });

    test('ConflictsWith is skipped when a value is only known at apply time', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_networking_secgroup_rule_v2.http.remote_group_id = '${openstack_networking_secgroup_v2.web_sg_A1B2.id}';
      });
      expect(findings).toEqual([]);
    });

    test('ExactlyOneOf: both set, and none set', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_lb_pool_v2.pool.loadbalancer_id = '${openstack_lb_loadbalancer_v2.lb.id}';
        doc.resource.openstack_lb_pool_v2.pool.loadbalancer_id = 'c0ffee00-0000-4000-8000-000000000000';
        doc.resource.openstack_lb_pool_v2.pool.listener_id = 'c0ffee00-0000-4000-8000-000000000001';
        doc.resource.openstack_lb_pool_v2.orphan = { protocol: 'HTTP', lb_method: 'ROUND_ROBIN' };
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.EXACTLY_ONE_OF, path: `${R}.openstack_lb_pool_v2.orphan` },
        { code: TerraformFindingCode.EXACTLY_ONE_OF, path: `${R}.openstack_lb_pool_v2.pool` },
      ]);
      expect(findings[0].message).toBe("exactly one of 'listener_id', 'loadbalancer_id' must be set, got none; set one of them");
    });

    test('AtLeastOneOf', () => {
      const findings = findingsAfter((doc) => {
        delete doc.resource.openstack_lb_loadbalancer_v2.lb.vip_subnet_id;
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.AT_LEAST_ONE_OF, path: `${R}.openstack_lb_loadbalancer_v2.lb` }]);
    });

    test('RequiredWith', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_lb_listener_v2.http.hsts_preload = true;
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.REQUIRED_WITH, path: `${R}.openstack_lb_listener_v2.http.hsts_preload` }]);
    });
  });

  describe('meta-arguments', () => {
    test('count together with for_each', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_compute_instance_v2.web.for_each = '${toset(["a"])}';
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.COUNT_AND_FOR_EACH, path: INSTANCE }]);
    });

    test('provider meta-argument naming an undeclared alias', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_networking_network_v2.net.provider = 'openstack.west';
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.UNDECLARED_PROVIDER, path: `${R}.openstack_networking_network_v2.net.provider` }]);
    });

    test('depends_on naming an attribute, and an undeclared resource', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_compute_instance_v2.web.depends_on = ['openstack_networking_router_v2.router.id', 'openstack_networking_router_v2.gateway'];
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.INVALID_DEPENDS_ON, path: `${INSTANCE}.depends_on[0]` },
        { code: TerraformFindingCode.UNDECLARED_REFERENCE, path: `${INSTANCE}.depends_on[1]` },
      ]);
    });

    test('ignore_changes naming an attribute the type does not have', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_compute_instance_v2.web.lifecycle.ignore_changes = ['userdata'];
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.UNKNOWN_ATTRIBUTE_REFERENCE, path: `${INSTANCE}.lifecycle.ignore_changes[0]` }]);
    });
  });

  describe('references', () => {
    test('unparsable interpolation', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_networking_network_v2.net.name = 'web-${var.image_name';
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.INVALID_EXPRESSION, path: `${R}.openstack_networking_network_v2.net.name` }]);
    });

    test('undeclared variable, local, resource and data source, inside function calls and nested strings', () => {
      const findings = findingsAfter((doc) => {
        const web = doc.resource.openstack_compute_instance_v2.web;
        web.flavor_name = '${lookup(var.flavors, "web")}';
        web.metadata = { a: '${local.missing}', b: '${format("%s", "${openstack_networking_port_v2.web.id}")}' };
        web.image_id = '${data.openstack_images_image_v2.debian.id}';
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.UNDECLARED_REFERENCE, path: `${INSTANCE}.flavor_name` },
        { code: TerraformFindingCode.UNDECLARED_REFERENCE, path: `${INSTANCE}.image_id` },
        { code: TerraformFindingCode.UNDECLARED_REFERENCE, path: `${INSTANCE}.metadata.a` },
        { code: TerraformFindingCode.UNDECLARED_REFERENCE, path: `${INSTANCE}.metadata.b` },
      ]);
      expect(findings[3].message).toMatch(/^'openstack_networking_port_v2.web.id' points at no declared resource 'openstack_networking_port_v2.web'/);
    });

    test('attribute the referenced type does not have, at the top and in a nested block', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_networking_subnet_v2.subnet.network_id = '${openstack_networking_network_v2.net.uuid}';
        doc.resource.openstack_lb_member_v2.web.address = '${openstack_compute_instance_v2.web[count.index].network[0].fixed_ip}';
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.UNKNOWN_ATTRIBUTE_REFERENCE, path: `${R}.openstack_lb_member_v2.web.address` },
        { code: TerraformFindingCode.UNKNOWN_ATTRIBUTE_REFERENCE, path: `${R}.openstack_networking_subnet_v2.subnet.network_id` },
      ]);
      expect(findings[0].message).toContain("did you mean 'fixed_ip_v4'?");
    });

    test('malformed references: instance keys, set index, count.index out of context', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_lb_member_v2.web.address = '${openstack_compute_instance_v2.web.access_ip_v4}';
        doc.resource.openstack_lb_pool_v2.pool.listener_id = '${openstack_lb_listener_v2.http[0].id}';
        doc.output.sg = { value: '${openstack_compute_instance_v2.web[0].security_groups[0]}' };
        doc.output.index = { value: '${count.index}' };
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.INVALID_REFERENCE, path: 'output.index.value' },
        { code: TerraformFindingCode.INVALID_REFERENCE, path: 'output.sg.value' },
        { code: TerraformFindingCode.INVALID_REFERENCE, path: `${R}.openstack_lb_member_v2.web.address` },
        { code: TerraformFindingCode.INVALID_REFERENCE, path: `${R}.openstack_lb_pool_v2.pool.listener_id` },
      ]);
    });

    test('output showing a sensitive attribute, directly and through a local', () => {
      const findings = findingsAfter((doc) => {
        doc.locals.passwords = '${openstack_compute_instance_v2.web[*].admin_pass}';
        doc.output.admin = { value: '${openstack_compute_instance_v2.web[0].admin_pass}' };
        doc.output.via_local = { value: '${local.passwords}' };
        doc.output.marked = { value: '${local.passwords}', sensitive: true };
      });
      expect(where(findings)).toEqual([
        { code: TerraformFindingCode.SENSITIVE_OUTPUT, path: 'output.admin.value' },
        { code: TerraformFindingCode.SENSITIVE_OUTPUT, path: 'output.via_local.value' },
      ]);
    });

    test('dependency cycle', () => {
      const findings = findingsAfter((doc) => {
        doc.resource.openstack_networking_network_v2.net.description = '${openstack_networking_subnet_v2.subnet.cidr}';
      });
      expect(where(findings)).toEqual([{ code: TerraformFindingCode.DEPENDENCY_CYCLE, path: `${R}.openstack_networking_network_v2.net` }]);
      expect(findings[0].message).toContain('openstack_networking_network_v2.net -> openstack_networking_subnet_v2.subnet -> openstack_networking_network_v2.net');
    });
  });

  test('reports every finding in a deterministic order', () => {
    // GIVEN a document with several problems, written in two different key orders
    const broken = (doc: Json) => {
      doc.resource.openstack_lb_monitor_v2.monitor.max_retries = 0;
      doc.resource.openstack_compute_instance_v2.web.netwrok = [];
      doc.output.bad = { value: '${var.nope}' };
    };
    const a = webStack();
    broken(a);
    const b = JSON.parse(JSON.stringify(a, Object.keys(flatKeys(a)).sort()));
    // WHEN
    const first = validateTerraformJson(a);
    const second = validateTerraformJson(b);
    // THEN
    expect(first.map((f) => f.path)).toEqual(['output.bad.value', `${INSTANCE}.netwrok`, `${R}.openstack_lb_monitor_v2.monitor.max_retries`]);
    expect(second).toEqual(first);
  });

  test('an unknown provider version is a usage error', () => {
    expect(() => validateTerraformJson(webStack(), { providerVersion: '9.9.9' })).toThrow(/'providerVersion' has no schema .*got "9.9.9"; use one of 3.4.0/);
  });
});

describe('assertValidTerraformJson', () => {
  test('passes a valid document', () => {
    expect(() => assertValidTerraformJson(webStack())).not.toThrow();
  });

  test('throws one error listing every finding', () => {
    // GIVEN
    const doc = webStack();
    doc.resource.openstack_lb_pool_v2.pool.lb_method = 'RANDOM';
    doc.output.bad = { value: '${var.nope}' };
    const findings = validateTerraformJson(doc);
    // WHEN
    let error: unknown;
    try {
      assertValidTerraformJson(doc);
    } catch (e) {
      error = e;
    }
    // THEN
    expect(error).toBeInstanceOf(TerraformValidationError);
    const message = (error as Error).message;
    expect(message.split('\n')[0]).toBe('Terraform JSON is invalid (2 findings):');
    for (const f of findings) expect(message).toContain(`${f.path}: ${f.message} [${f.code}]`);
    expect((error as TerraformValidationError).findings).toEqual(findings);
  });
});

/** Every key used anywhere in a JSON value (for re-serialising with sorted keys). */
function flatKeys(value: unknown, keys: Record<string, true> = {}): Record<string, true> {
  if (Array.isArray(value)) value.forEach((v) => flatKeys(v, keys));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      keys[k] = true;
      flatKeys(v, keys);
    }
  }
  return keys;
}
