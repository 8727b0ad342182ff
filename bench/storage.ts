/**
 * Micro-benchmark of SqliteLogStorage.persist(): how many Readies per second
 * one node can make durable, for Readies of 1, 16 and 256 small entries.
 * Every persist is one fsynced SQLite transaction (WAL, synchronous=FULL), so
 * this measures the disk's fsync rate and what batching buys on top of it.
 *
 *   node dist/bench/storage.js
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Entry } from '../src/raft/core/types.js';
import { SqliteLogStorage } from '../src/raft/storage/sqlite-log.js';

const entryBytes = 64;
const runMsMax = 2000; // time bound per batch size
const persistsMax = 5000; // count bound per batch size
const batchSizes = [1, 16, 256] as const;

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] ?? 0;
}

function benchBatch(batch: number): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-bench-storage-'));
  try {
    const log = SqliteLogStorage.open(dir, { confState: () => ({ voters: [1], learners: [] }) });
    const data = Buffer.alloc(entryBytes, 0x61);
    const latenciesMs: number[] = [];
    let next = 1;
    const started = process.hrtime.bigint();
    while (latenciesMs.length < persistsMax && Number(process.hrtime.bigint() - started) / 1e6 < runMsMax) {
      const entries: Entry[] = [];
      for (let i = 0; i < batch; i++) entries.push({ index: next + i, term: 1, kind: 'normal', data });
      const t0 = process.hrtime.bigint();
      log.persist({ hardState: { term: 1, vote: 1, commit: next - 1 }, entries, snapshot: null });
      latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      next += batch;
    }
    const totalS = Number(process.hrtime.bigint() - started) / 1e9;
    log.close();
    latenciesMs.sort((a, b) => a - b);
    const readies = latenciesMs.length;
    console.log(
      `persist ${String(batch).padStart(3)} x ${entryBytes} B: ${(readies / totalS).toFixed(0).padStart(6)} readies/s ` +
        `${((readies * batch) / totalS).toFixed(0).padStart(8)} entries/s  p50 ${percentile(latenciesMs, 50).toFixed(2)} ms ` +
        `p99 ${percentile(latenciesMs, 99).toFixed(2)} ms  (${readies} persists)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const batch of batchSizes) benchBatch(batch);
console.log(`rss ${(process.memoryUsage().rss / (1 << 20)).toFixed(1)} MiB`);
