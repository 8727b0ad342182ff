/**
 * A cluster of manager PROCESSES started through the real CLI (`cli.js
 * --data-dir D init|join|start|stop`, background mode) on free loopback ports,
 * with data dirs under os.tmpdir(). Fault tests kill (-9), pause (SIGSTOP) and
 * resume (SIGCONT) them by the pid in <data-dir>/shoal.pid and bring them back
 * with `shoal start`.
 *
 * Cleanup is unconditional: close() kills every process this harness ever
 * started and removes the temp dir; a process 'exit' hook does the same if a
 * test dies before close() runs.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Api } from '../../bin/client.js';
import { freePort } from '../helpers/in-process-cluster.js';
import { isAlive, processStartTime } from '../../src/process-info.js';

export { isAlive };

/** The compiled, unbundled CLI of this build (bin/cli.js in the output dir), which the tests drive; the daemons it starts run the daemon bundle (bin/daemon-entry.ts). */
export const CLI_PATH = resolve(fileURLToPath(import.meta.url), '../../../bin/cli.js');

const CLI_TIMEOUT_MS = 90_000;
const INFO_TIMEOUT_MS = 3_000;
const POLL_MS = 100;

export type ProcState = 'running' | 'paused' | 'killed' | 'stopped';

export interface ManagerProc {
  readonly name: string;
  readonly dataDir: string;
  readonly addr: string;
  /** A client over TCP to this manager. */
  readonly api: Api;
  nodeId: string;
  pid: number;
  state: ProcState;
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ClusterOptions {
  /** SHOAL_SNAPSHOT_EVERY: snapshot every this many applied entries. */
  readonly snapshotEvery?: number;
  /** SHOAL_SNAPSHOT_KEEP_ENTRIES: log entries kept behind a snapshot. */
  readonly snapshotKeepEntries?: number;
}

/** Every daemon this module started, with its start time: a pid alone may since name another process. */
const livePids = new Map<number, string | null>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

/** Last resort if a test process ends without close(): no orphan daemons, no temp dirs. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const cleanup = (): void => {
    for (const pid of livePids.keys()) hardKill(pid);
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  // A test runner stopping this file (timeout, Ctrl-C) must not leave daemons behind either.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(code);
    });
  }
}

/** SIGKILLs a daemon this module started, unless its pid now names another process. */
function hardKill(pid: number): void {
  const started = livePids.get(pid);
  if (started === undefined || (started !== null && processStartTime(pid) !== started)) return;
  try {
    process.kill(pid, 'SIGCONT'); // a paused process must run to die cleanly in ps
  } catch {
    // already gone
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}


export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs the CLI once; never throws for a non-zero exit (the caller checks `code`). */
export function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = CLI_TIMEOUT_MS): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [CLI_PATH, ...args],
      { timeout: timeoutMs, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
  });
}

