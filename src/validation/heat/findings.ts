/**
 * What the HOT validator reports: one finding per problem, each with a stable code, the file, a
 * dotted/indexed path into that file and a message of the house shape
 * `'<prop>' <problem>, got <value>; <fix>`.
 */

/** One problem found in a template or environment. */
export interface HotFinding {
  /** Stable identifier of the kind of problem, one of `HotFindingCode`. */
  readonly code: string;
  /** The file: the main template's name (`'main'` unless named), `'environment'`, or a key of `files`. */
  readonly file: string;
  /** Where in the file, e.g. `resources.Web.properties.networks[0].port`. */
  readonly path: string;
  /** What is wrong and, where it helps, how to fix it. */
  readonly message: string;
}

/** The codes of `HotFinding`: one per kind of problem. */
export const HotFindingCode = {
  /** `heat_template_version` is missing or not a HOT version (or alias) of the release. */
  UNKNOWN_TEMPLATE_VERSION: 'HOT_UNKNOWN_TEMPLATE_VERSION',
  /** A top-level section the template version does not allow. */
  UNKNOWN_SECTION: 'HOT_UNKNOWN_SECTION',
  /** A section, resource, output or parameter that must be a map is something else. */
  NOT_A_MAP: 'HOT_NOT_A_MAP',
  /** A resource key the template version does not allow (e.g. `propertys`). */
  UNKNOWN_RESOURCE_KEY: 'HOT_UNKNOWN_RESOURCE_KEY',
  /** A resource has no `type`, or its `type` is not a string. */
  MISSING_RESOURCE_TYPE: 'HOT_MISSING_RESOURCE_TYPE',
  /** A resource `type` that is neither a type of the release, a file nor a registry mapping. */
  UNKNOWN_RESOURCE_TYPE: 'HOT_UNKNOWN_RESOURCE_TYPE',
  /** A resource `type` the release has removed (hidden). */
  HIDDEN_RESOURCE_TYPE: 'HOT_HIDDEN_RESOURCE_TYPE',
  /** A `deletion_policy` the template version does not know. */
  INVALID_DELETION_POLICY: 'HOT_INVALID_DELETION_POLICY',
  /** A property the resource type does not have. */
  UNKNOWN_PROPERTY: 'HOT_UNKNOWN_PROPERTY',
  /** A required property is not given. */
  REQUIRED_PROPERTY_MISSING: 'HOT_REQUIRED_PROPERTY_MISSING',
  /** A property Heat declares but has not implemented. */
  PROPERTY_NOT_IMPLEMENTED: 'HOT_PROPERTY_NOT_IMPLEMENTED',
  /** A value of the wrong type (string, integer, number, boolean, map, list). */
  TYPE_MISMATCH: 'HOT_TYPE_MISMATCH',
  /** A value outside its `allowed_values`. */
  VALUE_NOT_ALLOWED: 'HOT_VALUE_NOT_ALLOWED',
  /** A number outside its `range`. */
  VALUE_OUT_OF_RANGE: 'HOT_VALUE_OUT_OF_RANGE',
  /** A string, list or map outside its `length`. */
  VALUE_BAD_LENGTH: 'HOT_VALUE_BAD_LENGTH',
  /** A number that breaks its `modulo` constraint. */
  VALUE_BAD_MODULO: 'HOT_VALUE_BAD_MODULO',
  /** A string that does not match its `allowed_pattern`. */
  VALUE_PATTERN_MISMATCH: 'HOT_VALUE_PATTERN_MISMATCH',
  /** A string that fails a custom constraint checked offline (`net_cidr`, `ip_addr`, ...). */
  VALUE_CUSTOM_CONSTRAINT: 'HOT_VALUE_CUSTOM_CONSTRAINT',
  /** A property of a nested-template resource that is not a parameter of that template. */
  UNKNOWN_TEMPLATE_PARAMETER: 'HOT_UNKNOWN_TEMPLATE_PARAMETER',
  /** A parameter of a nested template without default that the resource does not give. */
  TEMPLATE_PARAMETER_MISSING: 'HOT_TEMPLATE_PARAMETER_MISSING',
  /** `get_resource` or `depends_on` names a resource the template does not have. */
  UNKNOWN_RESOURCE_REFERENCE: 'HOT_UNKNOWN_RESOURCE_REFERENCE',
  /** `get_param` names a parameter that is neither declared nor a pseudo parameter. */
  UNKNOWN_PARAMETER_REFERENCE: 'HOT_UNKNOWN_PARAMETER_REFERENCE',
  /** `get_attr` names an attribute the resource's type does not have. */
  UNKNOWN_ATTRIBUTE: 'HOT_UNKNOWN_ATTRIBUTE',
  /** A condition name (resource/output `condition`, `if`, `and`/`or`/`not`) that is not defined. */
  UNKNOWN_CONDITION: 'HOT_UNKNOWN_CONDITION',
  /** A function of another template version, or one used where only condition functions go. */
  UNKNOWN_FUNCTION: 'HOT_UNKNOWN_FUNCTION',
  /** A function the template version explicitly removed (e.g. `Fn::Select` since 2015-10-15). */
  REMOVED_FUNCTION: 'HOT_REMOVED_FUNCTION',
  /** A function call whose arguments have the wrong shape (e.g. `get_attr: web`). */
  BAD_FUNCTION_ARGUMENTS: 'HOT_BAD_FUNCTION_ARGUMENTS',
  /** A parameter key the template version does not allow. */
  UNKNOWN_PARAMETER_KEY: 'HOT_UNKNOWN_PARAMETER_KEY',
  /** A parameter type missing or not one of the HOT parameter types. */
  UNKNOWN_PARAMETER_TYPE: 'HOT_UNKNOWN_PARAMETER_TYPE',
  /** A parameter constraint of an unknown kind, or an unknown `custom_constraint`. */
  UNKNOWN_PARAMETER_CONSTRAINT: 'HOT_UNKNOWN_PARAMETER_CONSTRAINT',
  /** An output key the template version does not allow. */
  UNKNOWN_OUTPUT_KEY: 'HOT_UNKNOWN_OUTPUT_KEY',
  /** An output without `value`. */
  OUTPUT_VALUE_MISSING: 'HOT_OUTPUT_VALUE_MISSING',
  /** A top-level key of the environment that Heat does not know. */
  ENV_UNKNOWN_SECTION: 'HOT_ENV_UNKNOWN_SECTION',
  /** An environment `parameters` entry that the main template does not declare. */
  ENV_UNKNOWN_PARAMETER: 'HOT_ENV_UNKNOWN_PARAMETER',
  /** A `resource_registry` entry mapping to neither a type of the release nor a file in `files`. */
  ENV_UNKNOWN_REGISTRY_TARGET: 'HOT_ENV_UNKNOWN_REGISTRY_TARGET',
} as const;

