import type Database from 'better-sqlite3';
import type { ServiceCommand } from './service-commands.js';

/** Applies a service/task command (see service-commands.ts). */
export function applyServiceCommand(_db: Database.Database, cmd: ServiceCommand, _index: number): unknown {
  return cmd;
}