async function cliOk(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<string> {
  const r = await runCli(args, env);
  if (r.code !== 0) throw new Error(`shoal ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** Whether a daemon this module started is still running (its pid not yet reused). */
function stillRunning(pid: number): boolean {
  const started = livePids.get(pid);
  return isAlive(pid) && (started === undefined || started === null || processStartTime(pid) === started);
}

function track(pid: number): void {
  if (!livePids.has(pid)) livePids.set(pid, processStartTime(pid));
}

function readPid(dataDir: string): number {
  const pid = Number(readFileSync(join(dataDir, 'shoal.pid'), 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`bad pid file in ${dataDir}`);
  return pid;
}

export class ProcCluster {
  readonly managers: ManagerProc[] = [];
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly env: Readonly<Record<string, string>>,
  ) {}

  /** Starts `count` managers: one `init`, then `join`s, and waits until all are voters under one leader. */
  static async start(count: number, opts: ClusterOptions = {}): Promise<ProcCluster> {
    installExitHook();
    const dir = mkdtempSync(join(tmpdir(), 'shoal-it-'));
    liveDirs.add(dir);
    const env: Record<string, string> = {};
    if (opts.snapshotEvery !== undefined) env['SHOAL_SNAPSHOT_EVERY'] = String(opts.snapshotEvery);
    if (opts.snapshotKeepEntries !== undefined) env['SHOAL_SNAPSHOT_KEEP_ENTRIES'] = String(opts.snapshotKeepEntries);
    const c = new ProcCluster(dir, env);
    try {
      const first = await c.launch('m1', ['init', '--listen-addr']);
      const token = (await cliOk(['--data-dir', first.dataDir, 'join-token', 'manager', '-q'])).trim();
      for (let i = 2; i <= count; i++) await c.launch(`m${i}`, ['join', '--token', token, first.addr, '--listen-addr']);
      await c.waitForVoters(count, 60_000);
      return c;
    } catch (e) {
      await c.close();
      throw e;
    }
  }

  /** `args` end with --listen-addr; the address is appended. */
  private async launch(name: string, args: readonly string[]): Promise<ManagerProc> {
    const dataDir = join(this.dir, name);
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    try {
      await cliOk(['--data-dir', dataDir, ...args, addr, '--hostname', name], this.env);
    } finally {
      // Record the pid even when the command failed after the daemon came up.
      if (existsSync(join(dataDir, 'shoal.pid'))) track(readPid(dataDir));
    }
    const pid = readPid(dataDir);
    const nodeId = (JSON.parse(readFileSync(join(dataDir, 'node.json'), 'utf8')) as { nodeId: string }).nodeId;
    const m: ManagerProc = { name, dataDir, addr, api: new Api(`unix://${join(dataDir, 'shoal.sock')}`), nodeId, pid, state: 'running' };
    this.managers.push(m);
    return m;
  }

  /** Joins one more manager through the CLI (`shoal join --token <manager token>`, which returns once it votes). */
  async joinManager(name: string, via: ManagerProc = this.managers[0]!): Promise<ManagerProc> {
    const token = (await cliOk(['--data-dir', via.dataDir, 'join-token', 'manager', '-q'])).trim();
    return this.launch(name, ['join', '--token', token, via.addr, '--listen-addr']);
  }

  running(): ManagerProc[] {
    return this.managers.filter((m) => m.state === 'running');
  }

  byNodeId(id: string): ManagerProc | undefined {
    return this.managers.find((m) => m.nodeId === id);
  }

  /** Runs the CLI against manager `m` (its local socket). */
  cli(m: ManagerProc, args: readonly string[]): Promise<CliResult> {
    return runCli(['--data-dir', m.dataDir, ...args], this.env);
  }

  kill9(m: ManagerProc): void {
    hardKill(m.pid);
    m.state = 'killed';
  }

  pause(m: ManagerProc): void {
    process.kill(m.pid, 'SIGSTOP');
    m.state = 'paused';
  }

  resume(m: ManagerProc): void {
    process.kill(m.pid, 'SIGCONT');
    m.state = 'running';
  }

  /**
   * `shoal start` on a killed or stopped manager; waits until the process is
   * gone first. `extraEnv` reaches the daemon (e.g. SHOAL_CRASH_AT); with
   * `expectCrash` the daemon must die before it is ready, and `start` fail.
   */
  async restart(m: ManagerProc, opts: { extraEnv?: Readonly<Record<string, string>>; expectCrash?: boolean } = {}): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (stillRunning(m.pid)) {
      if (Date.now() > deadline) throw new Error(`${m.name} (pid ${m.pid}) did not die`);
      await sleep(20);
    }
    try {
      const env = { ...this.env, ...opts.extraEnv };
      if (opts.expectCrash) {
        const r = await runCli(['--data-dir', m.dataDir, 'start'], env);
        if (r.code === 0) throw new Error(`${m.name} was expected to crash while starting, but it started`);
      } else {
        await cliOk(['--data-dir', m.dataDir, 'start'], env);
      }
    } finally {
      if (existsSync(join(m.dataDir, 'shoal.pid'))) {
        const pid = readPid(m.dataDir);
        if (isAlive(pid)) {
          track(pid);
          m.pid = pid;
        }
      }
    }
    m.state = opts.expectCrash ? 'killed' : 'running';
  }

  /** `shoal stop` (SIGTERM, orderly). */
  async stop(m: ManagerProc): Promise<void> {
    await cliOk(['--data-dir', m.dataDir, 'stop']);
    m.state = 'stopped';
  }

  /**
   * Waits until every manager in `among` (default: the running ones) answers
   * GetClusterInfo naming the same leader, which is one of them and says so
   * itself. Returns the leader and its term.
   */
  async waitForLeader(timeoutMs: number, among: readonly ManagerProc[] = this.running()): Promise<{ leader: ManagerProc; term: number }> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      const infos = await Promise.allSettled(among.map((m) => m.api.clusterInfo(INFO_TIMEOUT_MS)));
      const ok = infos.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      if (ok.length === among.length) {
        const leaders = new Set(ok.map((i) => i.leaderNodeId));
        const terms = new Set(ok.map((i) => Number(i.raftTerm)));
        const [leaderId] = [...leaders];
        const leader = leaderId ? among.find((m) => m.nodeId === leaderId) : undefined;
        if (leaders.size === 1 && terms.size === 1 && leader) return { leader, term: Number(ok[0]!.raftTerm) };
        last = `leaders ${[...leaders].join(',')} terms ${[...terms].join(',')}`;
      } else {
        const bad = infos.flatMap((r, i) => (r.status === 'rejected' ? [`${among[i]!.name}: ${String(r.reason)}`] : []));
        last = bad.join('; ');
      }
      await sleep(POLL_MS);
    }
    throw new Error(`no agreed leader among ${among.map((m) => m.name).join(',')} within ${timeoutMs} ms (${last})`);
  }

  private async waitForVoters(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { leader } = await this.waitForLeader(Math.max(1, deadline - Date.now()));
      const info = await leader.api.clusterInfo(INFO_TIMEOUT_MS);
      const reachable = info.managers.filter((x) => x.reachability === 'REACHABILITY_REACHABLE').length;
      const members = await new Promise<number>((res) => {
        leader.api.raft.ListMembers({}, { deadline: Date.now() + INFO_TIMEOUT_MS }, (err, r) => res(err || !r ? -1 : r.members.filter((x) => x.voter).length));
      });
      if (members === count && reachable === count) return;
      if (Date.now() > deadline) throw new Error(`only ${members} of ${count} managers became voters (${reachable} reachable)`);
      await sleep(POLL_MS);
    }
  }

  /** Lines of a manager's daemon log (shoal.log in its data dir). */
  logLines(m: ManagerProc): string[] {
    try {
      // Complete lines only: without the empty rest after the final newline, `length` counts lines
      // written so far, so `slice(length)` taken later starts at the first line written since.
      const lines = readFileSync(join(m.dataDir, 'shoal.log'), 'utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      return lines;
    } catch {
      return [];
    }
  }

  /** Kills every process this cluster started (paused ones are resumed to die) and removes its dir. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const m of this.managers) m.api.close();
    const pids = new Set(this.managers.map((m) => m.pid));
    for (const pid of pids) hardKill(pid);
    const deadline = Date.now() + 5_000;
    while ([...pids].some(stillRunning) && Date.now() < deadline) await sleep(20);
    for (const pid of pids) livePids.delete(pid);
    rmSync(this.dir, { recursive: true, force: true });
    liveDirs.delete(this.dir);
  }
}
