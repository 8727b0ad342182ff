/**
 * Commands of the task lifecycle after creation: placement by the scheduler,
 * status reported by workers, replacement and shutdown by the orchestrator,
 * and tasks the orchestrator creates for global services on new nodes.
 *
 * Every command is a batch (one Raft entry for many tasks). Items that no
 * longer make sense when the entry applies (the task was removed, moved, or
 * already replaced) are skipped, not errors: the proposer decided on a state
 * that may have changed before commit, and the apply is the arbiter.
 */
import type { TaskState } from './service-commands.js';

/** Bound on the items of one task command, so one entry cannot hold unbounded work. */
export const TASK_BATCH_ITEMS_MAX = 1_000;

export interface TaskPlacement {
  readonly taskId: string;
  readonly nodeId: string;
}

export interface TaskPendingNote {
  readonly taskId: string;
  /** Why no node takes the task now (shown by `service ps`). */
  readonly message: string;
}

export interface TaskStatusItem {
  readonly taskId: string;
  /** The node that reports; an update from another node than the task's is ignored. */
  readonly nodeId: string;
  readonly state: TaskState;
  readonly message: string;
  readonly err: string;
  readonly exitCode: number;
  /** When the worker observed it (ms since the epoch). */
  readonly at: number;
}

export interface TaskReplacement {
  readonly oldTaskId: string;
  /** The ID of the new task, chosen by the proposer. */
  readonly newTaskId: string;
  /** Why, for the old task's status message ("node w1 is down", "restart after exit status 3"). */
  readonly reason: string;
  /**
   * Start-first (a rolling update's order): the new task runs beside the old
   * one, which is shut down only when the new one is running. Absent/false:
   * stop-first — the old task is shut down now and the new one is placed once
   * the old one has stopped, taking over its addresses on networks that stay.
   */
  readonly startFirst?: boolean;
  /**
   * A restart by the task's restart policy: the new task counts as an attempt
   * (max-attempts). Replacements for other reasons (a rolling update, a lost
   * node, a constraint) do not.
   */
  readonly restart?: boolean;
}

export interface GlobalTaskCreation {
  readonly id: string;
  readonly serviceId: string;
  readonly nodeId: string;
}

export type TaskCommand =
  | { readonly op: 'task.place'; readonly at: number; readonly placements: readonly TaskPlacement[]; readonly pending: readonly TaskPendingNote[] }
  | { readonly op: 'task.status'; readonly at: number; readonly updates: readonly TaskStatusItem[] }
  | { readonly op: 'task.replace'; readonly at: number; readonly replacements: readonly TaskReplacement[] }
  | {
      readonly op: 'task.shutdown';
      readonly at: number;
      /** `ifReplaces`: skip unless the task is still a start-first replacement of that task. */
      readonly tasks: readonly { readonly taskId: string; readonly reason: string; readonly ifReplaces?: string }[];
    }
  | {
      /** Tasks being shut down whose node went down or left before they reported stopping. */
      readonly op: 'task.orphan';
      readonly at: number;
      readonly tasks: readonly { readonly taskId: string; readonly reason: string }[];
    }
  | { readonly op: 'task.create'; readonly at: number; readonly tasks: readonly GlobalTaskCreation[] };

const TASK_OPS: ReadonlySet<string> = new Set(['task.place', 'task.status', 'task.replace', 'task.shutdown', 'task.orphan', 'task.create']);

export function isTaskCommand(cmd: { readonly op: string }): cmd is TaskCommand {
  return TASK_OPS.has(cmd.op);
}

/** States a worker runs a task through; terminal ones end it for good. */
export const TERMINAL_TASK_STATES: ReadonlySet<TaskState> = new Set(['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove']);
/** States in which a task holds its node (the worker knows it). */
export const ON_NODE_STATES: ReadonlySet<TaskState> = new Set(['assigned', 'accepted', 'preparing', 'starting', 'running']);
