#!/usr/bin/python3
"""Validate HOT templates offline with OpenStack Heat's own code.

Run with Debian's /usr/bin/python3 (python3-heat, Heat 19.0.0 = OpenStack Zed (2022.2), installs
python3-heatclient as a dependency), or with the Python of the Debian 13 root that
scripts/ensure-heat-2025.sh builds (Heat 24.0.0 = OpenStack 2025.1; see
test/tools/README.md).  Only Heat's code (heat + heatclient) and the standard
library are used.

The template is driven the way ``openstack stack create`` drives it up to the
point of creation:

1. python-heatclient's ``template_utils`` reads the template and the
   environment and builds the files map (nested templates, ``get_file``,
   files named in ``resource_registry``), exactly as the CLI does;
2. the request body is JSON-encoded and decoded (as on the wire) and handed to
   heat-api's ``InstantiationData`` (environment / parameters merging);
3. heat-engine's ``EngineService._parse_template_and_validate_stack`` parses
   the template, merges the environment files and runs the strict
   ``Stack.validate()`` - against an in-memory sqlite database and
   oslo.messaging's in-process ``fake://`` transport.

Heat validates nested stacks only loosely (no property values) before it
creates them, so every nested template is also validated on its own in strict
mode, with the parent's environment minus its ``parameters`` and, as
parameter values, the literal (function-free) property values the parent
passes it.

Nothing may reach a service: constraints whose check would call a service
(``nova.flavor``, ``glance.image``, ``neutron.network``, ...) are skipped and
reported, the service-catalog availability check is answered "available",
every OpenStack client creation raises, and so does any socket connect.

Input (stdin):  [{"id", "template", "environment": path|null,
                  "strict_nested": bool (default true)}]
Output (stdout): [{"id", "template", "ok", "error", "skipped_constraints",
                   "placeholders", "nested": [{"template", "ok", "error",
                   "skipped_constraints", "placeholders", "parent_values"}]}]
``ok`` is true only if the template and every nested template passed;
``error`` is the template's own error or, failing that, the first nested one.
Logging goes to stderr (quiet unless HEAT_VALIDATE_DEBUG=1).
"""

import copy
import json
import logging
import os
import re
import socket
import sys
import tempfile
import traceback

try:  # Python >= 3.11
    import re._parser as sre_parse
    from re import _constants as sre_c
except ImportError:  # pragma: no cover
    import sre_constants as sre_c
    import sre_parse

_REAL_STDOUT = sys.stdout
# Anything Heat (or a library) prints must not corrupt the JSON on stdout.
sys.stdout = sys.stderr

DEBUG = os.environ.get('HEAT_VALIDATE_DEBUG') == '1'
logging.basicConfig(stream=sys.stderr,
                    level=logging.DEBUG if DEBUG else logging.CRITICAL)
if not DEBUG:
    logging.disable(logging.CRITICAL)


class OfflineServiceCall(Exception):
    """Raised when validation tries to reach a network service."""


def _no_network(*args, **kwargs):
    target = [a for a in args if isinstance(a, (str, tuple))]
    raise OfflineServiceCall(
        'heat_validate: network access is disabled (attempted to reach %s)'
        % (target[0] if target else 'a remote host',))


socket.socket.connect = _no_network
socket.socket.connect_ex = _no_network
socket.create_connection = _no_network
socket.getaddrinfo = _no_network  # no DNS look-ups either
socket.gethostbyname = _no_network

