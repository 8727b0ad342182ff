/**
 * `shoal container run|stop|logs` (and the `shoal run` alias): standalone
 * containers on the local node, outside any service — the compose-style half
 * of the migration path. `run` records the container together with an address
 * on each network in ONE CreateContainer call (the network is resolved by name
 * on the managers, so it works on a node that has nothing on it yet), and the
 * local agent starts it (the dispatcher hands it down like a
 * task). Without -d it follows the container's output until it ends and exits
 * with its exit code, as `docker run` does.
 */
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { logOptions, printLogs, withLogFlags } from './logs.js';
import { ShoalError } from '../../src/errors.js';
import { readNodeConfig } from '../../src/manager/node-config.js';
import { knownManagers } from '../../src/worker/known-managers.js';
import type { Container__Output } from '../../src/generated/shoal/v1/Container.js';
import { Api, targetFor, type GlobalArgs } from '../client.js';
import { parseKeyValue, toList } from '../parse.js';
import * as net from './network-api.js';

const RUN_WAIT_MS = 30_000;
const POLL_MS = 200;
const LOG_CHUNK_BYTES = 64 * 1024;

interface RunArgs extends GlobalArgs {
  name?: string | undefined;
  network: string[];
  ip?: string | undefined;
  env: string[];
  label: string[];
  networkAlias: string[];
  detach: boolean;
  image?: string | undefined;
  pull?: 'missing' | 'always' | 'never' | undefined;
  cmd?: unknown;
  '--'?: unknown;
}

function commandOf(a: { cmd?: unknown; '--'?: unknown }): string[] {
  const dashed = toList(a['--']);
  return dashed.length > 0 ? dashed : toList(a.cmd);
}

function localNodeId(dataDir: string): string {
  const c = readNodeConfig(resolve(dataDir));
  if (!c) {
    throw new ShoalError('FAILED_PRECONDITION', `a container runs on the local node, but ${resolve(dataDir)} holds no node: run \`shoal init\` or \`shoal join\` first`);
  }
  return c.nodeId;
}

/** Where the local agent writes a task's or container's output (see src/worker/agent.ts). */
export function localLogPath(dataDir: string, id: string): string {
  return join(resolve(dataDir), 'tasks', id, 'output.log');
}

/**
 * Where cluster calls go: -H if given; on a manager, its own socket; on a
 * worker (which holds no cluster state), a manager it knows.
 */
function clusterTarget(a: GlobalArgs): string {
  if (a.host) return a.host;
  const config = readNodeConfig(resolve(a.dataDir));
  if (config?.role !== 'worker') return targetFor(a);
  const manager = knownManagers(resolve(a.dataDir))[0];
  if (!manager) throw new ShoalError('FAILED_PRECONDITION', 'this worker knows no manager yet; pass one with -H HOST:PORT');
  return manager;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function run(a: RunArgs): Promise<void> {
  const argv = commandOf(a);
  const [command, ...args] = argv;
  if (!command && a.image === undefined) throw new ShoalError('INVALID_ARGUMENT', 'say what to run: shoal container run [options] -- CMD [ARG…] (or --image IMAGE)');
  if (a.pull !== undefined && a.image === undefined) throw new ShoalError('INVALID_ARGUMENT', '--pull needs --image');
  if (a.ip && a.network.length !== 1) throw new ShoalError('INVALID_ARGUMENT', '--ip needs exactly one --network (the address is on that network)');
  for (const e of a.env) parseKeyValue(e, '--env');
  const labels = Object.fromEntries(a.label.map((l) => parseKeyValue(l, '--label')));
  const nodeId = localNodeId(a.dataDir);
  const api = new Api(clusterTarget(a));
  try {
    // One call, one replicated command: the container and its addresses are recorded together,
    // so a crash at any point leaves either both or neither (never an address held for nothing).
    const networks = a.network.map((network) => ({ network, requestedAddress: a.ip ?? '' }));
    const check = a.name ? `shoal container inspect ${a.name}` : 'shoal container ls';
    const created = await net.createContainer(api, { name: a.name ?? '', nodeId, command: command ?? '', args, env: a.env, labels, networks, networkAliases: a.networkAlias, image: a.image ?? '', pull: a.pull ?? '' }, check);
    const id = created.container?.id;
    if (!id) throw new ShoalError('INTERNAL', 'the manager created the container but did not return it');
    const started = await afterCreate(id, a.name, () => waitForStart(api, id));
    if (a.detach) {
      process.stdout.write(`${id}\n`);
      return;
    }
    const ended = await afterCreate(id, a.name, () => follow(api, id, localLogPath(a.dataDir, id), started));
    if (ended.exitCode !== 0) process.exitCode = ended.exitCode > 0 && ended.exitCode < 256 ? ended.exitCode : 1;
  } finally {
    api.close();
  }
}

/** Errors after the container was recorded say so: it exists, whatever failed next. */
async function afterCreate<T>(id: string, name: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof ShoalError)) throw e;
    throw new ShoalError(e.code, `container ${name ? `${name} (${id})` : id} was created, but ${e.message}`);
  }
}

