/**
 * The Terraform target for a Scaleout `Stack` (the Heat-first route): `synthesizeTerraform` renders
 * it into a private cdktf/cdktn app. Constructs created in a user's own `TerraformStack` need none
 * of this: the engine renders them with the rest of the user's stack (see native.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { engineModule } from '../../engine';
import { ErrorCode, propError } from '../../core/errors';
import { isScaleoutStack, Stack } from '../../core/stack';
import { withoutCreationStacks } from './creation-stacks';
import { renderWhenSynthesized } from './native';
import { TerraformRenderer } from './renderer';

/** Where a synthesized Terraform stack was written. */
export interface TerraformSynthesis {
  /** The stack folder (`<outdir>/stacks/<stackName>`), holding `cdk.tf.json` and any assets. */
  readonly directory: string;
  /** The parsed `cdk.tf.json` (parsed on first read; the text is read when the stack is written). */
  readonly json: Record<string, unknown>;
}

/**
 * Adds the Terraform rendering of a Scaleout `Stack` to a cdktf/cdktn app, as a `TerraformStack`
 * named after the stack with a relative local backend (so the output is the same on every
 * machine). The stack renders when the app synthesizes, so constructs added to `stack` later count
 * too. Returns the new `TerraformStack`.
 */
export function addToCdktfApp(app: IConstruct, stack: Stack): IConstruct {
  if (!isScaleoutStack(stack)) {
    throw propError(app, ErrorCode.USAGE, 'stack', (stack as IConstruct)?.node?.path ?? stack, 'must be a Scaleout Stack', 'constructs created in a TerraformStack render with it: call app.synth()');
  }
  const engine = engineModule();
  const tfStack = new engine.TerraformStack(app as Construct, stack.stackName);
  // cdktf's default local backend writes the absolute path of the current directory into the
  // output; a relative path keeps the output the same on every machine.
  new engine.LocalBackend(tfStack, { path: `terraform.${stack.stackName}.tfstate` });
  // L1 resources live one level down, so no construct id can collide with cdktf's own children.
  // Rendered when the app synthesizes, so constructs added to the stack after this call count too.
  const renderer = TerraformRenderer.container(Stack.of(stack), new Construct(tfStack, 'scaleout'));
  renderWhenSynthesized(tfStack, () => renderer.render());
  return tfStack;
}

/** Options of `synthesizeTerraform`. */
export interface SynthesizeTerraformOptions {
  /**
   * Keep stack traces while rendering: the engine's annotations and the creation stack it captures
   * for every token (shown only when a token fails to resolve), and the stack of an error thrown
   * while rendering. Capturing them is a large part of a synth's time (see creation-stacks.ts); the
   * output is the same either way.
   * @default false
   */
  readonly stackTraces?: boolean;
}

/**
 * Renders Scaleout `Stack`s with the engine into `outdir` (as `cdktf synth` does:
 * `<outdir>/stacks/<stackName>/cdk.tf.json`). Nothing is written outside `outdir`.
 */
export function synthesizeTerraform(stacks: Stack | Stack[], outdir: string, options: SynthesizeTerraformOptions = {}): TerraformSynthesis[] {
  const list = Array.isArray(stacks) ? stacks : [stacks];
  const stackTraces = options.stackTraces ?? false;
  const app = new (engineModule().App)({ outdir, skipValidation: false, stackTraces });
  for (const s of list) addToCdktfApp(app, s);
  if (stackTraces) app.synth();
  else withoutCreationStacks(() => app.synth());
  return list.map((s) => {
    const directory = path.join(outdir, 'stacks', s.stackName);
    // A caller that only wants the files never pays for (or holds) the parsed document: for a
    // large stack it is several times the text's size, and allocated when the synth's own
    // garbage is at its peak.
    let text: string | undefined = fs.readFileSync(path.join(directory, 'cdk.tf.json'), 'utf8');
    let json: Record<string, unknown> | undefined;
    return {
      directory,
      get json(): Record<string, unknown> {
        if (json === undefined) {
          json = JSON.parse(text!) as Record<string, unknown>;
          text = undefined;
        }
        return json;
      },
    };
  });
}
