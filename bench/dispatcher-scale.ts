// One manager process and N lightweight simulated workers (default 1,000) in this process: each
// joins with the worker token and a CSR (so it gets its own certificate), holds a dispatcher
// session over its own mutual-TLS connection, heartbeats at the cluster's period
// (1 s here) and reads its assignments stream, but runs nothing. Prints the manager's CPU and RSS
// while the workers only heartbeat, then the time until a 10,000-replica service's tasks have
// reached every worker (the assignment change delivered to all of them), and the CPU it took.
// `--heartbeats unary,stream` (the default) measures the idle CPU twice over the same workers: first
// with the Session stream plus one Heartbeat call per period (what agents did before Connect), then
// with Dispatcher.Connect (session and heartbeats on one stream). `--channels N` sends every session
// over N plaintext channels on the manager's unix socket instead of one TLS connection per worker.
// `--tasks 0` skips the assignment change. `--heartbeats ping` (mutual TLS only): as today's agents do
// with a manager that takes HTTP/2 PINGs as heartbeats, each worker's channel pings once per period
// (grpc-js keepalive) and a heartbeat message goes on Connect only every 10th period.
// Heartbeats over Connect are timed from send to answer (p50/p99/max per phase). `--storm 1` (the
// default, mutual TLS only) then restarts the manager, as a leader change would, and reopens every
// session at once over new TLS connections: how long until all are open, the heartbeat answer
// latency meanwhile, the manager's CPU for it, and how many nodes it marked down (0 is right).
// `--profile DIR` restarts the manager in the foreground with --cpu-prof (written to DIR at the end):
// one profile for the joins, one for the sessions and their heartbeats, one for the storm.
// Usage: node dist/bench/dispatcher-scale.js [--workers 1000] [--tasks 10000] [--heartbeats unary,stream] [--channels N] [--storm 1] [--profile DIR]
import * as grpc from '@grpc/grpc-js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '../bin/client.js';
import { ServiceApi } from '../bin/service-api.js';
import { loadProtos } from '../src/proto/load.js';
import type { DispatcherClient } from '../src/generated/shoal/v1/Dispatcher.js';
import type { RaftClient } from '../src/generated/shoal/v1/Raft.js';
import type { JoinResponse__Output } from '../src/generated/shoal/v1/JoinResponse.js';
import type { AssignmentsMessage__Output } from '../src/generated/shoal/v1/AssignmentsMessage.js';
import type { SessionMessage__Output } from '../src/generated/shoal/v1/SessionMessage.js';
import { freePort, waitFor } from '../test/helpers/in-process-cluster.js';
import { runCli } from '../test/integration/harness.js';
import { anonymousCredentials } from '../src/security/join-client.js';
import { createKeyAndCsr, MANAGER_SERVER_NAME } from '../src/security/pki.js';
import { arg as textArg, percentile } from './stats.js';
import { certificateDigest } from '../src/security/pki.js';
import { DAEMON_NODE_FLAGS } from '../bin/daemon-control.js';
import { CLI_PATH } from '../test/integration/harness.js';

const TLS_OPTIONS: grpc.ChannelOptions = { 'grpc.ssl_target_name_override': MANAGER_SERVER_NAME };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const WORKERS = arg('workers', 1_000);
const TASKS = arg('tasks', 10_000);
const CHANNELS = arg('channels', 0);
const PROFILE_DIR = textArg('profile', '');
const HEARTBEATS = textArg('heartbeats', 'unary,stream').split(',') as ('unary' | 'stream' | 'ping')[];
/** In `ping` mode: a heartbeat message every this many periods (src/worker/agent.ts HEARTBEAT_MESSAGE_PERIODS). */
const PING_MESSAGE_PERIODS = 10;
const STORM = arg('storm', 1) > 0 && CHANNELS === 0;
/** How long after the last session of the storm opened its heartbeats still count as the storm's. */
const STORM_TAIL_MS = 5_000;
const JOIN_CONCURRENCY = 16;
const OPEN_BATCH = 50;
const IDLE_MEASURE_MS = 10_000;
const TICKS_PER_S = 100; // USER_HZ
let stopped = false;

interface FakeWorker {
  nodeId: string;
  tasks: Set<string>;
  calls: grpc.Call[];
  timer: NodeJS.Timeout | null;
  sessionId: string;
  creds: grpc.ChannelCredentials;
  /** Send times (performance.now) of heartbeats not yet answered, oldest first: the stream keeps order. */
  sent: number[];
}

