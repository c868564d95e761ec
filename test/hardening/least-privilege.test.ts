/**
 * Least privilege, over every example in `examples/index.ts` (iterated dynamically: examples the
 * lead adds later are checked too), in both targets and in every template each target writes
 * (Heat: main and nested templates; Terraform: the stack and the Heat templates it embeds):
 *
 * - no security group rule opens a remote-shell, database, queue or cache port
 *   (`SENSITIVE_TCP_PORTS`) to the internet (a /0 block, or no remote at all, which Neutron reads
 *   as "anywhere");
 * - the only public entry points are load balancer listeners: a stack with a load balancer opens
 *   no security group rule to the internet; a stack without one may open TCP 80 and 443 only;
 * - no secret is a literal: no password-like property or `str_replace` placeholder holds a literal,
 *   Heat parameters that look secret are hidden with no default and get no value from the
 *   environment, secrets reach nested stacks only through hidden parameters and never a Heat
 *   output; Terraform sensitive variables have no default, password-like variables are sensitive,
 *   and no output shows one unmarked.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { App, ListenerProtocol, LoadBalancer, Peer, Port, SecurityGroup, SENSITIVE_TCP_PORTS, Stack, VirtualNetwork } from '../../src';
import { EXAMPLES, exampleStack } from '../../examples';
import { heatOf, terraformOf } from '../util/synth';

type Json = any;

/** Names of properties, parameters and variables that hold secrets. */
const SECRET_NAME = /pass(word|wd|phrase)?\b|password|secret|token|api[_-]?key|private[_-]?key|credential/i;
/** Placeholders (`str_replace` keys) that stand for secrets. */
const SECRET_PLACEHOLDER = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY/i;
/** Ports a stack without a load balancer may open to the internet. */
const PUBLIC_WEB_PORTS = [80, 443];

/** A Heat document and where it came from. */
interface HeatDoc {
  readonly where: string;
  readonly doc: Json;
  readonly environment?: Json;
  /** Finds a nested template by the resource type that names it. */
  readonly nested: (type: string) => HeatDoc | undefined;
}

/** A security group rule, from any template, normalized. */
interface Rule {
  readonly where: string;
  readonly direction: string;
  readonly protocol: unknown;
  readonly min?: number;
  readonly max?: number;
  /** The remote CIDR, `undefined` for a remote group, or `'<none>'` when the rule names no remote. */
  readonly remote?: string;
}

/** Everything synthesized for one stack of one example. */
interface Rendered {
  readonly name: string;
  readonly heatDocs: HeatDoc[];
  readonly heatMain: HeatDoc;
  readonly terraform: Json;
  readonly terraformDocs: HeatDoc[];
}

function render(example: string, stack: Stack): Rendered {
  const name = `${example}/${stack.stackName}`;
  const heat = heatOf(stack);
  const byFile = new Map<string, HeatDoc>();
  const heatDoc = (file: string, doc: Json, environment?: Json): HeatDoc => {
    const d: HeatDoc = { where: `${name} heat/${file}`, doc, environment, nested: (type) => byFile.get(type) };
    byFile.set(file, d);
    return d;
  };
  const heatMain = heatDoc(`${stack.stackName}.yaml`, heat.template, heat.environment);
  const heatDocs = [heatMain, ...Object.entries(heat.files).map(([file, doc]) => heatDoc(file, doc))];

  const tf = terraformOf(stack);
  const terraformDocs: HeatDoc[] = [];
  const fromDir = (dir: string, rel: string, label: string): HeatDoc | undefined => {
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) return undefined;
    return { where: `${name} terraform/${label}`, doc: yaml.load(fs.readFileSync(file, 'utf8')), nested: (type) => fromDir(path.dirname(file), type, type) };
  };
  for (const [id, res] of Object.entries<Json>(tf.resources('openstack_orchestration_stack_v1'))) {
    const bin = res.template_opts?.Bin;
    if (typeof bin !== 'string' || /^\$\{[^\n]*\}$/.test(bin.trim())) continue;
    const doc: HeatDoc = {
      where: `${name} terraform/openstack_orchestration_stack_v1.${id}`,
      doc: yaml.load(bin),
      nested: (type) => fromDir(tf.directory, type, type),
    };
    terraformDocs.push(doc, ...nestedDocsOf(doc));
  }
  return { name, heatDocs, heatMain, terraform: tf.json, terraformDocs };
}

