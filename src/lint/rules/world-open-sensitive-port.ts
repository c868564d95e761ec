/**
 * world-open-sensitive-port: no SSH, RDP, database, queue, cache or cluster port reachable from
 * 0.0.0.0/0 or ::/0 — neither by a security-group rule nor through a public load-balancer listener
 * that listens on such a port or forwards to members listening on one.
 */
import type { Doc } from '../../assertions/output';
import { listenersOf, poolMemberships } from '../pools';
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { hotResources, num, tfResources } from '../view';

/** Ports that must not face the internet, with what usually listens there. */
export const SENSITIVE_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH', 23: 'telnet', 3389: 'RDP', 5900: 'VNC', 3306: 'MySQL/MariaDB', 5432: 'PostgreSQL', 1433: 'SQL Server', 1521: 'Oracle',
  27017: 'MongoDB', 6379: 'Redis', 11211: 'memcached', 5672: 'AMQP', 15672: 'RabbitMQ management', 9200: 'Elasticsearch', 2379: 'etcd',
};

const WORLD = new Set(['0.0.0.0/0', '::/0']);

function sensitiveIn(min: number | undefined, max: number | undefined): number[] {
  const lo = min ?? 1;
  const hi = max ?? min ?? 65535;
  return Object.keys(SENSITIVE_PORTS).map(Number).filter((p) => p >= lo && p <= hi);
}

function describePorts(ports: number[]): string {
  return ports.map((p) => `${p} (${SENSITIVE_PORTS[p]})`).join(', ');
}

/** A rule as both targets write it: direction, protocol, range, remote. */
function checkRule(location: string, resource: string, r: Doc, remoteGroupKey: string): RuleResult | undefined {
  if ((r.direction ?? 'ingress') !== 'ingress') return undefined;
  const protocol = r.protocol === undefined || r.protocol === null ? 'any' : String(r.protocol).toLowerCase();
  if (!['any', 'tcp', 'udp', '6', '17'].includes(protocol)) return undefined;
  const fromWorld = r[remoteGroupKey] === undefined && (r.remote_ip_prefix === undefined || WORLD.has(String(r.remote_ip_prefix)));
  const ports = sensitiveIn(num(r.port_range_min), num(r.port_range_max));
  if (fromWorld && ports.length > 0) {
    return nonCompliant(location, resource, `ingress ${protocol} ${r.port_range_min ?? 'any'}-${r.port_range_max ?? 'any'} from ${r.remote_ip_prefix ?? 'anywhere'} opens ${describePorts(ports)}`, 'remote_ip_prefix');
  }
  return compliant(location, resource, `ingress ${protocol} ${r.port_range_min ?? 'any'}-${r.port_range_max ?? 'any'} from ${r.remote_ip_prefix ?? (r[remoteGroupKey] !== undefined ? 'a group' : 'anywhere')}`);
}

export const worldOpenSensitivePort: PolicyRule = {
  id: 'world-open-sensitive-port',
  level: 'error',
  summary: 'No sensitive port (SSH, RDP, databases, queues, caches) is reachable from 0.0.0.0/0 or ::/0, directly or through a public listener',
  why: 'Such ports are scanned and brute-forced within minutes of being exposed; reach them through a bastion, a VPN or a remote-group rule instead.',
  evaluate(view) {
    const results: RuleResult[] = [];
    for (const { template, name, def } of hotResources(view, 'OS::Neutron::SecurityGroupRule')) {
      const r = checkRule(template.location, name, def.properties ?? {}, 'remote_group');
      if (r) results.push(r);
    }
    for (const { template, name, def } of hotResources(view, 'OS::Neutron::SecurityGroup')) {
      for (const rule of Array.isArray(def.properties?.rules) ? def.properties.rules : []) {
        const r = checkRule(template.location, name, { ...rule, remote_group: rule.remote_mode === 'remote_group_id' ? rule.remote_group_id ?? 'self' : rule.remote_group_id }, 'remote_group');
        if (r) results.push({ ...r, property: r.compliance === 'non-compliant' ? 'properties.rules' : undefined });
      }
    }
    for (const { name, body } of tfResources(view, 'openstack_networking_secgroup_rule_v2')) {
      const r = checkRule('cdk.tf.json', name, body, 'remote_group_id');
      if (r) results.push(r);
    }
    const members = poolMemberships(view);
    for (const l of listenersOf(view).filter((x) => x.public)) {
      const open = l.allowedCidrs === undefined || l.allowedCidrs.length === 0 || l.allowedCidrs.some((c) => WORLD.has(c));
      const forwarded = members.filter((m) => l.pools.includes(m.pool) && m.port !== undefined).map((m) => m.port!);
      const ports = [...new Set([...(l.port !== undefined ? sensitiveIn(l.port, l.port) : []), ...forwarded.flatMap((p) => sensitiveIn(p, p))])].sort((a, b) => a - b);
      if (open && ports.length > 0) {
        results.push(nonCompliant(l.location, l.name, `public listener on port ${l.port ?? '?'} open to ${l.allowedCidrs ? l.allowedCidrs.join(', ') : 'everyone (no allowed_cidrs)'} reaches ${describePorts(ports)}`, 'allowed_cidrs'));
      } else {
        results.push(compliant(l.location, l.name, `public listener on port ${l.port ?? '?'}${open ? '' : ` limited to ${l.allowedCidrs!.join(', ')}`}`));
      }
    }
    return results;
  },
};
