// Measures committed writes/s and latency of a 3-manager cluster of separate
// processes on loopback: N concurrent clients (default 1, 16, 64, 256) each send
// small writes (UpdateNode by node ID setting one label on one of the 3 nodes) one after another over gRPC to the leader
// (or, with --via-followers, to the followers, which forward). A write counts
// when the API acknowledged it, i.e. it was committed and applied. Elections
// during the run are counted from the managers' logs ("elected" lines) and the
// Raft term. Usage: node dist/bench/raft-cluster.js [--seconds S] [--clients 1,16,64,256] [--via-followers]
// [--plaintext] [--cpu-prof DIR]
// --plaintext: the same build without TLS, to measure what mutual TLS costs. The cluster is made
// as usual (init and joins over mTLS), then every manager is restarted with the benchmark-only
// SHOAL_UNSAFE_PLAINTEXT_TCP_FOR_BENCHMARKS=1 (src/security/mtls.ts), and the clients here set it too.
// --cpu-prof DIR: the managers run under `node --cpu-prof` (written to DIR when they stop).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Api } from '../bin/client.js';
import { ProcCluster, type ManagerProc } from '../test/integration/harness.js';
import { writeLabels } from '../test/integration/workload.js';
import { arg, percentile } from './stats.js';
import { DAEMON_EXTRA_NODE_FLAGS_ENV } from '../bin/daemon-control.js';
import { UNSAFE_PLAINTEXT_ENV } from '../src/security/mtls.js';


const SECONDS = Number(arg('seconds', '8'));
const WARMUP_SECONDS = 1;
const CLIENT_COUNTS = arg('clients', '1,16,64,256').split(',').map(Number);
const VIA_FOLLOWERS = process.argv.includes('--via-followers');
const WRITE_TIMEOUT_MS = 10_000;
const PLAINTEXT = process.argv.includes('--plaintext');
const CPU_PROF_DIR = arg('cpu-prof', '');


function electionsLogged(c: ProcCluster): number {
  return c.managers.reduce((n, m) => n + c.logLines(m).filter((l) => / INFO elected /.test(l)).length, 0);
}

interface LevelResult {
  clients: number;
  writesPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  elections: number;
  termBefore: number;
  termAfter: number;
}

async function runLevel(c: ProcCluster, targets: readonly ManagerProc[], nodeIds: readonly string[], clients: number): Promise<LevelResult> {
  const { term: termBefore } = await c.waitForLeader(10_000);
  const electionsBefore = electionsLogged(c);
  // Each client has its own channel (own HTTP/2 connection), like separate client processes.
  const apis = Array.from({ length: clients }, (_, i) => new Api(targets[i % targets.length]!.addr));
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const measureFrom = t0 + WARMUP_SECONDS * 1000;
  const end = measureFrom + SECONDS * 1000;
  let measured = 0;
  await Promise.all(
    apis.map(async (api, id) => {
      for (let seq = 0; performance.now() < end; seq++) {
        const start = performance.now();
        try {
          // One small label on one of the nodes, by ID as API clients do; requests and responses stay small.
          await writeLabels(api, nodeIds[id % nodeIds.length]!, { bench: `${id}-${seq}` }, WRITE_TIMEOUT_MS);
          const done = performance.now();
          if (start >= measureFrom && done <= end) {
            latencies.push(done - start);
            measured++;
          }
        } catch {
          errors++;
        }
      }
    }),
  );
  for (const a of apis) a.close();
  const { term: termAfter } = await c.waitForLeader(10_000);
  latencies.sort((a, b) => a - b);
  return {
    clients,
    writesPerSec: measured / SECONDS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    elections: electionsLogged(c) - electionsBefore,
    termBefore,
    termAfter,
  };
}

