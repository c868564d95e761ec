import * as fs from 'fs';
import * as path from 'path';
import type { IConstruct } from 'constructs';
import { hasMarker, TERRAFORM_BACKEND_SYMBOL, TERRAFORM_ELEMENT_SYMBOL, TERRAFORM_PROVIDER_SYMBOL } from '../../core/engine-elements';
import { ErrorCode, propError, ScaleoutError, usageError } from '../../core/errors';
import { isRenderedByScaleout, resourcesBelow } from '../../core/resource';
import { IStack, isScaleoutStack, isTerraformStack, Stack } from '../../core/stack';
import { Warnings, type ConstructWarning } from '../../core/warnings';
import { hasSuppressions } from '../../lint/suppression-marker';
import { HotDocument } from './hot-document';
import { hotYaml } from './hot-yaml';

/** The HOT documents of one stack, as plain objects and as files. */
export interface HeatSynthesis {
  /** The stack name; the main template is `<stackName>.yaml`. */
  readonly stackName: string;
  /** The main template. */
  readonly template: Record<string, unknown>;
  /** The environment file (`<stackName>.env.yaml`). */
  readonly environment: Record<string, unknown>;
  /** Nested templates by file name, referenced from the main template by that name. */
  readonly files: Readonly<Record<string, Record<string, unknown>>>;
  /** The warnings of the stack's constructs that are not acknowledged. */
  readonly warnings: readonly ConstructWarning[];
}

/** Serializes a HOT document. Deterministic: same document, same bytes (js-yaml's, see hot-yaml.ts). */
export function toYaml(doc: unknown): string {
  return hotYaml(doc);
}


function isEngineElement(c: IConstruct): boolean {
  return hasMarker(c, TERRAFORM_ELEMENT_SYMBOL);
}

/**
 * Runs the construct tree's validations (`node.addValidation`) on the stack's constructs (the
 * engine's own elements and stacks are validated by the engine: a TerraformStack's check that each
 * resource has its provider fails before Scaleout adds the provider, and means nothing to Heat)
 * and throws all failures at once.
 */
export function validateTree(stack: IStack): void {
  const messages = stack.root.node
    .findAll()
    .filter((c) => !isEngineElement(c) && !isTerraformStack(c))
    .flatMap((c) => c.node.validate().map((m) => `${c.node.path}: ${m}`));
  if (messages.length > 0) {
    throw new ScaleoutError(ErrorCode.USAGE, stack.root.node.path, 'validation', `validation failed:\n  ${messages.join('\n  ')}`);
  }
}

/** The stack `scope` stands for: a Scaleout `Stack` or a cdktf/cdktn `TerraformStack`. */
export function stackTarget(scope: IConstruct, what: string): IStack {
  if (isScaleoutStack(scope) || isTerraformStack(scope)) return Stack.of(scope);
  throw propError(
    (scope as IConstruct)?.node?.path ?? '<none>',
    ErrorCode.USAGE,
    'stack',
    (scope as IConstruct)?.node?.path ?? scope,
    `must be a Scaleout Stack or a cdktf/cdktn TerraformStack to ${what}`,
    'pass the stack that holds the constructs',
  );
}

/**
 * Refuses engine elements the Heat target cannot express: a user's own Terraform resource, data
 * source, variable, output or module (providers and backends are Terraform configuration, which
 * a Heat stack does not need).
 */
function refuseTerraformOnly(stack: IStack): void {
  for (const c of stack.root.node.findAll()) {
    if (!isEngineElement(c) || isRenderedByScaleout(c) || hasMarker(c, TERRAFORM_PROVIDER_SYMBOL) || hasMarker(c, TERRAFORM_BACKEND_SYMBOL)) continue;
    const type = (c as unknown as { terraformResourceType?: string }).terraformResourceType;
    throw usageError(
      c,
      ErrorCode.UNSUPPORTED,
      type ?? 'element',
      `is a Terraform ${type ? 'resource' : 'element'} that the Heat target cannot express; render this stack to Terraform only, move the element to a Terraform-only stack, or use a Scaleout construct (stack outputs: Stack.of(scope).addOutput)`,
    );
  }
}

