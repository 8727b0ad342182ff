import type Database from 'better-sqlite3';

/** Tables for services and tasks. */
export function migrateServiceSchema(_db: Database.Database): void {}
