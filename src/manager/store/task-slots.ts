/**
 * Start-first replacements and the slot they share with the task they
 * replace (task-apply.ts): shared by every apply path that retires or
 * deletes a task, so a replacement never outlives its original unpromoted.
 * Runs inside the apply transaction.
 */
import type Database from 'better-sqlite3';
import { recordEvent } from './events.js';
import { stmt } from './statements.js';

/** The live start-first replacement of a task, if any. */
export function liveReplacementOf(db: Database.Database, taskId: string): string | null {
  // `replaces != ''` lets SQLite use the partial index tasks_one_replacement (no scan per retired task).
  const r = stmt(db, "SELECT id FROM tasks WHERE replaces = ? AND replaces != '' AND desired_state = 'running'").get(taskId) as { id: string } | undefined;
  return r?.id ?? null;
}

/** A replacement whose original task is gone or retired becomes the slot's task. */
export function promoteReplacement(db: Database.Database, index: number, at: number, replacedId: string): void {
  const id = liveReplacementOf(db, replacedId);
  if (id === null) return;
  stmt(db, "UPDATE tasks SET replaces = '', updated_at = ?, version = ? WHERE id = ?").run(at, index, id);
  recordEvent(db, index, 'task', 'update', id);
}
