/** Every example, by folder name. */
import type { Construct } from 'constructs';
import { App, Stack } from '../src';
import * as existingNetwork from './existing-network';
import * as fractals from './fractals';
import * as helloServer from './hello-server';
import * as webApp from './web-app';

/** An example app: its name (the folder under `examples/` and `templates/`, and the stack name), what it is, and its builder. */
export interface Example {
  readonly name: string;
  readonly description: string;
  /** Adds the example's constructs to a stack: a Scaleout `Stack` or a cdktf/cdktn `TerraformStack`. */
  readonly build: (stack: Construct) => void;
}

/** All examples, in the order they are synthesized. */
export const EXAMPLES: readonly Example[] = [
  { name: 'hello-server', ...helloServer },
  { name: 'fractals', ...fractals },
  { name: 'web-app', ...webApp },
  { name: 'existing-network', ...existingNetwork },
];

/** An example in a Scaleout `Stack` of its own (the Heat-first route), for tests and scripts. */
export function exampleStack(example: Example, app: App = new App()): Stack {
  const stack = new Stack(app, example.name, { description: example.description });
  example.build(stack);
  return stack;
}
