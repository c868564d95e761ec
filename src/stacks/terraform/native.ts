/**
 * Scaleout constructs inside a user's cdktf/cdktn `TerraformStack`: the stack renders them itself.
 * When the first construct is created there, the stack gets an Aspect (run by `Testing.synth` and
 * by every synth) and its `prepareStack` (run by `app.synth()` before any stack is written, so
 * cross-stack references that cdktf wires in that phase see our resources) renders them first.
 */
import * as path from 'path';
import type { IConstruct } from 'constructs';
import { engineLoaded, engineModule, engineName } from '../../engine';
import { ErrorCode, usageError } from '../../core/errors';
import { placementHooks } from '../../core/resource';
import { HEAT_OUTDIR_ENV, Stack, type IStack } from '../../core/stack';
import { terraformValueHook, type Value } from '../../core/value';
import { writeHeat } from '../heat/heat-synthesizer';
import { TerraformRenderer } from './renderer';


const attached = new WeakSet<IConstruct>();

/** Makes a `TerraformStack` render the Scaleout constructs in it. Idempotent. */
export function attachToTerraformStack(target: IStack): void {
  const stack = target.root;
  if (attached.has(stack)) return;
  const engine = engineModule();
  if (!(stack instanceof engine.TerraformStack)) {
    throw usageError(
      stack,
      ErrorCode.USAGE,
      stack.node.path,
      `is a TerraformStack of another engine than the one Scaleout renders with (${engineName()}); with both cdktf and cdktn installed, call useEngine(require('cdktn')) (or 'cdktf') before creating Scaleout constructs, or uninstall the one the app does not use`,
    );
  }
  attached.add(stack);
  const renderer = TerraformRenderer.of(target);
  renderWhenSynthesized(stack, () => renderer.render(), () => {
    // `scaleout synth` asks for the Heat rendering of the same tree (see src/cli/app-runner.ts).
    const heatOutdir = process.env[HEAT_OUTDIR_ENV];
    if (heatOutdir) writeHeat(stack, path.join(heatOutdir, target.stackName));
  });
}

/**
 * Runs `render` when the engine synthesizes `terraformStack`: from an Aspect (so `Testing.synth`
 * renders) and before the stack's `prepareStack` (so `app.synth()` renders before cross-stack
 * references are wired). `render` must be idempotent. `beforePrepare` runs in the latter only.
 */
export function renderWhenSynthesized(terraformStack: IConstruct, render: () => void, beforePrepare?: () => void): void {
  engineModule().Aspects.of(terraformStack).add({
    visit: (node: IConstruct) => {
      if (node === terraformStack) render();
    },
  });
  const s = terraformStack as unknown as { prepareStack(): void };
  const prepare = s.prepareStack.bind(terraformStack);
  s.prepareStack = () => {
    render();
    beforePrepare?.();
    prepare();
  };
}

placementHooks.onTerraformStack = attachToTerraformStack;

terraformValueHook.resolve = (value: Value, scope: unknown) => {
  const target = Stack.of(scope as IConstruct);
  return value._terraform(TerraformRenderer.of(target));
};

terraformValueHook.asString = (value: Value) => (engineLoaded() ? engineModule().Token.asString(value) : undefined);
