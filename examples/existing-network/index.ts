/**
 * An app deployed into a project whose network already exists: the network, its subnet and the
 * operators' SSH key pair are referenced by name, and the stack creates none of them. Everything
 * else (services, API tier, workers, load balancer, floating IP) is created as usual.
 *
 * Two things the stack cannot look up by itself are stated: the subnet's network (Heat cannot
 * find a subnet's network) and the subnet's CIDR, from which the load balancer reaches the API
 * servers (their security group lets the API port in from it, and from nowhere else).
 */
import type { Construct } from 'constructs';
import { CloudConfig, Flavor, Image, KeyPair, Network, Peer, ScalableWebApp, SERVICE_PLACEHOLDERS as S, Subnet, Warnings, WorkerScaling } from '../../src';

/** What the example is, for the template's description. */
export const description = 'A scale-out app on an existing network, subnet and key pair';

/** Adds the example's constructs to `stack`: a Scaleout `Stack` or a cdktf/cdktn `TerraformStack`. */
export function build(stack: Construct): void {
  // CPU alarms on the group's aggregate (the default, which works on any Heat): Gnocchi's cross-server
  // rate is unreliable while servers join (docs/scaling.md). On a cloud whose Heat creates trusts
  // with redelegation, pass cpuAlarmsPerMember / perMember: true instead of acknowledging.
  Warnings.acknowledge(stack, 'scaleout:group-rate-alarm', "the target cloud's Heat does not create trusts with redelegation, so per-member alarms cannot be created on a scale-out");
  const network = Network.fromName(stack, 'ProdNet', 'prod-net');
  const subnet = Subnet.fromName(stack, 'ProdSubnet', 'prod-subnet', network);
  const keyPair = KeyPair.fromName(stack, 'OpsKey', 'ops');

  const env = [`DATABASE_URL=postgresql://${S.DB_USER}:${S.DB_PASSWORD}@${S.DB_HOST}:${S.DB_PORT}/${S.DB_NAME}`, `AMQP_URL=amqp://${S.MQ_USER}:${S.MQ_PASSWORD}@${S.MQ_HOST}:${S.MQ_PORT}/${S.MQ_VHOST}`];
  const app_ = (role: string, extra: string[] = []) =>
    new CloudConfig()
      .addFile({ path: '/etc/orders/orders.env', permissions: '0600', content: [...env, ...extra, ''].join('\n') })
      .addRunCommands(`systemctl enable --now orders-${role}.service`);

  new ScalableWebApp(stack, 'Orders', {
    // A project image with the orders service preinstalled (units orders-api and orders-worker).
    image: Image.fromName('orders-2024.06'),
    flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
    externalNetworkName: 'public',
    subnet,
    keyPair,
    services: { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.medium', { vcpus: 2 }), databaseName: 'orders', databaseUsername: 'orders' },
    api: {
      maxSize: 6,
      serverPort: 8080,
      healthCheckPath: '/healthz',
      // prod-subnet's CIDR: the load balancer's amphora reaches the API servers from it.
      memberAccessPeer: Peer.ipv4('10.20.0.0/24'),
      // The image needs no package mirror nor DNS: the API servers may reach only the database and
      // the queue (the services' allowFrom writes those egress rules too) and the metadata service.
      allowAllOutbound: false,
      cloudConfig: app_('api'),
    },
    workers: {
      maxSize: 8,
      // Settling an order is CPU-bound: target tracking holds the workers near 60 % CPU, growing
      // the tier by a share proportional to how far above it they run and shrinking it only well
      // below (docs/scaling.md, "Target tracking"). Queue-depth scaling is the Fractals example's.
      scaling: WorkerScaling.targetCpu({ targetPercent: 60 }),
      cloudConfig: app_('worker', ['API_URL=@@API_URL@@']),
    },
  });
}
