// The unreachable window of `stack deploy --adopt` on the real data plane (root; one test host,
// a network namespace with its own underlay, as test/dataplane's harness makes them). A client
// container on the attachable network `front` connects to the NAME `web` in a loop
// (bench/connect-loop.ts: a fresh lookup through the node's resolver and a TCP echo every 10 ms).
// Each round: `shoal run --name web` (an echo server) until the client is answered, then
// `stack deploy --adopt` of a compose file whose service web (1 replica, VIP or dnsrr) takes the
// container over; the gap is the longest time between two answered attempts across the move.
// A sampler also checks every 5 ms that the container's namespace was gone before the task's
// appeared (the address never up twice). Then `stack rm`. Prints each round, the median and the
// worst; target median ≤ 1 s. `node dist/bench/adopt-gap.js [ROUNDS] [vip|dnsrr] [compose]` (default 10 vip).
// `compose`: the container is a docker-compose one instead — a dockerd of the bench's own in the
// host's namespace (test/helpers/own-dockerd.ts), served the Shoal plugin by the host's daemon;
// each round `docker run` with compose's name and labels (legacy_web_1, service web, stop grace
// 1 s) runs a busybox `nc` echo server; the client loops on the name legacy_web_1 (Shoal's name
// for it, which the service keeps as an alias); the address is "up twice" if the task's namespace
// was seen before Docker's FinishedAt of the container.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TestHosts, type Host } from '../test/dataplane/hosts.js';
import { ECHO_SERVER, missingCapability, sh } from '../test/dataplane/netns.js';
import { OwnDockerd, ownDockerdSkip } from '../test/helpers/own-dockerd.js';
import { TEST_IMAGE } from '../test/helpers/docker.js';

const ROUNDS = Number(process.argv[2] ?? 10) || 10;
/** The service's endpoint mode (vip, compose's default, or dnsrr): `node dist/bench/adopt-gap.js 10 dnsrr`. */
const MODE = process.argv[3] === 'dnsrr' ? 'dnsrr' : 'vip';
/** Adopt a docker-compose container (through the Docker plugin) instead of a `shoal run` one. */
const COMPOSE = process.argv[4] === 'compose';
const LEGACY = 'legacy_web_1';
// The bench's daemon must not serve Docker's plugin socket on this machine (as in `npm test`).
process.env['SHOAL_DOCKER_PLUGIN_SOCKET'] ??= 'none';
const PORT = 7000;
const LOOP = fileURLToPath(new URL('./connect-loop.js', import.meta.url));

const skip = (await missingCapability()) ?? (COMPOSE ? ownDockerdSkip() : false);
if (skip) {
  console.log(`adopt-gap: skipped: ${skip}`);
  process.exit(0);
}

interface Line {
  readonly ok?: number;
  readonly from?: number;
  readonly to?: number;
  readonly dnsFailures?: number;
  readonly connectFailures?: number;
}