/** The nested templates a Heat document uses (as resource types), recursively. */
function nestedDocsOf(doc: HeatDoc, seen = new Set<string>()): HeatDoc[] {
  const out: HeatDoc[] = [];
  for (const { type } of nestedUses(doc.doc)) {
    const child = doc.nested(type);
    if (!child || seen.has(child.where)) continue;
    seen.add(child.where);
    out.push(child, ...nestedDocsOf(child, seen));
  }
  return out;
}

/** Where a Heat document instantiates a nested template: its type and the properties it passes. */
function nestedUses(doc: Json): Array<{ resource: string; type: string; properties: Json }> {
  const out: Array<{ resource: string; type: string; properties: Json }> = [];
  for (const [name, r] of Object.entries<Json>(doc?.resources ?? {})) {
    if (typeof r?.type === 'string' && r.type.endsWith('.yaml')) out.push({ resource: name, type: r.type, properties: r.properties ?? {} });
    const inner = r?.properties?.resource ?? r?.properties?.resource_def;
    if (typeof inner?.type === 'string' && inner.type.endsWith('.yaml')) out.push({ resource: name, type: inner.type, properties: inner.properties ?? {} });
  }
  return out;
}

/** A Heat value as a literal: a string or number, a `get_param` resolved from the environment or its default. */
function literalOf(value: unknown, doc: HeatDoc): unknown {
  if (value === null || typeof value !== 'object') return value;
  const p = (value as Json).get_param;
  if (typeof p === 'string') return doc.environment?.parameters?.[p] ?? doc.doc?.parameters?.[p]?.default ?? value;
  return value;
}

function heatRules(doc: HeatDoc): Rule[] {
  const rules: Rule[] = [];
  const add = (where: string, r: Json): void => {
    const remoteGroup = r.remote_group ?? r.remote_group_id;
    const prefix = literalOf(r.remote_ip_prefix, doc);
    const byGroup = remoteGroup !== undefined || r.remote_mode === 'remote_group_id';
    rules.push({
      where,
      direction: String(literalOf(r.direction, doc) ?? 'ingress'),
      protocol: literalOf(r.protocol, doc),
      min: r.port_range_min as number | undefined,
      max: r.port_range_max as number | undefined,
      remote: byGroup ? undefined : prefix === undefined ? '<none>' : typeof prefix === 'string' ? prefix : `<unresolved ${JSON.stringify(prefix)}>`,
    });
  };
  for (const [name, r] of Object.entries<Json>(doc.doc?.resources ?? {})) {
    if (r?.type === 'OS::Neutron::SecurityGroupRule') add(`${doc.where} ${name}`, r.properties ?? {});
    if (r?.type === 'OS::Neutron::SecurityGroup') (r.properties?.rules ?? []).forEach((x: Json, i: number) => add(`${doc.where} ${name}.rules[${i}]`, x));
  }
  return rules;
}

function terraformRules(r: Rendered): Rule[] {
  return Object.entries<Json>(r.terraform.resource?.openstack_networking_secgroup_rule_v2 ?? {}).map(([name, x]) => ({
    where: `${r.name} terraform/openstack_networking_secgroup_rule_v2.${name}`,
    direction: x.direction,
    protocol: x.protocol,
    min: x.port_range_min,
    max: x.port_range_max,
    remote: x.remote_group_id !== undefined ? undefined : (x.remote_ip_prefix ?? '<none>'),
  }));
}

/** True when the rule lets the whole internet in: a /0 block (any spelling), no remote, or a remote we cannot read. */
function isPublic(rule: Rule): boolean {
  if (rule.direction !== 'ingress' || rule.remote === undefined) return false;
  if (rule.remote === '<none>' || rule.remote.startsWith('<unresolved')) return true;
  return /\/0+$/.test(rule.remote.trim());
}

function coversTcp(rule: Rule, port: number): boolean {
  const p = rule.protocol === undefined || rule.protocol === null ? 'any' : String(rule.protocol).toLowerCase();
  if (!['any', 'tcp', '6'].includes(p)) return false;
  return (rule.min ?? 1) <= port && port <= (rule.max ?? 65535);
}

