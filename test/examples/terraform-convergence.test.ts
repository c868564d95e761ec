/**
 * Terraform converges on every example's embedded autoscaling stacks: a second `plan` after an
 * `apply` shows no change. Reproduced from the code that decides it, since a real provider and
 * cloud are not available here:
 *
 * - terraform-provider-openstack 3.4.0, `openstack/resource_openstack_orchestration_stack_v1.go`:
 *   `resourceOrchestrationStackV1Read` sets `parameters` to Heat's `stack show` parameters minus
 *   `OS::project_id`, `OS::stack_id` and `OS::stack_name`, and `name`, `disable_rollback`,
 *   `timeout` and `tags` (non-empty ones) from the stack; it never sets `template_opts` or
 *   `environment_opts` (they stay as applied). `buildTE` (`orchestration_stack_v1.go`) uses only
 *   the `Bin` and `URL` keys of either.
 * - Heat 19.0.0 (Zed), `heat/engine/api.py` `format_stack`: `parameters` is
 *   `stack.parameters.map(str)`, i.e. `heat/engine/parameters.py` `Parameter.__str__` of every
 *   parameter the template declares (given or defaulted): `******` when hidden, else the value as
 *   Python prints it per type (`BooleanParam.value` → `True`/`False`, `CommaDelimitedListParam`
 *   `_value_as_text` → `",".join(...)` of `value.split(',')`, `JsonParam` → `json.dumps`,
 *   `NumberParam` → `str(int or float)`). A parameter Heat does not declare is refused at create.
 *
 * What Terraform sends is each `parameters` value after Terraform's own conversion of an
 * interpolation to a string (a bool variable becomes `true`/`false`); references to other
 * resources become ids, which hold no comma.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from '../../src';
import { EXAMPLES, exampleStack } from '../../examples';
import { terraformOf } from '../util/synth';
import { embeddedOf, type EmbeddedStack } from '../constructs/autoscaling/fixture';

type Doc = Record<string, any>;

interface HeatParamDef {
  type: string;
  default?: unknown;
  hidden?: boolean;
}

/** oslo `strutils.bool_from_string(value, strict=True)`. */
function boolFromString(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(v)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(v)) return false;
  throw new Error(`Heat refuses '${value}' for a boolean parameter (strutils.bool_from_string strict)`);
}

