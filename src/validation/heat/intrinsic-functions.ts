import { childPath, describeValue, HotFindingCode } from './findings';
import {
  checkAttributeReference,
  checkConditionReference,
  checkParameterReference,
  checkResourceReference,
} from './references';
import { TemplateContext } from './template-context';

/**
 * Walks a value of a template and checks every intrinsic function call in it: the function exists
 * in the template version (and is not removed), its arguments have the right shape, and the names
 * it uses (parameters, resources, attributes, conditions) exist.
 *
 * A value is a function call when it is a single-key map whose key is a function name of some
 * template version: that is how Heat parses templates. In `mode: 'condition'` (the `conditions`
 * section, a resource or output `condition`, the first argument of `if`) only the version's
 * condition functions are allowed and plain strings in `and`/`or`/`not` are condition names.
 */
export type WalkMode = 'value' | 'condition';

/** Checks every function call in `value`, found at `path`. */
export function checkFunctions(ctx: TemplateContext, value: unknown, path: string, mode: WalkMode = 'value'): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkFunctions(ctx, item, childPath(path, i), mode));
    return;
  }
  if (ctx.isFunctionCall(value)) {
    const [name, args] = Object.entries(value as Record<string, unknown>)[0];
    checkAvailable(ctx, name, path, mode);
    checkCall(ctx, name, args, path, childPath(path, name), mode);
    return;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) checkFunctions(ctx, item, childPath(path, key), mode);
  }
}

/** Checks a condition position: a condition name, a boolean, or a condition expression. */
export function checkCondition(ctx: TemplateContext, value: unknown, path: string, usedBy: string): void {
  if (typeof value === 'string') checkConditionReference(ctx, value, path, usedBy);
  else if (typeof value !== 'boolean') checkFunctions(ctx, value, path, 'condition');
}

function checkAvailable(ctx: TemplateContext, name: string, path: string, mode: WalkMode): void {
  const version = ctx.version.version ?? ctx.version.version_key;
  const table = mode === 'condition' ? ctx.version.condition_functions : ctx.version.functions;
  const fn = table[name];
  if (fn?.removed) {
    ctx.sink.report(HotFindingCode.REMOVED_FUNCTION, path, `'${name}' was removed in heat_template_version ${version}; ${replacementHint(name)}`);
    return;
  }
  if (fn) return;
  const where = mode === 'condition' ? 'a condition function' : 'a function';
  const elsewhere =
    mode === 'value' && ctx.version.condition_functions[name]
      ? '; it is a condition function, usable only in conditions'
      : mode === 'condition' && ctx.version.functions[name]
        ? '; only condition functions go in a condition'
        : '; use a newer heat_template_version or another function';
  ctx.sink.report(HotFindingCode.UNKNOWN_FUNCTION, path, `'${name}' is not ${where} of heat_template_version ${version}${elsewhere}`);
}

const REPLACEMENTS: Readonly<Record<string, string>> = {
  'Fn::Select': "use 'yaql' or 'get_attr'/'get_param' paths",
  'Fn::Join': "use 'list_join'",
  'Fn::Split': "use 'str_split'",
  'Fn::Replace': "use 'str_replace'",
  'Fn::Base64': 'pass the string as is',
  Ref: "use 'get_param' or 'get_resource'",
  'Fn::ResourceFacade': "use 'resource_facade'",
  'Fn::MemberListToMap': 'build the map directly',
  'Fn::GetAZs': 'give the availability zones as a parameter',
};

function replacementHint(name: string): string {
  return REPLACEMENTS[name] ?? 'use the HOT equivalent';
}

function badArguments(ctx: TemplateContext, path: string, name: string, expected: string, args: unknown): void {
  ctx.sink.report(HotFindingCode.BAD_FUNCTION_ARGUMENTS, path, `'${name}' takes ${expected}, got ${describeValue(args)}`);
}

function checkCall(ctx: TemplateContext, name: string, args: unknown, path: string, argsPath: string, mode: WalkMode): void {
  switch (name) {
    case 'get_param':
      checkGetParam(ctx, args, path, argsPath, mode);
      return;
    case 'get_resource':
      if (typeof args === 'string') checkResourceReference(ctx, args, path, 'get_resource');
      else if (!ctx.isFunctionCall(args)) badArguments(ctx, path, name, 'a resource name', args);
      else checkFunctions(ctx, args, argsPath, mode);
      return;
    case 'get_attr':
      checkGetAttr(ctx, args, path, argsPath, mode);
      return;
    case 'if':
      if (!Array.isArray(args) || args.length !== 3) {
        badArguments(ctx, path, name, '[condition, value if true, value if false]', args);
        checkFunctions(ctx, args, argsPath, mode);
        return;
      }
      checkCondition(ctx, args[0], childPath(argsPath, 0), 'if');
      checkFunctions(ctx, args[1], childPath(argsPath, 1), mode);
      checkFunctions(ctx, args[2], childPath(argsPath, 2), mode);
      return;
    case 'not':
    case 'and':
    case 'or':
      if (mode === 'condition') {
        const items = Array.isArray(args) ? args : [args];
        items.forEach((item, i) => checkCondition(ctx, item, Array.isArray(args) ? childPath(argsPath, i) : argsPath, name));
        return;
      }
      checkFunctions(ctx, args, argsPath, mode);
      return;
    default:
      checkFunctions(ctx, args, argsPath, mode);
  }
}

function checkGetParam(ctx: TemplateContext, args: unknown, path: string, argsPath: string, mode: WalkMode): void {
  const first = Array.isArray(args) ? args[0] : args;
  if (typeof first === 'string') checkParameterReference(ctx, first, path);
  else if (!ctx.isFunctionCall(first)) badArguments(ctx, path, 'get_param', 'a parameter name or [name, key, ...]', args);
  checkFunctions(ctx, args, argsPath, mode);
}

function checkGetAttr(ctx: TemplateContext, args: unknown, path: string, argsPath: string, mode: WalkMode): void {
  if (!Array.isArray(args) || args.length === 0) {
    badArguments(ctx, path, 'get_attr', '[resource, attribute, key, ...]', args);
    return;
  }
  const [resource, attribute] = args;
  if (typeof resource === 'string') {
    if (checkResourceReference(ctx, resource, path, 'get_attr') && typeof attribute === 'string') {
      checkAttributeReference(ctx, resource, attribute, path);
    }
  } else if (!ctx.isFunctionCall(resource)) {
    badArguments(ctx, path, 'get_attr', '[resource, attribute, key, ...]', args);
  }
  checkFunctions(ctx, args, argsPath, mode);
}
