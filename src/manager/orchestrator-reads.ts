/**
 * What the orchestrator reads every round (each 100 ms, and at once after a busy round), kept
 * across rounds while the store says it did not change, so an idle or status-only round costs a
 * probe instead of a parse of every row.
 *
 * - Nodes: the scheduler's view of every node is read again only when the nodes table moved.
 *   Every change of a node row that the scheduler sees sets its `version` to the Raft index of
 *   the change (higher than any stored), so (MAX(version), COUNT(*)) moves with each update,
 *   insert and delete. That holds across an installed snapshot too: equal keys mean no node
 *   write after the same index, and the apply is deterministic, so the rows are the same. (The
 *   store's generation would not do: placements and most other writes move it.)
 * - Services: a service's spec and previous spec are parsed again only when its `version` moved
 *   (every command that changes them sets it). Its update status is the exception: progress
 *   records leave `version` alone, so it is compared as text and parsed again when it differs.
 */
import type Database from 'better-sqlite3';
import type { SchedNode } from '../scheduler/types.js';
import { listNodes } from './store/queries.js';
import { serviceById, type ServiceRecord } from './store/service-queries.js';
import type { UpdateStatusRecord } from './store/service-commands.js';
import { stmt } from './store/statements.js';

export class NodeReadCache {
  private key = '';
  private nodes: SchedNode[] = [];
  /** How many times the node rows were read (tests assert on it). */
  reads = 0;

  get(db: Database.Database): SchedNode[] {
    const probe = stmt(db, 'SELECT COALESCE(MAX(version), 0) AS v, COUNT(*) AS c FROM nodes').get() as { v: number; c: number };
    const key = `${probe.v}/${probe.c}`;
    if (key === this.key) return this.nodes;
    this.reads++;
    this.nodes = listNodes(db).map((n) => ({
      id: n.id,
      hostname: n.hostname,
      role: n.role,
      status: n.status,
      availability: n.availability,
      labels: n.labels,
      platform: n.platform,
      capacity: n.resources,
    }));
    this.key = key;
    return this.nodes;
  }
}

interface CachedService {
  readonly record: ServiceRecord;
  readonly rawStatus: string | null;
}

export class ServiceReadCache {
  private byId = new Map<string, CachedService>();
  /** How many service rows were read and parsed whole (tests assert on it). */
  parses = 0;

  /** Every service, ordered by name (as listServices). */
  list(db: Database.Database): ServiceRecord[] {
    const rows = stmt(db, 'SELECT id, version, update_status FROM services ORDER BY name').all() as { id: string; version: number; update_status: string | null }[];
    const next = new Map<string, CachedService>();
    const out: ServiceRecord[] = [];
    for (const r of rows) {
      let c = this.byId.get(r.id);
      if (!c || c.record.version !== r.version) {
        const record = serviceById(db, r.id);
        if (!record) continue; // not reachable: one synchronous read of one database
        this.parses++;
        c = { record, rawStatus: r.update_status };
      } else if (c.rawStatus !== r.update_status) {
        const updateStatus = r.update_status === null ? null : (JSON.parse(r.update_status) as UpdateStatusRecord);
        c = { record: { ...c.record, updateStatus }, rawStatus: r.update_status };
      }
      next.set(r.id, c);
      out.push(c.record);
    }
    this.byId = next;
    return out;
  }
}
