/**
 * The running daemon's pid file: its pid and its start time, so a stale file
 * (the pid reused by another process after a kill -9) is told from a live
 * daemon (bin/daemon-control.ts reads it).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processStartTime } from '../process-info.js';
import { PID_FILE } from './paths.js';

export function writePidFile(dataDir: string): void {
  writeFileSync(join(dataDir, PID_FILE), `${process.pid}\n${processStartTime(process.pid) ?? ''}\n`);
}

export function removePidFile(dataDir: string): void {
  rmSync(join(dataDir, PID_FILE), { force: true });
}
