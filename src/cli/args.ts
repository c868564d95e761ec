import { CliUsageError } from './command';

/** Parsed command-line arguments: `--name value` options, `--flag` switches, and positionals. */
export interface ParsedArgs {
  readonly options: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

/**
 * Parses `args` against the options that take a value and the switches a command knows; anything
 * else starting with `--` is a usage error naming the known ones. `--name=value` works too.
 */
export function parseArgs(args: readonly string[], known: { readonly options?: readonly string[]; readonly flags?: readonly string[] }): ParsedArgs {
  const optionNames = new Set(known.options ?? []);
  const flagNames = new Set(known.flags ?? []);
  const options = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (optionNames.has(name)) {
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new CliUsageError(`option --${name} needs a value`);
      if (options.has(name)) throw new CliUsageError(`option --${name} is given twice`);
      options.set(name, value);
    } else if (flagNames.has(name) && eq === -1) {
      flags.add(name);
    } else {
      const all = [...optionNames, ...flagNames].map((n) => `--${n}`);
      throw new CliUsageError(`unknown option ${arg}${all.length > 0 ? `; known: ${all.join(', ')}` : ''}`);
    }
  }
  return { options, flags, positionals };
}

/** The value of an option that must be one of `allowed`. */
export function oneOf<T extends string>(parsed: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const value = parsed.options.get(name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new CliUsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}
