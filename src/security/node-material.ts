/**
 * A node's TLS material in its data dir: `certificates/ca.pem` (the root it
 * trusts), `node.pem` (its certificate) and `node.key` (its private key).
 * The directory is 0700 and the key 0600; start refuses material that other
 * users could read, with the command that fixes it.
 */
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShoalError } from '../errors.js';

export const CERT_DIR = 'certificates';

export interface NodeMaterial {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export function certDir(dataDir: string): string {
  return join(dataDir, CERT_DIR);
}

/** Creates the data dir (or tightens an existing one) owner-only: it holds the keys and the replicated state. */
export function secureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

export function hasNodeMaterial(dataDir: string): boolean {
  return existsSync(join(certDir(dataDir), 'node.key'));
}

/** Writes each file atomically (temp, fsync, rename), key first, so a crash never pairs a certificate with another key's file. */
export function writeNodeMaterial(dataDir: string, m: NodeMaterial): void {
  secureDataDir(dataDir);
  const dir = certDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  // Both files are complete before either is renamed; a crash between the renames leaves
  // node.pem.next behind, and readNodeMaterial completes the switch.
  writeAtomic(join(dir, 'node.key.next'), m.keyPem, 0o600);
  writeAtomic(join(dir, 'node.pem.next'), m.certPem, 0o600);
  writeAtomic(join(dir, 'ca.pem'), m.caPem, 0o600);
  renameSync(join(dir, 'node.key.next'), join(dir, 'node.key'));
  renameSync(join(dir, 'node.pem.next'), join(dir, 'node.pem'));
  fsyncDir(dir);
}

export function readNodeMaterial(dataDir: string): NodeMaterial {
  checkSecretPermissions(dataDir);
  const dir = certDir(dataDir);
  // A crash between the two renames of writeNodeMaterial: finish the switch.
  if (existsSync(join(dir, 'node.pem.next')) && !existsSync(join(dir, 'node.key.next'))) renameSync(join(dir, 'node.pem.next'), join(dir, 'node.pem'));
  const read = (name: string): string => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ShoalError('FAILED_PRECONDITION', `${join(dir, name)} is missing: this node has no certificate (a data dir from before mutual TLS, or a damaged one); leave and join the cluster again`);
      }
      throw e;
    }
  };
  return { caPem: read('ca.pem'), certPem: read('node.pem'), keyPem: read('node.key') };
}

/**
 * The data dir, the certificates dir and the key must not be open to group or
 * others. Checked at every start: a copy or restore with a loose umask is the
 * usual way secrets end up world-readable.
 */
export function checkSecretPermissions(dataDir: string): void {
  const dir = certDir(dataDir);
  for (const [path, fix] of [
    [dataDir, 700],
    [dir, 700],
    [join(dir, 'node.key'), 600],
  ] as const) {
    let mode: number;
    try {
      mode = statSync(path).mode & 0o777;
    } catch {
      continue; // missing files are reported by the reader, with their own message
    }
    if ((mode & 0o077) !== 0) {
      throw new ShoalError(
        'FAILED_PRECONDITION',
        `${path} is accessible to other users (mode ${mode.toString(8).padStart(4, '0')}) but holds this node's secrets; run \`chmod ${fix} ${path}\` and start again`,
      );
    }
  }
}

function writeAtomic(path: string, content: string, mode: number): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  fsyncSync(fd);
  closeSync(fd);
}
