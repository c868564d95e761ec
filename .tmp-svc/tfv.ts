import { terraformValidate } from '../test/tools/terraform-validate';
(async () => { const r = await terraformValidate('/tmp/svc/tf/stacks/test'); console.log(JSON.stringify(r, null, 1)); })();
