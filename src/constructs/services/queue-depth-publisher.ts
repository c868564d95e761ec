/**
 * The writer of queue-depth metrics: a small publisher on the RabbitMQ server that reads each
 * queue's `messages_ready` (`rabbitmqctl list_queues`) every `interval` and posts it to Gnocchi,
 * into a `generic` resource it creates itself. Why this shape (docs/scaling.md, "Queue depth"):
 *
 * - Gnocchi's default policy (gnocchi `rest/policy.yaml`): `post measures` is `admin_or_creator`
 *   = `role:admin or user:%(creator)s or project_id:%(created_by_project_id)s`. Ceilometer's
 *   `instance` resources are created by Ceilometer's service user in the service project, so a
 *   project member can never write a metric on them. `create resource` is open to anyone, so a
 *   resource the publisher creates with the project's credentials is writable by the publisher
 *   (and by any user of the project) with a plain member role.
 * - `create resource type` is `role:admin`: the resource is of Gnocchi's built-in `generic` type.
 * - The resource id must be a UUID: Gnocchi turns any other id into a UUID5 of the text and of the
 *   *requesting* user (gnocchi `utils.py` `ResourceUUID`), so Aodh, asking as its service user,
 *   would look for another resource. The id is derived from the queue server's Nova id (its five
 *   groups in reverse order, without dashes): unique per server, computable by Heat
 *   (`yaql`), by Terraform (`split`/`reverse`/`join`) and by the publisher
 *   (from the metadata service), and never the id of the server's own `instance` resource.
 * - Credentials: a Keystone application credential of a project member (`openstack application
 *   credential create`), passed as stack parameters (Heat; the secret `hidden`) or Terraform
 *   variables (the secret `sensitive`). Heat cannot create one without the user's password.
 * - Aodh reads the resource with its own service credentials (aodh `evaluator/gnocchi.py`
 *   `GnocchiBase.__init__`), whatever project created it.
 */
import type { ComputeInstanceV2 } from '../../../.gen/providers/openstack/compute-instance-v2';
import { Duration } from '../../core/duration';
import { Value } from '../../core/value';
import type { Server } from '../compute/server';

/** The Gnocchi resource type the publisher creates (built in; creating a type needs the admin role). */
export const QUEUE_DEPTH_RESOURCE_TYPE = 'generic';

/** The archive policy of the publisher's metrics by default: Gnocchi's built-in `low` (5-minute points, `mean` among its methods). */
export const DEFAULT_QUEUE_DEPTH_ARCHIVE_POLICY = 'low';

/** How often the publisher posts by default. */
export const DEFAULT_QUEUE_DEPTH_INTERVAL = Duration.seconds(60);

/** The stack parameters (Heat) / variables (Terraform) the publisher's credentials come from. */
export const QUEUE_DEPTH_PARAMETERS = {
  /** Keystone's v3 URL, e.g. `https://keystone.example.com:5000/v3`. */
  AUTH_URL: 'queue_depth_auth_url',
  /** The application credential's id. */
  CREDENTIAL_ID: 'queue_depth_credential_id',
  /** The application credential's secret. */
  CREDENTIAL_SECRET: 'queue_depth_credential_secret',
} as const;

/** The metric the publisher writes for `queueName`. */
export function queueDepthMetricName(queueName: string): string {
  return `rabbitmq.${queueName}.messages_ready`;
}

/** The Gnocchi resource id the publisher of the server `serverId` writes to (what Heat and Terraform compute too). */
export function queueDepthResourceIdOf(serverId: string): string {
  return serverId.split('-').reverse().join('');
}

/** The HOT `yaql` expression of `queueDepthResourceIdOf` over `data.id`. */
export const YAQL_REVERSED_GROUPS = "$.data.id.split('-').reverse().join('')";

/** The resource id of `server`'s publisher, in both targets (see `queueDepthResourceIdOf`). */
export function queueDepthResourceId(server: Server): Value {
  return Value.of(
    // Not `str_split` with an index: Heat validates a template with each `get_resource` resolved
    // to the resource's name (no dashes), and an index past the first element fails the create.
    (ctx) => ({ yaql: { expression: YAQL_REVERSED_GROUPS, data: { id: ctx.ref(server) } } }),
    (ctx) => {
      const local = ctx.local(`${ctx.logicalId(server)}_queue_depth_resource`, ctx.handleOf<{ instance: ComputeInstanceV2 }>(server).instance.id);
      return `\${join("", reverse(split("-", ${local})))}`;
    },
    `queue-depth resource of ${server.node.path}`,
  );
}

