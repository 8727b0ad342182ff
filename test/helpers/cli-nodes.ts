/**
 * Real node daemons on this machine, each in a data dir of its own under one temp dir, driven
 * through the CLI as a user would (`shoal --data-dir DIR …`): the scaffolding the real-process
 * tests share. `cleanup()` ends everything they started, also after a failure: it wakes frozen
 * daemons (SIGCONT), stops them, kills task processes their agents recorded and a daemon that
 * did not stop, and removes the dir (kept with SHOAL_TEST_KEEP=1, to look at a failure's logs).
 * `managerAndWorker()` is the common start: `init` a manager, `join` a worker to it, and
 * optionally create attachable networks.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isAlive } from '../../src/worker/process-executor.js';
import { SOCKET_FILE } from '../../src/manager/paths.js';
import { Api } from '../../bin/client.js';
import { freePort } from './in-process-cluster.js';
import { killStoredTasks } from './task-cleanup.js';

const run = promisify(execFile);
export const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');
const CALL_TIMEOUT_MS = 60_000;

export interface ManagerAndWorkerOptions {
  /** Node names (and hostnames); m1 and w1 by default. */
  readonly manager?: string;
  readonly worker?: string;
  /** Attachable networks the manager creates once the worker has joined (`network create --attachable --subnet`). */
  readonly attachable?: readonly { readonly name: string; readonly subnet: string }[];
}

export class CliNodes {
  readonly dir: string;
  /** The API clients that managerAndWorker() opened; closed by cleanup(). */
  private readonly apis: Api[] = [];

  /** `envOf`: each node's CLI (and so its daemon's) environment; the test's own by default. */
  constructor(
    prefix: string,
    readonly nodes: readonly string[],
    private readonly envOf: (node: string) => NodeJS.ProcessEnv = () => process.env,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `shoal-${prefix}-`));
  }

  dataDir(node: string): string {
    return join(this.dir, node);
  }

  /** `shoal --data-dir <node's dir> …`; its stdout. Rejects on a non-zero exit. */
  async shoal(node: string, ...args: string[]): Promise<string> {
    return this.shoalWithin(CALL_TIMEOUT_MS, node, ...args);
  }

  async shoalWithin(timeoutMs: number, node: string, ...args: string[]): Promise<string> {
    return (await run(process.execPath, [CLI, '--data-dir', this.dataDir(node), ...args], { timeout: timeoutMs, env: this.envOf(node) })).stdout;
  }

  /** A command that must fail: its stderr (fails the test if it succeeds). */
  async shoalFails(node: string, ...args: string[]): Promise<string> {
    return run(process.execPath, [CLI, '--data-dir', this.dataDir(node), ...args], { timeout: CALL_TIMEOUT_MS, env: this.envOf(node) }).then(
      (r) => {
        throw new Error(`shoal ${args.join(' ')} succeeded: ${r.stdout}`);
      },
      (e: { stderr?: string }) => e.stderr ?? '',
    );
  }

  /**
   * `init` the manager on a free loopback port, `join` the worker to it with a worker token, then
   * create the attachable networks. Returns an API client on the manager's unix socket (closed by
   * cleanup()) and the manager's address.
   */
  async managerAndWorker(opts: ManagerAndWorkerOptions = {}): Promise<{ api: Api; managerAddr: string }> {
    const manager = opts.manager ?? 'm1';
    const worker = opts.worker ?? 'w1';
    const managerAddr = `127.0.0.1:${await freePort()}`;
    await this.shoal(manager, 'init', '--listen-addr', managerAddr, '--hostname', manager);
    const api = new Api(`unix://${join(this.dataDir(manager), SOCKET_FILE)}`);
    this.apis.push(api);
    const token = (await this.shoal(manager, 'join-token', 'worker', '-q')).trim();
    await this.shoal(worker, 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', worker, managerAddr);
    for (const n of opts.attachable ?? []) await this.shoal(manager, 'network', 'create', '--attachable', '--subnet', n.subnet, n.name);
    return { api, managerAddr };
  }

  /** The node daemon's pid from its pid file (throws when there is none). */
  pidOf(node: string): number {
    return Number(readFileSync(join(this.dataDir(node), 'shoal.pid'), 'utf8').split('\n')[0]);
  }

  async cleanup(): Promise<void> {
    for (const api of this.apis.splice(0)) api.close();
    for (const n of this.nodes) this.signal(n, 'SIGCONT'); // a frozen daemon would not hear `stop`
    await Promise.all(this.nodes.map((n) => this.shoal(n, 'stop').catch(() => undefined)));
    for (const n of this.nodes) {
      killStoredTasks(this.dataDir(n));
      this.signal(n, 'SIGKILL', true);
    }
    if (process.env['SHOAL_TEST_KEEP']) process.stderr.write(`kept ${this.dir}\n`);
    else rmSync(this.dir, { recursive: true, force: true });
  }

  private signal(node: string, sig: NodeJS.Signals, onlyAlive = false): void {
    try {
      const pid = this.pidOf(node);
      if (pid > 0 && (!onlyAlive || isAlive(pid))) process.kill(pid, sig);
    } catch {
      // never started, or already gone
    }
  }
}
