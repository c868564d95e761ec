/**
 * The behaviour a synthesis describes, read back from its templates into target-neutral facts:
 * autoscaling groups with their sizes, members and alarm-driven rules, security-group rules,
 * load-balancer listeners, pools and health monitors, floating IPs, standalone servers, outputs.
 * Both targets give the same facts for the same app (Terraform's native resources are mapped to
 * the names Heat uses; its groups are read from the embedded Heat templates).
 */
import { HotTemplate, nestedTypeOf, ReadResource, Synthesis } from './synthesis';
import { AODH_ALARM_TYPES } from '../stacks/heat/alarm-types';
import { signalTargets } from '../simulate/stack-model';

/** An Octavia/Heat scaling policy. */
export interface PolicyFacts {
  readonly name: string;
  readonly adjustmentType: string;
  readonly adjustment: number;
  readonly cooldown?: number;
  readonly minStep?: number;
}

/** What makes a group scale: an alarm and the policy it signals, or a webhook-only policy. */
export interface RuleFacts {
  /** Alarm name, or the policy name for a webhook-only policy. */
  readonly name: string;
  readonly kind: 'alarm' | 'webhook';
  readonly metric?: string;
  readonly aggregation?: string;
  readonly query?: string;
  readonly granularity?: number;
  readonly evaluationPeriods?: number;
  readonly comparison?: string;
  readonly threshold?: number;
  /** The threshold as CPU percent, when the alarm is a CPU alarm whose vCPUs are known. */
  readonly percent?: number;
  /** A composite alarm's further conditions, all of which must hold too (a band: `> 60 %` and `< 90 %`). */
  readonly also?: readonly { readonly comparison: string; readonly threshold?: number; readonly percent?: number }[];
  /** True when the alarm is one per member, on its own server (in the member template). */
  readonly perMember?: boolean;
  readonly policy?: PolicyFacts;
}

/** An autoscaling group. */
export interface GroupFacts {
  readonly name: string;
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
  readonly cooldown?: number;
  /** The member server's properties with every parameter resolved to what the group passes. */
  readonly member: Record<string, unknown>;
  readonly rules: Record<string, RuleFacts>;
  /** The pools whose failed members are replaced (an `OS::Aodh::LBMemberHealthAlarm` on the group each), sorted. */
  readonly autohealing?: string[];
}

/** A security-group rule. */
export interface RuleOfSg {
  readonly securityGroup: string;
  readonly direction: string;
  readonly ethertype: string;
  readonly protocol?: string;
  readonly portMin?: number;
  readonly portMax?: number;
  /** A CIDR or `members of <security group>`. */
  readonly remote: string;
}

/** Everything the behaviour diff compares. */
export interface BehaviourFacts {
  readonly target: 'heat' | 'terraform';
  readonly groups: Record<string, GroupFacts>;
  readonly sgRules: Record<string, RuleOfSg>;
  readonly listeners: Record<string, Record<string, unknown>>;
  readonly pools: Record<string, Record<string, unknown>>;
  readonly monitors: Record<string, Record<string, unknown>>;
  readonly floatingIps: Record<string, Record<string, unknown>>;
  /** Standalone servers, with the property names Heat uses. */
  readonly servers: Record<string, Record<string, unknown>>;
  readonly outputs: Record<string, unknown>;
}

/** The name a `{get_resource: x}`, `{get_attr: [x, ...]}` or `${type.x.attr}` refers to. */
export function refName(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const m = /^\$\{[a-z0-9_]+\.([A-Za-z0-9_-]+)\.[a-z0-9_]+\}$/.exec(v);
    return m ? m[1] : undefined;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.get_resource === 'string') return o.get_resource;
    if (Array.isArray(o.get_attr) && typeof o.get_attr[0] === 'string') return o.get_attr[0];
  }
  return undefined;
}

/** Replaces every `{get_param: name}` whose name is in `params` by its value. */
export function resolveParams(v: unknown, params: Record<string, unknown>): unknown {
  if (Array.isArray(v)) return v.map((x) => resolveParams(x, params));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'get_param' && typeof o.get_param === 'string' && o.get_param in params) {
      return params[o.get_param];
    }
    return Object.fromEntries(keys.map((k) => [k, resolveParams(o[k], params)]));
  }
  return v;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined;
}

