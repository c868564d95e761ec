/**
 * Autohealing: one OS::Aodh::LBMemberHealthAlarm per pool a group serves, in the group's template
 * (Heat's main one, or the stack Terraform embeds), naming the pool, the root stack and the group.
 */
import { ApiTier, App, Duration, Flavor, HealthMonitorType, HttpMethod, Image, ListenerProtocol, LoadBalancer, Stack, VirtualNetwork, Warnings } from '../../../src';
import { AUTOHEALING_ACTION } from '../../../src/constructs/autoscaling/autohealing';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { embeddedOf, errorOf, groupStack, webPool } from './fixture';

const READY = { command: 'curl -fsS http://127.0.0.1:8080/healthz', timeout: Duration.minutes(5) };

/** A group 'Web' with autohealing and readiness, serving pool 'Web' (with an HTTP monitor) on 8080. */
function healedGroup(props: Record<string, unknown> = {}, monitor = true) {
  const g = groupStack();
  const web = g.group({ autohealing: true, readiness: READY, ...props });
  const pool = webPool(g.stack, g.net);
  if (monitor) pool.addHealthMonitor('Health', { type: HealthMonitorType.HTTP, urlPath: '/healthz', httpMethod: HttpMethod.GET });
  web.attachToPool(pool, 8080);
  return { ...g, web, pool };
}

describe('autohealing', () => {
  test('Heat: an LBMemberHealthAlarm on the pool, the root stack and the group, acting once through trust+heat, switched by scaling_enabled', () => {
    // GIVEN a group with autohealing that serves a monitored pool
    const { stack } = healedGroup();
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    // THEN the group's template holds exactly one health alarm with what Aodh's notifier needs
    expect(hotResourcesOfType(heat.template, 'OS::Aodh::LBMemberHealthAlarm')).toEqual({
      web_autohealing_lb_front_web: {
        type: 'OS::Aodh::LBMemberHealthAlarm',
        properties: {
          description: 'Replaces a member of test/Web whose health check fails in pool test/Lb/Front/Web',
          pool: { get_resource: 'lb_front_web' },
          stack: { get_param: 'OS::stack_id' },
          autoscaling_group_id: { get_resource: 'web' },
          alarm_actions: [AUTOHEALING_ACTION],
          repeat_actions: false,
          enabled: { get_param: 'scaling_enabled' },
        },
      },
    });
    expect(AUTOHEALING_ACTION).toBe('trust+heat://');
    // AND the switch is declared and set in the environment
    expect((heat.template.parameters as Record<string, unknown>).scaling_enabled).toMatchObject({ type: 'boolean', default: true });
    expect(heat.environment.parameters).toMatchObject({ scaling_enabled: true });
  });

  test('Terraform: the alarm lives in the embedded stack, on the pool id Terraform passes, and scaling_enabled reaches it', () => {
    const { stack } = healedGroup({ scalingWebhooks: false });
    const tf = terraformOf(stack);
    const embedded = embeddedOf(tf, 'web');
    const alarm = embedded.resources.web_autohealing_lb_front_web;
    expect(alarm.type).toBe('OS::Aodh::LBMemberHealthAlarm');
    expect(alarm.properties).toMatchObject({
      pool: { get_param: 'lb_front_web_pool' },
      stack: { get_param: 'OS::stack_id' },
      autoscaling_group_id: { get_resource: 'web' },
      alarm_actions: ['trust+heat://'],
      enabled: { get_param: 'scaling_enabled' },
    });
    expect(embedded.resource.parameters.lb_front_web_pool).toBe('${openstack_lb_pool_v2.lb_front_web.id}');
    expect(embedded.resource.parameters.scaling_enabled).toBe('${var.scaling_enabled ? "True" : "False"}');
    expect(tf.json.variable.scaling_enabled).toMatchObject({ type: 'bool', default: true });
  });

  test('one alarm per pool the group serves', () => {
    // GIVEN a group that also serves a second monitored pool, on another load balancer
    const { stack, web, net } = healedGroup();
    const admin = new LoadBalancer(stack, 'AdminLb', { vipSubnet: net.subnet }).addListener('Front', { protocol: ListenerProtocol.HTTP, port: 8081 }).addPool('Admin');
    admin.addHealthMonitor('Health', { type: HealthMonitorType.TCP });
    web.attachToPool(admin, 9090);
    // THEN each pool gets its own alarm on its own pool id
    const alarms = hotResourcesOfType(heatOf(stack).template, 'OS::Aodh::LBMemberHealthAlarm');
    expect(Object.fromEntries(Object.entries(alarms).map(([n, a]) => [n, a.properties!.pool]))).toEqual({
      web_autohealing_lb_front_web: { get_resource: 'lb_front_web' },
      web_autohealing_admin_lb_front_admin: { get_resource: 'admin_lb_front_admin' },
    });
    expect(web.autohealing).toBe(true);
  });

  test('off by default on a plain group: no health alarm, no warning', () => {
    const { app, stack, group, net } = groupStack();
    const web = group({ readiness: READY });
    const pool = webPool(stack, net);
    pool.addHealthMonitor('Health', { type: HealthMonitorType.TCP });
    web.attachToPool(pool, 8080);
    expect(web.autohealing).toBe(false);
    expect(hotResourcesOfType(heatOf(stack).template, 'OS::Aodh::LBMemberHealthAlarm')).toEqual({});
    expect(Warnings.of(app)).toEqual([]);
  });

  test('without readiness: rendered, with a warning that a slow member is replaced before it serves', () => {
    const { app, stack } = healedGroup({ readiness: undefined });
    expect(Object.keys(hotResourcesOfType(heatOf(stack).template, 'OS::Aodh::LBMemberHealthAlarm'))).toHaveLength(1);
    expect(Warnings.of(app)).toEqual([
      { path: 'test/Web', id: 'scaleout:autohealing-without-readiness', message: expect.stringContaining('Aodh ignores a new pool member for 120 s') },
    ]);
  });

  test('refused at synth: no pool, or a pool without a health monitor', () => {
    // GIVEN a group with autohealing that joins no pool
    const alone = groupStack();
    alone.group({ autohealing: true, readiness: READY });
    // THEN synthesis fails naming the group and what to do
    expect(errorOf(() => heatOf(alone.stack)).message).toContain(
      "test/Web: 'autohealing' needs the members in a load-balancer pool: call attachToPool(pool, port), or set autohealing: false",
    );
    // GIVEN a group with autohealing on a pool without a monitor
    const unmonitored = healedGroup({}, false);
    // THEN both targets refuse it, naming the pool
    const message = "test/Web: 'autohealing' needs a health monitor on pool test/Lb/Front/Web: Octavia marks a member ERROR only when its health check fails";
    expect(errorOf(() => heatOf(unmonitored.stack)).message).toContain(message);
    expect(errorOf(() => terraformOf(unmonitored.stack)).message).toContain(message);
  });

  test('a monitor added after attachToPool counts', () => {
    const g = groupStack();
    const web = g.group({ autohealing: true, readiness: READY });
    const pool = webPool(g.stack, g.net);
    web.attachToPool(pool, 8080);
    pool.addHealthMonitor('Health', { type: HealthMonitorType.HTTP, urlPath: '/', httpMethod: HttpMethod.GET });
    expect(Object.keys(hotResourcesOfType(heatOf(g.stack).template, 'OS::Aodh::LBMemberHealthAlarm'))).toEqual(['web_autohealing_lb_front_web']);
  });

  test('a non-boolean is refused', () => {
    const { group } = groupStack();
    expect(errorOf(() => group({ autohealing: 'yes' as never })).message).toContain("test/Web: 'autohealing' must be");
  });
});

