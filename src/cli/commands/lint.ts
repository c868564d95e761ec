/**
 * `scaleout lint [options] [<templates dir>...]`: runs the Scaleout policy pack over synthesized
 * templates (every Heat folder and every `cdk.tf.json` folder below each directory), honouring the
 * suppressions written into them. Exit 0 when no unsuppressed error remains, 1 otherwise.
 * (`--app "<cmd>"`, which synthesizes a user's app first, is routed by the CLI's main.)
 */
import * as path from 'path';
import { CliUsageError, type CliCommand, type CliIo } from '../command';
import { formatPolicyFinding, PolicyPack, unsuppressed } from '../../lint/pack';

const USAGE = `Usage: scaleout lint [--boot-seconds <n>] [--max-ratio <n>] [--show-suppressed] [--json] [<templates dir>...]

Runs the Scaleout policy pack over synthesized templates: each folder holding <stack>.env.yaml
(Heat) or cdk.tf.json (Terraform) below the given directories (default: the current directory).
Suppressions written into the templates (PolicyPack.suppress) are honoured.

  --boot-seconds <n>   seconds a new member needs to boot and report (default 120)
  --max-ratio <n>      a group's max may be this many times its min (default 10)
  --show-suppressed    also list suppressed findings with their reasons
  --json               print the report as JSON

Exit status: 0 no unsuppressed error, 1 unsuppressed errors, 2 usage error.`;

function numberArg(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n < 0) throw new CliUsageError(`${name} needs a number >= 0, got ${JSON.stringify(value ?? null)}`);
  return n;
}

export const command: CliCommand = {
  name: 'lint',
  summary: 'Check synthesized templates against the Scaleout policy pack',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const dirs: string[] = [];
    const options: { bootSeconds?: number; maxToMinRatio?: number } = {};
    let showSuppressed = false;
    let json = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--boot-seconds') options.bootSeconds = numberArg(a, args[++i]);
      else if (a === '--max-ratio') options.maxToMinRatio = numberArg(a, args[++i]);
      else if (a === '--show-suppressed') showSuppressed = true;
      else if (a === '--json') json = true;
      else if (a.startsWith('-')) throw new CliUsageError(`unknown option ${a}`);
      else dirs.push(a);
    }
    const roots = (dirs.length ? dirs : ['.']).map((d) => path.resolve(io.cwd, d));
    let report;
    try {
      report = PolicyPack.scaleout(options).checkFolders(roots);
    } catch (e) {
      io.err(`scaleout lint: ${(e as Error).message}`);
      return 1;
    }
    const rel = (f: { source: string }) => path.relative(io.cwd, f.source) || '.';
    const findings = report.findings.map((f) => ({ ...f, source: rel(f) }));
    if (json) {
      io.out(JSON.stringify({ outputs: report.outputs.map((o) => ({ ...o, source: rel(o) })), findings, compliant: report.compliant }, null, 2));
    } else {
      for (const f of findings) if (!f.suppressed || showSuppressed) io.out(formatPolicyFinding(f));
    }
    if (report.outputs.length === 0) {
      io.err(`scaleout lint: no synthesized templates found below ${roots.map((r) => path.relative(io.cwd, r) || '.').join(', ')}`);
      return 1;
    }
    const errors = unsuppressed(report, 'error').length;
    const warnings = unsuppressed(report, 'warning').length;
    const suppressed = report.findings.length - errors - warnings;
    io.err(`scaleout lint: ${errors} error(s), ${warnings} warning(s), ${suppressed} suppressed, ${report.compliant} compliant`);
    return errors > 0 ? 1 : 0;
  },
};