/**
 * The vCPU count a CPU alarm was computed with. The library writes it into the alarm's
 * description (`... 70% of 1 vCPU x 300 s = 210000000000 ns per period`, see
 * `src/constructs/autoscaling/scaling-rules.ts`), which is the one place the synthesized
 * templates record it.
 */
function vcpusOf(description: unknown): number | undefined {
  const m = typeof description === 'string' ? /of (\d+) vCPUs? x \d+ s/.exec(description) : null;
  return m ? Number(m[1]) : undefined;
}

function policyFacts(name: string, r: ReadResource): PolicyFacts {
  const p = r.properties;
  return {
    name,
    adjustmentType: String(p.adjustment_type ?? 'change_in_capacity'),
    adjustment: num(p.scaling_adjustment) ?? 0,
    cooldown: num(p.cooldown),
    minStep: num(p.min_adjustment_step),
  };
}

/**
 * What an alarm's condition is: its Gnocchi/Prometheus threshold rule, or a composite alarm's
 * rules joined by "and" (the first is the condition, the others `also`). Undefined for a
 * composite the facts cannot state.
 */
function conditionFacts(r: ReadResource): Omit<RuleFacts, 'name' | 'kind' | 'policy' | 'perMember'> | undefined {
  const one = (p: Record<string, any>, description: unknown) => {
    const granularity = num(p.granularity) ?? num(p.period);
    const threshold = num(p.threshold);
    const vcpus = vcpusOf(description);
    const metric = typeof p.metric === 'string' ? p.metric : typeof p.meter_name === 'string' ? p.meter_name : undefined;
    const percent =
      metric === 'cpu' && vcpus !== undefined && granularity !== undefined && threshold !== undefined
        ? Math.round((threshold / (granularity * 1e9 * vcpus)) * 100 * 100) / 100
        : undefined;
    return {
      metric,
      aggregation: typeof p.aggregation_method === 'string' ? p.aggregation_method : undefined,
      query: r.type === 'OS::Aodh::PrometheusAlarm' && typeof p.query === 'string' ? p.query : undefined,
      granularity,
      evaluationPeriods: num(p.evaluation_periods) ?? 1,
      comparison: typeof p.comparison_operator === 'string' ? p.comparison_operator : 'gt',
      threshold,
      percent,
    };
  };
  const p = r.properties;
  if (r.type !== 'OS::Aodh::CompositeAlarm') return one(p, p.description);
  const c = p.composite_rule as Record<string, any> | undefined;
  const rules = c && c.operator === 'and' && Array.isArray(c.rules) ? (c.rules as Record<string, any>[]) : undefined;
  if (!rules || rules.length === 0 || rules.some((x) => x === null || typeof x !== 'object' || Array.isArray(x.rules))) return undefined;
  const [first, ...rest] = rules.map((x) => one(x, p.description));
  return { ...first, also: rest.map((x) => ({ comparison: x.comparison, threshold: x.threshold, percent: x.percent })) };
}

