/**
 * The real `terraform validate` (Terraform CLI + the stand-in OpenStack
 * provider in test/tools/tf-provider-shim) on hand-written cdk.tf.json
 * fixtures and on every stack committed under templates/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findTerraformStacks, terraformValidate, TerraformDiagnostic, TerraformValidateResult } from '../tools/terraform-validate';

const repoRoot = path.resolve(__dirname, '..', '..');
const STACK_FILE = 'cdk.tf.json';

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-tf-fixtures-'));
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A cdk.tf.json shaped like cdktf writes it, with the given `resource` (and optional `data`/`output`) sections. */
function cdktfStack(sections: Record<string, unknown>): Record<string, unknown> {
  return {
    '//': { metadata: { backend: 'local', stackName: 'fixture', version: '0.21.0' } },
    provider: { openstack: [{ region: 'RegionOne' }] },
    terraform: {
      required_providers: {
        openstack: { source: 'terraform-provider-openstack/openstack', version: '~> 3.4' },
      },
    },
    ...sections,
  };
}

interface FixtureResult extends TerraformValidateResult {
  /** The lines of the cdk.tf.json that was validated. */
  lines: string[];
}

/** Writes the stack pretty-printed (as cdktf does, so line numbers mean something) and validates it. */
async function validateFixture(name: string, stack: Record<string, unknown>): Promise<FixtureResult> {
  const dir = path.join(scratch, name);
  const text = JSON.stringify(stack, null, 2);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, STACK_FILE), text);
  return { ...(await terraformValidate(dir)), lines: text.split('\n') };
}

function errors(result: TerraformValidateResult): TerraformDiagnostic[] {
  return result.diagnostics.filter((d) => d.severity === 'error');
}

function format(diagnostics: TerraformDiagnostic[]): string {
  return diagnostics
    .map((d) => `${d.severity}: ${d.summary}${d.filename ? ` (${d.filename}:${d.line})` : ''}${d.detail ? `\n    ${d.detail}` : ''}`)
    .join('\n');
}

/**
 * Whether 1-based `line` lies inside the JSON member that starts on the first
 * line containing `at` (from that line to the line closing it, by indentation).
 */
