import * as grpc from '@grpc/grpc-js';
import { ShoalError } from '../errors.js';
import { fromServiceError } from './grpc-util.js';
import type { Manager } from './manager.js';
import { callerOf, setCaller } from '../security/authz.js';

/**
 * Writes are served by the leader. A follower that receives one passes the
 * whole call on to the leader (one hop, marked in the metadata so that two
 * managers with different ideas of who leads can never bounce a call forever).
 */
const FORWARDED_KEY = 'x-shoal-forwarded';
const FORWARD_TIMEOUT_MS = 15_000;

/**
 * A generated client's unary method. Its response is typed `unknown` here: the
 * leader answers the same method, so the caller's own response type applies.
 */
type UnaryMethod<Req> = (req: Req, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: unknown) => void) => unknown;

export function wasForwarded(call: { metadata: grpc.Metadata }): boolean {
  return call.metadata.get(FORWARDED_KEY).length > 0;
}

/**
 * Runs `local` on the leader; elsewhere forwards the request with `pick(client)`,
 * which returns the client's method bound to it.
 * If this manager thought it led but lost leadership meanwhile, it forwards then.
 */
export async function onLeader<C, Req, Res>(
  m: Manager,
  call: { metadata: grpc.Metadata; request: Req },
  clientAt: (addr: string) => C,
  pick: (client: C) => UnaryMethod<Req>,
  local: () => Promise<Res>,
): Promise<Res> {
  const forwarded = wasForwarded(call);
  if (!m.shell.isLeader && !forwarded) return forward(m, call, clientAt, pick);
  try {
    return await local();
  } catch (e) {
    if (m.isNotLeader(e) && !forwarded && e.leader !== 0) return forward(m, call, clientAt, pick);
    throw e;
  }
}

function forward<C, Req, Res>(m: Manager, call: { metadata: grpc.Metadata; request: Req }, clientAt: (addr: string) => C, pick: (client: C) => UnaryMethod<Req>): Promise<Res> {
  const addr = m.leaderAddr();
  if (addr === m.config.advertiseAddr) {
    return Promise.reject(new ShoalError('UNAVAILABLE', 'leadership is changing; retry shortly'));
  }
  const client = clientAt(addr);
  const method = pick(client);
  const meta = new grpc.Metadata();
  meta.set(FORWARDED_KEY, String(m.config.raftId));
  // The caller's identity travels with the call (the leader trusts it only because this peer is a manager);
  // a call from the local socket acts as this node.
  setCaller(meta, callerOf(call.metadata) ?? { id: m.config.nodeId, role: 'manager' });
  return new Promise<Res>((resolve, reject) => {
    method(call.request, meta, { deadline: Date.now() + FORWARD_TIMEOUT_MS }, (err, res) => {
      if (err) {
        const e = fromServiceError(err);
        // The leader itself could not be reached: say so rather than echo a transport error.
        if (err.code === grpc.status.UNAVAILABLE && !err.details.includes('quorum')) {
          reject(new ShoalError('UNAVAILABLE', `the leader at ${addr} cannot be reached (${e.message}); retry shortly`));
        } else reject(e);
      } else if (res === undefined) reject(new ShoalError('INTERNAL', 'empty response from the leader'));
      else resolve(res as Res);
    });
  });
}
