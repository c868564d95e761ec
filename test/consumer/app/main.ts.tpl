/** The `app` of cdktf.json. */
import { App } from 'cdktf';
import { ConsumerStack } from './stack';

const app = new App();
new ConsumerStack(app, 'consumer', { terraformOnly: true });
app.synth();
