/**
 * Indexes that only speed up reads, made on every open (and after a snapshot is installed), not
 * by a schema migration: they change no row and no answer (every query that reads them orders
 * its result), so a state database or snapshot image with or without them holds the same state,
 * and adding one needs no schema version that an older manager would refuse.
 * - nodes_by_role: `listManagers` (joins, membership, every heartbeat answer's manager list)
 *   reads the few managers, not every worker;
 * - nodes_by_status, nodes_by_availability: the orchestrator's lost-node sweeps start from the
 *   down or drained nodes (task-queries.ts), not from every node, each 100 ms round.
 */
import type Database from 'better-sqlite3';

export function ensureReadIndexes(db: Database.Database): void {
  db.exec(`
    CREATE INDEX IF NOT EXISTS nodes_by_role ON nodes (role);
    CREATE INDEX IF NOT EXISTS nodes_by_status ON nodes (status);
    CREATE INDEX IF NOT EXISTS nodes_by_availability ON nodes (availability);
  `);
}
