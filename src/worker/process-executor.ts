/**
 * Runs each task as a supervised child process in its own process group, so
 * that stopping a task also stops whatever it started. The task's network
 * attachments reach it as environment variables (SHOAL_ADDR_<NETWORK>) and as
 * a JSON file (SHOAL_ATTACHMENTS_FILE); stdout and stderr go to a log file per
 * task, which `service logs` / `container logs` read.
 *
 * With a data plane (TaskNetwork), a task with attachments runs in its own
 * network namespace (`ip netns exec`, which execs without forking, so the
 * child's pid is the task's): eth0, eth1, … per attachment, plus lo.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskNetwork } from '../network/dataplane/task-network.js';
import { isAlive } from '../process-info.js';
import { addressEnvName, TERMINAL_STATES, type ExecState, type ExecStatus, type Executor, type TaskSpec } from './executor.js';

/** How often an adopted process (not our child: no exit event) is checked for liveness. */
const ADOPTED_POLL_MS = 500;
/** Bound on tasks one executor supervises; the agent never asks for more than its assignments. */
const TASKS_MAX = 10_000;

interface Supervised {
  spec: TaskSpec;
  status: ExecStatus;
  child: ChildProcess | null;
  pid: number;
  stopRequested: boolean;
  poll: NodeJS.Timeout | null;
  ended: Promise<ExecStatus>;
  resolveEnded: (s: ExecStatus) => void;
}

export class ProcessExecutor implements Executor {
  private readonly tasks = new Map<string, Supervised>();
  private readonly listeners = new Set<(s: ExecStatus) => void>();

  /** @param rootDir where each task gets a directory for its log and attachments file */
  constructor(
    private readonly rootDir: string,
    private readonly baseEnv: Readonly<Record<string, string>> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    /** The node's data plane; none = tasks share the host's network (addresses only). */
    private readonly network?: TaskNetwork,
  ) {}

  logPath(taskId: string): string {
    return join(this.taskDir(taskId), 'output.log');
  }

  status(taskId: string): ExecStatus | null {
    return this.tasks.get(taskId)?.status ?? null;
  }

  onStatus(listener: (s: ExecStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(spec: TaskSpec): Promise<ExecStatus> {
    const existing = this.tasks.get(spec.id);
    if (existing && !TERMINAL_STATES.has(existing.status.state)) return Promise.resolve(existing.status);
    if (this.tasks.size >= TASKS_MAX) this.forgetEnded();
    const sup = this.supervise(spec);
    this.transition(sup, 'preparing', 'preparing the task directory and environment');
    let logFd: number;
    try {
      mkdirSync(this.taskDir(spec.id), { recursive: true });
      writeFileSync(this.attachmentsFile(spec.id), JSON.stringify(spec.attachments, null, 2) + '\n');
      logFd = openSync(this.logPath(spec.id), 'a');
    } catch (e) {
      return this.transition(sup, 'failed', `cannot prepare the task: ${errorText(e)}`);
    }
    let argv: readonly string[] = [spec.command, ...spec.args];
    if (this.network && spec.attachments.length > 0) {
      try {
        const ns = await this.network.attach(spec.id, spec.attachments);
        argv = ['ip', 'netns', 'exec', ns, ...argv];
      } catch (e) {
        closeSync(logFd);
        return this.transition(sup, 'failed', `cannot set up the task's network: ${errorText(e)}`);
      }
      if (sup.stopRequested) {
        // Stopped while its network was being built: it never runs.
        closeSync(logFd);
        return this.transition(sup, 'shutdown', 'stopped before it started');
      }
    }
    this.transition(sup, 'starting', `starting ${spec.command}`);
    return new Promise<ExecStatus>((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd: spec.workDir ?? this.taskDir(spec.id),
        env: this.environment(spec),
        stdio: ['ignore', logFd, logFd],
        detached: true, // its own process group: stop() signals the whole group
      });
      closeSync(logFd);
      sup.child = child;
      child.once('spawn', () => {
        sup.pid = child.pid ?? 0;
        resolve(this.transition(sup, 'running', `running as pid ${sup.pid}`, { pid: sup.pid }));
      });
      child.once('error', (e) => {
        // Spawn failures (e.g. ENOENT) arrive here instead of 'spawn'.
        resolve(this.transition(sup, 'failed', `cannot start "${spec.command}": ${errorText(e)}`));
      });
      child.once('exit', (code, signal) => this.onExit(sup, code, signal));
    });
  }

