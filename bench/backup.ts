/**
 * `npm run bench:backup`: what an online backup costs the writes around it.
 *
 * An in-process cluster of three managers on loopback; the state is first
 * filled with `--prefill` address attachments (a realistic-size state.db);
 * then `--clients` concurrent writers attach addresses through all managers
 * for `--seconds`, once without backups and once while `shoal backup`'s RPC
 * (`shoal backup -H <follower>`, its own process) runs back to back. Prints writes/s and write
 * latency p50/p99 for both phases, and the backups' size and duration.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { attachNetwork } from '../bin/commands/network-api.js';
import { fetchBackup } from '../bin/commands/recovery.js';
import { newObjectId } from '../src/manager/tokens.js';
import { startCluster, type TestCluster } from '../test/helpers/in-process-cluster.js';
import { arg, median, percentile } from './stats.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../bin/cli.js', import.meta.url));

interface Phase {
  writes: number;
  seconds: number;
  latencies: number[];
}

async function writePhase(c: TestCluster, clients: number, seconds: number, nodeId: string): Promise<Phase> {
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const api = c.apis[i % c.apis.length]!;
      while (Date.now() < end) {
        const t = performance.now();
        await attachNetwork(api, { network: 'bench', containerId: newObjectId(), nodeId });
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { writes: latencies.length, seconds, latencies: latencies.sort((a, b) => a - b) };
}

function report(name: string, p: Phase): void {
  console.log(`${name}: ${(p.writes / p.seconds).toFixed(0)} writes/s, p50 ${percentile(p.latencies, 50).toFixed(1)} ms, p99 ${percentile(p.latencies, 99).toFixed(1)} ms`);
}

async function main(): Promise<void> {
  const prefill = Number(arg('prefill', '10000'));
  const clients = Number(arg('clients', '8'));
  const seconds = Number(arg('seconds', '5'));
  const c = await startCluster(3);
  try {
    const leader = c.leader();
    await leader.write({ op: 'network.create', at: Date.now(), id: newObjectId(), name: 'bench', driver: 'overlay', attachable: true, labels: {}, subnet: '10.64.0.0/12' });
    const nodeId = leader.config.nodeId;
    // Filled with a bounded number of writes in flight: one process hosts all three managers.
    for (let done = 0; done < prefill; done += 32) {
      await Promise.all(Array.from({ length: Math.min(32, prefill - done) }, () => attachNetwork(c.apis[0]!, { network: 'bench', containerId: newObjectId(), nodeId })));
    }
    const follower = c.followers()[0]!;
    const probe = await fetchBackup(`unix://${follower.socketPath}`);
    console.log(`state: ${prefill} attachments, backup image ${(probe.header.bytes / 1024 / 1024).toFixed(1)} MiB`);
    // The only part of a backup that runs on the manager's event loop in one piece: the copy.
    const copies: number[] = [];
    for (let k = 0; k < 7; k++) {
      const t = performance.now();
      follower.store.snapshot();
      copies.push(performance.now() - t);
    }
    console.log(`copy of state.db on the manager (serialize): median ${median(copies).toFixed(1)} ms`);

    const quiet = await writePhase(c, clients, seconds, nodeId);
    let stop = false;
    const backups: number[] = [];
    const backupLoop = (async () => {
      while (!stop) {
        // The CLI in its own process, as an operator runs it (its receiving and hashing are not the managers' work).
        const t = performance.now();
        await run(process.execPath, [CLI, '-H', `unix://${follower.socketPath}`, 'backup', '--out', join(c.dir, 'bench.bak')]);
        backups.push(performance.now() - t);
      }
    })();
    const loaded = await writePhase(c, clients, seconds, nodeId);
    stop = true;
    await backupLoop;
    report('writes without backups', quiet);
    report('writes during back-to-back backups', loaded);
    backups.sort((a, b) => a - b);
    console.log(`backups: ${backups.length} in ${seconds} s, median ${percentile(backups, 50).toFixed(0)} ms each (shoal backup process: start, RPC, copy, checksum, transfer, fsync)`);
    console.log(`rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);
  } finally {
    await c.close();
  }
}

void main();
