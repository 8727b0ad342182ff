/**
 * Runs tasks that name an image as Docker containers, through the Engine API on its unix socket
 * (src/worker/docker-api.ts; never the docker CLI). Each container carries the label `shoal.task.id`, which is
 * how a restarted agent finds it again (adopt) and how tests and operators find Shoal's
 * containers. The task's output is copied from Docker's log API into the same per-task log file
 * the process executor writes, so `service logs` / `container logs` read both alike; the
 * attachments reach the container as SHOAL_ADDR_<NETWORK> variables and as a read-only
 * bind-mounted JSON file (SHOAL_ATTACHMENTS_FILE=/run/shoal/attachments.json).
 *
 * Network: containers start with NetworkMode "none" (loopback only). With a data plane (a
 * TaskNetwork), the container's namespace is then given the task's namespace name
 * (`ip netns attach NAME PID`) and the data plane fills it like a process task's: one veth per
 * attachment, addresses, MTU, default route; its resolv.conf names the node's resolver on the first
 * network's gateway (HostConfig.Dns). The name is removed when the task ends (docs/design/images.md).
 *
 * A container is removed once its task has ended and its output is copied: Shoal keeps the record
 * (task history, log file), Docker need not.
 */
import type Docker from 'dockerode';
import { demuxStream, followProgress, type EngineApi, type EngineContainer } from './docker-api.js';
import { createWriteStream, mkdirSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PassThrough } from 'node:stream';
import type { TaskNetwork } from '../network/dataplane/task-network.js';
import { ip } from '../network/dataplane/exec.js';
import { addressEnvName, TERMINAL_STATES, type ExecState, type ExecStatus, type Executor, type PullPolicy, type TaskSpec } from './executor.js';

/** The label that ties a container to its task; adoption and clean-up select by it. */
export const TASK_LABEL = 'shoal.task.id';
/** Present on every container Shoal creates. */
export const MANAGED_LABEL = 'shoal.managed';
/** The task root of the node that created it: several nodes may share one engine (tests, demos). */
export const ROOT_LABEL = 'shoal.root';
/** Where the attachments file appears inside the container. */
export const CONTAINER_ATTACHMENTS_FILE = '/run/shoal/attachments.json';
const TASKS_MAX = 10_000;
/** Exit code reported for a task whose container never ran (Docker's own convention for `docker run`: 125). */
export const NOT_STARTED_EXIT = 125;

interface Supervised {
  spec: TaskSpec;
  status: ExecStatus;
  containerId: string | null;
  pid: number;
  stopRequested: boolean;
  /** Settles once the container is known (created, or found by adoption), or known not to exist. */
  known: Promise<void>;
  log: WriteStream | null;
  logStream: NodeJS.ReadableStream | null;
  ended: Promise<ExecStatus>;
  resolveEnded: (s: ExecStatus) => void;
}

export class DockerExecutor implements Executor {
  private readonly tasks = new Map<string, Supervised>();
  private readonly listeners = new Set<(s: ExecStatus) => void>();
  private closed = false;
  /** Ends the long-lived requests (wait, log follow) at close(): they would keep the agent's process alive. */
  private readonly closing = new AbortController();

