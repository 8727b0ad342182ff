import type { Argv } from 'yargs';
import type { GlobalArgs } from '../client.js';

/** `shoal network …` (filled in by the network-allocator work). */
export function registerNetwork(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli;
}

/** `shoal container …` (filled in by the network-allocator work). */
export function registerContainer(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli;
}
