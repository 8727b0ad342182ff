/**
 * Before forcing a new cluster: can this manager still reach a quorum of the
 * old membership? If it can, there is nothing to recover (the cluster works,
 * or will once an election completes), and forcing would split it in two.
 *
 * The membership and the managers' addresses come from this node's own
 * state.db, opened read-only (the daemon may be running: WAL lets a reader in
 * beside it). A member counts as reachable when it answers a gRPC health check
 * for the Raft service within the probe timeout.
 */
import * as grpc from '@grpc/grpc-js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ShoalError } from '../../errors.js';
import type { ConfState } from '../../raft/core/types.js';
import { decodeConf } from '../../raft/storage/conf-codec.js';
import type { TransportSecurity } from '../../raft/transport/credentials.js';
import { loadProtos } from '../../proto/load.js';
import { STATE_DB_FILE } from '../store/state-store.js';

export interface MemberAddr {
  readonly raftId: number;
  readonly hostname: string;
  readonly addr: string;
}

export interface OldMembership {
  readonly conf: ConfState;
  readonly members: readonly MemberAddr[];
}

export interface QuorumProbe {
  readonly voters: number;
  readonly quorum: number;
  /** Voters that answered, this node included. */
  readonly reachable: readonly MemberAddr[];
}

/** The membership recorded in `<dataDir>/state.db`, read without disturbing a running daemon. */
export function readOldMembership(dataDir: string): OldMembership {
  const file = join(dataDir, STATE_DB_FILE);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new ShoalError('FAILED_PRECONDITION', `${file} cannot be opened (${e instanceof Error ? e.message : String(e)}): this node holds no cluster state`);
  }
  try {
    const row = db.prepare('SELECT conf FROM raft_applied WHERE id = 1').get() as { conf: string } | undefined;
    const conf = row ? decodeConf(row.conf) : 'is missing';
    if (typeof conf === 'string') throw new ShoalError('FAILED_PRECONDITION', `${file}: the recorded membership ${conf}`);
    const ids = new Set([...conf.voters, ...conf.learners]);
    const rows = db.prepare("SELECT raft_id, hostname, addr FROM nodes WHERE role = 'manager'").all() as { raft_id: number; hostname: string; addr: string }[];
    const members = rows.filter((r) => ids.has(r.raft_id)).map((r) => ({ raftId: r.raft_id, hostname: r.hostname, addr: r.addr }));
    return { conf, members };
  } finally {
    db.close();
  }
}

/**
 * How many times a member that did not answer is asked again (a fresh channel each time, with
 * twice the first deadline). A live member taken for gone would let the operator split a working
 * cluster in two, and on a loaded host one health check of a cold CLI process (TLS handshake
 * included) can miss a 2 s deadline. A member whose process is gone refuses the connection at
 * once, so the retries cost time only for hosts that do not answer at all.
 */
const PROBE_ATTEMPTS = 3;

/** Health-checks every other voter in parallel; one that does not answer is asked again. */
export async function probeQuorum(self: number, old: OldMembership, security: TransportSecurity, timeoutMs: number): Promise<QuorumProbe> {
  const voters = old.conf.voters;
  const quorum = Math.floor(voters.length / 2) + 1;
  const byId = new Map(old.members.map((m) => [m.raftId, m]));
  const answers = await Promise.all(
    voters.map(async (id) => {
      const m = byId.get(id) ?? { raftId: id, hostname: `raft node ${id}`, addr: '' };
      if (id === self) return m;
      if (m.addr === '') return null;
      for (let attempt = 0; attempt < PROBE_ATTEMPTS; attempt++) {
        if (await healthy(m.addr, security, attempt === 0 ? timeoutMs : 2 * timeoutMs)) return m;
      }
      return null;
    }),
  );
  return { voters: voters.length, quorum, reachable: answers.filter((a): a is MemberAddr => a !== null) };
}

function healthy(addr: string, security: TransportSecurity, timeoutMs: number): Promise<boolean> {
  const client = new (loadProtos().grpcObject.grpc.health.v1.Health)(addr, security.channelCredentials());
  return new Promise<boolean>((resolve) => {
    client.Check({ service: 'shoal.v1.Raft' }, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      client.close();
      resolve(!err && res?.status === 'SERVING');
    });
  });
}
