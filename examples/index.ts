/** Every example, by folder name. Each `build` adds the example's stacks to an app. */
import type { App, Stack } from '../src';
import * as existingNetwork from './existing-network';
import * as fractals from './fractals';
import * as helloServer from './hello-server';
import * as webApp from './web-app';

/** An example app: its name (the folder under `examples/` and `templates/`) and its builder. */
export interface Example {
  readonly name: string;
  readonly build: (app: App) => Stack[];
}

/** All examples, in the order they are synthesized. */
export const EXAMPLES: readonly Example[] = [
  { name: 'hello-server', build: helloServer.build },
  { name: 'fractals', build: fractals.build },
  { name: 'web-app', build: webApp.build },
  { name: 'existing-network', build: existingNetwork.build },
];
