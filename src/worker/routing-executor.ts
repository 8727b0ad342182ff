/**
 * Chooses the executor per task: a task whose spec names an image runs through the container
 * engine (DockerExecutor), any other as a process. On a node without an engine an image task
 * fails at once with a message saying so (the scheduler does not place one there; this covers a
 * node that lost its engine after it reported one).
 */
import { join } from 'node:path';
import type { EngineApi } from './docker-api.js';
import { DockerExecutor, NOT_STARTED_EXIT } from './docker-executor.js';
import type { ExecStatus, Executor, TaskSpec } from './executor.js';
import { ProcessExecutor } from './process-executor.js';
import type { TaskNetwork } from '../network/dataplane/task-network.js';

export class RoutingExecutor implements Executor {
  private readonly byTask = new Map<string, Executor>();
  private readonly noEngine = new Map<string, ExecStatus>();
  private readonly listeners = new Set<(s: ExecStatus) => void>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    readonly processes: Executor,
    /** null: this node has no container engine. */
    readonly containers: DockerExecutor | null,
  ) {
    for (const e of [processes, containers]) {
      if (e) this.unsubscribe.push(e.onStatus((s) => this.emit(s)));
    }
  }

  start(spec: TaskSpec): Promise<ExecStatus> {
    const e = this.executorFor(spec);
    if (e === null) {
      const s: ExecStatus = { taskId: spec.id, state: 'failed', at: Date.now(), message: `this node has no container engine to run image ${spec.image ?? ''}`, exitCode: NOT_STARTED_EXIT };
      this.noEngine.set(spec.id, s);
      this.emit(s);
      return Promise.resolve(s);
    }
    return e.start(spec);
  }

  stop(taskId: string, graceMs: number): Promise<ExecStatus | null> {
    const e = this.byTask.get(taskId);
    return e ? e.stop(taskId, graceMs) : Promise.resolve(this.noEngine.get(taskId) ?? null);
  }

  adopt(spec: TaskSpec, pid: number): ExecStatus {
    const e = this.executorFor(spec);
    if (e === null) return { taskId: spec.id, state: 'failed', at: Date.now(), message: 'this node has no container engine any more; the container is not adopted' };
    return e.adopt(spec, pid);
  }

  status(taskId: string): ExecStatus | null {
    return this.byTask.get(taskId)?.status(taskId) ?? this.noEngine.get(taskId) ?? null;
  }

  logPath(taskId: string): string {
    return (this.byTask.get(taskId) ?? this.processes).logPath(taskId);
  }

  onStatus(listener: (s: ExecStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The task's network namespace path while it runs (see DockerExecutor.netnsPath); null for process tasks. */
  netnsPath(taskId: string): string | null {
    return this.byTask.get(taskId) === this.containers ? (this.containers?.netnsPath(taskId) ?? null) : null;
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    this.processes.close();
    this.containers?.close();
    this.listeners.clear();
  }

  private executorFor(spec: TaskSpec): Executor | null {
    const e = (spec.image ?? '') === '' ? this.processes : this.containers;
    if (e) this.byTask.set(spec.id, e);
    return e;
  }

  private emit(s: ExecStatus): void {
    for (const l of this.listeners) l(s);
  }
}

/** The agent's executor: processes always, containers when the node has an engine (`docker` non-null). */
export function nodeExecutor(dataDir: string, docker: EngineApi | null, network?: TaskNetwork): RoutingExecutor {
  const root = join(dataDir, 'tasks');
  return new RoutingExecutor(new ProcessExecutor(root, undefined, network), docker ? new DockerExecutor(docker, root, network) : null);
}
