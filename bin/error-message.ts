import { isShoalError } from '../src/errors.js';

/** The text after `Error: ` for a failed command or daemon start; certificate failures are explained. */
export async function errorMessage(e: unknown): Promise<string> {
  // Loaded only on a failure: most commands never need it.
  const diagnosis = isShoalError(e) ? await import('./tls-diagnosis.js') : null;
  if (diagnosis && e instanceof diagnosis.CertificateCallError) return diagnosis.explainCertificateFailure(e);
  return isShoalError(e) || e instanceof Error ? e.message : String(e);
}
