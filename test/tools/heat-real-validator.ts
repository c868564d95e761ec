/**
 * Runs OpenStack Heat's own validation over HOT templates, offline: see ./heat_validate.py and
 * test/tools/README.md, "Heat's validator". Two releases of Heat can run it:
 * - `2022.2` (default): Debian 12's python3-heat, Heat 19.0.0 = OpenStack Zed, with Debian's
 *   `/usr/bin/python3` (scripts/ensure-heat.sh installs it);
 * - `2025.1`: Debian 13's python3-heat, Heat 24.0.0 = OpenStack 2025.1 (Epoxy), in the Debian 13
 *   root that scripts/ensure-heat-2025.sh builds under .cache/trixie, run by that root's own
 *   Python 3.13 through that root's own dynamic loader (no chroot: the templates keep their paths,
 *   and no root privilege is needed once the folder exists).
 *
 * One Python process validates a whole batch (importing Heat takes ~1.5 s).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { embeddedUserDataOf } from '../../src/assertions/output';

/** The Heat release whose own code validates: see the file comment. */
export type HeatValidatorRelease = '2022.2' | '2025.1';

/** Options of `validateWithHeat`. */
export interface HeatValidatorOptions {
  /** @default '2022.2' */
  readonly release?: HeatValidatorRelease;
}

const SCRIPT = path.join(__dirname, 'heat_validate.py');
const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** Exit status of heat_validate.py when `import heat` / `import heatclient` fails. */
const EXIT_HEAT_MISSING = 3;

