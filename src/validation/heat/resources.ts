import { ValueSubject } from './ajv-checker';
import { childPath, describeValue, HotFindingCode, nameHint, suggestion } from './findings';
import { checkCondition, checkFunctions } from './intrinsic-functions';
import { allowFunction, propertiesSchema } from './json-schema';
import { checkDependsOn } from './references';
import { ResolvedType } from './resource-registry';
import { GROUP_MEMBER_KEYS, isMap, nestedTemplateJsonSchema, TemplateContext } from './template-context';

/**
 * Checks the `resources` section: each resource's keys, its type (also the member type of an
 * AutoScalingGroup or ResourceGroup), its properties against the type's schema (or the nested
 * template's parameters), its update policy, deletion policy, `depends_on` and `condition`, and
 * every function call in it.
 */

/** Checks every resource of the template. */
export function checkResources(ctx: TemplateContext): void {
  const resources = ctx.template.resources;
  if (resources === undefined || resources === null) return;
  if (!isMap(resources)) {
    ctx.sink.report(HotFindingCode.NOT_A_MAP, 'resources', `'resources' must be a map of resource names to definitions, got ${describeValue(resources)}`);
    return;
  }
  for (const [name, definition] of Object.entries(resources)) {
    const path = childPath('resources', name);
    if (!isMap(definition)) {
      ctx.sink.report(HotFindingCode.NOT_A_MAP, path, `resource '${name}' must be a map with at least 'type', got ${describeValue(definition)}`);
      continue;
    }
    checkResource(ctx, name, definition, path);
  }
}

function checkResource(ctx: TemplateContext, name: string, definition: Record<string, unknown>, path: string): void {
  const allowedKeys = ctx.version.resource_keys ?? [];
  for (const key of Object.keys(definition)) {
    if (!allowedKeys.includes(key)) {
      ctx.sink.report(
        HotFindingCode.UNKNOWN_RESOURCE_KEY,
        childPath(path, key),
        `'${key}' is not a resource key in heat_template_version ${ctx.version.version}${nameHint(key, allowedKeys)}`,
      );
    }
  }
  const resolved = checkType(ctx, definition.type, childPath(path, 'type'), name);
  if (resolved) checkProperties(ctx, resolved, definition.properties, childPath(path, 'properties'));
  if (resolved?.kind === 'builtin') {
    checkUpdatePolicy(ctx, resolved.name, definition.update_policy, childPath(path, 'update_policy'));
    checkGroupMember(ctx, resolved.name, definition.properties, childPath(path, 'properties'));
  }
  checkDeletionPolicy(ctx, definition.deletion_policy, childPath(path, 'deletion_policy'));
  if (definition.depends_on !== undefined && definition.depends_on !== null) {
    checkDependsOn(ctx, name, definition.depends_on, childPath(path, 'depends_on'));
  }
  if (definition.condition !== undefined) checkCondition(ctx, definition.condition, childPath(path, 'condition'), `resource '${name}'`);
  for (const key of ['properties', 'metadata', 'update_policy', 'deletion_policy', 'external_id']) {
    if (definition[key] !== undefined) checkFunctions(ctx, definition[key], childPath(path, key));
  }
}

/** Checks a `type` value and returns what it resolves to, when it resolves. */
function checkType(ctx: TemplateContext, type: unknown, path: string, resourceName?: string): ResolvedType | undefined {
  if (typeof type !== 'string' || type === '') {
    ctx.sink.report(HotFindingCode.MISSING_RESOURCE_TYPE, path, `'type' must name a resource type or a template, got ${describeValue(type)}`);
    return undefined;
  }
  const resolved = ctx.run.registry.resolve(type, resourceName);
  if (resolved.kind !== 'unknown') return resolved;
  if (resolved.hidden) {
    ctx.sink.report(HotFindingCode.HIDDEN_RESOURCE_TYPE, path, `'${type}' ${resolved.reason}`);
  } else {
    const hint = suggestion(type, ctx.release.visibleResourceTypeNames());
    ctx.sink.report(HotFindingCode.UNKNOWN_RESOURCE_TYPE, path, `'${type}' ${resolved.reason}${hint}`);
  }
  return undefined;
}

/** Checks `properties` against the type's schema, or against the nested template's parameters. */
function checkProperties(ctx: TemplateContext, resolved: ResolvedType, properties: unknown, path: string): void {
  const data = properties === undefined || properties === null ? {} : properties;
  const checker = ctx.run.checker;
  if (resolved.kind === 'builtin') {
    const validate = checker.validator(`type:${resolved.name}`, () => allowFunction(propertiesSchema(resolved.schema.properties)));
    const subject: ValueSubject = { kind: 'properties', label: resolved.name, rootName: 'properties' };
    checker.check(validate, data, path, subject, ctx.sink);
  } else if (resolved.kind === 'template') {
    const validate = checker.dynamicValidator(nestedTemplateJsonSchema(ctx.run, resolved.template));
    const subject: ValueSubject = { kind: 'template', label: resolved.name, rootName: 'properties' };
    checker.check(validate, data, path, subject, ctx.sink);
  }
}

/** Checks `update_policy` against the type's update-policy schema (Heat rejects any key a type does not declare). */
function checkUpdatePolicy(ctx: TemplateContext, type: string, policy: unknown, path: string): void {
  if (policy === undefined || policy === null) return;
  const schema = ctx.release.resourceType(type)?.update_policy ?? {};
  const validate = ctx.run.checker.validator(`update_policy:${type}`, () => allowFunction(propertiesSchema(schema)));
  const subject: ValueSubject = { kind: 'properties', label: `the update_policy of ${type}`, rootName: 'update_policy' };
  ctx.run.checker.check(validate, policy, path, subject, ctx.sink);
}

/** Checks the member definition of an AutoScalingGroup (`resource`) or ResourceGroup (`resource_def`). */
function checkGroupMember(ctx: TemplateContext, type: string, properties: unknown, path: string): void {
  const key = GROUP_MEMBER_KEYS[type];
  if (!key || !isMap(properties)) return;
  const member = properties[key];
  if (!isMap(member) || ctx.isFunctionCall(member)) return;
  const memberPath = childPath(path, key);
  // ResourceGroup's schema requires `resource_def.type`, so ajv has reported a missing one already.
  if ((member.type === undefined && key === 'resource_def') || ctx.isFunctionCall(member.type)) return;
  const resolved = checkType(ctx, member.type, childPath(memberPath, 'type'));
  if (resolved) checkProperties(ctx, resolved, member.properties, childPath(memberPath, 'properties'));
}

/** Checks `deletion_policy` against the version's policies. */
function checkDeletionPolicy(ctx: TemplateContext, policy: unknown, path: string): void {
  if (policy === undefined || policy === null || ctx.isFunctionCall(policy)) return;
  const allowed = ctx.version.deletion_policies;
  if (typeof policy === 'string' && allowed.includes(policy)) return;
  ctx.sink.report(HotFindingCode.INVALID_DELETION_POLICY, path, `'deletion_policy' must be one of ${allowed.join(', ')}, got ${describeValue(policy)}`);
}
