// Measures the resident memory (RSS, from /proc) of a manager process: idle
// right after `shoal init`, and holding 100,000 objects. What the store holds
// today are nodes and their labels, so the objects are 1,000 worker nodes
// (registered through the Join RPC with the worker token; no worker daemon
// runs) carrying 100 labels each (16-byte keys and values) = 100,000 labels.
// One manager, so the figure is a single process's, not a sum.
// The idle figure is read twice: 5 s after init, and after --idle-seconds (default 20) of idle,
// by when V8's memory reducer (a major GC some 8 s after start-up's last one) has run.
// Usage: node dist/bench/memory.js [--nodes 1000] [--labels 100] [--idle-seconds 20]
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JoinResponse__Output } from '../src/generated/shoal/v1/JoinResponse.js';
import { ProcCluster, sleep } from '../test/integration/harness.js';
import { writeLabels } from '../test/integration/workload.js';
import { arg } from './stats.js';

const NODES = Number(arg('nodes', '1000'));
const LABELS_PER_NODE = Number(arg('labels', '100'));
const LABELS_PER_WRITE = 100;
const CONCURRENCY = 32;
const SETTLE_MS = 5_000;
const IDLE_MS = Number(arg('idle-seconds', '20')) * 1000;

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** RSS split (from /proc/PID/smaps_rollup): private anonymous memory (heap, native) vs file-backed pages (mostly node's own code, shared). */
async function rssBreakdown(pid: number): Promise<string> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? NaN);
  return `anonymous ${(kb('Anonymous') / 1024).toFixed(1)} MB, file-backed ${((kb('Rss') - kb('Anonymous')) / 1024).toFixed(1)} MB`;
}

async function inParallel(count: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

async function main(): Promise<void> {
  const c = await ProcCluster.start(1);
  try {
    const m = c.managers[0]!;
    await sleep(SETTLE_MS);
    console.log(`memory: one manager process (Node 20), idle after init: RSS ${(await rssMb(m.pid)).toFixed(1)} MB (${await rssBreakdown(m.pid)})`);
    if (IDLE_MS > SETTLE_MS) {
      await sleep(IDLE_MS - SETTLE_MS);
      console.log(`memory: the same manager after ${IDLE_MS / 1000} s idle: RSS ${(await rssMb(m.pid)).toFixed(1)} MB (${await rssBreakdown(m.pid)})`);
    }
    const token = (await m.api.joinTokens()).worker;
    const t0 = Date.now();
    const ids: string[] = [];
    await inParallel(NODES, async (i) => {
      const res = await new Promise<JoinResponse__Output>((resolve, reject) =>
        m.api.raft.Join({ token, advertiseAddr: `10.1.${i >> 8}.${i & 255}:4242`, hostname: `w${i}`, platform: { os: 'linux', arch: 'x64' } }, { deadline: Date.now() + 30_000 }, (err, r) =>
          err || !r ? reject(err ?? new Error('empty join response')) : resolve(r),
        ),
      );
      ids[i] = res.nodeId;
    });
    const writes: { node: string; from: number }[] = [];
    for (let i = 0; i < NODES; i++) for (let from = 0; from < LABELS_PER_NODE; from += LABELS_PER_WRITE) writes.push({ node: ids[i]!, from });
    await inParallel(writes.length, async (w) => {
      const { node, from } = writes[w]!;
      const labels: Record<string, string> = {};
      for (let k = from; k < Math.min(LABELS_PER_NODE, from + LABELS_PER_WRITE); k++) labels[`label-key-${String(k).padStart(6, '0')}`] = `value-${String(k).padStart(10, '0')}`;
      await writeLabels(m.api, node, labels, 30_000);
    });
    const loadS = (Date.now() - t0) / 1000;
    const nodes = (await m.api.listNodes()).nodes;
    const labelCount = nodes.reduce((n, x) => n + Object.keys(x.labels).length, 0);
    if (labelCount !== NODES * LABELS_PER_NODE) throw new Error(`expected ${NODES * LABELS_PER_NODE} labels, found ${labelCount}`);
    const busy = await rssMb(m.pid);
    await sleep(SETTLE_MS);
    const settled = await rssMb(m.pid);
    const dbMb = statSync(join(m.dataDir, 'state.db')).size / 2 ** 20;
    console.log(
      `memory: holding ${nodes.length} nodes with ${labelCount} labels (loaded in ${loadS.toFixed(1)} s): ` +
        `RSS ${busy.toFixed(1)} MB right after loading and a full ListNodes, ${settled.toFixed(1)} MB after ${SETTLE_MS / 1000} s idle; state.db ${dbMb.toFixed(1)} MB`,
    );
  } finally {
    await c.close();
  }
}

await main();
