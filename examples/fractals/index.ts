/**
 * The OpenStack "Fractals" app (faafo, from the OpenStack application tutorial), scaled out:
 *
 * - a services tier: MySQL (the fractal metadata) and RabbitMQ (the tasks), each on its own
 *   server; MySQL is reachable from the API group only, RabbitMQ from the API and worker groups;
 * - 2 to 10 API servers behind an Octavia load balancer whose VIP has a floating IP;
 * - 1 to 20 workers that take tasks from the queue, generate the images, and hand them back
 *   through the API's internal address; they have no public exposure at all;
 * - a Swift container for the generated images, so any API server can serve any image (no image
 *   is stranded on the disk of the server that happened to receive it).
 *
 * The servers install faafo with the tutorial's installer. The database and queue addresses and
 * passwords are only known at deploy time: the cloud-init documents carry placeholders that the
 * services tier replaces (`str_replace` in Heat, interpolations in Terraform).
 *
 * Writing to the container needs OpenStack credentials on the servers (an application credential
 * in /etc/openstack/clouds.yaml); they are provisioned out of band, never written into a template.
 */
import type { Construct } from 'constructs';
import { ApiTier, CloudConfig, DatabaseEngine, Duration, Flavor, Image, SERVICE_PLACEHOLDERS as S, ServicesTier, VirtualNetwork, WorkerScaling, WorkerTier,  } from '../../src';

const INSTALLER = 'https://opendev.org/openstack/faafo/raw/branch/master/contrib/install.sh';
const DATABASE_URL = `mysql+pymysql://${S.DB_USER}:${S.DB_PASSWORD}@${S.DB_HOST}:${S.DB_PORT}/${S.DB_NAME}`;
const MESSAGING_URL = `amqp://${S.MQ_USER}:${S.MQ_PASSWORD}@${S.MQ_HOST}:${S.MQ_PORT}/${S.MQ_VHOST}`;
/** Placeholder of the API's internal URL in the workers' document. */
const API_URL = '@@API_URL@@';

/** The cloud-init document of one faafo role: the image store's config, then the installer. */
function faafo(role: 'api' | 'worker', installerArgs: string): CloudConfig {
  return new CloudConfig()
    .addPackages('curl', 'python3-swiftclient')
    .addFile({
      path: '/etc/faafo/storage.conf',
      permissions: '0644',
      content: `# Generated images live in Swift, so every API server can serve every image.\n[swift]\ncontainer = ${S.CONTAINER_NAME}\n`,
    })
    .addRunCommands(`curl -L -s ${INSTALLER} | bash -s -- -i faafo -r ${role} ${installerArgs}`);
}

/** What the example is, for the template's description. */
export const description = 'Fractals (faafo) scaled out: API servers behind a load balancer, workers on a queue, images in Swift';

/** Adds the example's constructs to `stack`: a Scaleout `Stack` or a cdktf/cdktn `TerraformStack`. */
export function build(stack: Construct): void {
  const image = Image.fromName('ubuntu-22.04');
  const network = new VirtualNetwork(stack, 'Network', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });

  const services = new ServicesTier(stack, 'Services', {
    image,
    flavor: Flavor.fromName('m1.medium', { vcpus: 2 }),
    networks: [network.network],
    databaseEngine: DatabaseEngine.mysql(),
    databaseName: 'faafo',
    databaseUsername: 'faafo',
    objectContainer: { containerName: 'faafo-images' },
  });

  const api = new ApiTier(stack, 'Api', {
    image,
    flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
    subnet: network.subnet,
    externalNetworkName: 'public',
    minSize: 2,
    maxSize: 10,
    // faafo's API answers its index page on '/'.
    healthCheckPath: '/',
    // A server joins the load balancer only once faafo answers on it: the installer takes minutes,
    // and a scale-out (and its cooldown) should end when the new servers take load, not at boot.
    readiness: { command: 'curl -fsS -o /dev/null http://127.0.0.1/', timeout: Duration.minutes(20) },
    services,
    cloudConfig: faafo('api', `-m '${MESSAGING_URL}' -d '${DATABASE_URL}'`),
  });

  const workerConfig = faafo('worker', `-e '${API_URL}' -m '${MESSAGING_URL}'`).substitute(API_URL, api.internalUrl);
  new WorkerTier(stack, 'Workers', {
    image,
    flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
    networks: [network.network],
    minSize: 1,
    maxSize: 20,
    // Generating a fractal is CPU-bound: busy workers mean a backlog.
    scaling: WorkerScaling.cpu({ scaleOutAbovePercent: 75, scaleInBelowPercent: 20, scaleOutBy: 2 }),
    // faafo workers take tasks from the queue and hand results back through the API: they never
    // talk to the database, so its port stays closed to them.
    services,
    serviceAccess: { database: false },
    cloudConfig: workerConfig,
  });
}
