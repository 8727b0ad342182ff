/**
 * The peer tables the dispatcher sends to workers: per network, every
 * endpoint held on a node that is not down, with that node's data-path
 * address. A node gets the table of a network only while it holds an
 * endpoint there (assignments-stream.ts decides which networks), first
 * complete, then as changes.
 *
 * Tables are read once per dispatcher tick and shared by every stream; each
 * table carries a signature, so a stream whose networks did not change skips
 * the diff (a thousand workers do not each compare ten thousand entries on
 * every tick).
 */
import type Database from 'better-sqlite3';
import type { AssignmentChange } from '../generated/shoal/v1/AssignmentChange.js';
import { formatIpv4 } from '../network/cidr.js';
import { hostOf, macOf } from '../network/dataplane/names.js';

export { hostOf };
import { stmt } from './store/statements.js';

export interface PeerRecord {
  /** Attachment ID. */
  readonly id: string;
  readonly networkId: string;
  readonly address: string;
  readonly nodeId: string;
  readonly dataPathAddr: string;
}

export interface PeerTable {
  readonly peers: readonly PeerRecord[];
  /** Changes whenever the table does (entries, addresses, VTEPs). */
  readonly signature: string;
}

/** Looks up a network's peer table (memoized by the caller per tick). */
export type PeerSource = (networkId: string) => PeerTable;

/**
 * A peer source over the store, memoized until `invalidate()`. `dataPathAddrOf` gives a node's
 * reported data-path address, or null to fall back to the host of its advertise address.
 */
export class PeerTables {
  private readonly cache = new Map<string, PeerTable>();

  constructor(
    private readonly db: () => Database.Database,
    private readonly dataPathAddrOf: (nodeId: string) => string | null,
  ) {}

  /** Forget the memo (new events, or a node's data-path address changed). */
  invalidate(): void {
    this.cache.clear();
  }

  readonly source: PeerSource = (networkId) => {
    let t = this.cache.get(networkId);
    if (!t) {
      t = this.read(networkId);
      this.cache.set(networkId, t);
    }
    return t;
  };

  private read(networkId: string): PeerTable {
    const rows = stmt(
      this.db(),
      `SELECT a.id, a.address, a.node_id, n.addr FROM attachments a JOIN nodes n ON n.id = a.node_id
        WHERE a.network_id = ? AND n.status != 'down' ORDER BY a.id`,
    ).all(networkId) as { id: string; address: number; node_id: string; addr: string }[];
    // The signature covers every entry (FNV-1a over id and VTEP): a node going down while another
    // comes back in the same tick keeps the count, but not the hash.
    let hash = 0x811c9dc5;
    const peers = rows.map((r) => {
      const p = { id: r.id, networkId, address: formatIpv4(r.address), nodeId: r.node_id, dataPathAddr: this.dataPathAddrOf(r.node_id) ?? hostOf(r.addr) };
      const key = `${p.id}|${p.address}|${p.dataPathAddr};`;
      for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
      return p;
    });
    return { peers, signature: `${peers.length}:${hash.toString(16)}` };
  }
}

/** What one stream sent of the peer tables, and the changes to bring a node up to date. */
export class SentPeers {
  /** Attachment ID -> what was sent ("network|address|vtep"). */
  private readonly sent = new Map<string, string>();
  private readonly sentNetwork = new Map<string, string>();
  private readonly signatures = new Map<string, string>();

  constructor(private readonly nodeId: string) {}

  /** Changes for the networks the node holds now (entries of other networks are removed). */
  diff(networks: ReadonlySet<string>, source: PeerSource): AssignmentChange[] {
    const out: AssignmentChange[] = [];
    for (const [id, net] of [...this.sentNetwork]) {
      if (networks.has(net)) continue;
      out.push({ action: 'ASSIGNMENT_ACTION_REMOVE', peer: { id } });
      this.forget(id);
    }
    for (const net of [...this.signatures.keys()]) if (!networks.has(net)) this.signatures.delete(net);
    for (const net of [...networks].sort()) {
      const table = source(net);
      if (this.signatures.get(net) === table.signature) continue;
      this.signatures.set(net, table.signature);
      const present = new Set<string>();
      for (const p of table.peers) {
        if (p.nodeId === this.nodeId) continue; // our own endpoints need no entries
        present.add(p.id);
        const key = `${net}|${p.address}|${p.dataPathAddr}`;
        if (this.sent.get(p.id) === key) continue;
        this.sent.set(p.id, key);
        this.sentNetwork.set(p.id, net);
        out.push({
          action: 'ASSIGNMENT_ACTION_UPDATE',
          peer: { id: p.id, networkId: net, address: p.address, mac: macOf(p.address), nodeId: p.nodeId, dataPathAddr: p.dataPathAddr },
        });
      }
      for (const [id, n] of [...this.sentNetwork]) {
        if (n !== net || present.has(id)) continue;
        out.push({ action: 'ASSIGNMENT_ACTION_REMOVE', peer: { id } });
        this.forget(id);
      }
    }
    return out;
  }

  private forget(id: string): void {
    this.sent.delete(id);
    this.sentNetwork.delete(id);
  }
}
