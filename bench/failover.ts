// Measures failover of a 3-manager cluster of separate processes on loopback,
// default Raft timing: kill -9 the leader (--mode kill, the default) or freeze
// it with SIGSTOP (--mode stop), then time until the first write succeeds
// through a survivor (both survivors are tried concurrently, every 20 ms, each
// attempt with a 1 s deadline). The killed manager is restarted with `shoal
// start` (a frozen one is resumed with SIGCONT) and the cluster left for a
// while between runs: idle, then under a write load of --load clients (0 for
// none); both windows count elections nobody asked for (the term must not move).
// Writes go through the managers' unix sockets; the managers speak to each other (Raft, forwarding)
// over their TCP ports, with mutual TLS.
// --plaintext: the same build without TLS between the managers, to measure what mutual TLS costs a
// failover: after the cluster is made, every manager (and each killed one when it is restarted)
// runs with the benchmark-only SHOAL_UNSAFE_PLAINTEXT_TCP_FOR_BENCHMARKS=1 (src/security/mtls.ts).
// Usage: node dist/bench/failover.js [--runs 10] [--mode kill|stop] [--load 8] [--plaintext]
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { ProcCluster, sleep, type ManagerProc } from '../test/integration/harness.js';
import { writeLabels } from '../test/integration/workload.js';
import { arg, percentile } from './stats.js';
import { UNSAFE_PLAINTEXT_ENV } from '../src/security/mtls.js';


const RUNS = Number(arg('runs', '10'));
const MODE = arg('mode', 'kill');
if (MODE !== 'kill' && MODE !== 'stop') throw new Error(`--mode must be kill or stop, got ${MODE}`);
const LOAD_CLIENTS = Number(arg('load', '8'));
const IDLE_MS = 3_000;
const LOAD_MS = 3_000;
const ATTEMPT_TIMEOUT_MS = 1_000;
const RETRY_MS = 20;
const GIVE_UP_MS = 30_000;
const PLAINTEXT = process.argv.includes('--plaintext');
/** The environment every manager start gets (the benchmark-only plaintext switch, or nothing). */
const MANAGER_ENV: Readonly<Record<string, string>> = PLAINTEXT ? { [UNSAFE_PLAINTEXT_ENV]: '1' } : {};

/** Resolves with the time (performance.now()) of the first acknowledged write through any of `via`. */
async function firstWrite(via: readonly ManagerProc[], run: number): Promise<number> {
  let done = 0;
  const deadline = performance.now() + GIVE_UP_MS;
  await Promise.all(
    via.map(async (m, i) => {
      for (let seq = 0; done === 0 && performance.now() < deadline; seq++) {
        try {
          await writeLabels(m.api, 'm1', { failover: `${run}-${i}-${seq}` }, ATTEMPT_TIMEOUT_MS);
          if (done === 0) done = performance.now();
        } catch {
          await sleep(RETRY_MS);
        }
      }
    }),
  );
  if (done === 0) throw new Error(`no write succeeded within ${GIVE_UP_MS} ms`);
  return done;
}

/** `clients` writers through every manager in turn, for `ms`; resolves with the writes acknowledged. */
async function writeLoad(managers: readonly ManagerProc[], clients: number, ms: number, run: number): Promise<number> {
  const end = performance.now() + ms;
  let acked = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const m = managers[i % managers.length]!;
      for (let seq = 0; performance.now() < end; seq++) {
        try {
          await writeLabels(m.api, 'm1', { [`load${i}`]: `${run}-${seq}` }, ATTEMPT_TIMEOUT_MS);
          acked++;
        } catch {
          await sleep(RETRY_MS);
        }
      }
    }),
  );
  return acked;
}

async function main(): Promise<void> {
  const c = await ProcCluster.start(3);
  if (PLAINTEXT) {
    for (const m of c.managers) await c.stop(m);
    await Promise.all(c.managers.map((m) => c.restart(m, { extraEnv: MANAGER_ENV })));
  }
  const times: number[] = [];
  let idleTermMoves = 0;
  let loadTermMoves = 0;
  let loadWrites = 0;
  try {
    console.log(
      `failover (${MODE === 'kill' ? 'kill -9' : 'SIGSTOP'}): 3 manager processes on loopback (${PLAINTEXT ? 'PLAINTEXT between managers, benchmark-only switch' : 'mutual TLS between managers'}), default timing (50 ms ticks, election after 10-20 ticks), ${RUNS} runs; loadavg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    for (let run = 1; run <= RUNS; run++) {
      const before = await c.waitForLeader(30_000);
      await sleep(IDLE_MS);
      const idle = await c.waitForLeader(30_000);
      if (idle.term !== before.term) idleTermMoves++;
      if (LOAD_CLIENTS > 0) loadWrites += await writeLoad(c.managers, LOAD_CLIENTS, LOAD_MS, run);
      const after = await c.waitForLeader(30_000);
      if (after.term !== idle.term) loadTermMoves++;
      const survivors = c.managers.filter((m) => m !== after.leader);
      const t0 = performance.now();
      if (MODE === 'kill') c.kill9(after.leader);
      else c.pause(after.leader);
      const t1 = await firstWrite(survivors, run);
      const ms = t1 - t0;
      times.push(ms);
      const next = await c.waitForLeader(30_000, survivors);
      console.log(`run ${String(run).padStart(2)}: ${MODE === 'kill' ? 'killed' : 'froze'} ${after.leader.name} (term ${after.term}); first write after ${ms.toFixed(0)} ms; new leader ${next.leader.name} term ${next.term}`);
      if (MODE === 'kill') await c.restart(after.leader, { extraEnv: MANAGER_ENV });
      else c.resume(after.leader);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `failover (${MODE}): median ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, min ${sorted[0]!.toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms over ${RUNS} runs; ` +
        `term changes while idle (${IDLE_MS / 1000} s before each run): ${idleTermMoves}; ` +
        `under load (${LOAD_CLIENTS} clients for ${LOAD_MS / 1000} s before each run, ${loadWrites} writes acknowledged): ${loadTermMoves}; ` +
        `loadavg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
  } finally {
    await c.close();
  }
}

await main();