/** The publisher's credentials: stack parameters in Heat, variables in Terraform. */
export function queueDepthCredentials(): { authUrl: Value; credentialId: Value; credentialSecret: Value } {
  const P = QUEUE_DEPTH_PARAMETERS;
  const what = 'an application credential of a member of the stack\'s project (openstack application credential create scaleout-queue-depth)';
  const plain = (name: string, description: string) =>
    Value.of(
      (ctx) => ctx.parameter(name, { type: 'string', description }),
      (ctx) => ctx.variable(name, { type: 'string', description: `${description} No default.` }),
      description,
    );
  return {
    authUrl: plain(P.AUTH_URL, "Keystone v3 URL the queue-depth publisher authenticates at (the 'auth_url' of your clouds.yaml)."),
    // The id is half of the credential: hidden and sensitive like the secret.
    credentialId: Value.secret(
      (ctx) => ctx.parameter(P.CREDENTIAL_ID, { type: 'string', hidden: true, description: `Id of ${what}: the publisher posts the queue depth to Gnocchi with it.` }),
      (ctx) => ctx.variable(P.CREDENTIAL_ID, { type: 'string', sensitive: true, description: `Id of ${what}. No default: set it with TF_VAR_${P.CREDENTIAL_ID}.` }),
      'queue-depth publisher credential id',
    ),
    credentialSecret: Value.secret(
      (ctx) => ctx.parameter(P.CREDENTIAL_SECRET, { type: 'string', hidden: true, description: `Secret of ${what}.` }),
      (ctx) => ctx.variable(P.CREDENTIAL_SECRET, { type: 'string', sensitive: true, description: `Secret of ${what}. No default: set it with TF_VAR_${P.CREDENTIAL_SECRET}.` }),
      'queue-depth publisher credential secret',
    ),
  };
}

/** Where the publisher's files go on the queue server. */
export const QUEUE_DEPTH_FILES = {
  SCRIPT: '/usr/local/sbin/scaleout-queue-depth',
  CONFIG: '/etc/scaleout/queue-depth.conf',
  QUEUES: '/etc/scaleout/queue-depth.d',
  UNIT: '/etc/systemd/system/scaleout-queue-depth.service',
} as const;

/** The publisher's configuration file (placeholders for the credentials). */
export function queueDepthConfig(o: { vhost: string; archivePolicy: string; intervalSeconds: number }): string {
  return `# Scaleout queue-depth publisher: see ${QUEUE_DEPTH_FILES.SCRIPT}.
[publisher]
auth_url = @@QUEUE_DEPTH_AUTH_URL@@
interface = public
vhost = ${o.vhost}
archive_policy = ${o.archivePolicy}
interval = ${o.intervalSeconds}
queues_dir = ${QUEUE_DEPTH_FILES.QUEUES}
[application_credential]
id = @@QUEUE_DEPTH_CREDENTIAL_ID@@
secret = @@QUEUE_DEPTH_CREDENTIAL_SECRET@@
`;
}

/** The systemd unit that keeps the publisher running. */
export const QUEUE_DEPTH_UNIT = `[Unit]
Description=Scaleout queue-depth publisher (RabbitMQ -> Gnocchi)
After=network-online.target rabbitmq-server.service
[Service]
ExecStart=/usr/bin/python3 ${QUEUE_DEPTH_FILES.SCRIPT} ${QUEUE_DEPTH_FILES.CONFIG}
Restart=always
RestartSec=10
[Install]
WantedBy=multi-user.target
`;

/**
 * The publisher (Python 3, standard library only). `--once` posts one round and exits (tests).
 * Optional config keys: `server_id` (else the metadata service's `uuid`), `region`, `rabbitmqctl`.
 */
