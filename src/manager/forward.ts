import * as grpc from '@grpc/grpc-js';
import { ShoalError } from '../errors.js';
import { fromServiceError, isFromShoalServer, isRefusedConnection } from './grpc-util.js';
import type { Manager } from './manager.js';
import { callerOf, setCaller } from '../security/authz.js';
import { nodeByRaftId } from './store/queries.js';

/**
 * Writes are served by the leader. A follower that receives one passes the
 * whole call on to the leader (one hop, marked in the metadata so that two
 * managers with different ideas of who leads can never bounce a call forever).
 *
 * Errors say what happened, once: the leader's own answer (e.g. "leadership
 * changed before the write committed") is passed through as it is; only a
 * failure to talk to the leader at all is described here, and then by what
 * it means for the write — not sent, or sent with its outcome unknown. Each
 * write carries its client's request ID, so a retry of an unknown outcome is
 * safe (store/request-ids.ts).
 */
export const FORWARDED_KEY = 'x-shoal-forwarded';
const FORWARD_TIMEOUT_MS = 15_000;
const LEADER_POLL_MS = 50;

/**
 * A generated client's unary method. Its response is typed `unknown` here: the
 * leader answers the same method, so the caller's own response type applies.
 */
type UnaryMethod<Req> = (req: Req, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: unknown) => void) => unknown;

export function wasForwarded(call: { metadata: grpc.Metadata }): boolean {
  return call.metadata.get(FORWARDED_KEY).length > 0;
}

/** One election timeout of this manager, in ms (the upper end of its randomized range). */
export function electionTimeoutMs(m: Manager): number {
  return 2 * m.config.electionTicks * m.config.tickMs;
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
  try {
    // At most a few rounds: each waits at most an election timeout for leadership to settle.
    for (let round = 0; round < 3; round++) {
      if (!forwarded) await settleLeadership(m);
      if (!m.shell.isLeader) {
        if (forwarded) break; // local() refuses with NotLeader, turned into a message below
        return await forward(m, call, clientAt, pick);
      }
      await awaitQuorumContact(m);
      if (m.shell.isLeader || forwarded) break;
      // It just stepped down (a newer leader exists): find out who leads, then forward (or lead again).
    }
    return await local();
  } catch (e) {
    // The core knew first: the shell's view may still name this manager for a moment, so use the core's leader.
    if (m.isNotLeader(e) && !forwarded && e.leader !== 0) return forward(m, call, clientAt, pick, e.leader);
    if (m.isNotLeader(e) && forwarded) {
      // The forwarder believed this manager led; it no longer does. Nothing was proposed here.
      throw new ShoalError(
        'UNAVAILABLE',
        e.leader !== 0
          ? `leadership moved to manager ${e.leader} while the write was on its way; it was not applied`
          : 'this manager stopped leading while the write was on its way and no new leader is known yet; it was not applied',
      );
    }
    throw e;
  }
}

/**
 * During an election (no leader known, or this manager still named as leader although it no
 * longer leads), waits up to one election timeout for a leader rather than failing at once.
 */
async function settleLeadership(m: Manager): Promise<void> {
  const deadline = Date.now() + electionTimeoutMs(m);
  const unsettled = (): boolean => m.shell.leaderId === 0 || (m.shell.leaderId === m.config.raftId && !m.shell.isLeader);
  while (unsettled() && Date.now() < deadline) await sleep(LEADER_POLL_MS);
}

/**
 * A leader that has not heard from a quorum lately — typically one that was paused (SIGSTOP,
 * a long GC, a frozen VM) and has just resumed — waits up to one election timeout: either the
 * other managers answer again (it still leads) or a newer leader's messages make it step down
 * (the caller then forwards). Only if neither happens does the write meet the quorum refusal.
 */
async function awaitQuorumContact(m: Manager): Promise<void> {
  const deadline = Date.now() + electionTimeoutMs(m);
  while (m.shell.isLeader && !reachesQuorum(m) && Date.now() < deadline) await sleep(LEADER_POLL_MS);
}

function reachesQuorum(m: Manager): boolean {
  const voters = m.shell.membership.voters;
  const active = voters.filter((v) => m.shell.isPeerActive(v)).length;
  return active >= Math.floor(voters.length / 2) + 1;
}

