/**
 * A small synchronous in-memory network of RawNodes for scenario tests.
 * Each Ready is handled the way a real shell would: persist (snapshot,
 * entries, hard state) into the node's MemoryStorage, then queue the
 * messages, then apply committed entries (conf changes via applyConfChange),
 * then advance. Messages are delivered in FIFO order, except that links can
 * be cut (isolate/cut) and a filter can drop or inspect messages.
 */
import {
  MemoryStorage,
  RawNode,
  createRandom,
  decodeConfChange,
} from '../../../src/raft/core/index.js';
import type { Config, ConfState, Entry, Message, NodeId, ReadState, Snapshot } from '../../../src/raft/core/index.js';

export interface NodeHandle {
  readonly id: NodeId;
  node: RawNode;
  readonly storage: MemoryStorage;
  /** Every entry applied, in order (snapshots reset it to start after the snapshot index). */
  applied: Entry[];
  /** The last snapshot applied from the leader, if any. */
  appliedSnapshot: Snapshot | null;
  appliedIndex: number;
  readStates: ReadState[];
  /** Membership as the application last applied it. */
  conf: ConfState;
}

export type ConfigOverrides = Partial<Omit<Config, 'id' | 'storage' | 'random'>>;

/** Bound on delivery rounds in one settle(): a livelock in a test is a failure, not a hang. */
const SETTLE_ROUNDS_MAX = 10_000;

export class Network {
  readonly nodes = new Map<NodeId, NodeHandle>();
  private queue: Message[] = [];
  private readonly cutLinks = new Set<string>();
  /** Return false to drop a message. Sees every message that survives the cut links. */
  filter: ((m: Message) => boolean) | null = null;
  /** Every message delivered or dropped by the filter, for assertions. */
  readonly sent: Message[] = [];
  private seed: number;

  constructor(
    ids: readonly NodeId[],
    readonly overrides: ConfigOverrides = {},
    seed = 1,
    learners: readonly NodeId[] = [],
  ) {
    this.seed = seed;
    const conf: ConfState = { voters: [...ids], learners: [...learners] };
    for (const id of [...ids, ...learners]) this.add(id, new MemoryStorage(conf));
  }

  /** Start a node over `storage` (new or restarted). */
  add(id: NodeId, storage: MemoryStorage, extra: ConfigOverrides = {}): NodeHandle {
    const node = new RawNode({
      id,
      storage,
      random: createRandom(this.seed++ * 7919 + id),
      electionTicks: 10,
      heartbeatTicks: 1,
      ...this.overrides,
      ...extra,
    });
    const h: NodeHandle = {
      id,
      node,
      storage,
      applied: [],
      appliedSnapshot: null,
      appliedIndex: node.status().applied,
      readStates: [],
      conf: storage.initialState().confState,
    };
    this.nodes.set(id, h);
    return h;
  }

  get(id: NodeId): NodeHandle {
    const h = this.nodes.get(id);
    if (h === undefined) throw new Error(`no node ${id}`);
    return h;
  }

  node(id: NodeId): RawNode {
    return this.get(id).node;
  }

  /** Crash and restart a node: it keeps only what its storage holds; in-flight messages to it are lost. */
  restart(id: NodeId): NodeHandle {
    const old = this.get(id);
    this.queue = this.queue.filter((m) => m.to !== id);
    const h = this.add(id, old.storage, { applied: old.appliedIndex });
    h.applied = old.applied;
    h.appliedSnapshot = old.appliedSnapshot;
    return h;
  }

