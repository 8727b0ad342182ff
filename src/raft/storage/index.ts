export { SqliteLogStorage, LOG_FILE, SNAPSHOT_DIR } from './sqlite-log.js';
export type { LogUpdate, SqliteLogOptions } from './sqlite-log.js';
export { SqliteStateMachine, InvalidSnapshotError, applyBatchEntriesMax } from './sqlite-state.js';
export type { Applied, ApplyOutcome, StateMachineOptions } from './sqlite-state.js';
export { DataDirError, StorageInvariantError } from './errors.js';
export type { FaultHooks, FaultPoint } from './faults.js';
