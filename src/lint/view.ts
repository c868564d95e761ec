/**
 * The normalized view the policy rules read: every HOT document of one stack's output (the Heat
 * target's main and nested templates, or the Heat templates embedded in Terraform JSON and their
 * member templates) and the Terraform JSON, with helpers that resolve what the rules ask about:
 * which alarm signals which policy of which group, what a member server is tagged with.
 */
import { hotTemplatesOf, nestedTypesOf, type Doc, type HotTemplateView, type SynthOutput, type Target } from '../assertions/output';
import { readSuppressions, type SuppressionIndex } from './suppressions';
import { AODH_ALARM_TYPES } from '../stacks/heat/alarm-types';
import { signalTargets } from '../simulate/stack-model';

/** What the rules see of one stack's output. */
export interface PolicyView {
  /** The target of the output. */
  readonly target: Target;
  /** Where the output came from (a folder, or `stack <name>`). */
  readonly source: string;
  /** Every HOT document, main/embedded first, each followed by its nested templates. */
  readonly templates: readonly HotTemplateView[];
  /** The Terraform JSON, for the Terraform target. */
  readonly terraform?: Doc;
  /** Suppressions written into the output, by location and logical name. */
  readonly suppressions: SuppressionIndex;
}

/** The view of one output. */
export function viewOf(output: SynthOutput): PolicyView {
  const templates = hotTemplatesOf(output);
  return {
    target: output.target,
    source: output.source,
    templates,
    terraform: output.target === 'terraform' ? output.json : undefined,
    suppressions: readSuppressions(templates, output.target === 'terraform' ? output.json : undefined),
  };
}

/** One HOT resource and the document it sits in. */
export interface HotResourceRef {
  readonly template: HotTemplateView;
  readonly name: string;
  readonly def: Doc;
}

/** Every HOT resource of the view (of `type` when given), in document order. */
export function hotResources(view: PolicyView, type?: string): HotResourceRef[] {
  return view.templates.flatMap((template) =>
    Object.entries((template.doc.resources ?? {}) as Record<string, Doc>)
      .filter(([, def]) => def && (type === undefined || def.type === type))
      .map(([name, def]) => ({ template, name, def })),
  );
}

/** Every Terraform resource of `type`, by name, with its body. */
export function tfResources(view: PolicyView, type: string): Array<{ name: string; body: Doc }> {
  return Object.entries((view.terraform?.resource?.[type] ?? {}) as Record<string, Doc>).map(([name, body]) => ({ name, body }));
}

/** A number, or undefined for anything else (a parameter reference, a missing value). */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** Logical names referenced by `get_attr [name, attribute]` anywhere in `value`, with the attribute. */
export function attrRefsIn(value: unknown): Array<{ resource: string; attribute: string }> {
  const out: Array<{ resource: string; attribute: string }> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v as Doc)) {
        if (k === 'get_attr' && Array.isArray(inner) && typeof inner[0] === 'string') out.push({ resource: inner[0], attribute: String(inner[1]) });
        walk(inner);
      }
    }
  };
  walk(value);
  return out;
}

/**
 * A symbolic rendering of a HOT string value: literals stay, `str_replace` and `list_join` are
 * applied, `get_param` becomes `<scope:param>` unless `params` resolves it. Anything else
 * (`get_attr`, `get_resource`) becomes `<?>`. Two values are the same at deploy time when their
 * renderings are equal and hold no `<?>`.
 */
export function symbolic(value: unknown, scope: string, params: Readonly<Record<string, string>> = {}): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Doc;
  if ('get_param' in v) {
    const name = Array.isArray(v.get_param) ? v.get_param[0] : v.get_param;
    if (typeof name !== 'string') return undefined;
    return params[name] ?? `<${scope}:${name}>`;
  }
  if ('str_replace' in v) {
    const t = symbolic(v.str_replace?.template, scope, params);
    if (t === undefined) return undefined;
    let out = t;
    for (const [key, p] of Object.entries((v.str_replace?.params ?? {}) as Doc)) {
      const s = symbolic(p, scope, params) ?? '<?>';
      out = out.split(key).join(s);
    }
    return out;
  }
  if ('list_join' in v && Array.isArray(v.list_join)) {
    const [sep, list] = v.list_join;
    if (typeof sep !== 'string' || !Array.isArray(list)) return undefined;
    return list.map((x: unknown) => symbolic(x, scope, params) ?? '<?>').join(sep);
  }
  return '<?>';
}

/** An Aodh alarm that signals a scaling policy. */
export interface AlarmRef {
  readonly name: string;
  readonly def: Doc;
  /**
   * The alarm's threshold properties. For a composite alarm (a band: two threshold rules joined by
   * "and"), its first rule's, with the alarm's own (`alarm_actions`, `description`, ...) over them.
   */
  readonly props: Doc;
  /** Every threshold rule: the alarm itself, or a composite alarm's rules. */
  readonly rules: readonly Doc[];
  /** The template the alarm is in: the group's (main or embedded) template, or its member template. */
  readonly location: string;
  /** True for an alarm in the member template: one per member, on that member's own server. */
  readonly perMember: boolean;
}

