/**
 * The CLI's credentials. The local socket needs none (it is owner-only in
 * the data dir). A TCP address needs a certificate from the cluster's CA:
 * `--tls-dir DIR` / SHOAL_TLS_DIR (ca.pem, cert.pem, key.pem, as written by
 * `shoal ca client-cert`), else this machine's own node certificate.
 */
import * as grpc from '@grpc/grpc-js';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ShoalError } from '../src/errors.js';
import { checkManagerCertificate, unsafePlaintextRequested } from '../src/security/mtls.js';
import { CERT_DIR } from '../src/security/node-material.js';
import { MANAGER_SERVER_NAME } from '../src/security/pki.js';

export const TLS_DIR_ENV = 'SHOAL_TLS_DIR';

/**
 * Managers are reached by IP address; TLS's server name (SNI) must not be one.
 * The name is the SAN every manager certificate carries (the check itself is checkManagerCertificate).
 */
export const CLIENT_CHANNEL_OPTIONS: grpc.ChannelOptions = { 'grpc.ssl_target_name_override': MANAGER_SERVER_NAME };

export interface TlsFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** Where the client's certificate is: the TLS dir, else the local node's; null if neither exists. */
export function clientTlsFiles(): TlsFiles | null {
  const dir = process.env[TLS_DIR_ENV];
  if (dir) {
    const files = { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
    for (const f of Object.values(files)) {
      if (!existsSync(f)) throw new ShoalError('INVALID_ARGUMENT', `--tls-dir ${dir}: ${f} is missing (make the directory with \`shoal ca client-cert --out ${dir}\` on a manager)`);
    }
    return files;
  }
  const node = join(process.env['SHOAL_DATA_DIR'] ?? join(homedir(), '.shoal'), CERT_DIR);
  if (existsSync(join(node, 'node.key'))) return { ca: join(node, 'ca.pem'), cert: join(node, 'node.pem'), key: join(node, 'node.key') };
  return null;
}

export function clientCredentials(target: string): grpc.ChannelCredentials {
  if (target.startsWith('unix:')) return grpc.credentials.createInsecure();
  // Benchmarks only (`bench:raft --plaintext`): the managers' TCP ports speak plaintext too.
  if (unsafePlaintextRequested()) return grpc.credentials.createInsecure();
  const files = clientTlsFiles();
  if (!files) {
    throw new ShoalError(
      'INVALID_ARGUMENT',
      `talking to ${target} needs a client certificate from the cluster's CA: on a manager run \`shoal ca client-cert --out DIR\`, then pass --tls-dir DIR (or set ${TLS_DIR_ENV})`,
    );
  }
  return grpc.credentials.createSsl(readFileSync(files.ca), readFileSync(files.key), readFileSync(files.cert), { checkServerIdentity: checkManagerCertificate(null) });
}
