/**
 * Reads synthesized HOT (a main template, its environment, its nested member templates) into the
 * scaling model the simulator replays: each `OS::Heat::AutoScalingGroup`, its
 * `OS::Heat::ScalingPolicy`s, and the `OS::Aodh::*` alarms whose `alarm_actions` reach a policy's
 * `signal_url` / `alarm_url` (directly, inside `str_replace` with the `trust+` prefix, or through a
 * parameter of the member template for per-member alarms).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ErrorCode, propError, usageError } from '../core/errors';
import type { CompositeNode, ComparisonOperatorName } from './aodh-rules';
import type { AdjustmentTypeName } from './heat-rules';

/** One Gnocchi threshold rule of an alarm. */
export interface ThresholdRule {
  /** 'aggregation': `GnocchiAggregationByResourcesAlarm` (across the group's servers); 'resource': `GnocchiResourcesAlarm` (one server). */
  readonly kind: 'aggregation' | 'resource';
  readonly metric: string;
  readonly aggregationMethod: string;
  readonly granularity: number;
  readonly evaluationPeriods: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperatorName;
  /** True when the query keeps only live resources (`{"=": {"ended_at": null}}`). */
  readonly liveOnly: boolean;
}

/** One alarm that signals a policy of the group. */
export interface SimAlarm {
  /** Logical name in its template. */
  readonly name: string;
  readonly description?: string;
  readonly enabled: boolean;
  readonly repeatActions: boolean;
  /** The policy its `alarm_actions` signal. */
  readonly policy: string;
  /** Its threshold rules (one, or a composite alarm's). */
  readonly rules: readonly ThresholdRule[];
  /** A composite alarm's rule tree over `rules` (by index); undefined for a threshold alarm. */
  readonly composite?: CompositeNode;
  /** True when the alarm lives in the member template: one alarm per member. */
  readonly perMember: boolean;
}

/** One scaling policy. */
export interface SimPolicy {
  readonly name: string;
  readonly adjustmentType: AdjustmentTypeName;
  readonly scalingAdjustment: number;
  readonly minAdjustmentStep?: number;
  /** Seconds; undefined means the group's cooldown. */
  readonly cooldown?: number;
}

/** One autoscaling group and everything that scales it. */
export interface SimGroup {
  /** The stack (main template file name without `.yaml`). */
  readonly stack: string;
  /** Logical name of the group in the main template. */
  readonly name: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity?: number;
  /** The group's cooldown in seconds (Heat's default when absent: none). */
  readonly cooldown: number;
  readonly policies: Readonly<Record<string, SimPolicy>>;
  readonly alarms: readonly SimAlarm[];
  /** The members' vCPU count, as the library records it in the CPU alarms' descriptions. */
  readonly vcpus?: number;
  /** Alarms of the group the simulator cannot replay (e.g. Prometheus), with the reason. */
  readonly skipped: readonly string[];
}

type Doc = Record<string, any>;

const OPERATORS: readonly ComparisonOperatorName[] = ['gt', 'lt', 'ge', 'le', 'eq', 'ne'];
const ADJUSTMENTS: readonly AdjustmentTypeName[] = ['change_in_capacity', 'exact_capacity', 'percent_change_in_capacity'];

