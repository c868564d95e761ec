"""Starts the loopback telemetry loop of test/loop: PostgreSQL 15, Keystone, Heat, Gnocchi
(API + metricd) and Aodh (API + evaluator + notifier), all on 127.0.0.1, every file under the
folder given. Prints one line `READY <json>` with the endpoints and credentials, then runs until
SIGTERM/SIGINT or until its stdin closes (the test process went away), and stops every process
it started. Usage: /usr/bin/python3 cloud.py <folder> <json settings>

Debian 12 packages (scripts/ensure-telemetry.sh): python3-keystone 22, python3-heat 19.0.0,
python3-gnocchi 4.4, python3-aodh 15 (OpenStack Zed), postgresql-15.
"""
import json
import os
import pwd
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

PY = '/usr/bin/python3'
HERE = os.path.dirname(os.path.abspath(__file__))
PG_BIN = '/usr/lib/postgresql/15/bin'
PASSWORD = 'loop-secret'
children = []


def log(msg):
    sys.stderr.write('[cloud] %s\n' % msg)
    sys.stderr.flush()


def free_port(_taken=set()):
    """A free port below the kernel's ephemeral range (32768+), so that no outgoing connection of
    the starting services takes it before its service binds it."""
    import random
    while True:
        port = random.randint(20000, 32000)
        if port in _taken:
            continue
        s = socket.socket()
        try:
            s.bind(('127.0.0.1', port))
        except OSError:
            continue
        finally:
            s.close()
        _taken.add(port)
        return port


def run(args, logfile, **kw):
    with open(logfile, 'ab') as out:
        r = subprocess.run(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kw)
    if r.returncode != 0:
        raise RuntimeError('%s failed (%d), see %s' % (' '.join(args[:4]), r.returncode, logfile))


def spawn(name, args, logdir, **kw):
    out = open(os.path.join(logdir, name + '.log'), 'ab')
    p = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True, **kw)
    children.append((name, p))
    return p


def wait_http(url, name, timeout=180, ok=(200, 300, 401)):
    end = time.time() + timeout
    while time.time() < end:
        for n, p in children:
            if p.poll() is not None:
                raise RuntimeError('%s exited with %s' % (n, p.returncode))
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status in ok:
                    return
        except urllib.error.HTTPError as e:
            if e.code in ok:
                return
        except Exception:
            pass
        time.sleep(0.5)
    raise RuntimeError('%s did not answer on %s' % (name, url))


