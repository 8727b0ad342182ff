// Original file: proto/shoal/v1/control.proto


/**
 * Request for Backup.Save.
 */
export interface SaveBackupRequest {
}

/**
 * Request for Backup.Save.
 */
export interface SaveBackupRequest__Output {
}
