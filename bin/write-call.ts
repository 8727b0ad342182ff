/**
 * Writes from the CLI: each carries a fresh request ID, and a write that fails with
 * UNAVAILABLE (no leader yet, leader changed, leader died mid-call, …) or breaks off is sent
 * again with the SAME ID, with backoff, until a deadline. The managers remember applied IDs
 * (src/manager/store/request-ids.ts), so a retry never acts twice: it returns the first
 * attempt's result. Each retry says why on stderr, in one line. When the deadline passes and
 * some attempt may have landed, the error says so and how to check.
 */
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { ShoalError } from '../src/errors.js';
import { classifyCallError, type Outcome } from './call-errors.js';

/** How long a write is retried; SHOAL_WRITE_DEADLINE_MS overrides it (tests, slow clusters). */
export function writeDeadlineMs(): number {
  const raw = Number(process.env['SHOAL_WRITE_DEADLINE_MS'] ?? '');
  return Number.isFinite(raw) && raw > 0 ? raw : 30_000;
}

const ATTEMPT_TIMEOUT_MS = 20_000;
const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 1_000;

type Send<Req, R> = (req: Req, meta: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<R>) => unknown;

export function newRequestId(): string {
  return randomUUID();
}

/**
 * Sends `req` (with a request ID) through `send` until it succeeds, fails for good, or the
 * deadline passes. `check` is the command that shows whether it landed, e.g.
 * "shoal container inspect web".
 */
export async function writeCall<Req extends { requestId?: string }, R>(target: string, req: Req, send: Send<NoInfer<Req>, R>, check: string): Promise<R> {
  const withId: Req = { ...req, requestId: req.requestId || newRequestId() };
  const deadline = Date.now() + writeDeadlineMs();
  let doubt: Outcome = 'not-applied';
  let backoff = BACKOFF_FIRST_MS;
  let lastReason = '';
  for (let attempt = 1; ; attempt++) {
    const timeoutMs = Math.max(1_000, Math.min(ATTEMPT_TIMEOUT_MS, deadline - Date.now()));
    const r = await attemptOnce(target, withId, send, timeoutMs);
    if (r.ok) return r.value;
    const f = r.failure;
    if (f.outcome === 'unknown') doubt = 'unknown';
    const wait = Math.min(backoff, BACKOFF_MAX_MS) * (0.5 + Math.random() / 2);
    if (!f.retryable || Date.now() + wait >= deadline) {
      if (doubt === 'unknown' && f.outcome !== 'failed') {
        throw new ShoalError(f.error.code, `${f.error.message}; the write may have been applied: check with \`${check}\``);
      }
      throw f.error;
    }
    if (f.error.message !== lastReason) {
      process.stderr.write(`retrying: ${f.error.message}\n`);
      lastReason = f.error.message;
    }
    await new Promise((res) => setTimeout(res, wait));
    backoff *= 2;
  }
}

type Attempt<R> = { ok: true; value: R } | { ok: false; failure: ReturnType<typeof classifyCallError> };

function attemptOnce<Req, R>(target: string, req: Req, send: Send<Req, R>, timeoutMs: number): Promise<Attempt<R>> {
  return new Promise((resolve) => {
    send(req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) resolve({ ok: false, failure: classifyCallError(target, err) });
      else if (res === undefined) resolve({ ok: false, failure: { error: new ShoalError('INTERNAL', 'empty response'), retryable: false, outcome: 'failed' } });
      else resolve({ ok: true, value: res });
    });
  });
}