/** Adds the autoscaling groups of one template, with the alarms and policies that scale them, to `out`. */
export function groupsOf(t: HotTemplate, out: Record<string, GroupFacts>): void {
  const policies = new Map<string, { group: string; facts: PolicyFacts }>();
  for (const [name, r] of Object.entries(t.resources)) {
    if (r.type === 'OS::Heat::ScalingPolicy') {
      const group = refName(r.properties.auto_scaling_group_id);
      if (group) policies.set(name, { group, facts: policyFacts(name, r) });
    }
  }
  const signalled = new Set<string>();
  const rulesByGroup = new Map<string, Record<string, RuleFacts>>();
  const add = (group: string, rule: RuleFacts) => {
    if (!rulesByGroup.has(group)) rulesByGroup.set(group, {});
    rulesByGroup.get(group)![rule.name] = rule;
  };
  const addAlarm = (name: string, r: ReadResource, perMember: boolean, passed: Record<string, unknown> = {}) => {
    if (!AODH_ALARM_TYPES.has(r.type)) return;
    // alarm_actions hold the policy's signal_url (plain, in str_replace with trust+, or, in a
    // member template, through a parameter the group passes: see `signalTargets`)
    const policyName = signalTargets(r.properties.alarm_actions, passed).find((n) => policies.has(n));
    const policy = policyName ? policies.get(policyName) : undefined;
    const condition = policy ? conditionFacts(r) : undefined;
    if (!policy || !condition) return;
    signalled.add(policyName!);
    add(policy.group, { name, kind: 'alarm', ...condition, ...(perMember ? { perMember: true } : {}), policy: policy.facts });
  };
  for (const [name, r] of Object.entries(t.resources)) addAlarm(name, r, false);
  // Per-member alarms live in the group's member template, one per server.
  for (const r of Object.values(t.resources)) {
    if (r.type !== 'OS::Heat::AutoScalingGroup') continue;
    const type = nestedTypeOf(r);
    const nested = type ? t.nested[type] : undefined;
    if (!nested) continue;
    const passed = (resolveParams((r.properties.resource as Record<string, unknown> | undefined)?.properties ?? {}, t.inputs) ?? {}) as Record<string, unknown>;
    for (const [name, alarm] of Object.entries(nested.resources)) addAlarm(name, alarm, true, passed);
  }
  for (const [name, { group, facts }] of policies) {
    if (!signalled.has(name)) add(group, { name, kind: 'webhook', policy: facts });
  }
  // Autohealing: a health alarm names the group (its nested stack) and the pool it watches.
  const healing = new Map<string, string[]>();
  for (const [name, r] of Object.entries(t.resources)) {
    if (r.type !== 'OS::Aodh::LBMemberHealthAlarm') continue;
    const group = refName(r.properties.autoscaling_group_id);
    if (group === undefined) continue;
    const pool = refName(resolveParams(r.properties.pool, t.inputs)) ?? name;
    healing.set(group, [...(healing.get(group) ?? []), pool].sort());
  }
  for (const [name, r] of Object.entries(t.resources)) {
    if (r.type !== 'OS::Heat::AutoScalingGroup') continue;
    const p = resolveParams(r.properties, t.inputs) as Record<string, any>;
    out[name] = {
      name,
      min: num(p.min_size),
      max: num(p.max_size),
      desired: num(p.desired_capacity),
      cooldown: num(p.cooldown),
      member: memberServer(t, r, p.resource?.properties ?? {}),
      rules: rulesByGroup.get(name) ?? {},
      ...(healing.has(name) ? { autohealing: healing.get(name) } : {}),
    };
  }
}

/** The member template's server, its `get_param`s resolved to what the group passes in. */
function memberServer(t: HotTemplate, group: ReadResource, passed: Record<string, unknown>): Record<string, unknown> {
  const type = nestedTypeOf(group);
  const nested = type ? t.nested[type] : undefined;
  if (!nested) return { template: passed };
  const servers = Object.values(nested.resources).filter((r) => r.type === 'OS::Nova::Server');
  if (servers.length === 0) return {};
  // What the group passes overrides the environment's parameter_defaults, as in Heat.
  return resolveParams(servers[0].properties, { ...(t.parameterDefaults ?? {}), ...passed }) as Record<string, unknown>;
}

/** Terraform property names -> the Heat ones, for the resources the behaviour diff reads. */
const TF_SERVER_PROPS: Record<string, string> = { image_name: 'image', image_id: 'image', flavor_name: 'flavor', flavor_id: 'flavor', key_pair: 'key_name' };

function sgRuleFacts(p: Record<string, unknown>): RuleOfSg {
  const remoteGroup = refName(p.remote_group ?? p.remote_group_id);
  const ethertype = String(p.ethertype ?? 'IPv4');
  const cidr = typeof p.remote_ip_prefix === 'string' ? p.remote_ip_prefix : ethertype === 'IPv6' ? '::/0' : '0.0.0.0/0';
  return {
    securityGroup: refName(p.security_group ?? p.security_group_id) ?? String(p.security_group ?? p.security_group_id),
    direction: String(p.direction ?? 'ingress'),
    ethertype,
    protocol: typeof p.protocol === 'string' ? p.protocol : undefined,
    portMin: num(p.port_range_min),
    portMax: num(p.port_range_max),
    remote: remoteGroup ? `members of ${remoteGroup}` : cidr,
  };
}