/** Heartbeat answer latencies (ms) since the last reset, over every worker's Connect stream. */
let heartbeatRtts: number[] = [];
/** Heartbeat messages the workers sent on Connect since the last reset. */
let messagesSent = 0;
/** What a real agent reports with each heartbeat (the root its certificate leads to). */
let certRootDigest = '';

function latencySummary(rtts: readonly number[]): string {
  const sorted = [...rtts].sort((a, b) => a - b);
  if (sorted.length === 0) return 'no heartbeat answered';
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms (${sorted.length} answers)`;
}

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15)
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

async function join1(raft: RaftClient, token: string, i: number): Promise<JoinResponse__Output & { keyPem: string }> {
  const { keyPem, csrPem } = await createKeyAndCsr();
  const r = await new Promise<JoinResponse__Output>((resolve, reject) => {
    raft.Join({ token, advertiseAddr: `127.0.0.2:${10_000 + i}`, hostname: `w${String(i).padStart(4, '0')}`, csr: csrPem }, { deadline: Date.now() + 30_000 }, (e, res) =>
      e ? reject(e) : res ? resolve(res) : reject(new Error('empty')),
    );
  });
  return { ...r, keyPem };
}

/** A session over Dispatcher.Connect: heartbeats on the stream, each answered by the manager. */
function connectSession(client: DispatcherClient, w: FakeWorker, retry = false, pinging = false): void {
  const session = client.Connect();
  w.calls.push(session);
  w.sent = [];
  session.on('error', () => {
    // During the storm a session refused (the manager is not leading yet) is tried again, as agents do.
    if (retry && w.sessionId === '' && !stopped) setTimeout(() => connectSession(client, w, retry, pinging), 250);
  });
  session.on('data', (msg: SessionMessage__Output) => {
    if (Number(msg.heartbeatAckUnixMs) > 0) {
      const sentAt = w.sent.shift();
      if (sentAt !== undefined) heartbeatRtts.push(performance.now() - sentAt);
      return;
    }
    if (w.sessionId !== '') return;
    w.sessionId = msg.sessionId;
    const period = Number(msg.heartbeatPeriodMs) || 1_000;
    const every = pinging && msg.heartbeatPings ? PING_MESSAGE_PERIODS : 1;
    let beats = 0;
    const beat = (): void => {
      if (stopped) return;
      if (beats++ % every === 0) {
        messagesSent++;
        w.sent.push(performance.now());
        session.write({ heartbeat: { sentUnixMs: Date.now(), certRootDigest } });
      }
      w.timer = setTimeout(beat, period);
    };
    w.timer = setTimeout(beat, period);
    readAssignments(client, w);
  });
  session.write({ open: { nodeId: w.nodeId, description: { hostname: w.nodeId, platform: { os: 'linux', arch: 'x64' }, resources: { nanoCpus: 4e9, memoryBytes: 8e9 } } } });
}

/** Ends a worker's session on purpose (a Connect stream says goodbye with a half-close). */
function endSession(w: FakeWorker): void {
  if (w.timer) clearTimeout(w.timer);
  w.timer = null;
  for (const c of w.calls) {
    if ('end' in c && typeof c.end === 'function') (c as grpc.ClientDuplexStream<unknown, unknown>).end();
    else c.cancel();
  }
  w.calls = [];
  w.sessionId = '';
}

function readAssignments(client: DispatcherClient, w: FakeWorker): void {
  const assignments = client.Assignments({ sessionId: w.sessionId });
  w.calls.push(assignments);
  assignments.on('error', () => undefined);
  assignments.on('data', (m: AssignmentsMessage__Output) => {
    for (const c of m.changes) {
      if (c.item !== 'task' || !c.task) continue;
      if (c.action === 'ASSIGNMENT_ACTION_REMOVE') w.tasks.delete(c.task.id);
      else w.tasks.add(c.task.id);
    }
  });
}

/** A session over Dispatcher.Session plus one Heartbeat call per period. */
function openSession(client: DispatcherClient, w: FakeWorker): void {
  const session = client.Session({ nodeId: w.nodeId, description: { hostname: w.nodeId, platform: { os: 'linux', arch: 'x64' }, resources: { nanoCpus: 4e9, memoryBytes: 8e9 } } });
  w.calls.push(session);
  session.on('error', () => undefined);
  session.on('data', (msg: SessionMessage__Output) => {
    if (w.sessionId !== '') return;
    w.sessionId = msg.sessionId;
    const period = Number(msg.heartbeatPeriodMs) || 1_000;
    const beat = (): void => {
      if (stopped) return;
      client.Heartbeat({ sessionId: w.sessionId }, { deadline: Date.now() + 10_000 }, () => {
        if (!stopped) w.timer = setTimeout(beat, period);
      });
    };
    w.timer = setTimeout(beat, period);
    readAssignments(client, w);
  });
}

/** `node-marked-down` lines in a manager's log (one per node the dispatcher marked down). */
function countDowns(logPath: string): number {
  try {
    return readFileSync(logPath, 'utf8').split('\n').filter((l) => l.includes('node-marked-down')).length;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-dispatch-bench-'));
  const addr = `127.0.0.1:${await freePort()}`;
  const dataDir = join(dir, 'm1');
  const workers: FakeWorker[] = [];
  let pid = 0;
  let profiled: ChildProcess | null = null;
  let restart: () => Promise<number> = () => Promise.reject(new Error('not started'));
  const api = new Api(`unix://${join(dataDir, 'shoal.sock')}`);
  const clients: DispatcherClient[] = [];
  const pingClients: DispatcherClient[] = [];
  try {
    const init = await runCli(['--data-dir', dataDir, 'init', '--listen-addr', addr, '--hostname', 'm1', '--dispatcher-heartbeat', '1s']);
    if (init.code !== 0) throw new Error(init.stderr);
    pid = Number(readFileSync(join(dataDir, 'shoal.pid'), 'utf8').split('\n')[0]);
    const waitForApi = async (): Promise<void> => {
      for (let i = 0; ; i++) {
        try {
          await api.clusterInfo(1_000);
          return;
        } catch (e) {
          if (i > 600) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const startProfiled = async (): Promise<number> => {
      // Node refuses --cpu-prof in NODE_OPTIONS: the same daemon, started in the foreground with it.
      profiled = spawn(process.execPath, [...DAEMON_NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, CLI_PATH, '--data-dir', dataDir, 'start', '--foreground'], { stdio: 'ignore' });
      await waitForApi();
      return profiled.pid!;
    };
    /** Stops the manager (an orderly stop: its sessions end without goodbyes) and starts it again; its new pid. */
    restart = async (): Promise<number> => {
      if (profiled) {
        const p: ChildProcess = profiled;
        const exited = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM'); // writes this run's profile; the next run writes its own
        await exited;
        return startProfiled();
      }
      await runCli(['--data-dir', dataDir, 'stop']);
      const started = await runCli(['--data-dir', dataDir, 'start']);
      if (started.code !== 0) throw new Error(started.stderr);
      await waitForApi();
      return Number(readFileSync(join(dataDir, 'shoal.pid'), 'utf8').split('\n')[0]);
    };
    if (PROFILE_DIR) {
      await runCli(['--data-dir', dataDir, 'stop']);
      pid = await startProfiled();
    }
    await runCli(['--data-dir', dataDir, 'node', 'update', '--availability', 'drain', 'm1']); // the manager itself runs nothing
    const token = (await api.joinTokens()).worker;
    const v1 = loadProtos().grpcObject.shoal.v1;
    const caPem = readFileSync(join(dataDir, 'certificates', 'ca.pem'), 'utf8');
    certRootDigest = certificateDigest(caPem);
    const raft = new v1.Raft(addr, anonymousCredentials(caPem), TLS_OPTIONS);
    const t0 = performance.now();
    for (let i = 0; i < WORKERS; i += JOIN_CONCURRENCY) {
      const batch = Array.from({ length: Math.min(JOIN_CONCURRENCY, WORKERS - i) }, (_, k) => join1(raft, token, i + k));
      for (const r of await Promise.all(batch)) {
        const creds = grpc.credentials.createSsl(Buffer.from(caPem), Buffer.from(r.keyPem), Buffer.from(r.certificate));
        workers.push({ nodeId: r.nodeId, tasks: new Set(), calls: [], timer: null, sessionId: '', creds, sent: [] });
      }
    }
    raft.close();
    const joinedMs = performance.now() - t0;
    process.stderr.write(`  … ${WORKERS} workers joined\n`);
    // Profiled: the joins (certificate signing) get a profile of their own; the next covers the sessions.
    if (PROFILE_DIR) pid = await restart();
    if (CHANNELS > 0) {
      // Plaintext channels on the unix socket (no certificates there: it acts as the local node).
      const sock = `unix://${join(dataDir, 'shoal.sock')}`;
      // A distinct option per channel: grpc-js would otherwise share one connection between them.
      const shared = Array.from({ length: CHANNELS }, (_, i) => new v1.Dispatcher(sock, grpc.credentials.createInsecure(), { 'bench.channel': i }));
      for (let i = 0; i < workers.length; i++) clients.push(shared[i % CHANNELS]!);
    } else {
      // Each worker has its own certificate, so its own TLS connection (as real workers do).
      for (const w of workers) clients.push(new v1.Dispatcher(addr, w.creds, TLS_OPTIONS));
    }
    // `ping` mode: channels that ping once per period, as agents open them (a channel's options are fixed).
    if (HEARTBEATS.includes('ping') && CHANNELS === 0) {
      for (const w of workers) pingClients.push(new v1.Dispatcher(addr, w.creds, { ...TLS_OPTIONS, 'grpc.keepalive_time_ms': 1_000, 'grpc.keepalive_timeout_ms': 3_000 }));
    }
    const idle: { mode: string; cpu: number; rss: number; ready: number; rtts?: number[]; messages?: number }[] = [];
    const readyCount = async (): Promise<number> => (await api.listNodes()).nodes.filter((n) => n.status === 'NODE_STATUS_READY').length;
    {
      // The baseline: the same nodes, no sessions (the manager's own loops over them).
      const idle0 = cpuTicks(pid);
      await new Promise((r) => setTimeout(r, IDLE_MEASURE_MS));
      idle.push({ mode: 'none', cpu: (cpuTicks(pid) - idle0) / TICKS_PER_S / (IDLE_MEASURE_MS / 1000), rss: rssMb(pid), ready: await readyCount() });
    }
    let sessionsMs = 0;
    for (const mode of HEARTBEATS) {
      const s0 = performance.now();
      // In batches: 1,000 sessions opened at once saturate a loaded manager for seconds, long enough
      // to miss heartbeats of the sessions opened first; this measures the steady state instead.
      for (let i = 0; i < workers.length; i += OPEN_BATCH) {
        const batch = workers.slice(i, i + OPEN_BATCH);
        batch.forEach((w, k) => (mode === 'unary' ? openSession(clients[i + k]!, w) : mode === 'ping' ? connectSession(pingClients[i + k]!, w, false, true) : connectSession(clients[i + k]!, w)));
        await waitFor(() => batch.every((w) => w.sessionId !== ''), 120_000, 'every simulated worker to hold a session');
      }
      sessionsMs = performance.now() - s0;
      process.stderr.write(`  … ${mode} sessions open\n`);
      await new Promise((r) => setTimeout(r, 3_000)); // node.status writes settle
      const idle0 = cpuTicks(pid);
      heartbeatRtts = [];
      messagesSent = 0;
      await new Promise((r) => setTimeout(r, IDLE_MEASURE_MS));
      // Taken at the window's end: answers that arrive later belong to no window.
      const cpu = (cpuTicks(pid) - idle0) / TICKS_PER_S / (IDLE_MEASURE_MS / 1000);
      const rtts = heartbeatRtts;
      const messages = messagesSent;
      heartbeatRtts = [];
      idle.push({ mode, cpu, rss: rssMb(pid), ready: await readyCount(), rtts, messages });
      process.stderr.write(`  … idle measured (${mode})\n`);
      if (mode !== HEARTBEATS[HEARTBEATS.length - 1]) {
        for (const w of workers) endSession(w);
        await new Promise((r) => setTimeout(r, 2_000));
      }
    }
    const ready = (await api.listNodes()).nodes.filter((n) => n.status === 'NODE_STATUS_READY').length;
    const transport = CHANNELS > 0 ? `over ${CHANNELS} plaintext channels on the unix socket` : 'each over its own mutual-TLS connection';
    console.log(`dispatcher-scale: 1 manager process, ${WORKERS} simulated workers (heartbeat 1 s), ${transport}`);
    console.log(`  joined in ${(joinedMs / 1000).toFixed(1)} s; last sessions open in ${(sessionsMs / 1000).toFixed(1)} s; ${ready} nodes ready`);
    const what = { none: 'no sessions (baseline)', unary: 'Session + a Heartbeat call each period', stream: 'Connect (heartbeats on the session stream)', ping: 'Connect, heartbeats as HTTP/2 PINGs (a message every 10th period)' } as const;
    for (const i of idle) {
      console.log(`  idle, ${what[i.mode as keyof typeof what]}: manager CPU ${(i.cpu * 100).toFixed(1)}% of one core, RSS ${i.rss.toFixed(1)} MB, ${i.ready} nodes ready`);
      if (i.mode === 'stream' || i.mode === 'ping') console.log(`    heartbeat messages sent: ${i.messages ?? 0}; answers: ${latencySummary(i.rtts ?? [])}`);
    }
    if (STORM && HEARTBEATS[HEARTBEATS.length - 1] === 'stream') {
      // A leader change: every session breaks, and every worker opens a new one (new TLS connection) at once.
      const logPath = join(dataDir, 'shoal.log');
      const downsBefore = countDowns(logPath);
      // The manager goes first: cancelling the workers' streams while it leads would be a broken session each.
      pid = await restart();
      process.stderr.write('  … manager restarted; storm\n');
      for (const w of workers) {
        if (w.timer) clearTimeout(w.timer);
        w.timer = null;
        for (const c of w.calls) c.cancel();
        w.calls = [];
        w.sessionId = '';
      }
      for (const c of new Set(clients)) c.close();
      clients.length = 0;
      for (const w of workers) clients.push(new v1.Dispatcher(addr, w.creds, TLS_OPTIONS));
      heartbeatRtts = [];
      const c0 = cpuTicks(pid);
      const t0 = performance.now();
      workers.forEach((w, i) => connectSession(clients[i]!, w, true));
      await waitFor(() => workers.every((w) => w.sessionId !== ''), 300_000, 'every simulated worker to hold a session after the restart');
      const openMs = performance.now() - t0;
      const openCpuS = (cpuTicks(pid) - c0) / TICKS_PER_S;
      await new Promise((r) => setTimeout(r, STORM_TAIL_MS));
      const stormRtts = heartbeatRtts;
      const downs = countDowns(logPath) - downsBefore;
      console.log(`  storm (manager restarted, ${WORKERS} sessions reopened at once over new TLS connections): all open in ${(openMs / 1000).toFixed(1)} s, manager CPU ${openCpuS.toFixed(1)} s`);
      console.log(`    heartbeat answers until ${STORM_TAIL_MS / 1000} s after: ${latencySummary(stormRtts)}; nodes marked down: ${downs}; ${await readyCount()} nodes ready`);
    }
    if (TASKS <= 0) return;

    const svc = new ServiceApi(api);
    const c0 = cpuTicks(pid);
    const s0 = performance.now();
    await svc.createService({ spec: { name: 'wide', replicas: TASKS, taskTemplate: { command: '/bin/true' } } });
    const created = performance.now() - s0;
    await waitFor(() => workers.reduce((n, w) => n + w.tasks.size, 0) >= TASKS, 300_000, `${TASKS} tasks delivered`);
    const deliveredMs = performance.now() - s0;
    const deliverCpuS = (cpuTicks(pid) - c0) / TICKS_PER_S;
    const perWorker = workers.map((w) => w.tasks.size);
    console.log(`  service with ${TASKS} replicas: created (committed) in ${created.toFixed(0)} ms; all tasks delivered to their workers in ${deliveredMs.toFixed(0)} ms`);
    console.log(`  tasks per worker: min ${Math.min(...perWorker)}, max ${Math.max(...perWorker)}; manager CPU for the change ${deliverCpuS.toFixed(1)} s; RSS ${rssMb(pid).toFixed(1)} MB`);
  } finally {
    stopped = true;
    for (const w of workers) {
      if (w.timer) clearTimeout(w.timer);
      for (const c of w.calls) c.cancel();
    }
    for (const c of new Set(clients)) c.close();
    for (const c of pingClients) c.close();
    api.close();
    if (profiled) {
      // SIGTERM is an orderly stop, which writes the profile.
      const exited = new Promise((r) => profiled!.once('exit', r));
      profiled.kill('SIGTERM');
      await exited;
    }
    await runCli(['--data-dir', dataDir, 'leave', '--force']);
    if (process.env['SHOAL_BENCH_KEEP_DIR']) process.stderr.write(`  kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
