import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../helpers/in-process-cluster.js';
import { killStoredTasks } from '../helpers/task-cleanup.js';
import { AgentStore } from '../../src/worker/agent-store.js';
import { isAlive } from '../../src/process-info.js';
import { waitForAsync } from '../helpers/wait-async.js';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');

interface TaskRow {
  node: string;
  desiredState: string;
  state: string;
  addresses: { network: string; ip: string }[];
}

// Real daemons started by the CLI: one manager (which also runs tasks) and two workers.
describe('workers through the CLI (real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-workers-'));
  const nodes = ['m1', 'w1', 'w2'];
  const shoal = async (node: string, ...args: string[]): Promise<string> => (await run(process.execPath, [CLI, '--data-dir', join(dir, node), ...args], { timeout: 30_000 })).stdout;
  after(async () => {
    await Promise.all(nodes.map((n) => shoal(n, 'stop').catch(() => undefined)));
    for (const n of nodes) killStoredTasks(join(dir, n));
    rmSync(dir, { recursive: true, force: true });
  });

  // Proves init/join start a manager-with-agent and worker daemons, a service converges over all three
  // with addresses shown by `service ps`, a stopped worker is marked down and its tasks move, and rm cleans up.
  test('join workers, run a service, lose a worker, remove the service', async () => {
    const port = await freePort();
    await shoal('m1', 'init', '--listen-addr', `127.0.0.1:${port}`, '--hostname', 'm1', '--dispatcher-heartbeat', '500ms');
    const token = (await shoal('m1', 'join-token', 'worker', '-q')).trim();
    for (const w of ['w1', 'w2']) {
      const out = await shoal(w, 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', w, `127.0.0.1:${port}`);
      assert.match(out, /joined a cluster as a worker/);
    }
    await shoal('m1', 'network', 'create', 'front');
    await shoal('m1', 'service', 'create', '--name', 'web', '--replicas', '6', '--network', 'front', '--', '/bin/sh', '-c', 'exec sleep 60');
    const ps = async (): Promise<TaskRow[]> => JSON.parse(await shoal('m1', 'service', 'ps', 'web', '--format', 'json')) as TaskRow[];
    const running = (rows: TaskRow[]): TaskRow[] => rows.filter((t) => t.desiredState === 'running' && t.state === 'running');
    const first = running(await ps());
    assert.equal(first.length, 6);
    assert.deepEqual([...new Set(first.map((t) => t.node))].sort(), ['m1', 'w1', 'w2']);
    assert.equal(new Set(first.map((t) => t.addresses[0]?.ip)).size, 6, 'distinct addresses');

    // kill -9 the worker's daemon: its task processes live on (their own process groups), but the
    // node stops heartbeating, is marked down after 3 periods, and its tasks are placed elsewhere.
    const w1Pid = Number(readFileSync(join(dir, 'w1', 'shoal.pid'), 'utf8').split('\n')[0]);
    const orphans = new AgentStore(join(dir, 'w1', 'agent.db'));
    const orphanPids = orphans.all().filter((a) => a.state === 'running').map((a) => a.pid);
    orphans.close();
    assert.ok(orphanPids.length > 0);
    const killedAt = Date.now();
    process.kill(w1Pid, 'SIGKILL');
    let rows: TaskRow[] = [];
    // Each poll is a CLI run, which takes seconds on a loaded machine, so the time the moved tasks
    // were first seen overstates the move. What a poll proves is that they had NOT moved yet when
    // it started: the last such start is the bound's witness.
    let lastMissAt = killedAt;
    await waitForAsync(async () => {
      const pollAt = Date.now();
      rows = await ps();
      const moved = running(rows).length === 6 && running(rows).every((t) => t.node !== 'w1');
      if (!moved) lastMissAt = pollAt;
      return moved;
    }, 30_000, 'the tasks of w1 to run elsewhere');
    // heartbeat 0.5 s × 3 + 5 s, the bound
    assert.ok(lastMissAt - killedAt <= 0.5 * 3 * 1000 + 5_000, `tasks had not run elsewhere yet ${lastMissAt - killedAt} ms after the kill`);
    const ls = JSON.parse(await shoal('m1', 'node', 'ls', '--format', 'json')) as { hostname: string; status: string }[];
    assert.equal(ls.find((n) => n.hostname === 'w1')?.status, 'down');

    // It comes back: ready again, its orphaned task processes stopped, no duplicate tasks.
    await shoal('w1', 'start');
    await waitForAsync(async () => {
      const nodes = JSON.parse(await shoal('m1', 'node', 'ls', '--format', 'json')) as { hostname: string; status: string }[];
      return nodes.find((n) => n.hostname === 'w1')?.status === 'ready' && orphanPids.every((p) => !isAlive(p));
    }, 15_000, 'w1 to be ready with its orphaned tasks stopped');
    const after = running(await ps());
    assert.equal(after.length, 6, 'still exactly 6 running tasks');
    assert.equal(new Set(after.map((t) => t.addresses[0]?.ip)).size, 6);

    await shoal('m1', 'service', 'rm', 'web');
    await shoal('m1', 'network', 'rm', 'front'); // refused while any task holds an address on it
  });
});

