/**
 * ServerGroup: a Nova placement policy that servers join through `serverGroup`.
 */
import { App, Flavor, Image, Network, Server, ServerGroup, ServerGroupPolicy, Stack } from '../../../src';
import { heatOf, terraformOf } from '../../util/synth';
import { errorOf } from '../../util/errors';

function fresh() {
  const app = new App();
  const stack = new Stack(app, 'test');
  const net = Network.fromName(stack, 'Net', 'private');
  const server = (id: string, props: Partial<ConstructorParameters<typeof Server>[2]>) =>
    new Server(stack, id, { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small'), networks: [net], ...props });
  return { stack, server };
}

describe('server group policies', () => {
  test.each([
    ['antiAffinity', ServerGroupPolicy.antiAffinity(), 'anti-affinity'],
    ['softAntiAffinity', ServerGroupPolicy.softAntiAffinity(), 'soft-anti-affinity'],
    ['affinity', ServerGroupPolicy.affinity(), 'affinity'],
    ['softAffinity', ServerGroupPolicy.softAffinity(), 'soft-affinity'],
  ])('%s renders policies [%s] in both targets', (_name, policy, nova) => {
    // GIVEN a server group with the policy
    const { stack } = fresh();
    new ServerGroup(stack, 'Spread', { policy });
    // WHEN both targets are synthesized THEN the policy is Nova's name, with no rules
    expect(heatOf(stack).resources.spread).toEqual({ type: 'OS::Nova::ServerGroup', properties: { name: 'spread', policies: [nova] } });
    const tf = terraformOf(stack).resources('openstack_compute_servergroup_v2').spread;
    expect(tf).toMatchObject({ name: 'spread', policies: [nova] });
    expect(tf.rules).toBeUndefined();
  });

  test('anti-affinity with maxServerPerHost renders the rule; a name can be given', () => {
    // GIVEN an anti-affinity group allowing two servers per host
    const { stack } = fresh();
    new ServerGroup(stack, 'Spread', { policy: ServerGroupPolicy.antiAffinity({ maxServerPerHost: 2 }), serverGroupName: 'web-spread' });
    // WHEN synthesized THEN both targets carry the max_server_per_host rule
    expect(heatOf(stack).resources.spread.properties).toEqual({ name: 'web-spread', policies: ['anti-affinity'], rules: { max_server_per_host: 2 } });
    expect(terraformOf(stack).resources('openstack_compute_servergroup_v2').spread).toMatchObject({
      name: 'web-spread',
      policies: ['anti-affinity'],
      rules: { max_server_per_host: 2 },
    });
  });
});

describe('servers in a group', () => {
  test('Heat: scheduler_hints.group; Terraform: a scheduler_hints block with the group id', () => {
    // GIVEN two servers in a new group and one in an existing group
    const { stack, server } = fresh();
    const group = new ServerGroup(stack, 'Spread', { policy: ServerGroupPolicy.softAntiAffinity() });
    server('A', { serverGroup: group });
    server('B', { serverGroup: group });
    server('C', { serverGroup: ServerGroup.fromId(stack, 'Existing', 'group-uuid') });
    // WHEN both targets are synthesized
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN each server names its group
    expect(heat.resources.a.properties!.scheduler_hints).toEqual({ group: { get_resource: 'spread' } });
    expect(heat.resources.b.properties!.scheduler_hints).toEqual({ group: { get_resource: 'spread' } });
    expect(heat.resources.c.properties!.scheduler_hints).toEqual({ group: 'group-uuid' });
    const instances = tf.resources('openstack_compute_instance_v2');
    expect(instances.a.scheduler_hints).toEqual([{ group: '${openstack_compute_servergroup_v2.spread.id}' }]);
    expect(instances.c.scheduler_hints).toEqual([{ group: 'group-uuid' }]);
    // AND the existing group creates nothing
    expect(Object.keys(tf.resources('openstack_compute_servergroup_v2'))).toEqual(['spread']);
  });

  test('a server without a group has no scheduler hints', () => {
    const { stack, server } = fresh();
    server('A', {});
    expect(heatOf(stack).resources.a.properties!.scheduler_hints).toBeUndefined();
    expect(terraformOf(stack).resources('openstack_compute_instance_v2').a.scheduler_hints).toBeUndefined();
  });
});

describe('server group validation', () => {
  test.each([
    ['no policy', (s: Stack) => new ServerGroup(s, 'G', {} as never), 'SO_REQUIRED', "test/G: 'policy' is required, got undefined; use ServerGroupPolicy.antiAffinity()"],
    ['a string policy', (s: Stack) => new ServerGroup(s, 'G', { policy: 'anti-affinity' as never }), 'SO_ENUM', "'policy' must be a ServerGroupPolicy, got \"anti-affinity\""],
    ['maxServerPerHost 0', (s: Stack) => new ServerGroup(s, 'G', { policy: ServerGroupPolicy.antiAffinity({ maxServerPerHost: 0 }) }), 'SO_RANGE', "'policy.maxServerPerHost' must be between 1 and 1000, got 0"],
    ['fractional maxServerPerHost', (s: Stack) => new ServerGroup(s, 'G', { policy: ServerGroupPolicy.antiAffinity({ maxServerPerHost: 1.5 }) }), 'SO_RANGE', "'policy.maxServerPerHost' must be an integer"],
    ['an empty name', (s: Stack) => new ServerGroup(s, 'G', { policy: ServerGroupPolicy.affinity(), serverGroupName: '' }), 'SO_EMPTY', "'serverGroupName' must be a non-empty string"],
    ['an empty imported id', (s: Stack) => ServerGroup.fromId(s, 'G', ''), 'SO_EMPTY', "'serverGroupId' must be a non-empty string"],
  ])('%s is refused', (_name, make, code, fragment) => {
    const { stack } = fresh();
    const err = errorOf(() => make(stack));
    expect(err.code).toBe(code);
    expect(err.message).toContain(fragment);
  });
});
