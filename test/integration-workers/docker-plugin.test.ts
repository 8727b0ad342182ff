/**
 * Shoal as Docker's network + IPAM driver (issue #13, part 1) with real daemons started by the CLI
 * on loopback and the machine's real dockerd: m1 (manager, plugin off) and w1 (worker) whose node
 * daemon serves the plugin on a socket of this test's own name, so its driver name is unique and
 * no installed `shoal` plugin is disturbed. w1 makes the Docker network for the attachable Shoal
 * network itself. The data plane is off on loopback (addresses and records only); the plan for a
 * Docker endpoint's veth is tested in test/worker/docker-plugin.test.ts.
 * Skipped (with the reason) only when no Docker Engine answers or the test image cannot be made;
 * the compose test also when docker-compose is not installed. `after` removes every container and
 * network the test made, also after a failure.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { EngineApi } from '../../src/worker/docker-api.js';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';
import { killStoredTasks } from '../helpers/task-cleanup.js';
import { dockerForTests, TEST_IMAGE } from '../helpers/docker.js';
import { GrpcShoalPort } from '../../src/worker/docker-plugin/shoal-port.js';
import { nodeSecurity } from '../../src/manager/daemon.js';
import { waitForAsync } from '../helpers/wait-async.js';
import { dockerView } from '../helpers/own-dockerd.js';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');
const engine = await dockerForTests();
const skip = 'skip' in engine ? engine.skip : false;
// Debian's client matches Debian's daemon; another `docker` on PATH may be newer.
const DOCKER = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
const COMPOSE = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((p) => existsSync(p));

interface ContainerRow {
  id: string;
  name: string;
  node: string;
  state: string;
  addresses: string[] | Record<string, string> | string;
}

describe('Shoal as Docker network + IPAM plugin (real daemons, real dockerd)', { skip }, () => {
  const docker = 'docker' in engine ? engine.docker : (null as unknown as EngineApi);
  const dir = mkdtempSync(join(tmpdir(), 'shoal-dplugin-'));
  const tag = `t${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const driver = `shoal-${tag}`;
  const socket = `/run/docker/plugins/${driver}.sock`;
  const net = `front-${tag}`;
  const dname = (n: string): string => `${tag}-${n}`;
  const envOf = (node: string): NodeJS.ProcessEnv =>
    node === 'w1'
      ? { ...process.env, SHOAL_DOCKER_PLUGIN_SOCKET: socket, SHOAL_DOCKER_PLUGIN_RECONCILE_MS: '1000' }
      : { ...process.env, SHOAL_DOCKER_PLUGIN_SOCKET: 'none' };
  const shoal = async (node: string, ...args: string[]): Promise<string> =>
    (await run(process.execPath, [CLI, '--data-dir', join(dir, node), ...args], { timeout: 30_000, env: envOf(node) })).stdout;
  const dockerCli = async (...args: string[]): Promise<string> => (await run(DOCKER, args, { timeout: 60_000 })).stdout;
  const containers = async (): Promise<ContainerRow[]> => JSON.parse(await shoal('m1', 'container', 'ls', '--format', 'json')) as ContainerRow[];
  const held = async (): Promise<number> => (JSON.parse(await shoal('m1', 'network', 'inspect', net)) as { addresses: { held: number } }[])[0]!.addresses.held;
  const addressOf = async (dockerName: string): Promise<string> => {
    const nets = (await docker.getContainer(dockerName).inspect()).NetworkSettings.Networks;
    return nets[net]?.IPAddress ?? '';
  };
  let w1Id = '';
  let managerAddr = '';

  before(async () => {
    const port = await freePort();
    managerAddr = `127.0.0.1:${port}`;
    await shoal('m1', 'init', '--listen-addr', `127.0.0.1:${port}`, '--hostname', 'm1');
    const token = (await shoal('m1', 'join-token', 'worker', '-q')).trim();
    await shoal('w1', 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', 'w1', `127.0.0.1:${port}`);
    w1Id = (JSON.parse(readFileSync(join(dir, 'w1', 'node.json'), 'utf8')) as { nodeId: string }).nodeId;
    await shoal('m1', 'network', 'create', '--attachable', '--subnet', '10.231.0.0/24', net);
    // w1's plugin makes the Docker network of every attachable Shoal network (its reconcile round, 1 s here).
    await waitForAsync(async () => (await docker.listNetworks()).some((n) => n.Name === net && n.Driver === driver), 20_000, `Docker network ${net} made by w1`);
  });
  after(async () => {
    for (const c of await docker.listContainers({ all: true })) {
      if (c.Names.some((n) => n.includes(tag))) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    }
    // The Shoal network first (else w1 makes its Docker network again), then the Docker network while
    // the plugin still answers: dockerd retries a plugin that does not answer for about 15 s per call.
    await shoal('m1', 'network', 'rm', net).catch(() => undefined);
    for (const n of await docker.listNetworks()) if (n.Name.includes(tag)) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    await Promise.all(['m1', 'w1'].map((n) => shoal(n, 'stop').catch(() => undefined)));
    for (const n of ['m1', 'w1']) killStoredTasks(join(dir, n));
    rmSync(socket, { force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  // Proves `docker run --network NAME` gets a Shoal-allocated address, recorded as a standalone
  // container (Docker name, node, Docker ID) in `container ls` and `network inspect`; that `--ip`
  // is honoured and a taken one refused naming its holder; and that `docker rm` frees the address.
  test('docker run gets a Shoal address; --ip; docker rm frees it', async () => {
    const web = dname('web');
    await dockerCli('run', '-d', '--name', web, '--network', net, TEST_IMAGE, 'sleep', '300');
    const ip = await addressOf(web);
    assert.match(ip, /^10\.231\.0\.\d+$/);
    let rows: ContainerRow[] = [];
    await waitForAsync(async () => (rows = await containers()).some((c) => c.name === web && c.state === 'running'), 15_000, `${web} recorded`);
    const row = rows.find((c) => c.name === web)!;
    assert.ok(JSON.stringify(row.addresses).includes(`${ip}/24`), JSON.stringify(row));
    assert.ok(w1Id.startsWith(row.node) || row.node === w1Id, `recorded on w1 (${row.node})`);
    const inspect = JSON.parse(await shoal('m1', 'container', 'inspect', web)) as { labels: Record<string, string> }[];
    const dockerId = (await docker.getContainer(web).inspect()).Id;
    assert.equal(inspect[0]?.labels['shoal.docker.container-id'], dockerId);
    const endpoints = (JSON.parse(await shoal('m1', 'network', 'inspect', net)) as { endpoints: { ownerName: string; address: string }[] }[])[0]!.endpoints;
    assert.deepEqual(endpoints.map((e) => [e.ownerName, e.address]), [[web, `${ip}/24`]]);

    const pinned = dname('pinned');
    await dockerCli('run', '-d', '--name', pinned, '--network', net, '--ip', '10.231.0.77', TEST_IMAGE, 'sleep', '300');
    assert.equal(await addressOf(pinned), '10.231.0.77');
    await waitForAsync(async () => (await containers()).some((c) => c.name === pinned), 15_000, `${pinned} recorded`);
    const refused = await dockerCli('run', '-d', '--name', dname('dup'), '--network', net, '--ip', '10.231.0.77', TEST_IMAGE, 'sleep', '300').then(
      () => '',
      (e: Error & { stderr?: string }) => e.stderr ?? e.message,
    );
    assert.match(refused, new RegExp(`address 10\\.231\\.0\\.77 on network "${net}" is already taken by container ${pinned}`));
    await dockerCli('network', 'disconnect', net, pinned);
    await waitForAsync(async () => (await held()) === 1, 10_000, '`docker network disconnect` frees the pinned address');
    await dockerCli('rm', '-f', web, pinned, dname('dup'));
    await waitForAsync(async () => (await held()) === 0 && (await containers()).length === 0, 10_000, 'both addresses freed');
  });

  // Proves the one permission the plugin added: a worker's certificate may remove container records
  // of its own node only (w1's plugin removed its own above); another node's is refused.
  test("a worker's certificate may not remove another node's container", async () => {
    await shoal('m1', 'run', '-d', '--name', dname('m1c'), '--', 'sleep', '60');
    const m1c = (await containers()).find((c) => c.name === dname('m1c'));
    assert.ok(m1c);
    const config = JSON.parse(readFileSync(join(dir, 'w1', 'node.json'), 'utf8')) as { clusterId: string };
    const w1Credentials = nodeSecurity(join(dir, 'w1'), config.clusterId).channelCredentials();
    const asW1 = new GrpcShoalPort(w1Id, () => managerAddr, () => w1Credentials);
    try {
      await assert.rejects(asW1.remove(m1c.id), (e: Error) => /may act only on containers of its own node/.test(e.message));
    } finally {
      asW1.close();
    }
    await shoal('m1', 'container', 'rm', dname('m1c'));
  });

  // Proves docker-compose with an external Shoal network: both services' containers get Shoal
  // addresses and are listed by `container ls`; `docker-compose down` frees both.
  test('docker-compose with an external Shoal network', { skip: COMPOSE ? false : 'docker-compose is not installed (Debian: docker-compose; .ci/run installs it)' }, async () => {
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(
      file,
      [
        'version: "3.7"',
        'services:',
        ...['a', 'b'].flatMap((s) => [`  ${s}:`, `    image: ${TEST_IMAGE}`, '    command: ["sleep", "300"]', `    networks: [${net}]`]),
        'networks:',
        `  ${net}:`,
        '    external: true',
        '',
      ].join('\n'),
    );
    const compose = (...args: string[]): Promise<unknown> => run(COMPOSE!, ['-f', file, '-p', tag, ...args], { timeout: 60_000, cwd: dir });
    await compose('up', '-d');
    const names = [`${tag}_a_1`, `${tag}_b_1`];
    let rows: ContainerRow[] = [];
    await waitForAsync(async () => (rows = await containers()).filter((c) => names.includes(c.name) && c.state === 'running').length === 2, 15_000, 'both compose containers recorded');
    for (const n of names) assert.ok(JSON.stringify(rows.find((c) => c.name === n)?.addresses).includes(`${await addressOf(n)}/24`));
    assert.equal(await held(), 2);
    await compose('down');
    await waitForAsync(async () => (await held()) === 0 && (await containers()).length === 0, 10_000, 'both addresses freed by down');
  });

  // Proves nothing leaks and nothing doubles across a kill -9 of the node daemon: while it is down,
  // dockerd removes one container and its release never reaches Shoal (a stand-in on the socket
  // answers every call with an error, as a broken plugin would, so dockerd does not wait on retries);
  // after `shoal start` the reconcile against Docker's list frees that address, and the container
  // that kept running keeps its address and record; Docker's view then equals Shoal's and
  // `shoal network check` passes.
  test('kill -9 of the node daemon: reconcile frees what Docker no longer has, keeps what runs', async () => {
    const keep = dname('keep');
    const gone = dname('gone');
    for (const n of [keep, gone]) await dockerCli('run', '-d', '--name', n, '--network', net, TEST_IMAGE, 'sleep', '300');
    await waitForAsync(async () => (await containers()).filter((c) => c.state === 'running').length === 2, 15_000, 'both recorded');
    const keepIp = await addressOf(keep);
    const pid = Number(readFileSync(join(dir, 'w1', 'shoal.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), 5_000, 'w1 gone');
    const standIn = await brokenPlugin(socket);
    try {
      await dockerCli('rm', '-f', gone);
    } finally {
      await new Promise<void>((r) => standIn.close(() => r()));
      if (existsSync(socket)) unlinkSync(socket);
    }
    assert.equal(await held(), 2, 'the release was lost while the plugin was down');
    await shoal('w1', 'start');
    await waitForAsync(async () => (await held()) === 1, 20_000, "the lost container's address freed");
    const rows = await containers();
    assert.deepEqual(rows.map((c) => c.name), [keep]);
    assert.ok(JSON.stringify(rows[0]?.addresses).includes(`${keepIp}/24`));
    assert.equal(await addressOf(keep), keepIp, 'Docker agrees');
    assert.deepEqual([...(await dockerView(docker, net))], [[keep, keepIp]], "Docker's view of the network is Shoal's");
    await shoal('m1', 'network', 'check', net); // exits non-zero on any problem or stale reservation
    await dockerCli('rm', '-f', keep);
    await waitForAsync(async () => (await held()) === 0, 10_000, 'freed by docker rm after the restart');
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A plugin that answers every call with an error (dockerd logs it and goes on). */
async function brokenPlugin(socket: string): Promise<Server> {
  if (existsSync(socket)) unlinkSync(socket);
  const s = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ Err: 'plugin down', Error: 'plugin down' }));
    });
  });
  await new Promise<void>((r) => s.listen(socket, () => r()));
  return s;
}