function readYaml(file: string): Doc {
  let doc: unknown;
  try {
    doc = yaml.load(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw usageError(file, ErrorCode.FORMAT, 'template', `is not readable YAML (${(e as Error).message.split('\n')[0]}); pass a template written by 'scaleout synth'`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw propError(file, ErrorCode.FORMAT, 'template', doc, 'must be a YAML mapping', "pass a template written by 'scaleout synth'");
  }
  return doc as Doc;
}

/** Every value reachable in `node` for which `pick` returns something. */
function collect<T>(node: unknown, pick: (n: Doc) => T | undefined, out: T[] = []): T[] {
  if (Array.isArray(node)) {
    for (const n of node) collect(n, pick, out);
  } else if (node !== null && typeof node === 'object') {
    const hit = pick(node as Doc);
    if (hit !== undefined) out.push(hit);
    else for (const v of Object.values(node as Doc)) collect(v, pick, out);
  }
  return out;
}

/** The policy a webhook expression points at: `get_attr: [policy, signal_url | alarm_url]`. */
function policyOf(expr: unknown): string[] {
  return collect(expr, (n) => {
    const ga = n.get_attr;
    return Array.isArray(ga) && (ga[1] === 'signal_url' || ga[1] === 'alarm_url') && typeof ga[0] === 'string' ? (ga[0] as string) : undefined;
  });
}

/**
 * The URL an alarm action yields, as far as the simulator needs it: a policy's `signal_url` is
 * `<heat endpoint>/<project>/stacks/<stack>/<id>/resources/<policy>/signal` (heat
 * `engine/resources/signal_responder.py` `_get_heat_signal_url`), written here as
 * `heat:/resources/<policy>/signal`; its `alarm_url` (the EC2-signed URL) as
 * `heat-ec2:/resources/<policy>/alarm`. `str_replace` replaces its keys longest first, in one pass
 * (heat `engine/hot/functions.py` `Replace.result`), so the per-member alarms' action (the
 * `<group>_signal_base` policy's URL with the real policy's name put in its place) resolves to the
 * real policy. `get_param` reads `params` (the member parameters the group passes). Undefined when
 * the value depends on something else.
 */
export function actionUrl(expr: unknown, params: Doc = {}, depth = 0): string | undefined {
  if (depth > 20) return undefined;
  if (typeof expr === 'string') return expr;
  if (typeof expr === 'number') return String(expr);
  if (expr === null || typeof expr !== 'object' || Array.isArray(expr)) return undefined;
  const n = expr as Doc;
  const ga = n.get_attr;
  if (Array.isArray(ga) && typeof ga[0] === 'string') {
    if (ga[1] === 'signal_url') return `heat:/resources/${ga[0]}/signal`;
    if (ga[1] === 'alarm_url') return `heat-ec2:/resources/${ga[0]}/alarm`;
    return undefined;
  }
  if (typeof n.get_param === 'string') return Object.prototype.hasOwnProperty.call(params, n.get_param) ? actionUrl(params[n.get_param], {}, depth + 1) : undefined;
  if (n.str_replace && typeof n.str_replace === 'object') {
    const template = actionUrl(n.str_replace.template, params, depth + 1);
    if (template === undefined) return undefined;
    const pairs: [string, string][] = [];
    for (const [k, v] of Object.entries((n.str_replace.params ?? {}) as Doc)) {
      const value = actionUrl(v, params, depth + 1);
      if (value === undefined) return undefined;
      pairs.push([k, value]);
    }
    pairs.sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const replace = (text: string, i: number): string => (i >= pairs.length ? text : text.split(pairs[i][0]).map((part) => replace(part, i + 1)).join(pairs[i][1]));
    return replace(template, 0);
  }
  if (Array.isArray(n.list_join) && typeof n.list_join[0] === 'string' && Array.isArray(n.list_join[1])) {
    const parts = (n.list_join[1] as unknown[]).map((x) => actionUrl(x, params, depth + 1));
    return parts.every((x) => x !== undefined) ? parts.join(n.list_join[0]) : undefined;
  }
  return undefined;
}

/** The resource whose signal an action URL reaches (see `actionUrl`), if it is one. */
export function signalledResource(url: string | undefined): string | undefined {
  const m = url === undefined ? null : /\/resources\/([^/?]+)\/(signal|alarm)(?:$|\?)/.exec(url);
  return m ? m[1] : undefined;
}

/**
 * The resources an alarm's `alarm_actions` signal: each action's URL resolved (see `actionUrl`),
 * or, when an action cannot be resolved, every policy URL attribute it mentions.
 */
export function signalTargets(actions: unknown, params: Doc = {}): string[] {
  const list = Array.isArray(actions) ? actions : actions === undefined ? [] : [actions];
  return list.flatMap((a) => {
    const hit = signalledResource(actionUrl(a, params));
    return hit !== undefined ? [hit] : policyOf(a);
  });
}

/** Resolves a plain value or `get_param` against the environment and parameter defaults. */
function resolveParam(value: unknown, template: Doc, env: Doc): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Doc).get_param === 'string') {
    const name = (value as Doc).get_param as string;
    const fromEnv = env.parameters?.[name] ?? env.parameter_defaults?.[name];
    return fromEnv !== undefined ? fromEnv : template.parameters?.[name]?.default;
  }
  return value;
}