function describeRule(r: Rule): string {
  const ports = r.min === undefined ? 'all ports' : r.min === r.max ? `port ${r.min}` : `ports ${r.min}-${r.max}`;
  return `${r.where}: ${r.direction} ${String(r.protocol ?? 'any')} ${ports} from ${r.remote}`;
}

// --- secrets ---

/** Walks a JSON-like value, calling `visit` on every object with its path. */
function walk(value: unknown, at: string, visit: (obj: Json, at: string) => void): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`, visit));
  else if (value !== null && typeof value === 'object') {
    visit(value, at);
    for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`, visit);
  }
}

const isLiteral = (v: unknown): boolean => (typeof v === 'string' && v.length > 0) || typeof v === 'number';

/** Literal secrets in a Heat document: properties, str_replace params, parameters, environment. */
function heatLiteralSecrets(doc: HeatDoc): string[] {
  const found: string[] = [];
  walk(doc.doc?.resources ?? {}, `${doc.where} resources`, (obj, at) => {
    for (const [k, v] of Object.entries<Json>(obj)) {
      if (SECRET_NAME.test(k) && isLiteral(v)) found.push(`${at}.${k} is a literal`);
    }
    const params = obj.str_replace?.params;
    for (const [k, v] of Object.entries<Json>(params ?? {})) {
      if (SECRET_PLACEHOLDER.test(k) && isLiteral(v)) found.push(`${at}.str_replace.params.${k} replaces a secret placeholder by a literal`);
    }
  });
  for (const [name, p] of Object.entries<Json>(doc.doc?.parameters ?? {})) {
    const secretLike = SECRET_NAME.test(name);
    if (secretLike && p?.hidden !== true) found.push(`${doc.where} parameter '${name}' looks secret but is not hidden`);
    if ((secretLike || p?.hidden === true) && p?.default !== undefined) found.push(`${doc.where} parameter '${name}' holds a secret default`);
    if ((secretLike || p?.hidden === true) && doc.environment?.parameters?.[name] !== undefined) found.push(`${doc.where} environment gives secret parameter '${name}' a literal value`);
  }
  return found;
}

/**
 * Secrets that leave a Heat document unprotected: passed to a nested template's parameter that is
 * not hidden (nested stacks show their parameters), or written to an output (Heat outputs have no
 * sensitive flag). A secret is a `get_attr` of an `OS::Heat::RandomString`, or a `get_param` of a
 * parameter known to carry one.
 */
function heatSecretFlows(doc: HeatDoc, secretParams: ReadonlySet<string>, seen = new Set<string>()): string[] {
  const found: string[] = [];
  const randoms = new Set(Object.entries<Json>(doc.doc?.resources ?? {}).filter(([, r]) => r?.type === 'OS::Heat::RandomString').map(([n]) => n));
  const carriesSecret = (value: unknown): boolean => {
    let hit = false;
    walk(value, '', (obj) => {
      const attr = obj.get_attr;
      if (Array.isArray(attr) && randoms.has(attr[0])) hit = true;
      const param = Array.isArray(obj.get_param) ? obj.get_param[0] : obj.get_param;
      if (typeof param === 'string' && secretParams.has(param)) hit = true;
    });
    return hit;
  };
  for (const [name, output] of Object.entries<Json>(doc.doc?.outputs ?? {})) {
    if (carriesSecret(output?.value)) found.push(`${doc.where} output '${name}' shows a secret (Heat outputs cannot be hidden)`);
  }
  for (const use of nestedUses(doc.doc)) {
    const child = doc.nested(use.type);
    const secret = new Set(Object.entries<Json>(use.properties).filter(([, v]) => carriesSecret(v)).map(([k]) => k));
    if (secret.size === 0) continue;
    if (!child) {
      found.push(`${doc.where} ${use.resource}: passes secrets to ${use.type}, which was not found`);
      continue;
    }
    for (const k of secret) {
      if (child.doc?.parameters?.[k]?.hidden !== true) {
        found.push(`${doc.where} ${use.resource}: passes a secret to parameter '${k}' of ${child.where}, which is not hidden`);
      }
    }
    if (!seen.has(child.where)) {
      seen.add(child.where);
      found.push(...heatSecretFlows(child, secret, seen));
    }
  }
  return found;
}

