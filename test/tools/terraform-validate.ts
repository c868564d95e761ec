/**
 * Runs the real `terraform validate` on a synthesized cdktf stack folder.
 *
 * `terraform init` cannot download terraform-provider-openstack here, so each
 * run installs our stand-in provider (./tf-provider-shim, which serves the
 * committed provider schema over the plugin protocol) as a filesystem_mirror
 * in a scratch directory, points Terraform at it with its own CLI config, and
 * runs `terraform init -backend=false` + `terraform validate -json` on a copy
 * of the stack. Nothing is written outside the scratch directory, which is
 * removed afterwards. See test/tools/README.md, "Terraform's validator".
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface TerraformDiagnostic {
  severity: string;
  summary: string;
  detail?: string;
  filename?: string;
  line?: number;
}

export interface TerraformValidateResult {
  valid: boolean;
  diagnostics: TerraformDiagnostic[];
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PROVIDER_NAMESPACE = 'terraform-provider-openstack';
const PROVIDER_TYPE = 'openstack';
const PROVIDER_VERSION = '3.4.0';
const SCHEMA_FILE = path.join(REPO_ROOT, 'schemas', 'terraform-provider-openstack', PROVIDER_VERSION, 'schema.json');
const SHIM_SERVER = path.join(__dirname, 'tf-provider-shim', 'server.js');
/** Override with TERRAFORM_BIN=/path/to/terraform. */
const TERRAFORM = process.env.TERRAFORM_BIN || 'terraform';

/** Every folder under `root` (itself included) that holds a cdk.tf.json, sorted. */
export function findTerraformStacks(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // missing root or unreadable folder: nothing to find there
    }
    if (entries.some((e) => e.isFile() && e.name === 'cdk.tf.json')) found.push(dir);
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.terraform') walk(path.join(dir, e.name));
    }
  };
  walk(path.resolve(root));
  return found.sort();
}

/** Validates the stack in `dir` (a folder with cdk.tf.json and maybe asset files) with the real Terraform CLI. */
export async function terraformValidate(dir: string): Promise<TerraformValidateResult> {
  if (!fs.existsSync(path.join(dir, 'cdk.tf.json'))) {
    throw new Error(`terraformValidate: ${dir} has no cdk.tf.json`);
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-tf-validate-'));
  try {
    const work = path.join(scratch, 'stack');
    fs.cpSync(dir, work, {
      recursive: true,
      // A lock file or .terraform left by a real `terraform init` would pin the real provider's checksums.
      filter: (src) => !['.terraform', '.terraform.lock.hcl'].includes(path.basename(src)),
    });
    const env = terraformEnv(installShim(scratch));

    const init = await run(['init', '-backend=false', '-input=false', '-no-color', '-json'], work, env);
    if (init.code !== 0) {
      // Init already reads the configuration; a broken one (or a provider we
      // cannot install offline) ends here with diagnostics in its JSON log.
      const diagnostics = parseInitLog(init.stdout);
      if (diagnostics.length === 0) throw commandError('init', init);
      return { valid: false, diagnostics };
    }

    const validate = await run(['validate', '-json', '-no-color'], work, env);
    let report: { valid?: boolean; diagnostics?: RawDiagnostic[] };
    try {
      report = JSON.parse(validate.stdout);
    } catch {
      throw commandError('validate', validate);
    }
    if (typeof report.valid !== 'boolean') throw commandError('validate', validate);
    return { valid: report.valid, diagnostics: (report.diagnostics ?? []).map(toDiagnostic) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes the filesystem mirror holding the shim, and a CLI config using only it; returns the config path. */
function installShim(scratch: string): string {
  const platform = `${os.platform()}_${({ x64: 'amd64', ia32: '386' } as Record<string, string>)[os.arch()] ?? os.arch()}`;
  const mirror = path.join(scratch, 'mirror');
  const pkgDir = path.join(mirror, 'registry.terraform.io', PROVIDER_NAMESPACE, PROVIDER_TYPE, PROVIDER_VERSION, platform);
  fs.mkdirSync(pkgDir, { recursive: true });
  const executable = path.join(pkgDir, `terraform-provider-${PROVIDER_TYPE}_v${PROVIDER_VERSION}`);
  fs.writeFileSync(
    executable,
    `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(SHIM_SERVER)} ${shellQuote(SCHEMA_FILE)}\n`,
    { mode: 0o755 },
  );
  const cliConfig = path.join(scratch, 'terraformrc');
  fs.writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`,
  );
  return cliConfig;
}

function terraformEnv(cliConfig: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Drop the caller's TF_* settings (TF_CLI_ARGS, TF_DATA_DIR, TF_PLUGIN_CACHE_DIR, TF_LOG, ...).
    if (!k.startsWith('TF_')) env[k] = v;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfig,
    CHECKPOINT_DISABLE: '1', // no version check over the network
    TF_DISABLE_PLUGIN_TLS: '1', // the shim speaks plain gRPC on a unix socket (no AutoMTLS)
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
}

interface RawDiagnostic {
  severity: string;
  summary: string;
  detail?: string;
  range?: { filename?: string; start?: { line?: number } };
}

function toDiagnostic(d: RawDiagnostic): TerraformDiagnostic {
  const out: TerraformDiagnostic = { severity: d.severity, summary: d.summary };
  if (d.detail) out.detail = d.detail;
  if (d.range?.filename) out.filename = d.range.filename;
  if (d.range?.start?.line !== undefined) out.line = d.range.start.line;
  return out;
}

/** `terraform init -json` prints one JSON object per line; diagnostics have type "diagnostic". */
function parseInitLog(stdout: string): TerraformDiagnostic[] {
  const out: TerraformDiagnostic[] = [];
  for (const line of stdout.split('\n')) {
    try {
      const msg = JSON.parse(line);
      if (msg.type === 'diagnostic' && msg.diagnostic) out.push(toDiagnostic(msg.diagnostic));
    } catch {
      // not a JSON line
    }
  }
  return out;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TERRAFORM, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new Error(
              `terraformValidate: the Terraform CLI ("${TERRAFORM}") was not found${process.env.TERRAFORM_BIN ? '' : ' on PATH'}. ` +
                'Install Terraform >= 1.11 (or set TERRAFORM_BIN); this check cannot pass without it.',
            )
          : err,
      );
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function commandError(command: string, r: RunResult): Error {
  return new Error(
    `terraformValidate: \`terraform ${command}\` failed (exit ${r.code}) without a usable JSON report.\n` +
      `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
  );
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
