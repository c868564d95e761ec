import type { IConstruct } from 'constructs';
import type { HeatContext } from '../../core/context';
import { Duration } from '../../core/duration';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { UserData } from '../compute/user-data';

/**
 * When a member of an autoscaling group counts: with `readiness`, only once it has told Heat it is
 * ready. Off by default.
 */
export interface ReadinessOptions {
  /**
   * A shell command (run by `/bin/sh` on the member, as root) that succeeds once the member can
   * serve, e.g. `curl -fsS http://127.0.0.1/healthz`. It is tried every 5 seconds once the user
   * data has run, until it succeeds or `timeout` has passed.
   * @default - ready as soon as the user data has run without error
   */
  readonly command?: string;
  /**
   * How long Heat waits for the member's signal, counted from the moment its server is ACTIVE.
   * Past it the wait condition fails, and with it the member and the scaling (or stack update)
   * that created it. At most one hour: the signal carries a Keystone token created with the
   * handle, which must outlive the wait (Keystone's default token lifetime is one hour; see
   * heat `engine/resources/openstack/heat/wait_condition_handle.py`,
   * `HeatWaitConditionHandle.handle_create`).
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
}

/** The default readiness timeout. */
export const DEFAULT_READINESS_TIMEOUT = Duration.minutes(10);

/** Seconds between two tries of the readiness command. */
export const READINESS_POLL_SECONDS = 5;

/**
 * Where the member template puts the handle's `curl_cli` (Heat's `wc_notify` pattern): the user
 * data carries this placeholder, and the member replaces it with `str_replace`.
 */
export const READINESS_NOTIFY_PLACEHOLDER = '@@SCALEOUT_READY_NOTIFY@@';

/** Path of the readiness script on a member whose user data is a cloud-config document. */
export const READINESS_SCRIPT_PATH = '/usr/local/sbin/scaleout-ready';

/** Validated readiness options. */
export interface Readiness {
  readonly command?: string;
  readonly timeoutSeconds: number;
}

/** Validates `options` (prop `prop` at `scope`); undefined when readiness is off. */
export function readinessOf(scope: IConstruct, prop: string, options: ReadinessOptions | undefined): Readiness | undefined {
  if (options === undefined) return undefined;
  const command = options.command;
  if (command !== undefined) {
    if (typeof command !== 'string' || command.trim().length === 0) {
      throw propError(scope, ErrorCode.EMPTY, `${prop}.command`, command, 'must be a non-empty shell command', "give e.g. 'curl -fsS http://127.0.0.1/healthz'");
    }
    if (command.length > 4096 || command.includes('\0')) {
      throw propError(scope, ErrorCode.FORMAT, `${prop}.command`, command, 'must be at most 4096 characters, without NUL', 'move a long check into a script the user data writes, and call it');
    }
    if (command.includes(READINESS_NOTIFY_PLACEHOLDER)) {
      throw propError(scope, ErrorCode.FORMAT, `${prop}.command`, command, `must not contain ${READINESS_NOTIFY_PLACEHOLDER}, which Scaleout replaces by the signal command`, 'remove it');
    }
  }
  const timeoutSeconds = (options.timeout ?? DEFAULT_READINESS_TIMEOUT).validate(scope, `${prop}.timeout`, 1, 3600);
  return { command, timeoutSeconds };
}

/** The shell functions that try the readiness command and signal Heat (POSIX sh, `set -e` safe). */
function readinessFunctions(r: Readiness): string[] {
  return [
    '# Scaleout readiness: tell Heat whether this member is ready (OS::Heat::WaitConditionHandle curl_cli).',
    'scaleout_signal() {',
    `  ${READINESS_NOTIFY_PLACEHOLDER} --retry 5 --retry-connrefused --data-binary "{\\"status\\": \\"$1\\", \\"reason\\": \\"$2\\"}" >/dev/null || echo "scaleout: could not signal $1 to Heat" >&2`,
    '}',
    'scaleout_ready_check() {',
    r.command === undefined ? '  :' : r.command,
    '}',
    'scaleout_wait_ready() {',
    `  scaleout_deadline=$(( $(date +%s) + ${r.timeoutSeconds} ))`,
    '  until scaleout_ready_check; do',
    '    if [ "$(date +%s)" -ge "$scaleout_deadline" ]; then',
    `      scaleout_signal FAILURE "readiness command did not succeed within ${r.timeoutSeconds} s"`,
    '      return 1',
    '    fi',
    `    sleep ${READINESS_POLL_SECONDS}`,
    '  done',
    '  scaleout_signal SUCCESS "ready"',
    '}',
  ];
}

/**
 * The user data of a member with readiness: the user's, then the readiness check and the signal.
 *
 * - A shell script (`UserData.forShellScript`): an EXIT trap is prepended, so the check runs when
 *   the script ends; if the script failed (it runs with `set -eu`), FAILURE is signalled at once
 *   with its exit status.
 * - A cloud-config document: the check is written to `/usr/local/sbin/scaleout-ready` and run by
 *   the last `runcmd` entry (cloud-init runs every entry even when one fails: `cloudinit/util.py`
 *   `shellify` writes them into one `#!/bin/sh` script without `set -e`; so the check decides).
 * - No user data: a shell script that only runs the check.
 * - `UserData.custom`: refused (its format is unknown).
 */
export function userDataWithReadiness(scope: IConstruct, prop: string, userData: UserData | undefined, r: Readiness): UserData {
  const functions = readinessFunctions(r);
  const trap = [
    ...functions,
    'scaleout_on_exit() {',
    '  scaleout_status=$?',
    '  trap - EXIT',
    '  set +eu',
    '  if [ "$scaleout_status" -ne 0 ]; then',
    '    scaleout_signal FAILURE "user data exited with status $scaleout_status"',
    '    exit "$scaleout_status"',
    '  fi',
    '  scaleout_wait_ready',
    '}',
    'trap scaleout_on_exit EXIT',
  ];
  const script = `#!/bin/sh\n${functions.join('\n')}\nscaleout_wait_ready\n`;
  const composed = (userData ?? UserData.forShellScript())._followedBy({ shellPrelude: trap, scriptPath: READINESS_SCRIPT_PATH, script });
  if (composed === undefined) {
    throw usageError(
      scope,
      ErrorCode.UNSUPPORTED,
      prop,
      'cannot be combined with UserData.custom(): Scaleout cannot tell where to add the readiness signal in user data of unknown format; use UserData.forShellScript(...) or UserData.forCloudConfig(...)',
    );
  }
  return composed;
}

/**
 * Adds the readiness resources to a member template: the handle (before the server, whose user
 * data needs its `curl_cli`) and, by `waitFor`, the wait condition that starts once the server is
 * ACTIVE.
 */
export function addReadiness(ctx: HeatContext, group: IConstruct, r: Readiness) {
  const handle = ctx.addResource(group, 'OS::Heat::WaitConditionHandle', {}, { suffix: 'ready_handle' });
  return {
    /** The member's user data, with the handle's signal command in place of the placeholder. */
    userData: (userData: unknown) => ({ str_replace: { template: userData, params: { [READINESS_NOTIFY_PLACEHOLDER]: { get_attr: [handle, 'curl_cli'] } } } }),
    /** Adds the wait condition after `server`; returns its logical name. */
    waitFor: (server: string): string =>
      ctx.addResource(group, 'OS::Heat::WaitCondition', { handle: { get_resource: handle }, timeout: r.timeoutSeconds, count: 1 }, { suffix: 'ready', dependsOn: [server] }),
  };
}