def stop_all():
    for name, p in reversed(children):
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    end = time.time() + 15
    for name, p in reversed(children):
        try:
            p.wait(max(0.1, end - time.time()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def paste_copy(source, dest, conf_file):
    """The service's own paste file, with each middleware reading `conf_file` (keystonemiddleware
    and oslo.middleware otherwise look for the project's file under /etc)."""
    with open(source) as f:
        lines = f.read().split('\n')
    out = []
    for line in lines:
        out.append(line)
        if line.startswith('oslo_config_project'):
            out.append('oslo_config_file = ' + conf_file)
    write(dest, '\n'.join(out))


def main():
    base = os.path.abspath(sys.argv[1])
    settings = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    logs = os.path.join(base, 'logs')
    os.makedirs(logs, exist_ok=True)
    os.chmod(base, 0o755)
    ports = {k: free_port() for k in ('pg', 'keystone', 'heat', 'gnocchi', 'aodh')}
    ks_url = 'http://127.0.0.1:%d/v3' % ports['keystone']

    # PostgreSQL (Heat, Gnocchi's indexer, Aodh, Keystone): its own cluster in the folder.
    pgdir = os.path.join(base, 'pg')
    os.makedirs(pgdir)
    pg = pwd.getpwnam('postgres')
    os.chown(pgdir, pg.pw_uid, pg.pw_gid)
    asuser = ['runuser', '-u', 'postgres', '--'] if os.getuid() == 0 else []
    run(asuser + [PG_BIN + '/initdb', '-D', pgdir + '/data', '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], logs + '/initdb.log')
    spawn('postgres', asuser + [PG_BIN + '/postgres', '-D', pgdir + '/data', '-k', pgdir, '-h', '127.0.0.1', '-p', str(ports['pg']),
                                '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'], logs)
    import psycopg2
    end = time.time() + 60
    while True:
        try:
            conn = psycopg2.connect(host='127.0.0.1', port=ports['pg'], user='postgres', dbname='postgres')
            break
        except Exception:
            if time.time() > end:
                raise
            time.sleep(0.3)
    conn.autocommit = True
    for db in ('keystone', 'heat', 'gnocchi', 'aodh'):
        conn.cursor().execute('CREATE DATABASE %s' % db)
    conn.close()
    dburl = lambda db: 'postgresql+psycopg2://postgres@127.0.0.1:%d/%s' % (ports['pg'], db)

    # Keystone: fernet tokens, trusts on (the default), one region.
    kdir = os.path.join(base, 'keystone')
    os.makedirs(kdir)
    kconf = kdir + '/keystone.conf'
    write(kconf, f"""[DEFAULT]
log_file = {logs}/keystone-app.log
[database]
connection = {dburl('keystone')}
[token]
provider = fernet
expiration = 14400
[fernet_tokens]
key_repository = {kdir}/fernet
[credential]
key_repository = {kdir}/credential
[trust]
allow_redelegation = true
[identity]
# bcrypt at its cheapest: every Aodh trust notification authenticates Aodh's service user with
# its password (aodh `notifier/trust.py` builds a new trust-scoped session per signal), and with
# one alarm per member the loop sends many signals; on a 2-core machine the default 12 rounds
# made Keystone the busiest process. A real cloud runs Keystone on many workers.
password_hash_rounds = 4
""")
    km = [PY, '-c', 'import sys; from keystone.cmd.manage import main; sys.exit(main())', '--config-file', kconf]
    run(km + ['db_sync'], logs + '/keystone-manage.log')
    user = 'root' if os.getuid() == 0 else pwd.getpwuid(os.getuid()).pw_name
    run(km + ['fernet_setup', '--keystone-user', user, '--keystone-group', user], logs + '/keystone-manage.log')
    run(km + ['credential_setup', '--keystone-user', user, '--keystone-group', user], logs + '/keystone-manage.log')
    run(km + ['bootstrap', '--bootstrap-password', PASSWORD, '--bootstrap-region-id', 'RegionOne',
              '--bootstrap-admin-url', ks_url, '--bootstrap-public-url', ks_url, '--bootstrap-internal-url', ks_url], logs + '/keystone-manage.log')
    spawn('keystone', [PY, HERE + '/serve.py', 'keystone', kconf, str(ports['keystone'])], logs)
    wait_http(ks_url, 'keystone')

    from keystoneauth1 import session as ks_session
    from keystoneauth1.identity import v3
    from keystoneclient.v3 import client as ks_client
    auth = v3.Password(auth_url=ks_url, username='admin', password=PASSWORD, project_name='admin', user_domain_id='default', project_domain_id='default')
    ks = ks_client.Client(session=ks_session.Session(auth=auth))
    service_project = ks.projects.create('service', 'default')
    admin_role = ks.roles.find(name='admin')
    for extra in ('service', 'member', 'heat_stack_owner', 'heat_stack_user'):
        try:
            ks.roles.find(name=extra)
        except Exception:
            ks.roles.create(extra)
    service_role = ks.roles.find(name='service')
    for name in ('heat', 'gnocchi', 'aodh'):
        u = ks.users.create(name, domain='default', password=PASSWORD, default_project=service_project)
        ks.roles.grant(admin_role, user=u, project=service_project)
        ks.roles.grant(service_role, user=u, project=service_project)
    # The stack domain Heat keeps its stack users in.
    heat_domain = ks.domains.create('heat', description='Heat stack users')
    hda = ks.users.create('heat_domain_admin', domain=heat_domain, password=PASSWORD)
    ks.roles.grant(admin_role, user=hda, domain=heat_domain)
    endpoints = {
        'orchestration': ('heat', 'http://127.0.0.1:%d/v1/%%(tenant_id)s' % ports['heat']),
        'metric': ('gnocchi', 'http://127.0.0.1:%d' % ports['gnocchi']),
        'alarming': ('aodh', 'http://127.0.0.1:%d' % ports['aodh']),
    }
    for stype, (name, url) in endpoints.items():
        svc = ks.services.create(name, type=stype)
        for iface in ('public', 'internal', 'admin'):
            ks.endpoints.create(svc, url, interface=iface, region='RegionOne')

    authtoken = lambda name: f"""[keystone_authtoken]
www_authenticate_uri = {ks_url}
auth_url = {ks_url}
auth_type = password
username = {name}
password = {PASSWORD}
project_name = service
user_domain_id = default
project_domain_id = default
service_token_roles_required = true
"""

    # Gnocchi: PostgreSQL indexer, file storage (incoming too), metricd processing every second.
    import gnocchi.rest as gnocchi_rest
    gdir = os.path.join(base, 'gnocchi')
    os.makedirs(gdir)
    gconf = gdir + '/gnocchi.conf'
    write(gconf, f"""[DEFAULT]
log_file = {logs}/gnocchi-app.log
parallel_operations = 2
[api]
auth_mode = keystone
paste_config = {gdir}/api-paste.ini
[indexer]
url = postgresql://postgres@127.0.0.1:{ports['pg']}/gnocchi
[storage]
driver = file
file_basepath = {gdir}/storage
[incoming]
driver = file
file_basepath = {gdir}/storage
[metricd]
workers = 1
metric_processing_delay = {settings.get('metricProcessingDelay', 1)}
metric_cleanup_delay = 5
processing_replicas = 1
[oslo_policy]
policy_file = {os.path.dirname(gnocchi_rest.__file__)}/policy.yaml
""" + authtoken('gnocchi'))
    import gnocchi.rest
    paste_copy(os.path.join(os.path.dirname(gnocchi.rest.__file__), 'api-paste.ini'), gdir + '/api-paste.ini', gconf)
    run([PY, '-c', 'import sys; from gnocchi.cli.manage import upgrade; sys.exit(upgrade())', '--config-file', gconf, '--sacks-number', '4'], logs + '/gnocchi-upgrade.log')
    spawn('gnocchi-api', [PY, HERE + '/serve.py', 'gnocchi-api', gconf, str(ports['gnocchi'])], logs)
    spawn('gnocchi-metricd', [PY, '-c', 'import sys; from gnocchi.cli.metricd import metricd; sys.exit(metricd())', '--config-file', gconf], logs)

    # Aodh: API, evaluator and notifier in one process on the fake transport.
    adir = os.path.join(base, 'aodh')
    os.makedirs(adir)
    aconf = adir + '/aodh.conf'
    write(aconf, f"""[DEFAULT]
log_file = {logs}/aodh-app.log
transport_url = fake://
debug = {settings.get('debug', False)}
[evaluator]
evaluation_interval = {settings.get('evaluationInterval', 60)}
[notifier]
batch_size = 1
batch_timeout = 1
[api]
auth_mode = keystone
paste_config = {adir}/api-paste.ini
gnocchi_external_project_owner = service
[database]
connection = postgresql://postgres@127.0.0.1:{ports['pg']}/aodh
alarm_history_time_to_live = -1
[service_credentials]
auth_type = password
auth_url = {ks_url}
username = aodh
password = {PASSWORD}
project_name = service
user_domain_id = default
project_domain_id = default
region_name = RegionOne
interface = public
""" + authtoken('aodh'))
    import aodh.api
    paste_copy(os.path.join(os.path.dirname(aodh.api.__file__), 'api-paste.ini'), adir + '/api-paste.ini', aconf)
    run([PY, '-c', 'import sys; from aodh.cmd.storage import dbsync; sys.exit(dbsync())', '--config-file', aconf], logs + '/aodh-dbsync.log')
    spawn('aodh', [PY, HERE + '/serve.py', 'aodh', aconf, str(ports['aodh'])], logs)

    # Heat: API + engine in one process (heat-all) on the fake transport, PostgreSQL database.
    hdir = os.path.join(base, 'heat')
    os.makedirs(hdir)
    write(hdir + '/api-paste.ini', """[pipeline:heat-api]
pipeline = faultwrap versionnegotiation authurl authtoken context apiv1app
[app:apiv1app]
paste.app_factory = heat.common.wsgi:app_factory
heat.app_factory = heat.api.openstack.v1:API
[filter:versionnegotiation]
paste.filter_factory = heat.common.wsgi:filter_factory
heat.filter_factory = heat.api.openstack:version_negotiation_filter
[filter:faultwrap]
paste.filter_factory = heat.common.wsgi:filter_factory
heat.filter_factory = heat.api.openstack:faultwrap_filter
[filter:context]
paste.filter_factory = heat.common.context:ContextMiddleware_filter_factory
[filter:authurl]
paste.filter_factory = heat.common.auth_url:filter_factory
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
""")
    hconf = hdir + '/heat.conf'
    write(hconf, f"""[DEFAULT]
log_file = {logs}/heat-app.log
debug = {settings.get('debug', False)}
transport_url = fake://
num_engine_workers = 1
auth_encryption_key = 0123456789abcdef0123456789abcdef
region_name_for_services = RegionOne
heat_metadata_server_url = http://127.0.0.1:{ports['heat']}
heat_waitcondition_server_url = http://127.0.0.1:{ports['heat']}/v1/waitcondition
stack_user_domain_name = heat
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = {PASSWORD}
deferred_auth_method = trusts
max_resources_per_stack = -1
periodic_interval = 5
# One engine serves three stacks' signals on a shared 2-core machine: an API call may wait for it
# longer than oslo.messaging's default 60 s (a stack delete failed with MessagingTimeout).
rpc_response_timeout = 600
# Per-member alarms: on a scale-out Heat creates the new member's Aodh alarms with its trust-scoped
# token, and Aodh creates a trust from that token for each `trust+` action; Keystone allows it only
# when Heat's trusts allow redelegation (heat `common/config.py` `allow_trusts_redelegation`, which
# names Aodh as the reason). Without these two lines the loop saw every scale-out fail with 403.
reauthentication_auth_method = trusts
allow_trusts_redelegation = true
[heat_all]
enabled_services = engine,api
[heat_api]
bind_host = 127.0.0.1
bind_port = {ports['heat']}
workers = 1
[paste_deploy]
api_paste_config = {hdir}/api-paste.ini
[database]
connection = {dburl('heat')}
[clients]
endpoint_type = publicURL
[clients_keystone]
auth_uri = {ks_url}
[trustee]
auth_type = password
auth_url = {ks_url}
username = heat
password = {PASSWORD}
user_domain_id = default
[ec2authtoken]
auth_uri = {ks_url}
""" + authtoken('heat'))
    run([PY, '-c', 'import sys; from heat.cmd.manage import main; sys.exit(main())', '--config-file', hconf, 'db_sync'], logs + '/heat-manage.log')
    spawn('heat', [PY, HERE + '/serve.py', 'heat', hconf, str(ports['heat'])], logs)

    wait_http('http://127.0.0.1:%d/' % ports['gnocchi'], 'gnocchi-api')
    wait_http('http://127.0.0.1:%d/' % ports['aodh'], 'aodh')
    wait_http('http://127.0.0.1:%d/' % ports['heat'], 'heat')
    print('READY ' + json.dumps({
        'authUrl': ks_url, 'username': 'admin', 'password': PASSWORD, 'project': 'admin',
        'heat': 'http://127.0.0.1:%d' % ports['heat'], 'gnocchi': 'http://127.0.0.1:%d' % ports['gnocchi'],
        'aodh': 'http://127.0.0.1:%d' % ports['aodh'], 'logs': logs,
        'pids': {n: p.pid for n, p in children},
    }), flush=True)


done = threading.Event()


def on_signal(*_):
    done.set()


if __name__ == '__main__':
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # Stop when the test process that started us closes our stdin (or dies).
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    code = 0
    try:
        main()
        while not done.wait(1):
            for n, p in children:
                if p.poll() is not None:
                    log('%s exited with %s' % (n, p.returncode))
                    done.set()
                    code = 1
    except Exception as e:
        log('failed: %s' % e)
        code = 1
    finally:
        stop_all()
    sys.exit(code)
