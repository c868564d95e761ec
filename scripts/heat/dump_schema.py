#!/usr/bin/python3
"""Dump the resource types and template functions of the Heat installed for this Python.

Loads Heat's own plugin registry in-process (``heat.engine.resources.initialise()`` and
``global_env()``, the calls ``heat/engine/service.py`` makes for ``list_resource_types``,
``resource_schema``, ``list_template_versions`` and ``list_template_functions``); contacts no
service. Writes ``resource_types.json`` and ``functions.json`` (layout: schemas/heat/2022.2/README.md)
into the folder given as the only argument. Deterministic: the same Heat gives the same bytes.

    /usr/bin/python3 scripts/heat/dump_schema.py schemas/heat/2022.2        # Debian 12: Heat 19.0.0
    # Debian 13: Heat 24, in the root scripts/ensure-heat-2025.sh builds (its loader, its Python):
    R=.cache/trixie; PYTHONHOME=$R/usr $R/usr/lib64/ld-linux-x86-64.so.2 \
      --library-path $R/usr/lib/x86_64-linux-gnu:$R/lib/x86_64-linux-gnu $R/usr/bin/python3 \
      scripts/heat/dump_schema.py schemas/heat/2025.1
"""
import pydoc
import json
import logging
import os
import subprocess
import sys

logging.disable(logging.CRITICAL)

from heat.engine import attributes  # noqa: E402
from heat.engine import constraints  # noqa: E402
from heat.engine import environment  # noqa: E402
from heat.engine import properties  # noqa: E402
from heat.engine import resources  # noqa: E402
from heat.engine import support  # noqa: E402
from heat.engine import template as heat_template  # noqa: E402
from heat.engine.hot import parameters as hot_parameters  # noqa: E402

# The OpenStack release of each Heat major version (https://releases.openstack.org/teams/heat.html).
RELEASES = {'19': '2022.2 (Zed)', '20': '2023.1 (Antelope)', '21': '2023.2 (Bobcat)',
            '22': '2024.1 (Caracal)', '23': '2024.2 (Dalmatian)', '24': '2025.1 (Epoxy)',
            '25': '2025.2 (Flamingo)'}
GENERATOR = 'scripts/heat/dump_schema.py'
LOCAL_CONSTRAINTS_MODULE = 'heat.engine.constraint.common_constraints'
# heat-common's environment.d/default.yaml without its two entries that point at heat-common's own
# template files (AWS::CloudWatch::Alarm, AWS::RDS::DBInstance): used when heat-common is absent.
BUNDLED_GLOBAL_ENV = {
    'OS::Metering::Alarm': 'OS::Aodh::Alarm',
    'OS::Quantum*': 'OS::Neutron*',
    'OS::Ceilometer::Alarm': 'OS::Aodh::Alarm',
    'OS::Ceilometer::CombinationAlarm': 'OS::Aodh::CombinationAlarm',
    'OS::Ceilometer::GnocchiResourcesAlarm': 'OS::Aodh::GnocchiResourcesAlarm',
    'OS::Ceilometer::GnocchiAggregationByMetricsAlarm': 'OS::Aodh::GnocchiAggregationByMetricsAlarm',
    'OS::Ceilometer::GnocchiAggregationByResourcesAlarm': 'OS::Aodh::GnocchiAggregationByResourcesAlarm',
}


def qualname(obj):
    return '%s.%s' % (obj.__module__, obj.__name__)


def heat_package():
    try:
        # The dpkg database of the root this Python belongs to (/usr -> /, <root>/usr -> <root>).
        admindir = os.path.join(os.path.dirname(sys.prefix), 'var', 'lib', 'dpkg')
        out = subprocess.run(['dpkg-query', '--admindir=' + admindir, '-W', '-f=${Package} ${Version}', 'python3-heat'],
                             capture_output=True, text=True, check=True).stdout
        return out.strip()
    except Exception:  # pragma: no cover - not Debian
        return None


def heat_version():
    from heat import version
    return version.version_info.release_string()


def status_dict(status):
    return status.to_dict() if status is not None else None


