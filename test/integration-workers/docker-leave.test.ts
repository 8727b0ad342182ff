/**
 * `shoal leave` removes the Docker networks its node's plugin made: CLI-started m1 and w1 on
 * loopback, w1 with a dockerd of this test's own (test/helpers/own-dockerd.ts) as its engine and
 * plugin client. Of the two Docker networks w1's plugin made, the one whose only container was
 * stopped is removed through Docker's API, and the one a running container still uses is left in
 * place and named with that container; a Docker network of another driver is untouched.
 * Skipped (with the reason) only when dockerd or the test image is missing or not root.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { CliNodes } from '../helpers/cli-nodes.js';
import { TEST_IMAGE } from '../helpers/docker.js';
import { OwnDockerd, ownDockerdSkip } from '../helpers/own-dockerd.js';
import { waitForAsync } from '../helpers/wait-async.js';
import { serveLeftNodePlugin } from '../../src/worker/docker-plugin/leave.js';

const skip = ownDockerdSkip();

describe('shoal leave and the Docker networks its plugin made (own dockerd)', { skip, timeout: 180_000 }, () => {
  const tag = `l${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const driver = `shoal-${tag}`;
  const socket = `/run/docker/plugins/${driver}.sock`;
  const [idle, busy] = [`idle-${tag}`, `busy-${tag}`];
  const dockerd = new OwnDockerd(tag);
  const envOf = (node: string): NodeJS.ProcessEnv =>
    node === 'w1'
      ? { ...process.env, SHOAL_DOCKER_HOST: dockerd.host, SHOAL_DOCKER_PLUGIN_SOCKET: socket, SHOAL_DOCKER_PLUGIN_RECONCILE_MS: '1000' }
      : { ...process.env, SHOAL_DOCKER_HOST: 'none', SHOAL_DOCKER_PLUGIN_SOCKET: 'none' };
  const nodes = new CliNodes('docker-leave', ['m1', 'w1'], envOf);
  const shoal = (node: string, ...args: string[]): Promise<string> => nodes.shoal(node, ...args);
  const dockerRun = async (name: string, network: string): Promise<void> => {
    const c = await dockerd.client.createContainer({ name, Image: TEST_IMAGE, Cmd: ['sleep', '600'], StopTimeout: 1, HostConfig: { NetworkMode: network } });
    await c.start();
  };
  const networkNames = async (): Promise<string[]> => (await dockerd.client.listNetworks()).map((n) => n.Name).sort();

  before(async () => {
    await dockerd.start({ liveRestore: false });
    await dockerd.ensureImage();
    await nodes.managerAndWorker({ attachable: [{ name: idle, subnet: '10.233.0.0/24' }, { name: busy, subnet: '10.233.1.0/24' }] });
    await waitForAsync(async () => (await dockerd.client.listNetworks()).filter((n) => n.Driver === driver).length === 2, 30_000, 'both Docker networks made by w1');
  });
  after(async () => {
    // The kept network's container is removed through a plugin that answers (the left node's):
    // without one, dockerd waits out its retries of a missing plugin for each endpoint.
    const plugin = await serveLeftNodePlugin(nodes.dataDir('w1'), 'w1', { socketPath: socket, driver, dockerSocket: dockerd.socket }, dockerd.client).catch(() => null);
    await dockerd.destroy().catch(() => undefined);
    await plugin?.close();
    await nodes.cleanup();
    rmSync(socket, { force: true });
  });

  // Proves the leave path: a network whose container was stopped (no active endpoint) goes; one
  // that a running container uses stays, and leave names it with that container; Docker's own
  // networks (none, host) stay. Before the fix both networks outlived the node.
  test('leave removes the unused networks and names the ones containers still use', async () => {
    await dockerRun(`${tag}-stopped`, idle);
    await dockerRun(`${tag}-running`, busy);
    await dockerd.client.getContainer(`${tag}-stopped`).stop({ t: 1 });
    const before = await networkNames();
    assert.ok(before.includes(idle) && before.includes(busy), `both made: ${before.join(' ')}`);

    const out = await shoal('w1', 'leave');
    assert.match(out, new RegExp(`Removed Docker network\\(s\\) made by Shoal: ${idle}\\.`));
    assert.match(out, new RegExp(`Left Docker network ${busy} in place: used by ${tag}-running\\.`));

    const afterLeave = await networkNames();
    assert.deepEqual(afterLeave, before.filter((n) => n !== idle), 'only the unused network was removed');
    assert.equal((await dockerd.client.getContainer(`${tag}-running`).inspect()).State.Running, true, 'the container that uses the kept network still runs');
  });
});
