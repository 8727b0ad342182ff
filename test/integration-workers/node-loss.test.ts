import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Api } from '../../bin/client.js';
import { ServiceApi } from '../../bin/service-api.js';
import { freePort } from '../helpers/in-process-cluster.js';
import { killStoredTasks } from '../helpers/task-cleanup.js';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');
const REPLICAS = 6;

/**
 * Heartbeats every 2 s: missed heartbeats mark a node down 4–6 s after it went silent, while a
 * broken session stream does after the 1 s grace (the default). The gap makes the path that
 * marked a killed worker down certain, and its status message says which one it was.
 */
const HEARTBEAT = '2s';

// Real daemons started by the CLI: a drained manager and three workers; one worker is killed -9,
// another frozen with SIGSTOP. Counts the manager's node-marked-down log lines: exactly the two lost.
describe('losing worker daemons (real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-node-loss-'));
  const nodes = ['m1', 'w1', 'w2', 'w3'];
  const shoal = async (node: string, ...args: string[]): Promise<string> => (await run(process.execPath, [CLI, '--data-dir', join(dir, node), ...args], { timeout: 30_000 })).stdout;
  const pidOf = (node: string): number => Number(readFileSync(join(dir, node, 'shoal.pid'), 'utf8').split('\n')[0]);
  let api: Api | null = null;
  let frozen = 0;
  after(async () => {
    api?.close();
    if (frozen) process.kill(frozen, 'SIGCONT');
    await Promise.all(nodes.map((n) => shoal(n, 'stop').catch(() => undefined)));
    for (const n of nodes) killStoredTasks(join(dir, n));
    rmSync(dir, { recursive: true, force: true });
  });

  // Proves a worker whose process is killed is marked down by its broken session stream (after the
  // grace, not after missed heartbeats) and its tasks run elsewhere; a frozen worker, whose
  // connection stays open, is marked down by missed heartbeats; no other node is marked down.
  test('a killed worker is down after the grace, a frozen one after missed heartbeats', async () => {
    const port = await freePort();
    await shoal('m1', 'init', '--listen-addr', `127.0.0.1:${port}`, '--hostname', 'm1', '--dispatcher-heartbeat', HEARTBEAT);
    await shoal('m1', 'node', 'update', '--availability', 'drain', 'm1');
    const token = (await shoal('m1', 'join-token', 'worker', '-q')).trim();
    for (const w of ['w1', 'w2', 'w3']) await shoal(w, 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', w, `127.0.0.1:${port}`);
    api = new Api(`unix://${join(dir, 'm1', 'shoal.sock')}`);
    const svc = new ServiceApi(api);
    const node = async (hostname: string): Promise<{ id: string; status: string; statusMessage: string }> => {
      const n = (await api!.listNodes()).nodes.find((x) => x.hostname === hostname);
      assert.ok(n, `node ${hostname} is listed`);
      return n;
    };
    const running = async (): Promise<{ nodeId: string }[]> =>
      (await svc.listTasks({})).tasks.filter((t) => t.desiredState === 'TASK_STATE_RUNNING' && t.status?.state === 'TASK_STATE_RUNNING');
    await svc.createService({ spec: { name: 'web', replicas: REPLICAS, taskTemplate: { command: '/bin/sh', args: ['-c', 'exec sleep 300'] } } });
    await until(async () => (await running()).length === REPLICAS, 30_000, 'the replicas to run');

    // Kill -9: the worker's kernel closes its connection, the manager sees the stream break.
    const w1 = await node('w1');
    assert.ok((await running()).some((t) => t.nodeId === w1.id), 'w1 runs some of the replicas');
    const killedAt = Date.now();
    process.kill(pidOf('w1'), 'SIGKILL');
    await until(async () => (await node('w1')).status === 'NODE_STATUS_DOWN', 20_000, 'w1 to be marked down');
    const downMs = Date.now() - killedAt;
    assert.match((await node('w1')).statusMessage, /session stream broke/, 'marked down by the broken stream, not by missed heartbeats');
    // Grace 1 s plus a loaded machine's delays; missed heartbeats alone would take ≥ 4 s and say so above.
    assert.ok(downMs < 10_000, `w1 marked down after ${downMs} ms`);
    await until(async () => {
      const r = await running();
      return r.length === REPLICAS && r.every((t) => t.nodeId !== w1.id);
    }, 20_000, "w1's replicas to run elsewhere");

    // SIGSTOP: the connection stays open, only the heartbeats stop.
    const w2 = await node('w2');
    assert.ok((await running()).some((t) => t.nodeId === w2.id), 'w2 runs some of the replicas');
    frozen = pidOf('w2');
    process.kill(frozen, 'SIGSTOP');
    await until(async () => (await node('w2')).status === 'NODE_STATUS_DOWN', 30_000, 'w2 to be marked down');
    assert.match((await node('w2')).statusMessage, /no heartbeat/);
    await until(async () => {
      const r = await running();
      return r.length === REPLICAS && r.every((t) => t.nodeId !== w1.id && t.nodeId !== w2.id);
    }, 20_000, "w2's replicas to run elsewhere");

    // It resumes: a new session, ready again.
    process.kill(frozen, 'SIGCONT');
    frozen = 0;
    await until(async () => (await node('w2')).status === 'NODE_STATUS_READY', 20_000, 'w2 to be ready again');
    const w3 = await node('w3');
    const m1 = await node('m1');
    assert.equal(w3.status, 'NODE_STATUS_READY');
    const downLines = readFileSync(join(dir, 'm1', 'shoal.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('node-marked-down'));
    assert.equal(downLines.length, 2, `exactly w1 and w2 were marked down:\n${downLines.join('\n')}`);
    assert.ok(downLines.some((l) => l.includes(w1.id)) && downLines.some((l) => l.includes(w2.id)));
    assert.ok(downLines.every((l) => !l.includes(w3.id) && !l.includes(m1.id)));
  });
});

async function until(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