/** One of the `HotFindingCode` values. */
export type HotFindingCodeValue = (typeof HotFindingCode)[keyof typeof HotFindingCode];

/** Collects the findings of one file. */
export class FindingSink {
  constructor(
    /** The file the findings are about. */
    public readonly file: string,
    private readonly out: HotFinding[],
  ) {}

  /** Records one finding. */
  public report(code: HotFindingCodeValue, path: string, message: string): void {
    this.out.push({ code, file: this.file, path, message });
  }
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_:\-*%]*$/;

/** `parent.key`, or `parent["odd key"]` when the key is not a plain name. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (PLAIN_KEY.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Renders a received value for a message, short and unambiguous. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** Lists values for a message, cut after `max` with `…`. */
export function listValues(values: readonly unknown[], max = 10): string {
  const shown = values.slice(0, max).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return values.length > max ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** `; did you mean 'x'?` when a known name is within two edits of `name`, else ''. */
export function suggestion(name: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : `; did you mean '${best}'?`;
}

/** `; did you mean 'x'?` when a known name is close, else `; use one of a, b, c`. */
export function nameHint(name: string, known: readonly string[], lead = 'use one of'): string {
  return suggestion(name, known) || `; ${lead} ${listValues(known, 12)}`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Sorts findings deterministically (files in the given order, then path, code and message) and
 * drops exact duplicates.
 */
export function sortFindings(findings: readonly HotFinding[], fileOrder: readonly string[]): HotFinding[] {
  const rank = (f: HotFinding) => {
    const i = fileOrder.indexOf(f.file);
    return i < 0 ? fileOrder.length : i;
  };
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...findings].sort(
    (a, b) => rank(a) - rank(b) || cmp(a.file, b.file) || cmp(a.path, b.path) || cmp(a.code, b.code) || cmp(a.message, b.message),
  );
  return sorted.filter(
    (f, i) => i === 0 || !(f.file === sorted[i - 1].file && f.path === sorted[i - 1].path && f.code === sorted[i - 1].code && f.message === sorted[i - 1].message),
  );
}

/** One finding as a line: `<file>: <path>: <message> [<code>]`. */
export function formatFinding(f: HotFinding): string {
  return `${f.file}: ${f.path || '(top level)'}: ${f.message} [${f.code}]`;
}

/** Thrown by `assertValidHot`: lists every finding, one a line. */
export class HotValidationError extends Error {
  /** Every finding, in the order of the message. */
  public readonly findings: readonly HotFinding[];

  constructor(findings: readonly HotFinding[]) {
    super(`HOT template is invalid (${findings.length} finding${findings.length === 1 ? '' : 's'}):\n${findings.map((f) => `  ${formatFinding(f)}`).join('\n')}`);
    this.name = 'HotValidationError';
    this.findings = findings;
  }
}
