/**
 * The `shoal` command line, in the spirit of `docker swarm` / `docker node`.
 * Exit codes: 0 success; 1 an error (`Error: …` on stderr); 2 a usage error.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { resolve } from 'node:path';
import { isShoalError } from '../src/errors.js';
import { defaultDataDir, type GlobalArgs } from './client.js';
import { registerLifecycle } from './commands/lifecycle.js';
import { registerNode } from './commands/node.js';
import { registerInfo } from './commands/info.js';
import { registerCluster } from './commands/cluster.js';
import { registerCa } from './commands/ca.js';
import { registerNetwork, registerContainer } from './commands/network.js';
import { registerService } from './commands/service.js';
import { RUN_COMMAND, runContainer, runOptions } from './commands/container-run.js';

class UsageError extends Error {}

export function buildCli(argv: readonly string[]): Argv<GlobalArgs> {
  let cli = yargs([...argv])
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
    .option('tls-dir', { type: 'string', default: process.env['SHOAL_TLS_DIR'], defaultDescription: '$SHOAL_TLS_DIR', describe: 'Client certificate for -H HOST:PORT: a directory with ca.pem, cert.pem, key.pem (`shoal ca client-cert`)', global: true })
    .middleware((a) => {
      // The API client reads both from the environment (bin/tls.ts), so every command gets them.
      if (typeof a['tlsDir'] === 'string' && a['tlsDir'] !== '') process.env['SHOAL_TLS_DIR'] = a['tlsDir'];
      if (typeof a['dataDir'] === 'string') process.env['SHOAL_DATA_DIR'] = resolve(a['dataDir']);
    })
    .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Output format', global: true })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Only print IDs', global: true })
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
  cli = registerLifecycle(cli);
  cli = registerInfo(cli);
  cli = registerCluster(cli);
  cli = registerCa(cli);
  cli = registerNode(cli);
  cli = registerNetwork(cli);
  cli = registerContainer(cli);
  cli = registerService(cli);
  cli = cli.command(RUN_COMMAND, 'Alias of `shoal container run`', (y) => runOptions(y), (a) => runContainer(a));
  return cli;
}

async function main(): Promise<void> {
  try {
    await buildCli(hideBin(process.argv)).parseAsync();
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`Error: ${e.message}\nSee 'shoal --help'.\n`);
      process.exitCode = 2;
      return;
    }
    const message = isShoalError(e) || e instanceof Error ? e.message : String(e);
    process.stderr.write(`Error: ${message}\n`);
    process.exitCode = 1;
  }
}

await main();
