import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShoalError } from '../src/errors.js';
import { LOG_FILE_NAME, PID_FILE, SOCKET_FILE } from '../src/manager/paths.js';
import { isAlive, processStartTime } from '../src/process-info.js';
import { Api } from './client.js';
import type { GetClusterInfoResponse__Output } from '../src/generated/shoal/v1/GetClusterInfoResponse.js';
import { daemonEntry, type DaemonEntry } from './daemon-entry.js';
import { DAEMON_PLAN_ENV, type DaemonPlan } from './daemon-plan.js';

const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 20; // a poll is one stat and, once the socket exists, one local call: cheap next to the wait it saves
const STOP_TIMEOUT_MS = 15_000;

/**
 * The daemon entry in this module's directory (dist/bin; bin/daemon-entry.ts
 * picks the bundled daemon or dist/bin/daemon.js), so the daemon runs the code
 * of the build that starts it, also from a build in another output directory.
 * The bundled CLI (bin/shoal.cjs) maps this module's import.meta.url to its
 * place in dist, so its daemons run the same files.
 */
function entryScript(): DaemonEntry {
  return daemonEntry(resolve(fileURLToPath(import.meta.url), '..'));
}

/**
 * Node flags of the daemon. A young generation of at most 2 MB per semi-space
 * (V8's default grows to 16 MB) saves 8–12 MB resident: the daemon allocates
 * little per call, so the smaller nursery costs no measurable CPU per API call.
 * One V8 platform worker thread instead of four (`--v8-pool-size=1`; they run
 * concurrent GC marking, sweeping and optimising compiles) saves another 4–5 MB
 * of thread stacks and allocator arenas on an idle manager; the daemon's live
 * heap is small, so there is little parallel GC work for the others to share
 * (docs/benchmarks.md, 2026-12-07 and "Idle manager memory and V8 threads").
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--v8-pool-size=1'];

/**
 * glibc's malloc, tuned for the daemon through its environment (read once, at process start).
 * A fixed mmap threshold of 128 KiB: by default glibc raises the threshold each time a large
 * block is freed, after which such blocks come from the arenas and their memory stays there;
 * start-up frees many (compilation zones, init's certificate worker), and an idle manager kept
 * ≈ 2–3 MB of free arena memory. With the threshold fixed they are mapped and unmapped. No
 * measurable CPU cost per API write (docs/benchmarks.md, "Idle memory and `init`, again").
 * A value already in the environment is kept.
 */
export const DAEMON_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };

/**
 * More node flags for the daemon, space-separated, for diagnosis (e.g. `--cpu-prof --cpu-prof-dir=DIR`,
 * which NODE_OPTIONS does not allow). Used by `bench:raft --cpu-prof`.
 */
export const DAEMON_EXTRA_NODE_FLAGS_ENV = 'SHOAL_DAEMON_EXTRA_NODE_FLAGS';

function extraNodeFlags(): string[] {
  return (process.env[DAEMON_EXTRA_NODE_FLAGS_ENV] ?? '').split(' ').filter((f) => f !== '');
}

/**
 * Starts the node daemon detached with `plan` (bin/daemon-plan.ts), logging to
 * <data-dir>/shoal.log, and waits until the node answers on its local socket.
 * If the daemon dies first, its last `Error:` line becomes this command's error.
 * `whenReady` runs then on the same connection (no second channel to set up).
 */
export async function startInBackground(dataDir: string, plan: DaemonPlan, whenReady?: (api: Api, info: GetClusterInfoResponse__Output) => Promise<void>): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const logPath = join(dataDir, LOG_FILE_NAME);
  const logFd = openSync(logPath, 'a');
  const entry = entryScript();
  if (entry.why !== null) writeSync(logFd, `${new Date().toISOString()} INFO daemon-unbundled reason=${JSON.stringify(entry.why)}\n`);
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, ...extraNodeFlags(), entry.script], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...DAEMON_MALLOC_ENV, ...process.env, SHOAL_DATA_DIR: dataDir, [DAEMON_PLAN_ENV]: JSON.stringify(plan) },
  });
  closeSync(logFd);
  const status: { exitCode: number | null } = { exitCode: null };
  child.on('exit', (code) => {
    status.exitCode = code ?? 1;
  });
  child.unref();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const api = new Api(`unix://${join(resolve(dataDir), SOCKET_FILE)}`);
  try {
    while (Date.now() < deadline) {
      if (status.exitCode !== null) {
        throw new ShoalError('FAILED_PRECONDITION', lastError(logPath) ?? `the node daemon exited (code ${status.exitCode}); see ${logPath}`);
      }
      if (existsSync(join(dataDir, SOCKET_FILE))) {
        let info: GetClusterInfoResponse__Output | null = null;
        try {
          info = await api.clusterInfo(2_000);
        } catch {
          // Not ready yet (still catching up or electing): keep polling.
        }
        if (info !== null) {
          await whenReady?.(api, info);
          return;
        }
      }
      await sleep(READY_POLL_MS);
    }
    throw new ShoalError('DEADLINE_EXCEEDED', `the node did not become ready within ${READY_TIMEOUT_MS / 1000} s; see ${logPath}`);
  } finally {
    api.close();
  }
}

function lastError(logPath: string): string | null {
  try {
    const lines = readFileSync(logPath, 'utf8').trimEnd().split('\n');
    for (let i = lines.length - 1; i >= 0 && i >= lines.length - 50; i--) {
      const l = lines[i] ?? '';
      if (l.startsWith('Error: ')) return l.slice('Error: '.length);
    }
  } catch {
    // no log yet
  }
  return null;
}

/**
 * The pid of the daemon running for `dataDir`, or null. A pid file left by a
 * daemon that was killed (-9) may name a pid the system has since given to
 * another process: the recorded start time tells them apart, so `start` is not
 * refused and `stop` never signals a stranger.
 */
export function daemonPid(dataDir: string): number | null {
  try {
    const [pidLine = '', startLine = ''] = readFileSync(join(dataDir, PID_FILE), 'utf8').split('\n');
    const pid = Number(pidLine.trim());
    if (!Number.isInteger(pid) || pid <= 0) return null;
    if (!isAlive(pid)) return null; // gone, or a zombie left by kill -9 that nobody reaped
    const recorded = startLine.trim();
    const actual = processStartTime(pid);
    if (recorded !== '' && actual !== null && actual !== recorded) return null;
    return pid;
  } catch {
    return null;
  }
}

/** SIGTERM, then wait; SIGKILL if it does not stop in time. Returns false if no daemon ran. */
export async function stopDaemon(dataDir: string): Promise<boolean> {
  const pid = daemonPid(dataDir);
  if (pid === null) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  process.kill(pid, 'SIGKILL');
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
