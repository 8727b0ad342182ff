// Docker ↔ Shoal across hosts (issue #13): two test hosts from the namespace harness, a Shoal
// daemon in each; host 2 also runs a dockerd of this test's own inside its network namespace
// (test/helpers/own-dockerd.ts), which host 2's node daemon serves the plugin to. A `docker run
// --network front` container on host 2 and a Shoal service task on host 1 reach each other over
// VXLAN by address and by name: the task reaches the container by its Docker name (Shoal's
// resolver), the container reaches the task by `tasks.web` (Docker's embedded DNS forwarding to
// Shoal's resolver at the gateway, given with --dns). `docker rm` frees the address and
// `network check` passes.
// Skips where not root, iproute2/nftables are missing, or dockerd / busybox-static are missing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { missingCapability, sh } from './netns.js';
import type { Host } from './hosts.js';
import { ownDockerdSkip } from '../helpers/own-dockerd.js';
import { DockerTwoHosts } from '../helpers/docker-two-hosts.js';
import { TEST_IMAGE } from '../helpers/docker.js';
import { waitForAsync } from '../helpers/wait-async.js';
import type { Api } from '../../bin/client.js';
import { checkNetworks, getNetwork } from '../../bin/commands/network-api.js';

const skip = (await missingCapability()) ?? ownDockerdSkip();
const PORT = 7000;
const tag = `x${process.pid.toString(36)}`;
const hosts = new DockerTwoHosts('dkx', tag);
const env = hosts.env;
let h1: Host;
let api: Api | undefined;

const docker = (...args: string[]): Promise<string> => hosts.docker(...args);

/** An HTTP GET from inside a namespace (bash's /dev/tcp, resolved by glibc there); the body, or '' on failure. */
async function getFrom(ns: string, host: string): Promise<string> {
  const script = `exec 3<>/dev/tcp/${host}/${PORT} && printf 'GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n' >&3 && timeout 3 cat <&3`;
  const out = await sh('ip', ['netns', 'exec', ns, 'timeout', '5', 'bash', '-c', script]).catch(() => '');
  return out.split('\r\n\r\n').slice(1).join('').trim();
}

before(async () => {
  if (skip) return;
  await hosts.start();
  ({ h1, api } = hosts);
});

after(async () => {
  if (skip) return;
  await hosts.destroy();
});

test('docker run on host 2 and a Shoal task on host 1 reach each other by address and by name', { skip, timeout: 240_000 }, async () => {
  await env.ok(h1, 'network', 'create', '--attachable', '--subnet', '10.242.7.0/24', 'front');
  await waitForAsync(async () => (await docker('network', 'ls', '--format', '{{.Name}} {{.Driver}}')).includes(`front ${hosts.driver}`), 30_000, 'host 2 makes the Docker network front');
  const server = `require('http').createServer((q, s) => s.end('shoal-task')).listen(${PORT}, '0.0.0.0', () => console.log('ready'))`;
  await env.ok(h1, 'service', 'create', '--name', 'web', '--constraint', 'node.hostname==host1', '--network', 'front', '--', process.execPath, '-e', server);
  const gateway = (await getNetwork(api!, 'front')).network!.gateway;
  await docker('run', '-d', '--name', 'dk', '--network', 'front', '--dns', gateway, TEST_IMAGE, 'sh', '-c', `mkdir -p /www && echo docker-pong > /www/index.html && exec busybox httpd -f -p ${PORT} -h /www`);
  const dkIp = (await docker('inspect', '-f', '{{(index .NetworkSettings.Networks "front").IPAddress}}', 'dk')).trim();
  assert.match(dkIp, /^10\.242\.7\.\d+$/, 'a Shoal address');

  let taskNs = '';
  let taskIp = '';
  await waitForAsync(
    async () => {
      const eps = (await getNetwork(api!, 'front')).endpoints;
      const task = eps.find((e) => e.kind === 'ENDPOINT_KIND_TASK');
      const dk = eps.find((e) => e.ownerName === 'dk');
      if (!task || !dk) return false;
      assert.equal(dk.address, `${dkIp}/24`, 'Shoal records the address Docker shows');
      taskNs = `${env.tag(h1)}t-${task.ownerId}`;
      taskIp = task.address.split('/')[0]!;
      return true;
    },
    60_000,
    'the task and the Docker container on front',
  );

  // Host 1's task → host 2's container: by address, then by its Docker name.
  await waitForAsync(async () => (await getFrom(taskNs, dkIp)) === 'docker-pong', 30_000, 'the task reaches the container by address');
  await waitForAsync(async () => (await getFrom(taskNs, 'dk')) === 'docker-pong', 30_000, 'the task reaches the container by its Docker name');
  // Host 2's container → host 1's task: by address, then by name.
  await waitForAsync(async () => (await getFrom(taskNs, '127.0.0.1')) === 'shoal-task', 30_000, 'the task serves');
  // busybox nc, not wget: Debian's static busybox wget crashes (SIGSEGV) in this image.
  const get = async (target: string): Promise<string> =>
    (await docker('exec', 'dk', 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${target} ${PORT}`)).split('\r\n\r\n').slice(1).join('').trim();
  await waitForAsync(async () => (await get(taskIp)) === 'shoal-task', 30_000, 'the container reaches the task by address');
  await waitForAsync(async () => (await get('tasks.web')) === 'shoal-task', 30_000, 'the container reaches the task by name (tasks.web)');

  await docker('rm', '-f', 'dk');
  await waitForAsync(
    async () => {
      const eps = (await getNetwork(api!, 'front')).endpoints;
      const check = (await checkNetworks(api!, 'front')).networks;
      return !eps.some((e) => e.ownerName === 'dk') && check.every((c) => c.problems.length === 0 && c.unclaimed.length === 0);
    },
    20_000,
    '`docker rm` frees the address; network check passes',
  );
  await env.ok(h1, 'service', 'rm', 'web');
});
