/**
 * Load-balancer wiring as the rules need it, in both targets: which pool a listener feeds, which
 * listener's load balancer has a floating IP, and which ports a pool's members listen on — be the
 * members native resources or `OS::Octavia::PoolMember`s in a group's member template (reached
 * through the group's properties, or through an orchestration stack's parameters in Terraform).
 */
import type { Doc } from '../assertions/output';
import { hotResources, num, tfResources, type PolicyView } from './view';

/** One pool membership: which pool, on which port, declared by whom. */
export interface PoolMembership {
  /** Logical name of the pool. */
  readonly pool: string;
  /** The member's protocol port, when literal. */
  readonly port?: number;
  /** heat: an `OS::Octavia::PoolMember` (group member or not); terraform: `openstack_lb_member(s)_v2`. */
  readonly by: 'heat' | 'terraform';
  /** Where the membership is declared. */
  readonly location: string;
  /** The resource declaring it. */
  readonly resource: string;
}

const TF_REF = (type: string) => new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.id\\}$`);

/** Parameters of a document mapped to a pool name (from its parent), plus `get_resource` in the document itself. */
function poolOf(value: unknown, params: Readonly<Record<string, string>>): string | undefined {
  if (value && typeof value === 'object') {
    const v = value as Doc;
    if (typeof v.get_resource === 'string') return v.get_resource;
    if (typeof v.get_param === 'string') return params[v.get_param];
  }
  return undefined;
}

function membersInHot(doc: Doc, location: string, params: Record<string, string>, files: Readonly<Record<string, Doc>>, out: PoolMembership[], depth = 0): void {
  for (const [name, r] of Object.entries((doc.resources ?? {}) as Record<string, Doc>)) {
    if (r?.type === 'OS::Octavia::PoolMember') {
      const pool = poolOf(r.properties?.pool, params);
      if (pool) out.push({ pool, port: num(r.properties?.protocol_port), by: 'heat', location, resource: name });
    }
    const inner = r?.type === 'OS::Heat::AutoScalingGroup' ? r.properties?.resource : r?.type === 'OS::Heat::ResourceGroup' ? r.properties?.resource_def : typeof r?.type === 'string' && r.type.endsWith('.yaml') ? r : undefined;
    const file = inner?.type;
    if (depth < 5 && typeof file === 'string' && files[file]) {
      const childParams: Record<string, string> = {};
      for (const [k, v] of Object.entries((inner.properties ?? {}) as Doc)) {
        const p = poolOf(v, params);
        if (p) childParams[k] = p;
      }
      membersInHot(files[file], file, childParams, files, out, depth + 1);
    }
  }
}

/** Every pool membership of the view. */
export function poolMemberships(view: PolicyView): PoolMembership[] {
  const out: PoolMembership[] = [];
  if (view.target === 'heat') {
    const main = view.templates.find((t) => t.role === 'main');
    if (main) membersInHot(main.doc, main.location, {}, main.files, out);
    return out;
  }
  const poolRef = TF_REF('openstack_lb_pool_v2');
  for (const { name, body } of tfResources(view, 'openstack_lb_member_v2')) {
    const m = poolRef.exec(String(body.pool_id));
    if (m) out.push({ pool: m[1], port: num(body.protocol_port), by: 'terraform', location: 'cdk.tf.json', resource: name });
  }
  for (const { name, body } of tfResources(view, 'openstack_lb_members_v2')) {
    const m = poolRef.exec(String(body.pool_id));
    const members = Array.isArray(body.member) ? body.member : [];
    if (m) for (const mem of members.length ? members : [{}]) out.push({ pool: m[1], port: num(mem?.protocol_port), by: 'terraform', location: 'cdk.tf.json', resource: name });
  }
  for (const t of view.templates.filter((x) => x.role === 'embedded')) {
    const stackName = t.location.slice('openstack_orchestration_stack_v1.'.length);
    const stack = view.terraform?.resource?.openstack_orchestration_stack_v1?.[stackName];
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries((stack?.parameters ?? {}) as Doc)) {
      const m = poolRef.exec(String(v));
      if (m) params[k] = m[1];
    }
    membersInHot(t.doc, t.location, params, t.files, out);
  }
  return out;
}

/** A listener: its port, allowed CIDRs, load balancer and the pools it feeds. */
export interface ListenerRef {
  readonly location: string;
  readonly name: string;
  readonly port?: number;
  readonly allowedCidrs?: readonly string[];
  readonly loadBalancer?: string;
  readonly pools: readonly string[];
  /** True when a floating IP is put on its load balancer's VIP port. */
  readonly public: boolean;
}

/** Every listener of the view, in the Heat main template or in Terraform JSON. */
export function listenersOf(view: PolicyView): ListenerRef[] {
  if (view.target === 'heat') {
    const fips = hotResources(view).filter((r) => r.def.type === 'OS::Neutron::FloatingIP' || r.def.type === 'OS::Neutron::FloatingIPAssociation');
    const publicLbs = new Set(
      fips.flatMap((r) => {
        const p = r.def.properties?.port_id;
        return Array.isArray(p?.get_attr) && p.get_attr[1] === 'vip_port_id' ? [String(p.get_attr[0])] : [];
      }),
    );
    const pools = hotResources(view, 'OS::Octavia::Pool');
    return hotResources(view, 'OS::Octavia::Listener').map(({ template, name, def }) => {
      const lb = def.properties?.loadbalancer?.get_resource as string | undefined;
      const fed = pools.filter((p) => p.template === template && p.def.properties?.listener?.get_resource === name).map((p) => p.name);
      const dflt = def.properties?.default_pool?.get_resource;
      if (typeof dflt === 'string' && !fed.includes(dflt)) fed.push(dflt);
      return {
        location: template.location,
        name,
        port: num(def.properties?.protocol_port),
        allowedCidrs: Array.isArray(def.properties?.allowed_cidrs) ? def.properties.allowed_cidrs : undefined,
        loadBalancer: lb,
        pools: fed,
        public: lb !== undefined && publicLbs.has(lb),
      };
    });
  }
  const lbRef = TF_REF('openstack_lb_loadbalancer_v2');
  const listenerRef = TF_REF('openstack_lb_listener_v2');
  const fipText = JSON.stringify([...tfResources(view, 'openstack_networking_floatingip_associate_v2'), ...tfResources(view, 'openstack_networking_floatingip_v2')].map((r) => r.body.port_id ?? null));
  const pools = tfResources(view, 'openstack_lb_pool_v2');
  return tfResources(view, 'openstack_lb_listener_v2').map(({ name, body }) => {
    const lb = lbRef.exec(String(body.loadbalancer_id))?.[1];
    const fed = pools.filter((p) => listenerRef.exec(String(p.body.listener_id))?.[1] === name).map((p) => p.name);
    return {
      location: 'cdk.tf.json',
      name,
      port: num(body.protocol_port),
      allowedCidrs: Array.isArray(body.allowed_cidrs) ? body.allowed_cidrs : undefined,
      loadBalancer: lb,
      pools: fed,
      public: lb !== undefined && fipText.includes(`openstack_lb_loadbalancer_v2.${lb}.vip_port_id`),
    };
  });
}
