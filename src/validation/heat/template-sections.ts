import { ValueSubject } from './ajv-checker';
import { childPath, describeValue, FindingSink, HotFindingCode, nameHint, suggestion } from './findings';
import { checkCondition, checkFunctions } from './intrinsic-functions';
import { checkParameterReference } from './references';
import { isMap, parameterValueJsonSchema, TemplateContext, ValidationRun } from './template-context';

/**
 * Checks the sections around the resources: `heat_template_version`, the allowed top-level
 * sections, `parameters` (keys, types, constraints, defaults), `parameter_groups`, `conditions`
 * and `outputs`.
 */

/** Checks the version and the top-level sections. */
export function checkVersionAndSections(ctx: TemplateContext): void {
  const value = ctx.template.heat_template_version;
  if (!ctx.versionKnown) {
    const cfn = ctx.template.AWSTemplateFormatVersion !== undefined || ctx.template.HeatTemplateFormatVersion !== undefined;
    const message = cfn
      ? 'CFN-format templates are not checked; write the template in HOT with a heat_template_version'
      : `'heat_template_version' must be one of ${ctx.release.hotVersionNames().join(', ')}, got ${describeValue(value)}`;
    ctx.sink.report(HotFindingCode.UNKNOWN_TEMPLATE_VERSION, 'heat_template_version', message);
  }
  const sections = ctx.version.sections;
  for (const key of Object.keys(ctx.template)) {
    if (!sections.includes(key)) {
      ctx.sink.report(
        HotFindingCode.UNKNOWN_SECTION,
        childPath('', key),
        `'${key}' is not a section of heat_template_version ${ctx.version.version}${nameHint(key, sections)}`,
      );
    }
  }
}

/** Checks each parameter's keys, type, constraints and default, and `parameter_groups`. */
export function checkParameters(ctx: TemplateContext): void {
  const parameters = ctx.template.parameters;
  if (parameters !== undefined && parameters !== null && !isMap(parameters)) {
    ctx.sink.report(HotFindingCode.NOT_A_MAP, 'parameters', `'parameters' must be a map of parameter names to definitions, got ${describeValue(parameters)}`);
    return;
  }
  for (const [name, parameter] of Object.entries(ctx.parameters)) {
    const path = childPath('parameters', name);
    if (!isMap(parameter)) {
      ctx.sink.report(HotFindingCode.NOT_A_MAP, path, `parameter '${name}' must be a map with at least 'type', got ${describeValue(parameter)}`);
      continue;
    }
    checkParameter(ctx, name, parameter, path);
  }
  checkParameterGroups(ctx);
}

function checkParameter(ctx: TemplateContext, name: string, parameter: Record<string, unknown>, path: string): void {
  const keys = ctx.version.parameter_keys ?? [];
  for (const key of Object.keys(parameter)) {
    if (!keys.includes(key)) {
      ctx.sink.report(HotFindingCode.UNKNOWN_PARAMETER_KEY, childPath(path, key), `'${key}' is not a parameter key in heat_template_version ${ctx.version.version}${nameHint(key, keys)}`);
    }
  }
  const types = ctx.version.parameter_types ?? ctx.release.parameterTypes;
  if (typeof parameter.type !== 'string' || !types.includes(parameter.type)) {
    const hint = typeof parameter.type === 'string' ? suggestion(parameter.type, types) : '';
    ctx.sink.report(HotFindingCode.UNKNOWN_PARAMETER_TYPE, childPath(path, 'type'), `parameter '${name}' must have a type of ${types.join(', ')}, got ${describeValue(parameter.type)}${hint}`);
    return;
  }
  checkConstraintKeys(ctx, parameter.constraints, childPath(path, 'constraints'));
  if (parameter.default !== undefined && parameter.default !== null) {
    checkParameterValue(ctx.run, parameter, parameter.default, childPath(path, 'default'), `parameter '${name}'`, 'default', ctx.sink);
  }
}

