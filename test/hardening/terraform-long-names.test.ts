/**
 * The built-in Terraform validator reads a resource name of any length: Terraform itself puts no
 * limit on identifiers, so a reference to a 300-character name is declared, not undeclared.
 */
import { TerraformFindingCode, validateTerraformJson } from '../../src';

function docWith(name: string, referenced: string) {
  return {
    terraform: { required_providers: { openstack: { source: 'terraform-provider-openstack/openstack', version: '3.4.0' } } },
    provider: { openstack: [{}] },
    resource: {
      openstack_networking_secgroup_v2: { [name]: { name: 'web' } },
      openstack_networking_secgroup_rule_v2: {
        http: { direction: 'ingress', ethertype: 'IPv4', security_group_id: `\${openstack_networking_secgroup_v2.${referenced}.id}` },
      },
    },
  };
}

describe('Terraform validator: long resource names', () => {
  test.each([255, 256, 257, 300, 2000])('GIVEN a resource named with %i characters WHEN another references it THEN nothing is undeclared', (length) => {
    const name = `sg_${'a'.repeat(length - 3)}`;
    expect(name).toHaveLength(length);
    const findings = validateTerraformJson(docWith(name, name));
    expect(findings.filter((f) => f.code === TerraformFindingCode.UNDECLARED_REFERENCE)).toEqual([]);
  });

  test('GIVEN a reference to a long name that differs in its last character THEN it is still reported as undeclared', () => {
    const name = `sg_${'a'.repeat(297)}`;
    const findings = validateTerraformJson(docWith(name, `${name.slice(0, -1)}b`));
    expect(findings.map((f) => f.code)).toContain(TerraformFindingCode.UNDECLARED_REFERENCE);
  });
});
