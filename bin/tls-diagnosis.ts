/**
 * Why the CLI's certificate was not good enough for a manager, in words a
 * user can act on. Two causes need a look beyond the gRPC error:
 *  - the cluster's CA root was rotated after the client certificate was
 *    issued (`shoal ca rotate` does not reissue `shoal ca client-cert`
 *    certificates): the TLS handshake fails on the client, because the
 *    manager's certificate leads to a root the client's ca.pem does not hold;
 *  - the client certificate expired: the manager sees no usable certificate
 *    and answers UNAUTHENTICATED.
 * The manager's chain is read without verifying it (as a joiner does), only
 * to compare roots; nothing is sent over that connection.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ShoalError, type ErrorCode } from '../src/errors.js';
import { fetchPresentedChain } from '../src/security/join-client.js';
import { certificateDigest, certificateInfo, issuingRoot, splitPem } from '../src/security/pki.js';
import { clientTlsFiles, type TlsFiles } from './tls.js';

/** A call to a TCP target that failed for a reason the client's certificate may explain. */
export class CertificateCallError extends ShoalError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly target: string,
  ) {
    super(code, message);
  }
}

/** The TLS verification problem in a grpc-js "No connection established" detail, or null. */
export function tlsHandshakeProblem(details: string): string | null {
  const m = /Last error: (?:Error: )?([^.]*(?:certificate|issuer|SSL|TLS)[^.]*)/i.exec(details);
  return m ? (m[1] ?? '').trim() : null;
}

/** A better message for `e`, or e's own when nothing more is known. Never throws. */
export async function explainCertificateFailure(e: CertificateCallError): Promise<string> {
  try {
    const files = clientTlsFiles();
    if (!files) return e.message;
    const expired = expiredNote(files);
    if (expired) return expired;
    if (e.code !== 'UNAVAILABLE') return e.message;
    return (await rotatedRootNote(e.target, files)) ?? e.message;
  } catch {
    return e.message;
  }
}

function expiredNote(files: TlsFiles): string | null {
  const info = certificateInfo(readFileSync(files.cert, 'utf8'));
  if (info.notAfter > Date.now()) return null;
  return `the client certificate in ${dirname(files.cert)} expired on ${new Date(info.notAfter).toISOString()}; on a manager run \`shoal ca client-cert --out DIR\` again and use the new files`;
}

async function rotatedRootNote(target: string, files: TlsFiles): Promise<string | null> {
  const caPem = readFileSync(files.ca, 'utf8');
  const certPem = readFileSync(files.cert, 'utf8');
  const held = new Set(splitPem(caPem).map(certificateDigest));
  const presented = await fetchPresentedChain(target);
  const serverDigest = certificateDigest(presented.root);
  if (held.has(serverDigest)) return null; // same root: the handshake failed for another reason
  const ours = issuingRoot(certPem, caPem);
  const ourDigest = ours ? certificateDigest(ours) : [...held][0] ?? '?';
  const dir = dirname(files.cert);
  const serverCluster = certificateInfo(presented.leaf).organization;
  const ourCluster = certificateInfo(certPem).organization;
  if (serverCluster !== ourCluster) {
    return `the manager at ${target} belongs to cluster ${serverCluster}, but the certificate in ${dir} is for cluster ${ourCluster}: point -H at a manager of that cluster, or get a certificate of this one (\`shoal ca client-cert --out DIR\` on one of its managers)`;
  }
  const rotatedOn = rotationStart(presented.root);
  return (
    `the client certificate in ${dir} was issued by a CA root that was rotated ${rotatedOn === null ? 'out' : `on ${rotatedOn}`} ` +
    `(\`shoal ca rotate\`: root ${ourDigest.slice(0, 12)}… replaced by ${serverDigest.slice(0, 12)}…), and a rotation does not reissue client certificates; ` +
    `run \`shoal ca client-cert --out DIR\` again on a manager and use the new files`
  );
}

/**
 * When the rotation to `rootPem` started, for a root Shoal made: its CN is `shoal-ca-<start time in
 * base 36>` (pki.ts createRootCA). Null for the first root and for an external one (`--cert`), whose
 * dates say nothing about the rotation.
 */
function rotationStart(rootPem: string): string | null {
  const m = /^shoal-ca-([0-9a-z]{1,12})$/.exec(certificateInfo(rootPem).commonName);
  const ms = m ? parseInt(m[1] ?? '', 36) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
