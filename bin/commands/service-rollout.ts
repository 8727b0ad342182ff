/**
 * Rolling updates from the CLI: the `--update-*` and `--rollback-*` flags
 * shared by `service create` and `service update`, and following a rollout
 * until it ends.
 *
 * Defaults are Docker's: one task at a time, no delay, stop-first, pause on
 * failure, each new task watched for 5 s.
 */
import type { Argv } from 'yargs';
import { ShoalError } from '../../src/errors.js';
import type { Service__Output } from '../../src/generated/shoal/v1/Service.js';
import type { UpdateConfig, UpdateConfig__Output } from '../../src/generated/shoal/v1/UpdateConfig.js';
import { parseDuration } from '../parse.js';
import type { ServiceApi } from '../service-api.js';
import { enumWord } from '../words.js';

export const UPDATE_DEFAULTS = { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 5_000 } as const;

/** How long `service update`/`rollback` (without --detach) follow the rollout before handing back. */
const ROLLOUT_WAIT_MS = Number(process.env['SHOAL_ROLLOUT_WAIT_MS'] ?? 120_000);
const ROLLOUT_POLL_MS = 250;

const ORDERS = { 'stop-first': 'UPDATE_ORDER_STOP_FIRST', 'start-first': 'UPDATE_ORDER_START_FIRST' } as const;
const ACTIONS = { pause: 'UPDATE_FAILURE_ACTION_PAUSE', continue: 'UPDATE_FAILURE_ACTION_CONTINUE', rollback: 'UPDATE_FAILURE_ACTION_ROLLBACK' } as const;

export interface UpdateFlags {
  readonly updateParallelism?: number | undefined;
  readonly updateDelay?: string | undefined;
  readonly updateOrder?: keyof typeof ORDERS | undefined;
  readonly updateFailureAction?: keyof typeof ACTIONS | undefined;
  readonly updateMonitor?: string | undefined;
  readonly updateMaxFailureRatio?: number | undefined;
  readonly rollbackParallelism?: number | undefined;
  readonly rollbackDelay?: string | undefined;
  readonly rollbackOrder?: keyof typeof ORDERS | undefined;
  readonly rollbackFailureAction?: 'pause' | 'continue' | undefined;
  readonly rollbackMonitor?: string | undefined;
  readonly rollbackMaxFailureRatio?: number | undefined;
}

export function withUpdateFlags<T>(y: Argv<T>): Argv<T & UpdateFlags> {
  return y
    .option('update-parallelism', { type: 'number', describe: `Tasks replaced at a time (0 = all at once; default ${UPDATE_DEFAULTS.parallelism})` })
    .option('update-delay', { type: 'string', describe: 'Wait between batches, e.g. 10s (default 0s)' })
    .option('update-order', { choices: ['stop-first', 'start-first'] as const, describe: 'Stop the old task first, or start the new one first (default stop-first)' })
    .option('update-failure-action', { choices: ['pause', 'continue', 'rollback'] as const, describe: 'When a new task fails while monitored (default pause)' })
    .option('update-monitor', { type: 'string', describe: 'How long each new task is watched for failure, e.g. 5s (default 5s)' })
    .option('update-max-failure-ratio', { type: 'number', describe: 'Share of updated tasks that may fail before the failure action applies, 0..1 (default 0)' })
    // A rollback returns to the previous spec and follows that spec's rollback settings (docker's rule).
    .option('rollback-parallelism', { type: 'number', describe: `Tasks rolled back at a time (0 = all at once; default ${UPDATE_DEFAULTS.parallelism})` })
    .option('rollback-delay', { type: 'string', describe: 'Wait between rollback batches, e.g. 10s (default 0s)' })
    .option('rollback-order', { choices: ['stop-first', 'start-first'] as const, describe: 'Rollback order (default stop-first)' })
    .option('rollback-failure-action', { choices: ['pause', 'continue'] as const, describe: 'When a task fails during a rollback (default pause)' })
    .option('rollback-monitor', { type: 'string', describe: 'How long each rolled-back task is watched for failure, e.g. 5s (default 5s)' })
    .option('rollback-max-failure-ratio', { type: 'number', describe: 'Share of rolled-back tasks that may fail before the failure action applies, 0..1 (default 0)' });
}

/** "0", "0s" or a duration (parseDuration refuses zero, which is meaningful here). */
function durationOrZero(text: string, flag: string): number {
  return /^0+(ms|s|m|h)?$/.test(text.trim()) ? 0 : parseDuration(text, flag);
}

/** One rollout config (update or rollback) from its flags, each given flag overriding `base` (the service's, or the defaults). */
interface RolloutFlags {
  readonly parallelism: number | undefined;
  readonly delay: string | undefined;
  readonly order: keyof typeof ORDERS | undefined;
  readonly failureAction: keyof typeof ACTIONS | undefined;
  readonly monitor: string | undefined;
  readonly maxFailureRatio: number | undefined;
}

