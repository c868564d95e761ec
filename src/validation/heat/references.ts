import { childPath, HotFindingCode, nameHint, suggestion } from './findings';
import { ResolvedType } from './resource-registry';
import { GROUP_MEMBER_KEYS, isMap, TemplateContext } from './template-context';

/**
 * Checks that names used in a template point at something: resources (`get_resource`,
 * `depends_on`, `get_attr`), parameters (`get_param`), conditions, and attributes of the
 * referenced resource's type.
 */

/**
 * Types whose attributes are open-ended, so any name may be asked for: software deployments expose
 * their config's outputs, `OS::Heat::None` stands in for any type, and a CFN nested stack exposes
 * `Outputs.<name>`.
 */
const OPEN_ATTRIBUTE_TYPES = new Set([
  'OS::Heat::SoftwareDeployment',
  'OS::Heat::StructuredDeployment',
  'OS::Heat::SoftwareDeploymentGroup',
  'OS::Heat::StructuredDeploymentGroup',
  'OS::Heat::None',
  'AWS::CloudFormation::Stack',
]);

/** Types that also answer `resource.<name>[.<attribute>]` for their members. */
const MEMBER_ADDRESSING_TYPES = new Set([...Object.keys(GROUP_MEMBER_KEYS), 'OS::Heat::ResourceChain']);

/** `get_resource` / `depends_on` / `get_attr`: the resource exists. */
export function checkResourceReference(ctx: TemplateContext, name: string, path: string, usedBy: string): boolean {
  if (ctx.resources.has(name) || hasOwn(ctx.template.resources, name)) return true;
  ctx.sink.report(
    HotFindingCode.UNKNOWN_RESOURCE_REFERENCE,
    path,
    `${usedBy} refers to resource '${name}', which the template does not define${suggestion(name, ctx.resources.keys())}`,
  );
  return false;
}

/** `get_param`: a declared parameter or a pseudo parameter. */
export function checkParameterReference(ctx: TemplateContext, name: string, path: string): void {
  if (hasOwn(ctx.parameters, name) || ctx.release.pseudoParameters.has(name)) return;
  ctx.sink.report(
    HotFindingCode.UNKNOWN_PARAMETER_REFERENCE,
    path,
    `get_param refers to parameter '${name}', which is neither declared nor a pseudo parameter${suggestion(name, Object.keys(ctx.parameters))}`,
  );
}

/** A condition name (resource/output `condition`, `if`, `and`/`or`/`not`) is defined in `conditions`. */
export function checkConditionReference(ctx: TemplateContext, name: string, path: string, usedBy: string): void {
  if (ctx.conditions.has(name)) return;
  ctx.sink.report(
    HotFindingCode.UNKNOWN_CONDITION,
    path,
    `${usedBy} refers to condition '${name}', which the conditions section does not define${suggestion(name, ctx.conditions)}`,
  );
}

/** `depends_on`: a resource name or a list of them, each defined and not the resource itself. */
export function checkDependsOn(ctx: TemplateContext, resourceName: string, value: unknown, path: string): void {
  const names = Array.isArray(value) ? value : [value];
  names.forEach((name, i) => {
    const at = Array.isArray(value) ? childPath(path, i) : path;
    if (typeof name !== 'string') {
      if (!ctx.isFunctionCall(name)) {
        ctx.sink.report(HotFindingCode.UNKNOWN_RESOURCE_REFERENCE, at, `depends_on must name resources, got ${JSON.stringify(name)}`);
      }
      return;
    }
    if (name === resourceName) {
      ctx.sink.report(HotFindingCode.UNKNOWN_RESOURCE_REFERENCE, at, `'${resourceName}' depends on itself; remove it from depends_on`);
      return;
    }
    checkResourceReference(ctx, name, at, 'depends_on');
  });
}

/** `get_attr: [resource, attribute, ...]`: the attribute exists on the resource's type. */
export function checkAttributeReference(ctx: TemplateContext, resourceName: string, attribute: string, path: string): void {
  const resolved = ctx.resolvedType(resourceName);
  if (!resolved || resolved.kind === 'unknown') return; // the type itself is reported
  const known = knownAttributes(resolved);
  if (known === 'any' || known.includes(attribute) || attribute === 'show') return;
  if (attribute.startsWith('resource.') && acceptsMemberAddress(resolved)) return;
  if (resolved.kind === 'builtin' && resolved.name === 'OS::Heat::ResourceGroup' && memberHasAttribute(ctx, resourceName, attribute)) {
    return; // a ResourceGroup answers a member attribute with the list of every member's value
  }
  const what = resolved.kind === 'template' ? `an output of ${resolved.name}` : `an attribute of ${resolved.name}`;
  ctx.sink.report(
    HotFindingCode.UNKNOWN_ATTRIBUTE,
    path,
    `get_attr asks resource '${resourceName}' for '${attribute}', which is not ${what}${nameHint(attribute, known, 'it has')}`,
  );
}

function knownAttributes(resolved: ResolvedType): string[] | 'any' {
  if (resolved.kind === 'template') {
    const outputs = isMap(resolved.template.outputs) ? Object.keys(resolved.template.outputs) : [];
    return [...outputs, 'show'].sort();
  }
  if (resolved.kind !== 'builtin' || OPEN_ATTRIBUTE_TYPES.has(resolved.name)) return 'any';
  return Object.keys(resolved.schema.attributes).sort();
}

function acceptsMemberAddress(resolved: ResolvedType): boolean {
  return resolved.kind === 'template' || (resolved.kind === 'builtin' && MEMBER_ADDRESSING_TYPES.has(resolved.name));
}

function memberHasAttribute(ctx: TemplateContext, groupName: string, attribute: string): boolean {
  const member = ctx.memberType(groupName);
  if (!member || member.kind === 'unknown') return true; // cannot tell: do not guess
  const known = knownAttributes(member);
  return known === 'any' || known.includes(attribute);
}

function hasOwn(map: unknown, key: string): boolean {
  return isMap(map) && Object.prototype.hasOwnProperty.call(map, key);
}
