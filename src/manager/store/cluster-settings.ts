/**
 * Cluster-wide settings kept as columns of the cluster row (not in its
 * `settings` JSON) so SQLite checks their bounds. Only depends on the
 * statement cache, so any apply module (e.g. task-apply.ts) can read them
 * without an import cycle through apply.ts.
 */
import type Database from 'better-sqlite3';
import { ShoalError } from '../../errors.js';
import { stmt } from './statements.js';

/**
 * Ended tasks kept per slot (per node for global services) beside the live one,
 * as history for `service ps`. Like swarm's TaskHistoryRetentionLimit, 0 keeps
 * no history. Swarm reads a negative value as "never remove"; Shoal refuses
 * it, because the store must not grow without limit (issue #7).
 */
export const TASK_HISTORY_LIMIT_DEFAULT = 5;
/** Upper bound: history rows are reaped per slot in one apply, so keep that work small. */
export const TASK_HISTORY_LIMIT_MAX = 1_000;

/** Returns `value` if it is a whole number in 0..TASK_HISTORY_LIMIT_MAX; INVALID_ARGUMENT naming `field` otherwise. */
export function checkTaskHistoryLimit(value: unknown, field = 'task_history_retention_limit'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > TASK_HISTORY_LIMIT_MAX) {
    throw new ShoalError(
      'INVALID_ARGUMENT',
      `${field}: ${String(value)} is not a whole number from 0 to ${TASK_HISTORY_LIMIT_MAX} (ended tasks kept per slot; 0 keeps none)`,
    );
  }
  return value;
}

/**
 * The cluster's task history retention limit: how many ended tasks of a slot
 * the store keeps. Deterministic (a replicated column), so apply code may use it.
 * Before `cluster.init` there is no row; the default applies.
 */
export function taskHistoryLimit(db: Database.Database): number {
  const row = stmt(db, 'SELECT task_history_limit FROM cluster WHERE singleton = 1').get() as { task_history_limit: number } | undefined;
  if (!row) return TASK_HISTORY_LIMIT_DEFAULT;
  const v = row.task_history_limit;
  // The column's CHECK keeps it in range; anything else is a damaged database.
  if (!Number.isInteger(v) || v < 0 || v > TASK_HISTORY_LIMIT_MAX) throw new Error(`cluster.task_history_limit holds ${String(v)}, outside 0..${TASK_HISTORY_LIMIT_MAX}`);
  return v;
}
