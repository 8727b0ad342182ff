/**
 * Makes what runs on this node match what it was assigned. The dispatcher's
 * assignments are recorded in the agent store first (so a crash never forgets
 * them), then acted on: start what should run and does not, stop what should
 * not run. A task that ends on its own is reported and left ended: restarting
 * it is the orchestrator's decision (restart policy), made on the managers.
 */
import type { AgentStore, DesiredState } from './agent-store.js';
import { TERMINAL_STATES, type ExecStatus, type Executor, type TaskSpec } from './executor.js';

/** Grace period between SIGTERM and SIGKILL when a task is stopped. */
export const STOP_GRACE_MS = 10_000;

export interface Assignment {
  readonly spec: TaskSpec;
  readonly desired: DesiredState;
}

export class Reconciler {
  private readonly offStatus: () => void;

  constructor(
    private readonly store: AgentStore,
    private readonly executor: Executor,
    private readonly report: (s: ExecStatus) => void,
    private readonly stopGraceMs = STOP_GRACE_MS,
  ) {
    this.offStatus = executor.onStatus((s) => {
      if (this.store.get(s.taskId)) this.store.recordRun(s.taskId, s.pid ?? this.store.get(s.taskId)?.pid ?? 0, s.state);
      this.report(s);
    });
  }

  /**
   * After an agent (re)start: tasks that should run are re-adopted when their
   * process survived, and started again when it did not.
   */
  async resume(): Promise<void> {
    for (const a of this.store.all()) {
      if (a.desired !== 'running' || TERMINAL_STATES.has(a.state as ExecStatus['state'])) continue;
      const adopted = a.pid > 0 ? this.executor.adopt(a.spec, a.pid) : null;
      if (adopted?.state === 'running') continue;
      await this.executor.start(a.spec);
    }
  }

  /** The dispatcher sent the complete set: anything not in it is stopped and forgotten. */
  async applyComplete(assignments: readonly Assignment[]): Promise<void> {
    const wanted = new Set(assignments.map((a) => a.spec.id));
    const gone = this.store.all().filter((a) => !wanted.has(a.spec.id));
    this.store.replaceAll(assignments);
    await Promise.all(gone.map((a) => this.executor.stop(a.spec.id, this.stopGraceMs)));
    await this.converge(assignments);
  }

  /** An incremental batch: updated assignments and removed task IDs. */
  async applyIncremental(updates: readonly Assignment[], removed: readonly string[]): Promise<void> {
    this.store.upsertMany(updates);
    for (const id of removed) this.store.remove(id);
    await Promise.all(removed.map((id) => this.executor.stop(id, this.stopGraceMs)));
    await this.converge(updates);
  }

  close(): void {
    this.offStatus();
  }

  private async converge(assignments: readonly Assignment[]): Promise<void> {
    await Promise.all(
      assignments.map(async (a) => {
        const now = this.executor.status(a.spec.id);
        const stored = this.store.get(a.spec.id);
        const endedBefore = stored !== null && TERMINAL_STATES.has(stored.state as ExecStatus['state']);
        if (a.desired === 'running') {
          // A task never started here starts now; one that ended (here or before a restart) stays ended.
          if (!now && !endedBefore) await this.executor.start(a.spec);
        } else if (now && !TERMINAL_STATES.has(now.state)) {
          await this.executor.stop(a.spec.id, this.stopGraceMs);
        } else if (!now && !endedBefore) {
          if (stored !== null && stored.pid > 0) {
            // Its process may have outlived an agent restart (only tasks wanted running are re-adopted
            // by resume): adopt it to stop it, which reports how it ended.
            const adopted = this.executor.adopt(a.spec, stored.pid);
            if (!TERMINAL_STATES.has(adopted.state)) await this.executor.stop(a.spec.id, this.stopGraceMs);
            return;
          }
          // Shut down before it ever started here: say so, or the manager waits for this task to stop
          // (a stop-first successor is not placed until its predecessor has ended).
          this.store.recordRun(a.spec.id, 0, 'shutdown');
          this.report({ taskId: a.spec.id, state: 'shutdown', at: Date.now(), message: 'shut down before it started' });
        }
      }),
    );
  }
}
