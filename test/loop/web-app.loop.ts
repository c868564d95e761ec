/**
 * Acceptance of the web-app example's API group on the real loop (`acceptance.ts`): the step,
 * ramp and noisy traces side by side. CI runs it (`npm run test:loop:ci`).
 * LOOP_TOPOLOGY=member runs the same example with one set of CPU alarms per clone instead of the
 * group-wide set (docs/scaling.md compares the two).
 */
import { EXAMPLES } from '../../examples';
import { build as buildWebApp } from '../../examples/web-app';
import { acceptanceSuite } from './acceptance';
import type { GroupUnderTest } from './run-trace';

const topology = process.env.LOOP_TOPOLOGY ?? 'group';
const webApp = EXAMPLES.find((e) => e.name === 'web-app')!;
const API: GroupUnderTest = {
  example: 'web-app',
  source: topology === 'member' ? { ...webApp, build: (stack) => buildWebApp(stack, { cpuAlarmsPerMember: true }) } : webApp,
  group: 'site_api_servers',
  vcpus: 1,
  // Ubuntu boot, apt install of nginx/php and cloud-init: about three minutes.
  bootSeconds: 180,
  // The API group scales out above 60 % CPU of its 1 vCPU: a member carries 0.6 vCPU of work.
  capacityPerMember: 0.6,
};

// Peak needs 10 servers (5.7 / 0.6 = 9.5), the base load fits the minimum of 2 at 15 %.
acceptanceSuite('web-app API group', API, 0.3, 5.7);