  async stop(taskId: string, graceMs: number): Promise<ExecStatus | null> {
    const sup = this.tasks.get(taskId);
    if (!sup) return null;
    if (TERMINAL_STATES.has(sup.status.state)) return sup.status;
    sup.stopRequested = true;
    signalGroup(sup.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (!TERMINAL_STATES.has(sup.status.state)) signalGroup(sup.pid, 'SIGKILL');
    }, graceMs);
    try {
      return await sup.ended;
    } finally {
      clearTimeout(timer);
    }
  }

  adopt(spec: TaskSpec, pid: number): ExecStatus {
    const sup = this.supervise(spec);
    sup.pid = pid;
    if (!isOurProcess(pid, spec.id)) {
      return this.transition(sup, 'failed', `the task's process (pid ${pid}) ended while the agent was down; exit status unknown`);
    }
    if (this.network && spec.attachments.length > 0) this.network.adopt(spec.id, spec.attachments);
    sup.poll = setInterval(() => {
      if (isAlive(pid)) return;
      const how = sup.stopRequested ? 'shutdown' : 'failed';
      this.transition(sup, how, sup.stopRequested ? 'stopped' : `the adopted process (pid ${pid}) ended; exit status unknown`);
    }, ADOPTED_POLL_MS);
    return this.transition(sup, 'running', `re-adopted after an agent restart (pid ${pid})`, { pid });
  }

  close(): void {
    for (const sup of this.tasks.values()) if (sup.poll) clearInterval(sup.poll);
    this.listeners.clear();
  }

  private supervise(spec: TaskSpec): Supervised {
    let resolveEnded: (s: ExecStatus) => void = () => undefined;
    const ended = new Promise<ExecStatus>((r) => (resolveEnded = r));
    const sup: Supervised = {
      spec,
      status: { taskId: spec.id, state: 'preparing', at: Date.now(), message: '' },
      child: null,
      pid: 0,
      stopRequested: false,
      poll: null,
      ended,
      resolveEnded,
    };
    this.tasks.set(spec.id, sup);
    return sup;
  }

  private onExit(sup: Supervised, code: number | null, signal: NodeJS.Signals | null): void {
    if (sup.stopRequested) {
      this.transition(sup, 'shutdown', signal ? `stopped (${signal})` : `stopped (exit status ${code ?? 'unknown'})`, code === null ? {} : { exitCode: code });
    } else if (code === 0) {
      this.transition(sup, 'complete', 'exit status 0', { exitCode: 0 });
    } else if (code !== null) {
      this.transition(sup, 'failed', `exit status ${code}`, { exitCode: code });
    } else {
      this.transition(sup, 'failed', `killed by ${signal ?? 'a signal'}`);
    }
  }

  private transition(sup: Supervised, state: ExecState, message: string, extra: { exitCode?: number; pid?: number } = {}): ExecStatus {
    if (TERMINAL_STATES.has(sup.status.state) && sup.status.message !== '') return sup.status; // terminal states are final
    const status: ExecStatus = { taskId: sup.spec.id, state, at: Date.now(), message, ...extra };
    sup.status = status;
    if (TERMINAL_STATES.has(state)) {
      this.network?.detach(sup.spec.id);
      if (sup.poll) clearInterval(sup.poll);
      sup.poll = null;
      sup.resolveEnded(status);
    }
    for (const l of this.listeners) l(status);
    return status;
  }

  private environment(spec: TaskSpec): Record<string, string> {
    const env: Record<string, string> = { ...this.baseEnv, ...spec.env, SHOAL_TASK_ID: spec.id, SHOAL_ATTACHMENTS_FILE: this.attachmentsFile(spec.id) };
    for (const a of spec.attachments) env[addressEnvName(a.network)] = a.address;
    return env;
  }

  private taskDir(taskId: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(taskId)) throw new Error(`task id ${JSON.stringify(taskId)} is not a safe directory name`);
    return join(this.rootDir, taskId);
  }

  private attachmentsFile(taskId: string): string {
    return join(this.taskDir(taskId), 'attachments.json');
  }

  private forgetEnded(): void {
    for (const [id, sup] of this.tasks) if (TERMINAL_STATES.has(sup.status.state)) this.tasks.delete(id);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** A live pid that carries our task's ID in its environment: not a recycled pid. */
export { isAlive };

export function isOurProcess(pid: number, taskId: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`SHOAL_TASK_ID=${taskId}`);
  } catch {
    return false;
  }
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or command (ENOENT)';
  if (err.code === 'EACCES') return 'permission denied (EACCES)';
  return err.message ?? String(e);
}
