/** WorkerTier and WorkerScaling: no public exposure, services wiring, CPU and queue-depth scaling. */
import { CloudConfig, Duration, FloatingIp, GnocchiAggregation, GnocchiQuery, Metric, queueDepthResourceIdOf, Value, Peer, Placement, Port, SERVICE_PLACEHOLDERS, ServicesTier, Warnings, WorkerScaling, WorkerTier, WorkerTierProps } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { embeddedOf, errorOf, heatIngress, IMAGE, memberOf, memberPolicyOf, netStack, policyOf, SMALL, terraformIngress } from './fixture';

function workerStack(props: Partial<WorkerTierProps> = {}) {
  const { app, stack, net } = netStack();
  const workers = new WorkerTier(stack, 'Workers', { image: IMAGE, flavor: SMALL, networks: [net.network], maxSize: 5, ...props });
  return { app, stack, net, workers };
}

describe('WorkerTier exposure', () => {
  test('no ingress rule, no floating IP, no load balancer, no pool membership, in both targets', () => {
    // GIVEN a worker tier using services
    const { stack, net } = netStack();
    const services = new ServicesTier(stack, 'Services', { image: IMAGE, flavor: SMALL, networks: [net.network] });
    new WorkerTier(stack, 'Workers', { image: IMAGE, flavor: SMALL, networks: [net.network], maxSize: 5, services });
    // WHEN synthesized to both targets
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN the only ingress rules are the services admitting the workers' group: none on the workers
    const expected = [
      { group: 'services_database_security_group', port: 'tcp 5432', fromGroup: 'workers_security_group' },
      { group: 'services_queue_security_group', port: 'tcp 5672', fromGroup: 'workers_security_group' },
    ];
    expect(heatIngress(heat.template)).toEqual(expected);
    expect(terraformIngress(tf)).toEqual(expected);
    // AND nothing public exists, and the members join no pool
    for (const type of ['OS::Neutron::FloatingIP', 'OS::Octavia::LoadBalancer', 'OS::Octavia::Listener']) expect(hotResourcesOfType(heat.template, type)).toEqual({});
    const member = heat.files[heat.resources.workers_servers.properties!.resource.type] as Record<string, any>;
    expect(hotResourcesOfType(member, 'OS::Octavia::PoolMember')).toEqual({});
    expect(tf.resources('openstack_networking_floatingip_v2')).toEqual({});
    expect(tf.resources('openstack_lb_loadbalancer_v2')).toEqual({});
    expect(embeddedOf(tf, 'workers_servers').resource.parameters.security_groups).toBe('${openstack_networking_secgroup_v2.workers_security_group.id}');
  });

  test('an ingress rule added to the workers later fails the synthesis', () => {
    // GIVEN a worker tier whose group someone opens to SSH from an admin network
    const { stack, workers } = workerStack();
    workers.securityGroup.addIngressRule(Peer.ipv4('198.51.100.0/24'), Port.tcp(22));
    // WHEN synthesized THEN the validation names the rule
    const e = errorOf(() => heatOf(stack));
    expect(e.code).toBe('SO_USAGE');
    expect(e.message).toContain('workers must accept no inbound traffic, but test/Workers/SecurityGroup lets in tcp 22 from 198.51.100.0/24');
    expect(() => terraformOf(stack)).toThrow('workers must accept no inbound traffic');
  });

  test('a floating IP cannot point at the workers (they are a group, not a server)', () => {
    const { stack, workers } = workerStack();
    const fip = new FloatingIp(stack, 'Fip', { externalNetworkName: 'public' });
    expect(errorOf(() => fip.associateWith(workers.group as never)).message).toContain('must be a floating IP target');
  });
});

