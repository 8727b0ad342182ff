/**
 * Heartbeats as HTTP/2 PINGs: an agent's channel pings the leader once per heartbeat period,
 * and every PING on the connection of a Connect session counts as that session's heartbeat.
 *
 * Why: a heartbeat message costs the leader a whole trip through grpc-js each way (the DATA
 * frame's stream read, the message decoder and its promise, protobuf decode, the answer's encode,
 * framing and write, and their callbacks); at 1,000 workers and a 1 s period that was 15 % of a
 * core. nghttp2 answers a PING by itself, in C++, and with no 'ping' listener attached Node does
 * not call into JavaScript for it. The leader instead reads, a few times a second, how many bytes
 * each watched connection has received: a connection that received anything (a PING, or any other
 * frame) since the last look proves its worker alive. Frozen or cut-off workers stop sending, so
 * they are still marked down after the missed-heartbeat grace.
 *
 * grpc-js does not expose a call's HTTP/2 session; `connectionOf` (src/node/grpc-connection.ts) reads it
 * from grpc-js internals. If that shape changes, it returns null and the session is simply not
 * offered ping heartbeats: its agent keeps sending a heartbeat message every period.
 */
import type { ServerHttp2Session } from 'node:http2';
import { connectionOf } from '../node/grpc-connection.js';

/** The liveness a PING refreshes (the dispatcher's Session). */
export interface PingedSession {
  lastSeenMs: number;
}

/** Bytes received on an HTTP/2 connection so far (PINGs and every other frame), or null if unreadable. */
function bytesReadOf(conn: ServerHttp2Session): number | null {
  try {
    const n = conn.socket.bytesRead;
    return typeof n === 'number' ? n : null;
  } catch {
    return null; // the connection is gone
  }
}

/**
 * Which sessions each HTTP/2 connection keeps alive. A connection that received any bytes since the
 * last look (a PING, or any other frame) refreshes its sessions' `lastSeenMs`. Reading a byte count
 * a few times a second costs the leader far less than a JavaScript callback per PING: with no
 * 'ping' listener, Node and nghttp2 answer PINGs without entering JavaScript at all.
 */
export class PingLiveness {
  private readonly byConnection = new Map<ServerHttp2Session, { sessions: Set<PingedSession>; bytesRead: number }>();

  /** Counts traffic on `call`'s connection as `session`'s heartbeats; false if the connection is not reachable. */
  attach(call: object, session: PingedSession): boolean {
    const conn = connectionOf(call);
    if (!conn || conn.destroyed) return false;
    let entry = this.byConnection.get(conn);
    if (!entry) {
      const bytesRead = bytesReadOf(conn);
      if (bytesRead === null) return false;
      entry = { sessions: new Set(), bytesRead };
      this.byConnection.set(conn, entry);
    }
    entry.sessions.add(session);
    return true;
  }

  /** Stops counting traffic for `session` (it ended). */
  detach(call: object, session: PingedSession): void {
    const conn = connectionOf(call);
    const entry = conn ? this.byConnection.get(conn) : undefined;
    if (!conn || !entry) return;
    entry.sessions.delete(session);
    if (entry.sessions.size === 0) this.byConnection.delete(conn);
  }

  /** Sessions whose connection received anything since the last call were seen at `nowMs`. */
  refresh(nowMs: number): void {
    for (const [conn, entry] of this.byConnection) {
      const bytesRead = conn.destroyed ? null : bytesReadOf(conn);
      if (bytesRead === null) {
        // Closed: its sessions end through their broken streams; nothing more arrives here.
        this.byConnection.delete(conn);
        continue;
      }
      if (bytesRead === entry.bytesRead) continue;
      entry.bytesRead = bytesRead;
      for (const s of entry.sessions) s.lastSeenMs = nowMs;
    }
  }

  /** Connections watched (for tests). */
  get size(): number {
    return this.byConnection.size;
  }
}
