/**
 * The manager's side of the PKI: signing node certificates at join and on
 * renewal, client certificates for remote administration, and the
 * CertificateAuthority service. Every manager can sign (the root's key is in
 * the replicated state); decisions about who may have a certificate read the
 * store linearizably, so a removal committed before the call is seen.
 */
import type * as grpc from '@grpc/grpc-js';
import { X509Certificate } from 'node:crypto';
import { ShoalError } from '../errors.js';
import type { CertificateAuthorityClient, CertificateAuthorityHandlers } from '../generated/shoal/v1/CertificateAuthority.js';
import { loadProtos } from '../proto/load.js';
import { callerOf } from '../security/authz.js';
import {
  DEFAULT_CERT_EXPIRY_MS,
  certificateInfo,
  createKeyAndCsr,
  createRootCA,
  crossSignRoot,
  externalCA,
  issueCertificate,
  signerOf,
  joinPem,
  verifiedBy,
  type CertRole,
  type SigningCA,
} from '../security/pki.js';
import { onLeader } from './forward.js';
import { requestOnce } from './idempotent.js';
import { lastRetiredRoot, pendingRotationNodes, readRotation, rotatedNodeCount, rotationInProgress } from './store/ca-rotation.js';
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
  const rotation = readRotation(db);
  if (rotation) {
    // During a rotation the new root signs. The leaf travels with the cross-signed new root, so
    // nodes that still trust only the old root verify it; the trust bundle is old root first
    // (the one join tokens name until the rotation completes), then the new one.
    // An external intermediate travels with its leaves (peers trust only roots), before the cross-signed root.
    const leaf = await issueCertificate(signerOf(rotation), { csrPem, commonName: nodeId, role, clusterId: cluster.id, validityMs });
    return { certificate: joinPem(leaf, rotation.chainPem, rotation.crossPem), caCertificate: joinPem(ca.certPem, rotation.certPem) };
  }
  const leaf = await issueCertificate(signerOf(ca), { csrPem, commonName: nodeId, role, clusterId: cluster.id, validityMs });
  return { certificate: joinPem(leaf, ca.chainPem), caCertificate: ca.certPem };
}

/** What nodes should hold now: the digest of the root that signs, and of each root to trust. */
export function caTarget(db: Database.Database): { signingDigest: string; trustDigests: string[] } | null {
  const ca = readRootCA(db);
  if (!ca) return null;
  const rotation = readRotation(db);
  return rotation ? { signingDigest: rotation.digest, trustDigests: [ca.digest, rotation.digest] } : { signingDigest: ca.digest, trustDigests: [ca.digest] };
}

/**
 * The operator's CA for `ca rotate --cert/--key` (a root, or an intermediate with its chain), checked
 * (pki.ts) and then tried: it must sign a certificate that verifies, through its chain, against its root
 * (a root whose key usage lacks keyCertSign would not), and the root's subject must differ from the
 * current root's, so chain building never mistakes one for the other.
 */
