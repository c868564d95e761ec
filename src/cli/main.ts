#!/usr/bin/env node
/**
 * The `scaleout` command (package `bin`): `scaleout <command> [args]`. Each command is one file
 * in `commands/`; this file only dispatches, prints usage and turns errors into exit codes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliUsageError, type CliIo } from './command';
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
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof CliUsageError) {
      io.err(`scaleout ${name}: ${e.message}`);
      io.err(command.usage);
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
