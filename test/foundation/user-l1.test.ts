/**
 * A user's own L1 resource next to Scaleout constructs in their TerraformStack: the stack's own
 * provider check is the engine's business, so Terraform synthesizes both and Heat refuses the L1
 * by name (not with "resources without a matching provider").
 */
import { TerraformStack, Testing } from 'cdktf';
import { NetworkingSecgroupV2 } from '../../.gen/providers/openstack/networking-secgroup-v2';
import { SecurityGroup, synthesizeHeat } from '../../src';

function mixedStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'mixed');
  new SecurityGroup(stack, 'Web', { description: 'web servers' });
  new NetworkingSecgroupV2(stack, 'AdminSg', { name: 'admin' });
  return stack;
}

describe("a user's own L1 next to Scaleout constructs", () => {
  test('Terraform: one stack holds both, with the one OpenStack provider Scaleout adds', () => {
    // GIVEN a TerraformStack with a Scaleout SecurityGroup and the user's own secgroup L1
    // WHEN synthesized by the engine
    const config = JSON.parse(Testing.synth(mixedStack()));
    // THEN both groups are there and the provider serves them both
    const names = Object.values(config.resource.openstack_networking_secgroup_v2 as Record<string, { name: string }>).map((g) => g.name);
    expect(names).toContain('admin');
    expect(names.length).toBe(2);
    expect(config.provider.openstack).toHaveLength(1);
  });

  test('Heat: the L1 is refused by name', () => {
    // GIVEN the same stack WHEN rendered to Heat THEN the user's L1 is named, not a missing provider
    expect(() => synthesizeHeat(mixedStack())).toThrow(/mixed\/AdminSg.*openstack_networking_secgroup_v2.*Heat target cannot express/);
  });
});