/** Waits until the agent has started the container (or it already ended). */
async function waitForStart(api: Api, id: string): Promise<Container__Output> {
  const deadline = Date.now() + RUN_WAIT_MS;
  for (;;) {
    const c = (await net.getContainer(api, id)).container;
    if (c && c.state !== 'CONTAINER_STATE_CREATED') return c;
    if (Date.now() > deadline) {
      throw new ShoalError('DEADLINE_EXCEEDED', `it has not started within ${RUN_WAIT_MS / 1000} s: is this node's agent connected? (see \`shoal node ls\`)`);
    }
    await sleep(POLL_MS);
  }
}

/** Copies the container's output to stdout until it has ended; returns its final record. */
async function follow(api: Api, id: string, logPath: string, first: Container__Output): Promise<Container__Output> {
  let offset = 0;
  let c = first;
  for (;;) {
    offset = copyNewOutput(logPath, offset);
    if (c.state === 'CONTAINER_STATE_EXITED' || c.state === 'CONTAINER_STATE_DEAD') {
      copyNewOutput(logPath, offset);
      return c;
    }
    await sleep(POLL_MS);
    const next = (await net.getContainer(api, id)).container;
    if (!next) throw new ShoalError('NOT_FOUND', 'it was removed while running');
    c = next;
  }
}

function copyNewOutput(path: string, offset: number): number {
  if (!existsSync(path)) return offset;
  const size = statSync(path).size;
  if (size <= offset) return offset;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(LOG_CHUNK_BYTES);
    let at = offset;
    while (at < size) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - at), at);
      if (n <= 0) break;
      process.stdout.write(buf.subarray(0, n));
      at += n;
    }
    return at;
  } finally {
    closeSync(fd);
  }
}

function runOptions<T>(y: Argv<T>): Argv<T & RunArgs> {
  return y
    .parserConfiguration({ 'populate--': true })
    .positional('cmd', { type: 'string', array: true, describe: 'The command and its arguments (after --)' })
    .option('name', { type: 'string', describe: 'Container name (unique; default: generated)' })
    .option('network', { type: 'string', default: [] as string[], coerce: toList, describe: 'Attach to an attachable network (repeatable)' })
    .option('ip', { type: 'string', describe: 'Request this address (with exactly one --network)' })
    .option('env', { alias: 'e', type: 'string', default: [] as string[], coerce: toList, describe: 'Environment KEY=VALUE (repeatable)' })
    .option('label', { type: 'string', default: [] as string[], coerce: toList, describe: 'Label k=v (repeatable)' })
    .option('network-alias', { type: 'string', default: [] as string[], coerce: toList, describe: 'An extra DNS name on its networks (repeatable)' })
    .option('image', { type: 'string', describe: "Run this container image through this node's Docker Engine (CMD after -- overrides the image's command)" })
    .option('pull', { choices: ['missing', 'always', 'never'] as const, describe: 'With --image: when to pull it (default missing)' })
    .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Print the container ID and return once it runs' })
    .example('$0 container run -d --name db --network backend -- redis-server', 'A standalone container on an attachable network') as unknown as Argv<T & RunArgs>;
}

export const RUN_COMMAND = 'run [cmd..]';
export const RUN_DESCRIPTION = 'Run a standalone container on this node: shoal container run [options] -- CMD [ARG…]';
export { runOptions, run as runContainer };

/** `container stop` and `container logs`, added to the `container` command's builder. */
export function addContainerLifecycle<T extends GlobalArgs>(y: Argv<T>): Argv<T> {
  return y
    .command(RUN_COMMAND, RUN_DESCRIPTION, (y2) => runOptions(y2), (a) => run(a))
    .command('stop <containers..>', 'Stop containers (they keep their addresses until rm)', (y2) => y2.positional('containers', { type: 'string', array: true, demandOption: true }), async (a) => {
      const api = new Api(clusterTarget(a));
      try {
        for (const ref of a.containers) {
          const c = (await net.getContainer(api, ref)).container;
          if (!c) throw new ShoalError('NOT_FOUND', `container "${ref}" not found`);
          if (c.state === 'CONTAINER_STATE_CREATED' || c.state === 'CONTAINER_STATE_RUNNING') {
            await net.updateContainer(api, { ref: c.id, version: c.version, state: 'CONTAINER_STATE_EXITED' });
          }
          process.stdout.write(`${ref}\n`);
        }
      } finally {
        api.close();
      }
    })
    .command(
      'logs <container>',
      "Print a container's output, from the node it runs on",
      (y2) => withLogFlags(y2.positional('container', { type: 'string', demandOption: true })),
      (a) => printLogs(clusterTarget(a), { container: a.container, options: logOptions(a, Date.now()) }, { prefix: false, timestamps: a.timestamps }),
    );
}
