import { validateWithHeat } from '../test/tools/heat-real-validator';
const r = validateWithHeat([{ id: 'svc', template: '/tmp/svc/out.yaml' }]);
console.log(JSON.stringify(r, null, 1));