describe('WorkerScaling.targetCpu', () => {
  test('GIVEN a tier tracking 50 % WHEN synthesized THEN the group carries the target-tracking bands, per worker on request', () => {
    const { stack } = workerStack({ minSize: 2, scaling: WorkerScaling.targetCpu({ targetPercent: 50, perMember: true }) });
    const heat = heatOf(stack);
    const member = memberOf(heat, 'workers_servers').resources;
    expect(memberPolicyOf(heat.template, 'workers_servers', member.workers_servers_cpu_target_scale_out_by80_alarm)).toEqual(['workers_servers_cpu_target_scale_out_by80_policy']);
    expect(heat.resources.workers_servers_cpu_target_scale_in_by26_policy.properties).toMatchObject({ adjustment_type: 'percent_change_in_capacity', scaling_adjustment: -26 });
  });

  test('GIVEN no target or a tier of 0 workers WHEN built THEN it is refused with the property named', () => {
    expect(errorOf(() => workerStack({ scaling: WorkerScaling.targetCpu({} as any) })).message).toContain("'scaling.targetPercent' is required");
    expect(errorOf(() => workerStack({ scaling: WorkerScaling.targetCpu({ targetPercent: 120 }) })).message).toContain("'scaleToTrackCpu.targetPercent' must be a percentage above 0 and below 100, got 120");
    expect(errorOf(() => workerStack({ minSize: 0, scaling: WorkerScaling.targetCpu({ targetPercent: 50 }) })).message).toContain("'minSize' must be at least 1 with cpu scaling");
  });
});

describe('WorkerScaling.cpu', () => {
  test('is the default: out above 70 %, in below 30 %, on the group aggregate (warned), or per worker on request', () => {
    // GIVEN a tier with defaults, and one whose CPU alarms are per worker
    const { app, stack, workers } = workerStack();
    const heat = heatOf(stack);
    // THEN min 1, and the CPU alarms on the group's aggregate, with the warning that says why that is weak
    expect(workers.scaling.kind).toBe('cpu');
    expect(heat.resources.workers_servers.properties).toMatchObject({ min_size: 1, max_size: 5, cooldown: 300 });
    expect(heat.resources.workers_servers_cpu_low).toMatchObject({ type: 'OS::Aodh::GnocchiAggregationByResourcesAlarm', properties: { threshold: 0.3 * 300 * 1e9 } });
    expect(policyOf(heat.resources.workers_servers_cpu_low)).toEqual(['workers_servers_cpu_scale_in']);
    expect(new Set(Warnings.of(app).map((w) => w.id))).toEqual(new Set(['scaleout:group-rate-alarm']));
    // AND per worker, each worker's alarms signal the group's policies
    const per = workerStack({ scaling: WorkerScaling.cpu({ perMember: true }) });
    const perHeat = heatOf(per.stack);
    const member = memberOf(perHeat, 'workers_servers').resources;
    expect(memberPolicyOf(perHeat.template, 'workers_servers', member.workers_servers_cpu_high)).toEqual(['workers_servers_cpu_scale_out']);
    expect(memberPolicyOf(perHeat.template, 'workers_servers', member.workers_servers_cpu_low)).toEqual(['workers_servers_cpu_scale_in']);
    expect(member.workers_servers_cpu_high.properties!.composite_rule.rules[0].threshold).toBe(0.7 * 300 * 1e9);
    expect(member.workers_servers_cpu_low.properties!.threshold).toBe(0.3 * 300 * 1e9);
    const embedded = embeddedOf(terraformOf(per.stack), 'workers_servers');
    expect(memberPolicyOf(embedded.template, 'workers_servers', embedded.member.resources.workers_servers_cpu_high)).toEqual(['workers_servers_cpu_scale_out']);
  });

  test('the CPU alarms wait 2 periods by default, scale-in as many; overridable', () => {
    // GIVEN a tier with the default CPU scaling, and one with 3 periods
    const defaults = workerStack({ scaling: WorkerScaling.cpu({ perMember: true }) });
    const three = workerStack({ scaling: WorkerScaling.cpu({ evaluationPeriods: 3, perMember: true }) });
    // WHEN synthesized to both targets THEN 2, resp. 3, on the member alarms in Heat and in the Terraform embedding
    for (const [{ stack }, periods] of [[defaults, 2], [three, 3]] as const) {
      const heat = heatOf(stack);
      const embedded = embeddedOf(terraformOf(stack), 'workers_servers').member.resources;
      for (const alarms of [memberOf(heat, 'workers_servers').resources, embedded]) {
        expect(alarms.workers_servers_cpu_saturated.properties!.evaluation_periods).toBe(periods);
        expect(alarms.workers_servers_cpu_low.properties!.evaluation_periods).toBe(periods);
      }
    }
  });

  test('takes its own thresholds and steps', () => {
    const { stack } = workerStack({ scaling: WorkerScaling.cpu({ scaleOutAbovePercent: 80, scaleInBelowPercent: 10, scaleOutBy: 2, scaleInBy: 2, perMember: true }) });
    const heat = heatOf(stack);
    expect(memberOf(heat, 'workers_servers').resources.workers_servers_cpu_high.properties!.threshold).toBe(0.8 * 300 * 1e9);
    expect(heat.resources.workers_servers_cpu_scale_out.properties!.scaling_adjustment).toBe(2);
    expect(heat.resources.workers_servers_cpu_scale_in.properties!.scaling_adjustment).toBe(-2);
  });
});

