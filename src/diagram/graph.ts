/**
 * The architecture graph of a synthesized stack, read from its HOT: autoscaling groups (min-max),
 * standalone servers, the load balancer with its listener, pool and floating IP, object storage,
 * alarms -> policies -> groups, and security-group rules as edges between the servers they
 * connect, labelled with protocol and port. Network plumbing (nets, subnets, routers, ports,
 * security groups themselves, passwords) is left out: it is what the edges summarize.
 */
import { adjustmentText, conditionText, windowText } from '../diff/behaviour';
import { GroupFacts, groupsOf, refName } from '../diff/facts';
import { HotTemplate, nestedTypeOf } from '../diff/synthesis';

/** What a node stands for; it picks the node's colour. */
export type NodeKind = 'internet' | 'cidr' | 'floating-ip' | 'load-balancer' | 'listener' | 'pool' | 'group' | 'server' | 'storage' | 'alarm' | 'policy';

/** One box. */
export interface DiagramNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** First line bold: the logical name (or what it is); then details. */
  readonly lines: readonly string[];
  /** The tier (cluster) it is drawn in, or undefined for the top level. */
  readonly cluster?: string;
}

/** One arrow. */
export interface DiagramEdge {
  readonly source: string;
  readonly target: string;
  readonly label?: string;
  /** `traffic` for allowed traffic, `control` for alarms and policies, `wiring` for the rest. */
  readonly style: 'traffic' | 'control' | 'wiring';
}

