/**
 * MessageQueue: RabbitMQ on a server of its own, with a vhost and a user whose password is
 * generated, guest removed, reachable only from what allowFrom names.
 */
import { MessageQueue } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf, expectNoPasswordLiterals, fixture, hotUserData, setupScript } from './fixture';

describe('a message queue', () => {
  test('Heat: cloud-init installs RabbitMQ, creates the vhost and user, removes guest', () => {
    // GIVEN a queue with a named vhost and user
    const f = fixture();
    const queue = new MessageQueue(f.stack, 'Queue', { ...f.host, vhost: 'faafo', username: 'faafo' });
    // WHEN synthesized to HOT
    const heat = heatOf(f.stack);
    const { text, params } = hotUserData(heat.resources.queue);
    const script = setupScript(text);
    // THEN the broker listens on the private address and loopback and the app user owns the vhost
    expect(text).toContain('- rabbitmq-server');
    expect(script).toContain('listeners.tcp.private = $PRIVATE_IP:5672\nlisteners.tcp.local = 127.0.0.1:5672');
    expect(script).toContain("rabbitmqctl add_vhost 'faafo'");
    expect(script).toContain("rabbitmqctl add_user 'faafo' '@@RABBITMQ_PASSWORD@@'");
    expect(script).toContain("rabbitmqctl set_permissions -p 'faafo' 'faafo' '.*' '.*' '.*'");
    expect(script).toContain('rabbitmqctl delete_user guest');
    expect(params).toEqual({ '@@RABBITMQ_PASSWORD@@': { get_attr: ['queue_password', 'value'] } });
    expect(heat.resources.queue_password.properties!.length).toBe(32);
    // AND the endpoint values
    expect(queue.vhost).toBe('faafo');
    expect(queue.username).toBe('faafo');
    expect(queue.connections.defaultPort!.fromPort).toBe(5672);
  });

  test("defaults: vhost and user 'app'", () => {
    // GIVEN a queue with no names
    const f = fixture();
    const queue = new MessageQueue(f.stack, 'Queue', f.host);
    // WHEN synthesized
    const script = setupScript(hotUserData(heatOf(f.stack).resources.queue).text);
    // THEN both are 'app'
    expect(queue.vhost).toBe('app');
    expect(script).toContain("rabbitmqctl add_user 'app' '@@RABBITMQ_PASSWORD@@'");
  });

  test('Terraform: the user data reads the sensitive variable; no literal password in either output', () => {
    // GIVEN a queue, its host and password exported
    const f = fixture();
    const queue = new MessageQueue(f.stack, 'Queue', f.host);
    f.stack.addOutput('queue_host', { value: queue.host, description: 'broker address' });
    f.stack.addOutput('queue_password', { value: queue.password, description: 'broker password', sensitive: true });
    // WHEN synthesized to Terraform
    const tf = terraformOf(f.stack);
    // THEN the user data reads var.queue_password and the outputs are as asked
    expect(tf.resources('openstack_compute_instance_v2').queue.user_data).toContain("add_user 'app' '${var.queue_password}'");
    expect(tf.json.output.queue_host.value).toBe('${openstack_compute_instance_v2.queue.access_ip_v4}');
    expect(tf.json.output.queue_password.sensitive).toBe(true);
  });

  test('no literal password in either output; Heat refuses a sensitive output instead of showing it', () => {
    // GIVEN a queue whose host is exported
    const f = fixture();
    const queue = new MessageQueue(f.stack, 'Queue', f.host);
    f.stack.addOutput('queue_host', { value: queue.host, description: 'broker address' });
    // THEN neither target holds the password as a literal
    expect(expectNoPasswordLiterals(f.stack, terraformOf(f.stack))).toEqual({ heat: 1, terraform: 1 });
    // WHEN the password is exported as a sensitive output THEN the Heat target refuses it (it cannot hide outputs)
    f.stack.addOutput('queue_password', { value: queue.password, description: 'broker password', sensitive: true });
    const err = errorOf(() => heatOf(f.stack));
    expect(err.code).toBe('SO_UNSUPPORTED');
    expect(err.message).toContain("'sensitive' cannot be honoured for output 'queue_password' in Heat, which cannot hide an output");
  });

  test('no ingress rule until allowed; then a remote-group rule on 5672 only', () => {
    // GIVEN a queue
    const f = fixture();
    const queue = new MessageQueue(f.stack, 'Queue', f.host);
    expect(hotResourcesOfType(heatOf(f.stack).template, 'OS::Neutron::SecurityGroupRule')).toEqual({});
    // WHEN the web server is allowed
    queue.connections.allowDefaultPortFrom(f.web);
    // THEN one rule lets the web group in on 5672
    const rules = Object.values(hotResourcesOfType(heatOf(f.stack).template, 'OS::Neutron::SecurityGroupRule'));
    expect(rules.map((r) => r.properties)).toEqual([
      expect.objectContaining({ security_group: { get_resource: 'queue_security_group' }, port_range_min: 5672, port_range_max: 5672, remote_group: { get_resource: 'web_security_group' } }),
    ]);
    expect(terraformOf(f.stack).resources('openstack_networking_secgroup_rule_v2')).toEqual({
      queue_security_group_ingress_tcp_5672_from_web_security_group: expect.objectContaining({ remote_group_id: '${openstack_networking_secgroup_v2.web_security_group.id}' }),
    });
  });
});

describe('validation', () => {
  test.each<[string, Record<string, unknown>, string, string]>([
    ['a vhost with a slash', { vhost: 'a/b' }, 'SO_FORMAT', "'vhost' must match letters, digits, underscores and dashes"],
    ['an empty vhost', { vhost: '' }, 'SO_EMPTY', "'vhost' must be a non-empty string"],
    ['a user starting with a digit', { username: '1app' }, 'SO_FORMAT', "'username' must match a letter"],
    ['the guest user', { username: 'guest' }, 'SO_CONFLICT', "'username' must not be RabbitMQ's default user"],
    ['a too long user', { username: 'u'.repeat(33) }, 'SO_RANGE', "'username' must be at most 32"],
    ['no networks', { networks: [] }, 'SO_REQUIRED', "'networks' must list at least one network"],
  ])('%s is refused', (_what, override, code, fragment) => {
    // GIVEN a stack
    const f = fixture();
    // WHEN the queue is created with the bad input
    const e = errorOf(() => new MessageQueue(f.stack, 'Queue', { ...f.host, ...override }));
    // THEN the error names the construct, the prop and the rule
    expect(e.code).toBe(code);
    expect(e.message).toContain('test/Queue');
    expect(e.message).toContain(fragment);
  });
});
