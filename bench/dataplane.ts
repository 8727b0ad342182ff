// The data plane's costs, as root, on test hosts made of network namespaces (nothing leaves them):
//  1. per-task setup: the first task of a network on a node (sandbox + namespace + veth), then each
//     further one (namespace + veth + addresses), p50/p99 over 30 tasks;
//  2. 200 endpoints on 3 hosts (module level, peer tables given): from the first attach to one
//     client reaching all 199 others;
//  3. TCP throughput task-to-task across hosts over VXLAN against the same transfer over the bare
//     underlay veth (one 3 s run each, side by side);
//  4. with real daemons: `shoal run --network front` on host 2 to the container's first successful
//     TCP connect to a task on host 1, median of BENCH_RUNS (default 10). The time includes the CLI
//     process itself (a fresh Node process) and the container's shell.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataPlane } from '../src/network/dataplane/dataplane.js';
import type { EndpointInput, PeerInput } from '../src/network/dataplane/model.js';
import { nodeTag } from '../src/network/dataplane/names.js';
import { TestHosts, type Host } from '../test/dataplane/hosts.js';
import { ECHO_SERVER, missingCapability, nsRun } from '../test/dataplane/netns.js';
import { median, percentile } from './stats.js';

const TOOLS = join(import.meta.dirname, 'dataplane-tools.js');
const runs = Number(process.env['BENCH_RUNS'] ?? 10);
const why = await missingCapability();
if (why) {
  console.log(`bench:dataplane skipped: ${why}`);
  process.exit(0);
}

const ep = (ownerId: string, vni: number, address: string): EndpointInput => ({ ownerId, networkId: `n${vni}`, vni, address, gateway: address.replace(/\.\d+\/\d+$/, '.1'), index: 0 });

async function moduleLevel(): Promise<void> {
  const env = new TestHosts('dpb');
  try {
    const hosts = await env.create(3);
    const planes = hosts.map(
      (h, i) => new DataPlane({ tag: nodeTag(`bench${i}${process.pid}`), port: 4789, mtu: 1450, localVtep: h.addr, hostNs: h.ns, resyncMs: 600_000 }),
    );
    const [p1, p2] = planes as [DataPlane, DataPlane, DataPlane];
    // 1. Per-task setup.
    let t = performance.now();
    await p1.attach('first', [ep('first', 5000, '10.50.0.2/16')]);
    const firstMs = performance.now() - t;
    const each: number[] = [];
    for (let i = 0; i < 30; i++) {
      t = performance.now();
      await p1.attach(`t${i}`, [ep(`t${i}`, 5000, `10.50.1.${i + 2}/16`)]);
      each.push(performance.now() - t);
    }
    each.sort((a, b) => a - b);
    console.log(`per-task setup: first task of a network ${firstMs.toFixed(1)} ms (sandbox + VXLAN + task); each further task p50 ${percentile(each, 50).toFixed(1)} ms, p99 ${percentile(each, 99).toFixed(1)} ms (one reconcile: read + namespace + veth + addresses)`);
    for (let i = 0; i < 30; i++) p1.detach(`t${i}`);
    p1.detach('first');
    await p1.sync();

    // 2. 200 endpoints on 3 hosts, one client reaching all others.
    const n = 200;
    const endpoints = Array.from({ length: n }, (_, i) => ({ host: i % 3, id: `e${i}`, ip: `10.60.${Math.floor(i / 250)}.${(i % 250) + 2}` }));
    t = performance.now();
    await Promise.all(endpoints.map((e) => planes[e.host]!.attach(e.id, [ep(e.id, 6000, `${e.ip}/16`)])));
    const attachedMs = performance.now() - t;
    const peers = new Map<string, PeerInput>(endpoints.map((e) => [e.id, { networkId: 'n6000', ip: e.ip, vtep: hosts[e.host]!.addr }]));
    for (const p of planes) p.replacePeers(peers, new Set());
    await Promise.all(planes.map((p) => p.sync()));
    const peersMs = performance.now() - t;
    const client = endpoints[0]!;
    const out = (await nsRun(planes[client.host]!.taskNamespace(client.id), process.execPath, [TOOLS, 'reach', '60000', '9', ...endpoints.slice(1).map((e) => e.ip)])).trim();
    const totalMs = performance.now() - t;
    console.log(`200 endpoints on 3 hosts: all attached ${attachedMs.toFixed(0)} ms, peer tables programmed ${peersMs.toFixed(0)} ms, one client reaches all 199 others at ${totalMs.toFixed(0)} ms (probe itself: ${out} ms)`);
    for (const e of endpoints.slice(2)) planes[e.host]!.detach(e.id);
    await Promise.all(planes.map((p) => p.sync()));

    // 3. Throughput: task on host 1 -> task on host 2 over VXLAN, and host 1 -> host 2 over the underlay.
    const [a, b] = [endpoints[0]!, endpoints[1]!];
    const vx = await throughput(env, p2.taskNamespace(b.id), planes[a.host]!.taskNamespace(a.id), b.ip);
    const bare = await throughput(env, hosts[1]!.ns, hosts[0]!.ns, hosts[1]!.addr);
    console.log(`TCP throughput: over VXLAN ${(vx / 1e6 * 8).toFixed(0)} Mbit/s, bare underlay veth ${(bare / 1e6 * 8).toFixed(0)} Mbit/s: ratio ${(vx / bare).toFixed(2)} (one 3 s run each, one Node stream)`);
    for (const p of planes) p.close();
  } finally {
    await env.teardown().catch(() => undefined);
    await env.scope.cleanup(...[0, 1, 2].map((i) => nodeTag(`bench${i}${process.pid}`)));
  }
}