/** The graph, before layout. Nodes and edges are in a stable order. */
export interface DiagramGraph {
  readonly title: string;
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** Cluster id -> its label. */
  readonly clusters: Readonly<Record<string, string>>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function portLabel(p: Record<string, unknown>): string {
  const proto = str(p.protocol);
  if (!proto) return 'all traffic';
  const min = str(p.port_range_min);
  const max = str(p.port_range_max);
  if (!min) return `${proto}/all`;
  return !max || max === min ? `${proto}/${min}` : `${proto}/${min}-${max}`;
}

/** Security groups a server uses: on its ports (`networks[].port`) or directly. */
function serverSecurityGroups(t: HotTemplate, props: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (list: unknown) => {
    if (Array.isArray(list)) for (const g of list) out.push(refName(g) ?? String(g));
  };
  add(props.security_groups);
  for (const n of (Array.isArray(props.networks) ? props.networks : []) as Record<string, unknown>[]) {
    const port = refName(n?.port);
    if (port && t.resources[port]) add(t.resources[port].properties.security_groups);
  }
  return out;
}

/** Builds the graph of a main HOT template (its nested member templates included). */
export function diagramGraph(t: HotTemplate): DiagramGraph {
  const nodes = new Map<string, DiagramNode>();
  const edges: DiagramEdge[] = [];
  const addEdge = (e: DiagramEdge) => {
    if (nodes.has(e.source) && nodes.has(e.target)) edges.push(e);
  };
  const resources = Object.entries(t.resources).sort(([a], [b]) => byCode(a, b));
  const groups: Record<string, GroupFacts> = {};
  groupsOf(t, groups);

  // Who uses which security group: the boxes traffic flows between.
  const usersOf = new Map<string, string[]>();
  const use = (sg: string, node: string) => usersOf.set(sg, [...(usersOf.get(sg) ?? []), node]);
  const subnetCidrs = new Map<string, string>();

  for (const [name, r] of resources) {
    const p = r.properties;
    switch (r.type) {
      case 'OS::Heat::AutoScalingGroup': {
        const member = (p.resource as any)?.properties ?? {};
        const g = groups[name];
        nodes.set(name, {
          id: name,
          kind: 'group',
          lines: [name, `autoscaling group: ${g?.min ?? '?'} to ${g?.max ?? '?'} servers`, ...(str(member.flavor) ? [`flavor ${member.flavor}`] : [])],
        });
        for (const sg of Array.isArray(member.security_groups) ? member.security_groups : []) use(refName(sg) ?? String(sg), name);
        break;
      }
      case 'OS::Nova::Server':
        nodes.set(name, { id: name, kind: 'server', lines: [name, 'server', ...(str(p.flavor) ? [`flavor ${p.flavor}`] : [])] });
        for (const sg of serverSecurityGroups(t, p)) use(sg, name);
        break;
      case 'OS::Octavia::LoadBalancer':
        nodes.set(name, { id: name, kind: 'load-balancer', lines: [name, 'load balancer (Octavia)'] });
        break;
      case 'OS::Octavia::Listener':
        nodes.set(name, { id: name, kind: 'listener', lines: [name, `listener ${str(p.protocol) ?? '?'}:${str(p.protocol_port) ?? '?'}`] });
        break;
      case 'OS::Octavia::Pool': {
        const monitor = resources.find(([, m]) => m.type === 'OS::Octavia::HealthMonitor' && refName(m.properties.pool) === name)?.[1].properties;
        const check = monitor ? `health: ${[str(monitor.type), str(monitor.http_method), str(monitor.url_path)].filter(Boolean).join(' ')}` : 'no health monitor';
        nodes.set(name, { id: name, kind: 'pool', lines: [name, `pool ${str(p.lb_algorithm) ?? ''}`.trim(), check] });
        break;
      }
      case 'OS::Neutron::FloatingIP':
        nodes.set(name, { id: name, kind: 'floating-ip', lines: [name, `floating IP on ${str(p.floating_network) ?? 'external network'}`] });
        break;
      case 'OS::Swift::Container':
        nodes.set(name, { id: name, kind: 'storage', lines: [name, `object storage: ${str(p.name) ?? name}`] });
        break;
      case 'OS::Neutron::Subnet':
        if (str(p.cidr)) subnetCidrs.set(String(p.cidr), name);
        break;
      default:
        break;
    }
  }

  // Alarms -> policies -> groups.
  for (const g of Object.values(groups).sort((a, b) => byCode(a.name, b.name))) {
    for (const rule of Object.values(g.rules).sort((a, b) => byCode(a.name, b.name))) {
      const policy = rule.policy;
      if (!policy || rule.kind !== 'alarm') continue;
      if (!nodes.has(policy.name)) {
        const cooldown = policy.cooldown !== undefined ? `, cooldown ${policy.cooldown} s` : '';
        nodes.set(policy.name, { id: policy.name, kind: 'policy', lines: [policy.name, `policy: ${adjustmentText(policy)}${cooldown}`] });
      }
      nodes.set(rule.name, { id: rule.name, kind: 'alarm', lines: [rule.name, `alarm: ${conditionText(rule)}`, `for ${windowText(rule)}`] });
      addEdge({ source: rule.name, target: policy.name, label: 'signals', style: 'control' });
      addEdge({ source: policy.name, target: g.name, label: 'scales', style: 'control' });
    }
  }

  // Load-balancer wiring: floating IP -> load balancer -> listener -> pool -> member group.
  for (const [name, r] of resources) {
    const p = r.properties;
    if (r.type === 'OS::Neutron::FloatingIP') {
      nodes.set('internet', { id: 'internet', kind: 'internet', lines: ['internet'] });
      addEdge({ source: 'internet', target: name, style: 'traffic' });
      const target = refName(p.port_id);
      if (target) addEdge({ source: name, target, label: 'VIP', style: 'traffic' });
    } else if (r.type === 'OS::Octavia::Listener') {
      const lb = refName(p.loadbalancer);
      if (lb) addEdge({ source: lb, target: name, style: 'traffic' });
    } else if (r.type === 'OS::Octavia::Pool') {
      const listener = refName(p.listener);
      if (listener) addEdge({ source: listener, target: name, style: 'traffic' });
    } else if (r.type === 'OS::Heat::AutoScalingGroup') {
      // The member template's pool members name the pool through a parameter the group fills.
      const type = nestedTypeOf(r);
      const member = type ? t.nested[type] : undefined;
      const passed = ((p.resource as any)?.properties ?? {}) as Record<string, unknown>;
      for (const m of Object.values(member?.resources ?? {}).filter((x) => x.type === 'OS::Octavia::PoolMember')) {
        const param = (m.properties.pool as any)?.get_param;
        const pool = typeof param === 'string' ? refName(passed[param]) : undefined;
        if (pool) addEdge({ source: pool, target: name, label: `members :${str(m.properties.protocol_port) ?? '?'}`, style: 'traffic' });
      }
    } else if (r.type === 'OS::Octavia::PoolMember') {
      const pool = refName(p.pool);
      const server = refName(p.address);
      const owner = server && t.resources[server]?.type === 'OS::Neutron::Port' ? undefined : server;
      if (pool && owner) addEdge({ source: pool, target: owner, label: `member :${str(p.protocol_port) ?? '?'}`, style: 'traffic' });
    }
  }

  // Security-group rules: from the users of the remote group (or a CIDR) to the users of the group.
  const labels = new Map<string, string[]>();
  for (const [, r] of resources) {
    if (r.type !== 'OS::Neutron::SecurityGroupRule' || (r.properties.direction ?? 'ingress') !== 'ingress') continue;
    const p = r.properties;
    const sg = refName(p.security_group);
    const targets = sg ? usersOf.get(sg) ?? [] : [];
    let sources: string[];
    const remoteGroup = refName(p.remote_group);
    if (remoteGroup) sources = usersOf.get(remoteGroup) ?? [];
    else {
      const cidr = str(p.remote_ip_prefix) ?? (p.ethertype === 'IPv6' ? '::/0' : '0.0.0.0/0');
      if (cidr === '0.0.0.0/0' || cidr === '::/0') {
        nodes.set('internet', { id: 'internet', kind: 'internet', lines: ['internet'] });
        sources = ['internet'];
      } else {
        const id = `cidr ${cidr}`;
        const subnet = subnetCidrs.get(cidr);
        nodes.set(id, { id, kind: 'cidr', lines: [cidr, subnet ? `subnet ${subnet}` : 'address block'] });
        sources = [id];
      }
    }
    for (const s of sources) for (const tg of targets) {
      const key = `${s}\u0000${tg}`;
      labels.set(key, [...(labels.get(key) ?? []), portLabel(p)]);
    }
  }
  for (const key of [...labels.keys()].sort(byCode)) {
    const [source, target] = key.split('\u0000');
    addEdge({ source, target, label: [...new Set(labels.get(key))].sort(byCode).join(', '), style: 'traffic' });
  }

  // Tiers: logical names are construct paths joined by '_', so the first segment after the
  // prefix every name shares is the top-level construct (api, services, workers, ...).
  const ids = [...nodes.keys()].filter((id) => nodes.get(id)!.kind !== 'internet' && nodes.get(id)!.kind !== 'cidr');
  const shared = commonPrefix(ids.map((id) => id.split('_')));
  const clusters: Record<string, string> = {};
  const clustered = [...nodes.values()].map((n) => {
    if (n.kind === 'internet' || n.kind === 'cidr') return n;
    const parts = n.id.split('_');
    const cluster = parts.length > shared + 1 ? parts.slice(0, shared + 1).join('_') : undefined;
    if (cluster) clusters[cluster] = cluster;
    return { ...n, cluster };
  });
  return {
    title: t.name,
    nodes: clustered.sort((a, b) => byCode(a.id, b.id)),
    edges: edges.sort((a, b) => byCode(`${a.source} ${a.target} ${a.label}`, `${b.source} ${b.target} ${b.label}`)),
    clusters,
  };
}

function commonPrefix(lists: string[][]): number {
  if (lists.length < 2) return 0;
  let n = 0;
  while (lists.every((l) => l.length > n + 1 && l[n] === lists[0][n])) n++;
  return n;
}