  /** @param rootDir the same task root as the process executor's (log and attachments file per task) */
  constructor(
    private readonly docker: EngineApi,
    private readonly rootDir: string,
    /** The node's data plane; none = image tasks keep loopback only. */
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

  /**
   * The network namespace of the task's container, "/proc/<pid>/ns/net", while it runs; null
   * otherwise. The data plane moves the task's interfaces (one veth end per attachment) into it.
   */
  netnsPath(taskId: string): string | null {
    const sup = this.tasks.get(taskId);
    if (!sup || sup.status.state !== 'running' || sup.pid <= 0) return null;
    return `/proc/${sup.pid}/ns/net`;
  }

  /** The Docker container ID of a task, once known. */
  containerId(taskId: string): string | null {
    return this.tasks.get(taskId)?.containerId ?? null;
  }

  async start(spec: TaskSpec): Promise<ExecStatus> {
    const existing = this.tasks.get(spec.id);
    if (existing && !TERMINAL_STATES.has(existing.status.state)) return existing.status;
    if (this.tasks.size >= TASKS_MAX) this.forgetEnded();
    let markKnown: () => void = () => undefined;
    const sup = this.supervise(spec, new Promise<void>((r) => (markKnown = r)));
    try {
      return await this.run(sup);
    } finally {
      markKnown();
    }
  }

  private async run(sup: Supervised): Promise<ExecStatus> {
    const spec = sup.spec;
    const image = spec.image ?? '';
    this.transition(sup, 'preparing', `preparing image ${image}`);
    try {
      mkdirSync(this.taskDir(spec.id), { recursive: true });
      writeFileSync(this.attachmentsFile(spec.id), JSON.stringify(spec.attachments, null, 2) + '\n');
    } catch (e) {
      return this.transition(sup, 'failed', `cannot prepare the task: ${dockerMessage(e)}`, { exitCode: NOT_STARTED_EXIT });
    }
    try {
      await this.ensureImage(image, spec.pull ?? 'missing');
    } catch (e) {
      return this.transition(sup, 'failed', dockerMessage(e), { exitCode: NOT_STARTED_EXIT });
    }
    if (sup.stopRequested) return this.transition(sup, 'shutdown', 'stopped before its container was created');
    this.transition(sup, 'starting', `starting a container of ${image}`);
    let container: EngineContainer;
    try {
      await this.removeLeftover(spec.id);
      container = await this.docker.createContainer(this.createOptions(spec));
      sup.containerId = container.id;
      await container.start();
      // After the start: a follow on a container that is not running ends at once. From its
      // beginning, so nothing it printed before the attach is lost.
      this.followLogs(sup, container, 0);
      const info = await container.inspect();
      sup.pid = info.State.Pid;
    } catch (e) {
      const status = this.transition(sup, 'failed', `cannot start a container of ${image}: ${dockerMessage(e)}`, { exitCode: NOT_STARTED_EXIT });
      void this.removeContainer(sup);
      return status;
    }
    if (this.networked(spec)) {
      try {
        await this.joinDataPlane(sup);
      } catch (e) {
        const status = this.transition(sup, 'failed', `cannot set up the task's network: ${dockerMessage(e)}`, { exitCode: NOT_STARTED_EXIT });
        void this.removeContainer(sup);
        return status;
      }
    }
    this.watchExit(sup, container);
    if (sup.stopRequested) void container.stop({ t: 0 }).catch(() => undefined);
    return this.transition(sup, 'running', `running as container ${container.id.slice(0, 12)} (pid ${sup.pid})`, { pid: sup.pid });
  }

  async stop(taskId: string, graceMs: number): Promise<ExecStatus | null> {
    const sup = this.tasks.get(taskId);
    if (!sup) return null;
    sup.stopRequested = true;
    await sup.known;
    if (TERMINAL_STATES.has(sup.status.state)) return sup.status;
    if (sup.containerId === null) return this.transition(sup, 'shutdown', 'stopped before its container was created');
    // Docker's stop is the grace protocol itself: the image's stop signal (SIGTERM by default), then SIGKILL after t seconds.
    try {
      await this.docker.getContainer(sup.containerId).stop({ t: Math.max(0, Math.ceil(graceMs / 1000)) });
    } catch (e) {
      if (statusCodeOf(e) !== 304 && statusCodeOf(e) !== 404) return this.transition(sup, 'failed', `cannot stop container ${sup.containerId.slice(0, 12)}: ${dockerMessage(e)}`);
      if (statusCodeOf(e) === 404) this.transition(sup, 'shutdown', 'stopped (its container was already gone)');
    }
    return sup.ended;
  }

  /**
   * Takes back a task's container after an agent restart, found by its `shoal.task.id` label (the
   * recorded pid only says that it was started). The answer is 'running' at once; if the lookup
   * finds the container gone or exited, a 'failed' status follows.
   */
  adopt(spec: TaskSpec, pid: number): ExecStatus {
    let markKnown: () => void = () => undefined;
    const sup = this.supervise(spec, new Promise<void>((r) => (markKnown = r)));
    sup.pid = pid;
    void this.findAndWatch(sup).finally(markKnown);
    return this.transition(sup, 'running', `re-adopting its container after an agent restart (pid ${pid})`, { pid });
  }

  close(): void {
    this.closed = true;
    this.closing.abort();
    for (const sup of this.tasks.values()) {
      (sup.logStream as PassThrough | null)?.destroy();
      sup.log?.end();
    }
    this.listeners.clear();
  }

  private async findAndWatch(sup: Supervised): Promise<void> {
    const id = sup.spec.id;
    try {
      const found = await this.docker.listContainers({ all: true, filters: { label: [`${TASK_LABEL}=${id}`] } });
      const c = found[0];
      if (!c) {
        this.transition(sup, 'failed', 'its container is gone (removed while the agent was down); exit status unknown');
        return;
      }
      sup.containerId = c.Id;
      const container = this.docker.getContainer(c.Id);
      const info = await container.inspect();
      if (!info.State.Running) {
        const code = info.State.ExitCode;
        this.transition(sup, sup.stopRequested ? 'shutdown' : code === 0 ? 'complete' : 'failed', `its container exited while the agent was down (exit status ${code})`, { exitCode: code });
        this.followLogs(sup, container, this.logMtimeSeconds(id));
        void this.removeContainer(sup);
        return;
      }
      sup.pid = info.State.Pid;
      if (this.networked(sup.spec)) await this.rejoinDataPlane(sup);
      this.transition(sup, 'running', `re-adopted container ${c.Id.slice(0, 12)} after an agent restart (pid ${sup.pid})`, { pid: sup.pid });
      this.followLogs(sup, container, this.logMtimeSeconds(id));
      this.watchExit(sup, container);
    } catch (e) {
      this.transition(sup, 'failed', `cannot find its container after an agent restart: ${dockerMessage(e)}`);
    }
  }

  private networked(spec: TaskSpec): boolean {
    return this.network !== undefined && spec.attachments.length > 0;
  }

  /**
   * Names the running container's namespace as the task's (a stale name of an earlier attempt goes
   * first), then has the data plane put the interfaces in; resolves once they exist. The container's
   * command has started already: Docker 20.10 cannot start a container in a namespace made before.
   */
  private async joinDataPlane(sup: Supervised): Promise<void> {
    const network = this.network!;
    const ns = network.namespaceOf(sup.spec.id);
    await ip(null, null, ['netns', 'del', ns]).catch(() => undefined);
    await ip(null, null, ['netns', 'attach', ns, String(sup.pid)]);
    await network.attach(sup.spec.id, sup.spec.attachments, true);
  }

  /** After an agent restart: the name normally survives (it is a mount under /run/netns); made again if not. */
  private async rejoinDataPlane(sup: Supervised): Promise<void> {
    const network = this.network!;
    const ns = network.namespaceOf(sup.spec.id);
    if (!existsSync(`/run/netns/${ns}`)) await ip(null, null, ['netns', 'attach', ns, String(sup.pid)]).catch(() => undefined);
    network.adopt(sup.spec.id, sup.spec.attachments, true);
  }

  private async ensureImage(image: string, pull: PullPolicy): Promise<void> {
    if (pull !== 'always') {
      try {
        await this.docker.getImage(image).inspect();
        return;
      } catch (e) {
        if (statusCodeOf(e) !== 404 || pull === 'never') throw e;
      }
    }
    const stream = await this.docker.pull(image);
    await new Promise<void>((resolve, reject) => {
      // Docker reports a failed pull inside the progress stream, not as an HTTP status.
      followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
        const failed = err?.message ?? events.find((ev) => typeof ev.error === 'string')?.error;
        if (failed !== undefined) reject(new Error(`cannot pull ${image}: ${failed}`));
        else resolve();
      });
    });
  }

  private createOptions(spec: TaskSpec): Docker.ContainerCreateOptions {
    const first = this.networked(spec) ? spec.attachments[0] : undefined;
    const env: Record<string, string> = { ...spec.env, SHOAL_TASK_ID: spec.id, SHOAL_ATTACHMENTS_FILE: CONTAINER_ATTACHMENTS_FILE };
    for (const a of spec.attachments) env[addressEnvName(a.network)] = a.address;
    return {
      name: containerName(spec.id),
      Image: spec.image ?? '',
      // Like `docker run IMAGE CMD…`: the command replaces the image's CMD and keeps its ENTRYPOINT.
      ...(spec.command !== '' ? { Cmd: [spec.command, ...spec.args] } : {}),
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      Labels: { [TASK_LABEL]: spec.id, [MANAGED_LABEL]: '1', [ROOT_LABEL]: this.rootDir },
      HostConfig: {
        // Loopback only until the data plane puts the task's interfaces into the namespace (joinDataPlane).
        NetworkMode: 'none',
        // Names as for a process task (resolv-conf.ts taskResolvConf): the node's resolver listens on the first network's gateway.
        ...(first ? { Dns: [first.gateway], DnsOptions: ['ndots:0'] } : {}),
        Binds: [`${this.attachmentsFile(spec.id)}:${CONTAINER_ATTACHMENTS_FILE}:ro`],
      },
    };
  }

  /** A container of this task left by an attempt that never got recorded (agent killed mid-start). */
  private async removeLeftover(taskId: string): Promise<void> {
    try {
      await this.docker.getContainer(containerName(taskId)).remove({ force: true });
    } catch (e) {
      if (statusCodeOf(e) !== 404) throw e;
    }
  }

  /** Copies Docker's log stream (stdout and stderr demultiplexed) into the task's log file, from `sinceSeconds` on. */
  private followLogs(sup: Supervised, container: EngineContainer, sinceSeconds: number): void {
    const out = createWriteStream(this.logPath(sup.spec.id), { flags: 'a' });
    out.on('error', () => undefined);
    sup.log = out;
    container.logs({ follow: true, stdout: true, stderr: true, since: sinceSeconds, abortSignal: this.closing.signal }).then(
      (stream) => {
        if (this.closed) {
          (stream as PassThrough).destroy();
          return;
        }
        sup.logStream = stream;
        stream.on('error', () => undefined);
        stream.on('end', () => out.end());
        demuxStream(stream, out, out);
      },
      () => out.end(),
    );
  }

  private watchExit(sup: Supervised, container: EngineContainer): void {
    container.wait({ abortSignal: this.closing.signal }).then(
      (r: { StatusCode: number }) => {
        const code = r.StatusCode;
        if (sup.stopRequested) this.transition(sup, 'shutdown', `stopped (exit status ${code})`, { exitCode: code });
        else if (code === 0) this.transition(sup, 'complete', 'exit status 0', { exitCode: 0 });
        else this.transition(sup, 'failed', `exit status ${code}`, { exitCode: code });
        void this.removeContainer(sup);
      },
      (e: unknown) => {
        if (this.closed) return; // the agent is going away; the next one adopts the container
        this.transition(sup, 'failed', `lost track of container ${container.id.slice(0, 12)}: ${dockerMessage(e)}`);
      },
    );
  }

  /** Once the log stream has drained (it ends with the container), the container goes. */
  private async removeContainer(sup: Supervised): Promise<void> {
    if (sup.containerId === null || this.closed) return;
    const stream = sup.logStream;
    if (stream) await new Promise<void>((r) => { stream.once('end', r); stream.once('close', r); setTimeout(r, 2_000).unref(); });
    try {
      await this.docker.getContainer(sup.containerId).remove({ force: true, v: true });
    } catch {
      // Already gone, or the engine is down: the next start of this task removes it as a leftover.
    }
  }

  private supervise(spec: TaskSpec, known: Promise<void>): Supervised {
    let resolveEnded: (s: ExecStatus) => void = () => undefined;
    const ended = new Promise<ExecStatus>((r) => (resolveEnded = r));
    const sup: Supervised = {
      spec, status: { taskId: spec.id, state: 'preparing', at: Date.now(), message: '' },
      containerId: null, pid: 0, stopRequested: false, known, log: null, logStream: null, ended, resolveEnded,
    };
    this.tasks.set(spec.id, sup);
    return sup;
  }

  private transition(sup: Supervised, state: ExecState, message: string, extra: { exitCode?: number; pid?: number } = {}): ExecStatus {
    if (TERMINAL_STATES.has(sup.status.state) && sup.status.message !== '') return sup.status; // terminal states are final
    const status: ExecStatus = { taskId: sup.spec.id, state, at: Date.now(), message, ...extra };
    sup.status = status;
    if (TERMINAL_STATES.has(state)) {
      // The task's namespace name goes (the data plane unmounts it; the container's namespace ends with the container).
      if (this.networked(sup.spec)) this.network?.detach(sup.spec.id);
      sup.resolveEnded(status);
    }
    for (const l of this.listeners) l(status);
    return status;
  }

  private logMtimeSeconds(taskId: string): number {
    // Lines logged in the second the agent went down may appear twice; none is lost.
    try {
      return Math.floor(statSync(this.logPath(taskId)).mtimeMs / 1000);
    } catch {
      return 0;
    }
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

/** Docker's name for a task's container (names are unique per engine, so a second start cannot double it). */
export function containerName(taskId: string): string {
  return `shoal-${taskId}`;
}

function statusCodeOf(e: unknown): number | undefined {
  return (e as { statusCode?: number }).statusCode;
}

/** Docker's own message ("No such image: x:1"), without the "(HTTP code 404) …" wrapping a dockerode client (the tests') adds. */
export function dockerMessage(e: unknown): string {
  const err = e as { json?: { message?: string } | null; message?: string };
  return err.json?.message ?? err.message ?? String(e);
}