/** Literal secrets (`literals`) and unprotected secret flows (`flows`) in a Terraform stack. */
function terraformSecrets(r: Rendered): { literals: string[]; flows: string[] } {
  const found: string[] = [];
  const flows: string[] = [];
  const tf = r.terraform;
  const sensitive = new Set<string>();
  for (const [name, v] of Object.entries<Json>(tf.variable ?? {})) {
    if (v?.sensitive === true) {
      sensitive.add(name);
      if (v.default !== undefined) found.push(`${r.name} terraform variable '${name}' is sensitive but has a default`);
    } else if (SECRET_NAME.test(name)) {
      found.push(`${r.name} terraform variable '${name}' looks secret but is not sensitive`);
    }
  }
  const refersToSecret = (value: unknown): boolean =>
    JSON.stringify(value ?? null).match(/var\.([A-Za-z0-9_-]+)/g)?.some((m) => sensitive.has(m.slice(4))) ?? false;
  for (const section of ['resource', 'data', 'provider', 'locals'] as const) {
    walk(tf[section] ?? {}, `${r.name} terraform/${section}`, (obj, at) => {
      for (const [k, v] of Object.entries<Json>(obj)) {
        if (SECRET_NAME.test(k) && isLiteral(v) && !String(v).includes('${')) found.push(`${at}.${k} is a literal`);
      }
    });
  }
  for (const [name, o] of Object.entries<Json>(tf.output ?? {})) {
    if (refersToSecret(o?.value) && o?.sensitive !== true) found.push(`${r.name} terraform output '${name}' shows a sensitive variable unmarked`);
  }
  for (const [id, res] of Object.entries<Json>(tf.resource?.openstack_orchestration_stack_v1 ?? {})) {
    const doc = r.terraformDocs.find((d) => d.where.endsWith(`openstack_orchestration_stack_v1.${id}`));
    const secret = new Set(Object.entries<Json>(res.parameters ?? {}).filter(([, v]) => refersToSecret(v)).map(([k]) => k));
    if (secret.size === 0) continue;
    if (!doc) {
      flows.push(`${r.name} terraform openstack_orchestration_stack_v1.${id}: passes secrets to a template that cannot be read`);
      continue;
    }
    for (const k of secret) {
      if (doc.doc?.parameters?.[k]?.hidden !== true) flows.push(`${doc.where}: parameter '${k}' receives a sensitive variable but is not hidden`);
    }
    flows.push(...heatSecretFlows(doc, secret));
  }
  return { literals: found, flows };
}

// --- the tests ---

function hasLoadBalancer(docs: HeatDoc[]): boolean {
  return docs.some((d) => Object.values<Json>(d.doc?.resources ?? {}).some((r) => r?.type === 'OS::Octavia::LoadBalancer'));
}

describe.each(EXAMPLES.map((e) => [e.name, e] as const))('example %s', (_name, example) => {
  let rendered: Rendered[] = [];
  beforeAll(() => {
    const app = new App();
    rendered = [render(example.name, exampleStack(example, app))];
  });

  test('no security group rule opens a sensitive port to the internet', () => {
    // GIVEN every rule of every template in both targets
    const rules = rendered.flatMap((r) => [...r.heatDocs.flatMap(heatRules), ...r.terraformDocs.flatMap(heatRules), ...terraformRules(r)]);
    expect(rules.length).toBeGreaterThan(0);
    // THEN none lets the internet reach SSH, RDP, a database, a queue or a cache
    const open = rules.filter(isPublic).flatMap((rule) =>
      [...SENSITIVE_TCP_PORTS].filter(([port]) => coversTcp(rule, port)).map(([port, what]) => `${describeRule(rule)} opens ${what} (tcp ${port})`),
    );
    expect(open).toEqual([]);
  });

  test('only load balancer listeners are public; without a load balancer only TCP 80/443', () => {
    const problems = rendered.flatMap((r) => {
      const check = (target: string, rules: Rule[], withLb: boolean): string[] =>
        rules.filter(isPublic).flatMap((rule) => {
          if (withLb) return [`${describeRule(rule)}: the ${target} stack has a load balancer, so nothing else may be public`];
          const web = String(rule.protocol).toLowerCase() === 'tcp' && rule.min === rule.max && PUBLIC_WEB_PORTS.includes(rule.min ?? -1);
          return web ? [] : [`${describeRule(rule)}: only TCP ${PUBLIC_WEB_PORTS.join('/')} may be public`];
        });
      const heatLb = hasLoadBalancer(r.heatDocs);
      const tfLb = Object.keys(r.terraform.resource?.openstack_lb_loadbalancer_v2 ?? {}).length > 0;
      // Both targets agree on whether there is a load balancer.
      expect(tfLb).toBe(heatLb);
      return [...check('Heat', r.heatDocs.flatMap(heatRules), heatLb), ...check('Terraform', [...terraformRules(r), ...r.terraformDocs.flatMap(heatRules)], tfLb)];
    });
    expect(problems).toEqual([]);
  });

  test('no secret is a literal in any template, parameter, variable or output', () => {
    const found = rendered.flatMap((r) => [...r.heatDocs.flatMap(heatLiteralSecrets), ...r.terraformDocs.flatMap(heatLiteralSecrets), ...terraformSecrets(r).literals]);
    expect(found).toEqual([]);
  });

  test('secrets reach nested stacks only through hidden parameters, and never a Heat output', () => {
    const found = rendered.flatMap((r) => [...heatSecretFlows(r.heatMain, new Set()), ...terraformSecrets(r).flows]);
    expect(found).toEqual([]);
  });
});

