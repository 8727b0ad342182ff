/**
 * What a node daemon does to change role (see daemon.ts for when): its
 * certificate follows the role the managers record (a renewal returns the
 * stored role), a manager about to start learns the current members, and a
 * node that stops being a manager drops its Raft state (a later promotion
 * starts fresh under a new Raft ID, see src/manager/store/role-changes.ts).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShoalError } from '../errors.js';
import type { GetNodeResponse__Output } from '../generated/shoal/v1/GetNodeResponse.js';
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

/** The Raft members (ID, address, voting or not) as the manager at `addr` knows them (a linearizable read there). */
export async function membersAt(addr: string, security: MtlsSecurity): Promise<{ raftId: number; addr: string; voter: boolean }[]> {
  const client = new (loadProtos().grpcObject.shoal.v1.Raft)(addr, security.channelCredentials());
  try {
    const res = await new Promise<ListMembersResponse__Output>((resolve, reject) =>
      client.ListMembers({}, { deadline: Date.now() + CALL_TIMEOUT_MS }, (err, r) => (err ? reject(fromServiceError(err)) : r ? resolve(r) : reject(new ShoalError('INTERNAL', 'empty member list')))),
    );
    return res.members.map((p) => ({ raftId: Number(p.raftId), addr: p.addr, voter: p.voter }));
  } finally {
    client.close();
  }
}

/** Writes the members a new manager starts from (its transport needs the leader's address before any snapshot). */
export async function rememberMembers(dataDir: string, addr: string, security: MtlsSecurity): Promise<void> {
  const members = (await membersAt(addr, security)).filter((p) => p.addr !== '').map((p) => ({ raftId: p.raftId, addr: p.addr }));
  writeFileSync(join(dataDir, 'join-peers.json'), JSON.stringify(members));
}

/**
 * The role a manager of the cluster records for this node, asking each of `addrs` in turn with the
 * node's (manager) certificate; null if none answers. Used when a start as manager is refused as
 * removed: a node demoted while it was down is a worker now, not a stale manager.
 */
export async function roleRecordedBy(addrs: readonly string[], nodeId: string, security: MtlsSecurity): Promise<{ role: NodeRole; raftId: number } | null> {
  for (const addr of addrs) {
    const client = new (loadProtos().grpcObject.shoal.v1.Control)(addr, security.channelCredentials());
    try {
      const res = await new Promise<GetNodeResponse__Output | null>((resolve) =>
        client.GetNode({ ref: nodeId }, { deadline: Date.now() + CALL_TIMEOUT_MS / 4 }, (err, r) => resolve(err || !r ? null : r)),
      );
      const n = res?.node;
      if (n) return { role: n.role === 'NODE_ROLE_MANAGER' ? 'manager' : 'worker', raftId: 0 };
    } finally {
      client.close();
    }
  }
  return null;
}