function num(where: string, prop: string, value: unknown, opts: { min?: number; integer?: boolean; optional?: boolean } = {}): number | undefined {
  if (value === undefined || value === null) {
    if (opts.optional) return undefined;
    throw propError(where, ErrorCode.REQUIRED, prop, value, 'is needed to simulate the group', 'synthesize the template with Scaleout or add the property');
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min)) {
    throw propError(
      where,
      ErrorCode.RANGE,
      prop,
      value,
      `must be ${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` of at least ${opts.min}` : ''}`,
      'the simulator replays literal values only; resolve parameters in the environment',
    );
  }
  return n;
}

function queryText(query: unknown): string {
  if (typeof query === 'string') return query;
  const s = collect(query, (n) => (typeof n.template === 'string' ? (n.template as string) : undefined));
  return s.join(' ');
}

function thresholdRule(where: string, p: Doc, kind: 'aggregation' | 'resource'): ThresholdRule {
  const op = p.comparison_operator ?? 'eq';
  if (!OPERATORS.includes(op)) throw propError(where, ErrorCode.ENUM, 'comparison_operator', op, `must be one of ${OPERATORS.join(', ')}`, 'use an Aodh operator');
  const q = queryText(p.query);
  return {
    kind,
    metric: String(p.metric),
    aggregationMethod: String(p.aggregation_method ?? 'mean'),
    granularity: num(where, 'granularity', p.granularity ?? 60, { min: 1 })!,
    evaluationPeriods: num(where, 'evaluation_periods', p.evaluation_periods ?? 1, { min: 1, integer: true })!,
    threshold: num(where, 'threshold', p.threshold)!,
    comparisonOperator: op,
    liveOnly: /"ended_at"\s*:\s*null/.test(q),
  };
}

const RULE_KIND: Record<string, 'aggregation' | 'resource'> = {
  gnocchi_aggregation_by_resources_threshold: 'aggregation',
  gnocchi_resources_threshold: 'resource',
};

function compositeOf(where: string, node: unknown, rules: ThresholdRule[]): CompositeNode {
  if (node === null || typeof node !== 'object') throw propError(where, ErrorCode.FORMAT, 'composite_rule', node, 'must be a rule or an and/or mapping', 'synthesize it with Scaleout');
  const n = node as Doc;
  // HOT writes {operator: and|or, rules: [...]}; Aodh's API form is {and: [...]} / {or: [...]}.
  const op = n.operator ?? (n.and ? 'and' : n.or ? 'or' : undefined);
  const children = n.rules ?? n.and ?? n.or;
  if (op === 'and' || op === 'or') {
    if (!Array.isArray(children) || children.length === 0) throw propError(where, ErrorCode.FORMAT, 'composite_rule.rules', children, 'must list rules', 'add the rules');
    const kids = children.map((c: unknown) => compositeOf(where, c, rules));
    return op === 'and' ? { and: kids } : { or: kids };
  }
  const kind = RULE_KIND[n.type];
  if (!kind) throw usageError(where, ErrorCode.UNSUPPORTED, 'composite_rule', `has a rule of type ${JSON.stringify(n.type)} the simulator cannot replay; it replays Gnocchi threshold rules`);
  rules.push(thresholdRule(where, n, kind));
  return { rule: rules.length - 1 };
}

const VCPUS = /of (\d+) vCPUs? x/;

