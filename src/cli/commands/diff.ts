/**
 * `scaleout diff <old dir> <new dir>` and `scaleout diff --base <git ref> [<dir>]`: what changes
 * in behaviour, then in structure, between two syntheses.
 */
import * as path from 'path';
import { ScaleoutError } from '../../core/errors';
import { diffFolders, formatMarkdown, formatText, SynthesisDiff, withFolderAtRef } from '../../diff';
import { CliCommand, CliIo, CliUsageError } from '../command';

const USAGE = `usage: scaleout diff [options] <old dir> <new dir>
       scaleout diff [options] --base <git ref> [<dir>]

Compares two synthesized folders (Heat: <stack>.yaml + <stack>.env.yaml and member templates;
Terraform: cdk.tf.json with its embedded Heat groups; or templates/<example>/, whose heat/ is
read) and prints what changes in behaviour, then the resources added, removed and changed.
With --base, <dir> (default: the current folder) is compared with its content at <git ref>.

options:
  --format text|markdown        report format (default: text)
  --fail-on behaviour|any|none  exit 1 when there are such changes (default: any)`;

function parse(args: readonly string[]): { format: string; failOn: string; base?: string; dirs: string[] } {
  const out = { format: 'text', failOn: 'any', base: undefined as string | undefined, dirs: [] as string[] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new CliUsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--format') out.format = value();
    else if (a === '--fail-on') out.failOn = value();
    else if (a === '--base') out.base = value();
    else if (a.startsWith('--')) throw new CliUsageError(`unknown option ${a}`);
    else out.dirs.push(a);
  }
  if (!['text', 'markdown'].includes(out.format)) throw new CliUsageError(`--format must be text or markdown, got ${JSON.stringify(out.format)}`);
  if (!['behaviour', 'any', 'none'].includes(out.failOn)) throw new CliUsageError(`--fail-on must be behaviour, any or none, got ${JSON.stringify(out.failOn)}`);
  if (out.base !== undefined ? out.dirs.length > 1 : out.dirs.length !== 2) {
    throw new CliUsageError(out.base !== undefined ? 'with --base, give at most one folder' : 'give two folders: <old dir> <new dir>');
  }
  return out;
}

/** The `diff` subcommand. */
export const command: CliCommand = {
  name: 'diff',
  summary: 'what two syntheses do differently: scaling, open ports, load balancing, replaced servers',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const opts = parse(args);
    let result: SynthesisDiff;
    try {
      if (opts.base !== undefined) {
        const dir = path.resolve(io.cwd, opts.dirs[0] ?? '.');
        result = withFolderAtRef(dir, opts.base, (old) => diffFolders(old, dir));
      } else {
        result = diffFolders(path.resolve(io.cwd, opts.dirs[0]), path.resolve(io.cwd, opts.dirs[1]));
      }
    } catch (e) {
      if (e instanceof ScaleoutError) {
        io.err(e.message);
        return 2;
      }
      throw e;
    }
    for (const line of opts.format === 'markdown' ? formatMarkdown(result) : formatText(result)) io.out(line);
    if (opts.failOn === 'behaviour') return result.behaviour.length > 0 ? 1 : 0;
    if (opts.failOn === 'any') return result.behaviour.length + result.structure.length > 0 ? 1 : 0;
    return 0;
  },
};
