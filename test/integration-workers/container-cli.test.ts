import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/in-process-cluster.js';
import { AgentStore } from '../../src/worker/agent-store.js';
import { killStoredTasks } from '../helpers/task-cleanup.js';
import { isAlive } from '../../src/worker/process-executor.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function shoalIn(dir: string): (node: string, ...args: string[]) => Promise<Result> {
  return (node, ...args) =>
    new Promise((resolve) => {
      execFile(process.execPath, [CLI, '--data-dir', join(dir, node), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
}

// The compose-style half of the migration path, through the real CLI and daemons: a standalone
// container on a worker that has nothing on the network yet, sharing an attachable network with a
// service; refusal on a non-attachable network; rm frees the address.
describe('standalone containers through the CLI (real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-containers-'));
  const shoal = shoalIn(dir);
  after(async () => {
    await Promise.all(['m1', 'w1'].map((n) => shoal(n, 'stop')));
    for (const n of ['m1', 'w1']) killStoredTasks(join(dir, n));
    rmSync(dir, { recursive: true, force: true });
  });

  test('container run on an attachable network, beside a service; refused on a non-attachable one', async () => {
    const port = await freePort();
    assert.equal((await shoal('m1', 'init', '--listen-addr', `127.0.0.1:${port}`, '--hostname', 'm1', '--dispatcher-heartbeat', '500ms')).code, 0);
    const token = (await shoal('m1', 'join-token', 'worker', '-q')).stdout.trim();
    const joined = await shoal('w1', 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', 'w1', `127.0.0.1:${port}`);
    assert.equal(joined.code, 0, joined.stderr);
    assert.equal((await shoal('m1', 'network', 'create', '--attachable', 'shared')).code, 0);
    assert.equal((await shoal('m1', 'network', 'create', 'private')).code, 0);
    const svc = await shoal('m1', 'service', 'create', '--name', 'api', '--replicas', '2', '--constraint', 'node.hostname==m1', '--network', 'shared', '--', '/bin/sh', '-c', 'exec sleep 60');
    assert.equal(svc.code, 0, svc.stderr);

    // On the worker, which has no endpoint on "shared" yet: the name resolves through the managers.
    const networksOn = async (node: string): Promise<string[]> =>
      (JSON.parse((await shoal(node, 'info', '--format', 'json')).stdout) as { networks: { name: string }[] }).networks.map((n) => n.name);
    assert.deepEqual(await networksOn('w1'), [], 'the worker has no network before its first endpoint');
    assert.deepEqual(await networksOn('m1'), ['shared'], 'the manager runs the service tasks on "shared"');

    // Without -H: a worker holds no cluster state, so the CLI asks a manager the worker knows.
    const fg = await shoal('w1', 'run', '--name', 'once', '--network', 'shared', '--', '/bin/sh', '-c', 'echo "addr=$SHOAL_ADDR_SHARED"; exit 7');
    assert.equal(fg.code, 7, `exit code of the container (stderr: ${fg.stderr})`);
    assert.match(fg.stdout, /^addr=10\.0\.0\.\d+\/24$/m);

    const refused = await shoal('w1', '-H', `127.0.0.1:${port}`, 'container', 'run', '--network', 'private', '--', '/bin/true');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^Error: network "private" is not attachable; create it with --attachable$/m);

    const logs = await shoal('w1', 'container', 'logs', 'once');
    assert.equal(logs.stdout, fg.stdout);
    const bg = await shoal('w1', '-H', `127.0.0.1:${port}`, 'container', 'run', '-d', '--name', 'db', '--network', 'shared', '--', '/bin/sh', '-c', 'exec sleep 60');
    assert.equal(bg.code, 0, bg.stderr);
    const inspect = JSON.parse((await shoal('m1', 'network', 'inspect', 'shared')).stdout) as { endpoints: { kind: string; ownerName: string; address: string }[] }[];
    const endpoints = inspect[0]!.endpoints;
    assert.equal(endpoints.filter((e) => e.kind === 'task').length, 2);
    assert.ok(endpoints.some((e) => e.kind === 'container' && e.ownerName === 'db'));
    assert.equal(new Set(endpoints.map((e) => e.address)).size, endpoints.length, 'a container and the tasks never share an address');

    assert.deepEqual(await networksOn('w1'), ['shared'], 'the network is present on the worker while it has an endpoint there');
    const dbAddr = endpoints.find((e) => e.ownerName === 'db')!.address;
    assert.equal((await shoal('m1', 'container', 'rm', 'db', 'once')).code, 0);
    assert.deepEqual(await networksOn('w1'), [], 'and gone with its last endpoint');
    const after = JSON.parse((await shoal('m1', 'network', 'inspect', 'shared')).stdout) as { endpoints: { address: string }[] }[];
    assert.ok(!after[0]!.endpoints.some((e) => e.address === dbAddr), 'rm freed the address');
    assert.equal((await shoal('m1', 'service', 'rm', 'api')).code, 0);

    // Leaving stops the node's containers with it and forgets its state.
    assert.equal((await shoal('w1', 'container', 'run', '-d', '--name', 'lingers', '--network', 'shared', '--', '/bin/sh', '-c', 'exec sleep 60')).code, 0);
    const store = new AgentStore(join(dir, 'w1', 'agent.db'));
    const pid = store.all().find((a) => a.state === 'running')?.pid ?? 0;
    store.close();
    assert.ok(pid > 0 && isAlive(pid));
    const left = await shoal('w1', 'leave');
    assert.equal(left.code, 0, left.stderr);
    assert.equal(isAlive(pid), false, 'the container stopped when its node left');
    assert.equal(existsSync(join(dir, 'w1', 'node.json')), false);
  });
});
