/**
 * The Watch service: a server stream of object changes, read from the events
 * table (store/events.ts). That table is written in the apply transaction, so
 * it is identical on every manager, and a client can resume on any manager
 * from the last sequence it received without missing or repeating a change.
 *
 * Each watcher is a cursor (the last sequence it was sent) over that table:
 * the database is its backlog, so a slow client costs no memory here. It is
 * sent events as they are applied until the stream's buffer is full, then
 * waits for 'drain'; a watcher that falls more than `lagEventsMax` behind the
 * newest change is ended with RESOURCE_EXHAUSTED and told where to resume.
 */
import * as grpc from '@grpc/grpc-js';
import type { WatchHandlers } from '../generated/shoal/v1/Watch.js';
import type { WatchEvent } from '../generated/shoal/v1/WatchEvent.js';
import type { WatchRequest__Output } from '../generated/shoal/v1/WatchRequest.js';
import { isShoalError } from '../errors.js';
import { toServiceError } from './grpc-util.js';
import type { Manager } from './manager.js';
import { nodeToProto } from './node-view.js';
import { enumFromProto, enumToProto, serviceToProto, taskToProto } from './service-view.js';
import { eventBounds, eventsAfter, type ObjectKind, type StoreEvent } from './store/events.js';
import { getCluster, nodeById } from './store/queries.js';
import { containerById, describedAttachmentsOfOwner, networkById } from './store/network-queries.js';
import { containerToProto, networkToProto } from './network-view.js';
import { runningCountOf, serviceById, taskById } from './store/service-queries.js';
import type { StateStore } from './store/state-store.js';

type Db = StateStore['db'];
type ServerStream = grpc.ServerWritableStream<WatchRequest__Output, WatchEvent>;

export interface WatchOptions {
  /** Events read from the table per query. */
  readonly batchEvents: number;
  /** Events sent per turn of the event loop before yielding to other work. */
  readonly turnEventsMax: number;
  /** How far behind the newest change a watcher may fall before it is ended. */
  readonly lagEventsMax: number;
}

export const WATCH_DEFAULTS: WatchOptions = { batchEvents: 256, turnEventsMax: 1_024, lagEventsMax: 20_000 };

const KINDS: readonly ObjectKind[] = ['node', 'network', 'service', 'task', 'container', 'cluster'];

export function watchHandlers(m: Manager, opts: WatchOptions = WATCH_DEFAULTS): WatchHandlers {
  return {
    Watch: (call: ServerStream) => {
      new Watcher(m, call, opts).start();
    },
  };
}

