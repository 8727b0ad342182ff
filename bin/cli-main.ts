/**
 * The `shoal` command line, in the spirit of `docker swarm` / `docker node`.
 * Exit codes: 0 success; 1 an error (`Error: …` on stderr); 2 a usage error.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { resolve } from 'node:path';
import { errorMessage } from './error-message.js';
import type { GlobalArgs } from './client.js';
import { defaultDataDir } from './data-dir.js';
import { registerCommands } from './command-table.js';

class UsageError extends Error {}

/** The CLI for `argv`, with only the modules that command needs loaded (see command-table.ts); `all` loads every command. */
export async function buildCli(argv: readonly string[], all = false): Promise<Argv<GlobalArgs>> {
  const cli = yargs([...argv])
    .scriptName('shoal')
    .usage('$0 <command> [options]\n\nShoal: a swarm-mode cluster control plane (Raft-replicated managers, overlay-network IPAM).')
    .option('data-dir', {
      type: 'string',
      default: defaultDataDir(),
      defaultDescription: '$SHOAL_DATA_DIR or ~/.shoal',
      describe: "The node's state directory",
      global: true,
    })
    .option('host', { alias: 'H', type: 'string', default: process.env['SHOAL_HOST'], defaultDescription: '$SHOAL_HOST or the local node', describe: 'Node to talk to: unix:///path or HOST:PORT (default: the local node)', global: true })
    .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Output format', global: true })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Only print IDs', global: true })
    .option('tls-dir', { type: 'string', default: process.env['SHOAL_TLS_DIR'], defaultDescription: '$SHOAL_TLS_DIR', describe: 'Client certificate for -H HOST:PORT: a directory with ca.pem, cert.pem, key.pem (`shoal ca client-cert`)', global: true })
    .middleware((a) => {
      // The API client reads both from the environment (bin/tls.ts), so every command gets them.
      if (typeof a['tlsDir'] === 'string' && a['tlsDir'] !== '') process.env['SHOAL_TLS_DIR'] = a['tlsDir'];
      if (typeof a['dataDir'] === 'string') process.env['SHOAL_DATA_DIR'] = resolve(a['dataDir']);
    })
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Say what to do: a command is required (see `shoal --help`).')
    .completion('completion', 'Print a bash/zsh completion script')
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(msg);
    }) as unknown as Argv<GlobalArgs>;
  skipHelpCache(cli);
  return registerCommands(cli, argv, all);
}

/** The part of yargs's internals skipHelpCache reaches (yargs 18: one usage object per instance, kept across its resets). */
interface YargsUsageInternals {
  getInternalMethods(): { getUsageInstance(): { cacheHelpMessage: () => void } };
}

/**
 * yargs renders the help text of every command it runs, before the handler, and keeps it for a
 * later showHelp()/getHelp() (once an async handler runs, its command's usage state is gone). This
 * CLI never asks for it: its `.fail` prints a message and no help, and no handler shows help. The
 * rendering was ≈ 3 % of `shoal node ls`'s CPU (docs/design/startup.md), so it is switched off here.
 */
function skipHelpCache(cli: Argv<GlobalArgs>): void {
  (cli as unknown as YargsUsageInternals).getInternalMethods().getUsageInstance().cacheHelpMessage = () => undefined;
}

/** Runs the command in process.argv; sets process.exitCode (1 an error, 2 a usage error). */
export async function main(): Promise<void> {
  try {
    await (await buildCli(hideBin(process.argv))).parseAsync();
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`Error: ${e.message}\nSee 'shoal --help'.\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`Error: ${await errorMessage(e)}\n`);
    process.exitCode = 1;
  }
}

