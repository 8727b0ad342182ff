// Measures committed writes/s and latency of a 3-manager cluster of separate
// processes on loopback: N concurrent clients (default 1, 16, 64, 256) each send
// small writes (UpdateNode by node ID setting one label on one of the 3 nodes) one after another over gRPC to the leader
// (or, with --via-followers, to the followers, which forward). A write counts
// when the API acknowledged it, i.e. it was committed and applied. Elections
// during the run are counted from the managers' logs ("elected" lines) and the
// Raft term. Usage: node dist/bench/raft-cluster.js [--seconds S] [--clients 1,16,64,256] [--via-followers]
// [--plaintext] [--cpu-prof DIR] [--rate R] [--send-before-persist]
// --plaintext: the same build without TLS, to measure what mutual TLS costs. The cluster is made
// as usual (init and joins over mTLS), then every manager is restarted with the benchmark-only
// SHOAL_UNSAFE_PLAINTEXT_TCP_FOR_BENCHMARKS=1 (src/security/mtls.ts), and the clients here set it too.
// --cpu-prof DIR: the managers run under `node --cpu-prof` (written to DIR when they stop).
// --rate R: an offered load of R writes/s in all (each client paces itself to R/N per second)
// instead of each client writing as fast as it can. At a rate both modes sustain, CPU per write
// compares mTLS with plaintext at the same batching, which a closed loop does not (a slower run
// makes smaller batches and pays more per write).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Api } from '../bin/client.js';
import { ProcCluster, type ManagerProc } from '../test/integration/harness.js';
import { writeLabels } from '../test/integration/workload.js';
import { arg, percentile, procCpuMs as cpuMs } from './stats.js';
import { DAEMON_EXTRA_NODE_FLAGS_ENV } from '../bin/daemon-control.js';
import { UNSAFE_PLAINTEXT_ENV } from '../src/security/mtls.js';


const SECONDS = Number(arg('seconds', '8'));
const WARMUP_SECONDS = 1;
const CLIENT_COUNTS = arg('clients', '1,16,64,256').split(',').map(Number);
const VIA_FOLLOWERS = process.argv.includes('--via-followers');
const WRITE_TIMEOUT_MS = 10_000;
const PLAINTEXT = process.argv.includes('--plaintext');
const CPU_PROF_DIR = arg('cpu-prof', '');
const RATE = Number(arg('rate', '0'));
/** The leader sends its appends before its own fsync (ShellOptions.sendBeforePersist, off by default): A/B on one build. */
const SEND_BEFORE_PERSIST = process.argv.includes('--send-before-persist');


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
  /** CPU (user+sys) per acknowledged write over the level, ms: leader, each follower, the benchmark's clients. */
  cpuLeaderMs: number;
  cpuFollowersMs: number[];
  cpuClientMs: number;
  /** 1-minute load average at the end of the level. */
  load: number;
}

