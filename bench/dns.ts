/**
 * bench:dns — the node resolver on loopback, and the cost of feeding it.
 *
 * 1. Queries/s and latency (p50/p99) for cluster names (`web`, `tasks.<svc>`, task and
 *    container names, mixed) and for forwarded names (to an upstream resolver on loopback that
 *    the bench runs), over UDP. The client runs in a worker thread, so its cost does not sit on
 *    the resolver's event loop. Two shapes: one query at a time (latency as a task sees it) and
 *    32 in flight (throughput).
 * 2. The feed at scale: reading the store (feedInputFromStore) and computing one node's names
 *    (nameRecordsForNode) with `--tasks` running tasks on one network, then building its table;
 *    this is what the dispatcher's Names hub does once per change batch.
 *
 * 3. As root, across 3 test hosts (dns-hosts.ts): a task running → its name resolving on another
 *    host, and `service scale` down → the VIP no longer sending to removed tasks.
 *
 * Options: --seconds S per measurement (default 3), --tasks N (default 5000), --rounds R of the
 * cross-host figures (default 10; 0 skips them).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { arg, percentile } from './stats.js';
import { NameTable, type NameRecords } from '../src/network/dns/name-table.js';
import { DnsResolver } from '../src/network/dns/server.js';
import { nameRecordsForNode } from '../src/network/dns/feed.js';
import { feedInputFromStore } from '../src/manager/names-view.js';
import { NamesStream, namesSnapshot } from '../src/manager/names-stream.js';
import { encodeQuery, TestUpstream } from '../test/network/dns/dns-client.js';
import { StoreHarness, NODE_ID } from '../test/network/store-harness.js';
import type { ServiceSpecRecord } from '../src/manager/store/service-commands.js';
import { listTasks } from '../src/manager/store/service-queries.js';
import { propagationBench } from './dns-hosts.js';

interface ClientJob {
  readonly port: number;
  readonly names: readonly string[];
  readonly seconds: number;
  readonly inFlight: number;
}

interface ClientResult {
  readonly queries: number;
  readonly errors: number;
  readonly seconds: number;
  /** Latencies in µs, ascending. */
  readonly latenciesUs: number[];
}

/** The load generator (worker thread): `inFlight` queries outstanding, each re-sent on its answer. */
async function runClient(job: ClientJob): Promise<ClientResult> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const packets = job.names.map((n) => encodeQuery(n, 'A'));
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let id = 0;
  const deadline = performance.now() + job.seconds * 1_000;
  return new Promise((resolve) => {
    const send = (): void => {
      if (performance.now() >= deadline) {
        if (sentAt.size === 0) finish();
        return;
      }
      id = (id + 1) & 0xffff;
      const p = Buffer.from(packets[next++ % packets.length]!);
      p.writeUInt16BE(id, 0);
      sentAt.set(id, performance.now());
      socket.send(p, job.port, '127.0.0.1');
    };
    const started = performance.now();
    const finish = (): void => {
      socket.close();
      resolve({ queries: latencies.length, errors, seconds: (performance.now() - started) / 1_000, latenciesUs: latencies.sort((a, b) => a - b) });
    };
    socket.on('message', (msg) => {
      const at = sentAt.get(msg.readUInt16BE(0));
      if (at === undefined) return;
      sentAt.delete(msg.readUInt16BE(0));
      if ((msg.readUInt16BE(2) & 0xf) !== 0) errors++;
      latencies.push((performance.now() - at) * 1_000);
      send();
    });
    for (let i = 0; i < job.inFlight; i++) send();
  });
}

function inWorker(job: ClientJob): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: job });
    w.once('message', (r: ClientResult) => resolve(r));
    w.once('error', reject);
  });
}

/** A table like a busy network's: 50 services (every 5th dnsrr) with 10 tasks each, 50 containers. */
function bigTable(): { records: NameRecords; clusterNames: string[] } {
  const base = 0x0a000000;
  const services = Array.from({ length: 50 }, (_, i) => ({ id: `s${i}`, name: `svc${i}`, aliases: [`alias${i}`], endpointMode: i % 5 === 0 ? ('dnsrr' as const) : ('vip' as const), ...(i % 5 === 0 ? {} : { vip: base + 2 + i }) }));
  const endpoints = [
    ...Array.from({ length: 500 }, (_, i) => ({ kind: 'task' as const, name: `svc${i % 50}.${Math.floor(i / 50) + 1}.t${i}`, serviceId: `s${i % 50}`, aliases: [], ip: base + 256 + i })),
    ...Array.from({ length: 50 }, (_, i) => ({ kind: 'container' as const, name: `c${i}`, aliases: [`calias${i}`], ip: base + 1_024 + i })),
  ];
  const clusterNames = [...services.map((s) => s.name), ...services.map((s) => `tasks.${s.name}`), ...endpoints.slice(0, 50).map((e) => e.name), ...endpoints.slice(500).map((e) => e.name)];
  return { records: { networks: [{ networkId: 'front', networkName: 'front', services, endpoints }] }, clusterNames };
}

