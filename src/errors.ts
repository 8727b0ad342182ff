/**
 * The one error type that crosses Shoal's layers. Its code is a gRPC status
 * name, so the API layer maps it to a status without guessing, and its message
 * is written for a person: what went wrong and what to do.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'ABORTED'
  | 'DEADLINE_EXCEEDED'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED'
  | 'INTERNAL';

export class ShoalError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ShoalError';
  }
}

export function isShoalError(e: unknown): e is ShoalError {
  return e instanceof ShoalError;
}

/** Serializable form, for apply results that travel between managers. */
export interface ErrorRecord {
  readonly code: ErrorCode;
  readonly message: string;
}

export function toErrorRecord(e: unknown): ErrorRecord {
  if (isShoalError(e)) return { code: e.code, message: e.message };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
