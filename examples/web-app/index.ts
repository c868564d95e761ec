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
 * - Scale-out is aggressive: +3 clones whenever average CPU passes 60 % (not +1 at 70 %),
 *   because a clone takes a few minutes to boot and the spike does not wait; the cooldown is
 *   3 minutes, about one boot, so a second step follows quickly if the first was not enough.
 *   Scale-in is gentle (-1 below 20 %: +3 from 2 servers at 60 % lands at 24 %, above it), so the site does not shed capacity between two waves.
 */
import type { Construct } from 'constructs';
import { CacheEngine, CloudConfig, DatabaseEngine, Duration, Flavor, Image, ScalableWebApp, SERVICE_PLACEHOLDERS as S } from '../../src';

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

/** Adds the example's constructs to `stack`: a Scaleout `Stack` or a cdktf/cdktn `TerraformStack`. */
export function build(stack: Construct): void {
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
      scaleOutBy: 3,
      scaleInBelowPercent: 20,
      scaleInBy: 1,
      cooldown: Duration.seconds(180),
      healthCheckPath: '/healthz',
      cloudConfig: webClone(),
    },
  });
}
