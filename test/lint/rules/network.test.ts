/** Exposure and ownership rules: world-open sensitive ports (rules and listeners), pools shared by Terraform and Heat. */
import * as yaml from 'js-yaml';
import { App, Peer, Port, SecurityGroup, Stack } from '../../../src';
import { outputWithSuppressions, terraformMembersOnHeatPool, worldOpenSensitivePort } from '../../../src/lint';
import { apiStack } from '../../assertions/fixture';
import { failures, heatOutput, run, tfOutput } from '../fixture';

function sshStack() {
  const stack = new Stack(new App(), 'test');
  const sg = new SecurityGroup(stack, 'Bastion');
  sg.addIngressRule(Peer.anyIpv4(), Port.tcp(22), { allowPublicAccessToSensitivePort: true });
  return stack;
}

/** Terraform JSON: a load balancer with a floating IP, a TCP listener on `port`, a pool, members on `memberPort`. */
function tfListener(port: number, memberPort: number, allowedCidrs?: string[]) {
  return {
    resource: {
      openstack_lb_loadbalancer_v2: { lb: { vip_subnet_id: 'x' } },
      openstack_networking_floatingip_associate_v2: { fip: { floating_ip: '1.2.3.4', port_id: '${openstack_lb_loadbalancer_v2.lb.vip_port_id}' } },
      openstack_lb_listener_v2: { db: { loadbalancer_id: '${openstack_lb_loadbalancer_v2.lb.id}', protocol: 'TCP', protocol_port: port, ...(allowedCidrs ? { allowed_cidrs: allowedCidrs } : {}) } },
      openstack_lb_pool_v2: { db_pool: { listener_id: '${openstack_lb_listener_v2.db.id}', protocol: 'TCP', lb_method: 'ROUND_ROBIN' } },
      openstack_lb_member_v2: { db_member: { pool_id: '${openstack_lb_pool_v2.db_pool.id}', address: '10.0.0.5', protocol_port: memberPort } },
    },
  };
}

