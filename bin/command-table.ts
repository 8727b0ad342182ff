/**
 * Every top-level command of the CLI, with the module that implements it.
 *
 * A command loads only its own module (and what that imports): `shoal node ls`
 * does not load the daemon, SQLite or the worker. The other commands are
 * registered as stubs from this table (name and description only), so that
 * `shoal --help` and strict parsing see all of them. A word that is not in the
 * table (a typo: "did you mean") loads every module, as before the table.
 *
 * To add a command: register it in its module as usual, then add a row here
 * with the same command string and description (test/cli/command-table.test.ts
 * fails until the table and the modules agree).
 */
import type { Argv } from 'yargs';
import type { GlobalArgs } from './client.js';
import { commandWord } from './command-word.js';

export { commandWord };

type Register = (cli: Argv<GlobalArgs>) => Argv<GlobalArgs>;

/** The modules that register commands, each loaded on demand. */
const MODULES = {
  lifecycle: async (): Promise<Register> => (await import('./commands/lifecycle.js')).registerLifecycle,
  recovery: async (): Promise<Register> => (await import('./commands/recovery.js')).registerRecovery,
  info: async (): Promise<Register> => (await import('./commands/info.js')).registerInfo,
  cluster: async (): Promise<Register> => (await import('./commands/cluster.js')).registerCluster,
  ca: async (): Promise<Register> => (await import('./commands/ca.js')).registerCa,
  node: async (): Promise<Register> => (await import('./commands/node.js')).registerNode,
  network: async (): Promise<Register> => (await import('./commands/network.js')).registerNetwork,
  container: async (): Promise<Register> => (await import('./commands/network.js')).registerContainer,
  service: async (): Promise<Register> => (await import('./commands/service.js')).registerService,
  stack: async (): Promise<Register> => (await import('./commands/stack.js')).registerStack,
  run: async (): Promise<Register> => {
    const { RUN_COMMAND, runContainer, runOptions } = await import('./commands/container-run.js');
    return (cli) => cli.command(RUN_COMMAND, 'Alias of `shoal container run`', (y) => runOptions(y), (a) => runContainer(a));
  },
} as const;

export type CommandModule = keyof typeof MODULES;

export interface CommandRow {
  /** The command string as its module registers it (name and positionals). */
  readonly command: string;
  readonly describe: string;
  readonly module: CommandModule;
}

/** In the order `shoal --help` lists them. */
export const COMMAND_TABLE: readonly CommandRow[] = [
  { command: 'init', describe: 'Create a new cluster with this node as its only manager', module: 'lifecycle' },
  { command: 'join <manager-addr>', describe: 'Join a cluster as a worker or manager (the token decides)', module: 'lifecycle' },
  { command: 'start', describe: 'Start an existing node again from its data dir', module: 'lifecycle' },
  { command: 'stop', describe: 'Stop the local node daemon without leaving the cluster', module: 'lifecycle' },
  { command: 'leave', describe: 'Leave the cluster and stop the daemon', module: 'lifecycle' },
  { command: 'join-token <role>', describe: 'Print the command (or with -q the token) to join as worker or manager', module: 'lifecycle' },
  { command: 'backup', describe: 'Write a consistent copy of the cluster state to a file (online, on any manager)', module: 'recovery' },
  { command: 'info', describe: 'Show the cluster, this node, the leader, the managers and the networks on this node', module: 'info' },
  { command: 'cluster', describe: 'Show or change cluster-wide settings', module: 'cluster' },
  { command: 'ca', describe: 'The cluster\'s certificate authority', module: 'ca' },
  { command: 'node', describe: 'Manage the nodes of the cluster', module: 'node' },
  { command: 'network', describe: 'Manage overlay networks', module: 'network' },
  { command: 'container', describe: 'Manage standalone containers', module: 'container' },
  { command: 'service', describe: 'Manage services', module: 'service' },
  { command: 'stack', describe: 'Manage stacks (services and networks from compose files)', module: 'stack' },
  { command: 'run [cmd..]', describe: 'Alias of `shoal container run`', module: 'run' },
];

/** The table row a word selects (by the command's name, its first word). */
function rowFor(word: string | undefined): CommandRow | undefined {
  return word === undefined ? undefined : COMMAND_TABLE.find((r) => r.command.split(' ')[0] === word);
}

/**
 * Registers the commands on `cli` for this `argv`: the requested command's
 * module for real, the rest as stubs; with no command word (`shoal --help`),
 * stubs only. Shell completion needs every command's options, so it loads them
 * all, as does an unknown word (`all` does the same, for tests).
 */
export async function registerCommands(cli: Argv<GlobalArgs>, argv: readonly string[], all = false): Promise<Argv<GlobalArgs>> {
  const word = commandWord(argv);
  const row = rowFor(word);
  // A word the table does not know (a typo, or an option form the scan above does not parse, such
  // as `-qH host`) loads everything: yargs then decides exactly as it would without the table.
  const loadAll = all || word === 'completion' || argv.includes('--get-yargs-completions') || (word !== undefined && row === undefined);
  const wanted = new Set<CommandModule>(loadAll ? Object.keys(MODULES) as CommandModule[] : []);
  if (row) wanted.add(row.module);
  const registers = new Map<CommandModule, Register>();
  for (const module of wanted) registers.set(module, await MODULES[module]());
  // In table order, so help lists the commands in the same order however they were loaded.
  for (const r of COMMAND_TABLE) {
    const register = registers.get(r.module);
    if (register) {
      registers.delete(r.module); // a module registers all its commands at once
      cli = register(cli);
    } else if (!wanted.has(r.module)) {
      cli = cli.command(r.command, r.describe, {}, () => {
        // Unreachable: a command's own word always loads its module above.
        throw new Error(`internal error: the module of \`${r.command}\` was not loaded`);
      });
    }
  }
  return cli;
}
