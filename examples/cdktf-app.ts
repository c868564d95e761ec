/**
 * The `app` of cdktf.json: `cdktf synth` runs this and writes every example's Terraform stack
 * to `cdktf.out/stacks/<stack>/cdk.tf.json`.
 */
import { addToCdktfApp, App, TerraformApp } from '../src';
import { EXAMPLES } from './index';

const app = new TerraformApp();
for (const example of EXAMPLES) {
  addToCdktfApp(app, example.build(new App()));
}
app.synth();