/** Restarts every manager with `env` (the plaintext switch, the profiler); waits for a leader again. */
async function restartAll(c: ProcCluster, env: Readonly<Record<string, string>>): Promise<void> {
  for (const m of c.managers) await c.stop(m);
  await Promise.all(c.managers.map((m) => c.restart(m, { extraEnv: env })));
}

/** CPU seconds (user + sys) each manager process has used so far, from /proc. */
async function cpuSeconds(pids: readonly number[]): Promise<number[]> {
  const { readFile } = await import('node:fs/promises');
  return Promise.all(
    pids.map(async (pid) => {
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
    }),
  );
}

async function main(): Promise<void> {
  const c = await ProcCluster.start(3);
  const env: Record<string, string> = {};
  if (PLAINTEXT) env[UNSAFE_PLAINTEXT_ENV] = '1';
  if (CPU_PROF_DIR) env[DAEMON_EXTRA_NODE_FLAGS_ENV] = `--cpu-prof --cpu-prof-dir=${CPU_PROF_DIR}`;
  if (Object.keys(env).length > 0) await restartAll(c, env);
  if (PLAINTEXT) process.env[UNSAFE_PLAINTEXT_ENV] = '1';
  // Clients reach the managers' TCP ports (mutual TLS) with the first manager's certificate (bin/tls.ts).
  process.env['SHOAL_DATA_DIR'] = c.managers[0]!.dataDir;
  try {
    const { leader } = await c.waitForLeader(20_000);
    const nodeIds = c.managers.map((m) => m.nodeId);
    const targets = VIA_FOLLOWERS ? c.managers.filter((m) => m !== leader) : [leader];
    const order = [leader, ...c.managers.filter((m) => m !== leader)];
    console.log(`raft-cluster: 3 manager processes on loopback (${PLAINTEXT ? 'PLAINTEXT, benchmark-only switch' : 'mutual TLS'}), writes to the ${VIA_FOLLOWERS ? 'followers (forwarded)' : 'leader'}, ${SECONDS} s per level after ${WARMUP_SECONDS} s warm-up; loadavg ${loadAverage()}`);
    console.log('clients  writes/s   p50 ms   p99 ms  errors  elections  term   CPU ms/write (leader, followers, bench)');
    for (const n of CLIENT_COUNTS) {
      const cpuBefore = await cpuSeconds(order.map((m) => m.pid));
      const benchBefore = process.cpuUsage();
      const r = await runLevel(c, targets, nodeIds, n);
      const cpuAfter = await cpuSeconds(order.map((m) => m.pid));
      const bench = process.cpuUsage(benchBefore);
      // Over the whole level (warm-up included), per write counted in the measured window scaled to it.
      const writes = r.writesPerSec * (SECONDS + WARMUP_SECONDS);
      const perWrite = (s: number): string => ((s * 1000) / Math.max(1, writes)).toFixed(2);
      const used = cpuAfter.map((a, i) => a - cpuBefore[i]!);
      console.log(
        `${String(r.clients).padStart(7)}  ${r.writesPerSec.toFixed(0).padStart(8)}  ${r.p50.toFixed(1).padStart(7)}  ${r.p99.toFixed(1).padStart(7)}  ${String(r.errors).padStart(6)}  ${String(r.elections).padStart(9)}  ${r.termBefore}->${r.termAfter}   ${perWrite(used[0]!)}, ${perWrite(used[1]!)}/${perWrite(used[2]!)}, ${perWrite((bench.user + bench.system) / 1e6)}`,
      );
    }
    console.log(`loadavg after: ${loadAverage()}`);
    const rss = await Promise.all(c.managers.map((m) => rssKb(m.pid)));
    console.log(`manager RSS after the run: ${rss.map((k) => `${(k / 1024).toFixed(0)} MB`).join(', ')}`);
  } finally {
    // An orderly stop, so that --cpu-prof writes its profiles.
    if (CPU_PROF_DIR) for (const m of c.managers) await c.stop(m).catch(() => undefined);
    await c.close();
  }
}

function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

async function rssKb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

await main();
