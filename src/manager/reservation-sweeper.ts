/**
 * The leader's side of reservations (store/reservations.ts): once a second it looks for
 * reservations past their deadline and proposes `attachment.expire` for them. The deadlines
 * are replicated, so whichever manager leads next picks up where this one stopped; apply
 * re-checks every reservation, so a stale or duplicated sweep frees nothing it should not.
 */
import type { Manager } from './manager.js';
import { dueReservations } from './store/reservations.js';

const SWEEP_INTERVAL_MS = 1_000;

export function startReservationSweeper(m: Manager): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy || !m.shell.isLeader) return;
    const now = Date.now();
    const due = dueReservations(m.store.db, now);
    if (due.length === 0) return;
    busy = true;
    m.write({ op: 'attachment.expire', at: now, ids: due.map((d) => d.id) })
      .then((r) => m.log.info('reservations-expired', { due: due.length, freed: (r as { freed: number }).freed }))
      // Leadership moves and quorum losses make this fail now and then; the next round retries.
      .catch((e: unknown) => m.log.warn('reservation-sweep-failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        busy = false;
      });
  }, SWEEP_INTERVAL_MS);
  return () => clearInterval(timer);
}
