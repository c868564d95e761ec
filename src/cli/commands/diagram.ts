/** `scaleout diagram [<templates dir>] --out <dir>`: an SVG of the architecture a synthesis describes. */
import * as path from 'path';
import { ScaleoutError } from '../../core/errors';
import { writeDiagram } from '../../diagram';
import { CliCommand, CliIo, CliUsageError } from '../command';

const USAGE = `usage: scaleout diagram [<templates dir>] --out <dir>

Draws the architecture of a Heat synthesis (<stack>.yaml with its member templates; or
templates/<example>/, whose heat/ is read) as <dir>/diagram.svg: tiers, autoscaling groups with
their sizes, load balancer, listener, pool and floating IP, services, security-group rules as
edges labelled with protocol/port, and alarm -> policy -> group chains.
<templates dir> defaults to the current folder.`;

/** The `diagram` subcommand. */
export const command: CliCommand = {
  name: 'diagram',
  summary: 'draw the architecture of a synthesis as an SVG (tiers, groups, load balancer, ports, alarms)',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    let out: string | undefined;
    const dirs: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--out') {
        out = args[++i];
        if (out === undefined || out.startsWith('--')) throw new CliUsageError('--out needs a folder');
      } else if (args[i].startsWith('--')) throw new CliUsageError(`unknown option ${args[i]}`);
      else dirs.push(args[i]);
    }
    if (out === undefined) throw new CliUsageError('give the output folder: --out <dir>');
    if (dirs.length > 1) throw new CliUsageError('give at most one templates folder');
    try {
      const file = writeDiagram(path.resolve(io.cwd, dirs[0] ?? '.'), path.resolve(io.cwd, out));
      io.out(path.relative(io.cwd, file) || file);
      return 0;
    } catch (e) {
      if (e instanceof ScaleoutError) {
        io.err(e.message);
        return 2;
      }
      throw e;
    }
  },
};