def constraint_json(c):
    if isinstance(c, constraints.AllowedValues):
        return {'kind': 'allowed_values', 'allowed_values': list(c.allowed)}
    if isinstance(c, constraints.Range):  # Length is a subclass of Range
        kind = 'length' if isinstance(c, constraints.Length) else 'range'
        r = {}
        if c.min is not None:
            r['min'] = c.min
        if c.max is not None:
            r['max'] = c.max
        return {'kind': kind, kind: r}
    if isinstance(c, constraints.Modulo):
        return {'kind': 'modulo', 'modulo': {'step': c.step, 'offset': c.offset}}
    if isinstance(c, constraints.AllowedPattern):
        return {'kind': 'allowed_pattern', 'allowed_pattern': c.pattern}
    if isinstance(c, constraints.CustomConstraint):
        return {'kind': 'custom_constraint', 'custom_constraint': c.name,
                'needs_service': needs_service(c.name)}
    raise TypeError('unknown constraint %r' % (c,))


_constraint_classes = {}


def needs_service(name):
    """False for the constraints Heat checks locally (heat/engine/constraint/common_constraints.py);
    `TestConstraintDelay` there stands for a removed service (e.g. `nova.network`) and counts as one."""
    cls = _constraint_classes.get(name)
    return cls is None or cls.__module__ != LOCAL_CONSTRAINTS_MODULE or cls.__name__ == 'TestConstraintDelay'


def property_json(schema):
    status = schema.support_status
    out = {
        'type': schema.type.lower(),
        'description': schema.description,
        'required': bool(schema.required),
        'update_allowed': bool(schema.update_allowed),
        'immutable': bool(schema.immutable),
        'implemented': bool(schema.implemented),
        'support_status': status_dict(status),
        'hidden': status.status == support.HIDDEN,
        'deprecated': status.status == support.DEPRECATED,
    }
    if schema.default is not None:
        out['default'] = schema.default
    if schema.constraints:
        out['constraints'] = [constraint_json(c) for c in schema.constraints]
    if schema.schema is not None:
        nested = schema.schema
        if isinstance(nested, properties.Schema):
            out['schema'] = {'*': property_json(nested)}
        else:
            out['schema'] = {k: property_json(v) for k, v in nested.items()}
    return out


def attribute_json(schema, base):
    status = schema.support_status
    return {
        'type': schema.type.lower() if schema.type else None,
        'description': schema.description,
        'cache_mode': schema.cache_mode,
        'support_status': status_dict(status),
        'hidden': status.status == support.HIDDEN,
        'base': base,
    }


def resource_type_json(cls):
    status = cls.support_status
    attrs = {}
    for name, s in attributes.schemata(cls.base_attributes_schema).items():
        attrs[name] = attribute_json(s, True)
    for name, s in attributes.schemata(cls.attributes_schema).items():
        attrs[name] = attribute_json(s, False)
    update_policy = None
    if getattr(cls, 'update_policy_schema', None):
        update_policy = {k: property_json(v)
                         for k, v in properties.schemata(cls.update_policy_schema).items()}
    return {
        'kind': 'class',
        'python_class': qualname(cls),
        'description': cls.getdoc(),  # Resource.getdoc, as resource_schema() shows it
        'support_status': status_dict(status),
        'hidden': status.status == support.HIDDEN,
        'deprecated': status.status == support.DEPRECATED,
        'default_client_name': getattr(cls, 'default_client_name', None),
        'entity': getattr(cls, 'entity', None),
        'properties': {k: property_json(v) for k, v in properties.schemata(cls.properties_schema).items()},
        'attributes': attrs,
        'update_policy': update_policy,
    }


def function_json(cls):
    from heat.engine.hot import functions as hot_functions
    removed = cls is hot_functions.Removed or (isinstance(cls, type) and issubclass(cls, hot_functions.Removed))
    # As EngineService.list_template_functions describes a function (nothing for a removed one).
    desc = '' if removed else pydoc.splitdoc(pydoc.getdoc(cls))[0]
    return {'python_class': qualname(cls), 'description': desc, 'removed': bool(removed)}


