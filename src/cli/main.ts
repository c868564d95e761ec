#!/usr/bin/env node
/**
 * The `scaleout` command (package `bin`): `scaleout <command> [args]`. Each command is one file
 * in `commands/`; this file only dispatches, prints usage and turns errors into exit codes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { heatStackDirs, synthesizeApp } from './app-runner';
import { CliUsageError, type CliCommand, type CliIo } from './command';
import { COMMANDS } from './commands';

function version(): string {
  // The package root is above src/cli (ts-node) or lib/src/cli (the built package).
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'scaleout' && pkg.version) return pkg.version;
    }
  }
  return 'unknown';
}

/** The overview printed by `scaleout --help`. */
export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: scaleout <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'scaleout <command> --help' for a command's options.",
  ].join('\n');
}

/**
 * The commands that read written templates also take `--app "<cmd>"`: the app is synthesized into a
 * temporary folder (deleted afterwards) and the command runs on what it wrote.
 */
const APP_ROUTE: Readonly<Record<string, { readonly targets: ReadonlyArray<'heat' | 'terraform'>; readonly oneStack: boolean }>> = {
  lint: { targets: ['heat', 'terraform'], oneStack: false },
  simulate: { targets: ['heat'], oneStack: true },
  diagram: { targets: ['heat'], oneStack: true },
};

async function runOnApp(command: CliCommand, args: readonly string[], at: number, route: (typeof APP_ROUTE)[string], io: CliIo): Promise<number> {
  const app = args[at + 1];
  if (app === undefined || app.startsWith('--')) throw new CliUsageError('option --app needs a value: the command that runs your app');
  const rest = [...args.slice(0, at), ...args.slice(at + 2)];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-app-'));
  try {
    io.err(`scaleout ${command.name}: synthesizing ${app}`);
    const result = await synthesizeApp({ app, cwd: io.cwd, outdir: dir, targets: route.targets, onStderr: (l) => io.err(l) });
    let input = dir;
    if (route.oneStack) {
      const stacks = heatStackDirs(result.heatDir!);
      if (stacks.length !== 1) {
        throw new CliUsageError(`--app synthesized ${stacks.length} stacks (${stacks.map((s) => path.basename(s)).join(', ')}); run 'scaleout synth' and pass the folder of one stack`);
      }
      input = stacks[0];
    }
    return await command.run([input, ...rest], io);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`scaleout: unknown command '${name}'`);
    io.err(overview());
    return 2;
  }
  const usage = APP_ROUTE[command.name] ? `${command.usage}\n\n  --app "<cmd>"  run your app (as 'scaleout synth' does) and use the templates it writes instead of a folder` : command.usage;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(usage);
    return 0;
  }
  try {
    const fromApp = APP_ROUTE[command.name];
    const appAt = rest.indexOf('--app');
    if (fromApp && appAt !== -1) return await runOnApp(command, rest, appAt, fromApp, io);
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof CliUsageError) {
      io.err(`scaleout ${name}: ${e.message}`);
      io.err(usage);
      return 2;
    }
    io.err(`scaleout ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (require.main === module) {
  const io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`), cwd: process.cwd() };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`scaleout: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
