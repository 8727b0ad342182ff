/**
 * Client operations the integration tests run against manager processes:
 * node labels are the registers (write = UpdateNode labelAdd, read = GetNode).
 */
import * as grpc from '@grpc/grpc-js';
import type { Api } from '../../bin/client.js';
import type { GetNodeResponse__Output } from '../../src/generated/shoal/v1/GetNodeResponse.js';
import type { UpdateNodeResponse__Output } from '../../src/generated/shoal/v1/UpdateNodeResponse.js';
import { sleep } from './harness.js';

export const OP_TIMEOUT_MS = 5_000;

/** A failed call with its raw gRPC status, so tests can tell refusals from unknown outcomes. */
export class CallError extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(`${grpc.status[code] ?? code}: ${details}`);
  }
}

function promised<R>(invoke: (md: grpc.Metadata, o: grpc.CallOptions, cb: grpc.requestCallback<R>) => unknown, timeoutMs: number): Promise<R> {
  return new Promise((resolve, reject) => {
    invoke(new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(new CallError(err.code, err.details));
      else if (res === undefined) reject(new CallError(grpc.status.INTERNAL, 'empty response'));
      else resolve(res);
    });
  });
}

export async function writeLabels(api: Api, nodeRef: string, labels: Record<string, string>, timeoutMs = OP_TIMEOUT_MS): Promise<number> {
  const r = await promised<UpdateNodeResponse__Output>((md, o, cb) => api.control.UpdateNode({ ref: nodeRef, labelAdd: labels }, md, o, cb), timeoutMs);
  return Number(r.node?.version ?? 0);
}

export async function readLabels(api: Api, nodeRef: string, timeoutMs = OP_TIMEOUT_MS): Promise<Record<string, string>> {
  const r = await promised<GetNodeResponse__Output>((md, o, cb) => api.control.GetNode({ ref: nodeRef }, md, o, cb), timeoutMs);
  if (!r.node) throw new Error('GetNode returned no node');
  return r.node.labels;
}

/**
 * Whether a failed write was certainly not applied. Only refusals that happen
 * before the entry can reach the log count; everything else (deadlines, a
 * leader lost mid-call, a forward that failed after sending) is unknown.
 */
export function writeDefinitelyFailed(e: unknown): boolean {
  if (!(e instanceof CallError)) return false;
  if (e.code !== grpc.status.UNAVAILABLE) return false;
  const msg = e.details;
  return (
    /No connection established|ECONNREFUSED/.test(msg) || // the request (or its forward) never left
    /quorum lost/.test(msg) ||
    /no leader is known right now|no leader yet|no leader can be elected/.test(msg) ||
    /the write was not applied|the write was not sent/.test(msg) ||
    /this manager is not the leader/.test(msg) ||
    /it was not applied/.test(msg)
  );
}

/** Retries an idempotent operation until it succeeds or `timeoutMs` passes. */
export async function retry<T>(what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      await sleep(100);
    }
  }
  throw new Error(`${what}: still failing after ${timeoutMs} ms: ${last instanceof Error ? last.message : String(last)}`);
}
