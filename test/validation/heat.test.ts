import * as yaml from 'js-yaml';
import { assertValidHot, HotFinding, HotFindingCode, HotValidationError, localCustomConstraintNames, validateHot } from '../../src/validation/heat';
import { LOCAL_CUSTOM_CONSTRAINTS } from '../../src/validation/heat/custom-constraints';

type Doc = Record<string, unknown>;

const load = (text: string): Doc => yaml.load(text) as Doc;

/** A HOT template of the given resources (and optional extra sections). */
function hot(resources: Doc, extra: Doc = {}): Doc {
  return { heat_template_version: '2021-04-16', ...extra, resources };
}

/** `code path` of each finding, for compact assertions. */
function located(findings: readonly HotFinding[]): string[] {
  return findings.map((f) => `${f.code} ${f.path}`);
}

const MEMBER_YAML = `
heat_template_version: 2021-04-16
description: One web server and its load-balancer pool membership.
parameters:
  image: {type: string, description: Image of the server}
  flavor: {type: string, description: Flavor of the server}
  network: {type: string, description: Network to attach to}
  subnet: {type: string, description: Subnet of the pool member}
  pool: {type: string, description: Octavia pool to join}
  security_group: {type: string, description: Security group of the server}
  metadata: {type: json, default: {}, description: Server metadata (metering.server_group)}
resources:
  server:
    type: OS::Nova::Server
    properties:
      image: {get_param: image}
      flavor: {get_param: flavor}
      networks: [{network: {get_param: network}}]
      security_groups: [{get_param: security_group}]
      metadata: {get_param: metadata}
      user_data_format: RAW
  member:
    type: OS::Octavia::PoolMember
    properties:
      pool: {get_param: pool}
      address: {get_attr: [server, first_address]}
      protocol_port: 80
      subnet: {get_param: subnet}
outputs:
  address:
    description: First IP address of the server.
    value: {get_attr: [server, first_address]}
`;

const MAIN_YAML = `
heat_template_version: 2021-04-16
description: Web tier that scales out on CPU load.
parameters:
  image: {type: string, description: Image, constraints: [{custom_constraint: glance.image}]}
  flavor: {type: string, default: m1.small, description: Flavor}
  network: {type: string, description: Network}
  subnet: {type: string, description: Subnet}
  pool: {type: string, description: Octavia pool}
  max_size: {type: number, default: 6, constraints: [{range: {min: 1, max: 20}}], description: Largest group}
resources:
  web_sg:
    type: OS::Neutron::SecurityGroup
    properties:
      name: web
      rules:
        - {protocol: tcp, port_range_min: 80, port_range_max: 80, remote_ip_prefix: 0.0.0.0/0}
        - {protocol: icmp, remote_ip_prefix: 0.0.0.0/0}
  web_asg:
    type: OS::Heat::AutoScalingGroup
    properties:
      min_size: 2
      max_size: {get_param: max_size}
      desired_capacity: 2
      resource:
        type: member.yaml
        properties:
          image: {get_param: image}
          flavor: {get_param: flavor}
          network: {get_param: network}
          subnet: {get_param: subnet}
          pool: {get_param: pool}
          security_group: {get_resource: web_sg}
          metadata: {"metering.server_group": {get_param: "OS::stack_id"}}
  up_policy:
    type: OS::Heat::ScalingPolicy
    properties:
      adjustment_type: change_in_capacity
      auto_scaling_group_id: {get_resource: web_asg}
      cooldown: 60
      scaling_adjustment: 1
  cpu_alarm_high:
    type: OS::Aodh::GnocchiAggregationByResourcesAlarm
    properties:
      description: Scale up when the mean CPU rate is high.
      metric: cpu
      aggregation_method: rate:mean
      granularity: 300
      evaluation_periods: 1
      threshold: 240000000000.0
      resource_type: instance
      comparison_operator: gt
      alarm_actions:
        - {get_attr: [up_policy, signal_url]}
      query:
        str_replace:
          template: '{"=": {"server_group": "stack_id"}}'
          params:
            stack_id: {get_param: "OS::stack_id"}
outputs:
  scale_up_url:
    description: Webhook that adds one server.
    value: {get_attr: [up_policy, signal_url]}
  member_addresses:
    description: Address of every member.
    value: {get_attr: [web_asg, outputs_list, address]}
  first_member:
    description: Address of member 0.
    value: {get_attr: [web_asg, resource.0.address]}
`;