# ---------------------------------------------------------------------------
# Heat setup
# ---------------------------------------------------------------------------
EXIT_HEAT_MISSING = 3
try:
    from oslo_config import cfg  # noqa: E402

    from heat.common import config as heat_config  # noqa: E402,F401
    from heat.common import context as heat_context  # noqa: E402
    from heat.common import messaging  # noqa: E402
    try:  # Heat 19.0.0 (Zed, 2022.2): heat/db/sqlalchemy/{api,models}.py
        from heat.db.sqlalchemy import api as db_api  # noqa: E402
        from heat.db.sqlalchemy import models  # noqa: E402
    except ImportError:  # Heat 24.0.0 (2025.1) has them one level up: heat/db/{api,models}.py
        from heat.db import api as db_api  # noqa: E402
        from heat.db import models  # noqa: E402
    from heat.engine import constraints as heat_constraints  # noqa: E402
    from heat.engine import parameters as heat_parameters  # noqa: E402
    from heat.engine import properties as heat_properties  # noqa: E402
    from heat.engine import resource as heat_resource  # noqa: E402
    from heat.engine import resources as heat_resources  # noqa: E402
    from heat.engine import template as heat_template  # noqa: E402
    from heat.engine.clients import client_plugin  # noqa: E402
    from heat.engine.clients import os as clients_os  # noqa: E402
    from heat.engine import service as engine_service  # noqa: E402
    from heat.api.openstack.v1 import stacks as api_stacks  # noqa: E402
    from heatclient.common import template_utils  # noqa: E402
    from oslo_db import options as db_options  # noqa: E402
    from oslo_serialization import jsonutils  # noqa: E402

except ImportError as _ex:
    sys.stderr.write('heat_validate: cannot import Heat (%s); install Debian\'s '
                     'python3-heat and run this with /usr/bin/python3\n' % _ex)
    sys.exit(EXIT_HEAT_MISSING)

try:
    import eventlet.greenio
    eventlet.greenio.GreenSocket.connect = _no_network
    eventlet.greenio.GreenSocket.connect_ex = _no_network
except Exception:  # pragma: no cover
    pass

# Empty environment.d / templates dirs: nothing from /etc/heat is read.
_EMPTY = tempfile.TemporaryDirectory(prefix='heat-validate-')
_EMPTY_DIR = _EMPTY.name
cfg.CONF([], project='heat', default_config_files=[], default_config_dirs=[])
cfg.CONF.set_override('environment_dir', _EMPTY_DIR)
cfg.CONF.set_override('template_dir', _EMPTY_DIR)
db_options.set_defaults(cfg.CONF, connection='sqlite://')
models.BASE.metadata.create_all(db_api.get_engine())
messaging.setup('fake://', optional=True)

# --- never contact a service ----------------------------------------------


def _client_forbidden(self, *args, **kwargs):
    raise OfflineServiceCall(
        'heat_validate: validation tried to use the %r client; services are '
        'never contacted offline' % getattr(self, 'name', type(self).__name__))


client_plugin.ClientPlugin.client = _client_forbidden
client_plugin.ClientPlugin._create = _client_forbidden
# Service catalog check (Resource.is_service_available): assume available.
client_plugin.ClientPlugin.does_endpoint_exist = (
    lambda self, service_type, service_name: True)
client_plugin.ClientPlugin.has_extension = lambda self, alias: True
clients_os.ExtensionMixin.has_extension = lambda self, alias: True


class _Recorder(object):
    def __init__(self):
        self.active = True
        self.items = []


_RECORDER = _Recorder()
_orig_custom_is_valid = heat_constraints.CustomConstraint._is_valid


def _needs_service(constraint_obj):
    """A custom constraint needs a service if it uses validate_with_client."""
    return (isinstance(constraint_obj, heat_constraints.BaseCustomConstraint)
            and type(constraint_obj).validate is
            heat_constraints.BaseCustomConstraint.validate)


def _where(value):
    """Describe where a constraint is being checked, from the call stack."""
    prop_path = res_name = param_name = None
    frame = sys._getframe(2)
    while frame is not None:
        obj = frame.f_locals.get('self')
        if prop_path is None and isinstance(obj, heat_properties.Property):
            prop_path = obj.path
        elif res_name is None and isinstance(obj, heat_resource.Resource):
            res_name = obj.name
            break
        elif isinstance(obj, heat_parameters.Parameter):
            param_name = obj.name
            break
        frame = frame.f_back
    if res_name is not None:
        return 'resources.%s.properties.%s' % (res_name, prop_path or '?')
    if param_name is not None:
        return 'parameters.%s' % param_name
    return 'value %r' % (value,)


def _custom_is_valid(self, value, schema, context):
    constraint = self.custom_constraint
    if constraint is not None and _needs_service(constraint):
        if _RECORDER.active:
            entry = '%s on %s' % (self.name, _where(value))
            if entry not in _RECORDER.items:
                _RECORDER.items.append(entry)
        return True
    return _orig_custom_is_valid(self, value, schema, context)


