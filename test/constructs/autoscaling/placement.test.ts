/**
 * Anti-affinity: an autoscaling group's members spread across hypervisors by default (a
 * soft-anti-affinity Nova server group in their scheduler hints), with opt-out and a strict form.
 */
import { Placement, ServerGroup, ServerGroupPolicy } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { embeddedOf, errorOf, groupStack } from './fixture';

describe('AutoScalingGroup placement', () => {
  test('by default the members join a soft-anti-affinity server group, in Heat', () => {
    // GIVEN a group with no placement
    const { stack, group } = groupStack();
    const web = group();
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    // THEN the main template holds a soft-anti-affinity server group, passed to the member
    expect(heat.resources.web_server_group).toEqual({ type: 'OS::Nova::ServerGroup', properties: { name: 'web_server_group', policies: ['soft-anti-affinity'] } });
    expect(heat.resources.web.properties!.resource.properties.nova_server_group).toEqual({ get_resource: 'web_server_group' });
    // AND each member server names it in its scheduler hints
    const member = heat.files['web_member.yaml'] as Record<string, any>;
    expect(member.parameters.nova_server_group.type).toBe('string');
    expect(member.resources.web_server.properties.scheduler_hints).toEqual({ group: { get_param: 'nova_server_group' } });
    expect(web.serverGroup).toBeInstanceOf(ServerGroup);
    expect((web.serverGroup as ServerGroup).policy.name).toBe('soft-anti-affinity');
  });

  test('by default, in Terraform: a native server group whose id the embedded stack receives', () => {
    // GIVEN a group with no placement
    const { stack, group } = groupStack();
    group();
    // WHEN synthesized to Terraform
    const tf = terraformOf(stack);
    const embedded = embeddedOf(tf, 'web');
    // THEN Terraform creates the server group and passes its id to the orchestration stack
    expect(tf.resources('openstack_compute_servergroup_v2').web_server_group).toMatchObject({ name: 'web_server_group', policies: ['soft-anti-affinity'] });
    expect(embedded.resource.parameters.nova_server_group).toBe('${openstack_compute_servergroup_v2.web_server_group.id}');
    // AND the embedded group forwards the parameter to members that use it as a scheduler hint
    expect(embedded.template.parameters.nova_server_group.type).toBe('string');
    expect(embedded.resources.web.properties!.resource.properties.nova_server_group).toEqual({ get_param: 'nova_server_group' });
    expect(embedded.member.resources.web_server.properties.scheduler_hints).toEqual({ group: { get_param: 'nova_server_group' } });
    // AND the embedded template itself creates no server group
    expect(hotResourcesOfType(embedded.template, 'OS::Nova::ServerGroup')).toEqual({});
  });

  test('Placement.any() opts out: no server group, no hint, no parameter', () => {
    const { stack, group } = groupStack();
    const web = group({ placement: Placement.any() });
    const heat = heatOf(stack);
    expect(hotResourcesOfType(heat.template, 'OS::Nova::ServerGroup')).toEqual({});
    const member = heat.files['web_member.yaml'] as Record<string, any>;
    expect(member.parameters.nova_server_group).toBeUndefined();
    expect(member.resources.web_server.properties.scheduler_hints).toBeUndefined();
    const tf = terraformOf(stack);
    expect(tf.resources('openstack_compute_servergroup_v2')).toEqual({});
    expect(embeddedOf(tf, 'web').resource.parameters.nova_server_group).toBeUndefined();
    expect(web.serverGroup).toBeUndefined();
  });

  test('Placement.strictSpread: hard anti-affinity when maxSize fits on the hosts', () => {
    // GIVEN 4 members on 4 hosts, and 8 members on 4 hosts with 2 per host
    const { stack, group } = groupStack();
    group({ maxSize: 4, placement: Placement.strictSpread({ hosts: 4 }) }, 'One');
    group({ maxSize: 8, placement: Placement.strictSpread({ hosts: 4, maxServerPerHost: 2 }) }, 'Two');
    // WHEN synthesized THEN both targets render anti-affinity (with the per-host rule for the second)
    const heat = heatOf(stack);
    expect(heat.resources.one_server_group.properties).toEqual({ name: 'one_server_group', policies: ['anti-affinity'] });
    expect(heat.resources.two_server_group.properties).toEqual({ name: 'two_server_group', policies: ['anti-affinity'], rules: { max_server_per_host: 2 } });
    const tf = terraformOf(stack).resources('openstack_compute_servergroup_v2');
    expect(tf.one_server_group).toMatchObject({ policies: ['anti-affinity'] });
    expect(tf.two_server_group).toMatchObject({ policies: ['anti-affinity'], rules: { max_server_per_host: 2 } });
  });

  test('Placement.strictSpread refuses a maxSize that cannot fit on the hosts', () => {
    const { group } = groupStack();
    const e = errorOf(() => group({ maxSize: 10, placement: Placement.strictSpread({ hosts: 3 }) }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toBe(
      "test/Web: 'maxSize' needs room for 10 servers, but 'placement' (strict spread) holds at most 3 (3 hosts × 1 per host); a server that finds no free host fails to boot, got 10; lower maxSize, raise hosts or maxServerPerHost, or use Placement.spread() [SO_CONFLICT]",
    );
  });

  test('Placement.inServerGroup: an existing group by id, no new group', () => {
    const { stack, group } = groupStack();
    group({ placement: Placement.inServerGroup(ServerGroup.fromId(stack, 'Existing', 'sg-uuid')) });
    const heat = heatOf(stack);
    expect(hotResourcesOfType(heat.template, 'OS::Nova::ServerGroup')).toEqual({});
    expect(heat.resources.web.properties!.resource.properties.nova_server_group).toBe('sg-uuid');
    expect(embeddedOf(terraformOf(stack), 'web').resource.parameters.nova_server_group).toBe('sg-uuid');
  });

  test('Placement.inServerGroup: a group of the stack, shared', () => {
    const { stack, group } = groupStack();
    const shared = new ServerGroup(stack, 'Shared', { policy: ServerGroupPolicy.antiAffinity() });
    group({ placement: Placement.inServerGroup(shared) });
    expect(heatOf(stack).resources.web.properties!.resource.properties.nova_server_group).toEqual({ get_resource: 'shared' });
  });

  test.each([
    ['a string', 'spread', "'placement' must be"],
    ['zero hosts', Placement.strictSpread({ hosts: 0 }), "'placement.hosts' must be"],
    ['missing hosts', Placement.strictSpread({} as never), "'placement.hosts' is required"],
    ['an unknown option', Placement.strictSpread({ hosts: 2, host: 3 } as never), "'placement.host' is not an option of Placement.strictSpread"],
    ['no group', Placement.inServerGroup(undefined as never), "'placement' needs a server group"],
  ])('%s is refused', (_what, placement, message) => {
    const { group } = groupStack();
    expect(errorOf(() => group({ placement: placement as never })).message).toContain(message);
  });
});
