import type Database from 'better-sqlite3';

/** Tables for networks, containers and address attachments. */
export function migrateNetworkSchema(_db: Database.Database): void {}