heat_constraints.CustomConstraint._is_valid = _custom_is_valid


# --- service look-ups made by resource plugins' own validate() ------------
# These are answered without a service and recorded as skipped; any other
# client use still fails (OfflineServiceCall), i.e. the validator fails closed.
from heat.common import exception  # noqa: E402
from heat.engine.clients.os import nova as nova_plugin  # noqa: E402
from heat.engine.clients.os import trove as trove_plugin  # noqa: E402
from heat.engine.resources.openstack.nova import server as nova_server  # noqa
from heat.engine.resources.openstack.nova import (  # noqa: E402
    server_network_mixin as nova_net_mixin)

NOVA_MAX_MICROVERSION = '2.93'  # nova 2022.2 (Zed); kept on Heat 2025.1 too (a newer nova accepts the same)
# nova's default quotas: metadata_items, injected_files(+_content_bytes)
NOVA_DEFAULT_LIMITS = {'maxServerMeta': 128, 'maxPersonality': 5,
                       'maxPersonalitySize': 10240}


def _resource_in_stack():
    frame = sys._getframe(2)
    while frame is not None:
        obj = frame.f_locals.get('self')
        if isinstance(obj, heat_resource.Resource):
            return 'resources.%s' % obj.name
        frame = frame.f_back
    return 'template'


def _record(text):
    if _RECORDER.active:
        entry = '%s on %s' % (text, _resource_in_stack())
        if entry not in _RECORDER.items:
            _RECORDER.items.append(entry)


def _skip_image_flavor(self, image, flavor):
    _record('glance.image/nova.flavor compatibility (min_ram, min_disk, '
            'image status)')


def _nova_max_microversion(self):
    _record('nova API microversion (assumed max %s)' % NOVA_MAX_MICROVERSION)
    return NOVA_MAX_MICROVERSION


def _nova_limits(self):
    _record('nova absolute limits (assumed defaults %s)' % ', '.join(
        '%s=%s' % kv for kv in sorted(NOVA_DEFAULT_LIMITS.items())))
    return dict(NOVA_DEFAULT_LIMITS)


def _skip_subnet_in_net(self, network):
    _record('neutron.subnet belongs to neutron.network')


def _trove_validate_datastore(self, datastore_type, datastore_version,
                              ds_type_key, ds_version_key):
    # The local half of Heat's check stays: a version needs a type.
    if datastore_version and not datastore_type:
        raise exception.StackValidationFailed(
            message='Not allowed - %s without %s.' % (ds_version_key,
                                                      ds_type_key))
    if datastore_type:
        _record('trove datastore %s version %s is active' % (
            datastore_type, datastore_version or '(default)'))


nova_server.Server._validate_image_flavor = _skip_image_flavor
trove_plugin.TroveClientPlugin.validate_datastore = _trove_validate_datastore
nova_plugin.NovaClientPlugin.get_max_microversion = _nova_max_microversion
nova_plugin.NovaClientPlugin.absolute_limits = _nova_limits
nova_net_mixin.ServerNetworkMixin._validate_belonging_subnet_to_net = (
    _skip_subnet_in_net)

ENGINE = engine_service.EngineService('heat-validate', 'engine')


def _context():
    """A project member's request context (like heat-api builds one)."""
    return heat_context.RequestContext.from_dict({
        'tenant_id': 'validator-project', 'tenant': 'validator',
        'username': 'validator', 'user_id': 'validator-user',
        'password': '', 'roles': ['member', 'reader'], 'is_admin': False,
        'auth_url': 'http://127.0.0.1:1/v3', 'auth_token': 'offline',
        'trust_id': None, 'region_name': None,
    })


# ---------------------------------------------------------------------------
# Placeholder parameter values
# ---------------------------------------------------------------------------
LOCAL_SAMPLES = {
    'ip_addr': '192.0.2.10',
    'net_cidr': '192.0.2.0/24',
    'ip_or_cidr': '192.0.2.10',
    'mac_addr': 'fa:16:3e:00:00:01',
    'dns_name': 'placeholder.example.com',
    'dns_domain': 'example.com.',
    'rel_dns_name': 'placeholder',
    'iso_8601': '2030-01-01T00:00:00Z',
    'expiration': '2030-01-01T00:00:00Z',
    'cron_expression': '0 0 * * *',
    'timezone': 'UTC',
}


