/**
 * File names inside a node's data dir that both the daemon and the CLI use.
 * They live in this dependency-free module so the CLI can name them without
 * loading the manager (SQLite, Raft, every service) at each start.
 */

/** The local API socket (unix domain): the CLI's default target. */
export const SOCKET_FILE = 'shoal.sock';
/** The running daemon's pid and its start time (two lines). */
export const PID_FILE = 'shoal.pid';
/** Where a background daemon's stdout/stderr go. */
export const LOG_FILE_NAME = 'shoal.log';
