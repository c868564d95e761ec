import * as path from 'path';
import { parseArgs, oneOf } from '../args';
import { synthesizeApp } from '../app-runner';
import { CliUsageError, type CliCommand } from '../command';
import { findHeatStacks, findTerraformStacks } from '../templates';

const USAGE = `scaleout synth [--app "<cmd>"] [--target heat|terraform|both] [--out DIR]

Runs your app and writes its templates:
  DIR/heat/<stack>/<stack>.yaml, <stack>.env.yaml and nested templates   (openstack stack create)
  DIR/terraform/stacks/<stack>/cdk.tf.json and its assets               (terraform plan/apply)

  --app     the command that runs your app (default: "app" of ./cdktf.json)
  --target  which templates to write (default: both)
  --out     output folder (default: scaleout.out)`;

/** `scaleout synth`: runs the app and writes Heat and/or Terraform templates. */
export const command: CliCommand = {
  name: 'synth',
  summary: 'run your app and write its Heat and/or Terraform templates',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, { options: ['app', 'target', 'out'] });
    if (parsed.positionals.length > 0) throw new CliUsageError(`unexpected argument '${parsed.positionals[0]}'`);
    const target = oneOf(parsed, 'target', ['heat', 'terraform', 'both'] as const, 'both');
    const outdir = path.resolve(io.cwd, parsed.options.get('out') ?? 'scaleout.out');
    const targets = target === 'both' ? (['heat', 'terraform'] as const) : ([target] as const);
    io.err(`scaleout synth: running ${parsed.options.get('app') ?? 'the app of cdktf.json'} (${targets.join(' + ')})`);
    const result = await synthesizeApp({ app: parsed.options.get('app'), cwd: io.cwd, outdir, targets, onStderr: (l) => io.err(l) });
    let stacks = 0;
    if (result.heatDir) {
      for (const s of findHeatStacks(result.heatDir)) {
        stacks++;
        io.out(`heat: ${path.relative(io.cwd, path.join(s.dir, `${s.name}.yaml`))} (+ ${s.name}.env.yaml, ${Object.keys(s.files).length} nested)`);
      }
    }
    if (result.terraformDir) {
      for (const s of findTerraformStacks(result.terraformDir)) {
        stacks++;
        io.out(`terraform: ${path.relative(io.cwd, s.file)}`);
      }
      // With Heat, Scaleout's own warnings were printed by the app; the engine's annotations add the user's.
      for (const a of result.annotations) {
        if (result.heatDir && a.message.includes('[scaleout:')) continue;
        io.err(`[${levelName(a.level)}] ${a.path}: ${a.message}`);
      }
    }
    if (stacks === 0) {
      io.err('scaleout synth: the app synthesized no stack');
      return 1;
    }
    const errors = result.annotations.filter((a) => levelName(a.level) === 'ERROR').length;
    return errors > 0 ? 1 : 0;
  },
};

/** cdktf's annotation levels (`@cdktf/warn`) as the words Scaleout prints. */
function levelName(level: string): string {
  const word = level.replace(/^@cdktf\//, '').toUpperCase();
  return word === 'WARN' ? 'WARNING' : word;
}