/** How to start one release's Python with its Heat importable. */
interface HeatRuntime {
  /** The file that must exist (the interpreter or its loader). */
  readonly program: string;
  /** Arguments before the script. */
  readonly args: readonly string[];
  /** Variables to set on top of the cleaned environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly installHint: string;
}

/**
 * The Debian 13 root that holds Heat 24 (scripts/ensure-heat-2025.sh). HEAT_2025_ROOT overrides it
 * (read at each call).
 */
export const heat2025Root = (): string => process.env.HEAT_2025_ROOT || path.join(REPO_ROOT, '.cache', 'trixie');

function heatRuntime(release: HeatValidatorRelease): HeatRuntime {
  if (release === '2022.2') {
    // Debian's interpreter: it sees /usr/lib/python3/dist-packages (a pyenv python3 on PATH does not).
    // HEAT_VALIDATE_PYTHON overrides it (read at each call).
    return {
      program: process.env.HEAT_VALIDATE_PYTHON || '/usr/bin/python3',
      args: [],
      env: {},
      installHint: "install Debian's python3-heat: apt-get update && apt-get install -y --no-install-recommends python3-heat",
    };
  }
  const root = heat2025Root();
  // The root's binaries need its own glibc (2.41; Debian 12 has 2.36), so they run through its own
  // loader with its own library folders; PYTHONHOME makes sys.path the root's stdlib and
  // dist-packages only (nothing of the host's Python is importable).
  const loaders = ['usr/lib64/ld-linux-x86-64.so.2', 'usr/lib/ld-linux-aarch64.so.1'].map((l) => path.join(root, l));
  const loader = loaders.find((l) => fs.existsSync(l)) ?? loaders[0];
  const multiarch = path.basename(loader).includes('aarch64') ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
  return {
    program: loader,
    args: ['--library-path', [`usr/lib/${multiarch}`, `lib/${multiarch}`].map((d) => path.join(root, d)).join(':'), path.join(root, 'usr', 'bin', 'python3')],
    env: { PYTHONHOME: path.join(root, 'usr') },
    installHint: `build the Debian 13 root with Heat 2025.1 in ${root}: sudo bash scripts/ensure-heat-2025.sh`,
  };
}

export interface HeatValidationEntry {
  id: string;
  /** Template file. For an `inline` entry, a description of where the text came from. */
  template: string;
  /** Environment file (as `openstack stack create -e`). */
  environment?: string;
  /**
   * Template (and environment) text, validated as if it were a file in `dir`: it is written, for the
   * run, into a temporary copy of `dir` (so relative references to nested templates resolve), and
   * paths in the results point back into `dir`. Nothing is written into `dir` itself, so tests that
   * read `dir` meanwhile (e.g. the committed templates/) never see a temporary file.
   */
  inline?: { dir: string; template: string; environment?: string };
  /** Also validate every nested template on its own in strict mode (default true). */
  strictNested?: boolean;
}

export interface HeatNestedResult {
  template: string;
  ok: boolean;
  error: string | null;
  skipped_constraints: string[];
  placeholders?: Record<string, unknown>;
}

export interface HeatValidationResult {
  id: string;
  template: string;
  /** True only if the template and every nested template passed. */
  ok: boolean;
  /** Heat's message for the template, or else for the first failing nested template. */
  error: string | null;
  /** Checks that would need a live service, skipped: e.g. "nova.flavor on resources.web.properties.flavor". */
  skipped_constraints: string[];
  /** Values given to parameters that had neither a default nor a value in the environment. */
  placeholders: Record<string, unknown>;
  nested: HeatNestedResult[];
}

let inlineCounter = 0;

/** Validates the templates with Heat's own code (one Python process for all of them). */
export function validateWithHeat(entries: HeatValidationEntry[], options: HeatValidatorOptions = {}): HeatValidationResult[] {
  const release = options.release ?? '2022.2';
  const runtime = heatRuntime(release);
  const python = runtime.program;
  if (!fs.existsSync(python)) {
    throw new Error(`Heat ${release}'s validator needs ${python}, which is missing: ${runtime.installHint}`);
  }
  if (entries.length === 0) return [];
  /** Temporary copies of inline entries' folders, by entry index: [copy, original]. */
  const copies = new Map<number, [string, string]>();
  try {
    const manifest = entries.map((e, i) => {
      let template = path.resolve(e.template);
      let environment = e.environment ? path.resolve(e.environment) : null;
      if (e.inline) {
        const original = path.resolve(e.inline.dir);
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'heat-validate-inline-'));
        fs.cpSync(original, copy, { recursive: true, filter: (src) => !path.basename(src).startsWith('.terraform') });
        copies.set(i, [copy, original]);
        const stem = path.join(copy, `.heat-validate-${process.pid}-${++inlineCounter}`);
        template = `${stem}.yaml`;
        fs.writeFileSync(template, e.inline.template);
        if (e.inline.environment !== undefined) {
          environment = `${stem}.env.yaml`;
          fs.writeFileSync(environment, e.inline.environment);
        }
      }
      return { id: e.id, template, environment, strict_nested: e.strictNested !== false };
    });
    const run = spawnSync(python, [...runtime.args, SCRIPT], {
      input: JSON.stringify(manifest),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: 15 * 60 * 1000,
      env: { ...pythonEnv(), ...runtime.env },
    });
    if (run.error) throw new Error(`Heat ${release}'s validator could not run ${python}: ${run.error.message}`);
    if (run.status === EXIT_HEAT_MISSING) {
      throw new Error(`Heat ${release}'s validator cannot import Heat with ${python} (${run.stderr.trim()}): ${runtime.installHint}`);
    }
    if (run.status !== 0) {
      throw new Error(`Heat ${release}'s validator failed (exit ${run.status}, signal ${run.signal}):\n${run.stderr}`);
    }
    const results = JSON.parse(run.stdout) as HeatValidationResult[];
    // Report inline entries under their source, and their nested templates in the original folder.
    return results.map((r, i) => {
      const copy = copies.get(i);
      if (!copy) return r;
      const back = (text: string | null) => (text === null ? null : text.split(copy[0] + path.sep).join(copy[1] + path.sep));
      return {
        ...r,
        template: entries[i].template,
        error: back(r.error),
        nested: r.nested.map((n) => ({ ...n, template: back(n.template)!, error: back(n.error) })),
      };
    });
  } finally {
    for (const [copy] of copies.values()) fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** The caller's environment without variables that would point Debian's python at another installation. */
function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  for (const k of ['PYTHONHOME', 'PYTHONPATH', 'PYTHONSTARTUP', 'PYTHONUSERBASE']) delete env[k];
  return env;
}

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return []; // missing or unreadable: nothing to find there
  }
}

