/**
 * The manager's side of the PKI: signing node certificates at join and on
 * renewal, client certificates for remote administration, and the
 * CertificateAuthority service. Every manager can sign (the root's key is in
 * the replicated state); decisions about who may have a certificate read the
 * store linearizably, so a removal committed before the call is seen.
 */
import type * as grpc from '@grpc/grpc-js';
import { ShoalError } from '../errors.js';
import type { CertificateAuthorityHandlers } from '../generated/shoal/v1/CertificateAuthority.js';
import { loadProtos } from '../proto/load.js';
import { callerOf } from '../security/authz.js';
import { DEFAULT_CERT_EXPIRY_MS, certificateInfo, issueCertificate, type CertRole } from '../security/pki.js';
import { unary } from './grpc-util.js';
import type { Manager } from './manager.js';
import { getCluster } from './store/queries.js';
import { deniedCount, isCertificateDenied, readRootCA } from './store/security-store.js';
import type Database from 'better-sqlite3';
import { tokenMatches, validateTokenSyntax } from './tokens.js';

/** Client certificates for people and tools last as long as node certificates. */
export async function signNodeCertificate(db: Database.Database, csrPem: string, nodeId: string, role: CertRole): Promise<{ certificate: string; caCertificate: string }> {
  const ca = readRootCA(db);
  if (!ca) throw new ShoalError('FAILED_PRECONDITION', 'this cluster has no certificate authority (it was created before mutual TLS); create a new cluster to use certificates');
  const cluster = getCluster(db);
  const validityMs = cluster.settings.certExpiryMs ?? DEFAULT_CERT_EXPIRY_MS;
  const certificate = await issueCertificate(ca, { csrPem, commonName: nodeId, role, clusterId: cluster.id, validityMs });
  return { certificate, caCertificate: ca.certPem };
}

/** A node's certificate role, if it may have one: it exists and was not removed. */
export function nodeRole(db: Database.Database, nodeId: string): CertRole {
  if (isCertificateDenied(db, nodeId)) throw new ShoalError('PERMISSION_DENIED', `node ${nodeId} was removed from the cluster; join it again with \`shoal join\``);
  const row = db.prepare('SELECT role FROM nodes WHERE id = ?').get(nodeId) as { role: CertRole } | undefined;
  if (!row) throw new ShoalError('NOT_FOUND', `node ${nodeId} is not a member of this cluster; join it with \`shoal join\``);
  return row.role;
}

/**
 * Renews the certificate of `nodeId` (a manager renewing its own uses this
 * directly; it holds the CA). The role comes from the store, so a node whose
 * role changed gets a certificate with the new one.
 */
export async function renewForNode(m: Manager, nodeId: string, csrPem: string): Promise<{ certificate: string; caCertificate: string }> {
  const role = await m.read((db) => nodeRole(db, nodeId));
  return signNodeCertificate(m.store.db, csrPem, nodeId, role);
}

export function addCertificateAuthorityService(server: grpc.Server, m: Manager): void {
  server.addService(loadProtos().grpcObject.shoal.v1.CertificateAuthority.service, caHandlers(m));
}

function caHandlers(m: Manager): CertificateAuthorityHandlers {
  return {
    RenewNodeCertificate: unary(async (req, call) => {
      const csr = req.csr ?? '';
      const caller = callerOf(call.metadata);
      if (caller && caller.role !== 'admin') {
        // On TCP: the interceptor put the verified certificate's CN here. On the local socket: this node.
        const res = await renewForNode(m, caller.id, csr);
        m.log.info('certificate-renewed', { nodeId: caller.id });
        return res;
      }
      const token = (req.token ?? '').trim();
      const nodeId = (req.nodeId ?? '').trim();
      if (token === '' || nodeId === '') {
        throw new ShoalError('UNAUTHENTICATED', 'renewing a certificate needs the node\'s current certificate, or its node ID and a join token');
      }
      const syntax = validateTokenSyntax(token);
      if (syntax) throw new ShoalError('UNAUTHENTICATED', syntax);
      const { role, cluster } = await m.read((db) => ({ role: nodeRole(db, nodeId), cluster: getCluster(db) }));
      const isManagerToken = tokenMatches(token, cluster.managerTokenHash);
      const isWorkerToken = tokenMatches(token, cluster.workerTokenHash);
      if (!isManagerToken && !(isWorkerToken && role === 'worker')) {
        throw new ShoalError('UNAUTHENTICATED', `the join token is invalid or was rotated, or does not grant the ${role} role; ask a manager for the current one with \`shoal join-token ${role}\``);
      }
      const res = await signNodeCertificate(m.store.db, csr, nodeId, role);
      m.log.info('certificate-renewed-with-token', { nodeId });
      return res;
    }),

    IssueClientCertificate: unary(async (req, call) => {
      const caller = callerOf(call.metadata);
      if (caller && caller.role !== 'manager') throw new ShoalError('PERMISSION_DENIED', 'client certificates are issued to managers only');
      const name = (req.name ?? '').trim() || 'admin';
      await m.read(() => null);
      const res = await signNodeCertificate(m.store.db, req.csr ?? '', name, 'admin');
      m.log.info('client-certificate-issued', { name });
      return res;
    }),

    InspectCA: unary(async () => {
      const { ca, cluster, denied } = await m.read((db) => ({ ca: readRootCA(db), cluster: getCluster(db), denied: deniedCount(db) }));
      if (!ca) throw new ShoalError('FAILED_PRECONDITION', 'this cluster has no certificate authority (it was created before mutual TLS)');
      const info = certificateInfo(ca.certPem);
      return {
        caCertificate: ca.certPem,
        digest: ca.digest,
        notBeforeMs: info.notBefore,
        notAfterMs: info.notAfter,
        nodeCertExpiryMs: cluster.settings.certExpiryMs ?? DEFAULT_CERT_EXPIRY_MS,
        deniedCertificates: denied,
      };
    }),
  };
}
