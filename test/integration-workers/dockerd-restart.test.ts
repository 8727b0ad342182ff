/**
 * Nothing leaks, nothing doubles across dockerd restarts (issue #13): CLI-started m1 and w1 on
 * loopback, and a dockerd of this test's own (test/helpers/own-dockerd.ts) that w1 uses as its
 * engine and serves the plugin to, so the test may restart it with live-restore off and on and
 * start it while the plugin's socket is down, without touching the machine's shared dockerd.
 * After each step it waits until Shoal and Docker agree: the running containers on the network,
 * by name and address, are exactly Shoal's container records and held addresses, and
 * `shoal network check` passes.
 * The plugin-down case waits out dockerd's own retries of a missing plugin (about 15 s per network
 * and per endpoint), so it runs only with SHOAL_TEST_DOCKERD_SLOW=1.
 * Skipped (with the reason) only when dockerd or the test image is missing or not root.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { CliNodes } from '../helpers/cli-nodes.js';
import { TEST_IMAGE } from '../helpers/docker.js';
import { dockerView, OwnDockerd, ownDockerdSkip, sameView, shoalViewOf } from '../helpers/own-dockerd.js';
import type { Api } from '../../bin/client.js';
import { getNetwork } from '../../bin/commands/network-api.js';
import { waitForAsync } from '../helpers/wait-async.js';

const skip = ownDockerdSkip();
const slow = process.env['SHOAL_TEST_DOCKERD_SLOW'] === '1';

describe('dockerd restarts: Shoal and Docker agree afterwards (own dockerd)', { skip, timeout: 300_000 }, () => {
  const tag = `r${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const driver = `shoal-${tag}`;
  const socket = `/run/docker/plugins/${driver}.sock`;
  const net = `front-${tag}`;
  const dockerd = new OwnDockerd(tag);
  const envOf = (node: string): NodeJS.ProcessEnv =>
    node === 'w1'
      ? { ...process.env, SHOAL_DOCKER_HOST: dockerd.host, SHOAL_DOCKER_PLUGIN_SOCKET: socket, SHOAL_DOCKER_PLUGIN_RECONCILE_MS: '1000' }
      : { ...process.env, SHOAL_DOCKER_HOST: 'none', SHOAL_DOCKER_PLUGIN_SOCKET: 'none' };
  const nodes = new CliNodes('dockerd-restart', ['m1', 'w1'], envOf);
  const shoal = (node: string, ...args: string[]): Promise<string> => nodes.shoal(node, ...args);
  const dockerRun = async (name: string, ...opts: string[]): Promise<void> => {
    const c = await dockerd.client.createContainer({
      name, Image: TEST_IMAGE, Cmd: ['sleep', '600'], StopTimeout: 1,
      HostConfig: { NetworkMode: net, RestartPolicy: { Name: opts.includes('always') ? 'always' : 'no' } },
    });
    await c.start();
  };

  let api: Api | undefined;
  const held = async (): Promise<number> => (await getNetwork(api!, net)).endpoints.length;
  /** Waits until Shoal and Docker agree (see the file's comment); returns Docker's view. */
  const agree = async (what: string, expectRunning: number): Promise<Map<string, string>> => {
    let last = '';
    await waitForAsync(
      async () => {
        const docker = await dockerView(dockerd.client, net);
        const shoalView = await shoalViewOf(api!, net);
        last = `docker ${JSON.stringify([...docker])} shoal ${JSON.stringify(shoalView)}`;
        return docker.size === expectRunning && sameView(docker, shoalView.endpoints) && shoalView.consistent;
      },
      40_000,
      `${what}: Shoal and Docker agree`,
      250,
    ).catch((e: Error) => assert.fail(`${e.message}; last seen: ${last}`));
    // What a user runs, once: `shoal network check` exits 0.
    await shoal('m1', 'network', 'check', net);
    return dockerView(dockerd.client, net);
  };
  const endpointOf = async (name: string): Promise<string> => (await dockerd.client.getContainer(name).inspect()).NetworkSettings.Networks[net]?.EndpointID ?? '';
  const recordIdOf = async (name: string): Promise<string> => (await getNetwork(api!, net)).endpoints.find((e) => e.ownerName === name)?.ownerId ?? '';

  before(async () => {
    await dockerd.start({ liveRestore: false });
    await dockerd.ensureImage();
    ({ api } = await nodes.managerAndWorker({ attachable: [{ name: net, subnet: '10.232.0.0/24' }] }));
    await waitForAsync(async () => (await dockerd.client.listNetworks()).some((n) => n.Name === net && n.Driver === driver), 20_000, `Docker network ${net} made by w1`);
  });
  after(async () => {
    await dockerd.destroy().catch(() => undefined);
    await shoal('m1', 'network', 'rm', net).catch(() => undefined);
    await nodes.cleanup();
    rmSync(socket, { force: true });
  });

  // Proves a dockerd restart without live-restore: dockerd's stop releases every endpoint through
  // the plugin, so no record and no address outlives its container; the `--restart always`
  // container comes back with a new endpoint and is recorded once, with the address Docker shows;
  // the one without a restart policy stays exited and holds nothing.
  test('restart with live-restore off', async () => {
    await dockerRun(`${tag}-always`, 'always');
    await dockerRun(`${tag}-once`);
    await agree('two containers running', 2);
    const before = await endpointOf(`${tag}-always`);
    await dockerd.restart({ liveRestore: false });
    const view = await agree('after the restart', 1);
    assert.deepEqual([...view.keys()], [`${tag}-always`]);
    assert.notEqual(await endpointOf(`${tag}-always`), before, 'a new endpoint (Docker made the network connection again)');
    await dockerd.client.getContainer(`${tag}-once`).remove({ force: true });
  });

  // Proves a dockerd restart with live-restore on: only Activate reaches the plugin, the container
  // keeps running with the same endpoint and address, and Shoal keeps the same record (same ID).
  test('restart with live-restore on', async () => {
    await dockerd.restart({ liveRestore: true });
    const first = await agree('live-restore dockerd started', 1);
    const endpoint = await endpointOf(`${tag}-always`);
    const record = await recordIdOf(`${tag}-always`);
    assert.ok(record);
    await dockerd.restart({ liveRestore: true });
    assert.deepEqual([...(await agree('after the live-restore restart', 1))], [...first], 'the same address');
    assert.equal(await endpointOf(`${tag}-always`), endpoint, 'the same endpoint');
    assert.equal(await recordIdOf(`${tag}-always`), record, 'the same Shoal record');
  });

  // Proves the plugin down while dockerd starts: w1's node daemon is stopped (its socket gone),
  // dockerd restarts without live-restore and cannot reach the plugin for the `--restart always`
  // container, so that container's old endpoint is never released to Shoal; once w1 is back, the
  // reconcile against Docker's list frees what no running container holds, and Docker's view and
  // Shoal's agree again. A container started afterwards gets an address that nothing else holds.
  test('plugin socket down while dockerd starts', { skip: slow ? false : 'waits out dockerd retries of a missing plugin (~1 min); set SHOAL_TEST_DOCKERD_SLOW=1' }, async () => {
    await dockerd.restart({ liveRestore: false });
    // Self-contained when run alone (--test-name-pattern): the restart-always container of the first test.
    if (!(await dockerd.client.getContainer(`${tag}-always`).inspect().then(() => true, () => false))) await dockerRun(`${tag}-always`, 'always');
    await agree('dockerd without live-restore', 1);
    const pid = nodes.pidOf('w1');
    process.kill(pid, 'SIGKILL');
    while (existsSync(`/proc/${pid}`)) await new Promise((r) => setTimeout(r, 50));
    rmSync(socket, { force: true });
    await dockerd.stop();
    await dockerd.start({ liveRestore: false, timeoutMs: 240_000 });
    assert.equal(await held(), 1, 'the release was lost while the plugin was down');
    await shoal('w1', 'start');
    await dockerd.client.getContainer(`${tag}-always`).start().catch(() => undefined);
    await agree('after the plugin came back', 1);
    await dockerRun(`${tag}-late`);
    await agree('a container started afterwards', 2);
  });
});