function isWithin(lines: string[], line: number | undefined, at: string): boolean {
  const start = lines.findIndex((l) => l.includes(at));
  if (start < 0 || line === undefined) return false;
  const indent = (l: string) => l.length - l.trimStart().length;
  let end = start;
  if (/[[{]$/.test(lines[start].trimEnd())) {
    do end++;
    while (end < lines.length - 1 && indent(lines[end]) > indent(lines[start]));
  }
  return line - 1 >= start && line - 1 <= end;
}

/**
 * THEN helper: invalid, with an error whose summary and detail contain the
 * fragments, reported in cdk.tf.json inside the member whose line contains `at`.
 */
function expectRejected(result: FixtureResult, summary: string, detail: string, at: string): void {
  expect(result.valid).toBe(false);
  const match = errors(result).find((d) => d.summary.includes(summary) && (d.detail ?? '').includes(detail));
  if (!match) {
    throw new Error(`expected an error "${summary}" / "${detail}", got:\n${format(result.diagnostics)}`);
  }
  expect(match.filename).toBe(STACK_FILE);
  if (!isWithin(result.lines, match.line, at)) {
    throw new Error(`expected the error inside ${at}, got line ${match.line}: ${result.lines[(match.line ?? 0) - 1]}`);
  }
}

const secgroup = { name: 'web' };
const instance = (extra: Record<string, unknown> = {}) => ({
  name: 'web-0',
  image_name: 'debian-12',
  flavor_name: 'm1.small',
  network: [{ name: 'private' }],
  ...extra,
});

describe('terraform validate with the stand-in OpenStack provider', () => {
  describe('rejects', () => {
    test('an unknown attribute', async () => {
      // GIVEN a security group with a misspelt argument
      const stack = cdktfStack({
        resource: { openstack_networking_secgroup_v2: { web: { ...secgroup, descripton: 'typo' } } },
      });
      // WHEN validated
      const result = await validateFixture('unknown-attribute', stack);
      // THEN Terraform names the argument
      expectRejected(result, 'Extraneous JSON object property', 'No argument or block type is named "descripton"', '"descripton"');
    });

    test('a missing required attribute', async () => {
      // GIVEN a security group rule without its required direction
      const stack = cdktfStack({
        resource: {
          openstack_networking_secgroup_v2: { web: secgroup },
          openstack_networking_secgroup_rule_v2: {
            ssh: { ethertype: 'IPv4', security_group_id: '${openstack_networking_secgroup_v2.web.id}' },
          },
        },
      });
      // WHEN validated
      const result = await validateFixture('missing-required', stack);
      // THEN the missing argument is reported
      expectRejected(result, 'Missing required argument', 'The argument "direction" is required', '"ssh"'); // at its closing brace
    });

    test('an attribute of the wrong type', async () => {
      // GIVEN metadata (a map of strings) given as a string
      const stack = cdktfStack({
        resource: { openstack_compute_instance_v2: { web: instance({ metadata: 'role=web' }) } },
      });
      // WHEN validated
      const result = await validateFixture('wrong-type', stack);
      // THEN the expected type is reported
      expectRejected(result, 'Incorrect attribute value type', 'map of string required', '"metadata": "role=web"');
    });

    test('a block given as an attribute value', async () => {
      // GIVEN the network block written as a plain string
      const stack = cdktfStack({
        resource: { openstack_compute_instance_v2: { web: instance({ network: 'private' }) } },
      });
      // WHEN validated
      const result = await validateFixture('block-as-attribute', stack);
      // THEN Terraform says a block (JSON object or array) was required
      expectRejected(result, 'Incorrect JSON value type', '"network" blocks', '"network": "private"');
    });

    test('an unknown block', async () => {
      // GIVEN a nested block the resource does not have
      const stack = cdktfStack({
        resource: { openstack_compute_instance_v2: { web: instance({ networks: [{ name: 'private' }] }) } },
      });
      // WHEN validated
      const result = await validateFixture('unknown-block', stack);
      // THEN the unknown name is reported
      expectRejected(result, 'Extraneous JSON object property', 'No argument or block type is named "networks"', '"networks"');
    });

    test('too many blocks of a max_items=1 block type', async () => {
      // GIVEN two vendor_options blocks where the schema allows one
      const stack = cdktfStack({
        resource: {
          openstack_compute_instance_v2: {
            web: instance({ vendor_options: [{ ignore_resize_confirmation: true }, { detach_ports_before_destroy: true }] }),
          },
        },
      });
      // WHEN validated
      const result = await validateFixture('too-many-blocks', stack);
      // THEN the block count is reported
      expectRejected(result, 'Too many vendor_options blocks', 'No more than 1 "vendor_options" blocks are allowed', '"vendor_options"');
    });

    test('a reference to an undeclared resource', async () => {
      // GIVEN a rule pointing at a security group that is not in the stack
      const stack = cdktfStack({
        resource: {
          openstack_networking_secgroup_rule_v2: {
            ssh: {
              direction: 'ingress',
              ethertype: 'IPv4',
              security_group_id: '${openstack_networking_secgroup_v2.missing.id}',
            },
          },
        },
      });
      // WHEN validated
      const result = await validateFixture('undeclared-resource', stack);
      // THEN the dangling reference is reported
      expectRejected(
        result,
        'Reference to undeclared resource',
        'A managed resource "openstack_networking_secgroup_v2" "missing" has not been declared',
        'openstack_networking_secgroup_v2.missing.id',
      );
    });

    test('a reference to a nonexistent attribute', async () => {
      // GIVEN a rule reading an attribute security groups do not export
      const stack = cdktfStack({
        resource: {
          openstack_networking_secgroup_v2: { web: secgroup },
          openstack_networking_secgroup_rule_v2: {
            ssh: {
              direction: 'ingress',
              ethertype: 'IPv4',
              security_group_id: '${openstack_networking_secgroup_v2.web.uuid}',
            },
          },
        },
      });
      // WHEN validated
      const result = await validateFixture('nonexistent-attribute', stack);
      // THEN Terraform names the attribute
      expectRejected(result, 'Unsupported attribute', 'named "uuid"', 'openstack_networking_secgroup_v2.web.uuid');
    });

    test('an unknown resource type', async () => {
      // GIVEN a resource type the provider does not have
      const stack = cdktfStack({
        resource: { openstack_compute_server_v2: { web: { name: 'web-0' } } },
      });
      // WHEN validated
      const result = await validateFixture('unknown-resource-type', stack);
      // THEN the type is reported as unsupported by the provider
      expectRejected(result, 'Invalid resource type', 'does not support resource type "openstack_compute_server_v2"', '"openstack_compute_server_v2"');
    });
  });

  test('accepts a valid stack', async () => {
    // GIVEN a security group with a rule, an instance using both, and a Heat stack with template_opts
    const stack = cdktfStack({
      data: { openstack_images_image_v2: { debian: { name: 'debian-12', most_recent: true } } },
      resource: {
        openstack_networking_secgroup_v2: { web: { ...secgroup, description: 'web servers' } },
        openstack_networking_secgroup_rule_v2: {
          http: {
            direction: 'ingress',
            ethertype: 'IPv4',
            protocol: 'tcp',
            port_range_min: 80,
            port_range_max: 80,
            remote_ip_prefix: '0.0.0.0/0',
            security_group_id: '${openstack_networking_secgroup_v2.web.id}',
          },
        },
        openstack_compute_instance_v2: {
          web: {
            name: 'web-0',
            image_id: '${data.openstack_images_image_v2.debian.id}',
            flavor_name: 'm1.small',
            security_groups: ['${openstack_networking_secgroup_v2.web.name}'],
            metadata: { role: 'web' },
            network: [{ name: 'private', fixed_ip_v4: '10.0.0.10' }],
          },
        },
        openstack_orchestration_stack_v1: {
          app: {
            name: 'app',
            template_opts: {
              Bin: JSON.stringify({ heat_template_version: '2021-04-16', resources: {} }),
            },
            parameters: { flavor: 'm1.small', count: '2' },
            disable_rollback: true,
            timeout: 30,
          },
        },
      },
      output: {
        web_ip: { value: '${openstack_compute_instance_v2.web.access_ip_v4}' },
        stack_id: { value: '${openstack_orchestration_stack_v1.app.id}' },
      },
    });
    // WHEN validated
    const result = await validateFixture('valid', stack);
    // THEN it passes with no diagnostics at all
    expect(format(result.diagnostics)).toBe('');
    expect(result.valid).toBe(true);
  });
});

describe('every committed stack', () => {
  const PARALLELISM = 2;

  test(
    'validates with the real Terraform and zero errors',
    async () => {
      // GIVEN every synthesized cdk.tf.json under templates/
      const templates = path.join(repoRoot, 'templates');
      const stacks = findTerraformStacks(templates);
      if (stacks.length === 0) {
        throw new Error(
          `no ${STACK_FILE} found under ${templates}: expected templates/<example>/terraform/${STACK_FILE} ` +
            '(synthesize the examples with `npm run synth`)',
        );
      }

      // WHEN each is validated, at most PARALLELISM at a time
      const failures: string[] = [];
      const queue = [...stacks];
      const worker = async (): Promise<void> => {
        for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
          const result = await terraformValidate(dir);
          if (!result.valid || errors(result).length > 0) {
            failures.push(`${path.relative(repoRoot, dir)}:\n${format(result.diagnostics)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLELISM, stacks.length) }, worker));

      // THEN none has an error diagnostic
      if (failures.length > 0) {
        throw new Error(`${failures.length} of ${stacks.length} stacks failed terraform validate:\n\n${failures.join('\n\n')}`);
      }
    },
    10 * 60 * 1000,
  );
});
