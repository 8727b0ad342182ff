/**
 * Throughput of the Raft core alone: a 3-node cluster in memory (MemoryStorage,
 * messages delivered synchronously in a loop, no I/O), proposing 64-byte
 * entries in batches for about 3 s. Prints committed entries/s, ns per entry
 * and RSS. Run with `npm run bench:raft-core`.
 */
import { MemoryStorage, RawNode, createRandom } from '../src/raft/core/index.js';
import type { Message, NodeId } from '../src/raft/core/index.js';

const DURATION_MS = 3000;
const ENTRY_BYTES = 64;
const BATCH_ENTRIES = 512;
/** Compact each log past this many entries so memory stays flat. */
const LOG_ENTRIES_MAX = 200_000;
/** Bound on delivery rounds per batch: a stuck cluster is a failure, not a hang. */
const ROUNDS_PER_BATCH_MAX = 1000;

interface BenchNode {
  node: RawNode;
  storage: MemoryStorage;
  applied: number;
}

function main(): void {
  const ids: NodeId[] = [1, 2, 3];
  const nodes = new Map<NodeId, BenchNode>();
  for (const id of ids) {
    const storage = new MemoryStorage({ voters: ids, learners: [] });
    const node = new RawNode({ id, storage, random: createRandom(id), electionTicks: 10, heartbeatTicks: 1, maxInflightMsgs: 256 });
    nodes.set(id, { node, storage, applied: 0 });
  }
  let queue: Message[] = [];
  const pump = (): void => {
    for (let round = 0; round < ROUNDS_PER_BATCH_MAX; round++) {
      let moved = false;
      for (const b of nodes.values()) {
        while (b.node.hasReady()) {
          moved = true;
          const rd = b.node.ready();
          if (rd.snapshot !== null) b.storage.applySnapshot(rd.snapshot);
          b.storage.append(rd.entries);
          if (rd.hardState !== null) b.storage.setHardState(rd.hardState);
          for (const m of rd.messages) queue.push(m);
          const last = rd.committedEntries[rd.committedEntries.length - 1];
          if (last !== undefined) b.applied = last.index;
          b.node.advance(rd);
        }
      }
      const batch = queue;
      queue = [];
      for (const m of batch) nodes.get(m.to)!.node.step(m);
      if (!moved && batch.length === 0) return;
    }
    throw new Error('cluster did not quiesce');
  };
  const leader = nodes.get(1)!;
  leader.node.campaign();
  pump();
  if (leader.node.status().role !== 'leader') throw new Error('node 1 was not elected');

  const payload = new Uint8Array(ENTRY_BYTES).fill(7);
  const startApplied = leader.applied;
  const t0 = process.hrtime.bigint();
  let elapsedNs = 0n;
  let refused = 0;
  while (elapsedNs < BigInt(DURATION_MS) * 1_000_000n) {
    for (let k = 0; k < BATCH_ENTRIES; k++) if (!leader.node.propose(payload).ok) refused++;
    pump();
    for (const b of nodes.values()) {
      if (b.storage.lastIndex() - b.storage.firstIndex() > LOG_ENTRIES_MAX) {
        b.storage.createSnapshot(b.applied, { voters: ids, learners: [] }, new Uint8Array(0));
        b.storage.compact(b.applied);
      }
    }
    elapsedNs = process.hrtime.bigint() - t0;
  }
  const committed = leader.applied - startApplied;
  const seconds = Number(elapsedNs) / 1e9;
  for (const b of nodes.values()) {
    if (b.applied !== leader.applied) throw new Error(`node ${b.node.id} applied ${b.applied}, leader ${leader.applied}`);
  }
  console.log(`raft-core bench: 3 nodes in memory, ${ENTRY_BYTES}-byte entries, batches of ${BATCH_ENTRIES}`);
  console.log(`committed entries: ${committed} in ${seconds.toFixed(2)} s (refused ${refused})`);
  console.log(`throughput: ${Math.round(committed / seconds)} entries/s`);
  console.log(`cost: ${Math.round(Number(elapsedNs) / committed)} ns/entry (whole cluster, one thread)`);
  console.log(`rss: ${(process.memoryUsage().rss / (1024 * 1024)).toFixed(1)} MiB`);
}

main();
