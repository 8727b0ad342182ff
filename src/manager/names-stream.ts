/**
 * The Names streams on the leader (dispatcher.proto Dispatcher.Names): each worker session may
 * hold one, and gets the names of the networks its node has an endpoint on — complete first,
 * then, whenever the store changes, the networks whose names changed and the ones it left.
 *
 * One hub per dispatcher looks at the event log (the store's change feed) when the dispatcher
 * says an entry was applied (`kick`), and every `periodMs` as a backstop; when anything changed
 * it reads the feed's input and computes the names of the networks those events touched
 * (names-touched.ts; every network the first time, or when the log no longer holds every event
 * since the last look), once for all streams (names-view.ts, feed.ts), and each stream compares
 * its node's networks with what it last sent, network by network.
 * Recomputing is spaced by at least twice what the last one cost (and `KICK_GAP_MIN_MS`), so a
 * small cluster sends a change within milliseconds of its commit while a large one under a
 * stream of writes spends at most about a third of a core here (docs/design/dns.md).
 *
 * The hub is separate from the assignments stream on purpose: assignments change when the
 * node's own tasks change, names when anything on any of its networks does.
 */
import type * as grpc from '@grpc/grpc-js';
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { NamesMessage } from '../generated/shoal/v1/NamesMessage.js';
import type { NamesRequest__Output } from '../generated/shoal/v1/NamesRequest.js';
import { nameRecords, networksByNode, type FeedInput } from '../network/dns/feed.js';
import type { NetworkNames as ProtoNetworkNames } from '../generated/shoal/v1/NetworkNames.js';
import { networkNamesToProto, feedInputFromStore } from './names-view.js';
import { eventBounds, eventsAfter } from './store/events.js';
import { namesIndex, touchedNetworks, type NamesIndex } from './names-touched.js';
import { toServiceError } from './grpc-util.js';

/** How often the hub looks for changes when nothing kicks it. */
export const NAMES_POLL_MS = 100;
/** The shortest gap between two recomputations after kicks. */
export const KICK_GAP_MIN_MS = 10;
/** Past this many events since the last look, every network is recomputed (cheaper than sifting them). */
export const SCOPED_EVENTS_MAX = 10_000;

/**
 * Every network's names, computed once per change batch and shared by all streams: each stream
 * then only picks its node's networks and compares them with what it sent (string equality).
 */
export interface NamesSnapshot {
  /** Network ID → its names as sent, and their JSON (the comparison key). */
  readonly networks: ReadonlyMap<string, { readonly proto: ProtoNetworkNames; readonly json: string }>;
  /** Node ID → the networks it has an endpoint on. */
  readonly networksOfNode: ReadonlyMap<string, ReadonlySet<string>>;
}

export function namesSnapshot(input: FeedInput): NamesSnapshot {
  return namesSnapshotOf(input, new Set(input.networks.map((x) => x.id)), new Map());
}

/** `previous` with the names of `networkIds` computed again (a removed network drops out). */
function namesSnapshotOf(input: FeedInput, networkIds: ReadonlySet<string>, previous: NamesSnapshot['networks']): NamesSnapshot {
  const networks = new Map(previous);
  for (const id of networkIds) networks.delete(id);
  for (const n of nameRecords(input, networkIds).networks) {
    const proto = networkNamesToProto(n);
    networks.set(n.networkId, { proto, json: JSON.stringify(proto) });
  }
  return { networks, networksOfNode: networksByNode(input) };
}

export class NamesStream {
  /** Network ID → the JSON of the names last sent for it. */
  private sent = new Map<string, string>();
  private started = false;

  constructor(
    readonly nodeId: string,
    private readonly send: (m: NamesMessage) => void,
  ) {}

  /** Sends what changed for this node since the last message (everything, the first time). */
  update(snapshot: NamesSnapshot): void {
    const mine = [...(snapshot.networksOfNode.get(this.nodeId) ?? [])].flatMap((id) => {
      const n = snapshot.networks.get(id);
      return n ? [[id, n] as const] : [];
    });
    const changed = mine.filter(([id, n]) => this.sent.get(id) !== n.json).map(([, n]) => n.proto);
    const now = new Set(mine.map(([id]) => id));
    const removed = [...this.sent.keys()].filter((id) => !now.has(id));
    const complete = !this.started;
    if (!complete && changed.length === 0 && removed.length === 0) return;
    this.started = true;
    this.sent = new Map(mine.map(([id, n]) => [id, n.json]));
    this.send({ type: complete ? 'ASSIGNMENTS_TYPE_COMPLETE' : 'ASSIGNMENTS_TYPE_INCREMENTAL', networks: changed, removedNetworks: complete ? [] : removed });
  }
}