export const QUEUE_DEPTH_SCRIPT = `#!/usr/bin/python3
"""Scaleout queue-depth publisher: posts each queue's messages_ready to Gnocchi.

Every <interval> s: reads 'rabbitmqctl list_queues -p <vhost> name messages_ready' and posts one
measure per queue listed in <queues_dir> (file name = queue, content = metric name) to the
Gnocchi 'generic' resource whose id is the server's Nova id, groups reversed, without dashes.
It creates that resource (and its metrics) itself: Gnocchi's default policy lets a resource's
creator and its project post measures ('post measures': admin_or_creator), and Aodh reads it with
its service credentials. Authenticates with a Keystone application credential.
"""
import configparser
import datetime
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

METADATA = 'http://169.254.169.254/openstack/latest/meta_data.json'


def call(method, url, body=None, auth=None, ok=(200, 201, 202, 204)):
    headers = {'Content-Type': 'application/json', 'Accept': 'application/json'}
    if auth:
        headers['X-Auth-Token'] = auth
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        text = e.read()
        if e.code in ok:
            return e.code, e.headers, text
        raise RuntimeError('%s %s: %d %s' % (method, url, e.code, text[:300]))


class Publisher:
    def __init__(self, conf, credential):
        self.conf = conf
        self.credential = credential
        self.session = None
        self.expires = 0
        self.gnocchi = None
        self.ready = set()
        server_id = conf.get('server_id') or json.load(urllib.request.urlopen(METADATA, timeout=30))['uuid']
        self.resource_id = ''.join(reversed(server_id.split('-')))

    def auth(self):
        if self.session and time.time() < self.expires - 120:
            return self.session
        # The [application_credential] section holds exactly the 'id' and 'secret' Keystone asks for.
        body = {'auth': {'identity': {'methods': ['application_credential'], 'application_credential': dict(self.credential)}}}
        _, headers, text = call('POST', self.conf['auth_url'].rstrip('/') + '/auth/tokens', body, ok=(201,))
        issued = json.loads(text)['token']
        self.session = headers['X-Subject-Token']
        self.expires = datetime.datetime.fromisoformat(issued['expires_at'].replace('Z', '+00:00')).timestamp()
        for svc in issued.get('catalog', []):
            if svc['type'] != 'metric':
                continue
            for ep in svc['endpoints']:
                if ep['interface'] == self.conf.get('interface', 'public') and (not self.conf.get('region') or ep.get('region_id') == self.conf['region']):
                    self.gnocchi = ep['url'].rstrip('/')
        if not self.gnocchi:
            raise RuntimeError('no metric (Gnocchi) endpoint in the catalog')
        return self.session

    def ensure(self, metric):
        if metric in self.ready:
            return
        auth = self.auth()
        policy = {'archive_policy_name': self.conf['archive_policy']}
        status, _, _ = call('POST', self.gnocchi + '/v1/resource/generic', {'id': self.resource_id, 'metrics': {metric: policy}}, auth, ok=(201, 409))
        if status == 409:
            call('POST', '%s/v1/resource/generic/%s/metric' % (self.gnocchi, self.resource_id), {metric: policy}, auth, ok=(200, 409))
        self.ready.add(metric)

    def depths(self):
        out = subprocess.run([self.conf.get('rabbitmqctl', 'rabbitmqctl'), '-q', 'list_queues', '-p', self.conf['vhost'], 'name', 'messages_ready'],
                             check=True, capture_output=True, text=True).stdout
        found = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[-1].isdigit():
                found[' '.join(parts[:-1])] = int(parts[-1])
        return found

    def once(self):
        folder = self.conf['queues_dir']
        queues = {q: open(os.path.join(folder, q)).read().strip() for q in sorted(os.listdir(folder))}
        depths = self.depths()
        now = datetime.datetime.now(datetime.timezone.utc).isoformat()
        for queue, metric in queues.items():
            self.ensure(metric)
            # A queue nobody declared yet holds no task.
            value = depths.get(queue, 0)
            call('POST', '%s/v1/resource/generic/%s/metric/%s/measures' % (self.gnocchi, self.resource_id, metric),
                 [{'timestamp': now, 'value': value}], self.auth(), ok=(202,))


def main():
    cp = configparser.ConfigParser(interpolation=None)
    if not cp.read(sys.argv[1]):
        sys.exit('scaleout-queue-depth: cannot read %s' % sys.argv[1])
    conf = cp['publisher']
    publisher = None
    while True:
        try:
            publisher = publisher or Publisher(conf, cp['application_credential'])
            publisher.once()
        except Exception as e:
            sys.stderr.write('scaleout-queue-depth: %s\\n' % e)
            if '--once' in sys.argv:
                sys.exit(1)
        if '--once' in sys.argv:
            return
        time.sleep(float(conf.get('interval', '60')))


if __name__ == '__main__':
    main()
`;
