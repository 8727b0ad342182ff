import type { Argv } from 'yargs';
import type { GlobalArgs } from '../client.js';

/** `shoal service …` (filled in by the object-model work). */
export function registerService(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli;
}
