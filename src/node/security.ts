/** A node's transport identity, the same for both roles: mutual TLS from the certificate in its data dir. */
import { MtlsSecurity, unsafePlaintextRequested } from '../security/mtls.js';
import { readNodeMaterial } from '../security/node-material.js';

/**
 * The node's mutual-TLS identity from its data dir (permissions checked first). Plaintext only when
 * the benchmark-only UNSAFE_PLAINTEXT_ENV is set (the manager then logs a warning).
 */
export function nodeSecurity(dataDir: string, clusterId: string): MtlsSecurity {
  return new MtlsSecurity(readNodeMaterial(dataDir), clusterId, unsafePlaintextRequested());
}
