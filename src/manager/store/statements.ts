import type Database from 'better-sqlite3';

/**
 * Prepared statements, cached per connection. Preparing SQL costs more than
 * running these small statements, and the apply and query paths run the same
 * few dozen statements for every write. Keyed by the connection object, so a
 * restore() that swaps the handle starts with a fresh cache.
 */
const STATEMENTS_CACHED_MAX = 1_000;
const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function stmt(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    // A bound on a cache keyed by text: SQL built from a fixed set of fragments stays far below it.
    if (cache.size >= STATEMENTS_CACHED_MAX) cache.clear();
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}