describe('validateHot on a realistic template', () => {
  test('a security group, an AutoScalingGroup of member.yaml, a policy and an alarm give no findings', () => {
    // GIVEN
    const input = { template: load(MAIN_YAML), files: { 'member.yaml': load(MEMBER_YAML) } };

    // WHEN
    const findings = validateHot(input);

    // THEN
    expect(findings).toEqual([]);
    expect(() => assertValidHot(input)).not.toThrow();
  });

  test('an environment with parameters, parameter_defaults and a registry mapping gives no findings', () => {
    // GIVEN
    const template = load(MAIN_YAML);
    const environment = {
      parameters: { image: 'ubuntu-22.04', max_size: 10 },
      parameter_defaults: { network: 'private' },
      resource_registry: { 'My::Web::Member': 'member.yaml' },
    };
    ((template.resources as Doc).web_asg as { properties: { resource: Doc } }).properties.resource.type = 'My::Web::Member';

    // WHEN
    const findings = validateHot({ template, environment, files: { 'member.yaml': load(MEMBER_YAML) } });

    // THEN
    expect(findings).toEqual([]);
  });

  test('a nested template is checked too, and its findings name its file', () => {
    // GIVEN
    const member = load(MEMBER_YAML);
    ((member.resources as Doc).member as { properties: Doc }).properties.protocol_port = 0;

    // WHEN
    const findings = validateHot({ template: load(MAIN_YAML), files: { 'member.yaml': member } });

    // THEN
    expect(findings).toEqual([
      expect.objectContaining({ code: HotFindingCode.VALUE_OUT_OF_RANGE, file: 'member.yaml', path: 'resources.member.properties.protocol_port' }),
    ]);
  });
});

describe('template version and sections', () => {
  test('an unknown heat_template_version is reported', () => {
    // WHEN
    const findings = validateHot({ template: { heat_template_version: '2099-01-01', resources: {} } });

    // THEN
    expect(located(findings)).toEqual(['HOT_UNKNOWN_TEMPLATE_VERSION heat_template_version']);
    expect(findings[0].message).toContain("got '2099-01-01'");
  });

  test('aliases and the Date js-yaml makes of a version are accepted', () => {
    expect(validateHot({ template: { heat_template_version: 'wallaby', resources: {} } })).toEqual([]);
    expect(validateHot({ template: load('heat_template_version: 2018-08-31\nresources: {}') })).toEqual([]);
  });

  test('a section the version does not allow is reported', () => {
    // GIVEN conditions exist only since 2016-10-14
    const template = { heat_template_version: '2015-04-30', resources: {}, conditions: {}, resorces: {} };

    // WHEN
    const findings = validateHot({ template });

    // THEN
    expect(located(findings)).toEqual(['HOT_UNKNOWN_SECTION conditions', 'HOT_UNKNOWN_SECTION resorces']);
    expect(findings[1].message).toContain("did you mean 'resources'?");
  });

  test('a section that must be a map but is not is reported', () => {
    expect(located(validateHot({ template: hot({}, { outputs: ['x'] }) }))).toEqual(['HOT_NOT_A_MAP outputs']);
  });
});