function queueStack(props: Partial<WorkerTierProps> = {}) {
  const { app, stack, net } = netStack();
  const services = new ServicesTier(stack, 'Services', { image: IMAGE, flavor: SMALL, networks: [net.network] });
  const workers = new WorkerTier(stack, 'Workers', { image: IMAGE, flavor: SMALL, networks: [net.network], maxSize: 5, services, ...props });
  return { app, stack, net, services, workers };
}

/** The reversed-groups id Heat computes from the queue server's id. */
const QUEUE_RESOURCE_ID = { yaql: { expression: "$.data.id.split('-').reverse().join('')", data: { id: { get_resource: 'services_queue' } } } };

describe('WorkerScaling.queueDepth', () => {
  test('compiles to steps: -1 on an empty queue, +1/+2/+3 per multiple of messagesPerWorker', () => {
    // GIVEN a tier scaled on the depth of queue 'tasks', 50 messages per worker
    const { stack, workers } = queueStack({ scaling: WorkerScaling.queueDepth({ queueName: 'tasks', messagesPerWorker: 50 }) });
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    // THEN the steps are those of scaleOnMetric
    expect(workers.scaling).toEqual({
      kind: 'queue-depth',
      steps: [
        { upper: 1, change: -1 },
        { lower: 50, upper: 100, change: 1 },
        { lower: 100, upper: 150, change: 2 },
        { lower: 150, upper: undefined, change: 3 },
      ],
    });
    // AND each step's alarm signals its own policy
    const policy = (step: string) => heat.resources[`workers_servers_queue_depth_${step}_policy`].properties!.scaling_adjustment;
    expect([policy('below1'), policy('above50'), policy('above100'), policy('above150')]).toEqual([-1, 1, 2, 3]);
    for (const step of ['below1', 'above50', 'above100', 'above150']) {
      expect(policyOf(heat.resources[`workers_servers_queue_depth_${step}_alarm`])).toEqual([`workers_servers_queue_depth_${step}_policy`]);
    }
    // AND the open-ended alarms read the publisher's one generic resource (no rate:), bands are composite of the same rule
    expect(heat.resources.workers_servers_queue_depth_below1_alarm).toMatchObject({
      type: 'OS::Aodh::GnocchiResourcesAlarm',
      properties: {
        metric: 'rabbitmq.tasks.messages_ready',
        resource_type: 'generic',
        resource_id: QUEUE_RESOURCE_ID,
        aggregation_method: 'mean',
        granularity: 300,
        comparison_operator: 'lt',
        threshold: 1,
      },
    });
    expect(heat.resources.workers_servers_queue_depth_above150_alarm.properties).toMatchObject({ comparison_operator: 'ge', threshold: 150, resource_id: QUEUE_RESOURCE_ID });
    const band = heat.resources.workers_servers_queue_depth_above50_alarm;
    expect(band.type).toBe('OS::Aodh::CompositeAlarm');
    expect(band.properties!.composite_rule.rules.map((r: any) => [r.type, r.comparison_operator, r.threshold, r.resource_id])).toEqual([
      ['gnocchi_resources_threshold', 'ge', 50, QUEUE_RESOURCE_ID],
      ['gnocchi_resources_threshold', 'lt', 100, QUEUE_RESOURCE_ID],
    ]);
    // AND the CPU pair is not there
    expect(heat.resources.workers_servers_cpu_high).toBeUndefined();
  });

  test("the queue's server runs the publisher with the credential parameters; the secret is hidden", () => {
    // GIVEN a tier on queue 'tasks' WHEN synthesized to HOT
    const { stack } = queueStack({ scaling: WorkerScaling.queueDepth({ queueName: 'tasks', messagesPerWorker: 50 }) });
    const heat = heatOf(stack);
    // THEN the stack takes the application credential as parameters, the secret hidden
    const params = heat.template.parameters as Record<string, any>;
    expect(params.queue_depth_auth_url).toMatchObject({ type: 'string' });
    expect(params.queue_depth_credential_id).toMatchObject({ type: 'string' });
    expect(params.queue_depth_credential_secret).toMatchObject({ type: 'string', hidden: true });
    // AND the queue server's user data installs the publisher, its config (credentials substituted) and its queue
    const userData = heat.resources.services_queue.properties!.user_data.str_replace;
    expect(userData.params['@@QUEUE_DEPTH_CREDENTIAL_SECRET@@']).toEqual({ get_param: 'queue_depth_credential_secret' });
    expect(userData.params['@@QUEUE_DEPTH_AUTH_URL@@']).toEqual({ get_param: 'queue_depth_auth_url' });
    const text: string = userData.template;
    expect(text).toContain('path: /usr/local/sbin/scaleout-queue-depth');
    expect(text).toContain('path: /etc/scaleout/queue-depth.d/tasks');
    expect(text).toContain('rabbitmq.tasks.messages_ready');
    expect(text).toContain('archive_policy = low');
    expect(text).toContain('interval = 60');
    expect(text).toContain('systemctl enable --now scaleout-queue-depth.service');
  });

  test('Terraform: the embedded stack takes the resource id as a parameter computed from the queue server; the credentials are variables', () => {
    // GIVEN a tier on queue 'tasks' WHEN synthesized to Terraform
    const { stack } = queueStack({ scaling: WorkerScaling.queueDepth({ queueName: 'tasks', messagesPerWorker: 50 }) });
    const tf = terraformOf(stack);
    const embedded = embeddedOf(tf, 'workers_servers');
    // THEN the alarms read the parameter, which Terraform fills with the reversed groups of the server id
    expect(embedded.resources.workers_servers_queue_depth_below1_alarm.properties!.resource_id).toEqual({ get_param: 'workers_servers_rabbitmq_tasks_messages_ready_resource' });
    expect(embedded.resource.parameters.workers_servers_rabbitmq_tasks_messages_ready_resource).toBe('${join("", reverse(split("-", local.services_queue_queue_depth_resource)))}');
    expect(tf.json.locals.services_queue_queue_depth_resource).toBe('${openstack_compute_instance_v2.services_queue.id}');
    // AND the credentials are variables, the secret sensitive, substituted into the queue server's user data
    expect(tf.json.variable.queue_depth_credential_secret).toMatchObject({ type: 'string', sensitive: true });
    expect(tf.json.variable.queue_depth_auth_url).toMatchObject({ type: 'string' });
    expect(tf.resources('openstack_compute_instance_v2').services_queue.user_data).toContain('secret = ${var.queue_depth_credential_secret}');
  });

  test('the publisher computes the same resource id as the templates', () => {
    expect(queueDepthResourceIdOf('1b4e28ba-2fa1-11d2-883f-0016a4e4d8c1')).toBe('0016a4e4d8c1883f11d22fa11b4e28ba');
  });

  test('a depth published by the queue server allows minSize 0', () => {
    const { stack } = queueStack({ minSize: 0, scaling: WorkerScaling.queueDepth({ queueName: 'tasks', messagesPerWorker: 10, maxScaleOutStep: 1 }) });
    expect(heatOf(stack).resources.workers_servers.properties!.min_size).toBe(0);
  });

  test("a metric of the user's own writer: one resource, or resources selected by a query", () => {
    // GIVEN a depth the user's own writer posts to a resource it created, and one on resources it creates
    const own = workerStack({ minSize: 0, scaling: WorkerScaling.queueDepth({ metric: Metric.gnocchiResource({ metric: 'queue.depth', resourceId: Value.literal('6c2b2f04-4b6e-4a35-a1a8-8f2d9b0e6c11') }), messagesPerWorker: 10, maxScaleOutStep: 1 }) });
    const many = workerStack({
      minSize: 0,
      scaling: WorkerScaling.queueDepth({ metricName: 'queue.depth', messagesPerWorker: 10, maxScaleOutStep: 1, resourceType: 'generic', query: GnocchiQuery.of({ '=': { name: 'tasks' } }) }),
    });
    // WHEN synthesized THEN the first reads that resource, the second aggregates the query's resources
    expect(heatOf(own.stack).resources.workers_servers_queue_depth_above10_alarm.properties).toMatchObject({ resource_type: 'generic', resource_id: '6c2b2f04-4b6e-4a35-a1a8-8f2d9b0e6c11', metric: 'queue.depth' });
    expect(heatOf(many.stack).resources.workers_servers_queue_depth_above10_alarm.properties).toMatchObject({ resource_type: 'generic', query: '{"=":{"name":"tasks"}}' });
  });

  test("refuses a metric on the workers' instance resources: nothing in the project can write it", () => {
    const e = errorOf(() => queueStack({ scaling: WorkerScaling.queueDepth({ metricName: 'rabbitmq.queue.messages_ready', messagesPerWorker: 100 }) }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toContain("test/Workers/Servers: 'scaling.metricName' would be read from 'instance' resources, which nothing in the project can write");
    expect(e.message).toContain("use queueName: '<queue>'");
  });

  test('queueName needs services with a message queue', () => {
    const none = errorOf(() => workerStack({ scaling: WorkerScaling.queueDepth({ queueName: 'tasks', messagesPerWorker: 10 }) }));
    expect(none.code).toBe('SO_CONFLICT');
    expect(none.message).toContain("'scaling.queueName' needs the tier's 'services'");
    const { stack, net } = netStack();
    const services = new ServicesTier(stack, 'Services', { image: IMAGE, flavor: SMALL, networks: [net.network], messageQueue: false });
    const noQueue = errorOf(() => new WorkerTier(stack, 'Workers', { image: IMAGE, flavor: SMALL, networks: [net.network], maxSize: 5, services, scaling: WorkerScaling.queueDepth({ queueName: 'tasks', messagesPerWorker: 10 }) }));
    expect(noQueue.message).toContain('needs a message queue in test/Services (its messageQueue is false)');
  });

  test('exactly one source of the depth; no rate: aggregation; a granularity the default archive policy keeps', () => {
    const neither = errorOf(() => queueStack({ scaling: WorkerScaling.queueDepth({ messagesPerWorker: 10 }) }));
    expect(neither.code).toBe('SO_REQUIRED');
    expect(neither.message).toContain("'scaling.queueName' is required");
    const both = errorOf(() => queueStack({ scaling: WorkerScaling.queueDepth({ queueName: 'tasks', metricName: 'x', messagesPerWorker: 10 }) }));
    expect(both.code).toBe('SO_CONFLICT');
    expect(both.message).toContain("'scaling.metricName' cannot be given together with 'queueName'");
    const rate = errorOf(() => queueStack({ scaling: WorkerScaling.queueDepth({ queueName: 'tasks', messagesPerWorker: 10, aggregation: GnocchiAggregation.RATE_MEAN }) }));
    expect(rate.message).toContain("'scaling.aggregation' must not be a 'rate:' method");
    const gran = errorOf(() => queueStack({ scaling: WorkerScaling.queueDepth({ queueName: 'tasks', messagesPerWorker: 10, granularity: Duration.seconds(60) }) }));
    expect(gran.message).toContain("'scaling.granularity' is not kept by Gnocchi's built-in archive policy 'low'");
    const name = errorOf(() => queueStack({ scaling: WorkerScaling.queueDepth({ queueName: 'a b', messagesPerWorker: 10 }) }));
    expect(name.message).toContain("'scaling.queueName'");
  });

  test('two tiers on one queue server share its publisher; a different archive policy is refused', () => {
    // GIVEN two worker tiers on two queues of one services tier
    const { stack, net, services } = queueStack({ scaling: WorkerScaling.queueDepth({ queueName: 'tasks', messagesPerWorker: 10 }) });
    new WorkerTier(stack, 'Thumbs', { image: IMAGE, flavor: SMALL, networks: [net.network], maxSize: 5, services, scaling: WorkerScaling.queueDepth({ queueName: 'thumbs', messagesPerWorker: 10 }) });
    // WHEN synthesized THEN one publisher serves both queues
    const text: string = heatOf(stack).resources.services_queue.properties!.user_data.str_replace.template;
    expect(text.split('path: /usr/local/sbin/scaleout-queue-depth').length).toBe(2);
    expect(text).toContain('path: /etc/scaleout/queue-depth.d/thumbs');
    // AND a third tier asking for another archive policy is refused
    const e = errorOf(
      () => new WorkerTier(stack, 'Other', { image: IMAGE, flavor: SMALL, networks: [net.network], maxSize: 5, services, scaling: WorkerScaling.queueDepth({ queueName: 'other', messagesPerWorker: 10, archivePolicy: 'medium' }) }),
    );
    expect(e.message).toContain("must match the first call on this queue server (archivePolicy 'low', interval 60 s)");
  });
});

describe('WorkerTier with services', () => {
  test('the workers document gets the queue placeholders filled', () => {
    const { stack, net } = netStack();
    const services = new ServicesTier(stack, 'Services', { image: IMAGE, flavor: SMALL, networks: [net.network] });
    const config = new CloudConfig().addRunCommands(`worker --queue ${SERVICE_PLACEHOLDERS.MQ_HOST}:${SERVICE_PLACEHOLDERS.MQ_PORT}`);
    new WorkerTier(stack, 'Workers', { image: IMAGE, flavor: SMALL, networks: [net.network], maxSize: 5, services, cloudConfig: config });
    const params = heatOf(stack).resources.workers_servers.properties!.resource.properties.user_data.str_replace.params;
    expect(params[SERVICE_PLACEHOLDERS.MQ_HOST]).toEqual({ get_attr: ['services_queue_port_net', 'fixed_ips', 0, 'ip_address'] });
    expect(embeddedOf(terraformOf(stack), 'workers_servers').userData).toContain('worker --queue ${openstack_compute_instance_v2.services_queue.access_ip_v4}:5672');
  });
});

describe('WorkerTier serviceAccess', () => {
  test('workers granted only the queue: the database stays closed to them', () => {
    // GIVEN workers that only take tasks from the queue
    const { stack, net } = netStack();
    const services = new ServicesTier(stack, 'Services', { image: IMAGE, flavor: SMALL, networks: [net.network] });
    new WorkerTier(stack, 'Workers', { image: IMAGE, flavor: SMALL, networks: [net.network], maxSize: 5, services, serviceAccess: { database: false } });
    // WHEN synthesized THEN only the queue admits them
    const expected = [{ group: 'services_queue_security_group', port: 'tcp 5672', fromGroup: 'workers_security_group' }];
    expect(heatIngress(heatOf(stack).template)).toEqual(expected);
    expect(terraformIngress(terraformOf(stack))).toEqual(expected);
  });

  test('serviceAccess needs services', () => {
    const e = errorOf(() => workerStack({ serviceAccess: { cache: false } }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toContain("'serviceAccess' needs 'services'");
  });
});

describe('WorkerTier validation', () => {
  test('maxSize is mandatory', () => {
    const e = errorOf(() => workerStack({ maxSize: undefined }));
    expect(e.code).toBe('SO_REQUIRED');
    expect(e.message).toContain("'maxSize' is required");
  });

  test('minSize 0 with CPU scaling could never scale out', () => {
    const e = errorOf(() => workerStack({ minSize: 0 }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toContain("'minSize' must be at least 1 with cpu scaling");
  });

  test('scaling must be a WorkerScaling', () => {
    const e = errorOf(() => workerStack({ scaling: { kind: 'cpu' } as never }));
    expect(e.code).toBe('SO_ENUM');
    expect(e.message).toContain("'scaling' must be a WorkerScaling");
  });

  test('queueDepth: scaleInBelowMessages must leave a range below messagesPerWorker', () => {
    const e = errorOf(() => workerStack({ scaling: WorkerScaling.queueDepth({ queueName: 'q', messagesPerWorker: 10, scaleInBelowMessages: 10 }) }));
    expect(e.code).toBe('SO_CONFLICT');
    expect(e.message).toContain("'scaling.scaleInBelowMessages' must be below messagesPerWorker (10)");
  });

  test('queueDepth: messagesPerWorker is at least 2', () => {
    const e = errorOf(() => workerStack({ scaling: WorkerScaling.queueDepth({ queueName: 'q', messagesPerWorker: 1 }) }));
    expect(e.code).toBe('SO_RANGE');
    expect(e.message).toContain("'scaling.messagesPerWorker' must be a number between 2 and");
  });

  test('queueDepth: maxScaleOutStep is 1 to 10', () => {
    const e = errorOf(() => workerStack({ scaling: WorkerScaling.queueDepth({ queueName: 'q', messagesPerWorker: 10, maxScaleOutStep: 11 }) }));
    expect(e.code).toBe('SO_RANGE');
    expect(e.message).toContain("'scaling.maxScaleOutStep' must be between 1 and 10");
  });
});

describe('WorkerTier placement and readiness', () => {
  test('workers spread over hosts by default; strictSpread and readiness reach the group', () => {
    // GIVEN a default tier, and one with a strict spread and readiness
    const a = workerStack();
    const b = workerStack({ maxSize: 4, placement: Placement.strictSpread({ hosts: 4 }), readiness: { command: 'systemctl is-active faafo-worker' } });
    // WHEN synthesized
    const ha = heatOf(a.stack);
    const hb = heatOf(b.stack);
    // THEN the first spreads softly, the second strictly and with a wait condition in its member
    expect(ha.resources.workers_servers_server_group.properties!.policies).toEqual(['soft-anti-affinity']);
    expect(hb.resources.workers_servers_server_group.properties!.policies).toEqual(['anti-affinity']);
    const member = hb.files['workers_servers_member.yaml'] as Record<string, any>;
    expect(member.resources.workers_servers_ready.properties.timeout).toBe(600);
    expect(hb.resources.workers_servers.properties!.resource.properties.user_data).toContain('scaleout_ready_check() {\nsystemctl is-active faafo-worker\n}');
    // AND a strict spread that cannot hold maxSize is refused
    expect(errorOf(() => workerStack({ maxSize: 5, placement: Placement.strictSpread({ hosts: 4 }) })).message).toContain("'maxSize' needs room for 5 servers");
  });
});
