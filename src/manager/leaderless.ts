/**
 * How long this manager has known no leader. An election takes about one election timeout;
 * a manager that has seen none succeed for several is most likely cut off from a quorum, and
 * says so rather than "election in progress" (issue 18: each cause its own message).
 */
import type { Manager } from './manager.js';

const since = new WeakMap<Manager, { at: number | null }>();

function state(m: Manager): { at: number | null } {
  let s = since.get(m);
  if (!s) {
    const fresh: { at: number | null } = { at: m.shell.leaderId === 0 ? Date.now() : null };
    m.shell.onEvent((e) => {
      if (e.type === 'leader-changed') fresh.at = e.leader === 0 ? (fresh.at ?? Date.now()) : null;
    });
    since.set(m, fresh);
    s = fresh;
  }
  return s;
}

/** Starts tracking (call once at startup so the first leaderless period is timed from its start). */
export function trackLeadership(m: Manager): void {
  state(m);
}

/** Milliseconds without a known leader; 0 while one is known. */
export function leaderlessForMs(m: Manager): number {
  const at = state(m).at;
  return m.shell.leaderId !== 0 || at === null ? 0 : Date.now() - at;
}
