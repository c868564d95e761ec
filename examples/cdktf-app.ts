/**
 * The `app` of cdktf.json: `cdktf synth` runs this and writes every example's Terraform stack
 * to `cdktf.out/stacks/<example>/cdk.tf.json`.
 */
import { App } from 'cdktf';
import { ExampleStack } from './example-stack';
import { EXAMPLES } from './index';

const app = new App();
for (const example of EXAMPLES) new ExampleStack(app, example);
app.synth();
