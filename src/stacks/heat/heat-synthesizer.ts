import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ErrorCode, propError, ScaleoutError } from '../../core/errors';
import { resourcesBelow } from '../../core/resource';
import type { Stack } from '../../core/stack';
import { HotDocument } from './hot-document';

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
}

/** Serializes a HOT document. Deterministic: same document, same bytes. */
export function toYaml(doc: unknown): string {
  return yaml.dump(doc, { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: "'" });
}

/** Runs the construct tree's validations (`node.addValidation`) and throws all failures at once. */
export function validateTree(stack: Stack): void {
  const messages = stack.node.findAll().flatMap((c) => c.node.validate().map((m) => `${c.node.path}: ${m}`));
  if (messages.length > 0) {
    throw new ScaleoutError(ErrorCode.USAGE, stack.node.path, 'validation', `validation failed:\n  ${messages.join('\n  ')}`);
  }
}

/** Renders a stack to HOT documents (in memory). */
export function synthesizeHeat(stack: Stack): HeatSynthesis {
  validateTree(stack);
  const files = new Map<string, Record<string, unknown>>();
  const environmentParameters = new Map<string, unknown>();
  const main = new HotDocument({ root: stack, release: stack.release, files, environmentParameters }, stack.description, true);
  for (const resource of resourcesBelow(stack)) resource._toHeat(main);
  for (const [name, output] of stack.stackOutputs) {
    if (output.sensitive) {
      throw propError(
        stack,
        ErrorCode.UNSUPPORTED,
        'sensitive',
        true,
        `cannot be honoured for output '${name}' in Heat, which cannot hide an output (\`openstack stack output show\` prints it to anyone who can read the stack)`,
        'export it in the Terraform target only, or read the value from its resource',
      );
    }
    main.addOutput(name, output.value._heat(main), output.description);
  }
  const environment: Record<string, unknown> = {};
  if (environmentParameters.size > 0) environment.parameters = Object.fromEntries(environmentParameters);
  return {
    stackName: stack.stackName,
    template: main.document(),
    environment,
    // Plain code-unit order: localeCompare would depend on the machine's locale.
    files: Object.fromEntries([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
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

/**
 * Renders a stack and writes its HOT files into `outdir` (created if needed), ready for
 * `openstack stack create -t <stack>.yaml -e <stack>.env.yaml <name>`. Returns the paths written.
 */
export function writeHeat(stack: Stack, outdir: string): string[] {
  const files = heatFiles(synthesizeHeat(stack));
  fs.mkdirSync(outdir, { recursive: true });
  return Object.entries(files).map(([name, text]) => {
    const file = path.join(outdir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}
