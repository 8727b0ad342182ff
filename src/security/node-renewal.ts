/**
 * Certificates of nodes that are not managers (workers ask a manager to
 * sign), and the start of a node whose certificate expired while it was off.
 */
import type * as grpc from '@grpc/grpc-js';
import { ShoalError } from '../errors.js';
import type { CertificateResponse__Output } from '../generated/shoal/v1/CertificateResponse.js';
import type { RenewNodeCertificateRequest } from '../generated/shoal/v1/RenewNodeCertificateRequest.js';
import { fromServiceError } from '../node/grpc-util.js';
import type { Logger } from '../node/logger.js';
import { loadProtos } from '../proto/load.js';
import { anonymousCredentials } from './join-client.js';
import { MtlsSecurity } from './mtls.js';
import { readNodeMaterial, writeNodeMaterial } from './node-material.js';
import { CertificateRenewer, type Issued } from './renewer.js';
import { createKeyAndCsr, verifiedBy } from './pki.js';

const CALL_TIMEOUT_MS = 15_000;
/** `shoal start --token` passes the token to the daemon in this variable (never on its command line). */
export const JOIN_TOKEN_ENV = 'SHOAL_JOIN_TOKEN';

export function requestCertificate(addr: string, creds: grpc.ChannelCredentials, req: RenewNodeCertificateRequest): Promise<Issued> {
  const client = new (loadProtos().grpcObject.shoal.v1.CertificateAuthority)(addr, creds);
  return new Promise<Issued>((resolve, reject) => {
    client.RenewNodeCertificate(req, { deadline: Date.now() + CALL_TIMEOUT_MS }, (err: grpc.ServiceError | null, res?: CertificateResponse__Output) => {
      client.close();
      if (err) reject(fromServiceError(err));
      else if (!res) reject(new ShoalError('INTERNAL', 'empty certificate response'));
      else resolve({ certificate: res.certificate, caCertificate: res.caCertificate });
    });
  });
}

/**
 * A worker's mTLS identity from its data dir. A certificate that expired while
 * the node was off is renewed with a join token (from `shoal start --token`);
 * without one, the error says exactly what to run.
 */
export async function workerSecurity(dataDir: string, nodeId: string, clusterId: string, managers: readonly string[], log: Logger): Promise<MtlsSecurity> {
  const security = new MtlsSecurity(readNodeMaterial(dataDir), clusterId);
  const { notAfter } = security.identity;
  if (notAfter > Date.now()) return security;
  const token = process.env[JOIN_TOKEN_ENV]?.trim();
  if (!token) {
    throw new ShoalError(
      'FAILED_PRECONDITION',
      `the certificate of this node expired on ${new Date(notAfter).toISOString()} while it was off; ` +
        'on a manager run `shoal join-token worker -q`, then here `shoal start --token <that token>`',
    );
  }
  const { keyPem, csrPem } = await createKeyAndCsr();
  let lastError: unknown = null;
  for (const addr of managers) {
    try {
      const issued = await requestCertificate(addr, anonymousCredentials(security.material.caPem), { csr: csrPem, nodeId, token });
      if (!verifiedBy(issued.certificate, security.material.caPem)) throw new ShoalError('INTERNAL', `the manager at ${addr} returned a certificate not signed by this cluster's root`);
      const material = { caPem: security.material.caPem, certPem: issued.certificate, keyPem };
      writeNodeMaterial(dataDir, material);
      security.update(material);
      log.info('expired-certificate-renewed-with-token', { manager: addr });
      return new MtlsSecurity(material, clusterId);
    } catch (e) {
      lastError = e;
      if (e instanceof ShoalError && (e.code === 'UNAUTHENTICATED' || e.code === 'PERMISSION_DENIED' || e.code === 'NOT_FOUND')) throw e;
    }
  }
  throw lastError instanceof Error ? lastError : new ShoalError('UNAVAILABLE', 'no manager could renew the certificate');
}

/** Renews a worker's certificate through whichever manager it talks to. */
export function startWorkerRenewal(security: MtlsSecurity, dataDir: string, managerAddr: () => string, log: Logger): CertificateRenewer {
  const renewer = new CertificateRenewer({
    security,
    dataDir,
    log,
    renew: (csr) => requestCertificate(managerAddr(), security.channelCredentials(), { csr }),
    expiredHint: 'the certificate of this node expired before a manager could renew it; on a manager run `shoal join-token worker -q`, then here `shoal stop` and `shoal start --token <that token>`',
  });
  renewer.start();
  return renewer;
}
