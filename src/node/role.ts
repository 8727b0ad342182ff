/**
 * What a node daemon does to change role (see daemon.ts for when): its
 * certificate follows the role the managers record (a renewal returns the
 * stored role), a manager about to start learns the current members, and a
 * node that stops being a manager drops its Raft state (a later promotion
 * starts fresh under a new Raft ID, see src/manager/store/role-changes.ts).
 */
import Database from 'better-sqlite3';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShoalError } from '../errors.js';
import type { ListMembersResponse__Output } from '../generated/shoal/v1/ListMembersResponse.js';
import { loadProtos } from '../proto/load.js';
import type { MtlsSecurity } from '../security/mtls.js';
import { writeNodeMaterial } from '../security/node-material.js';
import { requestCertificate } from '../security/node-renewal.js';
import { createKeyAndCsr, verifiedBy } from '../security/pki.js';
import { fromServiceError } from './grpc-util.js';
import type { NodeRole } from './node-config.js';

const CALL_TIMEOUT_MS = 10_000;

/** Files of the manager role: the Raft log and the replicated state. */
const MANAGER_FILES = ['raft.db', 'raft.db-wal', 'raft.db-shm', 'state.db', 'state.db-wal', 'state.db-shm', 'snapshots'];

export function wipeManagerState(dataDir: string): void {
  for (const f of MANAGER_FILES) rmSync(join(dataDir, f), { recursive: true, force: true });
}

/** A new certificate through the manager at `addr`; its role is the one the state holds for this node. */
export async function renewCertificateThrough(security: MtlsSecurity, dataDir: string, addr: string): Promise<string> {
  const { keyPem, csrPem } = await createKeyAndCsr();
  const issued = await requestCertificate(addr, security.channelCredentials(), { csr: csrPem });
  if (!verifiedBy(issued.certificate, security.material.caPem)) throw new ShoalError('INTERNAL', `the manager at ${addr} returned a certificate not signed by this cluster's root`);
  const material = { caPem: security.material.caPem, certPem: issued.certificate, keyPem };
  writeNodeMaterial(dataDir, material); // on disk before use: a crash now restarts with the new pair
  security.update(material);
  return security.identity.role;
}

/** The Raft members (ID and address) as the manager at `addr` knows them; a new manager starts from these. */
export async function rememberMembers(dataDir: string, addr: string, security: MtlsSecurity): Promise<void> {
  const client = new (loadProtos().grpcObject.shoal.v1.Raft)(addr, security.channelCredentials());
  try {
    const res = await new Promise<ListMembersResponse__Output>((resolve, reject) =>
      client.ListMembers({}, { deadline: Date.now() + CALL_TIMEOUT_MS }, (err, r) => (err ? reject(fromServiceError(err)) : r ? resolve(r) : reject(new ShoalError('INTERNAL', 'empty member list')))),
    );
    const members = res.members.map((p) => ({ raftId: Number(p.raftId), addr: p.addr })).filter((p) => p.addr !== '');
    writeFileSync(join(dataDir, 'join-peers.json'), JSON.stringify(members));
  } finally {
    client.close();
  }
}

/**
 * The role and Raft ID this node's own copy of the replicated state holds for
 * it, or null (no state yet). A manager demoted while its daemon was down has
 * almost always applied its demotion before Raft removed it.
 */
export function locallyRecordedRole(dataDir: string, nodeId: string): { role: NodeRole; raftId: number } | null {
  const file = join(dataDir, 'state.db');
  if (!existsSync(file)) return null;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT role, raft_id FROM nodes WHERE id = ?').get(nodeId) as { role: NodeRole; raft_id: number } | undefined;
    return row ? { role: row.role, raftId: row.raft_id } : null;
  } catch {
    return null; // no nodes table yet (a manager that never received a snapshot)
  } finally {
    db?.close();
  }
}
