// Logs from every node: 1 manager (drained) + 3 worker agents in one process on loopback, real
// task processes. (1) Reading whole logs: 3 tasks (one per node) each print LINES lines of 80
// bytes; Logs.SubscribeLogs on the manager's socket reads them all, BENCH_RUNS times: lines/s
// and MiB/s. (2) --tail 100 of the same logs. (3) --follow latency: a task prints a line when a
// trigger file appears (it looks every 20 ms); time from the file's rename to the line on the
// client, FOLLOW_SAMPLES times spread over the 3 nodes: p50/p99.
// `node dist/bench/logs.js` (LINES=200000 BENCH_RUNS=5 FOLLOW_SAMPLES=60 by default).
import * as grpc from '@grpc/grpc-js';
import { renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogsClient } from '../src/generated/shoal/v1/Logs.js';
import type { SubscribeLogsMessage__Output } from '../src/generated/shoal/v1/SubscribeLogsMessage.js';
import type { SubscribeLogsRequest } from '../src/generated/shoal/v1/SubscribeLogsRequest.js';
import { loadProtos } from '../src/proto/load.js';
import { WorkerCluster } from '../test/integration-workers/harness.js';
import { median, percentile, until } from './stats.js';

const LINES = Number(process.env['LINES'] ?? 200_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const SAMPLES = Number(process.env['FOLLOW_SAMPLES'] ?? 60);
const LINE_BYTES = 80;

/** Reads a whole subscription; resolves with the lines and bytes it carried. */
function readAll(client: LogsClient, req: SubscribeLogsRequest): Promise<{ lines: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    let lines = 0;
    let bytes = 0;
    const s = client.SubscribeLogs(req);
    s.on('data', (m: SubscribeLogsMessage__Output) => {
      if (m.warning) reject(new Error(m.warning));
      lines += m.lines.length;
      for (const l of m.lines) bytes += l.data.length + 1;
    });
    s.on('end', () => resolve({ lines, bytes }));
    s.on('error', reject);
  });
}

const c = await WorkerCluster.start(3, 1_000);
const client: LogsClient = new (loadProtos().grpcObject.shoal.v1.Logs)(`unix://${c.manager.socketPath}`, grpc.credentials.createInsecure());
try {
  // 79 characters and a newline per line.
  const bulk = `awk 'BEGIN { for (i = 0; i < ${LINES}; i++) printf "line %08d of the log benchmark, padded to eighty bytes ....................\\n", i }'; exec sleep 600`;
  await c.createService('bulk', 3, '/bin/sh', ['-c', bulk]);
  await c.waitRunning('bulk', 3, 60_000);
  const tasks = c.running('bulk');
  const logOf = (nodeId: string, taskId: string): string => join(c.workers.find((w) => w.nodeId === nodeId)!.dir, 'tasks', taskId, 'output.log');
  const sizeOf = (p: string): number => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  await until(() => tasks.every((t) => sizeOf(logOf(t.nodeId, t.id)) === LINES * LINE_BYTES), 'every task to print its lines', 120_000);
  console.log(`logs: 1 manager (drained) + 3 workers in one process; 3 tasks × ${LINES.toLocaleString('en')} lines × ${LINE_BYTES} B; medians of ${RUNS} runs`);

  const whole: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const got = await readAll(client, { service: 'bulk' });
    whole.push(performance.now() - t0);
    if (got.lines !== 3 * LINES || got.bytes !== 3 * LINES * LINE_BYTES) throw new Error(`read ${got.lines} lines, ${got.bytes} B`);
  }
  const ms = median(whole);
  console.log(`service logs (all ${(3 * LINES).toLocaleString('en')} lines): ${ms.toFixed(0)} ms = ${Math.round((3 * LINES) / (ms / 1000)).toLocaleString('en')} lines/s, ${((3 * LINES * LINE_BYTES) / 2 ** 20 / (ms / 1000)).toFixed(1)} MiB/s`);

  const tails: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const got = await readAll(client, { service: 'bulk', options: { hasTail: true, tail: 100 } });
    tails.push(performance.now() - t0);
    if (got.lines !== 300) throw new Error(`--tail 100 read ${got.lines} lines`);
  }
  console.log(`service logs --tail 100 (of ${LINES.toLocaleString('en')} per task): ${median(tails).toFixed(1)} ms`);

  const ping = 'while :; do if [ -f trigger ]; then echo "pong $(cat trigger)"; rm -f trigger; fi; sleep 0.02; done';
  await c.createService('ping', 3, '/bin/sh', ['-c', ping]);
  await c.waitRunning('ping', 3, 60_000);
  const pings = c.running('ping');
  const arrived = new Map<string, number>();
  const follow = client.SubscribeLogs({ service: 'ping', options: { follow: true } });
  follow.on('error', () => undefined);
  follow.on('data', (m: SubscribeLogsMessage__Output) => {
    for (const l of m.lines) arrived.set(l.data.toString(), performance.now());
  });
  await new Promise((r) => setTimeout(r, 500)); // the subscription reaches the nodes
  const latencies: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = pings[i % pings.length]!;
    const dir = join(c.workers.find((w) => w.nodeId === t.nodeId)!.dir, 'tasks', t.id);
    writeFileSync(join(dir, 'trigger.tmp'), String(i));
    const t0 = performance.now();
    renameSync(join(dir, 'trigger.tmp'), join(dir, 'trigger'));
    await until(() => arrived.has(`pong ${i}`), `pong ${i}`, 10_000);
    latencies.push(arrived.get(`pong ${i}`)! - t0);
    await new Promise((r) => setTimeout(r, 30 + (i % 7) * 23)); // spread the triggers over the 200 ms tick
  }
  follow.cancel();
  latencies.sort((a, b) => a - b);
  console.log(`--follow latency over ${SAMPLES} lines (trigger → client; includes the task's 20 ms poll): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies[latencies.length - 1]!.toFixed(0)} ms`);
  console.log(`RSS of the process (manager + 3 agents): ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
} finally {
  client.close();
  await c.close();
}
