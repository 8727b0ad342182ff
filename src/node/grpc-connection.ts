/**
 * The HTTP/2 session (the connection) a grpc-js server call arrived on.
 *
 * grpc-js has no public per-connection handle, and two parts of the manager need one:
 * - the authorization interceptor (security/authz.ts) parses the peer certificate once per
 *   connection instead of once per call;
 * - the dispatcher (heartbeat-pings.ts) counts any traffic on a worker's connection, HTTP/2 PINGs
 *   included, as that worker's heartbeats.
 *
 * Both read grpc-js internals, so they read them here, in one place to check at every grpc-js
 * upgrade. In grpc-js 1.14 (server-call.js, server-interceptors.js):
 * - a handler's call object (ServerUnaryCallImpl, ServerDuplexStreamImpl, …) keeps the
 *   intercepting call in `.call`;
 * - an intercepting call (ServerInterceptingCall) wraps the next one in `.nextCall`;
 * - the innermost (BaseServerInterceptingCall, which is what an interceptor of the server
 *   credentials receives) keeps its http2.ServerHttp2Stream in `.stream`, whose `.session` is the
 *   connection.
 * The walk below follows `.call` and `.nextCall` from whichever of these it is given until a
 * `.stream.session` that looks like an HTTP/2 session. If a grpc-js version changes the shape, it
 * returns null, and each user falls back to something correct and slower (a per-call certificate
 * parse; heartbeat messages instead of PINGs). test/node/grpc-connection.test.ts fails then, so
 * the change is noticed rather than silently costing CPU.
 */
import type { ServerHttp2Session } from 'node:http2';

/** Bound on the call wrappers followed (1.14 has at most: handler call, one per interceptor, the base call). */
const CALL_CHAIN_MAX = 8;

/** The HTTP/2 session `call` (a handler's call or an interceptor's call) arrived on, or null if it cannot be found. */
export function connectionOf(call: object): ServerHttp2Session | null {
  let c: unknown = call;
  for (let i = 0; i < CALL_CHAIN_MAX && typeof c === 'object' && c !== null; i++) {
    const session = (c as { stream?: { session?: unknown } }).stream?.session;
    if (isHttp2Session(session)) return session;
    const inner = c as { call?: unknown; nextCall?: unknown };
    c = inner.call ?? inner.nextCall;
  }
  return null;
}

/** Duck-typed: node:http2 does not export its session class. */
function isHttp2Session(s: unknown): s is ServerHttp2Session {
  return typeof s === 'object' && s !== null && typeof (s as ServerHttp2Session).ping === 'function' && 'socket' in s;
}
