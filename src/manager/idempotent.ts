/**
 * The API side of idempotent writes (store/request-ids.ts). A write handler on the leader asks
 * `requestOnce` first: if the request ID was already applied, it answers from the recorded
 * result without validating again (a retried remove must not fail with NOT_FOUND because its
 * first attempt succeeded). Otherwise it tags its command with the ID, and the apply makes
 * sure that even two concurrent copies act once. The record and the change share one
 * transaction, so this local check and the handler's own reads always agree.
 */
import type { Manager } from './manager.js';
import { checkRequestId, recallRequest, requireSameOp } from './store/request-ids.js';

export interface RequestOnce {
  /** The recorded result of an earlier, applied copy of this request; null = first time. */
  readonly repeat: { readonly result: unknown } | null;
  /** Spread into the command: carries the request ID when there is one. */
  readonly tag: { readonly requestId?: string };
}

export function requestOnce(m: Manager, rawRequestId: string | undefined, op: string): RequestOnce {
  const requestId = checkRequestId(rawRequestId);
  if (requestId === undefined) return { repeat: null, tag: {} };
  const prior = recallRequest(m.store.db, requestId);
  if (prior) requireSameOp(requestId, prior, op);
  return { repeat: prior ? { result: prior.result } : null, tag: { requestId } };
}

/** The `id` of a create's apply result ({ id }). */
export function createdId(result: unknown): string {
  const id = (result as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') throw new Error('invariant: a create applies to { id }');
  return id;
}