/** Python's `str()` of a JSON-like value as `json.dumps` writes it (default separators). */
function pyJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Doc).map(([k, v]) => `${JSON.stringify(k)}: ${pyJsonDumps(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** What Heat's `stack show` prints for one parameter (heat engine/parameters.py `Parameter.__str__`). */
function heatEcho(name: string, def: HeatParamDef, given: string | undefined): string {
  const raw = given ?? def.default;
  if (raw === undefined || raw === null) throw new Error(`Heat refuses the stack: parameter ${name} has no value (UserParameterMissing)`);
  let text: string;
  switch (def.type) {
    case 'boolean':
      text = boolFromString(typeof raw === 'boolean' ? (raw ? 'True' : 'False') : String(raw)) ? 'True' : 'False';
      break;
    case 'number': {
      // Schema.str_to_num: a number as is, else int(value), else float(value); then str()
      const t = String(raw).trim();
      const float = (n: number) => (Number.isInteger(n) ? `${n}.0` : String(n));
      text = typeof raw === 'number' ? String(raw) : /^[-+]?\d+$/.test(t) ? String(parseInt(t, 10)) : float(parseFloat(t));
      break;
    }
    case 'comma_delimited_list':
      text = (Array.isArray(raw) ? raw.map(String) : raw === '' ? [] : String(raw).split(',')).join(',');
      break;
    case 'json':
      text = pyJsonDumps(typeof raw === 'string' ? JSON.parse(raw) : raw);
      break;
    case 'string':
      text = String(raw);
      break;
    default:
      throw new Error(`parameter ${name}: unknown Heat parameter type ${def.type}`);
  }
  return def.hidden === true ? '******' : text;
}

/** A Terraform string template split into literal text (escapes undone) and `${...}` expressions. */
function splitTemplate(text: string): Array<{ literal: string } | { expr: string }> {
  const parts: Array<{ literal: string } | { expr: string }> = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      literal += text[i + 1] + '{';
      i += 3;
    } else if (text.startsWith('${', i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ expr: text.slice(i + 2, j).trim() });
      i = j + 1;
    } else {
      literal += text[i++];
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

/**
 * The string Terraform sends for one `parameters` value, with the bool variables set as in
 * `bools`: a bool variable interpolated alone becomes `true`/`false`; `var.x ? "A" : "B"` picks a
 * branch; other references stand for ids (no comma, no space).
 */
function terraformSends(text: string, variables: Doc, bools: Record<string, boolean>): string {
  return splitTemplate(text)
    .map((p) => {
      if ('literal' in p) return p.literal;
      const conditional = /^var\.([A-Za-z0-9_]+) \? "([^"]*)" : "([^"]*)"$/.exec(p.expr);
      if (conditional) return bools[conditional[1]] ? conditional[2] : conditional[3];
      const variable = /^var\.([A-Za-z0-9_]+)$/.exec(p.expr);
      if (variable && variables[variable[1]]?.type === 'bool') return String(bools[variable[1]]);
      return `id-of-${p.expr.replace(/[^A-Za-z0-9]+/g, '-')}`;
    })
    .join('');
}

/** Every combination of the bool variables the parameters use. */
function boolScenarios(resource: Doc, variables: Doc): Array<Record<string, boolean>> {
  const names = Object.keys(variables).filter((v) => variables[v].type === 'bool' && JSON.stringify(resource.parameters ?? {}).includes(`var.${v}`));
  return names.reduce<Array<Record<string, boolean>>>((acc, n) => acc.flatMap((s) => [{ ...s, [n]: true }, { ...s, [n]: false }]), [{}]);
}

/**
 * What `terraform plan` after an apply would show for `parameters`: the keys whose value Heat
 * echoes differently from what Terraform sent (or that only one side has), per scenario.
 */
function parameterDrift(embedded: Pick<EmbeddedStack, 'resource' | 'template'>, variables: Doc): string[] {
  const declared = (embedded.template.parameters ?? {}) as Record<string, HeatParamDef>;
  const drift: string[] = [];
  for (const bools of boolScenarios(embedded.resource, variables)) {
    const sent = Object.fromEntries(Object.entries((embedded.resource.parameters ?? {}) as Record<string, string>).map(([k, v]) => [k, terraformSends(v, variables, bools)]));
    const undeclared = Object.keys(sent).filter((k) => !(k in declared));
    if (undeclared.length > 0) throw new Error(`Heat refuses parameters it does not declare: ${undeclared.join(', ')}`);
    // Read: every declared parameter, minus the pseudo parameters the provider removes (none is declared)
    const echoed = Object.fromEntries(Object.entries(declared).map(([k, def]) => [k, heatEcho(k, def, sent[k])]));
    for (const k of new Set([...Object.keys(sent), ...Object.keys(echoed)])) {
      if (sent[k] !== echoed[k]) drift.push(`${k} (${JSON.stringify(bools)}): sent ${JSON.stringify(sent[k])}, Heat echoes ${JSON.stringify(echoed[k])}`);
    }
  }
  return drift;
}

function build(name: string): Stack {
  return exampleStack(EXAMPLES.find((e) => e.name === name)!, new App());
}

const withGroups = EXAMPLES.map((e) => e.name).filter((n) => n !== 'hello-server');

describe('the read-back rule itself', () => {
  test('Heat prints booleans as Python does, hides hidden parameters, joins lists without spaces', () => {
    expect(heatEcho('b', { type: 'boolean' }, 'true')).toBe('True');
    expect(heatEcho('b', { type: 'boolean', default: false }, undefined)).toBe('False');
    expect(heatEcho('s', { type: 'string', hidden: true }, 'secret')).toBe('******');
    expect(heatEcho('l', { type: 'comma_delimited_list' }, 'a,b')).toBe('a,b');
    expect(heatEcho('l', { type: 'comma_delimited_list' }, 'a, b')).toBe('a, b');
    expect(heatEcho('n', { type: 'number' }, '300')).toBe('300');
    expect(heatEcho('j', { type: 'json' }, '{"a":[1,2]}')).toBe('{"a": [1, 2]}');
    expect(() => heatEcho('s', { type: 'string' }, undefined)).toThrow('UserParameterMissing');
  });

  test('it catches what never converged: a bool variable passed as is, a hidden parameter, a defaulted one Terraform does not pass', () => {
    // GIVEN the fractals API stack as it was rendered before: scaling_enabled as ${var...}, user_data hidden
    const tf = terraformOf(build('fractals'));
    const embedded = embeddedOf(tf, 'api_servers');
    const old = {
      resource: { ...embedded.resource, parameters: { ...embedded.resource.parameters, scaling_enabled: '${var.scaling_enabled}', user_data: '#cloud-config\n' } },
      template: {
        ...embedded.template,
        parameters: { ...embedded.template.parameters, user_data: { type: 'string', hidden: true }, extra: { type: 'number', default: 5 } },
      },
    };
    // WHEN the provider's read-back is replayed THEN each shows as a change on every plan
    const drift = parameterDrift(old, tf.json.variable);
    expect(drift.filter((d) => d.startsWith('scaling_enabled'))).toEqual([
      'scaling_enabled ({"scaling_enabled":true}): sent "true", Heat echoes "True"',
      'scaling_enabled ({"scaling_enabled":false}): sent "false", Heat echoes "False"',
    ]);
    expect(drift.filter((d) => d.startsWith('user_data'))).toHaveLength(2);
    expect(drift.filter((d) => d.startsWith('extra'))).toHaveLength(2);
  });
});

describe.each(withGroups)('%s: a second terraform plan shows no change', (name) => {
  const tf = terraformOf(build(name));
  const stacks = Object.keys(tf.resources('openstack_orchestration_stack_v1'));

  test('the example embeds autoscaling stacks', () => {
    expect(stacks.length).toBeGreaterThan(0);
  });

  test.each(stacks)('%s: every parameter Heat echoes equals what Terraform sends, scaling on and off', (stackName) => {
    // GIVEN the embedded stack WHEN the provider reads parameters back from Heat
    const embedded = embeddedOf(tf, stackName);
    // THEN nothing differs, and no parameter is hidden (Heat would echo ******)
    expect(parameterDrift(embedded, tf.json.variable ?? {})).toEqual([]);
    expect(Object.entries(embedded.template.parameters ?? {}).filter(([, d]: [string, any]) => d.hidden === true)).toEqual([]);
    expect(embedded.template.parameters.scaling_enabled?.type ?? 'boolean').toBe('boolean');
  });

  test.each(stacks)('%s: the other fields the provider reads back compare equal', (stackName) => {
    const r = embeddedOf(tf, stackName).resource;
    // name: Heat keeps it as given, if it is a valid stack name (heat engine/stack.py)
    expect(r.name).toMatch(/^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$/);
    expect(r.name).toBe(`${name}-${stackName}`);
    // disable_rollback: sent at create and echoed by format_stack
    expect(r.disable_rollback).toBe(true);
    // timeout and tags: Optional+Computed, so unset is no change; set, Heat echoes them
    expect(r.timeout === undefined || Number.isInteger(r.timeout)).toBe(true);
    expect(r.tags === undefined || (r.tags as string[]).every((t) => t !== '' && !t.includes(','))).toBe(true);
    // template_opts / environment_opts: never read back; only Bin (and URL) reach Heat
    expect(Object.keys(r.template_opts)).toEqual(['Bin']);
    expect(Object.keys(r.environment_opts ?? { Bin: '' })).toEqual(['Bin']);
  });
});

/**
 * A failed create, replayed against the provider's code (resource_openstack_orchestration_stack_v1.go)
 * and Heat's (engine/service.py):
 * - `resourceOrchestrationStackV1Create` calls `d.SetId` only after the stack reached
 *   CREATE_COMPLETE; on CREATE_FAILED (or a rollback state) it returns the error with no id, so
 *   Terraform keeps no state: the stack is untracked.
 * - Heat refuses a second stack of the same name in the project (`_validate_new_stack` →
 *   StackExists, 409), so the retry fails while the failed stack exists.
 * - The importer is `ImportStatePassthroughContext`: the id given becomes the state's id, and
 *   `Update` calls `stacks.Update(stack.Name, d.Id())`, i.e. PUT /stacks/<name>/<id>: import by the
 *   stack's id, not its name. Heat updates a stack in any state but SUSPEND and DELETE
 *   (`update_stack`), so the apply after the import resumes the failed stack in place.
 */
describe('a failed create: the documented path (README, "When a group stack fails to create")', () => {
  interface HeatStack { id: string; name: string; status: string; parameters: Record<string, string>; template?: string }
  class Heat {
    public readonly stacks: HeatStack[] = [];
    public failNextCreate = false;
    public create(name: string, template: string, parameters: Record<string, string>): HeatStack {
      if (this.stacks.some((s) => s.name === name)) throw new Error(`409 Conflict: The Stack (${name}) already exists.`);
      const s = { id: `id-${this.stacks.length + 1}`, name, status: this.failNextCreate ? 'CREATE_FAILED' : 'CREATE_COMPLETE', parameters, template };
      this.failNextCreate = false;
      this.stacks.push(s);
      return s;
    }
    public find(identity: string): HeatStack {
      const s = this.stacks.find((x) => x.id === identity || x.name === identity);
      if (!s) throw new Error('404');
      return s;
    }
    public update(name: string, id: string, template: string, parameters: Record<string, string>): void {
      const s = this.stacks.find((x) => x.name === name && x.id === id);
      if (!s) throw new Error(`404 Not Found: /stacks/${name}/${id}`);
      Object.assign(s, { template, parameters, status: 'UPDATE_COMPLETE' });
    }
  }
  /** The provider's resource, as far as the failed-create path goes. */
  interface State { id: string; template?: string; parameters: Record<string, string> }
  const provider = {
    create(heat: Heat, config: { name: string; template: string; parameters: Record<string, string> }): State | undefined {
      const s = heat.create(config.name, config.template, config.parameters);
      if (s.status !== 'CREATE_COMPLETE') return undefined; // the error returns before d.SetId
      return { id: s.id, template: config.template, parameters: { ...s.parameters } };
    },
    import(heat: Heat, id: string): State {
      return { id, parameters: { ...heat.find(id).parameters } }; // passthrough + Read: no template_opts
    },
    planChanges(state: State, config: { template: string; parameters: Record<string, string> }): string[] {
      return [
        ...(state.template === config.template ? [] : ['template_opts']),
        ...(JSON.stringify(state.parameters) === JSON.stringify(config.parameters) ? [] : ['parameters']),
      ];
    },
    update(heat: Heat, state: State, config: { template: string; parameters: Record<string, string> }): State {
      const s = heat.find(state.id);
      heat.update(s.name, state.id, config.template, config.parameters);
      return { id: state.id, template: config.template, parameters: { ...heat.find(state.id).parameters } };
    },
  };
  const tf = terraformOf(build('fractals'));
  const r = tf.resources('openstack_orchestration_stack_v1').api_servers;
  const config = { name: r.name as string, template: r.template_opts.Bin as string, parameters: { image: 'ubuntu-22.04' } };

  test('the failed stack is untracked and its fixed name blocks the retry; import by id, then apply resumes it', () => {
    // GIVEN a create that fails in Heat
    const heat = new Heat();
    heat.failNextCreate = true;
    // WHEN applied THEN Terraform keeps no state, and the retry is refused by name
    expect(provider.create(heat, config)).toBeUndefined();
    expect(() => provider.create(heat, config)).toThrow('409 Conflict: The Stack (fractals-api_servers) already exists.');
    // WHEN imported by the stack's id THEN the next plan updates it (template_opts is not read back) and the apply succeeds
    const id = heat.find('fractals-api_servers').id;
    const imported = provider.import(heat, id);
    expect(provider.planChanges(imported, config)).toEqual(['template_opts']);
    const applied = provider.update(heat, imported, config);
    expect(heat.find(id).status).toBe('UPDATE_COMPLETE');
    // AND the plan after that shows no change
    expect(provider.planChanges(applied, config)).toEqual([]);
  });

  test('an import by name would fail at the update: the id must be given', () => {
    const heat = new Heat();
    heat.failNextCreate = true;
    provider.create(heat, config);
    const byName = provider.import(heat, 'fractals-api_servers');
    expect(() => provider.update(heat, byName, config)).toThrow('404 Not Found: /stacks/fractals-api_servers/fractals-api_servers');
  });
});

test('the README documents the failed-create path with the resource address and the id lookup', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  expect(readme).toContain('terraform import openstack_orchestration_stack_v1.api_servers "$(openstack stack show -f value -c id fractals-api_servers)"');
  expect(readme).toContain('### When a group stack fails to create');
});
