/**
 * Named points inside the storage's write paths. A test hook may throw at one
 * of them to simulate a crash exactly there; the crash tests also use them to
 * time a kill -9. In production `faults` is absent and the calls cost nothing.
 */
export type FaultPoint =
  | 'persist:after-snapshot-file' // snapshot data file durable, raft.db not yet changed
  | 'persist:before-commit' // inside the raft.db transaction, before COMMIT
  | 'persist:after-commit' // committed; old snapshot files not yet removed
  | 'compact:after-snapshot-file'
  | 'compact:before-commit'
  | 'compact:after-commit'
  | 'apply:before-commit' // inside the state.db transaction, before COMMIT
  | 'restore:after-tmp-write' // new image durable in state.db.restore-tmp; old db untouched
  | 'restore:after-close' // old db checkpointed and closed
  | 'restore:after-wal-removed' // old db's -wal/-shm gone (they were empty after the checkpoint)
  | 'restore:after-rename' // new image is state.db; directory entry not yet fsynced
  | 'restore:after-dir-fsync'; // rename durable; new db not yet reopened

export interface FaultHooks {
  before?(point: FaultPoint): void;
}
