// `docker run --network front` (a Shoal network, through the plugin) against `docker run` on a
// Docker bridge network, in one run (issue #13). Two test hosts from the namespace harness (a
// Shoal daemon in each; root needed): host 1 is the manager and runs a standalone container on
// front, the prober; host 2 runs a dockerd of its own inside its namespace
// (test/helpers/own-dockerd.ts) and its node daemon serves the plugin to it. One trial: from the
// start of the `docker run -d` CLI to the container running, with its address, and accepting TCP
//   - Shoal: from host 1's container, across VXLAN (the address has reached host 1's peer table);
//   - bridge: from host 2 itself, the only place a bridge network reaches without published ports.
// Trials alternate between the two so load drifts hit both alike; medians and the ratio are
// printed. BENCH_RUNS trials each (default 10).
import { missingCapability, sh } from '../test/dataplane/netns.js';
import { ownDockerdSkip } from '../test/helpers/own-dockerd.js';
import { DockerTwoHosts } from '../test/helpers/docker-two-hosts.js';
import { TEST_IMAGE } from '../test/helpers/docker.js';
import { getNetwork } from '../bin/commands/network-api.js';
import { median } from './stats.js';
import { waitForAsync } from '../test/helpers/wait-async.js';

const runs = Number(process.env['BENCH_RUNS'] ?? 10);
const PORT = 7000;
const skip = (await missingCapability()) ?? ownDockerdSkip();
if (skip) {
  console.log(`docker-run: skipped: ${skip}`);
  process.exit(0);
}

const hosts = new DockerTwoHosts('bdr', `b${process.pid.toString(36)}`);
const env = hosts.env;
const docker = (...args: string[]): Promise<string> => hosts.docker(...args);

/** Waits (bounded) until `ip:PORT` accepts a TCP connection from namespace `ns`; one bash loop, 20 ms apart. */
async function reachable(ns: string, ip: string): Promise<void> {
  const loop = `for i in $(seq 1 1500); do timeout 0.3 bash -c 'exec 3<>/dev/tcp/${ip}/${PORT}' 2>/dev/null && exit 0; sleep 0.02; done; exit 1`;
  await sh('ip', ['netns', 'exec', ns, 'bash', '-c', loop]);
}

/** One trial: ms from `docker run -d` to running + address + reachable, and the `docker run` CLI's own part. */
async function trial(network: string, name: string, proberNs: string): Promise<{ total: number; cli: number }> {
  const t0 = performance.now();
  await docker('run', '-d', '--name', name, '--network', network, TEST_IMAGE, 'busybox', 'httpd', '-f', '-p', String(PORT), '-h', '/');
  const cli = performance.now() - t0;
  const ip = (await docker('inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, name)).trim();
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`${name} has no address on ${network}: "${ip}"`);
  await reachable(proberNs, ip);
  const total = performance.now() - t0;
  await docker('rm', '-f', name);
  return { total, cli };
}

try {
  await hosts.start();
  const { h1, h2, api } = hosts;
  await env.ok(h1, 'network', 'create', '--attachable', '--subnet', '10.243.1.0/24', 'front');
  await docker('network', 'create', '-d', 'bridge', '--subnet', '10.243.2.0/24', 'dbridge');
  await waitForAsync(async () => (await docker('network', 'ls', '--format', '{{.Name}}')).split('\n').includes('front'), 30_000, 'host 2 makes the Docker network front');
  await env.ok(h1, 'run', '-d', '--name', 'prober', '--network', 'front', '--', 'sleep', '3600');
  let proberNs = '';
  await waitForAsync(async () => {
    const ep = (await getNetwork(api!, 'front')).endpoints.find((e) => e.ownerName === 'prober');
    if (ep) proberNs = `${env.tag(h1)}t-${ep.ownerId}`;
    return ep !== undefined && (await sh('ip', ['netns', 'list'])).includes(proberNs);
  }, 30_000, 'the prober container on host 1');
  // One untimed trial each: the image's first start and the plugin's first calls warm up.
  await trial('front', 'warm-shoal', proberNs);
  await trial('dbridge', 'warm-bridge', h2.ns);

  const shoal: { total: number; cli: number }[] = [];
  const bridge: { total: number; cli: number }[] = [];
  for (let i = 0; i < runs; i++) {
    shoal.push(await trial('front', `s${i}`, proberNs));
    bridge.push(await trial('dbridge', `b${i}`, h2.ns));
  }
  const row = (label: string, xs: { total: number; cli: number }[]): string =>
    `${label.padEnd(34)} ${median(xs.map((x) => x.total)).toFixed(0).padStart(8)} ms ${median(xs.map((x) => x.cli)).toFixed(0).padStart(8)} ms ${Math.max(...xs.map((x) => x.total)).toFixed(0).padStart(8)} ms`;
  console.log(`docker-run: Docker ${(await docker('version', '--format', '{{.Server.Version}}')).trim()}, ${runs} trials each, alternating; medians`);
  console.log(`${'network'.padEnd(34)} ${'run→reachable'.padStart(11)} ${'docker run CLI'.padStart(14)} ${'max'.padStart(11)}`);
  console.log(row('front (Shoal, from another host)', shoal));
  console.log(row('dbridge (Docker bridge, same host)', bridge));
  console.log(`ratio Shoal / bridge (run→reachable medians): ${(median(shoal.map((x) => x.total)) / median(bridge.map((x) => x.total))).toFixed(2)}`);
} finally {
  await hosts.destroy();
}
