/** Heat's own validator accepts templates carrying suppressions (main and member template). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { heatFiles, synthesizeHeat } from '../../src';
import { heatSynthesisWithSuppressions, HOT_SUPPRESSIONS_RESOURCE, PolicyPack } from '../../src/lint';
import { validateWithHeat } from '../tools/heat-real-validator';
import { apiStack } from '../assertions/fixture';

test('GIVEN a group with a suppression WHEN its written templates go through Heat’s validator THEN main and member pass', () => {
  // GIVEN an API tier whose group suppresses a warning (the member template gets the record too)
  const { stack, api } = apiStack();
  PolicyPack.suppress(api.group, [{ id: 'cooldown-shorter-than-alarm-window', reason: 'members serve within 60 s on this cloud' }]);
  const synthesis = heatSynthesisWithSuppressions(stack, synthesizeHeat(stack));
  expect(Object.keys(synthesis.files['api_servers_member.yaml'].resources as object)).toContain(HOT_SUPPRESSIONS_RESOURCE);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-lint-heat-'));
  try {
    for (const [name, text] of Object.entries(heatFiles(synthesis))) fs.writeFileSync(path.join(dir, name), text);
    // WHEN validated by Heat's own code
    const [r] = validateWithHeat([{ id: 'suppressed', template: path.join(dir, 'test.yaml'), environment: path.join(dir, 'test.env.yaml') }]);
    // THEN it and its member template pass
    expect(r.error).toBeNull();
    expect(r.ok).toBe(true);
    expect(r.nested.map((n) => [path.basename(n.template), n.ok])).toEqual([['api_servers_member.yaml', true]]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
