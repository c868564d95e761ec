/**
 * The OpenStack "Fractals" app (faafo, from the OpenStack application tutorial), scaled out:
 *
 * - a services tier: MySQL (the fractal metadata) and RabbitMQ (the tasks), each on its own
 *   server; MySQL is reachable from the API group only, RabbitMQ from the API and worker groups;
 * - 2 to 10 API servers behind an Octavia load balancer whose VIP has a floating IP, six of them
 *   from 08:45 on weekdays for the tutorial's class (a schedule the cloud enforces);
 * - 1 to 20 workers that take tasks from the queue, generate the images, and hand them back
 *   through the API's internal address; they have no public exposure at all;
 * - a Swift container for the generated images, so any API server can serve any image (no image
 *   is stranded on the disk of the server that happened to receive it).
 *
 * faafo was retired upstream in 2020 ("Retire faafo repository", efcd648): its branch holds no
 * code and its installer URL serves an error page. The servers install the last tree before the
 * retirement, commit 17d34be (2019-04-19), downloaded by that commit's hash, with a script that
 * stops at the first failure (`set -euo pipefail`, `curl -fsSL`), so a server that could not
 * install never passes the health check silently. That tree is Python 2.7 code (Python 2.7 is out
 * of support since 2020, and Ubuntu 22.04 has no pip for it); the script makes the five changes
 * Python 3 needs (see FAAFO_PY3_FIXES) and installs the dependencies faafo imports, with the
 * version bounds its code needs, into a virtualenv. The database and queue addresses and
 * passwords are only known at deploy time: the cloud-init documents carry placeholders that the
 * services tier replaces (`str_replace` in Heat, interpolations in Terraform).
 *
 * Writing to the container needs OpenStack credentials on the servers (an application credential
 * in /etc/openstack/clouds.yaml); they are provisioned out of band, never written into a template.
 */
import type { Construct } from 'constructs';
import { ApiTier, CloudConfig, DatabaseEngine, Duration, Flavor, Image, Schedule, SERVICE_PLACEHOLDERS as S, ServicesTier, VirtualNetwork, Warnings, WorkerScaling, WorkerTier } from '../../src';

/** The last faafo tree before the repository was retired (efcd648, 2020-03-01). */
export const FAAFO_COMMIT = '17d34be4c5105de9e934eabd7fc98653d298202e';
/** That tree as a tarball, by commit hash (GitHub's mirror of openstack/faafo). */
const FAAFO_ARCHIVE = `https://github.com/openstack/faafo/archive/${FAAFO_COMMIT}.tar.gz`;

/**
 * The changes the pinned tree needs to run on Python 3 (file, exact text, replacement); the
 * installer stops when one no longer applies. `cStringIO` and `flask.ext.*` are gone in Python 3
 * and Flask 1.0; the worker posts its image as JSON, which needs text, not bytes.
 */
export const FAAFO_PY3_FIXES: ReadonlyArray<readonly [string, string, string]> = [
  ['faafo/api/service.py', 'import cStringIO\n', 'import io\n'],
  ['faafo/api/service.py', 'cStringIO.StringIO(', 'io.BytesIO('],
  ['faafo/api/service.py', 'flask.ext.restless', 'flask_restless'],
  ['faafo/api/service.py', 'flask.ext.sqlalchemy', 'flask_sqlalchemy'],
  ['faafo/worker/service.py', 'image = base64.b64encode(fp.read())', "image = base64.b64encode(fp.read()).decode('ascii')"],
];

/**
 * What faafo's code imports, for Python 3, with the bounds its code needs: Flask-Restless 0.17.0
 * (its last release) predates SQLAlchemy 1.4 and Flask 2.3's removal of `_app_ctx_stack`;
 * Flask-SQLAlchemy 3 refuses the positional `paginate(page, 5, ...)` faafo calls; PyMySQL is
 * faafo's own pin (0.7 changed what faafo relies on). faafo's own requirements.txt (Pillow==2.4.0,
 * anyjson, which no longer builds with setuptools 58+) is not used.
 */
export const FAAFO_PYTHON_DEPENDENCIES: readonly string[] = [
  'pbr',
  'Flask>=1.1,<2.3',
  'Werkzeug<2.3',
  'Flask-SQLAlchemy>=2.5,<3',
  'SQLAlchemy>=1.3,<1.4',
  'Flask-Restless==0.17.0',
  'Flask-Bootstrap',
  'PyMySQL>=0.6.2,<0.7',
  'Pillow',
  'kombu',
  'oslo.config',
  'oslo.log',
  'requests',
  'prettytable',
];

