/**
 * What the Terraform JSON validator reports: one finding per problem, each with a stable code,
 * the path of the offending value in the document and a message in the house shape
 * `'<argument>' <problem>, got <value>; <fix>`.
 */

/** One problem found in a synthesized Terraform JSON document. */
export interface TerraformFinding {
  /** Stable identifier of the kind of problem, one of `TerraformFindingCode`. */
  readonly code: string;
  /**
   * Where the problem is, as a Terraform-style address into the document, e.g.
   * `resource.openstack_compute_instance_v2.web.network[0].uuid`.
   */
  readonly path: string;
  /** What is wrong, what was found and how to fix it. */
  readonly message: string;
}

/** The stable finding codes. The code says what kind of rule was broken; the message gives the details. */
export const TerraformFindingCode = {
  /** The document's outline is wrong: unknown top-level key, output without `value`, bad variable field. */
  DOCUMENT: 'TF_DOCUMENT',
  /** A resource, data source, variable, output or local has a name Terraform does not accept. */
  INVALID_NAME: 'TF_INVALID_NAME',
  /** A resource type is not in the provider schema (or its provider is not required). */
  UNKNOWN_RESOURCE_TYPE: 'TF_UNKNOWN_RESOURCE_TYPE',
  /** A data source type is not in the provider schema (or its provider is not required). */
  UNKNOWN_DATA_SOURCE_TYPE: 'TF_UNKNOWN_DATA_SOURCE_TYPE',
  /** An attribute or nested block that the schema (or the meta-arguments) does not define. */
  UNKNOWN_ARGUMENT: 'TF_UNKNOWN_ARGUMENT',
  /** A required attribute or block is absent (or null). */
  MISSING_REQUIRED_ARGUMENT: 'TF_MISSING_REQUIRED_ARGUMENT',
  /** An attribute the provider computes (computed, not optional) is set in configuration. */
  COMPUTED_ONLY_ARGUMENT: 'TF_COMPUTED_ONLY_ARGUMENT',
  /** A value has the wrong JSON type (string, number, whole number, bool, list, map, object, block). */
  INVALID_TYPE: 'TF_INVALID_TYPE',
  /** Too few or too many nested blocks or list items. */
  ITEM_COUNT: 'TF_ITEM_COUNT',
  /** A value is not one of the values the provider accepts. */
  NOT_IN_ENUM: 'TF_NOT_IN_ENUM',
  /** A number is outside the range the provider accepts. */
  OUT_OF_RANGE: 'TF_OUT_OF_RANGE',
  /** A string does not have the form the provider checks (CIDR, IP address, UUID, JSON object, pattern). */
  INVALID_FORMAT: 'TF_INVALID_FORMAT',
  /** Two arguments are set that the provider declares `ConflictsWith` each other. */
  CONFLICTS_WITH: 'TF_CONFLICTS_WITH',
  /** Not exactly one of an `ExactlyOneOf` group is set. */
  EXACTLY_ONE_OF: 'TF_EXACTLY_ONE_OF',
  /** None of an `AtLeastOneOf` group is set. */
  AT_LEAST_ONE_OF: 'TF_AT_LEAST_ONE_OF',
  /** An argument is set without the arguments it is declared `RequiredWith`. */
  REQUIRED_WITH: 'TF_REQUIRED_WITH',
  /** `count` and `for_each` are both set. */
  COUNT_AND_FOR_EACH: 'TF_COUNT_AND_FOR_EACH',
  /** A `provider` meta-argument names a provider configuration that is not declared. */
  UNDECLARED_PROVIDER: 'TF_UNDECLARED_PROVIDER',
  /** A `${...}` interpolation (or a bare expression) cannot be parsed. */
  INVALID_EXPRESSION: 'TF_INVALID_EXPRESSION',
  /** A reference points at a resource, data source, variable, local or module that is not declared. */
  UNDECLARED_REFERENCE: 'TF_UNDECLARED_REFERENCE',
  /** A reference names an attribute or block that the referenced type does not have. */
  UNKNOWN_ATTRIBUTE_REFERENCE: 'TF_UNKNOWN_ATTRIBUTE_REFERENCE',
  /**
   * A reference is malformed for where it is used: instance key missing or unexpected, index into a
   * set or a string, `count.`/`each.`/`self.` out of context, unknown `path.`/`terraform.` attribute.
   */
  INVALID_REFERENCE: 'TF_INVALID_REFERENCE',
  /** A `depends_on` entry is not a whole resource, data source or module. */
  INVALID_DEPENDS_ON: 'TF_INVALID_DEPENDS_ON',
  /** An output shows a sensitive value without `sensitive: true`. */
  SENSITIVE_OUTPUT: 'TF_SENSITIVE_OUTPUT',
  /** Resources, data sources and locals that depend on each other in a loop. */
  DEPENDENCY_CYCLE: 'TF_DEPENDENCY_CYCLE',
} as const;

/** One of the stable finding codes. */
export type TerraformFindingCodeValue = (typeof TerraformFindingCode)[keyof typeof TerraformFindingCode];

/** Builds a finding; the single place where findings are made. */
export function finding(code: TerraformFindingCodeValue, path: string, message: string): TerraformFinding {
  return { code, path, message };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Appends one step to a path: `.name` for identifier-like keys, `["key"]` for other keys (map keys
 * such as `template_opts["Bin"]` stay readable either way), `[i]` for list indices.
 */
export function joinPath(base: string, step: string | number): string {
  if (typeof step === 'number') return `${base}[${step}]`;
  if (IDENTIFIER.test(step) || step === '//') return base ? `${base}.${step}` : step;
  return `${base}[${JSON.stringify(step)}]`;
}

/** Renders a received value for a message: short and unambiguous. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** `; did you mean 'x'?` when a candidate is close to the name (edit distance), else ''. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const limit = Math.max(2, Math.floor(name.length / 3));
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    // A name that is the start of another (`fixed_ip` for `fixed_ip_v4`) is as good a guess as a typo.
    const prefix = lower.length >= 3 && other.length >= 3 && (other.startsWith(lower) || lower.startsWith(other));
    const d = prefix ? Math.min(limit, editDistance(lower, other)) : editDistance(lower, other);
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= limit ? `; did you mean '${best}'?` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Compares strings so that embedded numbers sort by value (`network[2]` before `network[10]`). */
function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Removes exact duplicates and sorts by path, then code, then message: the same input always gives the same list. */
export function sortFindings(findings: readonly TerraformFinding[]): TerraformFinding[] {
  const seen = new Set<string>();
  const unique: TerraformFinding[] = [];
  for (const f of findings) {
    const key = `${f.path}\u0000${f.code}\u0000${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(f);
  }
  return unique.sort(
    (x, y) => naturalCompare(x.path, y.path) || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0) || (x.message < y.message ? -1 : x.message > y.message ? 1 : 0),
  );
}

/** One line per finding: `<path>: <message> [<code>]`. */
export function formatFindings(findings: readonly TerraformFinding[]): string {
  return findings.map((f) => `${f.path}: ${f.message} [${f.code}]`).join('\n');
}
