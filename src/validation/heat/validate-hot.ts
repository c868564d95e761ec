import { AjvChecker } from './ajv-checker';
import { childPath, FindingSink, HotFinding, HotFindingCode, HotValidationError, describeValue, sortFindings } from './findings';
import { HeatRelease } from './heat-release';
import { checkEnvironmentShape, ResourceRegistry } from './resource-registry';
import { checkResources } from './resources';
import { isMap, TemplateContext, ValidationRun } from './template-context';
import { checkConditions, checkOutputs, checkParameters, checkParameterValue, checkVersionAndSections } from './template-sections';

/** What `validateHot` checks: a template, its environment and the templates it uses. */
export interface HotValidationInput {
  /** The main template, parsed (a plain object as js-yaml would load it). */
  readonly template: Record<string, unknown>;
  /** The environment document, parsed (parameters, parameter_defaults, resource_registry). @default - no environment */
  readonly environment?: Record<string, unknown>;
  /**
   * Other templates referenced by name (resource `type: member.yaml`, resource_registry values,
   * AutoScalingGroup/ResourceGroup member types), keyed by the exact string used in the reference.
   * Each is checked the same way.
   * @default - no other templates
   */
  readonly files?: Record<string, Record<string, unknown>>;
  /** OpenStack release whose Heat schema to check against. @default '2022.2' (Zed; '2023.1' is a deprecated alias of it) */
  readonly release?: string;
  /** The main template's name in findings. @default 'main' */
  readonly name?: string;
}

/** The release checked against when the input names none. */
export const DEFAULT_HEAT_RELEASE = '2022.2';

/** The environment's name in findings. */
export const ENVIRONMENT_FILE = 'environment';

/**
 * Checks a HOT template (with its environment and nested templates) against the Heat schema of
 * an OpenStack release, offline, and returns every finding: files in the order main,
 * environment, then `files` by name; within a file by path.
 * @throws when `release` has no bundled Heat schema.
 */
export function validateHot(input: HotValidationInput): HotFinding[] {
  const release = HeatRelease.load(input.release ?? DEFAULT_HEAT_RELEASE);
  const files = input.files ?? {};
  const environment = input.environment ?? {};
  const run: ValidationRun = {
    release,
    checker: AjvChecker.for(release),
    registry: new ResourceRegistry(release, environment.resource_registry, files),
    files,
    parameterDefaults: isMap(environment.parameter_defaults) ? environment.parameter_defaults : {},
  };
  const findings: HotFinding[] = [];
  const mainName = input.name ?? 'main';
  const fileNames = Object.keys(files).sort();
  const main = checkTemplate(run, mainName, input.template, findings);
  for (const name of fileNames) checkTemplate(run, name, files[name], findings);
  if (input.environment !== undefined) {
    checkEnvironment(run, input.environment, main, new FindingSink(ENVIRONMENT_FILE, findings));
  }
  return sortFindings(findings, [mainName, ENVIRONMENT_FILE, ...fileNames]);
}

/**
 * Like `validateHot`, but throws one `HotValidationError` listing every finding when there is any.
 * @throws HotValidationError
 */
export function assertValidHot(input: HotValidationInput): void {
  const findings = validateHot(input);
  if (findings.length > 0) throw new HotValidationError(findings);
}

function checkTemplate(run: ValidationRun, name: string, template: unknown, findings: HotFinding[]): TemplateContext | undefined {
  const sink = new FindingSink(name, findings);
  if (!isMap(template)) {
    sink.report(HotFindingCode.NOT_A_MAP, '', `a template must be a map with heat_template_version and resources, got ${describeValue(template)}`);
    return undefined;
  }
  const ctx = new TemplateContext(run, name, template, sink);
  checkVersionAndSections(ctx);
  checkParameters(ctx);
  checkConditions(ctx);
  checkResources(ctx);
  checkOutputs(ctx);
  return ctx;
}

function checkEnvironment(run: ValidationRun, environment: unknown, main: TemplateContext | undefined, sink: FindingSink): void {
  if (!isMap(environment)) {
    sink.report(HotFindingCode.NOT_A_MAP, '', `an environment must be a map of ${['parameters', 'parameter_defaults', 'resource_registry'].join(', ')}, got ${describeValue(environment)}`);
    return;
  }
  const parameters = main?.parameters ?? {};
  checkEnvironmentShape(environment, parameters, run.registry, sink);
  const values = environment.parameters;
  if (!isMap(values)) return;
  for (const [name, value] of Object.entries(values)) {
    const parameter = parameters[name];
    if (isMap(parameter) && value !== null && value !== undefined) {
      checkParameterValue(run, parameter, value, childPath('parameters', name), `parameter '${name}'`, name, sink);
    }
  }
}