function row(label: string, r: ClientResult): string {
  const qps = r.queries / r.seconds;
  return `${label.padEnd(34)} ${qps.toFixed(0).padStart(7)} q/s   p50 ${(percentile(r.latenciesUs, 50) / 1_000).toFixed(3)} ms   p99 ${(percentile(r.latenciesUs, 99) / 1_000).toFixed(3)} ms   errors ${r.errors}`;
}

async function resolverBench(seconds: number): Promise<void> {
  const upstream = await TestUpstream.start({ 'example.test': '192.0.2.1', 'www.example.test': '192.0.2.2' });
  const { records, clusterNames } = bigTable();
  const table = new NameTable(records);
  const resolver = new DnsResolver({ table: () => table, upstreams: () => [{ host: '127.0.0.1', port: upstream.port }] });
  const listener = await resolver.listen('127.0.0.1', 0, () => ['front']);
  try {
    console.log(`resolver on 127.0.0.1:${listener.port}: ${records.networks[0]!.services.length} services, ${records.networks[0]!.endpoints.length} endpoints; UDP, ${seconds} s each`);
    for (const inFlight of [1, 32]) {
      console.log(row(`cluster names, ${inFlight} in flight`, await inWorker({ port: listener.port, names: clusterNames, seconds, inFlight })));
      console.log(row(`forwarded names, ${inFlight} in flight`, await inWorker({ port: listener.port, names: ['example.test', 'www.example.test'], seconds, inFlight })));
    }
    const mem = process.memoryUsage();
    console.log(`resolver process: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB; forwarded ${resolver.stats.forwarded}, servfail ${resolver.stats.servfail}`);
  } finally {
    await resolver.close();
    await upstream.stop();
  }
}

function feedBench(tasks: number): void {
  const h = StoreHarness.open(['10.0.0.0/8'], 16);
  try {
    h.applyOk({ op: 'network.create', at: 2, id: 'net-front', name: 'front', driver: 'overlay', attachable: true, labels: {} });
    const services = 20;
    const per = Math.ceil(tasks / services);
    for (let s = 0; s < services; s++) {
      const spec: ServiceSpecRecord = {
        name: `svc${s}`,
        labels: {},
        mode: 'replicated',
        replicas: per,
        template: { command: 'sleep', args: [], env: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
        networks: ['net-front'],
        placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
        updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
        stack: '',
        ...(s % 4 === 0 ? { endpointMode: 'dnsrr' as const } : {}),
      };
      h.applyOk({ op: 'service.create', at: 3, id: `svc-${String(s).padStart(22, '0')}`, taskIdSeed: `seed-${String(s).padStart(16, '0')}`, spec });
    }
    const all = listTasks(h.db);
    for (let i = 0; i < all.length; i += 1_000) {
      const batch = all.slice(i, i + 1_000);
      h.applyOk({ op: 'task.place', at: 4, placements: batch.map((t) => ({ taskId: t.id, nodeId: NODE_ID })), pending: [] });
      h.applyOk({ op: 'task.status', at: 5, updates: batch.map((t) => ({ taskId: t.id, nodeId: NODE_ID, state: 'running' as const, message: 'started', err: '', exitCode: 0, at: 5 })) });
    }
    // 100 streams of nodes on the network (the nodes hold no task here; each is given the network).
    const streams = Array.from({ length: 100 }, (_, i) => new NamesStream(i === 0 ? NODE_ID : `node-${i}`, () => undefined));
    const times = { read: [] as number[], snapshot: [] as number[], streams: [] as number[], table: [] as number[] };
    let bytes = 0;
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const input = feedInputFromStore(h.db);
      const t1 = performance.now();
      const snap = namesSnapshot(input);
      const withNodes = { ...snap, networksOfNode: new Map(streams.map((s) => [s.nodeId, new Set(['net-front'])])) };
      const t2 = performance.now();
      // Every stream sends the network the first round; later rounds compare only (nothing changed).
      for (const s of streams) s.update(withNodes);
      const t3 = performance.now();
      const table = new NameTable(nameRecordsForNode(input, NODE_ID));
      const t4 = performance.now();
      bytes = snap.networks.get('net-front')?.json.length ?? 0;
      if (table.networkIds().length !== 1) throw new Error('the node should have its network');
      times.read.push(t1 - t0);
      times.snapshot.push(t2 - t1);
      if (i > 0) times.streams.push(t3 - t2);
      times.table.push(t4 - t3);
    }
    const med = (xs: number[]): string => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);
    console.log(`feed with ${all.length} running tasks of ${services} services on 1 network (${(bytes / 1024).toFixed(0)} KiB of names as JSON), median of 10 rounds:`);
    console.log(`  per change batch, on the leader: read the store ${med(times.read)} ms, every network's names ${med(times.snapshot)} ms, compare for 100 node streams ${med(times.streams)} ms`);
    console.log(`  per message, on a node: build its table ${med(times.table)} ms`);
  } finally {
    h.close();
  }
}

if (!isMainThread) {
  void runClient(workerData as ClientJob).then((r) => parentPort?.postMessage(r));
} else {
  const seconds = Number(arg('seconds', '3'));
  const tasks = Number(arg('tasks', '5000'));
  await resolverBench(seconds);
  feedBench(tasks);
  const rounds = Number(arg('rounds', '10'));
  if (rounds > 0) await propagationBench(rounds);
}