def _regex_sample(pattern):
    """Build a string that matches ``pattern`` (best effort)."""
    def gen(parsed):
        out = []
        for op, av in parsed:
            if op is sre_c.LITERAL:
                out.append(chr(av))
            elif op is sre_c.NOT_LITERAL:
                out.append('a' if av != ord('a') else 'b')
            elif op is sre_c.ANY:
                out.append('a')
            elif op is sre_c.IN:
                out.append(in_sample(av))
            elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
                lo, hi, sub = av
                n = lo if lo > 0 else min(1, hi)
                out.append(gen(sub) * n)
            elif op is sre_c.SUBPATTERN:
                out.append(gen(av[-1]))
            elif op is sre_c.BRANCH:
                out.append(gen(av[1][0]))
            elif op is sre_c.CATEGORY:
                out.append(cat_sample(av))
        return ''.join(out)

    def cat_sample(cat):
        return {sre_c.CATEGORY_DIGIT: '1', sre_c.CATEGORY_SPACE: ' ',
                sre_c.CATEGORY_NOT_DIGIT: 'a', sre_c.CATEGORY_NOT_SPACE: 'a',
                sre_c.CATEGORY_WORD: 'a',
                sre_c.CATEGORY_NOT_WORD: '-'}.get(cat, 'a')

    cat_re = {sre_c.CATEGORY_DIGIT: r'\d', sre_c.CATEGORY_NOT_DIGIT: r'\D',
              sre_c.CATEGORY_SPACE: r'\s', sre_c.CATEGORY_NOT_SPACE: r'\S',
              sre_c.CATEGORY_WORD: r'\w', sre_c.CATEGORY_NOT_WORD: r'\W'}

    def in_set(c, items):
        for op, av in items:
            if op is sre_c.LITERAL and ord(c) == av:
                return True
            if op is sre_c.RANGE and av[0] <= ord(c) <= av[1]:
                return True
            if op is sre_c.CATEGORY and re.fullmatch(cat_re.get(av, '$^'), c):
                return True
        return False

    def in_sample(items):
        if items and items[0][0] is sre_c.NEGATE:
            for c in 'aA0-_x.':
                if not in_set(c, items[1:]):
                    return c
            return '~'
        op, av = items[0]
        if op is sre_c.LITERAL:
            return chr(av)
        if op is sre_c.RANGE:
            return chr(av[0])
        if op is sre_c.CATEGORY:
            return cat_sample(av)
        return 'a'

    try:
        sample = gen(sre_parse.parse(pattern))
    except Exception:
        return None
    try:
        match = re.match(pattern, sample)
        if match is not None and match.end() == len(sample):
            return sample
    except re.error:
        pass
    return None


def _iter_constraints(schemas):
    for schema in schemas:
        for c in (schema.constraints or []):
            yield c


def _candidates(ptype, schemas):
    """Candidate values for a parameter; ``schemas`` = own schema + usages."""
    cons = list(_iter_constraints(schemas))
    allowed = [v for c in cons if isinstance(c, heat_constraints.AllowedValues)
               for v in c.allowed]
    ranges = [c for c in cons if isinstance(c, heat_constraints.Range)]
    lengths = [c for c in cons if isinstance(c, heat_constraints.Length)]
    patterns = [c.pattern for c in cons
                if isinstance(c, heat_constraints.AllowedPattern)]
    customs = [c.name for c in cons
               if isinstance(c, heat_constraints.CustomConstraint)]
    modulos = [c for c in cons if isinstance(c, heat_constraints.Modulo)]

    def strings():
        out = [str(v) for v in allowed]
        out += [LOCAL_SAMPLES[n] for n in customs if n in LOCAL_SAMPLES]
        for p in patterns:
            s = _regex_sample(p)
            if s is not None:
                out.append(s)
        out.append('placeholder')
        fitted = []
        for ln in lengths:
            for v in out:
                if ln.min is not None and len(v) < ln.min:
                    v += 'x' * (ln.min - len(v))
                if ln.max is not None and len(v) > ln.max:
                    v = v[:ln.max]
                fitted.append(v)
        out += fitted
        return out

    ptype = {'string': 'String', 'number': 'Number',
             'comma_delimited_list': 'CommaDelimitedList', 'json': 'Json',
             'boolean': 'Boolean'}.get(ptype, ptype)
    if ptype == 'String':
        return strings()
    if ptype == 'Number':
        out = list(allowed)
        for r in ranges:
            out += [v for v in (r.min, r.max) if v is not None]
        out += [1, 0]
        for m in modulos:
            if m.step:  # next value at or above each candidate on the grid
                out += [v + (m.offset - v) % m.step for v in list(out)]
        return out
    if ptype == 'CommaDelimitedList':
        item = strings()
        out = [[v] for v in item]
        for ln in lengths:
            if ln.min:
                out.append([item[0]] * ln.min)
        return out
    if ptype == 'Json':
        return [{}]
    if ptype == 'Boolean':
        return list(allowed) + [True, False]
    return ['placeholder']