async function throughput(env: TestHosts, serverNs: string, clientNs: string, ip: string): Promise<number> {
  const sink = spawn('ip', ['netns', 'exec', serverNs, process.execPath, TOOLS, 'sink', '5201'], { stdio: ['ignore', 'pipe', 'inherit'] });
  env.scope.procs.push(sink);
  await new Promise<void>((resolve) => sink.stdout.once('data', () => resolve()));
  const rate = Number((await nsRun(clientNs, process.execPath, [TOOLS, 'blast', ip, '5201', '3'])).trim());
  sink.kill('SIGTERM');
  return rate;
}

async function clusterLevel(): Promise<void> {
  const env = new TestHosts('dpr');
  try {
    const [h1, h2] = (await env.create(2)) as [Host, Host];
    await env.ok(h1, 'init', '--listen-addr', `${h1.addr}:4242`, '--hostname', 'host1');
    const token = (await env.ok(h1, 'join-token', 'worker', '-q')).trim();
    await env.ok(h2, 'join', '--token', token, '--listen-addr', `${h2.addr}:4242`, '--hostname', 'host2', `${h1.addr}:4242`);
    await env.ok(h1, 'network', 'create', '--attachable', 'front');
    await env.ok(h1, 'service', 'create', '--name', 'web', '--replicas', '1', '--constraint', 'node.hostname==host1', '--network', 'front', '--', process.execPath, ECHO_SERVER, '7000');
    const target = await waitForEndpoint(env, h1);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const file = join(env.dir, `connected-${i}`);
      const script = `until exec 3<>/dev/tcp/${target}/7000; do sleep 0.002; done 2>/dev/null; date +%s%3N > ${file}; exec sleep 600`;
      const t0 = Date.now();
      await env.ok(h2, 'run', '-d', '--name', `c${i}`, '--network', 'front', '--', '/bin/bash', '-c', script);
      while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
        if (Date.now() - t0 > 60_000) throw new Error('no connection within 60 s');
        await new Promise((r) => setTimeout(r, 2));
      }
      times.push(Number(readFileSync(file, 'utf8').trim()) - t0);
      await env.ok(h1, 'container', 'stop', `c${i}`);
      await env.ok(h1, 'container', 'rm', `c${i}`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`shoal run --network front (host 2) -> first TCP connect to a task on host 1: median ${median(times)} ms, min ${sorted[0]} ms, max ${sorted[sorted.length - 1]} ms over ${runs} runs (includes the CLI's own start)`);
  } finally {
    await env.teardown();
  }
}

async function waitForEndpoint(env: TestHosts, h1: Host): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const r = JSON.parse(await env.ok(h1, 'network', 'inspect', 'front')) as { endpoints: { address: string }[] }[];
    const addr = r[0]?.endpoints[0]?.address;
    if (addr) return addr.split('/')[0]!;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error('the web task got no address');
}

console.log(`bench:dataplane (${new Date().toISOString().slice(0, 10)})`);
await moduleLevel();
await clusterLevel();