describe('resource types and keys', () => {
  test('an unknown type is reported with a suggestion', () => {
    // WHEN
    const findings = validateHot({ template: hot({ web: { type: 'OS::Nova::Sever', properties: {} } }) });

    // THEN
    expect(located(findings)).toEqual(['HOT_UNKNOWN_RESOURCE_TYPE resources.web.type']);
    expect(findings[0].message).toContain("did you mean 'OS::Nova::Server'?");
  });

  test('a hidden (removed) type is reported', () => {
    const findings = validateHot({ template: hot({ fip: { type: 'OS::Nova::FloatingIP' } }) });
    expect(located(findings)).toEqual(['HOT_HIDDEN_RESOURCE_TYPE resources.fip.type']);
    expect(findings[0].message).toContain('Please use OS::Neutron::FloatingIP instead.');
  });

  test('a resource without type is reported', () => {
    expect(located(validateHot({ template: hot({ web: { properties: {} } }) }))).toEqual(['HOT_MISSING_RESOURCE_TYPE resources.web.type']);
  });

  test('a template type missing from files is reported', () => {
    const findings = validateHot({ template: hot({ m: { type: 'member.yaml' } }) });
    expect(located(findings)).toEqual(['HOT_UNKNOWN_RESOURCE_TYPE resources.m.type']);
    expect(findings[0].message).toContain('is not a key of files');
  });

  test('types mapped in resource_registry and Heat global aliases resolve', () => {
    // GIVEN
    const template = hot({
      a: { type: 'My::Thing', properties: { length: 8 } },
      b: { type: 'OS::Ceilometer::GnocchiAggregationByResourcesAlarm', properties: { metric: 'cpu', query: '{}', resource_type: 'instance', threshold: 1 } },
      c: { type: 'My::Other' },
    });
    const environment = { resource_registry: { 'My::Thing': 'OS::Heat::RandomString', 'My::Other': 'OS::Nova::Sever' } };

    // WHEN
    const findings = validateHot({ template, environment });

    // THEN the mapped type's schema applies, and a broken mapping is reported on both sides
    expect(located(findings)).toEqual(['HOT_UNKNOWN_RESOURCE_TYPE resources.c.type', 'HOT_ENV_UNKNOWN_REGISTRY_TARGET resource_registry.My::Other']);
  });

  test('the member type of an AutoScalingGroup and of a ResourceGroup must exist', () => {
    // GIVEN
    const template = hot({
      asg: { type: 'OS::Heat::AutoScalingGroup', properties: { min_size: 1, max_size: 2, resource: { type: 'OS::Nova::Servr' } } },
      rg: { type: 'OS::Heat::ResourceGroup', properties: { count: 2, resource_def: { type: 'server.yaml' } } },
    });

    // WHEN
    const findings = validateHot({ template });

    // THEN
    expect(located(findings)).toEqual([
      'HOT_UNKNOWN_RESOURCE_TYPE resources.asg.properties.resource.type',
      'HOT_UNKNOWN_RESOURCE_TYPE resources.rg.properties.resource_def.type',
    ]);
  });

  test('the member properties of a group are checked against the member type', () => {
    const template = hot({
      rg: { type: 'OS::Heat::ResourceGroup', properties: { count: 2, resource_def: { type: 'OS::Nova::Server', properties: { image: 'cirros' } } } },
    });
    expect(located(validateHot({ template }))).toEqual(['HOT_REQUIRED_PROPERTY_MISSING resources.rg.properties.resource_def.properties.flavor']);
  });

  test('a resource key the version does not allow is reported', () => {
    const findings = validateHot({ template: hot({ r: { type: 'OS::Heat::RandomString', propertys: {} } }) });
    expect(located(findings)).toEqual(['HOT_UNKNOWN_RESOURCE_KEY resources.r.propertys']);
    expect(findings[0].message).toContain("did you mean 'properties'?");
  });

  test('an unknown deletion_policy is reported', () => {
    const findings = validateHot({ template: hot({ r: { type: 'OS::Heat::RandomString', deletion_policy: 'Keep' } }) });
    expect(located(findings)).toEqual(['HOT_INVALID_DELETION_POLICY resources.r.deletion_policy']);
  });

  test('an update_policy key the type does not declare is reported', () => {
    const template = hot({
      rg: { type: 'OS::Heat::ResourceGroup', properties: { resource_def: { type: 'OS::Heat::RandomString' } }, update_policy: { rolling_update: { max_batch_size: 0 }, batch: {} } },
    });
    expect(located(validateHot({ template }))).toEqual([
      'HOT_UNKNOWN_PROPERTY resources.rg.update_policy.batch',
      'HOT_VALUE_OUT_OF_RANGE resources.rg.update_policy.rolling_update.max_batch_size',
    ]);
  });
});