const pick = (p: Record<string, unknown>, keys: readonly string[], rename: Record<string, string> = {}): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const from = Object.keys(rename).find((r) => rename[r] === k && p[r] !== undefined) ?? k;
    if (p[from] !== undefined) out[k] = p[from];
  }
  return out;
};

/** Properties of a health monitor that change how members are judged. */
export const MONITOR_KEYS = ['type', 'delay', 'timeout', 'max_retries', 'max_retries_down', 'url_path', 'http_method', 'expected_codes', 'admin_state_up'] as const;
/** Properties of a listener that change what the load balancer accepts. */
export const LISTENER_KEYS = ['protocol', 'protocol_port', 'connection_limit', 'allowed_cidrs', 'default_tls_container_ref', 'admin_state_up'] as const;
/** Properties of a pool that change how traffic is spread. */
export const POOL_KEYS = ['protocol', 'lb_algorithm', 'session_persistence', 'admin_state_up'] as const;

/** Reads the behaviour facts of a synthesis. */
export function behaviourFacts(s: Synthesis): BehaviourFacts {
  const f = {
    target: s.target,
    groups: {} as Record<string, GroupFacts>,
    sgRules: {} as Record<string, RuleOfSg>,
    listeners: {} as Record<string, Record<string, unknown>>,
    pools: {} as Record<string, Record<string, unknown>>,
    monitors: {} as Record<string, Record<string, unknown>>,
    floatingIps: {} as Record<string, Record<string, unknown>>,
    servers: {} as Record<string, Record<string, unknown>>,
    outputs: {} as Record<string, unknown>,
  };
  for (const t of s.heat) {
    groupsOf(t, f.groups);
    if (s.target === 'terraform') continue; // the embedded templates hold only groups
    for (const [name, r] of Object.entries(t.resources)) {
      const p = r.properties;
      if (r.type === 'OS::Neutron::SecurityGroupRule') f.sgRules[name] = sgRuleFacts(p);
      else if (r.type === 'OS::Octavia::Listener') f.listeners[name] = pick(p, LISTENER_KEYS);
      else if (r.type === 'OS::Octavia::Pool') f.pools[name] = pick(p, POOL_KEYS);
      else if (r.type === 'OS::Octavia::HealthMonitor') f.monitors[name] = pick(p, MONITOR_KEYS);
      else if (r.type === 'OS::Neutron::FloatingIP') f.floatingIps[name] = p;
      else if (r.type === 'OS::Nova::Server') f.servers[name] = p;
    }
    f.outputs = { ...t.outputs };
  }
  if (s.target === 'terraform') {
    for (const [key, r] of Object.entries(s.terraform)) {
      const name = key.slice(key.indexOf('.') + 1);
      const p = r.properties;
      if (r.type === 'openstack_networking_secgroup_rule_v2') f.sgRules[name] = sgRuleFacts(p);
      else if (r.type === 'openstack_lb_listener_v2') f.listeners[name] = pick(p, LISTENER_KEYS);
      else if (r.type === 'openstack_lb_pool_v2') f.pools[name] = pick(p, POOL_KEYS, { lb_method: 'lb_algorithm', persistence: 'session_persistence' });
      else if (r.type === 'openstack_lb_monitor_v2') f.monitors[name] = pick(p, MONITOR_KEYS);
      else if (r.type === 'openstack_networking_floatingip_v2') f.floatingIps[name] = p;
      else if (r.type === 'openstack_compute_instance_v2') {
        f.servers[name] = Object.fromEntries(Object.entries(p).map(([k, v]) => [TF_SERVER_PROPS[k] ?? k, v]));
      }
    }
    f.outputs = { ...s.terraformOutputs };
  }
  return f;
}
