import type Database from 'better-sqlite3';
import type { NetworkCommand } from './network-commands.js';

/** Applies a network/container command (see network-commands.ts). */
export function applyNetworkCommand(_db: Database.Database, cmd: NetworkCommand, _index: number): unknown {
  return cmd;
}