def _passes(name, pschema, usages, value, context):
    try:
        heat_parameters.Parameter(name, pschema, value).validate(
            validate_value=True, context=context)
    except Exception:
        return False, False
    for schema in usages:
        try:
            schema.validate_constraints(value, context)
        except Exception:
            return True, False
    return True, True


def _param_usages(template, env_dict):
    """Property schemas that top-level ``{get_param: X}`` values flow into."""
    usages = {}
    from heat.engine import environment as heat_env
    try:
        env = heat_env.Environment(env_dict or {})
    except Exception:
        env = heat_resources.global_env()

    def walk(value, schema):
        if schema is None:
            return
        if isinstance(value, dict) and len(value) == 1 and 'get_param' in value:
            ref = value['get_param']
            if isinstance(ref, list) and len(ref) == 1:
                ref = ref[0]
            if isinstance(ref, str):
                usages.setdefault(ref, []).append(schema)
            return
        sub = getattr(schema, 'schema', None)
        if isinstance(value, dict) and sub and schema.type == 'Map':
            for k, v in value.items():
                walk(v, sub.get(k) if hasattr(sub, 'get') else None)
        elif isinstance(value, list) and sub and schema.type == 'List':
            for v in value:
                try:
                    walk(v, sub['*'] if '*' in sub else sub[0])
                except Exception:
                    pass

    res_section = template.get('resources') or template.get('Resources') or {}
    if not isinstance(res_section, dict):
        return usages
    for rname, rdef in res_section.items():
        if not isinstance(rdef, dict):
            continue
        rtype = rdef.get('type', rdef.get('Type'))
        props = rdef.get('properties', rdef.get('Properties'))
        if not isinstance(rtype, str) or not isinstance(props, dict):
            continue
        try:
            cls = env.get_class(rtype, resource_name=rname)
        except Exception:
            continue
        schema = getattr(cls, 'properties_schema', None) or {}
        for pname, pval in props.items():
            s = schema.get(pname)
            if s is not None:
                walk(pval, heat_properties.Schema.from_legacy(s))
    return usages


def placeholders_for(template, env_dict, files, from_parent=None):
    """Parameter values to pass (as `openstack stack create --parameter`).

    Returns (placeholders, parent_values): ``parent_values`` are the literal
    property values the parent template gives a nested template's parameters,
    converted the way Heat's TemplateResource converts its properties;
    ``placeholders`` are generated for parameters that still have neither a
    value nor a default.
    """
    context = _context()
    env_dict = env_dict or {}
    from_parent = from_parent or {}
    env_params = set((env_dict.get('parameters') or {}).keys())
    env_defaults = set((env_dict.get('parameter_defaults') or {}).keys())
    try:
        tmpl = heat_template.Template(copy.deepcopy(template), files=files)
        schemata = tmpl.param_schemata()
    except Exception:
        return {}, {}  # the real validation reports the problem
    usages = _param_usages(template, env_dict)
    result = {}
    parent_values = {}
    _RECORDER.active = False
    try:
        for name, pschema in schemata.items():
            if name in env_params:
                continue
            if name in from_parent:
                value = from_parent[name]
                try:
                    value = heat_properties.Property(
                        heat_properties.Schema.from_parameter(pschema),
                        name).get_value(value)
                except Exception:
                    pass  # Heat reports the bad value
                parent_values[name] = value
                continue
            if name in env_defaults or pschema.default is not None:
                continue
            own = [pschema]
            use = usages.get(name, [])
            cands = _candidates(pschema.type, own + use)
            chosen = None
            fallback = None
            for cand in cands:
                ok_param, ok_all = _passes(name, pschema, use, cand, context)
                if ok_all:
                    chosen = cand
                    break
                if ok_param and fallback is None:
                    fallback = cand
            if chosen is None:
                chosen = fallback if fallback is not None else cands[0]
            result[name] = chosen
    finally:
        _RECORDER.active = True
    return result, parent_values


