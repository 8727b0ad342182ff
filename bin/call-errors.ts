/**
 * What a failed call means, for the CLI's messages and retries. A Shoal handler's own answer
 * (marked by a trailer, src/manager/grpc-util.ts) is shown as it is: it already names the
 * cause. A transport failure is named by what it means for the request: the node could not
 * be reached at all (nothing was sent), or the connection broke during the call (the request
 * may have been acted on). Raw socket codes (ECONNRESET, …) never reach the user.
 */
import * as grpc from '@grpc/grpc-js';
import { ShoalError } from '../src/errors.js';
import { fromServiceError, isFromShoalServer, isRefusedConnection } from '../src/manager/grpc-util.js';
import { CertificateCallError, tlsHandshakeProblem } from './tls-diagnosis.js';

/** How sure we are that a failed write did not happen. */
export type Outcome = 'not-applied' | 'unknown' | 'failed';

export interface CallFailure {
  readonly error: ShoalError;
  /** Worth sending again (with the same request ID). */
  readonly retryable: boolean;
  readonly outcome: Outcome;
}

/** Server answers that say the write was definitely not applied (so no doubt is carried over). */
const NOT_APPLIED = /not applied|was not sent|no leader|quorum lost|shutting down|is being transferred|leadership is changing|not the leader/i;

export function describeTarget(target: string): string {
  return target.startsWith('unix://') ? `the local node (${target})` : `the node at ${target}`;
}

export function classifyCallError(target: string, err: grpc.ServiceError): CallFailure {
  const tcp = !target.startsWith('unix:');
  if (isFromShoalServer(err)) {
    const plain = fromServiceError(err);
    // No usable client certificate (expired, say): the CLI looks at its files for the cause (tls-diagnosis.ts).
    const error = tcp && plain.code === 'UNAUTHENTICATED' ? new CertificateCallError(plain.code, plain.message, target) : plain;
    // A write not confirmed in time (DEADLINE_EXCEEDED from the manager) has an unknown outcome: safe to resend with its ID.
    const retryable = err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.DEADLINE_EXCEEDED;
    const outcome: Outcome = !retryable ? 'failed' : NOT_APPLIED.test(err.details) ? 'not-applied' : 'unknown';
    return { error, retryable, outcome };
  }
  const tls = tcp && err.code === grpc.status.UNAVAILABLE ? tlsHandshakeProblem(err.details) : null;
  if (tls !== null) {
    // Nothing was sent: the TLS handshake failed, so retrying the same files cannot help.
    return {
      error: new CertificateCallError('UNAVAILABLE', `the TLS handshake with ${describeTarget(target)} failed: ${tls}`, target),
      retryable: false,
      outcome: 'not-applied',
    };
  }
  if (isRefusedConnection(err)) {
    return {
      error: new ShoalError('UNAVAILABLE', `cannot reach ${describeTarget(target)}: is it running? (start it with \`shoal start\`, or point -H at a manager)`),
      retryable: false,
      outcome: 'not-applied',
    };
  }
  if (err.code === grpc.status.DEADLINE_EXCEEDED) {
    return { error: new ShoalError('DEADLINE_EXCEEDED', `${describeTarget(target)} did not answer in time`), retryable: true, outcome: 'unknown' };
  }
  if (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.INTERNAL || err.code === grpc.status.CANCELLED) {
    // The connection broke mid-call (ECONNRESET, "Connection dropped", a daemon killed): the request may have arrived.
    return { error: new ShoalError('UNAVAILABLE', `the connection to ${describeTarget(target)} broke during the call (the node may have crashed or restarted)`), retryable: true, outcome: 'unknown' };
  }
  return { error: fromServiceError(err), retryable: false, outcome: 'failed' };
}
