/**
 * Where the manager meets the PKI: the credentials of its TCP port (mutual
 * TLS plus the authorization interceptor) and the renewal of its own
 * certificate, which a manager signs itself (it holds the CA).
 */
import * as grpc from '@grpc/grpc-js';
import { authorizationInterceptor } from '../security/authz.js';
import { MtlsSecurity, UNSAFE_PLAINTEXT_ENV } from '../security/mtls.js';
import { CertificateRenewer } from '../security/renewer.js';
import { nodeRole, signNodeCertificate } from './ca-service.js';
import type { Manager } from './manager.js';
import { cachedDenyCheck } from './store/security-store.js';
import { startRotationLoop } from './ca-rotation-driver.js';
import { lastRetiredRoot } from './store/ca-rotation.js';
import { getCluster } from './store/queries.js';
import { DEFAULT_CERT_EXPIRY_MS } from '../security/pki.js';
import type Database from 'better-sqlite3';

/**
 * For a caller without a verified certificate: if a CA rotation completed less than a certificate
 * lifetime ago, a client certificate from the old root may still be in use somewhere; say so.
 */
export function rotatedRootHint(db: Database.Database, now: number): string {
  const retired = lastRetiredRoot(db);
  if (!retired || now - retired.retiredAt > (getCluster(db).settings.certExpiryMs ?? DEFAULT_CERT_EXPIRY_MS)) return '';
  return `; a client certificate issued by the CA root that was rotated on ${new Date(retired.retiredAt).toISOString()} (${retired.digest.slice(0, 12)}…) is no longer accepted: run \`shoal ca client-cert --out DIR\` again`;
}

export function securePort(m: Manager): grpc.ServerCredentials {
  const creds = m.opts.security.serverCredentials();
  // Plaintext transports (Raft transport unit tests) have nothing to authorize with.
  if (!(m.opts.security instanceof MtlsSecurity)) return creds;
  if (!m.opts.security.verifiesPeers) {
    m.log.warn('UNSAFE-plaintext-tcp-port', {
      addr: m.config.listenAddr,
      why: `${UNSAFE_PLAINTEXT_ENV}=1: no TLS and no authorization on the TCP port; anyone who reaches it controls the cluster (benchmarks only)`,
    });
    return creds;
  }
  return grpc.experimental.createServerCredentialsWithInterceptors(creds, [
    authorizationInterceptor({
      clusterId: m.config.clusterId,
      isDenied: cachedDenyCheck(() => m.store.db),
      anonymousHint: () => rotatedRootHint(m.store.db, Date.now()),
    }),
  ]);
}

/** Renews this manager's certificate on schedule, and at once if it expired while the manager was off. */
export function startManagerRenewal(m: Manager): () => void {
  const security = m.opts.security;
  if (!(security instanceof MtlsSecurity)) return () => undefined;
  const renewer = new CertificateRenewer({
    security,
    dataDir: m.opts.dataDir,
    log: m.log,
    // Signed from this manager's own replica, without a read barrier: a manager whose certificate
    // expired while it was off cannot reach a leader until it has a new one. A removal this replica
    // has not applied yet is still enforced by the other managers' deny lists.
    renew: (csr) => signNodeCertificate(m.store.db, csr, m.config.nodeId, nodeRole(m.store.db, m.config.nodeId)),
  });
  if (security.identity.notAfter <= Date.now()) {
    m.log.warn('certificate-expired', { notAfter: new Date(security.identity.notAfter).toISOString() });
  }
  renewer.start();
  const stopRotation = startRotationLoop(m, security, () => renewer.renewNow());
  return () => {
    stopRotation();
    renewer.stop();
  };
}
