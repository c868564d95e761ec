/**
 * The `app` of cdktf.json: `cdktf synth` runs this and writes every example's Terraform stack
 * to `cdktf.out/stacks/<stack>/cdk.tf.json`.
 */
import { App as CdktfApp } from 'cdktf';
import { addToCdktfApp, App } from '../src';
import { EXAMPLES } from './index';

const app = new CdktfApp();
for (const example of EXAMPLES) {
  addToCdktfApp(app, example.build(new App()));
}
app.synth();