function forward<C, Req, Res>(m: Manager, call: { metadata: grpc.Metadata; request: Req }, clientAt: (addr: string) => C, pick: (client: C) => UnaryMethod<Req>, leaderHint = 0): Promise<Res> {
  const hinted = leaderHint !== 0 && leaderHint !== m.config.raftId ? nodeByRaftId(m.store.db, leaderHint)?.addr : undefined;
  const leaderId = hinted ? leaderHint : m.shell.leaderId;
  const addr = hinted ?? m.leaderAddr();
  if (addr === m.config.advertiseAddr) {
    return Promise.reject(new ShoalError('UNAVAILABLE', 'leadership is changing at this very moment (this manager just stopped leading); the write was not applied'));
  }
  const client = clientAt(addr);
  const method = pick(client);
  const meta = new grpc.Metadata();
  meta.set(FORWARDED_KEY, String(m.config.raftId));
  // The caller's identity travels with the call (the leader trusts it only because this peer is a manager);
  // a call from the local socket acts as this node.
  setCaller(meta, callerOf(call.metadata) ?? { id: m.config.nodeId, role: 'manager' });
  const leader = `the leader (manager ${leaderId} at ${addr})`;
  return new Promise<Res>((resolve, reject) => {
    let replaced = false;
    let redialed = false;
    /** Waiting for the channel to the old leader after a refused dial: nothing has been sent. */
    let redialing = false;
    // A leader that is paused or cut off while holding the call would keep it until the deadline;
    // once another leader is elected the call is given up (its outcome is unknown, the client retries).
    const watch = setInterval(() => {
      const now = m.shell.leaderId;
      // (This manager's own ID may linger in the shell's view for a moment after it stepped down.)
      if (now !== 0 && now !== leaderId && now !== m.config.raftId) {
        replaced = true;
        clearInterval(watch);
        cancel(inFlight);
        // A killed leader refuses the dial, and the redial below would wait out its deadline for
        // a process that is gone; with a new leader known, say at once that nothing was sent
        // (the client retries and reaches the new leader).
        if (redialing) reject(notSent());
      }
    }, LEADER_POLL_MS);
    const notSent = (): ShoalError => new ShoalError('UNAVAILABLE', `${leader} cannot be reached from this manager (it may have just failed); the write was not sent`);
    let inFlight: unknown;
    const send = (): void => {
      inFlight = method(call.request, meta, { deadline: Date.now() + FORWARD_TIMEOUT_MS }, onAnswer);
    };
    const onAnswer = (err: grpc.ServiceError | null, res?: unknown): void => {
      if (err && !redialed && !replaced && isRefusedConnection(err) && isRedialable(client)) {
        // Nothing was sent. The channel may only be waiting out the backoff of an earlier failed
        // dial (the leader was down a moment ago and is back): dial again, at most an election
        // timeout, then send once more.
        redialed = true;
        redialing = true;
        client.waitForReady(Date.now() + electionTimeoutMs(m), (notReady) => {
          redialing = false;
          if (replaced) return; // already answered "not sent" by the watch
          if (!notReady) return send();
          clearInterval(watch);
          reject(notSent());
        });
        return;
      }
      clearInterval(watch);
      if (!err) {
        if (res === undefined) reject(new ShoalError('INTERNAL', 'empty response from the leader'));
        else resolve(res as Res);
        return;
      }
      if (isFromShoalServer(err)) {
        reject(fromServiceError(err)); // the leader's own answer: pass it on unchanged
      } else if (replaced) {
        reject(new ShoalError('UNAVAILABLE', `${leader} was replaced by manager ${m.shell.leaderId} while handling the write (it may have been paused or cut off); the write may or may not have been applied`));
      } else if (err.code === grpc.status.DEADLINE_EXCEEDED) {
        reject(new ShoalError('UNAVAILABLE', `${leader} did not answer within ${FORWARD_TIMEOUT_MS / 1000} s; the write may or may not have been applied`));
      } else if (isRefusedConnection(err)) {
        reject(notSent());
      } else {
        reject(new ShoalError('UNAVAILABLE', `${leader} stopped answering while handling the write (it may have crashed); the write may or may not have been applied`));
      }
    };
    send();
  });
}

/** Generated clients are grpc.Client instances, which can wait for their channel to connect. */
function isRedialable(client: unknown): client is Pick<grpc.Client, 'waitForReady'> {
  return typeof client === 'object' && client !== null && typeof (client as { waitForReady?: unknown }).waitForReady === 'function';
}

/** Generated clients return the call object (grpc.ClientUnaryCall); cancelling ends it with CANCELLED. */
function cancel(call: unknown): void {
  if (typeof call === 'object' && call !== null && typeof (call as { cancel?: unknown }).cancel === 'function') (call as { cancel: () => void }).cancel();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