describe('properties, checked by ajv against Heat schema', () => {
  test('an unknown property is reported with a suggestion', () => {
    const findings = validateHot({ template: hot({ web: { type: 'OS::Nova::Server', properties: { flavor: 'm1', flavour: 'm1' } } }) });
    expect(located(findings)).toEqual(['HOT_UNKNOWN_PROPERTY resources.web.properties.flavour']);
    expect(findings[0].message).toBe("'flavour' is not a property of OS::Nova::Server; did you mean 'flavor'?");
  });

  test('a missing required property is reported at its own path', () => {
    const findings = validateHot({ template: hot({ web: { type: 'OS::Nova::Server', properties: { image: 'cirros' } } }) });
    expect(located(findings)).toEqual(['HOT_REQUIRED_PROPERTY_MISSING resources.web.properties.flavor']);
    expect(findings[0].message).toBe("'flavor' is required by OS::Nova::Server but missing");
  });

  test('a resource without properties still misses its required ones', () => {
    expect(located(validateHot({ template: hot({ web: { type: 'OS::Nova::Server' } }) }))).toEqual(['HOT_REQUIRED_PROPERTY_MISSING resources.web.properties.flavor']);
  });

  test.each([
    ['string', { flavor: ['m1'] }, 'flavor', 'a string'],
    ['map', { flavor: 'm1', metadata: 'x' }, 'metadata', 'a map'],
    ['list', { flavor: 'm1', networks: { network: 'n' } }, 'networks', 'a list'],
    ['boolean', { flavor: 'm1', config_drive: 'yes' }, 'config_drive', 'a boolean (true or false)'],
  ])('a %s property given something else is a type mismatch', (_type, properties, property, text) => {
    const findings = validateHot({ template: hot({ web: { type: 'OS::Nova::Server', properties } }) });
    expect(located(findings)).toEqual([`HOT_TYPE_MISMATCH resources.web.properties.${property}`]);
    expect(findings[0].message).toContain(`must be ${text}, got`);
  });

  test('integers and numbers take numeric strings as Heat does, not other strings or floats for integers', () => {
    const ok = hot({ g: { type: 'OS::Heat::ResourceGroup', properties: { count: '3', resource_def: { type: 'OS::Heat::RandomString', properties: { length: 12 } } } } });
    expect(validateHot({ template: ok })).toEqual([]);
    const bad = hot({ g: { type: 'OS::Heat::ResourceGroup', properties: { count: 'three', resource_def: { type: 'OS::Heat::RandomString', properties: { length: 1.5 } } } } });
    expect(located(validateHot({ template: bad }))).toEqual([
      'HOT_TYPE_MISMATCH resources.g.properties.count',
      'HOT_TYPE_MISMATCH resources.g.properties.resource_def.properties.length',
    ]);
  });

  test('a value outside allowed_values is reported with the allowed values', () => {
    const template = hot({ l: { type: 'OS::Octavia::Listener', properties: { protocol: 'bogus', protocol_port: 80, loadbalancer: 'lb' } } });
    const findings = validateHot({ template });
    expect(located(findings)).toEqual(['HOT_VALUE_NOT_ALLOWED resources.l.properties.protocol']);
    expect(findings[0].message).toMatch(/^'protocol' must be one of TCP, HTTP, HTTPS, .*, got 'bogus'$/);
  });

  test('nested list and map schemas are checked recursively, with indexed paths', () => {
    // GIVEN
    const template = hot({
      sg: {
        type: 'OS::Neutron::SecurityGroup',
        properties: { rules: [{ protocol: 'tcp' }, { port_range_max: 70000, direction: 'sideways', remote_ip_prefix: '10.0.0/24', protcol: 'tcp' }] },
      },
    });

    // WHEN
    const findings = validateHot({ template });

    // THEN
    expect(located(findings)).toEqual([
      'HOT_VALUE_NOT_ALLOWED resources.sg.properties.rules[1].direction',
      'HOT_VALUE_OUT_OF_RANGE resources.sg.properties.rules[1].port_range_max',
      'HOT_UNKNOWN_PROPERTY resources.sg.properties.rules[1].protcol',
      'HOT_VALUE_CUSTOM_CONSTRAINT resources.sg.properties.rules[1].remote_ip_prefix',
    ]);
    expect(findings[1].message).toBe("'port_range_max' must be between 0 and 65535, got 70000");
  });

  test('a length constraint is checked', () => {
    const template = hot({ rg: { type: 'OS::Heat::ResourceGroup', properties: { index_var: '%i', resource_def: { type: 'OS::Heat::RandomString' } } } });
    const findings = validateHot({ template });
    expect(located(findings)).toEqual(['HOT_VALUE_BAD_LENGTH resources.rg.properties.index_var']);
    expect(findings[0].message).toBe("'index_var' must have at least 3 characters, got 2");
  });

  test('an allowed_pattern is checked against the whole string', () => {
    const template = hot({ img: { type: 'OS::Glance::WebImage', properties: { container_format: 'bare', disk_format: 'qcow2', location: 'http://x', kernel_id: 'not-a-uuid' } } });
    expect(located(validateHot({ template }))).toEqual(['HOT_VALUE_PATTERN_MISMATCH resources.img.properties.kernel_id']);
  });

  test('a modulo constraint (of a parameter) is checked', () => {
    const template = hot({}, { heat_template_version: '2017-02-24', parameters: { port: { type: 'number', default: 8081, constraints: [{ modulo: { step: 2, offset: 0 } }] } } });
    const findings = validateHot({ template });
    expect(located(findings)).toEqual(['HOT_VALUE_BAD_MODULO parameters.port.default']);
  });

  test('local custom constraints are checked: net_cidr, ip_addr, mac_addr, cron_expression', () => {
    const template = hot({
      subnet: { type: 'OS::Neutron::Subnet', properties: { network: 'n', cidr: '10.0.0.0/33' } },
      member: { type: 'OS::Octavia::PoolMember', properties: { pool: 'p', protocol_port: 80, address: '10.0.0' } },
      port: { type: 'OS::Neutron::Port', properties: { network: 'n', mac_address: 'fa:16:3e:zz:00:01' } },
      cron: { type: 'OS::Mistral::CronTrigger', properties: { workflow: { name: 'w' }, pattern: '61 * * * *' } },
    });
    expect(located(validateHot({ template }))).toEqual([
      'HOT_VALUE_CUSTOM_CONSTRAINT resources.cron.properties.pattern',
      'HOT_VALUE_CUSTOM_CONSTRAINT resources.member.properties.address',
      'HOT_VALUE_CUSTOM_CONSTRAINT resources.port.properties.mac_address',
      'HOT_VALUE_CUSTOM_CONSTRAINT resources.subnet.properties.cidr',
    ]);
  });

  test.each([
    ['ip_addr', ['10.0.0.1', '::1', 'fe80::1:2'], ['10.0.0', '010.0.0.1', '1.2.3.256', 'host']],
    ['net_cidr', ['10.0.0.0/24', '10.0.0.1/24', '2001:db8::/32'], ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/024', '10.0/8']],
    ['ip_or_cidr', ['10.0.0.1', '10.0.0.0/8'], ['10.0.0.0/x']],
    ['mac_addr', ['fa:16:3e:00:00:01', 'FA-16-3E-00-00-01', 'fa16.3e00.0001'], ['fa:16:3e:00:00', 'gg:16:3e:00:00:01']],
    ['iso_8601', ['2024-01-31', '2024-01-31T12:00:00Z', '2024-01-31 12:00:00+02:00'], ['2024-02-30', '31/01/2024', 'soon']],
    ['cron_expression', ['0 8 * * mon-fri', '*/15 * * * *', '0 0 L * *', '0 0 * * mon#2', '0 0 * * * 30', '@daily', ''], ['61 * * * *', '* * *', '0 8 * * funday', '0 0 ? * *', '*/0 * * * *', '0 0 * * * 30 2030']],
    ['dns_name', ['web.example.org.', 'web'], ['-web.example.org', 'Web.example.org', 'a..b']],
    ['dns_domain', ['example.org.'], ['example.org']],
    ['rel_dns_name', ['web'], ['web.example.org.']],
  ])('custom constraint %s accepts good values and refuses bad ones', (name, good, bad) => {
    const constraint = LOCAL_CUSTOM_CONSTRAINTS[name];
    expect(good.filter((v) => !constraint.check(v))).toEqual([]);
    expect(bad.filter((v) => constraint.check(v))).toEqual([]);
  });

  test('the offline custom constraints are listed', () => {
    expect(localCustomConstraintNames()).toEqual(['cron_expression', 'dns_domain', 'dns_name', 'ip_addr', 'ip_or_cidr', 'iso_8601', 'mac_addr', 'net_cidr', 'rel_dns_name']);
  });

  test('a property Heat has not implemented is reported', () => {
    const template = hot({ i: { type: 'AWS::EC2::Instance', properties: { ImageId: 'cirros', InstanceType: 'm1.small', KernelId: 'k' } } });
    expect(located(validateHot({ template }))).toEqual(['HOT_PROPERTY_NOT_IMPLEMENTED resources.i.properties.KernelId']);
  });

  test('intrinsic functions stand anywhere a value goes and skip the static checks', () => {
    const template = hot(
      {
        sg: {
          type: 'OS::Neutron::SecurityGroup',
          properties: {
            rules: [{ get_param: 'rule' }, { port_range_max: { get_param: 'port' }, protocol: { if: ['is_prod', 'tcp', 'udp'] } }],
            name: { list_join: ['-', [{ get_param: 'OS::stack_name' }, 'sg']] },
          },
        },
        web: { type: 'OS::Nova::Server', properties: { flavor: { get_param: 'flavor' }, networks: { get_param: 'networks' }, metadata: { map_merge: [{ a: 1 }, { b: 2 }] } } },
      },
      { parameters: { rule: { type: 'json' }, port: { type: 'number' }, flavor: { type: 'string' }, networks: { type: 'json' } }, conditions: { is_prod: true } },
    );
    expect(validateHot({ template })).toEqual([]);
  });
});

describe('nested-template resources', () => {
  const server = load(`
heat_template_version: 2021-04-16
parameters:
  flavor: {type: string}
  image: {type: string, default: cirros}
  count: {type: number, default: 1}
resources: {}
outputs:
  ip: {value: 10.0.0.1}
`);

  test('properties must be parameters of the template, and parameters without default must be given', () => {
    // GIVEN
    const template = hot({ s: { type: 'server.yaml', properties: { imag: 'x', count: 'many' } } });

    // WHEN
    const findings = validateHot({ template, files: { 'server.yaml': server } });

    // THEN
    expect(located(findings)).toEqual([
      'HOT_TYPE_MISMATCH resources.s.properties.count',
      'HOT_TEMPLATE_PARAMETER_MISSING resources.s.properties.flavor',
      'HOT_UNKNOWN_TEMPLATE_PARAMETER resources.s.properties.imag',
    ]);
    expect(findings[2].message).toBe("'imag' is not a parameter of server.yaml; did you mean 'image'?");
  });

  test('parameter_defaults of the environment satisfy a nested template parameter', () => {
    const template = hot({ s: { type: 'server.yaml' } });
    expect(validateHot({ template, files: { 'server.yaml': server }, environment: { parameter_defaults: { flavor: 'm1' } } })).toEqual([]);
  });

  test('get_attr on a nested-template resource must name one of its outputs or resource.<name>', () => {
    const template = hot(
      { s: { type: 'server.yaml', properties: { flavor: 'm1' } } },
      { outputs: { ok: { value: { get_attr: ['s', 'ip'] } }, inner: { value: { get_attr: ['s', 'resource.server.first_address'] } }, bad: { value: { get_attr: ['s', 'address'] } } } },
    );
    const findings = validateHot({ template, files: { 'server.yaml': server } });
    expect(located(findings)).toEqual(['HOT_UNKNOWN_ATTRIBUTE outputs.bad.value']);
    expect(findings[0].message).toContain('not an output of server.yaml');
  });
});

describe('references', () => {
  test('get_resource and depends_on must name resources', () => {
    const template = hot({
      a: { type: 'OS::Heat::RandomString', depends_on: ['b', 'c'] },
      b: { type: 'OS::Heat::RandomString', properties: { salt: { get_resource: 'z' } }, depends_on: 'b' },
    });
    expect(located(validateHot({ template }))).toEqual([
      'HOT_UNKNOWN_RESOURCE_REFERENCE resources.a.depends_on[1]',
      'HOT_UNKNOWN_RESOURCE_REFERENCE resources.b.depends_on',
      'HOT_UNKNOWN_RESOURCE_REFERENCE resources.b.properties.salt',
    ]);
  });

  test('get_param must name a declared or pseudo parameter', () => {
    const template = hot(
      { r: { type: 'OS::Heat::RandomString', properties: { salt: { get_param: 'OS::project_id' }, sequence: { get_param: ['seqs', 'first'] } } } },
      { outputs: { o: { value: { get_param: 'nope' } } } },
    );
    expect(located(validateHot({ template }))).toEqual([
      'HOT_UNKNOWN_PARAMETER_REFERENCE outputs.o.value',
      'HOT_UNKNOWN_PARAMETER_REFERENCE resources.r.properties.sequence',
    ]);
  });

  test('get_attr must name a resource and an attribute of its type', () => {
    const template = hot(
      {
        web: { type: 'OS::Nova::Server', properties: { flavor: 'm1' } },
        p: { type: 'OS::Heat::ScalingPolicy', properties: { adjustment_type: 'change_in_capacity', auto_scaling_group_id: 'x', scaling_adjustment: 1 } },
      },
      {
        outputs: {
          a: { value: { get_attr: ['web', 'first_adress'] } },
          b: { value: { get_attr: ['nope', 'x'] } },
          c: { value: { get_attr: ['web', 'show'] } },
          d: { value: { get_attr: ['p', 'signal_url'] } },
        },
      },
    );
    const findings = validateHot({ template });
    expect(located(findings)).toEqual(['HOT_UNKNOWN_ATTRIBUTE outputs.a.value', 'HOT_UNKNOWN_RESOURCE_REFERENCE outputs.b.value']);
    expect(findings[0].message).toContain("did you mean 'first_address'?");
  });

  test('groups answer outputs, outputs_list, refs, current_size and resource.<n>; a ResourceGroup also its members attributes', () => {
    const template = hot(
      {
        asg: { type: 'OS::Heat::AutoScalingGroup', properties: { min_size: 1, max_size: 2, resource: { type: 'OS::Nova::Server', properties: { flavor: 'm1' } } } },
        rg: { type: 'OS::Heat::ResourceGroup', properties: { resource_def: { type: 'OS::Nova::Server', properties: { flavor: 'm1' } } } },
      },
      {
        outputs: {
          a: { value: [{ get_attr: ['asg', 'outputs'] }, { get_attr: ['asg', 'outputs_list', 'first_address'] }, { get_attr: ['asg', 'refs'] }, { get_attr: ['asg', 'current_size'] }, { get_attr: ['asg', 'resource.0.first_address'] }] },
          b: { value: [{ get_attr: ['rg', 'refs_map'] }, { get_attr: ['rg', 'resource.1'] }, { get_attr: ['rg', 'first_address'] }] },
          c: { value: { get_attr: ['rg', 'not_an_attribute'] } },
        },
      },
    );
    expect(located(validateHot({ template }))).toEqual(['HOT_UNKNOWN_ATTRIBUTE outputs.c.value']);
  });

  test('a function of another template version, and a removed one, are reported', () => {
    const template = hot(
      { r: { type: 'OS::Heat::RandomString', properties: { salt: { str_split: [',', 'a,b'] } } } },
      { heat_template_version: '2015-04-30', outputs: { o: { value: { 'Fn::Split': [',', 'a,b'] } } } },
    );
    expect(located(validateHot({ template }))).toEqual(['HOT_REMOVED_FUNCTION outputs.o.value', 'HOT_UNKNOWN_FUNCTION resources.r.properties.salt']);
  });

  test('a function call with arguments of the wrong shape is reported', () => {
    const template = hot({ r: { type: 'OS::Heat::RandomString' } }, { outputs: { o: { value: { get_attr: 'r' } } } });
    expect(located(validateHot({ template }))).toEqual(['HOT_BAD_FUNCTION_ARGUMENTS outputs.o.value']);
  });

  test('conditions referenced by resources, outputs, if and not must exist', () => {
    const template = hot(
      { r: { type: 'OS::Heat::RandomString', condition: 'is_prd', properties: { salt: { if: ['nope', 'a', 'b'] } } } },
      { conditions: { is_prod: { equals: [{ get_param: 'env' }, 'prod'] }, not_prod: { not: 'is_prdo' } }, parameters: { env: { type: 'string' } }, outputs: { o: { value: 1, condition: 'missing' } } },
    );
    const findings = validateHot({ template });
    expect(located(findings)).toEqual([
      'HOT_UNKNOWN_CONDITION conditions.not_prod.not',
      'HOT_UNKNOWN_CONDITION outputs.o.condition',
      'HOT_UNKNOWN_CONDITION resources.r.condition',
      'HOT_UNKNOWN_CONDITION resources.r.properties.salt.if[0]',
    ]);
    expect(findings[2].message).toContain("did you mean 'is_prod'?");
  });

  test('a condition function used as a value function is reported', () => {
    const template = hot({ r: { type: 'OS::Heat::RandomString', properties: { salt: { equals: ['a', 'b'] } } } });
    expect(located(validateHot({ template }))).toEqual(['HOT_UNKNOWN_FUNCTION resources.r.properties.salt']);
  });
});

describe('parameters and outputs', () => {
  test('a parameter type, key or constraint Heat does not know is reported, and so is a bad default', () => {
    const template = hot(
      {},
      {
        parameters: {
          a: { type: 'str' },
          b: { type: 'string', lable: 'B' },
          c: { type: 'string', constraints: [{ allowed: ['x'] }, { custom_constraint: 'nova.flavour' }] },
          d: { type: 'number', default: 'ten' },
          e: { type: 'string', default: 'large', constraints: [{ allowed_values: ['small', 'medium'] }] },
        },
        parameter_groups: [{ label: 'g', parameters: ['a', 'z'] }],
      },
    );
    expect(located(validateHot({ template }))).toEqual([
      'HOT_UNKNOWN_PARAMETER_REFERENCE parameter_groups[0].parameters[1]',
      'HOT_UNKNOWN_PARAMETER_TYPE parameters.a.type',
      'HOT_UNKNOWN_PARAMETER_KEY parameters.b.lable',
      'HOT_UNKNOWN_PARAMETER_CONSTRAINT parameters.c.constraints[0].allowed',
      'HOT_UNKNOWN_PARAMETER_CONSTRAINT parameters.c.constraints[1].custom_constraint',
      'HOT_TYPE_MISMATCH parameters.d.default',
      'HOT_VALUE_NOT_ALLOWED parameters.e.default',
    ]);
  });

  test('an output key the version does not allow and an output without value are reported', () => {
    const template = hot({}, { outputs: { a: { description: 'x', valu: 1 } } });
    expect(located(validateHot({ template }))).toEqual(['HOT_UNKNOWN_OUTPUT_KEY outputs.a.valu', 'HOT_OUTPUT_VALUE_MISSING outputs.a.value']);
  });
});

describe('environment', () => {
  test('unknown sections, unknown parameters, bad values and registry targets are reported', () => {
    // GIVEN
    const template = hot({}, { parameters: { size: { type: 'number' } } });
    const environment = {
      parameters: { size: 'big', colour: 'red' },
      resource_registry: { 'My::Server': 'server.yaml', resources: { web: { 'OS::Nova::Server': 'OS::Nova::Sever', hooks: 'pre-create' } } },
      parameter_defaults: { anything: 1 },
      defaults: {},
    };

    // WHEN
    const findings = validateHot({ template, environment });

    // THEN
    expect(findings.map((f) => `${f.file} ${f.code} ${f.path}`)).toEqual([
      'environment HOT_ENV_UNKNOWN_SECTION defaults',
      'environment HOT_ENV_UNKNOWN_PARAMETER parameters.colour',
      'environment HOT_TYPE_MISMATCH parameters.size',
      'environment HOT_ENV_UNKNOWN_REGISTRY_TARGET resource_registry.My::Server',
      'environment HOT_ENV_UNKNOWN_REGISTRY_TARGET resource_registry.resources.web.OS::Nova::Server',
    ]);
  });
});

describe('release', () => {
  test('an unknown release is refused with the known ones', () => {
    expect(() => validateHot({ template: hot({}), release: '2099.1' })).toThrow(/'release' has no bundled Heat schema, got "2099.1"; use one of 2022\.2, 2024\.1, 2025\.1$/);
  });

  test('GIVEN an OS::Octavia::Listener without loadbalancer and an OS::Aodh::PrometheusAlarm WHEN checked against each release THEN only the 2025.1 dump (Heat 24.0.0) requires the loadbalancer, and only Zed lacks the alarm', () => {
    // GIVEN
    const template = hot({
      listener: { type: 'OS::Octavia::Listener', properties: { protocol: 'HTTP', protocol_port: 80 } },
      alarm: { type: 'OS::Aodh::PrometheusAlarm', properties: { query: 'up', threshold: 1 } },
    });
    // WHEN / THEN
    expect(located(validateHot({ template, release: '2022.2' }))).toEqual(['HOT_UNKNOWN_RESOURCE_TYPE resources.alarm.type']);
    expect(located(validateHot({ template, release: '2024.1' }))).toEqual([]);
    expect(located(validateHot({ template, release: '2025.1' }))).toEqual(['HOT_REQUIRED_PROPERTY_MISSING resources.listener.properties.loadbalancer']);
  });
});

describe('assertValidHot', () => {
  test('throws one error listing every finding', () => {
    // GIVEN
    const template = hot({
      web: { type: 'OS::Nova::Server', properties: { image: 'cirros', flavour: 'm1' } },
      sg: { type: 'OS::Neutron::SecurityGroup', properties: { rules: [{ direction: 'up' }] } },
    });

    // WHEN
    let error: unknown;
    try {
      assertValidHot({ template });
    } catch (e) {
      error = e;
    }

    // THEN
    expect(error).toBeInstanceOf(HotValidationError);
    const message = (error as Error).message;
    expect(message).toContain('HOT template is invalid (3 findings)');
    expect(message).toContain("main: resources.sg.properties.rules[0].direction: 'direction' must be one of ingress, egress, got 'up' [HOT_VALUE_NOT_ALLOWED]");
    expect(message).toContain("main: resources.web.properties.flavor: 'flavor' is required by OS::Nova::Server but missing [HOT_REQUIRED_PROPERTY_MISSING]");
    expect(message).toContain("main: resources.web.properties.flavour: 'flavour' is not a property of OS::Nova::Server; did you mean 'flavor'? [HOT_UNKNOWN_PROPERTY]");
    expect((error as HotValidationError).findings).toHaveLength(3);
  });

  test('findings come in the same order every time', () => {
    const template = hot({ b: { type: 'X::Y' }, a: { type: 'OS::Nova::Server' } }, { zz: 1 });
    const first = validateHot({ template, name: 'web.yaml' });
    expect(validateHot({ template, name: 'web.yaml' })).toEqual(first);
    expect(first.map((f) => `${f.file} ${f.path}`)).toEqual(['web.yaml resources.a.properties.flavor', 'web.yaml resources.b.type', 'web.yaml zz']);
  });
});
