/**
 * Services from images (issue #13, part 2) with real daemons started by the CLI on loopback and
 * the machine's real Docker Engine: m1 (manager, runs tasks) and w1 have the engine; w2 is
 * started with SHOAL_DOCKER_HOST pointing at a socket that does not exist, so it reports none.
 * The tests share the cluster and run in order. Every container the nodes create carries the
 * label shoal.root=<node dir under this test's temp dir>; `after` removes them all, also after a
 * failure. Skipped (with the reason) only when no Docker Engine answers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { freePort } from '../helpers/in-process-cluster.js';
import { killStoredTasks } from '../helpers/task-cleanup.js';
import { containersUnder, dockerForTests, removeContainersUnder, TEST_IMAGE, TEST_IMAGE_2 } from '../helpers/docker.js';
import { TASK_LABEL } from '../../src/worker/docker-executor.js';
import { waitForAsync } from '../helpers/wait-async.js';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');
const engine = await dockerForTests();
const skip = 'skip' in engine ? engine.skip : false;

interface TaskRow {
  id: string;
  node: string;
  desiredState: string;
  state: string;
  message: string;
}

/** A task that ends on SIGTERM within about a second (busybox sh runs the trap between sleeps). */
const SERVICE_CMD = ['sh', '-c', 'echo "hello from $SHOAL_TASK_ID"; trap "exit 0" TERM; while true; do sleep 1; done'];

