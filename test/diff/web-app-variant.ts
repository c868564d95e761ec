/**
 * The web-app example (examples/web-app) with the props a reviewer changes, so tests can
 * synthesize a "before" and an "after" and diff them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CacheEngine, CloudConfig, DatabaseEngine, Duration, Flavor, Image, Peer, Port, ScalableWebApp, Stack, synthesizeTerraform, writeHeat } from '../../src';

/** The props the tests vary. */
export interface Variant {
  readonly scaleOutAbovePercent?: number;
  readonly scaleOutBy?: number;
  readonly maxSize?: number;
  readonly packages?: string[];
  readonly sshFromAnywhere?: boolean;
  readonly healthCheckPath?: string;
  readonly cacheMaxMemoryMiB?: number;
  readonly autohealing?: boolean;
}

/** Builds the web-app stack with `v` applied. */
export function webApp(v: Variant = {}): Stack {
  const stack = new Stack(new App(), 'web-app', { description: "Joe's web site" });
  const site = new ScalableWebApp(stack, 'Site', {
    image: Image.fromName('ubuntu-22.04'),
    flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
    externalNetworkName: 'public',
    cidr: '10.10.0.0/24',
    services: {
      flavor: Flavor.fromName('m1.medium', { vcpus: 2 }),
      databaseEngine: DatabaseEngine.postgresql(),
      databaseName: 'shop',
      databaseUsername: 'shop',
      cacheEngine: CacheEngine.redis(),
      cacheMaxMemoryMiB: v.cacheMaxMemoryMiB ?? 512,
    },
    api: {
      minSize: 2,
      maxSize: v.maxSize ?? 10,
      // as the web-app example: each clone alarms on its own CPU
      cpuAlarmsPerMember: true,
      scaleOutAbovePercent: v.scaleOutAbovePercent ?? 70,
      scaleOutBy: v.scaleOutBy ?? 1,
      scaleInBelowPercent: 25,
      cooldown: Duration.seconds(180),
      healthCheckPath: v.healthCheckPath ?? '/healthz',
      autohealing: v.autohealing,
      cloudConfig: new CloudConfig().addPackages(...(v.packages ?? ['nginx'])),
    },
  });
  if (v.sshFromAnywhere) {
    site.api.group.connections.allowFrom(Peer.anyIpv4(), Port.tcp(22), { allowPublicAccessToSensitivePort: true });
  }
  return stack;
}

/** A temp folder holding `heat/` and `terraform/` of each variant; `cleanup()` deletes it. */
export class Workspace {
  public readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-diff-test-'));

  /** Synthesizes `stack` to both targets under `<root>/<name>/{heat,terraform}`; returns that folder. */
  public synth(name: string, stack: Stack): string {
    const dir = path.join(this.root, name);
    writeHeat(stack, path.join(dir, 'heat'));
    const scratch = path.join(this.root, `.${name}-tf`);
    const [tf] = synthesizeTerraform(stack, scratch);
    fs.cpSync(tf.directory, path.join(dir, 'terraform'), { recursive: true });
    fs.rmSync(scratch, { recursive: true, force: true });
    return dir;
  }

  public cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