  isolate(id: NodeId): void {
    for (const other of this.nodes.keys()) if (other !== id) this.cut(id, other);
  }

  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}-${b}`);
    this.cutLinks.add(`${b}-${a}`);
  }

  heal(): void {
    this.cutLinks.clear();
  }

  campaign(id: NodeId): void {
    this.node(id).campaign();
    this.settle();
  }

  tick(id: NodeId, n = 1): void {
    for (let k = 0; k < n; k++) {
      this.node(id).tick();
      this.settle();
    }
  }

  tickAll(n = 1): void {
    for (let k = 0; k < n; k++) {
      for (const h of this.nodes.values()) h.node.tick();
      this.settle();
    }
  }

  /**
   * One heartbeat round of the current leader, then settle. A commit index is not sent on its own
   * (it rides on the next append or heartbeat), so idle followers learn the last commit this way.
   */
  heartbeat(): void {
    const ldr = this.leader();
    if (ldr !== 0) this.tick(ldr, this.overrides.heartbeatTicks ?? 1);
  }

  /** The unique leader with the highest term, or NONE. */
  leader(): NodeId {
    let best: { id: NodeId; term: number } | null = null;
    for (const h of this.nodes.values()) {
      const s = h.node.status();
      if (s.role === 'leader' && (best === null || s.term > best.term)) best = { id: h.id, term: s.term };
    }
    return best === null ? 0 : best.id;
  }

  /** Process Readies and deliver messages until nothing moves. */
  settle(): void {
    for (let round = 0; round < SETTLE_ROUNDS_MAX; round++) {
      let moved = false;
      for (const h of this.nodes.values()) {
        while (h.node.hasReady()) {
          this.handleReady(h);
          moved = true;
        }
      }
      const batch = this.queue;
      this.queue = [];
      for (const m of batch) {
        moved = true;
        this.deliver(m);
      }
      if (!moved) return;
    }
    throw new Error(`network did not settle within ${SETTLE_ROUNDS_MAX} rounds`);
  }

  private deliver(m: Message): void {
    if (this.cutLinks.has(`${m.from}-${m.to}`)) return;
    this.sent.push(m);
    if (this.filter !== null && !this.filter(m)) return;
    const h = this.nodes.get(m.to);
    if (h === undefined) return;
    h.node.step(m);
    h.node.checkInvariants();
  }

  private handleReady(h: NodeHandle): void {
    const rd = h.node.ready();
    // 1. Persist.
    if (rd.snapshot !== null) h.storage.applySnapshot(rd.snapshot);
    h.storage.append(rd.entries);
    if (rd.hardState !== null) h.storage.setHardState(rd.hardState);
    // 2. Send (only after persisting).
    for (const m of rd.messages) this.queue.push(m);
    // 3. Apply.
    if (rd.snapshot !== null) {
      h.appliedSnapshot = rd.snapshot;
      h.applied = [];
      h.appliedIndex = rd.snapshot.meta.index;
      h.conf = rd.snapshot.meta.conf;
    }
    for (const e of rd.committedEntries) {
      if (e.index !== h.appliedIndex + 1) throw new Error(`node ${h.id} applies ${e.index} after ${h.appliedIndex}`);
      h.applied.push(e);
      h.appliedIndex = e.index;
      if (e.kind === 'conf-change') {
        h.conf = h.node.applyConfChange(decodeConfChange(e.data));
        h.storage.setConfState(h.conf);
      }
    }
    for (const rs of rd.readStates) h.readStates.push(rs);
    h.node.advance(rd);
    h.node.checkInvariants();
  }

  /** Take a snapshot of node `id` at its applied index with `bytes` of data, and compact its log. */
  compact(id: NodeId, bytes: number): Snapshot {
    const h = this.get(id);
    const data = new Uint8Array(bytes);
    for (let k = 0; k < bytes; k++) data[k] = (k * 31 + h.appliedIndex) & 0xff;
    const snap = h.storage.createSnapshot(h.appliedIndex, h.conf, data);
    h.storage.compact(h.appliedIndex);
    return snap;
  }

  /** Data of the normal, non-empty entries node `id` applied, decoded as UTF-8. */
  appliedData(id: NodeId): string[] {
    const dec = new TextDecoder();
    return this.get(id)
      .applied.filter((e) => e.kind === 'normal' && e.data.length > 0)
      .map((e) => dec.decode(e.data));
  }
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Elect `id` in a fresh network and let the no-op commit everywhere. */
export function electedNetwork(ids: readonly NodeId[], leader: NodeId, overrides: ConfigOverrides = {}): Network {
  const net = new Network(ids, overrides);
  net.campaign(leader);
  if (net.leader() !== leader) throw new Error(`node ${leader} failed to become leader`);
  return net;
}

/** A lone node for receiver-rule tests: messages are stepped by hand. */
export interface Solo {
  readonly node: RawNode;
  readonly storage: MemoryStorage;
}

export function solo(id: NodeId, voters: readonly NodeId[], overrides: ConfigOverrides = {}, storage?: MemoryStorage): Solo {
  const st = storage ?? new MemoryStorage({ voters: [...voters], learners: [] });
  const node = new RawNode({ id, storage: st, random: createRandom(id), electionTicks: 10, heartbeatTicks: 1, ...overrides });
  return { node, storage: st };
}

/** Persist and advance every pending Ready of a solo node; return the messages it sent and the entries it applied. */
export function drain(s: Solo): { messages: Message[]; committed: Entry[]; readStates: ReadState[] } {
  const messages: Message[] = [];
  const committed: Entry[] = [];
  const readStates: ReadState[] = [];
  for (let k = 0; k < 100 && s.node.hasReady(); k++) {
    const rd = s.node.ready();
    if (rd.snapshot !== null) s.storage.applySnapshot(rd.snapshot);
    s.storage.append(rd.entries);
    if (rd.hardState !== null) s.storage.setHardState(rd.hardState);
    messages.push(...rd.messages);
    committed.push(...rd.committedEntries);
    readStates.push(...rd.readStates);
    s.node.advance(rd);
  }
  return { messages, committed, readStates };
}

/** Entries (index, term) with empty data, for hand-built logs. */
export function ents(...pairs: [number, number][]): Entry[] {
  return pairs.map(([index, term]) => ({ index, term, kind: 'normal' as const, data: new Uint8Array(0) }));
}