def template_version_json(key, cls, aliases):
    kind, _, version = key.partition('.')
    out = {
        'version_key': key,
        'type': 'hot' if kind == 'heat_template_version' else 'cfn',
        'aliases': sorted(aliases),
        'python_class': qualname(cls),
        'sections': [x for x in cls.SECTIONS if not x.startswith('__')],
        'functions': {n: function_json(f) for n, f in sorted(cls.functions.items())},
        'condition_functions': {n: function_json(f) for n, f in sorted(cls.condition_functions.items())},
        'deletion_policies': list(cls.deletion_policies),
    }
    if kind == 'heat_template_version':
        out['version'] = version
    if hasattr(cls, '_RESOURCE_KEYS') and kind == 'heat_template_version':
        out['resource_keys'] = list(cls._RESOURCE_KEYS)
        out['output_keys'] = list(cls.OUTPUT_KEYS)
        ps = cls.param_schema_class
        out['parameter_schema_class'] = ps.__name__
        out['parameter_keys'] = list(ps.KEYS)
        out['parameter_types'] = list(ps.TYPES)
        out['parameter_constraint_keys'] = [
            k for k in hot_parameters.PARAM_CONSTRAINTS
            if k != hot_parameters.DESCRIPTION
            and (k != hot_parameters.MODULO or issubclass(ps, hot_parameters.HOTParamSchema20170224))]
    return out


def main(outdir):
    resources.initialise()
    env = resources.global_env()
    _constraint_classes.update(env.constraints)
    registry = env.registry._registry
    types, aliases = {}, {}
    for name in sorted(registry):
        info = registry[name]
        if isinstance(info, environment.ClassResourceInfo):
            types[name] = resource_type_json(info.value)
        elif isinstance(info, (environment.MapResourceInfo, environment.GlobResourceInfo)):
            aliases[name] = {'kind': type(info).__name__, 'maps_to': info.value}
    source = 'heat-common environment.d/default.yaml'
    if not aliases:
        source = 'bundled global_env/default.yaml'
        for name, target in BUNDLED_GLOBAL_ENV.items():
            kind = 'GlobResourceInfo' if name.endswith('*') else 'MapResourceInfo'
            aliases[name] = {'kind': kind, 'maps_to': target}
    version = heat_version()
    common = {
        'generator': GENERATOR,
        'heat_version': version,
        'openstack_release': RELEASES.get(version.split('.')[0], 'unknown'),
        'debian_package': heat_package(),
        'global_environment_source': source,
    }
    custom = {}
    for name, cls in sorted(env.constraints.items()):
        custom[name] = {'python_class': qualname(cls), 'needs_service': needs_service(name),
                        'resource_client_name': getattr(cls, 'resource_client_name', None)}
    visible = [n for n, t in types.items() if not t['hidden']]
    rt = dict(common)
    rt.update({
        'counts': {'registered_classes': len(types), 'visible_not_hidden': len(visible),
                   'hidden': len(types) - len(visible),
                   'deprecated': sum(1 for t in types.values() if t['deprecated']),
                   'global_env_aliases': len(aliases)},
        'custom_constraints': custom,
        'global_environment_aliases': dict(sorted(aliases.items())),
        'resource_types': types,
    })
    mgr = heat_template._get_template_extension_manager()
    by_class = {}
    for ext in mgr:
        by_class.setdefault(ext.plugin, []).append(ext.name)
    versions = []
    for cls, names in by_class.items():
        dated = sorted(n for n in names if n.partition('.')[2][:1].isdigit())
        key = dated[0] if dated else sorted(names)[0]
        versions.append(template_version_json(key, cls, [n for n in names if n != key]))
    versions.sort(key=lambda v: (v['type'] != 'cfn', v['version_key'] if v['type'] == 'cfn' else v['version']))
    fn = dict(common)
    fn.update({
        'template_versions': versions,
        'hot_parameter_types': list(hot_parameters.HOTParamSchema.TYPES),
        'hot_pseudo_parameters': list(hot_parameters.HOTParameters.PSEUDO_PARAMETERS),
        'hot_parameter_constraint_keys': list(hot_parameters.PARAM_CONSTRAINTS),
    })
    os.makedirs(outdir, exist_ok=True)
    for fname, doc in (('resource_types.json', rt), ('functions.json', fn)):
        with open(os.path.join(outdir, fname), 'w') as f:
            json.dump(doc, f, indent=1, sort_keys=True, ensure_ascii=False)
            f.write('\n')


if __name__ == '__main__':
    main(sys.argv[1])