describe('world-open-sensitive-port', () => {
  test('SSH opened to 0.0.0.0/0 (allowed by the construct on request) is flagged in both targets', () => {
    // GIVEN a bastion group opening 22 to everyone WHEN linted in both targets
    const stack = sshStack();
    // THEN the rule is flagged in each, by its logical name
    expect(failures(worldOpenSensitivePort, outputWithSuppressions(stack, 'heat'))).toEqual(['bastion_ingress_tcp_22_from_any_ipv4: ingress tcp 22-22 from 0.0.0.0/0 opens 22 (SSH)']);
    expect(failures(worldOpenSensitivePort, outputWithSuppressions(stack, 'terraform'))).toEqual(['bastion_ingress_tcp_22_from_any_ipv4: ingress tcp 22-22 from 0.0.0.0/0 opens 22 (SSH)']);
  });

  test('a rule without remote, over all ports, opens every sensitive port; an inline rule counts too', () => {
    const out = heatOutput({
      resources: {
        any: { type: 'OS::Neutron::SecurityGroupRule', properties: { security_group: 'x', protocol: 'tcp' } },
        sg: { type: 'OS::Neutron::SecurityGroup', properties: { rules: [{ protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_ip_prefix: '::/0' }] } },
      },
    });
    expect(failures(worldOpenSensitivePort, out)).toEqual([
      'any: ingress tcp any-any from anywhere opens 22 (SSH), 23 (telnet), 1433 (SQL Server), 1521 (Oracle), 2379 (etcd), 3306 (MySQL/MariaDB), 3389 (RDP), 5432 (PostgreSQL), 5672 (AMQP), 5900 (VNC), 6379 (Redis), 9200 (Elasticsearch), 11211 (memcached), 15672 (RabbitMQ management), 27017 (MongoDB)',
      'sg: ingress tcp 5432-5432 from ::/0 opens 5432 (PostgreSQL)',
    ]);
  });

  test('a public listener on 443 forwarding to PostgreSQL members is flagged; limiting allowed_cidrs passes', () => {
    expect(failures(worldOpenSensitivePort, tfOutput(tfListener(443, 5432)))).toEqual([
      'db: public listener on port 443 open to everyone (no allowed_cidrs) reaches 5432 (PostgreSQL)',
    ]);
    expect(failures(worldOpenSensitivePort, tfOutput(tfListener(443, 5432, ['203.0.113.0/24'])))).toEqual([]);
  });

  test('an API tier passes in both targets: listener on 80, members on 80, servers open to the subnet only', () => {
    // GIVEN the API tier (its group's members join the pool from the member template)
    const { stack } = apiStack();
    for (const target of ['heat', 'terraform'] as const) {
      const results = run(worldOpenSensitivePort, outputWithSuppressions(stack, target));
      // THEN nothing is flagged and the public listener was examined
      expect(results.filter((r) => r.compliance === 'non-compliant')).toEqual([]);
      expect(results.map((r) => r.found)).toContain('public listener on port 80');
      expect(results.map((r) => r.found)).toContain('ingress tcp 80-80 from 10.0.0.0/24');
    }
  });

  test("a public listener on 80 forwarding to a group's members on 22 is flagged (the member template is followed)", () => {
    const out = heatOutput(
      {
        resources: {
          lb: { type: 'OS::Octavia::LoadBalancer', properties: { vip_subnet: 's' } },
          fip: { type: 'OS::Neutron::FloatingIP', properties: { floating_network: 'public', port_id: { get_attr: ['lb', 'vip_port_id'] } } },
          l: { type: 'OS::Octavia::Listener', properties: { loadbalancer: { get_resource: 'lb' }, protocol: 'TCP', protocol_port: 80 } },
          p: { type: 'OS::Octavia::Pool', properties: { listener: { get_resource: 'l' }, protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN' } },
          g: { type: 'OS::Heat::AutoScalingGroup', properties: { min_size: 1, max_size: 2, resource: { type: 'm.yaml', properties: { pool: { get_resource: 'p' } } } } },
        },
      },
      { 'm.yaml': { resources: { member: { type: 'OS::Octavia::PoolMember', properties: { pool: { get_param: 'pool' }, address: '10.0.0.1', protocol_port: 22 } } } } },
    );
    expect(failures(worldOpenSensitivePort, out)).toEqual(['l: public listener on port 80 open to everyone (no allowed_cidrs) reaches 22 (SSH)']);
  });
});

describe('terraform-members-on-heat-pool', () => {
  const embedded = (pool: string) => ({
    resource: {
      openstack_lb_pool_v2: { pool: { protocol: 'HTTP', lb_method: 'ROUND_ROBIN' } },
      openstack_orchestration_stack_v1: {
        group: {
          parameters: { pool_id: `\${openstack_lb_pool_v2.${pool}.id}` },
          template_opts: {
            Bin: yaml.dump({
              parameters: { pool_id: { type: 'string' } },
              resources: { group: { type: 'OS::Heat::AutoScalingGroup', properties: { min_size: 1, max_size: 3, resource: { type: 'assets/m.yaml', properties: { pool: { get_param: 'pool_id' } } } } } },
            }),
          },
        },
      },
    },
  });
  const member = { resources: { m: { type: 'OS::Octavia::PoolMember', properties: { pool: { get_param: 'pool' }, address: '10.0.0.1', protocol_port: 80 } } } };

  test('an lb_members_v2 on the pool a Heat group fills is an error', () => {
    const json = embedded('pool');
    (json.resource as any).openstack_lb_members_v2 = { static: { pool_id: '${openstack_lb_pool_v2.pool.id}', member: [{ address: '10.0.0.9', protocol_port: 80 }] } };
    expect(failures(terraformMembersOnHeatPool, tfOutput(json, { 'assets/m.yaml': member }))).toEqual(['static: static adds members to pool pool, which a Heat group also fills']);
  });

  test('the group alone passes, and so does the API tier; the Heat target is not applicable', () => {
    expect(run(terraformMembersOnHeatPool, tfOutput(embedded('pool'), { 'assets/m.yaml': member })).map((r) => r.found)).toEqual(['pool pool is filled by a Heat group only']);
    const { stack } = apiStack();
    expect(run(terraformMembersOnHeatPool, outputWithSuppressions(stack, 'terraform')).map((r) => r.found)).toEqual(['pool api_lb_listener_pool is filled by a Heat group only']);
    expect(run(terraformMembersOnHeatPool, outputWithSuppressions(stack, 'heat'))).toEqual([]);
  });
});
