/**
 * Acceptance of the existing-network example's API group (`orders_api_servers`: an ApiTier with
 * the default CPU scaling, out above 70 %, in below 30 %, 2 to 6 servers) on the real loop
 * (`acceptance.ts`): the step, ramp and noisy traces side by side. Its workers track a CPU target
 * and have their own proof (`target-tracking.loop.ts`).
 */
import { EXAMPLES } from '../../examples';
import { acceptanceSuite } from './acceptance';
import type { GroupUnderTest } from './run-trace';

const API: GroupUnderTest = {
  example: 'existing-network',
  source: EXAMPLES.find((e) => e.name === 'existing-network')!,
  group: 'orders_api_servers',
  vcpus: 1,
  // A project image with the service preinstalled boots faster than web-app's apt install, but
  // the loop keeps the library's default warm-up.
  bootSeconds: 180,
  // Scales out above 70 % of its 1 vCPU: a member carries 0.7 vCPU of work.
  capacityPerMember: 0.7,
};

// Peak needs the maximum of 6 servers (3.9 / 0.7 = 5.6), the base load fits the minimum of 2 at 15 %.
acceptanceSuite('existing-network API group', API, 0.3, 3.9);
