// IPAM through the whole control plane: 60,000 AttachNetwork calls on one /16 network of a
// 3-manager in-process cluster (real Raft, SQLite and gRPC on loopback), from 64 concurrent
// clients spread over the three managers (two thirds of the calls are forwarded by followers).
// Prints total time, attachments/s and per-call latency p50/p99; the target is <= 15 s total.
// Finally checks the network: 60,000 distinct addresses, allocator state agreeing with the rows.
import * as grpc from '@grpc/grpc-js';
import { Api, unaryCall } from '../bin/client.js';
import * as net from '../bin/commands/network-api.js';
import type { AttachNetworkResponse__Output } from '../src/generated/shoal/v1/AttachNetworkResponse.js';
import type { ResourceAllocatorClient } from '../src/generated/shoal/v1/ResourceAllocator.js';
import { loadProtos } from '../src/proto/load.js';
import { startCluster } from '../test/helpers/in-process-cluster.js';

const attachmentsTotal = Number(process.env['BENCH_ATTACHMENTS'] ?? 60_000);
const clientsCount = 64;
const targetMs = 15_000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const cluster = await startCluster(3);
  const clients: { api: Api; alloc: ResourceAllocatorClient }[] = [];
  try {
    const nodeId = cluster.managers[0]!.config.nodeId;
    await net.createNetwork(cluster.apis[0]!, { name: 'bench', subnet: '10.128.0.0/16', attachable: true });
    for (let i = 0; i < clientsCount; i++) {
      // BENCH_LEADER_ONLY=1 sends every call to the leader (no forwarding), to separate the costs.
      const leaderIndex = cluster.managers.indexOf(cluster.leader());
      const api = new Api(cluster.apis[process.env['BENCH_LEADER_ONLY'] ? leaderIndex : i % 3]!.target);
      const alloc = new (loadProtos().grpcObject.shoal.v1.ResourceAllocator)(api.target, grpc.credentials.createInsecure(), { channelOverride: api.control.getChannel() });
      clients.push({ api, alloc });
    }
    const latenciesMs: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      clients.map(async ({ api, alloc }) => {
        for (;;) {
          const i = next++;
          if (i >= attachmentsTotal) return;
          const t0 = performance.now();
          await unaryCall<AttachNetworkResponse__Output>(api.target, (md, o, cb) => alloc.AttachNetwork({ network: 'bench', containerId: `b${i}`, nodeId, reservationTtlMs: 600_000 }, md, o, cb), 60_000);
          latenciesMs.push(performance.now() - t0);
        }
      }),
    );
    const totalMs = performance.now() - started;
    latenciesMs.sort((a, b) => a - b);
    const check = await net.checkNetworks(cluster.apis[1]!, 'bench');
    const result = check.networks[0];
    if (!result || result.endpoints !== attachmentsTotal || result.problems.length > 0) {
      throw new Error(`check after the run failed: ${JSON.stringify(result)}`);
    }
    const fmt = (ms: number): string => ms.toFixed(1);
    process.stdout.write(
      [
        `ipam-cluster: ${attachmentsTotal} attachments on a /16, 3 managers in-process, ${clientsCount} concurrent clients`,
        `  total ${fmt(totalMs)} ms (${Math.round((attachmentsTotal / totalMs) * 1000)} attachments/s); target <= ${targetMs} ms: ${totalMs <= targetMs ? 'met' : 'MISSED'}`,
        `  latency p50 ${fmt(percentile(latenciesMs, 50))} ms, p99 ${fmt(percentile(latenciesMs, 99))} ms, max ${fmt(latenciesMs[latenciesMs.length - 1] ?? 0)} ms`,
        `  check: ${result.endpoints} endpoints, no duplicates, allocator state consistent`,
        '',
      ].join('\n'),
    );
  } finally {
    for (const c of clients) {
      c.alloc.close();
      c.api.close();
    }
    await cluster.close();
  }
}

await main();
