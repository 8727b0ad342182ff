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
import { existsSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { DataPlane } from '../src/network/dataplane/dataplane.js';
import type { EndpointInput, PeerInput } from '../src/network/dataplane/model.js';
import { nodeTag, sandboxNs } from '../src/network/dataplane/names.js';
import { Api } from '../bin/client.js';
import { getContainer } from '../bin/commands/network-api.js';
import { TestHosts, type Host } from '../test/dataplane/hosts.js';
import { ECHO_SERVER, missingCapability, nsRun } from '../test/dataplane/netns.js';
import { median, percentile } from './stats.js';

const TOOLS = join(import.meta.dirname, 'dataplane-tools.js');
const CLI = join(import.meta.dirname, '../bin/cli.js');
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

/** One run's moments (ms since the epoch, one clock: every process runs on this machine). */
interface RunProfile {
  t0: number;
  /** The container record's creation time on the manager (CLI start + the call's arrival). */
  created: number;
  /** Host 2's sandbox namespace appears (its reconcile's first creation step). */
  sandbox: number;
  /** Host 2's task namespace appears. */
  taskNs: number;
  /** The container's shell starts (after the reconcile, the names, and the spawn). */
  shell: number;
  /** Host 1's sandbox gets the container's neighbour entry (the peer table reached host 1). */
  peerOnA: number;
  /** The first successful TCP connect. */
  connect: number;
  /** The CLI process's CPU time (user + system, ms). */
  cliCpuMs: number;
  /** The CLI's own wall time (it waits until the container runs, polling every 200 ms). */
  cliWallMs: number;
  /** Host 2's reconciles in the run's window (SHOAL_DATA_PLANE_TRACE lines). */
  reconciles: string[];
}

async function clusterLevel(): Promise<void> {
  const env = new TestHosts('dpr');
  const watchers: { close(): void }[] = [];
  try {
    const [h1, h2] = (await env.create(2)) as [Host, Host];
    for (const h of [h1, h2]) env.setEnv(h, { SHOAL_DATA_PLANE_TRACE: '1' });
    await env.ok(h1, 'init', '--listen-addr', `${h1.addr}:4242`, '--hostname', 'host1');
    const token = (await env.ok(h1, 'join-token', 'worker', '-q')).trim();
    await env.ok(h2, 'join', '--token', token, '--listen-addr', `${h2.addr}:4242`, '--hostname', 'host2', `${h1.addr}:4242`);
    await env.ok(h1, 'network', 'create', '--attachable', 'front');
    await env.ok(h1, 'service', 'create', '--name', 'web', '--replicas', '1', '--constraint', 'node.hostname==host1', '--network', 'front', '--', process.execPath, ECHO_SERVER, '7000');
    const { address: target, vni } = await waitForEndpoint(env, h1);
    // Namespace creations (fs events on /run/netns) and host 1's neighbour entries (ip monitor), as they happen.
    const nsSeen = new Map<string, number>();
    watchers.push(watch('/run/netns', (_e, name) => name && !nsSeen.has(String(name)) && nsSeen.set(String(name), Date.now())));
    const neighOnA: { at: number; line: string }[] = [];
    const mon = spawn('ip', ['-n', sandboxNs(env.tag(h1), vni), 'monitor', 'neigh'], { stdio: ['ignore', 'pipe', 'ignore'] });
    env.scope.procs.push(mon);
    mon.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line.includes('PERMANENT') && !line.startsWith('Deleted')) neighOnA.push({ at: Date.now(), line });
    });
    const api = new Api(`unix://${join(h1.dataDir, 'shoal.sock')}`);
    watchers.push(api);
    const profiles: RunProfile[] = [];
    for (let i = 0; i < runs; i++) {
      const file = join(env.dir, `connected-${i}`);
      const startFile = join(env.dir, `started-${i}`);
      const script = `date +%s%3N > ${startFile}; until exec 3<>/dev/tcp/${target}/7000; do sleep 0.002; done 2>/dev/null; date +%s%3N > ${file}; exec sleep 600`;
      nsSeen.clear();
      const t0 = Date.now();
      const cli = await timedCli(env, h2, ['run', '-d', '--name', `c${i}`, '--network', 'front', '--', '/bin/bash', '-c', script]);
      while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
        if (Date.now() - t0 > 60_000) throw new Error('no connection within 60 s');
        await new Promise((r) => setTimeout(r, 2));
      }
      const connect = Number(readFileSync(file, 'utf8').trim());
      const c = (await getContainer(api, `c${i}`)).container!;
      const id = c.id;
      const addr = (c.attachments[0]?.address ?? '').split('/')[0]!;
      const tag2 = env.tag(h2);
      profiles.push({
        t0,
        created: Number(c.createdUnixMs),
        sandbox: nsSeen.get(sandboxNs(tag2, vni)) ?? 0,
        taskNs: nsSeen.get(`${tag2}t-${id}`) ?? 0,
        shell: Number(readFileSync(startFile, 'utf8').trim()),
        peerOnA: neighOnA.find((n) => n.at >= t0 && addr !== '' && n.line.startsWith(`${addr} `))?.at ?? 0,
        connect,
        cliCpuMs: cli.cpuMs,
        cliWallMs: cli.wallMs,
        reconciles: traceLines(h2, t0, connect),
      });
      await env.ok(h1, 'container', 'stop', `c${i}`);
      await env.ok(h1, 'container', 'rm', `c${i}`);
      await new Promise((r) => setTimeout(r, 300)); // host 2 drops its sandbox before the next run
    }
    report(profiles);
  } finally {
    for (const w of watchers) w.close();
    await env.teardown();
  }
}

