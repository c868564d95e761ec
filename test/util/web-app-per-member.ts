/**
 * The web-app example with one set of CPU alarms per clone (`build(stack, { cpuAlarmsPerMember:
 * true })`), written as Heat templates into a fresh temp folder: the committed example uses the
 * group-wide alarms, and the tests of the per-member topology read this variant instead.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, writeHeat } from '../../src';
import { build, description } from '../../examples/web-app';

let written: string | undefined;

/** The folder holding `web-app.yaml`, its environment and `site_api_servers_member.yaml` (written once per test file). */
export function webAppPerMemberHeat(): string {
  if (written) return written;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-test-'));
  const stack = new Stack(new App(), 'web-app', { description });
  build(stack, { cpuAlarmsPerMember: true });
  writeHeat(stack, dir, { onWarning: () => undefined });
  written = dir;
  return dir;
}
