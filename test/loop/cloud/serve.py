"""Runs one service of the loopback telemetry loop (test/loop) in this process.

Usage: /usr/bin/python3 serve.py <keystone|heat|gnocchi-api|aodh> <config file> <port>

Each service is Debian 12's OpenStack Zed code used as a library; configuration comes from the
file the harness wrote into its temp folder. Aodh's API, evaluator and notifier run in ONE
process so the evaluator's alarm notifications reach the notifier over oslo.messaging's
in-process 'fake' transport (aodh/messaging.py caches one transport per URL); Heat's API and
engine share one process the same way (heat/cmd/all.py).
"""
import sys

service, config_file, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
# The services parse sys.argv themselves (oslo.config): leave them only the program name.
sys.argv = sys.argv[:1]

if service == 'heat':
    # heat-all: engine and API in one process, sharing the fake RPC transport.
    # Debian 12's oslo.messaging security update strips the token and trust from a notification's
    # context (notify/notifier.py _sanitize_context); Heat 19 then serializes that context, whose
    # `roles` need a Keystone call it can no longer authenticate (heat/common/context.py
    # _create_auth_plugin), so every scaling adjustment (which notifies autoscaling.start, heat
    # engine/notification/autoscaling.py) fails with AuthorizationFailure. The loop's notifications
    # never leave this process (fake transport): pass the context through unchanged.
    from oslo_messaging.notify import notifier as _notifier
    _notifier._sanitize_context = lambda ctxt: ctxt
    sys.argv = ['heat-all', '--config-file', config_file]
    from heat.cmd import all as heat_all
    heat_all.main()
    sys.exit(0)

import socketserver
import threading
from wsgiref import simple_server


class _Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _Quiet(simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve(app):
    httpd = simple_server.make_server('127.0.0.1', port, app, server_class=_Server, handler_class=_Quiet)
    httpd.serve_forever()


if service == 'keystone':
    import os
    os.environ['OS_KEYSTONE_CONFIG_FILES'] = config_file
    from keystone.server import wsgi
    serve(wsgi.initialize_public_application())
elif service == 'gnocchi-api':
    from gnocchi import service as gservice
    from gnocchi.rest import app as gapp
    conf = gservice.prepare_service(args=['--config-file', config_file])
    serve(gapp.load_app(conf))
elif service == 'aodh':
    from aodh import service as aservice
    from aodh.api import app as aapp
    from aodh import evaluator, notifier
    conf = aservice.prepare_service(argv=['--config-file', config_file])
    notifier.AlarmNotifierService(0, conf)
    evaluator.AlarmEvaluationService(0, conf)
    serve(aapp.load_app(conf))
else:
    sys.exit('unknown service ' + service)
