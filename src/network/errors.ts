// Expected IPAM failures are values, not exceptions: the manager turns them into gRPC statuses
// (INVALID_ARGUMENT, ALREADY_EXISTS, RESOURCE_EXHAUSTED) with the message shown to the user.
// Exceptions from this module mean a broken invariant (a bug or corrupt persisted state).

export type IpamErrorCode = 'invalid-argument' | 'already-exists' | 'resource-exhausted';

export interface IpamError {
  readonly code: IpamErrorCode;
  readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpamError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: IpamErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