def _function_names():
    """Every intrinsic function name of every template version Heat knows."""
    from heat.engine.cfn import template as cfn_template
    from heat.engine.hot import template as hot_template
    names = set()
    for module in (hot_template, cfn_template):
        for obj in vars(module).values():
            functions = getattr(obj, 'functions', None)
            if isinstance(obj, type) and isinstance(functions, dict):
                names.update(functions)
    return names


FUNCTION_NAMES = _function_names()


def _is_literal(value):
    if isinstance(value, dict):
        return not (set(value) & FUNCTION_NAMES) and all(
            _is_literal(v) for v in value.values())
    if isinstance(value, list):
        return all(_is_literal(v) for v in value)
    return True


def _literal_properties(props):
    if not isinstance(props, dict):
        return {}
    return dict((k, v) for k, v in props.items() if _is_literal(v))


# ---------------------------------------------------------------------------
# Driving the CLI -> heat-api -> heat-engine path
# ---------------------------------------------------------------------------
_COUNTER = [0]
GROUP_TYPES = ('OS::Heat::AutoScalingGroup', 'OS::Heat::ResourceGroup')


def _file_url_path(value):
    if isinstance(value, str) and value.startswith('file://') and \
            value.endswith(('.yaml', '.template')):
        from urllib import parse, request
        return request.url2pathname(parse.urlparse(value).path)
    return None


def _nested_refs(template, env_dict):
    """Nested templates as [(absolute path, literal property values)].

    heatclient has already turned relative file names into file:// URLs.
    """
    found = []
    registry = (env_dict or {}).get('resource_registry') or {}
    if not isinstance(registry, dict):
        registry = {}
    aliases = dict((k, v) for k, v in registry.items() if isinstance(v, str))

    def add(rtype, props):
        path = _file_url_path(rtype)
        if path is None and isinstance(rtype, str):
            path = _file_url_path(aliases.get(rtype))
        if path and path not in [f[0] for f in found]:
            found.append((path, _literal_properties(props)))

    resources = template.get('resources') if isinstance(template, dict) \
        else None
    if isinstance(resources, dict):
        for rdef in resources.values():
            if not isinstance(rdef, dict):
                continue
            rtype = rdef.get('type')
            props = rdef.get('properties')
            add(rtype, props)
            if rtype in GROUP_TYPES and isinstance(props, dict):
                for key in ('resource', 'resource_def'):
                    member = props.get(key)
                    if isinstance(member, dict):
                        add(member.get('type'), member.get('properties'))

    def walk_registry(rr):
        for value in rr.values():
            if isinstance(value, dict):
                walk_registry(value)
            else:
                add(value, None)
    walk_registry(registry)
    return found


def _error_text(ex):
    if isinstance(ex, SystemExit):
        return 'SystemExit: %s' % ex
    text = str(ex) or type(ex).__name__
    return text