export class NamesHub {
  private readonly streams = new Set<NamesStream>();
  private timer: NodeJS.Timeout | null = null;
  private kicked: NodeJS.Timeout | null = null;
  private seenSeq = -1;
  private lastPollAt = 0;
  private lastCostMs = 0;
  /** The names as of `seenSeq`, and where each object's names were then (for the next scoped recomputation). */
  private current: { snapshot: NamesSnapshot; index: NamesIndex } | null = null;
  /** The networks whose names the last recomputation computed (tests and traces read it). */
  lastComputed: readonly string[] = [];

  constructor(
    private readonly db: () => Database.Database,
    private readonly periodMs = NAMES_POLL_MS,
  ) {}

  /** Adds a stream and sends it its complete set at once. */
  add(stream: NamesStream): void {
    this.streams.add(stream);
    this.poll(); // brings `current` up to date; a no-op when nothing changed since the last look
    if (this.current) stream.update(this.current.snapshot);
    this.timer ??= setInterval(() => this.poll(), this.periodMs);
  }

  remove(stream: NamesStream): void {
    this.streams.delete(stream);
    if (this.streams.size === 0) this.close();
  }

  /**
   * An entry was applied: look for changes soon — at once, unless the last recomputation was
   * less than max(KICK_GAP_MIN_MS, 2 × its cost) ago. Kicks meanwhile coalesce into that one.
   */
  kick(): void {
    if (this.streams.size === 0 || this.kicked) return;
    const gap = Math.max(KICK_GAP_MIN_MS, 2 * this.lastCostMs);
    this.kicked = setTimeout(() => {
      this.kicked = null;
      this.poll();
    }, Math.max(0, this.lastPollAt + gap - Date.now()));
  }

  /** Sends every stream what changed, if the store changed since the last poll. */
  poll(): void {
    const db = this.db();
    const { oldest, newest } = eventBounds(db);
    if (newest === this.seenSeq && this.current) return;
    const started = performance.now();
    const input = feedInputFromStore(db);
    const index = namesIndex(input);
    // Scoped when every event since the last look is still in the log (and not too many of them).
    const prev = this.current;
    const scoped = prev !== null && this.seenSeq >= 0 && oldest <= this.seenSeq + 1 && newest - this.seenSeq <= SCOPED_EVENTS_MAX;
    const ids = scoped ? touchedNetworks(eventsAfter(db, this.seenSeq, SCOPED_EVENTS_MAX), prev.index, index) : new Set(input.networks.map((n) => n.id));
    const snapshot = namesSnapshotOf(input, ids, scoped ? prev.snapshot.networks : new Map());
    this.seenSeq = newest;
    this.current = { snapshot, index };
    this.lastComputed = [...ids].sort();
    for (const s of this.streams) s.update(snapshot);
    this.lastCostMs = performance.now() - started;
    this.lastPollAt = Date.now();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.kicked) clearTimeout(this.kicked);
    this.timer = null;
    this.kicked = null;
    this.seenSeq = -1;
    this.current = null;
  }
}

/** What the handler needs from the dispatcher: its session check. */
export interface NamesSessions {
  /** The session's node; throws the error the worker acts on (not leader, unknown session). */
  session(sessionId: string, metadata?: grpc.Metadata): { readonly nodeId: string; readonly streams: Set<grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>> };
}

/**
 * The Dispatcher.Names handler. The call joins the session's streams, so it ends with the
 * session (leader change, expiry, node removal), like the Assignments stream.
 */
export function namesHandler(sessions: NamesSessions, hub: NamesHub): (call: grpc.ServerWritableStream<NamesRequest__Output, NamesMessage>) => void {
  return (call) => {
    call.on('error', () => undefined);
    try {
      const s = sessions.session(call.request.sessionId, call.metadata);
      const stream = new NamesStream(s.nodeId, (m) => call.write(m));
      s.streams.add(call);
      call.on('cancelled', () => {
        s.streams.delete(call);
        hub.remove(stream);
      });
      call.on('close', () => hub.remove(stream));
      call.on('error', () => hub.remove(stream));
      hub.add(stream);
    } catch (e) {
      call.emit('error', toServiceError(e));
    }
  };
}
