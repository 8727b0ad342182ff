import path from 'node:path';

const ADVICE_DEFAULT = 'restore a backup or remove the data dir to start a fresh node';

/**
 * A file in the node's data dir cannot be used as it is: it is corrupt, from an
 * incompatible version, or missing a part. The node must not start on it and
 * must never reset it silently; the message names the file and says what an
 * operator can do.
 */
export class DataDirError extends Error {
  /**
   * @param file   absolute or relative path of the offending file
   * @param reason what is wrong, as a phrase following the file name ("is not a database")
   * @param advice what the operator can do about it
   */
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly advice: string = ADVICE_DEFAULT,
  ) {
    super(`${path.basename(file)} in ${path.dirname(path.resolve(file))} ${reason}; ${advice}`);
    this.name = 'DataDirError';
  }
}

/** A broken invariant: a bug in the caller or in this module. Never caught to carry on. */
export class StorageInvariantError extends Error {
  constructor(message: string) {
    super(`storage invariant violated: ${message}`);
    this.name = 'StorageInvariantError';
  }
}

export function invariant(condition: boolean, message: string | (() => string)): asserts condition {
  if (!condition) throw new StorageInvariantError(typeof message === 'string' ? message : message());
}