/** The installer: downloads the pinned tree, applies the Python 3 changes, installs, runs one role. */
function installer(): string {
  const fixes = FAAFO_PY3_FIXES.map(([file, from, to]) => `    (${JSON.stringify(file)}, ${JSON.stringify(from)}, ${JSON.stringify(to)}),`).join('\n');
  return `#!/bin/bash
# Installs faafo at commit ${FAAFO_COMMIT} (the last tree before its retirement) and runs one
# role: install-faafo api|worker. Settings come from /etc/faafo/faafo.conf. Stops at the first error.
set -euo pipefail
role="$1"
case "$role" in api|worker) ;; *) echo "install-faafo: role must be api or worker, got '$role'" >&2; exit 2 ;; esac
src=/opt/faafo/src
mkdir -p "$src"
curl -fsSL --retry 5 -o /opt/faafo/faafo.tar.gz ${FAAFO_ARCHIVE}
tar -xzf /opt/faafo/faafo.tar.gz -C "$src" --strip-components=1
python3 - "$src" <<'PY'
import pathlib, sys
src = pathlib.Path(sys.argv[1])
for name, old, new in [
${fixes}
]:
    path = src / name
    text = path.read_text()
    if old not in text:
        sys.exit(f"install-faafo: {name} no longer holds {old!r}")
    path.write_text(text.replace(old, new))
PY
python3 -m venv /opt/faafo/venv
/opt/faafo/venv/bin/pip install --no-cache-dir ${FAAFO_PYTHON_DEPENDENCIES.map((d) => `'${d}'`).join(' ')}
PBR_VERSION=0.0.0 /opt/faafo/venv/bin/pip install --no-cache-dir --no-deps "$src"
grep -q '^transport_url = amqp://' /etc/faafo/faafo.conf || { echo "install-faafo: /etc/faafo/faafo.conf lost its settings" >&2; exit 1; }
cat > /etc/systemd/system/faafo-$role.service <<UNIT
[Unit]
Description=faafo $role
After=network-online.target
[Service]
ExecStart=/opt/faafo/venv/bin/faafo-$role
Restart=always
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now faafo-$role.service
`;
}

const DATABASE_URL = `mysql+pymysql://${S.DB_USER}:${S.DB_PASSWORD}@${S.DB_HOST}:${S.DB_PORT}/${S.DB_NAME}`;
const MESSAGING_URL = `amqp://${S.MQ_USER}:${S.MQ_PASSWORD}@${S.MQ_HOST}:${S.MQ_PORT}/${S.MQ_VHOST}`;
/** Placeholder of the API's internal URL in the workers' document. */
const API_URL = '@@API_URL@@';

/** The cloud-init document of one faafo role: its settings, the image store's config, then the installer. */
function faafo(role: 'api' | 'worker', settings: string): CloudConfig {
  return new CloudConfig()
    .addPackages('curl', 'python3-venv', 'python3-swiftclient')
    .addFile({ path: '/etc/faafo/faafo.conf', permissions: '0640', content: `[DEFAULT]\n${settings}` })
    .addFile({
      path: '/etc/faafo/storage.conf',
      permissions: '0644',
      content: `# Generated images live in Swift, so every API server can serve every image.\n[swift]\ncontainer = ${S.CONTAINER_NAME}\n`,
    })
    .addFile({ path: '/usr/local/sbin/install-faafo', permissions: '0755', content: installer() })
    .addRunCommands(`/usr/local/sbin/install-faafo ${role}`);
}

/** What the example is, for the template's description. */
export const description = 'Fractals (faafo) scaled out: API servers behind a load balancer, workers on a queue, images in Swift';

/** Adds the example's constructs to `stack`: a Scaleout `Stack` or a cdktf/cdktn `TerraformStack`. */
export function build(stack: Construct): void {
  // CPU alarms on the group's aggregate (the default, which works on any Heat): Gnocchi's cross-server
  // rate is unreliable while servers join (docs/scaling.md). On a cloud whose Heat creates trusts
  // with redelegation, pass cpuAlarmsPerMember / perMember: true instead of acknowledging.
  Warnings.acknowledge(stack, 'scaleout:group-rate-alarm', "the target cloud's Heat does not create trusts with redelegation, so per-member alarms cannot be created on a scale-out");
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
    cloudConfig: faafo('api', `transport_url = ${MESSAGING_URL}\ndatabase_url = ${DATABASE_URL}\n`),
  });

  // The tutorial's class starts at 09:00 Berlin time on weekdays, and the whole room opens the
  // app at once: six API servers from 08:45 (booted and ready when the class starts), and no CPU
  // scale-in before 12:45, however idle they are at first. CPU scale-out still adds servers; after
  // 12:45 the scale-in alarms shed what the load does not need. (A schedule sets the size; it
  // cannot change minSize or maxSize, which only a stack update changes.)
  api.group.scaleOnSchedule('Class', {
    schedule: Schedule.cron({ minute: 45, hour: 8, weekDay: 'MON-FRI' }),
    timeZone: 'Europe/Berlin',
    desiredCapacity: 6,
    duration: Duration.hours(4),
  });

  const workerConfig = faafo('worker', `endpoint_url = ${API_URL}\ntransport_url = ${MESSAGING_URL}\n`).substitute(API_URL, api.internalUrl);
  new WorkerTier(stack, 'Workers', {
    image,
    flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
    networks: [network.network],
    minSize: 1,
    maxSize: 20,
    // Scale on the backlog itself: faafo's API puts one task per fractal on the queue 'normal'
    // (faafo/queues.py), and the queue's server publishes its depth to Gnocchi (a publisher with
    // an application credential of a project member; the stack takes it as the parameters
    // queue_depth_auth_url, queue_depth_credential_id and queue_depth_credential_secret).
    // 20 waiting fractals add a worker, 40 two, 60 or more three; an empty queue removes one.
    scaling: WorkerScaling.queueDepth({ queueName: 'normal', messagesPerWorker: 20 }),
    // faafo workers take tasks from the queue and hand results back through the API: they never
    // talk to the database, so its port stays closed to them.
    services,
    serviceAccess: { database: false },
    cloudConfig: workerConfig,
  });
}
