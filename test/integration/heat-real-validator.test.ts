/**
 * OpenStack Heat's own validation (Debian's python3-heat, Heat 19.0.0 = OpenStack Zed (2022.2), driven
 * offline by test/tools/heat_validate.py) on hand-written HOT fixtures and on
 * every Heat template committed under templates/.
 *
 * Never skipped: if Heat cannot run, these tests fail.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findHotTemplates, HeatValidationEntry, HeatValidationResult, validateWithHeat } from '../tools/heat-real-validator';

const repoRoot = path.resolve(__dirname, '..', '..');
const V = "heat_template_version: '2021-04-16'";

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-heat-fixtures-'));
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Writes `files` (name -> text) into a fresh folder under the scratch dir; returns the folder. */
function writeFixture(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

function describeResult(r: HeatValidationResult): string {
  const nested = r.nested.map((n) => `\n    nested ${n.template}: ${n.ok ? 'ok' : n.error}`).join('');
  return `${r.id} (${r.template}): ${r.ok ? 'ok' : r.error}${nested}`;
}

interface RejectionCase {
  what: string;
  files: Record<string, string>;
  /** A fragment of Heat's message. */
  message: string;
  /** When the error comes from the strict, stand-alone validation of this nested template. */
  nested?: string;
}

const MEMBER = `${V}
parameters:
  image: {type: string}
  flavor: {type: string}
  network: {type: string}
  pool: {type: string}
  port: {type: number}
resources:
  server:
    type: OS::Nova::Server
    properties:
      image: {get_param: image}
      flavor: {get_param: flavor}
      networks: [{network: {get_param: network}}]
  member:
    type: OS::Octavia::PoolMember
    properties:
      pool: {get_param: pool}
      address: {get_attr: [server, first_address]}
      protocol_port: {get_param: port}
`;

const REJECTIONS: RejectionCase[] = [
  {
    what: 'an unknown property',
    files: { 'main.yaml': `${V}\nresources:\n  sg: {type: OS::Neutron::SecurityGroup, properties: {nmae: web}}\n` },
    message: 'resources.sg.properties: Unknown Property nmae',
  },
  {
    what: 'a property of the wrong type',
    files: {
      'main.yaml': `${V}
resources:
  sg: {type: OS::Neutron::SecurityGroup}
  rule: {type: OS::Neutron::SecurityGroupRule, properties: {security_group: {get_resource: sg}, port_range_min: eighty}}
`,
    },
    message: "resources.rule.properties.port_range_min: Value 'eighty' is not an integer",
  },
  {
    what: 'a missing required property',
    files: { 'main.yaml': `${V}\nresources:\n  sub: {type: OS::Neutron::Subnet, properties: {cidr: 10.0.0.0/24}}\n` },
    message: 'resources.sub.properties: Property network not assigned',
  },
  {
    what: 'an unknown resource type',
    files: { 'main.yaml': `${V}\nresources:\n  web: {type: OS::Nova::Servr}\n` },
    message: 'The Resource Type (OS::Nova::Servr) could not be found.',
  },
  {
    what: 'an unknown type in resource_registry',
    files: {
      'main.yaml': `${V}\nresources:\n  net: {type: App::Net}\n`,
      'main.env.yaml': 'resource_registry:\n  App::Net: OS::Neutron::Nett\n',
    },
    message: 'The Resource Type (App::Net) could not be found.',
  },
  {
    what: 'a resource_registry entry naming a missing file',
    files: {
      'main.yaml': `${V}\nresources:\n  net: {type: App::Net}\n`,
      'main.env.yaml': 'resource_registry:\n  App::Net: missing.yaml\n',
    },
    message: 'missing.yaml',
  },
  {
    what: 'an unknown member type in an OS::Heat::AutoScalingGroup',
    files: {
      'main.yaml': `${V}
resources:
  asg: {type: OS::Heat::AutoScalingGroup, properties: {min_size: 1, max_size: 2, resource: {type: OS::Nova::Servr}}}
`,
    },
    message: 'The Resource Type (OS::Nova::Servr) could not be found.',
  },
  {
    what: 'a get_attr of an attribute the resource does not have',
    files: { 'main.yaml': `${V}\nresources:\n  net: {type: OS::Neutron::Net}\noutputs:\n  o: {value: {get_attr: [net, no_such_attr]}}\n` },
    message: 'The Referenced Attribute (net no_such_attr) is incorrect.',
  },
  {
    what: 'a get_resource of a missing resource',
    files: {
      'main.yaml': `${V}
resources:
  net: {type: OS::Neutron::Net}
  sub: {type: OS::Neutron::Subnet, properties: {network: {get_resource: nett}, cidr: 10.0.0.0/24}}
`,
    },
    message: 'The specified reference "nett" (in sub.Properties.network) is incorrect.',
  },
  {
    what: 'a get_param of a missing parameter',
    files: { 'main.yaml': `${V}\nresources:\n  net: {type: OS::Neutron::Net, properties: {name: {get_param: nope}}}\n` },
    message: 'The Parameter (nope) was not provided.',
  },
  {
    what: 'a depends_on naming a missing resource',
    files: { 'main.yaml': `${V}\nresources:\n  net: {type: OS::Neutron::Net, depends_on: [ghost]}\n` },
    message: 'The specified reference "ghost" (in net) is incorrect.',
  },
  {
    what: 'a bad heat_template_version',
    files: { 'main.yaml': 'heat_template_version: 2099-01-01\nresources:\n  net: {type: OS::Neutron::Net}\n' },
    message: 'The template version is invalid',
  },
  {
    what: 'a misused intrinsic function (str_replace without params)',
    files: { 'main.yaml': `${V}\nresources:\n  net: {type: OS::Neutron::Net, properties: {name: {str_replace: {template: x}}}}\n` },
    message: 'resources.net.properties.name.str_replace',
  },
  {
    what: 'a security group rule direction that is not an allowed value',
    files: { 'main.yaml': `${V}\nresources:\n  sg: {type: OS::Neutron::SecurityGroup, properties: {rules: [{direction: sideways}]}}\n` },
    message: 'rules[0].direction: "sideways" is not an allowed value ["ingress", "egress"]',
  },
  {
    what: 'an OS::Neutron::SecurityGroupRule protocol that is not an allowed value',
    files: {
      'main.yaml': `${V}
resources:
  sg: {type: OS::Neutron::SecurityGroup}
  rule: {type: OS::Neutron::SecurityGroupRule, properties: {security_group: {get_resource: sg}, protocol: bogus}}
`,
    },
    message: 'resources.rule.properties.protocol: "bogus" is not an allowed value',
  },
  {
    what: 'a bad CIDR',
    files: {
      'main.yaml': `${V}
resources:
  net: {type: OS::Neutron::Net}
  sub: {type: OS::Neutron::Subnet, properties: {network: {get_resource: net}, cidr: 10.0.0.0/33}}
`,
    },
    message: "resources.sub.properties.cidr: Error validating value '10.0.0.0/33': Invalid net cidr",
  },
  {
    what: 'a bad IP address',
    files: {
      'main.yaml': `${V}
resources:
  net: {type: OS::Neutron::Net}
  port: {type: OS::Neutron::Port, properties: {network: {get_resource: net}, fixed_ips: [{ip_address: 10.0.0.300}]}}
`,
    },
    message: "Error validating value '10.0.0.300': Invalid IP address",
  },
  {
    what: 'an environment value outside the parameter range',
    files: {
      'main.yaml': `${V}
parameters:
  count: {type: number, constraints: [{range: {min: 1, max: 5}}]}
resources:
  group: {type: OS::Heat::ResourceGroup, properties: {count: {get_param: count}, resource_def: {type: OS::Neutron::Net}}}
`,
      'main.env.yaml': 'parameters:\n  count: 9\n',
    },
    message: "Parameter 'count' is invalid: 9 is out of range (min: 1, max: 5)",
  },
  {
    what: 'an OS::Heat::AutoScalingGroup with min_size > max_size',
    files: {
      'main.yaml': `${V}
resources:
  asg: {type: OS::Heat::AutoScalingGroup, properties: {min_size: 5, max_size: 2, resource: {type: OS::Neutron::Net}}}
`,
    },
    message: 'MinSize can not be greater than MaxSize',
  },
  {
    what: 'a circular dependency',
    files: {
      'main.yaml': `${V}\nresources:\n  a: {type: OS::Neutron::Net, depends_on: [b]}\n  b: {type: OS::Neutron::Net, depends_on: [a]}\n`,
    },
    message: 'Circular Dependency Found',
  },
  {
    what: 'an unknown property in the member template of an OS::Heat::AutoScalingGroup',
    files: {
      'main.yaml': `${V}
resources:
  asg: {type: OS::Heat::AutoScalingGroup, properties: {min_size: 1, max_size: 2, resource: {type: member.yaml}}}
`,
      'member.yaml': `${V}\nresources:\n  sg: {type: OS::Neutron::SecurityGroup, properties: {descripton: web}}\n`,
    },
    message: 'Unknown Property descripton',
    nested: 'member.yaml',
  },
  {
    // Heat validates a nested stack without property values before creating it: only the
    // stand-alone strict validation of the member template catches this one.
    what: 'a bad CIDR in the member template of an OS::Heat::ResourceGroup',
    files: {
      'main.yaml': `${V}
resources:
  group: {type: OS::Heat::ResourceGroup, properties: {count: 2, resource_def: {type: member.yaml}}}
`,
      'member.yaml': `${V}
resources:
  net: {type: OS::Neutron::Net}
  sub: {type: OS::Neutron::Subnet, properties: {network: {get_resource: net}, cidr: 10.0.0.0/33}}
`,
    },
    message: 'Invalid net cidr',
    nested: 'member.yaml',
  },
  {
    // Heat checks the values an ASG passes to its member template only when it creates a member.
    what: 'a value of the wrong type passed to the member template of an OS::Heat::AutoScalingGroup',
    files: {
      'main.yaml': `${V}
resources:
  asg: {type: OS::Heat::AutoScalingGroup, properties: {min_size: 1, max_size: 2, resource: {type: member.yaml, properties: {port: eighty}}}}
`,
      'member.yaml': `${V}
parameters:
  port: {type: number}
resources:
  sg: {type: OS::Neutron::SecurityGroup, properties: {rules: [{port_range_min: {get_param: port}, port_range_max: {get_param: port}}]}}
`,
    },
    message: "Parameter 'port' is invalid: could not convert string to float: 'eighty'",
    nested: 'member.yaml',
  },
];

describe("Heat's own validator rejects broken templates", () => {
  let results: Map<string, HeatValidationResult>;

  beforeAll(() => {
    // WHEN every fixture is validated in one batch
    const entries: HeatValidationEntry[] = REJECTIONS.map((c, i) => {
      const dir = writeFixture(`reject-${i}`, c.files);
      return {
        id: c.what,
        template: path.join(dir, 'main.yaml'),
        ...(c.files['main.env.yaml'] ? { environment: path.join(dir, 'main.env.yaml') } : {}),
      };
    });
    results = new Map(validateWithHeat(entries).map((r) => [r.id, r]));
  });

  it.each(REJECTIONS.map((c) => [c.what, c] as const))('GIVEN a template with %s WHEN Heat validates it THEN it is rejected', (_what, c) => {
    const r = results.get(c.what);
    expect(r).toBeDefined();
    // THEN not ok, with Heat's message
    expect(r!.ok).toBe(false);
    expect(r!.error).toContain(c.message);
    if (c.nested) {
      const nested = r!.nested.find((n) => path.basename(n.template) === c.nested);
      expect(nested).toBeDefined();
      expect(nested!.ok).toBe(false);
      expect(nested!.error).toContain(c.message);
    }
  });
});

describe("Heat's own validator accepts a valid template", () => {
  it('GIVEN a server, a security group and an ASG whose member has a server and an OS::Octavia::PoolMember WHEN Heat validates it THEN it passes, listing the skipped service constraints', () => {
    // GIVEN
    const dir = writeFixture('valid', {
      'main.yaml': `${V}
parameters:
  image: {type: string, constraints: [{custom_constraint: glance.image}]}
  flavor: {type: string, default: m1.small}
  network: {type: string}
  pool: {type: string}
  port: {type: number, default: 80, constraints: [{range: {min: 1, max: 65535}}]}
  admin_cidr: {type: string}
resources:
  web_sg:
    type: OS::Neutron::SecurityGroup
    properties:
      rules:
        - {protocol: tcp, direction: ingress, port_range_min: 80, port_range_max: 80, remote_ip_prefix: 0.0.0.0/0}
        - {protocol: tcp, direction: ingress, port_range_min: 22, port_range_max: 22, remote_ip_prefix: {get_param: admin_cidr}}
  bastion:
    type: OS::Nova::Server
    properties:
      image: {get_param: image}
      flavor: {get_param: flavor}
      networks: [{network: {get_param: network}}]
      security_groups: [{get_resource: web_sg}]
  web_asg:
    type: OS::Heat::AutoScalingGroup
    properties:
      min_size: 1
      max_size: 3
      resource:
        type: member.yaml
        properties:
          image: {get_param: image}
          flavor: {get_param: flavor}
          network: {get_param: network}
          pool: {get_param: pool}
          port: {get_param: port}
outputs:
  bastion_ip: {value: {get_attr: [bastion, first_address]}}
`,
      'main.env.yaml': 'parameters:\n  image: ubuntu-22.04\n  network: private\n',
      'member.yaml': MEMBER,
    });

    // WHEN
    const [r] = validateWithHeat([{ id: 'valid', template: path.join(dir, 'main.yaml'), environment: path.join(dir, 'main.env.yaml') }]);

    // THEN ok, the member template too, and what needed a service is listed as skipped
    expect(describeResult(r)).toBe(`valid (${path.join(dir, 'main.yaml')}): ok\n    nested ${path.join(dir, 'member.yaml')}: ok`);
    expect(r.error).toBeNull();
    expect(r.skipped_constraints).toEqual(
      expect.arrayContaining([
        'glance.image on parameters.image',
        'nova.flavor on resources.bastion.properties.flavor',
        'neutron.network on resources.bastion.properties.networks.0.network',
        'octavia.pool on resources.member.properties.pool (in member.yaml)',
        'nova.flavor on resources.server.properties.flavor (in member.yaml)',
      ]),
    );
    // parameters with no value got placeholders that satisfy the properties they flow into
    expect(r.placeholders).toEqual({ pool: 'placeholder', admin_cidr: '192.0.2.0/24' });
  });
});

describe('findHotTemplates', () => {
  it('GIVEN heat/ and terraform/ folders WHEN searched THEN finds main templates with environments, embedded templates and template_opts.Bin, and validates the Bin from a temporary file that is removed afterwards', () => {
    // GIVEN
    const root = path.join(scratch, 'templates-root');
    writeFixture(path.join('templates-root', 'web', 'heat'), {
      'web.yaml': `${V}\nresources:\n  net: {type: OS::Neutron::Net}\n`,
      'web.env.yaml': '{}\n',
      'member.yaml': `${V}\nresources: {}\n`,
    });
    const tfDir = writeFixture(path.join('templates-root', 'web', 'terraform'), {
      'member.yaml': `${V}\nresources:\n  sg: {type: OS::Neutron::SecurityGroup}\n`,
      'cdk.tf.json': JSON.stringify({
        resource: {
          openstack_orchestration_stack_v1: {
            good: { name: 'good', template_opts: { Bin: `${V}\nresources:\n  g: {type: OS::Heat::ResourceGroup, properties: {resource_def: {type: member.yaml}}}\n` } },
            broken: { name: 'broken', template_opts: { Bin: `${V}\nresources:\n  sg: {type: OS::Neutron::SecurityGroup, properties: {nmae: x}}\n` } },
            by_file: { name: 'by_file', template_opts: { Bin: '${file("member.yaml")}' } },
          },
        },
      }),
    });

    // WHEN
    const entries = findHotTemplates(root);
    const results = validateWithHeat(entries);

    // THEN
    expect(entries.map((e) => e.id)).toEqual([
      'web/heat/web.yaml',
      'web/terraform/member.yaml',
      'web/terraform/cdk.tf.json#openstack_orchestration_stack_v1.good',
      'web/terraform/cdk.tf.json#openstack_orchestration_stack_v1.broken',
    ]);
    expect(entries[0].environment).toBe(path.join(root, 'web', 'heat', 'web.env.yaml'));
    expect(results.map((r) => [r.id, r.ok])).toEqual([
      ['web/heat/web.yaml', true],
      ['web/terraform/member.yaml', true],
      ['web/terraform/cdk.tf.json#openstack_orchestration_stack_v1.good', true],
      ['web/terraform/cdk.tf.json#openstack_orchestration_stack_v1.broken', false],
    ]);
    expect(results[2].nested.map((n) => n.template)).toEqual([path.join(tfDir, 'member.yaml')]);
    expect(results[3].error).toContain('Unknown Property nmae');
    expect(results[3].template).toContain('cdk.tf.json#/resource/openstack_orchestration_stack_v1/broken/template_opts/Bin');
    expect(fs.readdirSync(tfDir).sort()).toEqual(['cdk.tf.json', 'member.yaml']);
  });
});

describe('validateWithHeat without Heat', () => {
  it('GIVEN no python at the configured path WHEN validating THEN it throws, saying to install python3-heat', () => {
    const saved = process.env.HEAT_VALIDATE_PYTHON;
    process.env.HEAT_VALIDATE_PYTHON = path.join(scratch, 'no-such-python3');
    try {
      expect(() => validateWithHeat([{ id: 'x', template: 'x.yaml' }])).toThrow(/install Debian's python3-heat/);
    } finally {
      if (saved === undefined) delete process.env.HEAT_VALIDATE_PYTHON;
      else process.env.HEAT_VALIDATE_PYTHON = saved;
    }
  });
});

describe('every committed Heat template', () => {
  it('GIVEN the templates under templates/ WHEN Heat validates each of them THEN all pass', () => {
    // GIVEN
    const templatesRoot = path.join(repoRoot, 'templates');
    const entries = findHotTemplates(templatesRoot);
    if (entries.length === 0) {
      throw new Error(
        `No Heat templates were found under ${templatesRoot} (expected templates/<example>/heat/<stack>.env.yaml ` +
          'or templates/<example>/terraform/*.yaml / cdk.tf.json with openstack_orchestration_stack_v1)',
      );
    }

    // WHEN
    const results = validateWithHeat(entries);

    // THEN every one is ok (the failures are printed with Heat's message)
    expect(results.filter((r) => !r.ok).map(describeResult)).toEqual([]);
    expect(results).toHaveLength(entries.length);
  });
});