function checkConstraintKeys(ctx: TemplateContext, constraints: unknown, path: string): void {
  if (constraints === undefined || constraints === null) return;
  if (!Array.isArray(constraints)) {
    ctx.sink.report(HotFindingCode.UNKNOWN_PARAMETER_CONSTRAINT, path, `'constraints' must be a list of constraints, got ${describeValue(constraints)}`);
    return;
  }
  const allowed = [...(ctx.version.parameter_constraint_keys ?? []), 'description'];
  constraints.forEach((constraint, i) => {
    const at = childPath(path, i);
    if (!isMap(constraint)) {
      ctx.sink.report(HotFindingCode.UNKNOWN_PARAMETER_CONSTRAINT, at, `a constraint must be a map such as {length: {min: 1}}, got ${describeValue(constraint)}`);
      return;
    }
    for (const [key, value] of Object.entries(constraint)) {
      if (!allowed.includes(key)) {
        ctx.sink.report(HotFindingCode.UNKNOWN_PARAMETER_CONSTRAINT, childPath(at, key), `'${key}' is not a parameter constraint in heat_template_version ${ctx.version.version}${nameHint(key, allowed)}`);
      } else if (key === 'custom_constraint' && (typeof value !== 'string' || !ctx.release.customConstraint(value))) {
        ctx.sink.report(HotFindingCode.UNKNOWN_PARAMETER_CONSTRAINT, childPath(at, key), `custom constraint ${describeValue(value)} is not known to Heat ${ctx.release.name}`);
      }
    }
  });
}

/**
 * Checks a value given for a parameter (its default, or an environment value) against the
 * parameter's type and constraints.
 */
export function checkParameterValue(
  run: ValidationRun,
  parameter: Record<string, unknown>,
  value: unknown,
  path: string,
  label: string,
  rootName: string,
  sink: FindingSink,
): void {
  const validate = run.checker.dynamicValidator(parameterValueJsonSchema(run, parameter));
  const subject: ValueSubject = { kind: 'properties', label, rootName };
  run.checker.check(validate, value, path, subject, sink);
}

function checkParameterGroups(ctx: TemplateContext): void {
  const groups = ctx.template.parameter_groups;
  if (!Array.isArray(groups)) return;
  groups.forEach((group, i) => {
    const names = isMap(group) ? group.parameters : undefined;
    if (!Array.isArray(names)) return;
    names.forEach((name, j) => {
      if (typeof name === 'string') checkParameterReference(ctx, name, childPath(childPath(childPath('parameter_groups', i), 'parameters'), j));
    });
  });
}

/** Checks every condition definition as a condition expression. */
export function checkConditions(ctx: TemplateContext): void {
  const conditions = ctx.template.conditions;
  if (conditions === undefined || conditions === null) return;
  if (!isMap(conditions)) {
    ctx.sink.report(HotFindingCode.NOT_A_MAP, 'conditions', `'conditions' must be a map of condition names to expressions, got ${describeValue(conditions)}`);
    return;
  }
  for (const [name, expression] of Object.entries(conditions)) {
    checkCondition(ctx, expression, childPath('conditions', name), `condition '${name}'`);
  }
}

/** Checks each output's keys, its `value` (with every function call in it) and its `condition`. */
export function checkOutputs(ctx: TemplateContext): void {
  const outputs = ctx.template.outputs;
  if (outputs === undefined || outputs === null) return;
  if (!isMap(outputs)) {
    ctx.sink.report(HotFindingCode.NOT_A_MAP, 'outputs', `'outputs' must be a map of output names to definitions, got ${describeValue(outputs)}`);
    return;
  }
  const keys = ctx.version.output_keys ?? [];
  for (const [name, output] of Object.entries(outputs)) {
    const path = childPath('outputs', name);
    if (!isMap(output)) {
      ctx.sink.report(HotFindingCode.NOT_A_MAP, path, `output '${name}' must be a map with 'value', got ${describeValue(output)}`);
      continue;
    }
    for (const key of Object.keys(output)) {
      if (!keys.includes(key)) {
        ctx.sink.report(HotFindingCode.UNKNOWN_OUTPUT_KEY, childPath(path, key), `'${key}' is not an output key in heat_template_version ${ctx.version.version}${nameHint(key, keys)}`);
      }
    }
    if (!Object.prototype.hasOwnProperty.call(output, 'value')) {
      ctx.sink.report(HotFindingCode.OUTPUT_VALUE_MISSING, childPath(path, 'value'), `output '${name}' has no 'value'; add one`);
    } else {
      checkFunctions(ctx, output.value, childPath(path, 'value'));
    }
    if (output.condition !== undefined) checkCondition(ctx, output.condition, childPath(path, 'condition'), `output '${name}'`);
  }
}