function alarmRef(name: string, def: Doc, location: string, perMember: boolean): AlarmRef {
  const own = (def.properties ?? {}) as Doc;
  if (def.type !== 'OS::Aodh::CompositeAlarm') return { name, def, props: own, rules: [own], location, perMember };
  const composite = own.composite_rule as Doc | undefined;
  const rules = (Array.isArray(composite?.rules) ? composite!.rules : []).filter((r: unknown) => r !== null && typeof r === 'object' && !Array.isArray((r as Doc).rules)) as Doc[];
  const { composite_rule: _, ...rest } = own;
  return { name, def, props: { ...(rules[0] ?? {}), ...rest }, rules, location, perMember };
}

/** A scaling policy of a group, with the alarms that signal it. */
export interface PolicyRef {
  readonly name: string;
  readonly def: Doc;
  readonly adjustmentType: string;
  readonly adjustment?: number;
  readonly minAdjustmentStep?: number;
  readonly cooldown?: number;
  readonly alarms: AlarmRef[];
}

/** An autoscaling group, its member template and its policies. */
export interface GroupRef {
  readonly template: HotTemplateView;
  readonly name: string;
  readonly def: Doc;
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly cooldown?: number;
  /** The member template (when it is among the files read). */
  readonly member?: { readonly location: string; readonly doc: Doc };
  readonly policies: PolicyRef[];
}


/** The AutoScalingGroups of every HOT document, with their policies and the alarms signalling them. */
export function scalingGroupsOf(view: PolicyView): GroupRef[] {
  const groups: GroupRef[] = [];
  for (const template of view.templates) {
    const resources = (template.doc.resources ?? {}) as Record<string, Doc>;
    const own = Object.entries(resources)
      .filter(([, d]) => AODH_ALARM_TYPES.has(d?.type))
      .map(([aname, a]) => ({ ref: alarmRef(aname, a, template.location, false), targets: signalTargets(a.properties?.alarm_actions) }));
    for (const [name, def] of Object.entries(resources)) {
      if (def?.type !== 'OS::Heat::AutoScalingGroup') continue;
      const p = (def.properties ?? {}) as Doc;
      const memberFile = nestedTypesOf({ resources: { [name]: def } })[0]?.file;
      const memberDoc = memberFile ? template.files[memberFile] : undefined;
      // Per-member alarms live in the member template and reach the group's policies through
      // parameters the group passes (the signal_base policy's URL with the policy's name put in).
      const passed = ((p.resource as Doc | undefined)?.properties ?? {}) as Doc;
      const members = Object.entries(((memberDoc?.resources ?? {}) as Record<string, Doc>))
        .filter(([, d]) => AODH_ALARM_TYPES.has(d?.type))
        .map(([aname, a]) => ({ ref: alarmRef(aname, a, memberFile!, true), targets: signalTargets(a.properties?.alarm_actions, passed) }));
      const alarms = [...own, ...members];
      const policies: PolicyRef[] = Object.entries(resources)
        .filter(([, d]) => d?.type === 'OS::Heat::ScalingPolicy' && d.properties?.auto_scaling_group_id?.get_resource === name)
        .map(([pname, pdef]) => ({
          name: pname,
          def: pdef,
          adjustmentType: String(pdef.properties?.adjustment_type ?? 'change_in_capacity'),
          adjustment: num(pdef.properties?.scaling_adjustment),
          minAdjustmentStep: num(pdef.properties?.min_adjustment_step),
          cooldown: num(pdef.properties?.cooldown),
          alarms: alarms.filter((a) => a.targets.includes(pname)).map((a) => a.ref),
        }));
      groups.push({
        template,
        name,
        def,
        minSize: num(p.min_size),
        maxSize: num(p.max_size),
        cooldown: num(p.cooldown),
        member: memberFile && memberDoc ? { location: memberFile, doc: memberDoc } : undefined,
        policies,
      });
    }
  }
  return groups;
}

/** The number of servers a policy adds (positive) or removes (negative) at group size `size`. */
export function stepAt(policy: PolicyRef, size: number): number | undefined {
  const a = policy.adjustment;
  if (a === undefined) return undefined;
  if (policy.adjustmentType === 'change_in_capacity') return a;
  if (policy.adjustmentType === 'exact_capacity') return a - size;
  if (policy.adjustmentType === 'percent_change_in_capacity') {
    // heat scaling/scalingutil.py calculate_new_capacity: below one server the delta rounds away
    // from zero, otherwise towards zero; min_adjustment_step raises it
    const raw = (size * a) / 100;
    const rounded = Math.abs(raw) < 1 ? Math.sign(raw) * Math.ceil(Math.abs(raw)) : Math.sign(raw) * Math.floor(Math.abs(raw));
    const min = policy.minAdjustmentStep ?? 0;
    return Math.sign(a) * Math.max(Math.abs(rounded), min);
  }
  return undefined;
}

/** True when the policy grows the group. */
export function isScaleOut(policy: PolicyRef): boolean {
  return policy.adjustmentType === 'exact_capacity' ? false : (policy.adjustment ?? 0) > 0;
}

/** True when the policy shrinks the group. */
export function isScaleIn(policy: PolicyRef): boolean {
  return policy.adjustmentType === 'exact_capacity' ? false : (policy.adjustment ?? 0) < 0;
}

/** A Gnocchi alarm's window of data: granularity × (evaluation periods + 1), as Aodh queries it. */
export function alarmWindowSeconds(alarm: AlarmRef): number | undefined {
  const g = num(alarm.props.granularity) ?? (alarm.def.type?.startsWith('OS::Aodh::Gnocchi') ? 60 : undefined);
  const e = num(alarm.props.evaluation_periods) ?? 1;
  return g === undefined ? undefined : g * (e + 1);
}
