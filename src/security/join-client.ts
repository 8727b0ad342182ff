/**
 * The joining side of the PKI: learn the cluster's root from a manager's TLS
 * handshake, check it against the digest in the join token (no trust on first
 * use: a mismatch stops the join before the token or anything else is sent),
 * and build credentials that trust only that root.
 */
import * as grpc from '@grpc/grpc-js';
import { X509Certificate } from 'node:crypto';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import { ShoalError } from '../errors.js';
import { certificateDigest } from './pki.js';
import { checkManagerCertificate } from './mtls.js';

const HANDSHAKE_TIMEOUT_MS = 10_000;

/** The self-signed root at the end of the chain a manager presents, as PEM. */
export async function fetchRootCertificate(addr: string): Promise<string> {
  return (await fetchPresentedChain(addr)).root;
}

/** The leaf a manager presents and the self-signed root at the end of its chain, as PEM (not verified). */
export function fetchPresentedChain(addr: string): Promise<{ leaf: string; root: string }> {
  const i = addr.lastIndexOf(':');
  const host = addr.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(addr.slice(i + 1));
  return new Promise((resolve, reject) => {
    // Not verified here on purpose: the chain is only read, and the root is checked against the token's digest.
    const socket = connect({ host, port, rejectUnauthorized: false, ALPNProtocols: ['h2'], servername: 'shoal-manager' });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ShoalError('UNAVAILABLE', `cannot reach a manager at ${addr}: no TLS handshake within ${HANDSHAKE_TIMEOUT_MS / 1000} s`));
    }, HANDSHAKE_TIMEOUT_MS);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      const leaf = cert?.raw ? new X509Certificate(cert.raw).toString() : '';
      const seen = new Set<string>();
      while (cert?.raw && cert.issuerCertificate && cert.issuerCertificate !== cert && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        cert = cert.issuerCertificate;
      }
      socket.destroy();
      if (!cert?.raw) return reject(new ShoalError('UNAVAILABLE', `the server at ${addr} presented no certificate: is it a Shoal manager?`));
      resolve({ leaf, root: new X509Certificate(cert.raw).toString() });
    });
    socket.once('error', (e: Error) => {
      clearTimeout(timer);
      reject(new ShoalError('UNAVAILABLE', `cannot reach a manager at ${addr}: ${e.message}`));
    });
  });
}

/** Fetches the root and checks it against the token's digest; refuses with a message that says the CA does not match. */
export async function pinnedRoot(addr: string, tokenDigest: string): Promise<string> {
  const root = await fetchRootCertificate(addr);
  const digest = certificateDigest(root);
  if (digest !== tokenDigest) {
    throw new ShoalError(
      'UNAUTHENTICATED',
      `the certificate authority of the manager at ${addr} does not match the join token (token expects CA ${tokenDigest.slice(0, 12)}…, the manager has ${digest.slice(0, 12)}…): ` +
        "the token is for another cluster, or this cluster's CA was rotated (`shoal ca rotate`) after the token was made (ask a manager for the current one with `shoal join-token worker|manager`), or something is intercepting the connection; nothing was sent",
    );
  }
  return root;
}

/** Credentials that trust only `caPem` and present no certificate (joining, or renewing with a token). */
export function anonymousCredentials(caPem: string): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(Buffer.from(caPem), null, null, { checkServerIdentity: checkManagerCertificate(null) });
}
