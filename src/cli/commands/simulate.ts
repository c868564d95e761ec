/**
 * `scaleout simulate <main HOT template | folder> --trace <built-in | file> --out <dir>
 * [--boot <s>] [--seed <n>] [--resize <s>] [--poll <s>] [--poll-phases <s,s,...>] [--vcpus <n>]`:
 * replays each autoscaling group's scaling on a load trace and writes `<dir>/<group>.json`,
 * `<dir>/<group>.csv` and `<dir>/<group>.svg`, then prints the summary. Exits 1 when a verdict
 * fails, 2 on a usage error.
 */
import * as path from 'path';
import { ScaleoutError } from '../../core/errors';
import { simulateTemplates, writeSimulation } from '../../simulate/output';
import { summaryLines } from '../../simulate/summary';
import { BUILT_IN_TRACES } from '../../simulate/trace';
import { CliUsageError, type CliCommand, type CliIo } from '../command';

const USAGE = [
  'usage: scaleout simulate <main HOT template | folder> --trace <name | file.csv | file.json> --out <dir>',
  '                         [--boot <seconds>] [--seed <n>] [--resize <seconds>] [--poll <seconds>]',
  '                         [--poll-phases <s,s,...>] [--vcpus <n>]',
  `  built-in traces: ${Object.entries(BUILT_IN_TRACES)
    .map(([k, v]) => `\n    ${k}: ${v.summary}`)
    .join('')}`,
  '  a trace file gives t (seconds) and demand (the metric\'s units: vCPU-seconds per second for cpu)',
].join('\n');

const VALUED = ['--trace', '--out', '--boot', '--seed', '--resize', '--poll', '--poll-phases', '--vcpus'];

function parse(args: readonly string[]): { input: string; flags: Record<string, string> } {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      if (!VALUED.includes(a)) throw new CliUsageError(`unknown option ${a}`);
      const v = args[i + 1];
      if (v === undefined || v.startsWith('--')) throw new CliUsageError(`${a} needs a value`);
      if (flags[a] !== undefined) throw new CliUsageError(`${a} given twice`);
      flags[a] = v;
      i++;
    } else positional.push(a);
  }
  if (positional.length !== 1) throw new CliUsageError(positional.length === 0 ? 'give the main HOT template or its folder' : `give one template or folder, got ${positional.length}`);
  if (!flags['--trace']) throw new CliUsageError('--trace is required');
  if (!flags['--out']) throw new CliUsageError('--out is required');
  return { input: positional[0], flags };
}

function number(flags: Record<string, string>, name: string, integer = false): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new CliUsageError(`${name} must be ${integer ? 'a whole number' : 'a number'} of at least 0, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** The `simulate` subcommand. */
export const command: CliCommand = {
  name: 'simulate',
  summary: 'Replay the scaling of each autoscaling group on a load trace; write a timeline and a chart per group',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      io.out(USAGE);
      return 0;
    }
    let parsed: { input: string; flags: Record<string, string> };
    let phases: number[] | undefined;
    try {
      parsed = parse(args);
      const p = parsed.flags['--poll-phases'];
      if (p !== undefined) {
        phases = p.split(',').map((s) => Number(s.trim()));
        if (phases.some((n) => !Number.isFinite(n) || n < 0)) throw new CliUsageError(`--poll-phases must list seconds separated by commas, got ${JSON.stringify(p)}`);
      }
    } catch (e) {
      if (e instanceof CliUsageError) {
        io.err(`scaleout simulate: ${e.message}`);
        io.err(USAGE);
        return 2;
      }
      throw e;
    }
    const { input, flags } = parsed;
    try {
      const sims = simulateTemplates(path.resolve(io.cwd, input), flags['--trace'], {
        cwd: io.cwd,
        bootSeconds: number(flags, '--boot'),
        resizeSeconds: number(flags, '--resize'),
        pollIntervalSeconds: number(flags, '--poll'),
        pollPhases: phases,
        seed: number(flags, '--seed', true),
        vcpus: number(flags, '--vcpus', true),
      });
      const outDir = path.resolve(io.cwd, flags['--out']);
      writeSimulation(sims, outDir);
      for (const sim of sims) {
        for (const line of summaryLines(sim.summary)) io.out(line);
        io.out(`  files: ${['json', 'csv', 'svg'].map((x) => path.relative(io.cwd, path.join(outDir, `${sim.id}.${x}`)) || '.').join(', ')}`);
      }
      return sims.some((s) => s.summary.verdict === 'fail') ? 1 : 0;
    } catch (e) {
      if (e instanceof CliUsageError) {
        io.err(`scaleout simulate: ${e.message}`);
        io.err(USAGE);
        return 2;
      }
      if (e instanceof ScaleoutError) {
        io.err(e.message);
        return 2;
      }
      throw e;
    }
  },
};
