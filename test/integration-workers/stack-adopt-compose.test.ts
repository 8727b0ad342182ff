/**
 * `shoal stack deploy --adopt` of a docker-compose container (issue #14): CLI-started m1 and w1 on
 * loopback, and a dockerd of the test's own (test/helpers/own-dockerd.ts) as w1's engine, to which
 * w1 serves the Shoal plugin. `docker-compose -p legacy up` (or, without the docker-compose
 * binary, `docker run` with the labels compose sets) starts `legacy_web_1` on the attachable Shoal
 * network; it is recorded by the plugin with compose's service label.
 *
 * Proves:
 * - a refused move (w1 drained, so its plugin could not be relied on to stop the container) exits 1
 *   saying why, creates nothing, and leaves the container running in Docker with its record and
 *   address;
 * - the move: the service's slot-1 task holds the container's attachment row (same ID, same
 *   address) on w1, the other replica another address; Docker stops the container (restart policy
 *   set to "no"), and the endpoint Docker then lets go frees nothing: the address stays the
 *   task's through the plugin's release and a reconcile round after it; nothing is held twice
 *   (`network check`); the names `web` (compose's service) and `legacy_web_1` (the container's)
 *   resolve to the service's task address in the cluster's name table;
 * - how long after the deploy the container stopped and the task ran is printed (diagnostics).
 * Skipped (with the reason) only when dockerd or the offline test image is missing, or not root.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { CLI, CliNodes } from '../helpers/cli-nodes.js';
import { TEST_IMAGE } from '../helpers/docker.js';
import { OwnDockerd, ownDockerdSkip } from '../helpers/own-dockerd.js';
import { waitForAsync } from '../helpers/wait-async.js';
import type { Api } from '../../bin/client.js';
import { ServiceApi } from '../../bin/service-api.js';
import { checkNetworks, getNetwork, listContainers } from '../../bin/commands/network-api.js';
import { formatIpv4 } from '../../src/network/cidr.js';
import { nameRecords } from '../../src/network/dns/feed.js';
import { NameTable } from '../../src/network/dns/name-table.js';
import { feedInputFromStore } from '../../src/manager/names-view.js';
import { listNetworks } from '../../src/manager/store/network-queries.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
const COMPOSE = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((p) => existsSync(p));
const skip = ownDockerdSkip();

describe('stack deploy --adopt of a docker-compose container (own dockerd)', { skip, timeout: 180_000 }, () => {
  const tag = `a${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const driver = `shoal-${tag}`;
  const socket = `/run/docker/plugins/${driver}.sock`;
  const net = `front-${tag}`;
  const legacy = 'legacy_web_1';
  const dockerd = new OwnDockerd(tag);
  const testEnv = { SHOAL_TEST_FRONT: net, SHOAL_TEST_IMAGE: TEST_IMAGE };
  const envOf = (node: string): NodeJS.ProcessEnv =>
    node === 'w1'
      ? { ...process.env, SHOAL_DOCKER_HOST: dockerd.host, SHOAL_DOCKER_PLUGIN_SOCKET: socket, SHOAL_DOCKER_PLUGIN_RECONCILE_MS: '1000' }
      : { ...process.env, ...testEnv, SHOAL_DOCKER_HOST: 'none', SHOAL_DOCKER_PLUGIN_SOCKET: 'none' };
  const nodes = new CliNodes('adopt-compose', ['m1', 'w1'], envOf);
  const dir = nodes.dir;
  const shoal = (node: string, ...args: string[]): Promise<string> => nodes.shoal(node, ...args);
  /** The CLI as a user runs it, keeping the exit code and stderr. */
  const shoalRun = (node: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [CLI, '--data-dir', nodes.dataDir(node), ...args], { timeout: 60_000, env: envOf(node) }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });

  let api: Api | undefined;
  let w1Id = '';
  const record = async (): Promise<{ id: string; state: string; address: string; attachmentId: string; labels: Record<string, string> } | undefined> => {
    const c = (await listContainers(api!)).containers.find((x) => x.name === legacy);
    const a = c?.attachments[0];
    return c && a ? { id: c.id, state: c.state, address: a.address, attachmentId: a.id, labels: c.labels } : undefined;
  };
  const dockerState = async (): Promise<{ running: boolean; ip: string; finishedAt: string; restart: string }> => {
    const i = await dockerd.client.getContainer(legacy).inspect();
    return { running: i.State.Running, ip: i.NetworkSettings.Networks[net]?.IPAddress ?? '', finishedAt: i.State.FinishedAt, restart: i.HostConfig.RestartPolicy?.Name ?? '' };
  };
  const composeFile = join(FIXTURES, 'compose/legacy-web.yml');
  const composeCmd = async (...args: string[]): Promise<void> => {
    await run(COMPOSE!, ['-f', composeFile, '-p', 'legacy', ...args], { timeout: 60_000, cwd: dir, env: { ...process.env, ...testEnv, DOCKER_HOST: dockerd.host } });
  };

  before(async () => {
    await dockerd.start({ liveRestore: false });
    await dockerd.ensureImage();
    ({ api } = await nodes.managerAndWorker({ attachable: [{ name: net, subnet: '10.234.0.0/24' }] }));
    // Tasks run on w1, beside the container (m1 has no engine and takes none).
    await shoal('m1', 'node', 'update', '--availability', 'drain', 'm1');
    w1Id = (await api.listNodes()).nodes.find((n) => n.hostname === 'w1')?.id ?? '';
    await waitForAsync(async () => (await dockerd.client.listNetworks()).some((n) => n.Name === net && n.Driver === driver), 20_000, `Docker network ${net} made by w1`);
    if (COMPOSE) {
      await composeCmd('up', '-d');
    } else {
      // What compose 1.29 does for this file, by hand: its name and labels.
      const c = await dockerd.client.createContainer({
        name: legacy, Image: TEST_IMAGE, Cmd: ['sleep', '600'], StopTimeout: 1,
        Labels: { 'com.docker.compose.project': 'legacy', 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1' },
        HostConfig: { NetworkMode: net, RestartPolicy: { Name: 'no' } },
      });
      await c.start();
    }
    await waitForAsync(async () => (await record())?.state === 'CONTAINER_STATE_RUNNING', 20_000, `${legacy} recorded running by w1's plugin`);
  });
  after(async () => {
    if (COMPOSE) await composeCmd('down').catch(() => undefined);
    await dockerd.destroy().catch(() => undefined);
    await shoal('m1', 'stack', 'rm', 'app').catch(() => undefined);
    await shoal('m1', 'network', 'rm', net).catch(() => undefined);
    await nodes.cleanup();
    rmSync(socket, { force: true });
  });

  // Proves the refusal before any write: with w1 drained the store refuses the move (its plugin is
  // what stops the container), the deploy exits 1 saying so, and record, address and container stay.
  test('a refused move leaves the compose container running with its address', async () => {
    const before = await record();
    assert.equal(before?.labels['com.docker.compose.service'], 'web', 'the plugin copied compose\'s service label');
    await shoal('m1', 'node', 'update', '--availability', 'drain', 'w1');
    try {
      const r = await shoalRun('m1', 'stack', 'deploy', '-c', join(FIXTURES, 'stack/adopt-compose.yml'), '--adopt', 'app');
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`container ${legacy} runs on node \\S+ \\(\\S+\\), which is drained: the adopting task must start on the container's node`));
    } finally {
      await shoal('m1', 'node', 'update', '--availability', 'active', 'w1');
    }
    assert.equal((await new ServiceApi(api!).listServices({})).services.length, 0, 'no service was created');
    assert.deepEqual(await record(), before, 'the record and its address are untouched');
    const d = await dockerState();
    assert.ok(d.running, 'Docker still runs it');
    assert.equal(`${d.ip}/24`, before?.address);
  });

  // Proves the move itself: same attachment row and address for slot 1 on w1, the container stopped
  // for good by w1's plugin, nothing freed by Docker's release or the reconcile, no double holder,
  // both names resolving to the service, and an unchanged redeploy.
  test('the slot-1 task takes over the address and both names; Docker stops the container; nothing is freed', async (t) => {
    const held = (await record())!;
    const deployAt = Date.now();
    const services = new ServiceApi(api!);
    const r = await shoalRun('m1', 'stack', 'deploy', '-c', join(FIXTURES, 'stack/adopt-compose.yml'), '--adopt', 'app');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Creating service app_web (adopting container ${legacy})\n`);
    assert.equal(await record(), undefined, 'the record went with the same command');

    // Docker stops it (the plugin on w1, told by the task's assignment), for good.
    await waitForAsync(async () => !(await dockerState()).running, 20_000, 'Docker to stop the compose container');
    const stopped = await dockerState();
    assert.equal(stopped.restart, 'no', 'its restart policy no longer brings it back');

    const svc = (await services.getService({ ref: 'app_web' })).service!;
    let first: { id: string; nodeId: string; runningAt: number } | undefined;
    await waitForAsync(
      async () => {
        const tasks = (await services.listTasks({ serviceIds: [svc.id] })).tasks.filter((t) => t.status?.state === 'TASK_STATE_RUNNING');
        const t = tasks.find((x) => Number(x.slot) === 1);
        first = t ? { id: t.id, nodeId: t.nodeId, runningAt: Number(t.status?.timestampUnixMs ?? 0) } : undefined;
        return tasks.length === 2 && first !== undefined;
      },
      30_000,
      'both app_web tasks running',
    );
    assert.equal(first!.nodeId, w1Id, 'slot 1 runs on the container node');
    // Timings only (no data plane here, so no gate orders the two: bench:adopt-gap measures the window on the wire).
    t.diagnostic(`deploy -> container stopped ${Date.parse(stopped.finishedAt) - deployAt} ms; deploy -> task running ${first!.runningAt - deployAt} ms`);

    // The endpoint Docker let go (Leave, DeleteEndpoint, ReleaseAddress) and a reconcile round after it free nothing.
    await new Promise((res) => setTimeout(res, 2_500));
    const endpoints = (await getNetwork(api!, net)).endpoints;
    const mine = endpoints.find((e) => e.id === held.attachmentId);
    assert.equal(mine?.ownerId, first!.id, 'the same attachment row, now the slot-1 task\'s');
    assert.equal(mine?.address, held.address, 'with the container\'s address');
    const owners = endpoints.map((e) => `${e.kind}:${e.ownerName || e.ownerId}:${e.address}`);
    assert.deepEqual(endpoints.map((e) => e.kind).sort(), ['ENDPOINT_KIND_TASK', 'ENDPOINT_KIND_TASK', 'ENDPOINT_KIND_VIP'], `one address per task and the VIP, no container left: ${owners.join(' ')}`);
    assert.equal(new Set(endpoints.map((e) => e.address)).size, 3, owners.join(' '));
    const check = (await checkNetworks(api!, net)).networks;
    assert.ok(check.every((c) => c.problems.length === 0 && c.unclaimed.length === 0), JSON.stringify(check));
    await shoal('m1', 'network', 'check', net); // what a user runs: exits 0

    // Names: compose's service name and the container's own name resolve to the task's address.
    const inspect = JSON.parse(await shoal('m1', 'service', 'inspect', 'app_web')) as { networkAliases: string[] }[];
    assert.ok(inspect[0]?.networkAliases.includes(legacy), `aliases: ${inspect[0]?.networkAliases.join(', ')}`);
    const db = new Database(join(dir, 'm1', 'state.db'), { readonly: true, fileMustExist: true });
    try {
      const nets = listNetworks(db);
      const front = nets.find((n) => n.name === net)!;
      const table = new NameTable(nameRecords(feedInputFromStore(db), new Set(nets.map((n) => n.id))));
      const ip = held.address.split('/')[0]!;
      for (const name of ['web', legacy]) {
        const l = table.lookup(name, 'A', [front.id]);
        const got = l.kind === 'addresses' ? l.addresses.map(formatIpv4) : [];
        const vip = svc.virtualIps.find((v) => v.networkId === front.id)?.address.split('/')[0];
        assert.ok(got.includes(ip) || (vip !== undefined && got.includes(vip)), `${name} resolves to the service (task ${ip} or VIP ${vip ?? '-'}), got ${got.join(', ')}`);
      }
    } finally {
      db.close();
    }

    // A redeploy of the same file keeps the name alias: nothing changes.
    const again = await shoalRun('m1', 'stack', 'deploy', '-c', join(FIXTURES, 'stack/adopt-compose.yml'), '--adopt', 'app');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'Service app_web is unchanged\n');
  });
});
