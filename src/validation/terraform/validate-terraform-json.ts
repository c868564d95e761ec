import { TERRAFORM_PROVIDER_VERSION } from '../../schemas';
import { checkCrossArgumentRules } from './cross-argument-rules';
import { Declarations, entries, isObject } from './declarations';
import { checkDependencyCycles } from './dependency-cycles';
import { DOCUMENT_OUTLINE } from './document-outline';
import { checkReferences } from './document-references';
import { TerraformFinding, TerraformFindingCode, describeValue, didYouMean, finding, formatFindings, joinPath, sortFindings } from './findings';
import { OPENSTACK_PROVIDER_NAME, ProviderSchema } from './provider-schema';
import { checkBody, checkOutline } from './schema-validator';

/** Options of `validateTerraformJson`. */
export interface TerraformValidationOptions {
  /**
   * Version of terraform-provider-openstack whose schema (`schemas/terraform-provider-openstack/<version>/`)
   * the document is checked against.
   *
   * @default '3.4.0' (TERRAFORM_PROVIDER_VERSION)
   */
  readonly providerVersion?: string;
}

/**
 * Checks a synthesized Terraform JSON document (cdktf's `cdk.tf.json`) against the OpenStack
 * provider's schema and reports every problem, sorted by path (the same input always gives the
 * same list):
 *
 * - the outline: top-level keys, variables, outputs (`value` required), names;
 * - every resource and data source type exists in the provider (types of other providers listed in
 *   `terraform.required_providers`, and Terraform's own `terraform_*`, are accepted unchecked);
 * - each body, and the `openstack` provider block, against a JSON Schema generated from the provider
 *   schema, run by ajv: unknown and computed-only arguments, required arguments and blocks, JSON
 *   types (whole numbers where the provider reads an int), block nesting and counts, enums, ranges
 *   and formats from `constraints.json`; meta-arguments and `dynamic` blocks are understood;
 * - the provider's cross-argument rules (ConflictsWith, ExactlyOneOf, AtLeastOneOf, RequiredWith),
 *   which only the provider's own code checks at plan time;
 * - every reference in `${...}` templates, `depends_on` and lifecycle arguments points at a declared
 *   object and at an attribute or block its type has; instance keys match `count`/`for_each`;
 * - outputs that show sensitive values are marked sensitive; no dependency cycles.
 *
 * Strings with a `${...}` template may stand for a value of any type: their static type, enum and
 * format checks are skipped, their references are still checked. Types are otherwise checked
 * strictly (Terraform would convert `"8"` to a number; cdktf never writes one, so a mismatch is a
 * rendering bug).
 */
export function validateTerraformJson(doc: Record<string, unknown>, options: TerraformValidationOptions = {}): TerraformFinding[] {
  const schema = ProviderSchema.load(options.providerVersion ?? TERRAFORM_PROVIDER_VERSION);
  if (!isObject(doc)) {
    return [finding(TerraformFindingCode.DOCUMENT, '', `the document must be a JSON object, got ${describeValue(doc)}; pass the parsed cdk.tf.json`)];
  }
  const findings: TerraformFinding[] = [...checkOutline(DOCUMENT_OUTLINE, doc, '')];
  const decls = Declarations.of(doc, schema);

  for (const [name, configs] of entries(doc.provider)) {
    if (name !== OPENSTACK_PROVIDER_NAME) continue;
    const list = Array.isArray(configs) ? configs : [configs];
    list.forEach((config, i) => {
      const path = Array.isArray(configs) ? joinPath(joinPath('provider', name), i) : joinPath('provider', name);
      if (isObject(config)) findings.push(...checkBody(schema.provider, config, path), ...checkCrossArgumentRules(schema.provider, config, path));
    });
  }

  for (const kind of ['resource', 'data'] as const) {
    for (const [type, names] of kind === 'resource' ? decls.resources : decls.dataSources) {
      const typeSchema = decls.schemaOf(kind, type);
      if (!typeSchema) {
        if (!decls.isForeignProviderType(type)) findings.push(unknownType(kind, type, [...names.keys()], decls));
        continue;
      }
      for (const [name, body] of names) {
        const path = joinPath(joinPath(kind, type), name);
        findings.push(...checkBody(typeSchema, body, path), ...checkCrossArgumentRules(typeSchema, body, path));
      }
    }
  }

  const references = checkReferences(doc, decls);
  findings.push(...references.findings, ...checkDependencyCycles(references.edges));
  return sortFindings(findings);
}

/** An error listing every finding of a document, one per line. */
export class TerraformValidationError extends Error {
  constructor(
    /** Every finding, sorted by path. */
    public readonly findings: readonly TerraformFinding[],
  ) {
    super(`Terraform JSON is invalid (${findings.length} finding${findings.length === 1 ? '' : 's'}):\n${formatFindings(findings)}`);
    this.name = 'TerraformValidationError';
  }
}

/** Like `validateTerraformJson`, but throws a `TerraformValidationError` listing every finding when there is one. */
export function assertValidTerraformJson(doc: Record<string, unknown>, options: TerraformValidationOptions = {}): void {
  const findings = validateTerraformJson(doc, options);
  if (findings.length > 0) throw new TerraformValidationError(findings);
}

function unknownType(kind: 'resource' | 'data', type: string, names: readonly string[], decls: Declarations): TerraformFinding {
  const noun = kind === 'resource' ? 'resource' : 'data source';
  const code = kind === 'resource' ? TerraformFindingCode.UNKNOWN_RESOURCE_TYPE : TerraformFindingCode.UNKNOWN_DATA_SOURCE_TYPE;
  const got = `got ${noun}${names.length === 1 ? '' : 's'} ${names.map((n) => `'${n}'`).join(', ')}`;
  const provider = decls.providerOf(type);
  if (provider !== OPENSTACK_PROVIDER_NAME) {
    return finding(code, joinPath(kind, type), `'${type}' belongs to provider '${provider}', which is not in terraform.required_providers, ${got}; add the provider there or fix the type`);
  }
  const known = kind === 'resource' ? decls.schema.resourceTypes() : decls.schema.dataSourceTypes();
  const hint = didYouMean(type, known) || `; use one of the provider's ${known.length} ${noun} types`;
  return finding(code, joinPath(kind, type), `'${type}' is not a ${noun} type of provider openstack ${decls.schema.version}, ${got}${hint}`);
}