class Watcher {
  /** The sequence of the last event sent (or skipped by the kind filter). */
  private cursor = 0;
  private kinds: ReadonlySet<ObjectKind> = new Set(KINDS);
  private waitingDrain = false;
  private pumpScheduled = false;
  private done = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly m: Manager,
    private readonly call: ServerStream,
    private readonly opts: WatchOptions,
  ) {}

  start(): void {
    // Every stream needs an 'error' listener; a cancelled or failed stream is simply cleaned up.
    this.call.on('error', () => this.cleanup());
    this.call.on('cancelled', () => this.cleanup());
    this.call.on('close', () => this.cleanup());
    this.call.on('drain', () => {
      this.waitingDrain = false;
      this.schedulePump();
    });
    this.begin().catch((e: unknown) => this.fail(toServiceError(e)));
  }

  private async begin(): Promise<void> {
    const req = this.call.request;
    if (req.kinds.length > 0) this.kinds = new Set(req.kinds.map((k) => enumFromProto('kinds', k, 'OBJECT_KIND_', KINDS, undefined)));
    // The barrier makes "now" mean every change committed before the call, on any manager.
    const start = await this.m.read((db) => startCursor(db, req, this.m.store.applied().index));
    if (this.done) return;
    if ('error' in start) return this.fail(start.error);
    this.cursor = start.cursor;
    this.unsubscribe = this.m.shell.onEvent((e) => {
      if (e.type === 'applied' || e.type === 'snapshot-installed') this.schedulePump();
    });
    this.schedulePump();
  }

  private schedulePump(): void {
    if (this.done || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      try {
        this.pump();
      } catch (e) {
        // E.g. the manager is shutting down and its database closed.
        this.fail(isShoalError(e) ? toServiceError(e) : { code: grpc.status.UNAVAILABLE, details: 'this manager stopped serving the watch; resume on another manager from your last sequence' });
      }
    });
  }

  /** Sends what is new, at most turnEventsMax events per turn, until the stream's buffer is full. */
  private pump(): void {
    if (this.done) return;
    const db = this.m.store.db;
    if (this.waitingDrain) {
      this.checkLag(db);
      return;
    }
    let sent = 0;
    while (sent < this.opts.turnEventsMax) {
      const batch = eventsAfter(db, this.cursor, this.opts.batchEvents);
      if (batch.length === 0) return;
      const first = batch[0];
      if (first && first.seq !== this.cursor + 1) {
        // Pruned past our cursor (e.g. a snapshot from far ahead was installed): we cannot go on without a gap.
        return this.fail(outOfRange(`changes after sequence ${this.cursor} are no longer kept on this manager; list the objects again and watch from now`));
      }
      for (const ev of batch) {
        this.cursor = ev.seq;
        if (!this.kinds.has(ev.kind)) continue;
        sent++;
        if (!this.call.write(toWatchEvent(this.m, db, ev))) {
          this.waitingDrain = true;
          this.checkLag(db);
          return;
        }
      }
    }
    this.schedulePump();
  }

  private checkLag(db: Db): void {
    const newest = eventBounds(db).newest;
    if (newest - this.cursor > this.opts.lagEventsMax) {
      this.fail({
        code: grpc.status.RESOURCE_EXHAUSTED,
        details: `this watcher fell more than ${this.opts.lagEventsMax} changes behind (it was sent up to sequence ${this.cursor}, the newest is ${newest}); read faster, and resume with resume_after_sequence set to the last sequence you received`,
      });
    }
  }

  /** Ends the stream with a status; events already buffered are delivered first. */
  private fail(status: Partial<grpc.StatusObject>): void {
    if (this.done) return;
    this.cleanup();
    this.call.emit('error', { code: status.code ?? grpc.status.INTERNAL, details: status.details ?? 'watch failed', metadata: new grpc.Metadata() });
  }

  private cleanup(): void {
    if (this.done) return;
    this.done = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

function outOfRange(details: string): Partial<grpc.StatusObject> {
  return { code: grpc.status.OUT_OF_RANGE, details };
}

/** Where a new watcher starts: after the requested sequence or version, or at the newest change. */
function startCursor(db: Db, req: WatchRequest__Output, appliedIndex: number): { cursor: number } | { error: Partial<grpc.StatusObject> } {
  const { oldest, newest } = eventBounds(db);
  const afterSeq = Number(req.resumeAfterSequence);
  const afterVersion = Number(req.resumeFromVersion);
  if (afterSeq > 0) {
    if (afterSeq > newest) return { error: outOfRange(`sequence ${afterSeq} is ahead of the newest change (${newest}); resume from a sequence this cluster sent`) };
    if (afterSeq < oldest - 1) {
      return { error: outOfRange(`changes after sequence ${afterSeq} are no longer kept (the oldest kept is ${oldest}); list the objects again and watch from now`) };
    }
    return { cursor: afterSeq };
  }
  if (afterVersion > 0) {
    if (afterVersion > appliedIndex) return { error: outOfRange(`version ${afterVersion} is ahead of this cluster's state (${appliedIndex})`) };
    const at = db.prepare('SELECT MAX(seq) AS seq FROM events WHERE version <= ?').get(afterVersion) as { seq: number | null };
    // Some events were pruned and the version is older than every kept one: changes may be missing.
    if (at.seq === null && oldest > 1) {
      return { error: outOfRange(`changes after version ${afterVersion} are no longer kept (the oldest kept is sequence ${oldest}); list the objects again and watch from the listed version`) };
    }
    return { cursor: at.seq ?? Math.max(0, oldest - 1) };
  }
  return { cursor: newest };
}

/**
 * One change as sent: the object as it is now (a later change is sent as its
 * own event); for a deleted object, or one deleted since, only its ID.
 */
function toWatchEvent(m: Manager, db: Db, ev: StoreEvent): WatchEvent {
  const base: WatchEvent = {
    action: enumToProto(ev.action, 'WATCH_ACTION_') as 'WATCH_ACTION_CREATE',
    kind: enumToProto(ev.kind, 'OBJECT_KIND_') as 'OBJECT_KIND_NODE',
    version: ev.version,
    sequence: ev.seq,
  };
  const gone = { id: ev.objectId };
  switch (ev.kind) {
    case 'service': {
      const s = ev.action === 'delete' ? null : serviceById(db, ev.objectId);
      return { ...base, service: s ? serviceToProto(s, runningCountOf(db, s.id)) : gone };
    }
    case 'task': {
      const t = ev.action === 'delete' ? null : taskById(db, ev.objectId);
      if (!t) return { ...base, task: gone };
      const s = serviceById(db, t.serviceId);
      return { ...base, task: taskToProto(t, { serviceName: s?.name ?? t.serviceId, labels: s?.spec.labels ?? {}, attachments: describedAttachmentsOfOwner(db, 'task', t.id) }) };
    }
    case 'node': {
      const n = ev.action === 'delete' ? null : nodeById(db, ev.objectId);
      return { ...base, node: n ? nodeToProto(n, { leaderRaftId: m.shell.leaderId }) : gone };
    }
    case 'cluster': {
      const c = getCluster(db);
      return {
        ...base,
        cluster: {
          id: c.id,
          name: 'default',
          defaultAddrPools: [...c.settings.defaultAddrPools],
          subnetSize: c.settings.defaultAddrPoolMaskLength,
          dispatcherHeartbeatMs: c.settings.dispatcherHeartbeatMs,
        },
      };
    }
    case 'network': {
      const n = ev.action === 'delete' ? null : networkById(db, ev.objectId);
      return { ...base, network: n ? networkToProto(n) : gone };
    }
    case 'container': {
      const c = ev.action === 'delete' ? null : containerById(db, ev.objectId);
      return { ...base, container: c ? containerToProto(c, describedAttachmentsOfOwner(db, 'container', c.id)) : gone };
    }
  }
}
