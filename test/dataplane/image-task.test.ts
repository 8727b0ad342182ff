/**
 * Image tasks on the data plane, with the machine's real dockerd and a real data plane in this
 * machine's own namespace (one node; the namespace harness's hosts cannot run dockerd). Proves
 * that an image task's container namespace gets eth0 with its Shoal address, the network's MTU
 * and a default route via the gateway, and a resolv.conf naming the node's resolver (the gateway);
 * that a process task on the same network and node reaches the container over TCP (busybox
 * `nc -l` inside it); that a restarted agent (new executor + new data plane, same tag) re-adopts
 * the container with its interface in place and still reachable; and that when the task ends its
 * namespace name is removed and no Shoal namespace is left.
 * Skips (with the reason) only without root / iproute2 / nftables, or without a Docker Engine.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { missingCapability, sh } from './netns.js';
import { dockerForTests, removeContainersUnder, TEST_IMAGE } from '../helpers/docker.js';
import { waitFor } from '../helpers/in-process-cluster.js';
import { DataPlane, removeDataPlane } from '../../src/network/dataplane/dataplane.js';
import { listNamespaces } from '../../src/network/dataplane/actual.js';
import { endpointsOf, taskNetworkOf } from '../../src/network/dataplane/task-network.js';
import { DockerExecutor } from '../../src/worker/docker-executor.js';
import { ProcessExecutor } from '../../src/worker/process-executor.js';
import type { AttachmentSpec, TaskSpec } from '../../src/worker/executor.js';

const missing = await missingCapability();
const engine = missing === null ? await dockerForTests() : { skip: missing };
const skip = 'skip' in engine ? engine.skip : false;

describe('image tasks on the data plane (real dockerd, real data plane)', { skip, timeout: 60_000 }, () => {
  const docker = 'docker' in engine ? engine.docker : (null as unknown as Docker);
  const dir = mkdtempSync(join(tmpdir(), 'shoal-imgnet-'));
  const root = join(dir, 'tasks');
  // Names are per host: this run's own tag, VXLAN ID, subnet and port keep it apart from others.
  const tag = `shoal-i${process.pid.toString(36)}-`;
  const vni = 4096 + 3000 + (process.pid % 900);
  const third = 100 + (process.pid % 100);
  const attachment: AttachmentSpec = {
    network: 'front', networkId: `imgnet${process.pid}`, address: `10.238.${third}.2/24`, gateway: `10.238.${third}.1`,
    subnet: `10.238.${third}.0/24`, vxlanId: vni, mtu: 1400,
  };
  const clientAttachment: AttachmentSpec = { ...attachment, address: `10.238.${third}.3/24` };
  const planeOf = (): DataPlane => new DataPlane({ tag, port: 47_000 + (process.pid % 900), mtu: 1450, localVtep: '127.0.0.1', resyncMs: 60_000 });
  const planes: DataPlane[] = [];
  const executors: { close(): void }[] = [];
  after(async () => {
    for (const e of executors) e.close();
    for (const p of planes) p.close();
    await removeContainersUnder(docker, root);
    await removeDataPlane(null, tag);
    rmSync(dir, { recursive: true, force: true });
  });

  const server: TaskSpec = {
    id: 'imgsrv1', command: 'sh', args: ['-c', 'while true; do echo pong | nc -l -p 8080; done'], env: {},
    attachments: [attachment], image: TEST_IMAGE, pull: 'never',
  };
  const client = (id: string): TaskSpec => ({
    id, command: process.execPath, env: {}, attachments: [clientAttachment],
    args: ['-e', `const s = require('net').connect(8080, '10.238.${third}.2'); s.setTimeout(5000, () => process.exit(2)); s.on('data', (d) => process.stdout.write(d)); s.on('end', () => process.exit(0)); s.on('error', (e) => { console.error(e.message); process.exit(1); });`],
  });
  /** eth0 inside the container's own namespace (through /proc/PID/ns/net, not the attach name). */
  const eth0 = async (netns: string): Promise<{ addr: string; mtu: number; route: string }> => {
    const link = (JSON.parse(await sh('nsenter', [`--net=${netns}`, 'ip', '-j', 'addr', 'show', 'dev', 'eth0'])) as { mtu: number; addr_info: { family: string; local: string; prefixlen: number }[] }[])[0]!;
    const inet = link.addr_info.find((a) => a.family === 'inet');
    const route = (await sh('nsenter', [`--net=${netns}`, 'ip', 'route', 'show', 'default'])).trim();
    return { addr: inet ? `${inet.local}/${inet.prefixlen}` : '', mtu: link.mtu, route };
  };
  const reach = async (procs: ProcessExecutor, id: string): Promise<string> => {
    const st = await procs.start(client(id));
    assert.equal(st.state, 'running', st.message);
    await waitFor(() => ['complete', 'failed'].includes(procs.status(id)?.state ?? ''), 15_000, `client ${id} ends`);
    const out = readFileSync(procs.logPath(id), 'utf8');
    assert.equal(procs.status(id)?.state, 'complete', `client ${id}: ${procs.status(id)?.message} ${out}`);
    return out;
  };

  test('interfaces, resolver, TCP from a process task, re-adoption, clean removal', async () => {
    const plane = planeOf();
    planes.push(plane);
    plane.start();
    const net = taskNetworkOf(plane);
    const images = new DockerExecutor(docker, root, net);
    const procs = new ProcessExecutor(root, undefined, net);
    executors.push(images, procs);

    const started = await images.start(server);
    assert.equal(started.state, 'running', started.message);
    const netns = images.netnsPath(server.id)!;
    const ns = net.namespaceOf(server.id);
    assert.ok((await listNamespaces(null, tag)).includes(ns), `${ns} names the container's namespace`);
    assert.deepEqual(await eth0(netns), { addr: attachment.address, mtu: 1400, route: `default via ${attachment.gateway} dev eth0` });
    const resolvConf = readFileSync((await docker.getContainer(images.containerId(server.id)!).inspect()).ResolvConfPath, 'utf8');
    assert.match(resolvConf, new RegExp(`^nameserver ${attachment.gateway.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(await reach(procs, 'imgcli1'), /pong/);

    // A restarted agent: the old executor and data plane let go (the container keeps running), new
    // ones adopt it the way agent.start does (data plane first, then the executor, then start()).
    images.close();
    plane.close();
    const plane2 = planeOf();
    planes.push(plane2);
    const net2 = taskNetworkOf(plane2);
    plane2.adopt(server.id, endpointsOf(server.id, server.attachments, true));
    const images2 = new DockerExecutor(docker, root, net2);
    const procs2 = new ProcessExecutor(root, undefined, net2);
    executors.push(images2, procs2);
    images2.adopt(server, started.pid ?? 0);
    plane2.start();
    await waitFor(() => /re-adopted container/.test(images2.status(server.id)?.message ?? ''), 15_000, 'container re-adopted');
    await plane2.sync();
    assert.deepEqual(await eth0(netns), { addr: attachment.address, mtu: 1400, route: `default via ${attachment.gateway} dev eth0` });
    assert.match(await reach(procs2, 'imgcli2'), /pong/);

    const stopped = await images2.stop(server.id, 1_000);
    assert.equal(stopped?.state, 'shutdown', stopped?.message);
    await plane2.sync();
    assert.deepEqual(await listNamespaces(null, tag), [], 'no task namespace name or sandbox left');
  });
});
