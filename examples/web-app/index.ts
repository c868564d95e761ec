/**
 * "Scale out, not up": a small company web site about to be shown on TV.
 *
 * Stateless web clones behind a load balancer, sessions in a shared Redis (any clone serves any
 * visitor, so clones can come and go), and PostgreSQL with a read replica (page reads go to the
 * replica, orders to the primary).
 *
 * Sizing for the TV spike:
 * - Normally the site sees a handful of requests at a time: one small clone would do, so the
 *   floor is 2 clones, for redundancy rather than load (a lost server or host leaves one serving).
 * - When the ad airs, hundreds of visitors arrive within minutes. A 1-vCPU clone serving PHP
 *   pages handles roughly 25-30 requests at a time at 60 % CPU, so a few hundred concurrent
 *   requests need 10-20 clones. The cap is 20: enough for the peak, and it bounds both the bill
 *   and the database connections (20 clones x 4 pooled connections = 80, under PostgreSQL's
 *   default max_connections of 100).
 * - Scaling follows the clones' CPU through one group-wide set of alarms: on Zed's Gnocchi that
 *   rate is skewed while clones join (acknowledged below), but one alarm signals Heat once per
 *   evaluation, while one alarm per clone makes the clones' signals race inside Heat and cancel
 *   each other's resizes (docs/scaling.md has both in the real loop). Above 60 % the site
 *   grows by half its size, and by its full size while clones are saturated (at
 *   90 % a clone's CPU no longer shows how many visitors are waiting), because a clone takes a
 *   few minutes to boot and the spike does not wait. Below 20 % it sheds half its clones, which
 *   leaves the rest under 40 %, far from the 60 % that would add them back. Each step waits
 *   until the alarms read only points measured after it (about 14 minutes out, 16 in at
 *   Ceilometer's 5-minute points; docs/scaling.md shows the real loop's timelines).
 */
import type { Construct } from 'constructs';
import { CacheEngine, CloudConfig, DatabaseEngine, Flavor, Image, ScalableWebApp, SERVICE_PLACEHOLDERS as S, Warnings } from '../../src';

/** The web clone: nginx + PHP-FPM, sessions in Redis, the database's addresses in an env file. */
function webClone(): CloudConfig {
  return new CloudConfig()
    .addPackages('nginx', 'php-fpm', 'php-redis', 'php-pgsql')
    .addFile({
      path: '/etc/joes-site/sessions.ini',
      permissions: '0640',
      owner: 'root:www-data',
      content: `session.save_handler = redis\nsession.save_path = "tcp://${S.CACHE_HOST}:${S.CACHE_PORT}?auth=${S.CACHE_PASSWORD}"\n`,
    })
    .addFile({
      path: '/etc/joes-site/database.env',
      permissions: '0640',
      owner: 'root:www-data',
      content: [
        `DB_WRITE_HOST=${S.DB_HOST}`,
        `DB_READ_HOSTS=${S.DB_READ_HOSTS}`,
        `DB_PORT=${S.DB_PORT}`,
        `DB_NAME=${S.DB_NAME}`,
        `DB_USER=${S.DB_USER}`,
        `DB_PASSWORD=${S.DB_PASSWORD}`,
        'DB_POOL_SIZE=4',
        '',
      ].join('\n'),
    })
    .addFile({ path: '/var/www/html/healthz', content: 'ok\n' })
    .addRunCommands(
      'for d in /etc/php/*/fpm/conf.d; do ln -sf /etc/joes-site/sessions.ini "$d/90-joes-sessions.ini"; done',
      'systemctl restart "$(basename /lib/systemd/system/php*-fpm.service)" nginx',
    );
}

/** What the example is, for the template's description. */
export const description = "Joe's web site, scaled out for a TV spike";

/** Variants of the example that the telemetry loop compares (test/loop); the defaults are the example. */
export interface WebAppVariant {
  /** One set of CPU alarms per clone (`true`) or one group-wide set (the example). */
  readonly cpuAlarmsPerMember?: boolean;
}

/** Adds the example's constructs to `stack`: a Scaleout `Stack` or a cdktf/cdktn `TerraformStack`. */
export function build(stack: Construct, variant: WebAppVariant = {}): void {
  if (variant.cpuAlarmsPerMember !== true) {
    Warnings.acknowledge(
      stack,
      'scaleout:group-rate-alarm',
      "one group-wide alarm per direction: the real loop passed 12 of 15 checks with it and fewer with one alarm per clone, whose signals race inside Heat (docs/scaling.md); use a Prometheus metric on 2024.1+",
    );
  }
  new ScalableWebApp(stack, 'Site', {
    image: Image.fromName('ubuntu-22.04'),
    flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
    externalNetworkName: 'public',
    cidr: '10.10.0.0/24',
    services: {
      flavor: Flavor.fromName('m1.medium', { vcpus: 2 }),
      databaseEngine: DatabaseEngine.postgresql(),
      databaseName: 'shop',
      databaseUsername: 'shop',
      databaseReadReplicas: 1,
      cacheEngine: CacheEngine.redis(),
      cacheMaxMemoryMiB: 512,
    },
    api: {
      minSize: 2,
      maxSize: 20,
      scaleOutAbovePercent: 60,
      scaleInBelowPercent: 20,
      cpuAlarmsPerMember: variant.cpuAlarmsPerMember === true,
      healthCheckPath: '/healthz',
      cloudConfig: webClone(),
    },
  });
}
