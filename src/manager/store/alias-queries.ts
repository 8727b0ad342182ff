/**
 * Network aliases of standalone containers (containers.aliases, vip-schema.ts) and the names
 * of endpoint owners as `network inspect` shows them. Kept apart from network-queries.ts so the
 * container row's shape stays as it was.
 */
import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import type { OwnerKind } from './network-commands.js';

/** A container's network aliases ([] for none or an unknown container). */
export function containerAliases(db: Database.Database, containerId: string): string[] {
  const row = stmt(db, 'SELECT aliases FROM containers WHERE id = ?').get(containerId) as { aliases: string } | undefined;
  return row ? (JSON.parse(row.aliases) as string[]) : [];
}

/** Every container's aliases, by container ID (only containers that have some). */
export function allContainerAliases(db: Database.Database): Map<string, string[]> {
  const rows = stmt(db, "SELECT id, aliases FROM containers WHERE aliases != '[]'").all() as { id: string; aliases: string }[];
  return new Map(rows.map((r) => [r.id, JSON.parse(r.aliases) as string[]]));
}

/** For the container.create apply: records the (validated) aliases of the new container. */
export function setContainerAliases(db: Database.Database, containerId: string, aliases: readonly string[]): void {
  if (aliases.length === 0) return;
  stmt(db, 'UPDATE containers SET aliases = ? WHERE id = ?').run(JSON.stringify(aliases), containerId);
}

/** The display name of an endpoint's owner: the container's or the VIP's service's; '' for tasks. */
export function endpointOwnerName(db: Database.Database, kind: OwnerKind, ownerId: string): string {
  if (kind === 'task') return '';
  const table = kind === 'container' ? 'containers' : 'services';
  const row = stmt(db, `SELECT name FROM ${table} WHERE id = ?`).get(ownerId) as { name: string } | undefined;
  return row?.name ?? '';
}