const isYaml = (name: string) => name.endsWith('.yaml') && !name.startsWith('.');

/**
 * What to validate under a templates root (`templates/<example>/...`):
 * - `heat/<stack>.env.yaml`: the main template `heat/<stack>.yaml` with that environment;
 * - `terraform/*.yaml`: Heat templates embedded for openstack_orchestration_stack_v1
 *   (with `<stem>.env.yaml` as environment when there is one);
 * - `terraform/cdk.tf.json`: the `template_opts.Bin` (and `environment_opts.Bin`) of each
 *   openstack_orchestration_stack_v1, validated from a temporary file in a temporary copy of
 *   cdk.tf.json's folder so relative references to nested templates resolve (a Bin that is only a `${...}`
 *   reference is left out: the file it names is one of the *.yaml above).
 */
export function findHotTemplates(root: string): HeatValidationEntry[] {
  const found: HeatValidationEntry[] = [];
  const rootDir = path.resolve(root);
  for (const example of listDir(rootDir).filter((d) => d.isDirectory())) {
    const exampleDir = path.join(rootDir, example.name);

    const heatDir = path.join(exampleDir, 'heat');
    for (const f of listDir(heatDir)) {
      if (!f.isFile() || !isYaml(f.name) || !f.name.endsWith('.env.yaml')) continue;
      const stack = f.name.slice(0, -'.env.yaml'.length);
      found.push({
        id: `${example.name}/heat/${stack}.yaml`,
        template: path.join(heatDir, `${stack}.yaml`),
        environment: path.join(heatDir, f.name),
      });
    }

    const tfDir = path.join(exampleDir, 'terraform');
    const tfFiles = listDir(tfDir).filter((f) => f.isFile());
    const names = new Set(tfFiles.map((f) => f.name));
    for (const f of tfFiles) {
      if (!isYaml(f.name) || f.name.endsWith('.env.yaml')) continue;
      const env = `${f.name.slice(0, -'.yaml'.length)}.env.yaml`;
      found.push({
        id: `${example.name}/terraform/${f.name}`,
        template: path.join(tfDir, f.name),
        ...(names.has(env) ? { environment: path.join(tfDir, env) } : {}),
      });
    }

    if (names.has('cdk.tf.json')) {
      const stackFile = path.join(tfDir, 'cdk.tf.json');
      const config = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as {
        resource?: Record<string, Record<string, Record<string, unknown>>>;
        locals?: Record<string, unknown>;
      };
      const stacks = config.resource?.openstack_orchestration_stack_v1 ?? {};
      for (const [name, res] of Object.entries(stacks)) {
        const bin = binOf(res.template_opts);
        if (bin === undefined || isPureReference(bin)) continue;
        // The members' user data travels as jsonencode of a local: give Heat the JSON it becomes.
        const userData = embeddedUserDataOf(config, res);
        const envBin = userData !== undefined ? JSON.stringify({ parameter_defaults: { user_data: userData } }) : binOf(res.environment_opts);
        found.push({
          id: `${example.name}/terraform/cdk.tf.json#openstack_orchestration_stack_v1.${name}`,
          template: `${stackFile}#/resource/openstack_orchestration_stack_v1/${name}/template_opts/Bin`,
          inline: {
            dir: tfDir,
            template: bin,
            ...(envBin !== undefined && !isPureReference(envBin) ? { environment: envBin } : {}),
          },
        });
      }
    }
  }
  return found;
}

function binOf(opts: unknown): string | undefined {
  if (opts && typeof opts === 'object' && typeof (opts as Record<string, unknown>).Bin === 'string') {
    return (opts as Record<string, string>).Bin;
  }
  return undefined;
}

/** `${file("x.yaml")}` and the like: Terraform reads the text from a file at plan time. */
function isPureReference(text: string): boolean {
  return /^\$\{[^\n]*\}$/.test(text.trim());
}
