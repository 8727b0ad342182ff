// Original file: proto/shoal/v1/control.proto

import type { BackupMeta as _shoal_v1_BackupMeta, BackupMeta__Output as _shoal_v1_BackupMeta__Output } from '../../shoal/v1/BackupMeta.js';

/**
 * One message of Backup.Save.
 */
export interface BackupChunk {
  /**
   * Only in the first message.
   */
  'meta'?: (_shoal_v1_BackupMeta | null);
  /**
   * A piece of the state image (a SQLite database), at most 1 MiB.
   */
  'data'?: (Buffer | Uint8Array | string);
}

/**
 * One message of Backup.Save.
 */
export interface BackupChunk__Output {
  /**
   * Only in the first message.
   */
  'meta': (_shoal_v1_BackupMeta__Output | null);
  /**
   * A piece of the state image (a SQLite database), at most 1 MiB.
   */
  'data': (Buffer);
}