/** The group model of one main template (with its environment and member templates beside it). */
export function loadStack(mainFile: string, envFile?: string): SimGroup[] {
  const template = readYaml(mainFile);
  const env = envFile ? readYaml(envFile) : {};
  const dir = path.dirname(mainFile);
  const stack = path.basename(mainFile).replace(/\.(yaml|yml|template)$/, '');
  const resources = (template.resources ?? {}) as Record<string, Doc>;
  const groups: SimGroup[] = [];
  for (const [name, res] of Object.entries(resources)) {
    if (res?.type !== 'OS::Heat::AutoScalingGroup') continue;
    const where = `${path.basename(mainFile)}:resources.${name}`;
    const p = (res.properties ?? {}) as Doc;
    const minSize = num(where, 'min_size', resolveParam(p.min_size, template, env), { min: 0, integer: true })!;
    const maxSize = num(where, 'max_size', resolveParam(p.max_size, template, env), { min: 0, integer: true })!;
    if (maxSize < minSize) throw propError(where, ErrorCode.CONFLICT, 'max_size', maxSize, `must be at least min_size (${minSize})`, 'fix the template');
    const desired = num(where, 'desired_capacity', resolveParam(p.desired_capacity, template, env), { min: 0, integer: true, optional: true });
    const cooldown = num(where, 'cooldown', resolveParam(p.cooldown, template, env), { min: 0, optional: true }) ?? 0;
    const policies: Record<string, SimPolicy> = {};
    for (const [pname, pres] of Object.entries(resources)) {
      if (pres?.type !== 'OS::Heat::ScalingPolicy') continue;
      const pp = (pres.properties ?? {}) as Doc;
      if (pp.auto_scaling_group_id?.get_resource !== name) continue;
      const pwhere = `${path.basename(mainFile)}:resources.${pname}`;
      const type = pp.adjustment_type ?? 'change_in_capacity';
      if (!ADJUSTMENTS.includes(type)) throw propError(pwhere, ErrorCode.ENUM, 'adjustment_type', type, `must be one of ${ADJUSTMENTS.join(', ')}`, 'fix the template');
      policies[pname] = {
        name: pname,
        adjustmentType: type,
        scalingAdjustment: num(pwhere, 'scaling_adjustment', resolveParam(pp.scaling_adjustment, template, env), { integer: true })!,
        minAdjustmentStep: num(pwhere, 'min_adjustment_step', resolveParam(pp.min_adjustment_step, template, env), { min: 0, integer: true, optional: true }),
        cooldown: num(pwhere, 'cooldown', resolveParam(pp.cooldown, template, env), { min: 0, optional: true }),
      };
    }
    const alarms: SimAlarm[] = [];
    const skipped: string[] = [];
    // A member template's parameter: what the group passes (resolved in the main template), else its default.
    const passed = ((p.resource as Doc | undefined)?.properties ?? {}) as Doc;
    let memberDoc: Doc = {};
    const memberParam = (value: unknown): unknown => {
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Doc).get_param === 'string') {
        const name = (value as Doc).get_param as string;
        if (Object.prototype.hasOwnProperty.call(passed, name)) return resolveParam(passed[name], template, env);
        return memberDoc.parameters?.[name]?.default;
      }
      return value;
    };
    const readAlarm = (aname: string, ares: Doc, doc: Doc, file: string, target: (actions: unknown) => string[], perMember: boolean): void => {
      if (typeof ares?.type !== 'string' || !ares.type.startsWith('OS::Aodh::')) return;
      const ap = (ares.properties ?? {}) as Doc;
      const targets = target(ap.alarm_actions).filter((t) => policies[t]);
      if (targets.length === 0) return;
      const awhere = `${file}:resources.${aname}`;
      // The simulator has no wall clock: an alarm evaluated only in time windows that sets an
      // exact capacity is a schedule (`scaleOnSchedule`) and is not replayed; other alarms with
      // time windows (scale-in alarms paused by a schedule) are replayed as if always evaluated.
      if (Array.isArray(ap.time_constraints) && ap.time_constraints.length > 0) {
        if (targets.every((t) => policies[t].adjustmentType === 'exact_capacity')) {
          skipped.push(`${aname} (${ares.type}): a schedule (time_constraints), not replayed; the simulator has no wall clock`);
          return;
        }
        skipped.push(`${aname} (${ares.type}): its time_constraints are ignored; replayed as if evaluated at all times`);
      }
      const enabledValue = perMember ? memberParam(ap.enabled ?? true) : resolveParam(ap.enabled ?? true, doc, env);
      const base = {
        name: aname,
        description: typeof ap.description === 'string' ? ap.description : undefined,
        enabled: enabledValue !== false && enabledValue !== 'false' && enabledValue !== 'False',
        repeatActions: ap.repeat_actions === undefined ? true : ap.repeat_actions === true || ap.repeat_actions === 'true',
        perMember,
      };
      let rules: ThresholdRule[];
      let composite: CompositeNode | undefined;
      if (ares.type === 'OS::Aodh::GnocchiAggregationByResourcesAlarm') rules = [thresholdRule(awhere, ap, 'aggregation')];
      else if (ares.type === 'OS::Aodh::GnocchiResourcesAlarm') rules = [thresholdRule(awhere, ap, 'resource')];
      else if (ares.type === 'OS::Aodh::CompositeAlarm') {
        rules = [];
        composite = compositeOf(awhere, ap.composite_rule, rules);
      } else {
        skipped.push(`${aname} (${ares.type}): not replayed; the simulator replays Gnocchi threshold and composite alarms`);
        return;
      }
      for (const t of targets) alarms.push({ ...base, policy: t, rules, composite });
    };
    for (const [aname, ares] of Object.entries(resources)) readAlarm(aname, ares, template, path.basename(mainFile), (a) => signalTargets(a), false);
    // Alarms inside the member template reach a policy through a member parameter the group sets.
    const member = p.resource as Doc | undefined;
    const memberType = member?.type;
    if (typeof memberType === 'string' && /\.(yaml|yml|template)$/.test(memberType)) {
      const memberFile = path.join(dir, memberType);
      if (!fs.existsSync(memberFile)) {
        throw propError(where, ErrorCode.USAGE, 'resource.type', memberType, `names a member template that is not beside the main template (${dir})`, 'pass the folder written by synth, with the nested templates');
      }
      memberDoc = readYaml(memberFile);
      // A member's alarm reaches a policy through a parameter the group sets (see `actionUrl`).
      for (const [aname, ares] of Object.entries((memberDoc.resources ?? {}) as Record<string, Doc>)) {
        readAlarm(aname, ares, memberDoc, memberType, (a) => signalTargets(a, passed), true);
      }
    }
    alarms.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const vcpuHit = alarms.map((a) => a.description?.match(VCPUS)).find((m) => m);
    groups.push({
      stack,
      name,
      minSize,
      maxSize,
      desiredCapacity: desired,
      cooldown,
      policies,
      alarms,
      vcpus: vcpuHit ? Number(vcpuHit[1]) : undefined,
      skipped,
    });
  }
  return groups;
}