describe('autohealing in an ApiTier', () => {
  /** An ApiTier 'Api' with `props` on a fresh network; returns its app, stack and tier. */
  function apiTier(props: Record<string, unknown> = {}) {
    const app = new App();
    const stack = new Stack(app, 'test');
    const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
    const api = new ApiTier(stack, 'Api', {
      image: Image.fromName('ubuntu-22.04'),
      flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
      subnet: net.subnet,
      externalNetworkName: 'public',
      maxSize: 4,
      ...props,
    });
    return { app, stack, api };
  }
  const healthAlarms = (stack: Stack) => Object.values(hotResourcesOfType(heatOf(stack).template, 'OS::Aodh::LBMemberHealthAlarm'));

  test('on by default with readiness, on the tier pool (which has its health monitor)', () => {
    const { app, stack, api } = apiTier({ readiness: READY });
    expect(api.group.autohealing).toBe(true);
    expect(healthAlarms(stack).map((a) => a.properties!.pool)).toEqual([{ get_resource: 'api_lb_listener_pool' }]);
    expect(Warnings.of(app).filter((w) => w.id.includes('autohealing'))).toEqual([]);
  });

  test('off by default without readiness; autohealing: false opts out; true without readiness is warned about', () => {
    const plain = apiTier();
    expect(plain.api.group.autohealing).toBe(false);
    expect(healthAlarms(plain.stack)).toEqual([]);
    const optedOut = apiTier({ readiness: READY, autohealing: false });
    expect(healthAlarms(optedOut.stack)).toEqual([]);
    const forced = apiTier({ autohealing: true });
    expect(healthAlarms(forced.stack)).toHaveLength(1);
    // (the CPU alarms' own warning about the group aggregate is not this feature's)
    expect(Warnings.of(forced.app).map((w) => w.id).filter((id) => id.includes('autohealing'))).toEqual(['scaleout:autohealing-without-readiness']);
  });

  test('a non-boolean is refused with the group path', () => {
    expect(errorOf(() => apiTier({ autohealing: 1 })).message).toContain("test/Api/Servers: 'autohealing' must be");
  });
});