def run_one(template_path, env_path=None, env_dict=None, env_files=None,
            from_parent=None):
    """Validate one template like `openstack stack create` would.

    Either ``env_path`` (an environment file, as with ``-e``) or
    ``env_dict``+``env_files`` (an already-resolved environment) is given;
    ``from_parent`` are literal values for the template's parameters.
    Returns a dict: ok, error, skipped, placeholders, parent_values,
    template (as heatclient resolved it, or None), env (merged).
    """
    _RECORDER.items = []
    out = {'ok': False, 'error': None, 'skipped': [], 'placeholders': {},
           'parent_values': {}, 'template': None, 'env': {}}
    try:
        tpl_files, template = template_utils.process_template_path(
            template_path)
        out['template'] = template
        env_list = []
        if env_path:
            e_files, merged_env = (
                template_utils.process_multiple_environments_and_files(
                    env_paths=[env_path], env_list_tracker=env_list))
        else:
            e_files = dict(env_files or {})
            merged_env = copy.deepcopy(env_dict or {})
        out['env'] = merged_env
        placeholders, parent_values = placeholders_for(
            template, merged_env, dict(tpl_files, **e_files), from_parent)
        out['placeholders'] = placeholders
        out['parent_values'] = parent_values
        _COUNTER[0] += 1
        body = {
            'stack_name': 'validate-%d' % _COUNTER[0],
            'disable_rollback': True,
            'parameters': dict(parent_values, **placeholders),
            'template': template,
            'files': dict(list(tpl_files.items()) + list(e_files.items())),
            'environment': merged_env,
        }
        if env_list:
            body['environment_files'] = env_list
        # as on the wire
        body = jsonutils.loads(jsonutils.dumps(body))
        data = api_stacks.InstantiationData(body)
        ENGINE._parse_template_and_validate_stack(
            _context(), data.stack_name(), data.template(), data.environment(),
            data.files(), data.environment_files(), data.files_container(),
            data.args(), convergence=cfg.CONF.convergence_engine)
        out['ok'] = True
    except BaseException as ex:  # noqa - report everything, never crash
        if isinstance(ex, KeyboardInterrupt):
            raise
        if DEBUG:
            traceback.print_exc(file=sys.stderr)
        out['error'] = _error_text(ex)
    out['skipped'] = list(_RECORDER.items)
    return out


def _child_env(merged_env):
    """Parent environment as a nested stack inherits it (no `parameters`)."""
    env = copy.deepcopy(merged_env or {})
    env.pop('parameters', None)
    return env


def validate_entry(entry):
    template_path = os.path.abspath(entry['template'])
    env_path = entry.get('environment')
    strict_nested = entry.get('strict_nested', True)
    main = run_one(template_path, env_path=env_path)
    result = {
        'id': entry.get('id', template_path),
        'template': template_path,
        'ok': main['ok'],
        'error': main['error'],
        'skipped_constraints': main['skipped'],
        'placeholders': main['placeholders'],
        'nested': [],
    }
    if not strict_nested or main['template'] is None:
        return result

    # Files named in the (resolved) environment, needed by the children.
    env_files = {}
    if env_path:
        try:
            env_files = template_utils.process_multiple_environments_and_files(
                env_paths=[env_path])[0]
        except Exception:
            env_files = {}
    child_env = _child_env(main['env'])
    seen = set([template_path])
    queue = [(p, props, template_path)
             for p, props in _nested_refs(main['template'], main['env'])]
    while queue:
        path, props, parent = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        if not os.path.isfile(path):
            nested = {'template': path, 'ok': False,
                      'error': 'nested template not found (referenced from '
                               '%s)' % parent,
                      'skipped_constraints': []}
        else:
            child = run_one(path, env_dict=child_env, env_files=env_files,
                            from_parent=props)
            nested = {'template': path, 'ok': child['ok'],
                      'error': child['error'],
                      'skipped_constraints': child['skipped'],
                      'placeholders': child['placeholders'],
                      'parent_values': child['parent_values']}
            if child['template'] is not None:
                queue += [(p, pr, path)
                          for p, pr in _nested_refs(child['template'],
                                                    child_env)]
        result['nested'].append(nested)
        base = os.path.basename(path)
        for text in nested['skipped_constraints']:
            text = '%s (in %s)' % (text, base)
            if text not in result['skipped_constraints']:
                result['skipped_constraints'].append(text)
        if not nested['ok']:
            result['ok'] = False
            if result['error'] is None:
                result['error'] = 'nested template %s: %s' % (
                    path, nested['error'])
    return result


def main():
    manifest = json.load(sys.stdin)
    if isinstance(manifest, dict):
        manifest = [manifest]
    results = [validate_entry(e) for e in manifest]
    _REAL_STDOUT.write(json.dumps(results, indent=2, default=str))
    _REAL_STDOUT.write('\n')
    _REAL_STDOUT.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
