/**
 * Reservations: addresses held for an owner that does not exist yet.
 *
 * `AttachNetwork` for a container ID that has no container yet (and, later, Docker's
 * RequestAddress before CreateEndpoint) reserves an address with a deadline
 * (`attachments.expires_at`, from the proposer's clock, replicated). Creating the owner claims
 * it (the deadline is cleared). A client that dies in between never claims it, so the leader
 * proposes `attachment.expire` for reservations past their deadline; apply re-checks each one
 * against the command's time and frees only those still unclaimed. The deadline lives in the
 * replicated rows, so a new leader continues where the old one stopped: the bound holds across
 * leader changes (shifted only by the clock skew between managers).
 *
 * Runs inside apply (deterministic) except `dueReservations`, a read for the leader's sweep.
 */
import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { ShoalError } from '../../errors.js';
import { releaseAttachment } from './attachments.js';
import { attachmentById, containerById } from './network-queries.js';
import { RESERVATION_TTL_MAX_MS, RESERVATION_TTL_MS } from './reservation-ttl.js';

export { RESERVATION_TTL_MS, RESERVATION_TTL_MAX_MS };

/** The deadline of a reservation made at `at` for `reserveMs` (absent = the default TTL). */
export function reservationDeadline(at: number, reserveMs?: number): number {
  const ttl = reserveMs === undefined || reserveMs <= 0 ? RESERVATION_TTL_MS : Math.min(reserveMs, RESERVATION_TTL_MAX_MS);
  return at + ttl;
}

/** The owner now exists: its reservations become ordinary attachments (no deadline). */
export function claimReservations(db: Database.Database, ownerKind: 'container' | 'task', ownerId: string): number {
  return stmt(db, 'UPDATE attachments SET expires_at = 0 WHERE owner_kind = ? AND owner_id = ? AND expires_at > 0').run(ownerKind, ownerId).changes;
}

/**
 * Applies `attachment.expire`: frees each listed reservation that still exists, is still
 * unclaimed and whose deadline is at or before `at`. One whose owner appeared meanwhile is
 * claimed instead. Returns how many were freed.
 */
export function applyExpireReservations(db: Database.Database, at: number, ids: readonly string[]): { freed: number } {
  if (ids.length > EXPIRE_BATCH_MAX) throw new ShoalError('INVALID_ARGUMENT', `ids: at most ${EXPIRE_BATCH_MAX} reservations per command, got ${ids.length}`);
  let freed = 0;
  for (const id of ids) {
    const a = attachmentById(db, id);
    if (!a || a.expiresAt === 0 || a.expiresAt > at) continue;
    if (a.ownerKind === 'container' && containerById(db, a.ownerId)) {
      claimReservations(db, 'container', a.ownerId);
      continue;
    }
    releaseAttachment(db, a); // like attachment.detach of an unclaimed reservation: no object changes
    freed++;
  }
  return { freed };
}

/** At most this many reservations are freed by one command (a bound on one apply's work). */
export const EXPIRE_BATCH_MAX = 256;

/** Reservations whose deadline is at or before `now`, oldest first (the leader's sweep). */
export function dueReservations(db: Database.Database, now: number, limit = EXPIRE_BATCH_MAX): { id: string; expiresAt: number }[] {
  return (stmt(db, 'SELECT id, expires_at FROM attachments WHERE expires_at > 0 AND expires_at <= ? ORDER BY expires_at, id LIMIT ?').all(now, limit) as {
    id: string;
    expires_at: number;
  }[]).map((r) => ({ id: r.id, expiresAt: r.expires_at }));
}
