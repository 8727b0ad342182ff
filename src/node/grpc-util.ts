import * as grpc from '@grpc/grpc-js';
import { ShoalError, isShoalError, type ErrorCode } from '../errors.js';

/** Maps Shoal's error codes to gRPC status codes, one to one. */
export const GRPC_STATUS: Readonly<Record<ErrorCode, grpc.status>> = {
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  NOT_FOUND: grpc.status.NOT_FOUND,
  ALREADY_EXISTS: grpc.status.ALREADY_EXISTS,
  FAILED_PRECONDITION: grpc.status.FAILED_PRECONDITION,
  RESOURCE_EXHAUSTED: grpc.status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  ABORTED: grpc.status.ABORTED,
  DEADLINE_EXCEEDED: grpc.status.DEADLINE_EXCEEDED,
  PERMISSION_DENIED: grpc.status.PERMISSION_DENIED,
  UNAUTHENTICATED: grpc.status.UNAUTHENTICATED,
  INTERNAL: grpc.status.INTERNAL,
};

const CODE_BY_STATUS = new Map<number, ErrorCode>(Object.entries(GRPC_STATUS).map(([k, v]) => [v, k as ErrorCode]));

export function toServiceError(e: unknown): Partial<grpc.StatusObject> {
  if (isShoalError(e)) return { code: GRPC_STATUS[e.code], details: e.message };
  if (isGrpcError(e)) return { code: e.code, details: e.details };
  const message = e instanceof Error ? e.message : String(e);
  return { code: grpc.status.INTERNAL, details: `internal error: ${message}` };
}

export function isGrpcError(e: unknown): e is grpc.ServiceError {
  return typeof e === 'object' && e !== null && 'code' in e && 'details' in e && typeof (e as { code: unknown }).code === 'number';
}

/** Turns an error from a gRPC call back into a ShoalError (for forwarding and the CLI). */
export function fromServiceError(e: unknown): ShoalError {
  if (isShoalError(e)) return e;
  if (isGrpcError(e)) {
    // A peer without the method (e.g. a worker, or an older manager) cannot serve the request here.
    const code = CODE_BY_STATUS.get(e.code) ?? (e.code === grpc.status.UNIMPLEMENTED ? 'FAILED_PRECONDITION' : 'INTERNAL');
    return new ShoalError(code, e.details || e.message);
  }
  return new ShoalError('INTERNAL', e instanceof Error ? e.message : String(e));
}

/**
 * Trailer set on every error a Shoal handler returns, so a client tells the server's answer
 * (e.g. "no leader yet") from a failure of the connection itself (nothing answered).
 */
export const SERVER_ERROR_TRAILER = 'x-shoal-error';

/** Whether an error came back from a Shoal handler (as opposed to the transport). */
export function isFromShoalServer(e: grpc.ServiceError): boolean {
  return e.metadata?.get(SERVER_ERROR_TRAILER).length > 0;
}

/**
 * A transport error raised before the request left this process: nothing listens (refused, no
 * socket file) or no connection could be made. The call was not sent, so it had no effect.
 */
export function isRefusedConnection(e: grpc.ServiceError): boolean {
  return e.code === grpc.status.UNAVAILABLE && /No connection established|ECONNREFUSED|ENOENT|EHOSTUNREACH|ENETUNREACH|Name resolution failed/i.test(e.details);
}

/**
 * Adapts an async handler to grpc-js's callback style: the result or a
 * status error, never an unhandled rejection.
 */
export function unary<Req, Res>(
  handler: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request, call).then(
      (res) => callback(null, res),
      (e: unknown) => {
        const metadata = new grpc.Metadata();
        metadata.set(SERVER_ERROR_TRAILER, '1');
        callback({ ...toServiceError(e), metadata });
      },
    );
  };
}

/** Promisified unary call on a generated client. */
export function call<Req, Res>(
  fn: (req: Req, meta: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<Res>) => unknown,
  req: Req,
  timeoutMs: number,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    fn(req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(fromServiceError(err));
      else if (res === undefined) reject(new ShoalError('INTERNAL', 'empty response'));
      else resolve(res);
    });
  });
}