function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function runLevel(c: ProcCluster, targets: readonly ManagerProc[], nodeIds: readonly string[], clients: number): Promise<LevelResult> {
  const { term: termBefore, leader } = await c.waitForLeader(10_000);
  const followers = c.managers.filter((m) => m !== leader);
  const electionsBefore = electionsLogged(c);
  // Each client has its own channel and its own HTTP/2 connection, like separate client processes.
  // The local subchannel pool makes that so in both modes: grpc-js's global pool shares one
  // connection between channels with equal credentials, and all insecure credentials are equal
  // while each TLS credentials object is distinct. Before 2026-12-08 the plaintext runs therefore
  // multiplexed every client over ONE connection and the mTLS runs used one per client, which
  // favoured plaintext (docs/benchmarks.md, "One connection per client in both modes").
  const apis = Array.from({ length: clients }, (_, i) => new Api(targets[i % targets.length]!.addr, { 'grpc.use_local_subchannel_pool': 1 }));
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const measureFrom = t0 + WARMUP_SECONDS * 1000;
  const end = measureFrom + SECONDS * 1000;
  let measured = 0;
  let cpuAtStart: number[] = [];
  let clientCpuAtStart = 0;
  let cpuAtEnd: number[] = [];
  let clientCpuAtEnd = 0;
  // CPU is sampled at the edges of the measured window (the warm-up excluded).
  const startSample = setTimeout(() => {
    cpuAtStart = [leader, ...followers].map((m) => cpuMs(m.pid));
    clientCpuAtStart = ownCpuMs();
  }, measureFrom - performance.now());
  const endSample = setTimeout(() => {
    cpuAtEnd = [leader, ...followers].map((m) => cpuMs(m.pid));
    clientCpuAtEnd = ownCpuMs();
  }, end - performance.now());
  await Promise.all(
    apis.map(async (api, id) => {
      // With --rate, client `id` sends at t0 + (id + k * clients) / RATE: the clients' sends interleave evenly.
      let nextAt = t0 + (RATE > 0 ? (id * 1000) / RATE : 0);
      for (let seq = 0; performance.now() < end; seq++) {
        if (RATE > 0) {
          const wait = nextAt - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          nextAt += (clients * 1000) / RATE;
          if (performance.now() >= end) break;
        }
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
  clearTimeout(startSample);
  clearTimeout(endSample);
  // The last write can complete in the same poll phase in which the end sample fell due, and then
  // the timer is cleared before it ran (the "CPU not read" NaN of earlier runs): sample now instead.
  if (cpuAtEnd.length === 0 && cpuAtStart.length > 0) {
    cpuAtEnd = [leader, ...followers].map((m) => cpuMs(m.pid));
    clientCpuAtEnd = ownCpuMs();
  }
  for (const a of apis) a.close();
  const perWrite = (i: number): number => (measured > 0 && cpuAtEnd.length > 0 ? ((cpuAtEnd[i] ?? 0) - (cpuAtStart[i] ?? 0)) / measured : NaN);
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
    cpuLeaderMs: perWrite(0),
    cpuFollowersMs: followers.map((_, i) => perWrite(i + 1)),
    cpuClientMs: measured > 0 ? (clientCpuAtEnd - clientCpuAtStart) / measured : NaN,
    load: os.loadavg()[0]!,
  };
}

/** Restarts every manager with `env` (the plaintext switch, the profiler); waits for a leader again. */
async function restartAll(c: ProcCluster, env: Readonly<Record<string, string>>): Promise<void> {
  for (const m of c.managers) await c.stop(m);
  await Promise.all(c.managers.map((m) => c.restart(m, { extraEnv: env })));
}

async function main(): Promise<void> {
  const c = await ProcCluster.start(3);
  const env: Record<string, string> = {};
  if (PLAINTEXT) env[UNSAFE_PLAINTEXT_ENV] = '1';
  if (CPU_PROF_DIR) env[DAEMON_EXTRA_NODE_FLAGS_ENV] = `--cpu-prof --cpu-prof-dir=${CPU_PROF_DIR}`;
  if (SEND_BEFORE_PERSIST) env['SHOAL_BENCH_SEND_BEFORE_PERSIST'] = '1';
  if (Object.keys(env).length > 0) await restartAll(c, env);
  if (PLAINTEXT) process.env[UNSAFE_PLAINTEXT_ENV] = '1';
  // Clients reach the managers' TCP ports (mutual TLS) with the first manager's certificate (bin/tls.ts).
  process.env['SHOAL_DATA_DIR'] = c.managers[0]!.dataDir;
  try {
    const { leader } = await c.waitForLeader(20_000);
    const nodeIds = c.managers.map((m) => m.nodeId);
    const targets = VIA_FOLLOWERS ? c.managers.filter((m) => m !== leader) : [leader];
    console.log(`raft-cluster: 3 manager processes on loopback (${PLAINTEXT ? 'PLAINTEXT, benchmark-only switch' : 'mutual TLS'}${SEND_BEFORE_PERSIST ? ', leader sends before persisting' : ''}), writes to the ${VIA_FOLLOWERS ? 'followers (forwarded)' : 'leader'}${RATE > 0 ? ` at an offered ${RATE} writes/s` : ''}, ${SECONDS} s per level after ${WARMUP_SECONDS} s warm-up; loadavg ${loadAverage()}`);
    console.log('clients  writes/s   p50 ms   p99 ms  errors  elections  term   CPU ms/write: leader  followers  clients   load');
    for (const n of CLIENT_COUNTS) {
      const r = await runLevel(c, targets, nodeIds, n);
      console.log(
        `${String(r.clients).padStart(7)}  ${r.writesPerSec.toFixed(0).padStart(8)}  ${r.p50.toFixed(1).padStart(7)}  ${r.p99.toFixed(1).padStart(7)}  ${String(r.errors).padStart(6)}  ${String(r.elections).padStart(9)}  ${r.termBefore}->${r.termAfter}   ${r.cpuLeaderMs.toFixed(3).padStart(19)}  ${r.cpuFollowersMs.map((x) => x.toFixed(3)).join('/').padStart(11)}  ${r.cpuClientMs.toFixed(3).padStart(7)}  ${r.load.toFixed(1).padStart(5)}`,
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