describe('the checks themselves catch what they look for', () => {
  test('a public SSH rule and a public rule next to a load balancer, in both targets', () => {
    // GIVEN a stack that says it really means to open SSH to everyone, and has a load balancer
    const app = new App();
    const stack = new Stack(app, 'bad');
    const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
    new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet }).addListener('Http', { protocol: ListenerProtocol.HTTP, port: 80 });
    new SecurityGroup(stack, 'Sg').addIngressRule(Peer.anyIpv6(), Port.tcp(22), { allowPublicAccessToSensitivePort: true });
    const r = render('self-check', stack);
    // WHEN the rules are read THEN each target shows one public SSH rule
    const heat = r.heatDocs.flatMap(heatRules).filter(isPublic);
    const tf = terraformRules(r).filter(isPublic);
    for (const rules of [heat, tf]) {
      expect(rules).toHaveLength(1);
      expect(coversTcp(rules[0], 22)).toBe(true);
    }
    expect(hasLoadBalancer(r.heatDocs)).toBe(true);
  });

  test('literal secrets in Heat and Terraform', () => {
    // GIVEN hand-written documents with every kind of literal secret
    const doc: HeatDoc = {
      where: 'doc',
      nested: () => undefined,
      environment: { parameters: { db_password: 'hunter2' } },
      doc: {
        parameters: { db_password: { type: 'string' }, api_token: { type: 'string', hidden: true, default: 'abc' } },
        resources: {
          db: { type: 'OS::Trove::Instance', properties: { users: [{ name: 'app', password: 'hunter2' }] } },
          web: { type: 'OS::Nova::Server', properties: { user_data: { str_replace: { template: 'x', params: { '@@DB_PASSWORD@@': 'hunter2' } } } } },
        },
        outputs: {},
      },
    };
    // THEN each is reported
    expect(heatLiteralSecrets(doc)).toEqual([
      'doc resources.db.properties.users[0].password is a literal',
      'doc resources.web.properties.user_data.str_replace.params.@@DB_PASSWORD@@ replaces a secret placeholder by a literal',
      'doc resources.web.properties.user_data.str_replace.params.@@DB_PASSWORD@@ is a literal',
      "doc parameter 'db_password' looks secret but is not hidden",
      "doc environment gives secret parameter 'db_password' a literal value",
      "doc parameter 'api_token' holds a secret default",
    ]);
    const tf: Rendered = {
      name: 'tf',
      heatDocs: [],
      heatMain: doc,
      terraformDocs: [],
      terraform: {
        variable: { db_password: { type: 'string', sensitive: true, default: 'x' }, api_key: { type: 'string' } },
        resource: { openstack_db_instance_v1: { db: { user: [{ name: 'app', password: 'hunter2' }] } } },
        output: { pw: { value: '${var.db_password}' } },
      },
    };
    expect(terraformSecrets(tf).literals).toEqual([
      "tf terraform variable 'db_password' is sensitive but has a default",
      "tf terraform variable 'api_key' looks secret but is not sensitive",
      'tf terraform/resource.openstack_db_instance_v1.db.user[0].password is a literal',
      "tf terraform output 'pw' shows a sensitive variable unmarked",
    ]);
  });
});
