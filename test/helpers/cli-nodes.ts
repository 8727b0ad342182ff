/**
 * Real node daemons on this machine, each in a data dir of its own under one temp dir, driven
 * through the CLI as a user would (`shoal --data-dir DIR …`): the scaffolding the real-process
 * tests share. `cleanup()` ends everything they started, also after a failure: it wakes frozen
 * daemons (SIGCONT), stops them, kills task processes their agents recorded and a daemon that
 * did not stop, and removes the dir (kept with SHOAL_TEST_KEEP=1, to look at a failure's logs).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isAlive } from '../../src/worker/process-executor.js';
import { killStoredTasks } from './task-cleanup.js';

const run = promisify(execFile);
export const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');
const CALL_TIMEOUT_MS = 60_000;

export class CliNodes {
  readonly dir: string;

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

  /** The node daemon's pid from its pid file (throws when there is none). */
  pidOf(node: string): number {
    return Number(readFileSync(join(this.dataDir(node), 'shoal.pid'), 'utf8').split('\n')[0]);
  }

  async cleanup(): Promise<void> {
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
