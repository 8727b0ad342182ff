import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../helpers/in-process-cluster.js';
import { CliNodes } from '../helpers/cli-nodes.js';
import { runningTaskPids } from '../helpers/agent-pids.js';
import { isAlive } from '../../src/process-info.js';
import { LEADERSHIP_GRACE_MIN_MS } from '../../src/manager/leadership-grace.js';
import { waitForAsync } from '../helpers/wait-async.js';

/**
 * How long the lone manager stays dead. SHOAL_LEADER_RESTART_OUTAGE_MS sets a longer one (30000 shows
 * the agents' capped gRPC reconnect backoff at work: with grpc-js's default, 1 s × 1.6 per failed
 * attempt up to 120 s, the live worker was not back within the grace and lost its task).
 */
const OUTAGE_MS = Number(process.env['SHOAL_LEADER_RESTART_OUTAGE_MS'] ?? '') || 5_000;
/** Bound on any convergence this test waits for (generous for a loaded 2-core machine). */
const CONVERGE_TIMEOUT_MS = 30_000;

interface NodeRecord {
  id: string;
  hostname: string;
  status: string;
}

// Real daemons started by the CLI: one manager (drained, 500 ms heartbeats) and two workers running a
// service. The manager is killed with SIGKILL, and so is w2's daemon while the manager is down; then the
// manager starts again and leads with no session at all. Nodes are marked down by the manager's
// dispatcher, which logs each one (node-marked-down) with the time.
describe('a lone manager killed and restarted', () => {
  const cluster = new CliNodes('lrg', ['m1', 'w1', 'w2']);
  const ok = (node: string, ...args: string[]): Promise<string> => cluster.shoal(node, ...args);
  const json = async <T>(node: string, ...args: string[]): Promise<T> => JSON.parse(await ok(node, ...args, '--format', 'json')) as T;
  const pidOf = (node: string): number => cluster.pidOf(node);
  const logLines = (node: string): string[] => readFileSync(join(cluster.dataDir(node), 'shoal.log'), 'utf8').split('\n');
  const timeOf = (line: string): number => Date.parse(line.split(' ')[0] ?? '');
  const pidsOn = (w: string): Map<string, number> => runningTaskPids(cluster.dataDir(w));

  after(() => cluster.cleanup());

  // Proves: a manager that starts leading again gives the nodes it has no session with a fair chance
  // to reconnect (at least LEADERSHIP_GRACE_MIN_MS, though 6 heartbeat periods are only 3 s here): the
  // live worker reconnects and keeps its task and process, and is never marked down; the worker that
  // was killed meanwhile is marked down once, after that grace, and its task is replaced on w1.
  test('the live worker keeps its task; the worker killed during the outage is marked down after the grace', async (t) => {
    const t0 = Date.now();
    const mark = (what: string): void => t.diagnostic(`${what} at ${Date.now() - t0} ms`);
    const addr1 = `127.0.0.1:${await freePort()}`;
    await ok('m1', 'init', '--listen-addr', addr1, '--hostname', 'm1', '--dispatcher-heartbeat', '500ms');
    const token = (await ok('m1', 'join-token', 'worker', '-q')).trim();
    await Promise.all(['w1', 'w2'].map(async (w) => ok(w, 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', w, addr1)));
    await ok('m1', 'node', 'update', '--availability', 'drain', 'm1');
    await ok('m1', 'service', 'create', '--detach', '--name', 'web', '--replicas', '2', '--', '/bin/sh', '-c', 'exec sleep 300');
    await waitForAsync(async () => Promise.resolve(pidsOn('w1').size === 1 && pidsOn('w2').size === 1), CONVERGE_TIMEOUT_MS, 'one task running on each worker');
    const w1Before = pidsOn('w1');
    const idOf = async (host: string): Promise<string> => (await json<NodeRecord[]>('m1', 'node', 'ls')).find((n) => n.hostname === host)!.id;
    const [w1Id, w2Id] = [await idOf('w1'), await idOf('w2')];
    mark('service running');

    process.kill(pidOf('m1'), 'SIGKILL');
    process.kill(pidOf('w2'), 'SIGKILL');
    await waitForAsync(async () => Promise.resolve(!isAlive(pidOf('m1')) && !isAlive(pidOf('w2'))), 5_000, 'm1 and w2 to die');
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await ok('m1', 'start');
    mark('m1 started again');

    // w2 is marked down (its task moves to w1); w1 is ready and keeps its task.
    await waitForAsync(async () => {
      const ls = await json<NodeRecord[]>('m1', 'node', 'ls');
      return ls.find((n) => n.id === w2Id)?.status === 'down' && ls.find((n) => n.id === w1Id)?.status === 'ready';
    }, CONVERGE_TIMEOUT_MS + LEADERSHIP_GRACE_MIN_MS, 'w2 down and w1 ready');
    await waitForAsync(async () => Promise.resolve(pidsOn('w1').size === 2), CONVERGE_TIMEOUT_MS, "w2's task replaced on w1");
    mark('w2 down, its task on w1');
    const w1After = pidsOn('w1');
    for (const [id, pid] of w1Before) assert.equal(w1After.get(id), pid, `w1's task ${id} kept its process`);
    const tasks = await json<{ id: string; node: string; state: string }[]>('m1', 'service', 'ps', 'web');
    assert.ok(tasks.some((x) => w1Before.has(x.id) && x.node === 'w1' && x.state === 'running'), `w1's task is still the service's: ${JSON.stringify(tasks)}`);

    const lines = logLines('m1');
    const leading = lines.filter((l) => l.includes('dispatcher-leading')).at(-1) ?? '';
    const downs = lines.filter((l) => l.includes('node-marked-down') && timeOf(l) >= timeOf(leading));
    assert.equal(downs.length, 1, `one node marked down since m1 leads again:\n${downs.join('\n')}`);
    assert.ok(downs[0]!.includes(w2Id), `only w2 was marked down: ${downs[0]}`);
    assert.match(downs[0]!, /no heartbeat for \d+ s/);
    // Event-loop stalls of the manager are credited to the grace, so it can only come later.
    const afterMs = timeOf(downs[0]!) - timeOf(leading);
    assert.ok(afterMs >= LEADERSHIP_GRACE_MIN_MS - 50, `w2 marked down ${afterMs} ms after m1 started leading: before the grace`);
    const reconnect = logLines('w1').filter((l) => l.includes('agent-session-opened') && timeOf(l) >= timeOf(leading))[0] ?? '';
    t.diagnostic(`w1 reconnected ${timeOf(reconnect) - timeOf(leading)} ms after m1 started leading; w2 marked down after ${afterMs} ms`);
  });
});
