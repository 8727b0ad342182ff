/**
 * When a ready node without a session is taken for lost: the missed-heartbeat rule, with the
 * grace a leader gives every node after it starts leading.
 *
 * Sessions live in the leader's memory. A manager that has just become leader (an election after
 * the old leader died or stepped down, a restart of a lone manager, or `init --force-new-cluster`)
 * has none: every worker has to notice that its old session is gone, find this manager, and open
 * a new session with it. That takes time that does not shrink with the heartbeat period: the
 * agent walks its manager list with a backoff, its gRPC channel to a manager that was down waits
 * out a reconnect backoff, and a TLS handshake on a loaded host takes a while. So, as swarmkit
 * keeps nodes "unknown" after a leader change, a node this leader has not heard from yet gets
 * six heartbeat periods, and never less than LEADERSHIP_GRACE_MIN_MS, counted from when this
 * manager started leading. A node that opened a session with this leader is back on the ordinary
 * rule: three periods from the last time it was heard.
 *
 * A worker that is really gone (killed before or during the leader change) is still marked down,
 * once the grace has passed. Under a stable leader nothing changes: its workers all hold
 * sessions with it, and a lost one is found by its broken stream or its missed heartbeats.
 *
 * Pure: the caller passes the clock.
 */

/** Missed heartbeat periods after which a node is marked down. */
export const HEARTBEAT_PERIODS_DOWN = 3;
/**
 * After a leader change, a node that has not opened a session with this leader yet gets twice as
 * long (as swarmkit does): its agent first has to notice the old leader is gone and find the new
 * one, with a backoff that may have grown during the election.
 */
export const HEARTBEAT_PERIODS_DOWN_AFTER_ELECTION = 2 * HEARTBEAT_PERIODS_DOWN;
/**
 * The least grace after this manager starts leading, whatever the heartbeat period: the agents'
 * reconnect (manager list walk, gRPC reconnect backoff capped at 2 s, TLS handshake) costs
 * seconds that a short period does not shorten, least of all on a loaded host.
 */
export const LEADERSHIP_GRACE_MIN_MS = 10_000;

/** How long a node this leader has not heard from has, counted from when this manager started leading. */
export function leadershipGraceMs(heartbeatMs: number): number {
  return Math.max(HEARTBEAT_PERIODS_DOWN_AFTER_ELECTION * heartbeatMs, LEADERSHIP_GRACE_MIN_MS);
}

export interface SilentNode {
  /** When this manager last heard from the node (its session's last heartbeat), 0 if never in this leadership. */
  readonly lastSeenMs: number;
}

export interface LivenessClock {
  readonly nowMs: number;
  /** When this manager started leading (shifted by its own event-loop stalls). */
  readonly leaderSinceMs: number;
  readonly heartbeatMs: number;
}

/**
 * For a ready node that holds no session with this leader: null while it is within its grace,
 * else how long it has been silent (for the down message).
 */
export function overdueSilenceMs(node: SilentNode, clock: LivenessClock): number | null {
  const heardThisLeadership = node.lastSeenMs > clock.leaderSinceMs;
  const since = heardThisLeadership ? node.lastSeenMs : clock.leaderSinceMs;
  const graceMs = heardThisLeadership ? HEARTBEAT_PERIODS_DOWN * clock.heartbeatMs : leadershipGraceMs(clock.heartbeatMs);
  const silentMs = clock.nowMs - since;
  return silentMs > graceMs ? silentMs : null;
}
