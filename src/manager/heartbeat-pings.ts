/**
 * Heartbeats as HTTP/2 PINGs: an agent's channel pings the leader once per heartbeat period,
 * and every PING on the connection of a Connect session counts as that session's heartbeat.
 *
 * Why: a heartbeat message costs the leader a whole trip through grpc-js each way (the DATA
 * frame's stream read, the message decoder and its promise, protobuf decode, the answer's encode,
 * framing and write, and their callbacks); at 1,000 workers and a 1 s period that was 15 % of a
 * core. nghttp2 answers a PING by itself, in C++; the leader's JavaScript runs one listener call
 * per PING (Node calls into JavaScript only while a 'ping' listener is attached). Frozen or cut-off
 * workers stop pinging, so they are still marked down after the missed-heartbeat grace.
 *
 * grpc-js does not expose a call's HTTP/2 session, so `connectionOf` reads it from grpc-js's
 * server call objects (1.14: the handler's call wraps a chain of intercepting calls, the innermost
 * holding the HTTP/2 stream). If that shape changes, it returns null and the session is simply
 * not offered ping heartbeats: its agent keeps sending a heartbeat message every period.
 */
import type { ServerHttp2Session } from 'node:http2';

/** The liveness a PING refreshes (the dispatcher's Session). */
export interface PingedSession {
  lastSeenMs: number;
}

/** Bound on the call wrappers followed to reach grpc-js's innermost server call. */
const CALL_CHAIN_MAX = 8;

/** The HTTP/2 session a grpc-js server call arrived on, or null if it cannot be found. */
export function connectionOf(call: object): ServerHttp2Session | null {
  // grpc-js internals (see above): handler call → `.call` → `.nextCall`* → `.stream.session`.
  let c = (call as { call?: unknown }).call;
  for (let i = 0; i < CALL_CHAIN_MAX && typeof c === 'object' && c !== null; i++) {
    const stream = (c as { stream?: { session?: unknown } }).stream;
    const session = stream?.session;
    if (typeof session === 'object' && session !== null && typeof (session as ServerHttp2Session).on === 'function' && 'ping' in session) {
      return session as ServerHttp2Session;
    }
    c = (c as { nextCall?: unknown }).nextCall;
  }
  return null;
}

/** Which sessions each HTTP/2 connection keeps alive; one 'ping' listener per connection. */
export class PingLiveness {
  private readonly byConnection = new Map<ServerHttp2Session, { sessions: Set<PingedSession>; onPing: () => void }>();
  /** Connections with a 'close' listener already (an agent may open many sessions on one connection). */
  private readonly closeWatched = new WeakSet<ServerHttp2Session>();

  /** Counts PINGs on `call`'s connection as `session`'s heartbeats; false if the connection is not reachable. */
  attach(call: object, session: PingedSession): boolean {
    const conn = connectionOf(call);
    if (!conn || conn.destroyed) return false;
    let entry = this.byConnection.get(conn);
    if (!entry) {
      const sessions = new Set<PingedSession>();
      const onPing = (): void => {
        const now = Date.now();
        for (const s of sessions) s.lastSeenMs = now;
      };
      entry = { sessions, onPing };
      this.byConnection.set(conn, entry);
      conn.on('ping', onPing);
      if (!this.closeWatched.has(conn)) {
        this.closeWatched.add(conn);
        // A closed connection pings no more; its sessions end through their broken streams.
        conn.once('close', () => this.dropConnection(conn));
      }
    }
    entry.sessions.add(session);
    return true;
  }

  /** Stops counting PINGs for `session` (it ended). */
  detach(call: object, session: PingedSession): void {
    const conn = connectionOf(call);
    const entry = conn ? this.byConnection.get(conn) : undefined;
    if (!conn || !entry) return;
    entry.sessions.delete(session);
    if (entry.sessions.size === 0) this.dropConnection(conn);
  }

  /** Connections listened to (for tests). */
  get size(): number {
    return this.byConnection.size;
  }

  private dropConnection(conn: ServerHttp2Session): void {
    const entry = this.byConnection.get(conn);
    if (!entry) return;
    this.byConnection.delete(conn);
    conn.off('ping', entry.onPing);
  }
}
