/**
 * An example as a user writes it in a cdktf app: a `TerraformStack` of their own, with their
 * backend, holding Scaleout constructs. The same stack renders to Heat with `writeHeat(stack, dir)`.
 */
import { LocalBackend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { Stack } from '../src';
import type { Example } from './index';

/** The stack of one example. */
export class ExampleStack extends TerraformStack {
  constructor(scope: Construct, example: Example) {
    super(scope, example.name);
    // A relative state path keeps cdk.tf.json the same on every machine.
    new LocalBackend(this, { path: `terraform.${example.name}.tfstate` });
    Stack.configure(this, { description: example.description });
    example.build(this);
  }
}