/** Renders a stack to HOT documents (in memory): a Scaleout `Stack` or a `TerraformStack` holding Scaleout constructs. */
export function synthesizeHeat(scope: IConstruct): HeatSynthesis {
  const stack = stackTarget(scope, 'render it to Heat');
  validateTree(stack);
  const files = new Map<string, Record<string, unknown>>();
  const environmentParameters = new Map<string, unknown>();
  const main = new HotDocument({ root: stack.root, release: stack.release, files, environmentParameters }, stack.description, true);
  for (const resource of resourcesBelow(stack.root)) resource._toHeat(main);
  for (const [name, output] of stack.stackOutputs) {
    if (output.sensitive) {
      throw propError(
        stack.root,
        ErrorCode.UNSUPPORTED,
        'sensitive',
        true,
        `cannot be honoured for output '${name}' in Heat, which cannot hide an output (\`openstack stack output show\` prints it to anyone who can read the stack)`,
        'export it in the Terraform target only, or read the value from its resource',
      );
    }
    main.addOutput(name, output.value._heat(main), output.description);
  }
  refuseTerraformOnly(stack);
  const environment: Record<string, unknown> = {};
  if (environmentParameters.size > 0) environment.parameters = Object.fromEntries(environmentParameters);
  const synthesis: HeatSynthesis = {
    stackName: stack.stackName,
    template: main.document(),
    environment,
    // Plain code-unit order: localeCompare would depend on the machine's locale.
    files: Object.fromEntries([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    warnings: Warnings.of(stack.root),
  };
  if (!hasSuppressions(stack.root)) return synthesis;
  // Policy suppressions travel with the output, so `scaleout lint` on the folder honours them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { heatSynthesisWithSuppressions } = require('../../lint/suppressions') as typeof import('../../lint/suppressions');
  return heatSynthesisWithSuppressions(stack.root, synthesis);
}


/** File name -> YAML text for a synthesized stack: `<stack>.yaml`, `<stack>.env.yaml` and nested templates. */
export function heatFiles(synthesis: HeatSynthesis): Record<string, string> {
  const out: Record<string, string> = {
    [`${synthesis.stackName}.yaml`]: toYaml(synthesis.template),
    [`${synthesis.stackName}.env.yaml`]: toYaml(synthesis.environment),
  };
  for (const [name, doc] of Object.entries(synthesis.files)) out[name] = toYaml(doc);
  return out;
}

/** Options of `writeHeat`. */
export interface WriteHeatOptions {
  /**
   * Where each unacknowledged warning is reported, one line each.
   * @default - standard error
   */
  readonly onWarning?: (line: string, warning: ConstructWarning) => void;
}

/** One warning as a line for a terminal: `[WARNING] <path>: <message> [<id>]`. */
export function formatWarning(w: ConstructWarning): string {
  return `[WARNING] ${w.path}: ${w.message} [${w.id}]`;
}

/**
 * Renders a stack and writes its HOT files into `outdir` (created if needed), ready for
 * `openstack stack create -t <stack>.yaml -e <stack>.env.yaml <name>`. Prints each warning that
 * is not acknowledged. Returns the paths written.
 */
export function writeHeat(stack: IConstruct, outdir: string, options: WriteHeatOptions = {}): string[] {
  const synthesis = synthesizeHeat(stack);
  const files = heatFiles(synthesis);
  const report = options.onWarning ?? ((line: string) => process.stderr.write(`${line}\n`));
  for (const w of synthesis.warnings) report(formatWarning(w), w);
  fs.mkdirSync(outdir, { recursive: true });
  return Object.entries(files).map(([name, text]) => {
    const file = path.join(outdir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}
