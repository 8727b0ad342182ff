/**
 * Mutual TLS for every TCP connection: the TransportSecurity the manager's
 * server, the Raft transport, peer clients and agents all take their
 * credentials from. Certificates are served through grpc-js certificate
 * providers, so a renewed certificate (or a new root) reaches the listening
 * port and new connections without a restart.
 */
import * as grpc from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import { insecureTransport, type TransportSecurity } from '../raft/transport/credentials.js';
import { certificateInfo, joinPem, splitPem } from './pki.js';
import type { NodeMaterial } from './node-material.js';

type Provider = grpc.experimental.CertificateProvider;
type CaListener = Parameters<Provider['addCaCertificateListener']>[0];
type IdentityListener = Parameters<Provider['addIdentityCertificateListener']>[0];

/**
 * Holds the node's current material and tells grpc-js about changes.
 * Updates are delivered asynchronously: grpc-js's server drops connections
 * on a port whose provider answered inside addListener.
 */
export class MaterialProvider implements Provider {
  private readonly caListeners = new Set<CaListener>();
  private readonly identityListeners = new Set<IdentityListener>();

  constructor(private current: NodeMaterial) {}

  get material(): NodeMaterial {
    return this.current;
  }

  update(m: NodeMaterial): void {
    this.current = m;
    setImmediate(() => {
      for (const l of this.caListeners) l(this.caUpdate());
      for (const l of this.identityListeners) l(this.identityUpdate());
    });
  }

  addCaCertificateListener(l: CaListener): void {
    this.caListeners.add(l);
    setImmediate(() => this.caListeners.has(l) && l(this.caUpdate()));
  }
  removeCaCertificateListener(l: CaListener): void {
    this.caListeners.delete(l);
  }
  addIdentityCertificateListener(l: IdentityListener): void {
    this.identityListeners.add(l);
    setImmediate(() => this.identityListeners.has(l) && l(this.identityUpdate()));
  }
  removeIdentityCertificateListener(l: IdentityListener): void {
    this.identityListeners.delete(l);
  }

  private caUpdate(): { caCertificate: Buffer } {
    return { caCertificate: Buffer.from(this.current.caPem) };
  }
  /**
   * The root goes with the leaf (and, during a CA rotation, the cross-signed new root that is
   * part of the certificate), so a joiner can read it from the handshake and check the token's
   * digest. Only the bundle's first root is sent: the one join tokens name (during a rotation,
   * the old root; a peer trusting only it verifies leaf -> cross-signed root -> old root).
   */
  private identityUpdate(): { certificate: Buffer; privateKey: Buffer } {
    return { certificate: Buffer.from(joinPem(this.current.certPem, splitPem(this.current.caPem)[0] ?? '')), privateKey: Buffer.from(this.current.keyPem) };
  }
}

/** A server certificate is acceptable if it is a manager's of the expected cluster (the chain is verified by TLS). */
export function checkManagerCertificate(clusterId: string | null): (host: string, cert: PeerCertificate) => Error | undefined {
  return (_host, cert) => {
    const subject = cert.subject as Partial<Record<string, string>> | undefined;
    if (subject?.['OU'] !== 'manager') return new Error(`the server's certificate is not a manager's (OU=${subject?.['OU'] ?? 'none'})`);
    if (clusterId !== null && subject['O'] !== clusterId) return new Error(`the server's certificate belongs to cluster ${subject['O'] ?? '?'}, not ${clusterId}`);
    return undefined;
  };
}

/**
 * Benchmarks only: with this variable set to exactly `1`, a node's TCP port and its channels speak
 * plaintext HTTP/2 with no authentication at all (nodeSecurity in src/node/security.ts reads it).
 * It exists so that `bench:raft --plaintext` can compare the same build with and without TLS.
 * Anyone who can reach such a port controls the cluster. The manager logs a warning at start.
 */
export const UNSAFE_PLAINTEXT_ENV = 'SHOAL_UNSAFE_PLAINTEXT_TCP_FOR_BENCHMARKS';

export function unsafePlaintextRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[UNSAFE_PLAINTEXT_ENV] === '1';
}

export class MtlsSecurity implements TransportSecurity {
  readonly name: string;
  readonly provider: MaterialProvider;
  private channelCreds: grpc.ChannelCredentials | null = null;

  /**
   * With `unsafePlaintext`, the node keeps its certificate (renewal, rotation and joins of others
   * still work on it) but its TCP port and channels use no TLS and no authorization: see UNSAFE_PLAINTEXT_ENV.
   */
  constructor(
    material: NodeMaterial,
    readonly clusterId: string,
    readonly unsafePlaintext = false,
  ) {
    this.provider = new MaterialProvider(material);
    this.name = unsafePlaintext ? 'insecure (benchmark only)' : 'mtls';
  }

  /** True when peers' certificates are verified and calls authorized (always, outside benchmarks). */
  get verifiesPeers(): boolean {
    return !this.unsafePlaintext;
  }

  get material(): NodeMaterial {
    return this.provider.material;
  }

  /** The identity in the current certificate. */
  get identity(): { nodeId: string; role: string; notAfter: number } {
    const info = certificateInfo(this.material.certPem);
    return { nodeId: info.commonName, role: info.role, notAfter: info.notAfter };
  }

  /**
   * TLS asks every client for a certificate but lets one without any connect:
   * the join and renewal calls are made before a node has a (valid) one. Every
   * other method is refused by the authorization interceptor (authz.ts).
   */
  serverCredentials(): grpc.ServerCredentials {
    if (this.unsafePlaintext) return insecureTransport().serverCredentials();
    return grpc.experimental.createCertificateProviderServerCredentials(this.provider, this.provider, false);
  }

  channelCredentials(): grpc.ChannelCredentials {
    if (this.unsafePlaintext) return insecureTransport().channelCredentials();
    this.channelCreds ??= grpc.experimental.createCertificateProviderChannelCredentials(this.provider, this.provider, {
      checkServerIdentity: checkManagerCertificate(this.clusterId),
    });
    return this.channelCreds;
  }

  update(m: NodeMaterial): void {
    const roleBefore = this.identity.role;
    this.provider.update(m);
    // A new role (node promote/demote) must show on the next calls at once: channels made from now on get
    // credentials of their own, so grpc-js opens new connections instead of reusing ones that authenticated
    // with the old certificate (its subchannel pool shares connections between equal credentials).
    if (this.identity.role !== roleBefore) this.channelCreds = null;
  }
}
