/**
 * The worker agent's local memory of what it was assigned, in SQLite in its
 * data dir, so that `shoal start` after a crash or reboot knows which tasks
 * should run (and which process each one was) before any manager answers.
 */
import Database from 'better-sqlite3';
import type { TaskSpec } from './executor.js';

export type DesiredState = 'running' | 'shutdown';

export interface StoredAssignment {
  readonly spec: TaskSpec;
  readonly desired: DesiredState;
  /** The OS pid of the task's process when it last ran; 0 if never started. */
  readonly pid: number;
  /** The last state reported for it. */
  readonly state: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS assignments (
    task_id TEXT PRIMARY KEY,
    spec    TEXT NOT NULL,
    desired TEXT NOT NULL CHECK (desired IN ('running', 'shutdown')),
    pid     INTEGER NOT NULL DEFAULT 0,
    state   TEXT NOT NULL DEFAULT 'assigned'
  );
`;

type Row = { spec: string; desired: DesiredState; pid: number; state: string };

export class AgentStore {
  private readonly db: Database.Database;
  /** Prepared once: the agent records a status per task event, and preparing costs more than running. */
  private readonly q: {
    readonly all: Database.Statement<[], Row>;
    readonly taskIds: Database.Statement<[], string>;
    readonly get: Database.Statement<[string], Row>;
    readonly upsert: Database.Statement<[string, string, DesiredState]>;
    readonly recordRun: Database.Statement<[number, string, string]>;
    readonly remove: Database.Statement<[string]>;
  };

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL, not FULL: in WAL mode a commit survives a crash of the agent process; only a power
    // loss can drop the last commits, and after a reboot the recorded pids mean nothing anyway
    // while the dispatcher's COMPLETE set restores the assignments. FULL costs one fsync per
    // task status on the agent's event loop, which stalled heartbeats at a few hundred tasks.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.q = {
      all: this.db.prepare('SELECT spec, desired, pid, state FROM assignments ORDER BY task_id'),
      taskIds: this.db.prepare<[], string>('SELECT task_id FROM assignments').pluck(),
      get: this.db.prepare('SELECT spec, desired, pid, state FROM assignments WHERE task_id = ?'),
      upsert: this.db.prepare(
        `INSERT INTO assignments (task_id, spec, desired) VALUES (?, ?, ?)
         ON CONFLICT (task_id) DO UPDATE SET spec = excluded.spec, desired = excluded.desired`,
      ),
      recordRun: this.db.prepare('UPDATE assignments SET pid = ?, state = ? WHERE task_id = ?'),
      remove: this.db.prepare('DELETE FROM assignments WHERE task_id = ?'),
    };
  }

  all(): StoredAssignment[] {
    return this.q.all.all().map((r) => ({ spec: JSON.parse(r.spec) as TaskSpec, desired: r.desired, pid: r.pid, state: r.state }));
  }

  /** Just the task IDs (the log times look at them every 200 ms: no spec parsing). */
  taskIds(): string[] {
    return this.q.taskIds.all();
  }

  get(taskId: string): StoredAssignment | null {
    const r = this.q.get.get(taskId);
    return r ? { spec: JSON.parse(r.spec) as TaskSpec, desired: r.desired, pid: r.pid, state: r.state } : null;
  }

  /** Records (or replaces) what should happen to a task; keeps its pid and state. */
  upsert(spec: TaskSpec, desired: DesiredState): void {
    this.q.upsert.run(spec.id, JSON.stringify(spec), desired);
  }

  recordRun(taskId: string, pid: number, state: string): void {
    this.q.recordRun.run(pid, state, taskId);
  }

  /** Records several assignments in one transaction (an incremental batch). */
  upsertMany(items: readonly { spec: TaskSpec; desired: DesiredState }[]): void {
    this.db.transaction(() => {
      for (const i of items) this.upsert(i.spec, i.desired);
    })();
  }

  remove(taskId: string): void {
    this.q.remove.run(taskId);
  }

  /** Replaces the whole set in one transaction (a complete assignment set from the dispatcher). */
  replaceAll(items: readonly { spec: TaskSpec; desired: DesiredState }[]): void {
    const keep = new Set(items.map((i) => i.spec.id));
    this.db.transaction(() => {
      for (const a of this.all()) if (!keep.has(a.spec.id)) this.remove(a.spec.id);
      for (const i of items) this.upsert(i.spec, i.desired);
    })();
  }

  close(): void {
    this.db.close();
  }
}
