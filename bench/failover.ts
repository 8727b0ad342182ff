// Measures failover of a 3-manager cluster of separate processes on loopback,
// default Raft timing: kill -9 the leader, then time until the first write
// succeeds through a survivor (both survivors are tried concurrently, every
// 20 ms, each attempt with a 1 s deadline). The killed manager is restarted
// with `shoal start` and the cluster left idle for a while between runs; the
// idle wait also counts elections nobody asked for (the term must not move).
// Usage: node dist/bench/failover.js [--runs 10]
import { performance } from 'node:perf_hooks';
import { ProcCluster, sleep, type ManagerProc } from '../test/integration/harness.js';
import { writeLabels } from '../test/integration/workload.js';
import { arg, percentile } from './stats.js';


const RUNS = Number(arg('runs', '10'));
const IDLE_MS = 3_000;
const ATTEMPT_TIMEOUT_MS = 1_000;
const RETRY_MS = 20;
const GIVE_UP_MS = 30_000;

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

async function main(): Promise<void> {
  const c = await ProcCluster.start(3);
  const times: number[] = [];
  let idleTermMoves = 0;
  try {
    console.log(`failover: 3 manager processes on loopback, default timing (50 ms ticks, election after 10-20 ticks), ${RUNS} runs`);
    for (let run = 1; run <= RUNS; run++) {
      const before = await c.waitForLeader(30_000);
      await sleep(IDLE_MS);
      const after = await c.waitForLeader(30_000);
      if (after.term !== before.term) idleTermMoves++;
      const survivors = c.managers.filter((m) => m !== after.leader);
      const t0 = performance.now();
      c.kill9(after.leader);
      const t1 = await firstWrite(survivors, run);
      const ms = t1 - t0;
      times.push(ms);
      const next = await c.waitForLeader(30_000, survivors);
      console.log(`run ${String(run).padStart(2)}: killed ${after.leader.name} (term ${after.term}); first write after ${ms.toFixed(0)} ms; new leader ${next.leader.name} term ${next.term}`);
      await c.restart(after.leader);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `failover: median ${percentile(sorted, 50).toFixed(0)} ms, min ${sorted[0]!.toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms over ${RUNS} runs; ` +
        `term changes while idle (${IDLE_MS / 1000} s before each run): ${idleTermMoves}`,
    );
  } finally {
    await c.close();
  }
}

await main();