/** The main templates of a folder: HOT documents no other template uses as a nested type. */
export function findMainTemplates(dir: string): { main: string; env?: string }[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(yaml|yml)$/.test(f) && !/\.env\.(yaml|yml)$/.test(f))
    .sort();
  const docs = new Map(files.map((f) => [f, readYaml(path.join(dir, f))]));
  const nested = new Set<string>();
  for (const doc of docs.values()) {
    for (const t of collect(doc.resources ?? {}, (n) => (typeof n.type === 'string' && /\.(yaml|yml|template)$/.test(n.type) ? (n.type as string) : undefined))) nested.add(t);
  }
  return files
    .filter((f) => docs.get(f)!.heat_template_version !== undefined && !nested.has(f))
    .map((f) => {
      const env = f.replace(/\.(yaml|yml)$/, '.env.$1');
      return fs.existsSync(path.join(dir, env)) ? { main: path.join(dir, f), env: path.join(dir, env) } : { main: path.join(dir, f) };
    });
}

/**
 * The groups of a main template or of every main template in a folder. Refuses an input with no
 * autoscaling group, so a wrong path never yields an empty, passing run.
 */
export function loadGroups(input: string): SimGroup[] {
  if (!fs.existsSync(input)) throw propError('simulate', ErrorCode.USAGE, 'template', input, 'does not exist', 'pass a main HOT template or the folder synth wrote (templates/<example>/heat)');
  let mains: { main: string; env?: string }[];
  if (fs.statSync(input).isDirectory()) {
    mains = findMainTemplates(input);
  } else {
    const env = input.replace(/\.(yaml|yml)$/, '.env.$1');
    mains = [{ main: input, env: env !== input && fs.existsSync(env) ? env : undefined }];
  }
  const groups = mains.flatMap((m) => loadStack(m.main, m.env));
  if (groups.length === 0) {
    throw propError('simulate', ErrorCode.USAGE, 'template', input, 'holds no OS::Heat::AutoScalingGroup', 'pass the Heat output of a stack with an AutoScalingGroup');
  }
  return groups;
}
