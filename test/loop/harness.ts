/**
 * Starts and stops the loopback cloud of the telemetry loop (`test/loop/cloud/cloud.py`): one
 * temp folder holds every file (databases, configuration, logs, Gnocchi's storage), every
 * process listens on 127.0.0.1 only, and `stop()` ends them all and deletes the folder.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** What `cloud.py` prints once every service answers. */
export interface CloudInfo {
  readonly authUrl: string;
  readonly username: string;
  readonly password: string;
  readonly project: string;
  readonly heat: string;
  readonly gnocchi: string;
  readonly aodh: string;
  readonly logs: string;
  readonly pids: Record<string, number>;
}

/** Settings of the loopback services. */
export interface CloudSettings {
  /** Aodh's `[evaluator] evaluation_interval`, seconds (Aodh's default is 60). */
  readonly evaluationInterval: number;
  /** Gnocchi's `[metricd] metric_processing_delay`, seconds. */
  readonly metricProcessingDelay?: number;
  readonly debug?: boolean;
}

/** A running loopback cloud. */
export interface Cloud {
  readonly info: CloudInfo;
  readonly folder: string;
  /** Reads a service's log (e.g. 'heat-app'), '' when absent. */
  log(name: string): string;
  /** Stops every process and deletes the folder. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

/** Installs the Debian packages when missing (fails with the command to run when it cannot). */
export function ensureTelemetry(): void {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'ensure-telemetry.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('scripts/ensure-telemetry.sh failed: the telemetry loop needs Debian 12 OpenStack packages');
}

/** Starts the cloud; rejects (after cleaning up) when a service does not come up in `timeoutMs`. */
export async function startCloud(settings: CloudSettings, timeoutMs = 600_000): Promise<Cloud> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-loop-'));
  const child: ChildProcess = spawn('/usr/bin/python3', [path.join(__dirname, 'cloud', 'cloud.py'), folder, JSON.stringify(settings)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin!.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    // LOOP_KEEP_LOGS=<dir>: keep the services' logs for a post-mortem (the folder still goes).
    const keep = process.env.LOOP_KEEP_LOGS;
    if (keep && fs.existsSync(path.join(folder, 'logs'))) fs.cpSync(path.join(folder, 'logs'), keep, { recursive: true });
    fs.rmSync(folder, { recursive: true, force: true });
  };
  try {
    const info = await new Promise<CloudInfo>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`loopback cloud not ready in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
      child.stdout!.on('data', (d) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('READY '));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line.slice(6)) as CloudInfo);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`loopback cloud exited (${code}) before it was ready:\n${stderr}\n${tailLogs(path.join(folder, 'logs'))}`));
      });
    });
    return {
      info,
      folder,
      log: (name) => {
        const file = path.join(info.logs, `${name}.log`);
        return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

function tailLogs(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => `--- ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8').split('\n').slice(-15).join('\n')}`)
    .join('\n');
}