async function until<T>(what: string, fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const env = new TestHosts('adg');
const lines: Line[] = [];
let loop: ReturnType<typeof spawn> | null = null;
let dockerd: OwnDockerd | null = null;
const pluginSocket = `/run/docker/plugins/shoal-g${process.pid.toString(36)}.sock`;
try {
  const [h] = (await env.create(1)) as [Host];
  if (COMPOSE) {
    dockerd = new OwnDockerd(`g${process.pid.toString(36)}`, { netns: h.ns });
    await dockerd.start({ liveRestore: false });
    await dockerd.ensureImage();
    env.setEnv(h, { SHOAL_DOCKER_HOST: dockerd.host, SHOAL_DOCKER_PLUGIN_SOCKET: pluginSocket });
  }
  await env.ok(h, 'init', '--listen-addr', `${h.addr}:4242`, '--hostname', 'host1');
  await env.ok(h, 'network', 'create', '--attachable', 'front');
  const client = dockerd?.client;
  if (client) await until('the Docker network front made by the plugin', async () => (await client.listNetworks()).some((n) => n.Name === 'front'));
  const nsOf = (ownerId: string): string => `/run/netns/${env.tag(h)}t-${ownerId}`;
  const clientId = (await env.ok(h, 'run', '-d', '--name', 'client', '--network', 'front', '--', process.execPath, ECHO_SERVER, String(PORT))).trim();
  await until('the client namespace and its resolv.conf', () => existsSync(nsOf(clientId)) && existsSync(`/etc/netns/${env.tag(h)}t-${clientId}/resolv.conf`));
  loop = spawn('ip', ['netns', 'exec', `${env.tag(h)}t-${clientId}`, process.execPath, LOOP, COMPOSE ? LEGACY : 'web', String(PORT)], { stdio: ['pipe', 'pipe', 'inherit'] });
  createInterface({ input: loop.stdout! }).on('line', (l) => lines.push(JSON.parse(l) as Line));
  const answeredAfter = (t: number): boolean => lines.some((l) => (l.ok ?? l.to ?? 0) > t);

  const file = join(env.dir, 'adopt.yml');
  writeFileSync(file, [
    'services:',
    '  web:',
    `    entrypoint: [${JSON.stringify(process.execPath)}, ${JSON.stringify(ECHO_SERVER)}, "${PORT}"]`,
    '    networks: [front]',
    `    deploy: {replicas: 1, endpoint_mode: ${MODE}}`,
    'networks:',
    '  front: {external: true}',
    '',
  ].join('\n'));

  console.log(`adopt-gap: ${ROUNDS} rounds, endpoint mode ${MODE}${COMPOSE ? ', a docker-compose container (Docker plugin)' : ''}; one host, real data plane; client → name "${COMPOSE ? LEGACY : 'web'}" every 10 ms (300 ms per attempt)`);
  const gaps: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const tRun = Date.now();
    let webId: string;
    if (client) {
      const c = await client.createContainer({
        name: LEGACY, Image: TEST_IMAGE, Cmd: ['nc', '-ll', '-p', String(PORT), '-e', '/bin/cat'], StopTimeout: 1,
        Labels: { 'com.docker.compose.project': 'legacy', 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1' },
        HostConfig: { NetworkMode: 'front', RestartPolicy: { Name: 'always' } },
      });
      await c.start();
      webId = c.id;
    } else {
      webId = (await env.ok(h, 'run', '-d', '--name', 'web', '--network', 'front', '--', process.execPath, ECHO_SERVER, String(PORT))).trim();
    }
    await until(`the container ${COMPOSE ? LEGACY : 'web'} to answer the client`, () => answeredAfter(tRun));
    await new Promise((r) => setTimeout(r, 500));

    // Sample the two namespaces: was the task's ever there while the container's still was?
    let overlap = false;
    let taskNs = '';
    let taskSeenAt = 0;
    const sampler = setInterval(() => {
      if (taskNs !== '' && taskSeenAt === 0 && existsSync(taskNs)) taskSeenAt = Date.now();
      if (!COMPOSE && taskNs !== '' && existsSync(taskNs) && existsSync(nsOf(webId))) overlap = true;
    }, 5);
    const t0 = Date.now();
    const out = await env.ok(h, 'stack', 'deploy', '--adopt', '-c', file, `r${round}`);
    if (!out.includes(`adopting container ${COMPOSE ? LEGACY : 'web'}`)) throw new Error(`round ${round}: no adoption: ${out}`);
    const taskId = await until('the adopting task', async () => {
      const ps = JSON.parse(await env.ok(h, 'stack', 'ps', `r${round}`, '--format', 'json')) as { id: string }[];
      return ps[0]?.id;
    });
    const tDeployed = Date.now();
    taskNs = nsOf(taskId);
    let finishedAt = 0;
    if (client) {
      await until('Docker to stop the container', async () => {
        const st = (await client.getContainer(webId).inspect()).State;
        finishedAt = st.Running ? 0 : Date.parse(st.FinishedAt);
        return !st.Running;
      });
    } else {
      await until('the container namespace to go', () => !existsSync(nsOf(webId)));
    }
    const tGone = Date.now();
    await until('the task namespace to come', () => existsSync(taskNs));
    const tUp = Date.now();
    if (COMPOSE && taskSeenAt > 0 && taskSeenAt < finishedAt) overlap = true;
    if (process.env['ADOPT_GAP_DEBUG'] === '1') {
      // A slow round: what the client, the sandbox and the task look like 5 s after the task came up.
      setTimeout(() => {
        if (answeredAfter(tUp + 300)) return;
        const cns = `${env.tag(h)}t-${clientId}`;
        const tns = `${env.tag(h)}t-${taskId}`;
        void Promise.all([
          sh('ip', ['-n', cns, 'neigh']).catch((e: Error) => e.message),
          sh('ip', ['-n', tns, '-br', 'addr']).catch((e: Error) => e.message),
          sh('ip', ['-n', tns, 'neigh']).catch((e: Error) => e.message),
          sh('ip', ['netns', 'list']).catch((e: Error) => e.message),
          sh('sh', ['-c', `for s in $(ip netns list | grep -o '^${env.tag(h)}sb-[0-9]*'); do ip -n $s -d -br link; bridge -n $s fdb show br br0 | grep -v permanent; ip -n $s neigh; done`]).catch((e: Error) => e.message),
        ]).then((out) => console.log(`round ${round} slow, 5 s after the task namespace:\n${out.join('\n---\n')}`));
      }, 5_000);
    }
    await until('the client to be answered by the task', () => answeredAfter(tUp + 300));
    clearInterval(sampler);
    const outages = lines.filter((l) => l.to !== undefined && l.to >= t0 && (l.from ?? 0) > 0);
    const worst = outages.reduce<Line | null>((w, l) => (w === null || l.to! - l.from! > w.to! - w.from! ? l : w), null);
    const gap = worst ? worst.to! - worst.from! : 0;
    gaps.push(gap);
    if (process.env['ADOPT_GAP_DEBUG'] === '1') console.log(JSON.stringify({ t0, webId, taskId }));
    const tAnswered = lines.find((l) => (l.to ?? 0) >= t0)?.to ?? 0;
    console.log(
      `round ${round}: gap ${gap} ms (failed attempts: ${worst?.connectFailures ?? 0} connect, ${worst?.dnsFailures ?? 0} name lookup); address up twice: ${overlap ? 'YES' : 'no'}` +
        ` [after the deploy started: CLI done ${tDeployed - t0} ms, container namespace gone ≤${tGone - t0} ms, task namespace ≤${tUp - t0} ms, answered ${tAnswered - t0} ms]`,
    );
    if (overlap) throw new Error(`round ${round}: the task namespace existed while the container namespace still did`);
    await env.ok(h, 'stack', 'rm', `r${round}`);
    await until('the task namespace to go', () => !existsSync(taskNs));
    if (client) await client.getContainer(webId).remove({ force: true });
  }
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  console.log(`adopt gap: median ${median} ms, best ${sorted[0]} ms, worst ${sorted[sorted.length - 1]} ms over ${gaps.length} rounds (target: median ≤ 1000 ms)`);
} finally {
  loop?.stdin?.end();
  loop?.kill('SIGKILL');
  await dockerd?.destroy().catch(() => undefined);
  await env.teardown();
  if (COMPOSE) await sh('rm', ['-f', pluginSocket]).catch(() => undefined);
}
