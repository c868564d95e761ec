#!/usr/bin/env node
/*
 * Stand-in OpenStack provider for `terraform validate` (test tooling only).
 *
 * Why: `terraform validate` type-checks a configuration against the schema of
 * each provider it uses, and gets that schema by starting the provider and
 * asking it over the plugin protocol. This machine cannot download the real
 * terraform-provider-openstack, but we keep its schema
 * (schemas/terraform-provider-openstack/<version>/schema.json, the output of
 * `terraform providers schema -json`). This program serves that schema over
 * Terraform's plugin protocol 5, so the real Terraform CLI can check every
 * cdk.tf.json we synthesize: unknown/missing/mistyped arguments, misused
 * blocks, block counts, references, unknown resource types.
 *
 * What it does NOT do: any provider-side validation (enum values, ranges,
 * ConflictsWith, ...). Validate calls get "no diagnostics"; those checks live
 * in our ajv layer (constraints.json). Plan/apply/read are not implemented.
 *
 * Usage: node server.js <schema.json>   (started by Terraform, see
 * test/tools/terraform-validate.ts, which installs a wrapper script into a
 * filesystem_mirror). Terraform must run with TF_DISABLE_PLUGIN_TLS=1: the
 * shim talks plain gRPC over a unix socket, no AutoMTLS.
 *
 * The handshake is go-plugin's: check the magic cookie, serve gRPC, print
 * "1|5|unix|<socket>|grpc|" on stdout. Only that line may go to stdout.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROVIDER_ADDRESS = 'registry.terraform.io/terraform-provider-openstack/openstack';
const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const PROTOCOL_VERSION = 5;

function fail(message) {
  process.stderr.write(`tf-provider-shim: ${message}\n`);
  process.exit(1);
}

// ---- handshake preconditions -------------------------------------------------

if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
  fail('this is a Terraform provider plugin; it is meant to be started by Terraform, not run directly.');
}
if (process.env.PLUGIN_CLIENT_CERT) {
  fail('Terraform asked for AutoMTLS, which this shim does not implement; run Terraform with TF_DISABLE_PLUGIN_TLS=1.');
}
const offered = (process.env.PLUGIN_PROTOCOL_VERSIONS || String(PROTOCOL_VERSION)).split(',').map(Number);
if (!offered.includes(PROTOCOL_VERSION)) {
  fail(`Terraform offers plugin protocol(s) ${offered.join(',')}, this shim speaks only ${PROTOCOL_VERSION}.`);
}

// ---- schema: `terraform providers schema -json` -> tfplugin5.Schema -------------

const schemaFile = process.argv[2];
if (!schemaFile) fail('usage: server.js <schema.json>');
const providerJson = JSON.parse(fs.readFileSync(schemaFile, 'utf8')).provider_schemas[PROVIDER_ADDRESS];
if (!providerJson) fail(`${schemaFile} has no provider_schemas["${PROVIDER_ADDRESS}"]`);

const NESTING = { single: 'SINGLE', list: 'LIST', set: 'SET', map: 'MAP', group: 'GROUP' };

function convertBlock(block) {
  return {
    attributes: Object.entries(block.attributes || {}).map(([name, a]) => {
      if (a.nested_type) fail(`attribute ${name}: nested_type needs protocol 6, not supported`);
      return {
        name,
        type: Buffer.from(JSON.stringify(a.type)), // cty type JSON, as Terraform expects
        required: !!a.required,
        optional: !!a.optional,
        computed: !!a.computed,
        sensitive: !!a.sensitive,
        deprecated: !!a.deprecated,
      };
    }),
    block_types: Object.entries(block.block_types || {}).map(([name, b]) => ({
      type_name: name,
      block: convertBlock(b.block),
      nesting: NESTING[b.nesting_mode] || fail(`block ${name}: unknown nesting_mode ${b.nesting_mode}`),
      min_items: b.min_items || 0,
      max_items: b.max_items || 0,
    })),
    deprecated: !!block.deprecated,
  };
}

function convertSchema(s) {
  return { version: s.version || 0, block: convertBlock(s.block) };
}

function convertAll(map) {
  const out = {};
  for (const [name, s] of Object.entries(map || {})) out[name] = convertSchema(s);
  return out;
}

const schemaResponse = {
  provider: convertSchema(providerJson.provider),
  resource_schemas: convertAll(providerJson.resource_schemas),
  data_source_schemas: convertAll(providerJson.data_source_schemas),
  diagnostics: [],
  // Lets Terraform reuse a cached schema instead of asking every provider instance.
  server_capabilities: { get_provider_schema_optional: true },
};

// ---- gRPC services -------------------------------------------------------------

const loadOptions = { keepCase: true, enums: String, defaults: false };
const tfplugin5 = grpc.loadPackageDefinition(
  protoLoader.loadSync(path.join(__dirname, 'tfplugin5.proto'), loadOptions),
).tfplugin5;
const goPlugin = grpc.loadPackageDefinition(
  protoLoader.loadSync(path.join(__dirname, 'go_plugin.proto'), loadOptions),
).plugin;

const noDiagnostics = (_call, callback) => callback(null, { diagnostics: [] });

const server = new grpc.Server();
server.addService(tfplugin5.Provider.service, {
  GetSchema: (_call, callback) => callback(null, schemaResponse),
  // Terraform insists on getting the config back; the real provider would
  // also fill in defaults here, which validate does not need.
  PrepareProviderConfig: (call, callback) =>
    callback(null, { prepared_config: call.request.config, diagnostics: [] }),
  ValidateResourceTypeConfig: noDiagnostics,
  ValidateDataSourceConfig: noDiagnostics,
  Stop: (_call, callback) => callback(null, {}),
});
server.addService(goPlugin.GRPCController.service, {
  Shutdown: (_call, callback) => {
    callback(null, {});
    setImmediate(exit);
  },
});

const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-provider-shim-'));
const socketPath = path.join(socketDir, 'plugin.sock');

function exit() {
  server.forceShutdown();
  fs.rmSync(socketDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', exit);
process.on('SIGINT', () => {}); // like go-plugin servers: Terraform handles Ctrl-C and then shuts us down
// Should Terraform die without calling Shutdown, do not linger as an orphan.
const parentPid = process.ppid;
setInterval(() => process.ppid !== parentPid && exit(), 1000).unref();

server.bindAsync(`unix:${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) fail(`cannot listen on ${socketPath}: ${err.message}`);
  // core protocol | app protocol | network | address | rpc protocol | server cert (none)
  process.stdout.write(`1|${PROTOCOL_VERSION}|unix|${socketPath}|grpc|\n`);
});
