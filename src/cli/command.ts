/**
 * The shape of one `scaleout` CLI subcommand. `src/cli/main.ts` dispatches `scaleout <name> ...`
 * to the command of that name; each command lives in its own file under `src/cli/commands/`.
 */
export interface CliIo {
  /** Writes one line to standard output. */
  out(line: string): void;
  /** Writes one line to standard error (progress, warnings, errors). */
  err(line: string): void;
  /** The directory relative paths are resolved against. */
  readonly cwd: string;
}

/** One subcommand. */
export interface CliCommand {
  /** The word after `scaleout`. */
  readonly name: string;
  /** One line for `scaleout --help`. */
  readonly summary: string;
  /** The usage text printed by `scaleout <name> --help` and on a usage error. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code (0 ok, 1 findings or failure, 2 usage error). */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** A usage error: the CLI prints the message and the command's usage, and exits with 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