describe('services from images (real daemons, real Docker)', { skip }, () => {
  const docker = 'docker' in engine ? engine.docker : (null as unknown as Docker);
  const dir = mkdtempSync(join(tmpdir(), 'shoal-images-'));
  const nodes = ['m1', 'w1', 'w2'];
  const noEngine = { ...process.env, SHOAL_DOCKER_HOST: `unix://${join(dir, 'no-such-docker.sock')}` };
  const shoal = async (node: string, ...args: string[]): Promise<string> =>
    (await run(process.execPath, [CLI, '--data-dir', join(dir, node), ...args], { timeout: 30_000, env: node === 'w2' ? noEngine : process.env })).stdout;
  const ps = async (service: string): Promise<TaskRow[]> => JSON.parse(await shoal('m1', 'service', 'ps', service, '--format', 'json')) as TaskRow[];
  const running = (rows: TaskRow[]): TaskRow[] => rows.filter((t) => t.desiredState === 'running' && t.state === 'running');
  const runningContainers = async (): Promise<Docker.ContainerInfo[]> => (await containersUnder(docker, dir)).filter((c) => c.State === 'running');

  let managerAddr = '';
  before(async () => {
    const port = await freePort();
    managerAddr = `127.0.0.1:${port}`;
    // Heartbeat 5 s and a 15 s session-loss grace: a killed daemon's node is marked down after 15 s, time enough
    // to restart it before its tasks move (with the 1 s default grace they would move at once).
    await shoal('m1', 'init', '--listen-addr', `127.0.0.1:${port}`, '--hostname', 'm1', '--dispatcher-heartbeat', '5s', '--dispatcher-session-grace', '15s');
    const token = (await shoal('m1', 'join-token', 'worker', '-q')).trim();
    for (const w of ['w1', 'w2']) await shoal(w, 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', w, `127.0.0.1:${port}`);
  });
  after(async () => {
    await Promise.all(nodes.map((n) => shoal(n, 'stop').catch(() => undefined)));
    for (const n of nodes) killStoredTasks(join(dir, n));
    await removeContainersUnder(docker, dir);
    rmSync(dir, { recursive: true, force: true });
  });

  // Proves an image service runs its replicas as containers only on nodes with an engine, that
  // `service ps` shows them running and `service logs` shows their output.
  test('three image replicas run on the nodes with Docker; logs are visible', async () => {
    await shoal('m1', 'service', 'create', '--name', 'img', '--replicas', '3', '--image', TEST_IMAGE, '--', ...SERVICE_CMD);
    const rows = running(await ps('img'));
    assert.equal(rows.length, 3);
    assert.ok(rows.every((t) => t.node === 'm1' || t.node === 'w1'), `placed on ${rows.map((t) => t.node).join(', ')}: w2 has no engine`);
    const containers = await runningContainers();
    assert.deepEqual(containers.map((c) => c.Labels[TASK_LABEL]).sort(), rows.map((t) => t.id).sort(), 'one running container per task');
    assert.ok(containers.every((c) => c.Image === TEST_IMAGE && c.HostConfig.NetworkMode === 'none'));
    // A worker's own certificate may not read services (mutual TLS): w1's CLI asks the manager with an admin client certificate.
    const tlsDir = join(dir, 'admin-tls');
    await shoal('m1', 'ca', 'client-cert', '--out', tlsDir);
    await waitForAsync(async () => {
      const logs = (await shoal('m1', 'service', 'logs', 'img')) + (await shoal('w1', '-H', managerAddr, '--tls-dir', tlsDir, 'service', 'logs', 'img'));
      return rows.every((t) => logs.includes(`hello from ${t.id}`));
    }, 10_000, 'every replica\'s greeting in `service logs`');
  });

  // Proves an agent restart (kill -9 of the node daemon, then start) re-adopts running containers:
  // same container IDs, same start times, same tasks — nothing restarted or doubled.
  test('kill -9 of a node daemon: its containers are re-adopted, not restarted', async () => {
    const node = running(await ps('img')).some((t) => t.node === 'w1') ? 'w1' : 'm1';
    const before = (await runningContainers()).filter((c) => (c.Labels['shoal.root'] ?? '').startsWith(join(dir, node)));
    assert.ok(before.length > 0);
    const startedAt = async (id: string): Promise<string> => (await docker.getContainer(id).inspect()).State.StartedAt;
    const started = await Promise.all(before.map((c) => startedAt(c.Id)));
    const pid = Number(readFileSync(join(dir, node, 'shoal.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await shoal(node, 'start');
    await waitForAsync(async () => {
      const nodes = JSON.parse(await shoal('m1', 'node', 'ls', '--format', 'json')) as { hostname: string; status: string }[];
      return nodes.find((n) => n.hostname === node)?.status === 'ready';
    }, 15_000, `${node} ready again`);
    await new Promise((r) => setTimeout(r, 1_500)); // a few status rounds: a wrongly failed adoption would show by now
    const rows = running(await ps('img'));
    assert.equal(rows.length, 3);
    const afterRestart = await runningContainers();
    for (const [i, c] of before.entries()) {
      const state = JSON.stringify((await docker.getContainer(c.Id).inspect().catch(() => null))?.State);
      assert.ok(afterRestart.some((a) => a.Id === c.Id), `container ${c.Id.slice(0, 12)} still runs: ${state}; tasks ${JSON.stringify(await ps('img'))}`);
      assert.equal(await startedAt(c.Id), started[i], 'not restarted');
    }
    assert.equal(afterRestart.length, 3, 'no extra container');
  });

  // Proves a rolling update to another tag replaces every container with one of the new image.
  test('rolling update to another image tag', async () => {
    await shoal('m1', 'service', 'update', '--image', TEST_IMAGE_2, '--update-parallelism', '3', 'img');
    await waitForAsync(async () => {
      const cs = await runningContainers();
      return cs.length === 3 && cs.every((c) => c.Image === TEST_IMAGE_2) && running(await ps('img')).length === 3;
    }, 30_000, 'three running containers of the new tag');
  });

  // Proves `--pull never` with an image the engine lacks fails the task with Docker's own message.
  test('--pull never with a missing image: the task fails with Docker\'s message', async () => {
    await shoal('m1', 'service', 'create', '--name', 'nope', '--image', 'shoal-test/no-such-image:1', '--pull', 'never', '--restart-condition', 'none', '-d', '--', 'sh');
    let rows: TaskRow[] = [];
    await waitForAsync(async () => (rows = await ps('nope')).some((t) => t.state === 'failed'), 15_000, 'the task to fail');
    assert.match(rows.find((t) => t.state === 'failed')?.message ?? '', /No such image: shoal-test\/no-such-image:1/);
    await shoal('m1', 'service', 'rm', 'nope');
  });

  // Proves an image task is not placed on a node without an engine, and `service ps` says why.
  test('only a node without Docker is eligible: the task stays pending and says so', async () => {
    await shoal('m1', 'service', 'create', '--name', 'there', '--image', TEST_IMAGE, '--constraint', 'node.hostname==w2', '-d', '--', ...SERVICE_CMD);
    let rows: TaskRow[] = [];
    await waitForAsync(async () => (rows = await ps('there')).some((t) => t.message.includes('node.platform.engine==docker')), 10_000, 'a pending message naming the engine');
    assert.ok(rows.every((t) => t.state === 'pending' && t.node === ''), JSON.stringify(rows));
    await shoal('m1', 'service', 'rm', 'there');
    // (Process tasks on an engine-less node: test/scheduler/engine.test.ts and every process-task suite.)
  });

  // Proves `shoal run --image` runs a standalone container from an image on this node (its output
  // followed to the end, exit status passed on, container removed), and that on a node without an
  // engine it fails saying so.
  test('shoal run --image: here with Docker; refused by a node without', async () => {
    const out = await shoal('w1', 'run', '--name', 'once', '--image', TEST_IMAGE, '--', 'sh', '-c', 'echo "standalone $SHOAL_TASK_ID"');
    assert.match(out, /standalone \S+/);
    await assert.rejects(shoal('w1', 'run', '--name', 'three', '--image', TEST_IMAGE, '--', 'sh', '-c', 'exit 3'), (e: { code?: number }) => e.code === 3);
    const c = JSON.parse(await shoal('m1', 'container', 'inspect', 'once')) as { image?: string }[] | { image?: string };
    assert.equal((Array.isArray(c) ? c[0] : c)?.image, TEST_IMAGE);
    await assert.rejects(shoal('w2', 'run', '--name', 'nowhere', '--image', TEST_IMAGE, '--', 'true'), (e: { code?: number }) => e.code === 125);
    const nowhere = JSON.parse(await shoal('m1', 'container', 'ls', '--format', 'json')) as { name: string; state: string }[];
    assert.equal(nowhere.find((x) => x.name === 'nowhere')?.state, 'exited');
    for (const name of ['once', 'three', 'nowhere']) await shoal('m1', 'container', 'rm', name);
  });

  // Proves `service rm` stops and removes the service's containers.
  test('service rm removes the containers', async () => {
    await shoal('m1', 'service', 'rm', 'img');
    await waitForAsync(async () => (await containersUnder(docker, dir)).length === 0, 20_000, 'every container removed');
  });
});