function rolloutConfigOf(prefix: 'update' | 'rollback', f: RolloutFlags, base: UpdateConfig | null | undefined): UpdateConfig {
  const p = f.parallelism;
  if (p !== undefined && (!Number.isSafeInteger(p) || p < 0)) throw new ShoalError('INVALID_ARGUMENT', `--${prefix}-parallelism must be a whole number, 0 or more (got ${String(p)})`);
  const ratio = f.maxFailureRatio;
  if (ratio !== undefined && !(Number.isFinite(ratio) && ratio >= 0 && ratio <= 1)) {
    throw new ShoalError('INVALID_ARGUMENT', `--${prefix}-max-failure-ratio must be a number from 0 to 1 (got ${String(ratio)})`);
  }
  return {
    maxFailureRatio: ratio ?? base?.maxFailureRatio ?? 0,
    parallelism: p ?? base?.parallelism ?? UPDATE_DEFAULTS.parallelism,
    delayMs: f.delay !== undefined ? durationOrZero(f.delay, `--${prefix}-delay`) : (base?.delayMs ?? UPDATE_DEFAULTS.delayMs),
    order: f.order !== undefined ? ORDERS[f.order] : (base?.order ?? ORDERS[UPDATE_DEFAULTS.order]),
    failureAction: f.failureAction !== undefined ? ACTIONS[f.failureAction] : (base?.failureAction ?? ACTIONS[UPDATE_DEFAULTS.failureAction]),
    monitorMs: f.monitor !== undefined ? durationOrZero(f.monitor, `--${prefix}-monitor`) : (base?.monitorMs ?? UPDATE_DEFAULTS.monitorMs),
  };
}

/** The update config from the `--update-*` flags over `base`. */
export function updateConfigOf(a: UpdateFlags, base: UpdateConfig | null | undefined): UpdateConfig {
  return rolloutConfigOf('update', {
    parallelism: a.updateParallelism, delay: a.updateDelay, order: a.updateOrder,
    failureAction: a.updateFailureAction, monitor: a.updateMonitor, maxFailureRatio: a.updateMaxFailureRatio,
  }, base);
}

/**
 * The rollback config from the `--rollback-*` flags over `base`, or undefined when neither a flag
 * nor a base is there: then a rollback keeps using the update settings and pauses at its first failure.
 */
export function rollbackConfigOf(a: UpdateFlags, base: UpdateConfig | null | undefined): UpdateConfig | undefined {
  const f: RolloutFlags = {
    parallelism: a.rollbackParallelism, delay: a.rollbackDelay, order: a.rollbackOrder,
    failureAction: a.rollbackFailureAction, monitor: a.rollbackMonitor, maxFailureRatio: a.rollbackMaxFailureRatio,
  };
  if (Object.values(f).every((v) => v === undefined)) return base ?? undefined;
  return rolloutConfigOf('rollback', f, base);
}

export const updateStateWord = (v: unknown): string => enumWord(v as string, 'UPDATE_STATE_');

/** The JSON of `service inspect` for the update config and status. */
export function rolloutRecord(s: Service__Output): Record<string, unknown> {
  const st = s.updateStatus;
  return {
    updateConfig: updateConfigRecord(s.updateConfig),
    ...(s.rollbackConfig ? { rollbackConfig: updateConfigRecord(s.rollbackConfig) } : {}),
    updateStatus: st
      ? {
          state: updateStateWord(st.state),
          startedAt: new Date(Number(st.startedUnixMs)).toISOString(),
          completedAt: Number(st.completedUnixMs) > 0 ? new Date(Number(st.completedUnixMs)).toISOString() : null,
          message: st.message,
        }
      : null,
  };
}

function updateConfigRecord(c: UpdateConfig__Output | null | undefined): Record<string, unknown> {
  return {
    parallelism: Number(c?.parallelism ?? 0),
    delayMs: Number(c?.delayMs ?? 0),
    order: enumWord(c?.order, 'UPDATE_ORDER_'),
    failureAction: enumWord(c?.failureAction, 'UPDATE_FAILURE_ACTION_'),
    monitorMs: Number(c?.monitorMs ?? 0),
    maxFailureRatio: Number(c?.maxFailureRatio ?? 0),
  };
}

const ENDED = new Set(['completed', 'paused', 'rollback-completed', 'rollback-paused']);

/**
 * Follows the rollout the write started (`startedAfterMs`: the service's
 * update status must have started after it) and prints each change of state.
 * Returns the final state word, or '' when the service needed no rollout or
 * the wait ran out. A paused or rolled-back update is an error (exit 1), as
 * with `docker service update`.
 */
export async function followRollout(api: ServiceApi, ref: string, startedAfterMs: number): Promise<string> {
  const deadline = Date.now() + ROLLOUT_WAIT_MS;
  let last = '';
  for (;;) {
    const s = (await api.getService({ ref })).service;
    const st = s?.updateStatus;
    if (!s || !st || Number(st.startedUnixMs) < startedAfterMs) return '';
    const state = updateStateWord(st.state);
    const tasks = (await api.listTasks({ serviceIds: [s.id], desiredStates: ['TASK_STATE_RUNNING'] })).tasks;
    const fresh = tasks.filter((t) => t.status?.state === 'TASK_STATE_RUNNING' && Number(t.createdUnixMs) >= Number(st.startedUnixMs)).length;
    const target = state.startsWith('rollback') ? 'restored' : 'new';
    const line = `${state}: ${fresh} task(s) of the ${target} spec running${st.message && ENDED.has(state) ? ` — ${st.message}` : ''}`;
    if (line !== last) process.stdout.write(`${line}\n`);
    last = line;
    if (ENDED.has(state)) {
      if (state === 'paused' || state === 'rollback-paused' || (state === 'rollback-completed' && st.message.includes('update failed'))) {
        throw new ShoalError('FAILED_PRECONDITION', `service ${s.name}: ${st.message}`);
      }
      return state;
    }
    if (Date.now() >= deadline) {
      process.stdout.write(`still ${state} after ${Math.round(ROLLOUT_WAIT_MS / 1000)} s; follow it with \`shoal service inspect ${s.name}\`\n`);
      return '';
    }
    await new Promise((r) => setTimeout(r, ROLLOUT_POLL_MS));
  }
}
