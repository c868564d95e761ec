/** Every `scaleout` subcommand, in the order `scaleout --help` lists them. */
import type { CliCommand } from '../command';
import { command as diagram } from './diagram';
import { command as diff } from './diff';
import { command as lint } from './lint';
import { command as simulate } from './simulate';
import { command as synth } from './synth';
import { command as validate } from './validate';

export const COMMANDS: readonly CliCommand[] = [synth, validate, simulate, lint, diff, diagram];