/** Runs the CLI on a host as `env.ok` does, measuring its wall and CPU time. */
async function timedCli(env: TestHosts, h: Host, args: string[]): Promise<{ wallMs: number; cpuMs: number }> {
  const t = Date.now();
  const out = await new Promise<{ code: number; rusage: string }>((resolve) => {
    // bash's `times` after the child: the child's user and system CPU.
    const p = spawn('bash', ['-c', 'nsenter --net=/run/netns/"$1" "$2" "${@:3}" >/dev/null || exit $?; times', 'x', h.ns, process.execPath, CLI, '--data-dir', h.dataDir, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SHOAL_HOST: '', SHOAL_RESOLV_CONF: env.resolvConf },
    });
    let text = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.on('exit', (code) => resolve({ code: code ?? 1, rusage: text }));
  });
  if (out.code !== 0) throw new Error(`shoal ${args.join(' ')} failed (${out.code})`);
  // `times` prints two lines: the shell's, then its children's "XmY.YYYs XmY.YYYs".
  const kids = out.rusage.trim().split('\n').pop() ?? '';
  const secs = [...kids.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wallMs: Date.now() - t, cpuMs: Math.round((secs[0]! + secs[1]!) * 1000) };
}

/** Host 2's `dataplane-reconcile` log lines that started in [from, to]. */
function traceLines(h: Host, from: number, to: number): string[] {
  const log = join(h.dataDir, 'shoal.log');
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes('dataplane-reconcile'))
    .filter((l) => {
      const started = Number(/startedMs=(\d+)/.exec(l)?.[1] ?? 0);
      return started >= from && started <= to;
    })
    .map((l) => l.replace(/^.*dataplane-reconcile /, '').replace(/startedMs=\d+ /, ''));
}

function report(ps: readonly RunProfile[]): void {
  const m = (f: (p: RunProfile) => number): string => `${median(ps.map(f)).toFixed(0)}`;
  const times = ps.map((p) => p.connect - p.t0);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`shoal run --network front (host 2) -> first TCP connect to a task on host 1: median ${median(times)} ms, min ${sorted[0]} ms, max ${sorted[sorted.length - 1]} ms over ${ps.length} runs (includes the CLI's own start)`);
  console.log('  where the time goes (medians, ms from the previous mark):');
  console.log(`    CLI start + CreateContainer reaching the manager   ${m((p) => p.created - p.t0)}   (CLI process CPU ${m((p) => p.cliCpuMs)} ms in total; its wall ${m((p) => p.cliWallMs)} ms incl. waiting for "running")`);
  console.log(`    commit + assignment to host 2 + reconcile read     ${m((p) => p.sandbox - p.created)}   (to host 2's sandbox namespace appearing)`);
  console.log(`    sandbox → task namespace                           ${m((p) => p.taskNs - p.sandbox)}`);
  console.log(`    task namespace → container shell running           ${m((p) => p.shell - p.taskNs)}   (veth, addresses, peers, names, spawn)`);
  console.log(`    shell → first connect                              ${m((p) => p.connect - p.shell)}`);
  console.log(`    (host 1's entry for the container: ${m((p) => p.peerOnA - p.t0)} ms after the start; ${m((p) => p.peerOnA - p.created)} after creation)`);
  for (const [i, p] of ps.entries()) console.log(`    run ${i}: total ${p.connect - p.t0}; host 2 reconciles: ${p.reconciles.join(' | ') || '(none traced)'}`);
}

async function waitForEndpoint(env: TestHosts, h1: Host): Promise<{ address: string; vni: number }> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const r = JSON.parse(await env.ok(h1, 'network', 'inspect', 'front')) as { vxlanId?: number; endpoints: { address: string; kind?: string }[] }[];
    const addr = r[0]?.endpoints.find((e) => !/VIP/.test(e.kind ?? ''))?.address;
    if (addr) return { address: addr.split('/')[0]!, vni: Number(r[0]?.vxlanId ?? 0) };
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error('the web task got no address');
}

console.log(`bench:dataplane (${new Date().toISOString().slice(0, 10)})`);
// BENCH_PART=cluster runs only the run-to-first-connect profile (module: only the module level).
const part = process.env['BENCH_PART'] ?? 'all';
if (part !== 'cluster') await moduleLevel();
if (part !== 'module') await clusterLevel();