async function externalRoot(db: Database.Database, certPem: string, keyPem: string, now: number): Promise<SigningCA> {
  if (certPem === '' || keyPem === '') throw new ShoalError('INVALID_ARGUMENT', 'an external root needs both its certificate (--cert) and its private key (--key)');
  const cluster = getCluster(db);
  const validityMs = cluster.settings.certExpiryMs ?? DEFAULT_CERT_EXPIRY_MS;
  const root = await externalCA(certPem, keyPem, validityMs, now);
  const current = readRootCA(db);
  if (current && new X509Certificate(current.certPem).subject === new X509Certificate(root.certPem).subject) {
    throw new ShoalError('INVALID_ARGUMENT', `the new root certificate has the same subject as the current root (${new X509Certificate(root.certPem).subject.replace(/\n/g, ', ')}): give it another name`);
  }
  const { csrPem } = await createKeyAndCsr();
  const probe = await issueCertificate(signerOf(root), { csrPem, commonName: 'probe', role: 'worker', clusterId: cluster.id, validityMs: 60_000, now });
  if (!verifiedBy(joinPem(probe, root.chainPem), root.certPem, now)) {
    throw new ShoalError('INVALID_ARGUMENT', 'the new root certificate cannot sign certificates that verify against it (does its key usage include keyCertSign?)');
  }
  return root;
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
  const v1 = loadProtos().grpcObject.shoal.v1;
  const clients = new Map<string, CertificateAuthorityClient>();
  // Forwarding to the leader reuses the peer channel to it.
  const caAt = (addr: string): CertificateAuthorityClient => {
    let c = clients.get(addr);
    if (!c) {
      c = new v1.CertificateAuthority(addr, m.opts.security.channelCredentials(), { channelOverride: m.peers.controlAt(addr).getChannel() });
      clients.set(addr, c);
    }
    return c;
  };
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

    RotateCA: unary((req, call) =>
      onLeader(m, call, caAt, (c) => c.RotateCA.bind(c), async () => {
        const once = requestOnce(m, req.requestId, 'ca.rotate.start');
        const nodes = (): number => pendingRotationNodes(m.store.db).length;
        type Started = { digest: string; replaced?: string };
        if (once.repeat) {
          const r = once.repeat.result as Started;
          return { digest: r.digest, nodes: nodes(), replacedDigest: r.replaced ?? '' };
        }
        const old = readRootCA(m.store.db);
        if (!old) throw new ShoalError('FAILED_PRECONDITION', 'this cluster has no certificate authority (it was created before mutual TLS); there is nothing to rotate');
        const force = req.force === true;
        const current = readRotation(m.store.db);
        if (current && !force) throw rotationInProgress(current.digest);
        const now = Date.now();
        const root: SigningCA =
          req.caCertPem || req.caKeyPem ? await externalRoot(m.store.db, req.caCertPem ?? '', req.caKeyPem ?? '', now) : { ...(await createRootCA(now, now.toString(36))), chainPem: '' };
        // Cross-signed by the cluster's CA (during a forced restart too, never by the abandoned rotation's
        // root): nodes that trust only the old root keep verifying every certificate the new root signs.
        // When the cluster's CA is an external intermediate, it signs, and its chain follows the cross-signed root.
        const crossPem = joinPem(await crossSignRoot(signerOf(old), root.certPem, root.chainPem !== ''), old.chainPem);
        const result = (await m.write({
          ...once.tag,
          op: 'ca.rotate.start',
          at: now,
          certPem: root.certPem,
          keyPem: root.keyPem,
          digest: root.digest,
          crossPem,
          ...(root.chainPem !== '' ? { chainPem: root.chainPem } : {}),
          force,
        })) as Started;
        m.log.info('ca-rotation-started', { digest: result.digest, ...(result.replaced ? { replaced: result.replaced } : {}) });
        return { digest: result.digest, nodes: nodes(), replacedDigest: result.replaced ?? '' };
      }),
    ),

    InspectCA: unary(async () => {
      const { ca, cluster, denied, rotation, pending, done, retired } = await m.read((db) => ({
        ca: readRootCA(db),
        cluster: getCluster(db),
        denied: deniedCount(db),
        rotation: readRotation(db),
        pending: pendingRotationNodes(db),
        done: rotatedNodeCount(db),
        retired: lastRetiredRoot(db),
      }));
      if (!ca) throw new ShoalError('FAILED_PRECONDITION', 'this cluster has no certificate authority (it was created before mutual TLS)');
      const info = certificateInfo(ca.certPem);
      return {
        caCertificate: ca.certPem,
        signingChain: ca.chainPem,
        digest: ca.digest,
        notBeforeMs: info.notBefore,
        notAfterMs: info.notAfter,
        nodeCertExpiryMs: cluster.settings.certExpiryMs ?? DEFAULT_CERT_EXPIRY_MS,
        deniedCertificates: denied,
        rotationDigest: rotation?.digest ?? '',
        rotationStartedMs: rotation?.startedAt ?? 0,
        rotationPending: rotation ? pending.map((n) => `${n.hostname} (${n.id}, ${n.role})`) : [],
        rotationDone: rotation ? done : 0,
        retiredDigest: retired?.digest ?? '',
        retiredMs: retired?.retiredAt ?? 0,
      };
    }),
  };
}
