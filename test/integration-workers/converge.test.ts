import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listNodes } from '../../src/manager/store/queries.js';
import { containerById, describedAttachmentsOfOwner } from '../../src/manager/store/network-queries.js';
import { waitFor } from '../helpers/in-process-cluster.js';
import { isAlive } from '../../src/worker/process-executor.js';
import { WorkerCluster } from './harness.js';

// One manager (drained) and three in-process worker agents, heartbeat 500 ms.
describe('workers: placement, lifecycle and failover', () => {
  let c: WorkerCluster;
  before(async () => {
    c = await WorkerCluster.start(3, 500);
  });
  after(async () => {
    await c.close();
  });

  // Proves the session marks workers ready and the dispatcher records what they report.
  test('every worker is ready after its session opens', async () => {
    await waitFor(() => listNodes(c.manager.store.db).filter((n) => n.role === 'worker' && n.status === 'ready').length === 3, 5_000, 'three ready workers');
    const w = listNodes(c.manager.store.db).find((n) => n.hostname === 'w1');
    assert.ok(w && w.resources.nanoCpus > 0, 'the worker reported its CPUs');
  });

  // Proves 30 replicas spread 10/10/10 (±1) over three workers, each runs as a real process
  // with its own address on the service's network, and scale down/up and rm converge.
  test('30 replicas converge evenly with distinct addresses; scale and rm clean up', async () => {
    const net = await c.createNetwork('front');
    await c.createService('web', 30, '/bin/sh', ['-c', 'echo "$SHOAL_ADDR_FRONT $GREETING"; exec sleep 60'], [net]);
    await c.waitRunning('web', 30, 30_000);
    const perNode = new Map<string, number>();
    for (const t of c.running('web')) perNode.set(t.nodeId, (perNode.get(t.nodeId) ?? 0) + 1);
    assert.equal(perNode.size, 3, 'tasks on all three workers');
    for (const [node, n] of perNode) assert.ok(n >= 9 && n <= 11, `node ${node} runs ${n} tasks`);
    const addrs = c.running('web').map((t) => describedAttachmentsOfOwner(c.manager.store.db, 'task', t.id));
    assert.ok(addrs.every((a) => a.length === 1 && a[0]?.nodeId !== ''), 'one attachment per task, on its node');
    assert.equal(new Set(addrs.map((a) => a[0]?.address)).size, 30, 'distinct addresses');
    // The process got its address in the environment.
    const t0 = c.running('web')[0]!;
    const w = c.workers.find((x) => x.nodeId === t0.nodeId)!;
    await waitFor(() => readLog(w.dir, t0.id).includes('hello'), 5_000, 'the task to log');
    const a0 = describedAttachmentsOfOwner(c.manager.store.db, 'task', t0.id)[0]!;
    assert.equal(readLog(w.dir, t0.id).trim(), `${a0.address} hello`);

    await c.manager.write({ op: 'service.scale', at: Date.now(), id: t0.serviceId, version: 0, taskIdSeed: 'scale-down-seed-0001', replicas: 6 });
    await c.waitRunning('web', 6);
    await waitFor(() => c.workers.reduce((n, x) => n + x.agent.assignedTaskIds().length, 0) === 6, 10_000, 'agents to forget the removed tasks');
    await c.manager.write({ op: 'service.scale', at: Date.now(), id: t0.serviceId, version: 0, taskIdSeed: 'scale-up-seed-00002', replicas: 9 });
    await c.waitRunning('web', 9);

    await c.manager.write({ op: 'service.remove', at: Date.now(), id: t0.serviceId });
    await waitFor(() => c.workers.every((x) => x.agent.assignedTaskIds().length === 0), 10_000, 'every agent to drop the service tasks');
    const held = c.manager.store.db.prepare("SELECT COUNT(*) AS n FROM attachments WHERE owner_kind = 'task'").get() as { n: number };
    assert.equal(held.n, 0, 'service rm frees every task address');
  });

  // Proves the restart policy: a task whose command exits non-zero is replaced in its
  // slot, and the slot's history shows the failed attempts.
  test('a failing task is restarted by policy and history shows it', async () => {
    await c.createService('flaky', 1, '/bin/sh', ['-c', 'exit 3']);
    await waitFor(() => c.tasks('flaky').filter((t) => t.status.state === 'failed').length >= 2, 15_000, 'two failed attempts');
    const failed = c.tasks('flaky').filter((t) => t.status.state === 'failed');
    assert.ok(failed.every((t) => t.slot === 1), 'every attempt is in slot 1');
    assert.ok(failed.every((t) => t.status.exitCode === 3 && t.status.message === 'exit status 3'));
    assert.ok(failed.some((t) => t.desiredState === 'shutdown'), 'replaced attempts are desired shutdown');
    assert.ok(failed[0]!.history.some((h) => h.state === 'running' || h.state === 'starting'), 'history records the run');
    assert.ok(c.tasks('flaky').length <= 7, 'dead tasks of a slot are reaped');
    await c.manager.write({ op: 'service.remove', at: Date.now(), id: failed[0]!.serviceId });
  });

  // Proves a global service runs one task on every eligible node, including a node that joins later.
  test('a global service follows the nodes', async () => {
    await c.createService('agentd', 0, '/bin/sh', ['-c', 'exec sleep 60'], [], 'any', 'global');
    await c.waitRunning('agentd', 3);
    assert.equal(new Set(c.running('agentd').map((t) => t.nodeId)).size, 3, 'one task per worker');
    const w4 = await c.addWorker('w4');
    await c.waitRunning('agentd', 4);
    assert.ok(c.running('agentd').some((t) => t.nodeId === w4.nodeId), 'the new node got a task');
    await c.manager.write({ op: 'service.remove', at: Date.now(), id: c.running('agentd')[0]!.serviceId });
    await waitFor(() => w4.agent.assignedTaskIds().length === 0, 10_000, 'the global tasks to stop');
  });

  // Proves draining a node moves its tasks to the other nodes and the drained node stops them.
  test('drain moves tasks away', async () => {
    await c.createService('batch', 4, '/bin/sh', ['-c', 'exec sleep 60']);
    await c.waitRunning('batch', 4);
    const w = c.workers.find((x) => c.running('batch').some((t) => t.nodeId === x.nodeId))!;
    await c.manager.write({ op: 'node.update', at: Date.now(), id: w.nodeId, version: 0, availability: 'drain' });
    await waitFor(() => c.running('batch').length === 4 && c.running('batch').every((t) => t.nodeId !== w.nodeId), 10_000, 'tasks to leave the drained node');
    await waitFor(() => c.tasks('batch').filter((t) => t.nodeId === w.nodeId).every((t) => t.status.state === 'shutdown'), 10_000, 'the drained node to stop its tasks');
    await c.manager.write({ op: 'node.update', at: Date.now(), id: w.nodeId, version: 0, availability: 'active' });
    await c.manager.write({ op: 'service.remove', at: Date.now(), id: c.running('batch')[0]!.serviceId });
  });

  // Proves a standalone container (AttachNetwork + CreateContainer for a node) is run by that
  // node's agent with its address, its state follows the run, and removing it stops it.
  test('a standalone container runs on its node', async () => {
    const w = c.workers[1]!;
    const db = c.manager.store.db;
    await c.manager.write({ op: 'network.create', at: Date.now(), id: 'netattach0000000000000001', name: 'shared', driver: 'overlay', attachable: true, labels: {} });
    const cid = 'ctr0000000000000000000001';
    const a = (await c.manager.write({ op: 'attachment.attach', at: Date.now(), network: 'shared', ownerKind: 'container', ownerId: cid, nodeId: w.nodeId })) as { id: string; address: string };
    await c.manager.write({ op: 'container.create', at: Date.now(), id: cid, name: 'legacy', nodeId: w.nodeId, command: '/bin/sh', args: ['-c', 'echo "$SHOAL_ADDR_SHARED"; exec sleep 60'], env: [], labels: {}, attachmentIds: [a.id] });
    await waitFor(() => containerById(db, cid)?.state === 'running', 10_000, 'the container to run');
    await waitFor(() => readLog(w.dir, cid).trim() === a.address, 5_000, 'the container to log its address');
    await c.manager.write({ op: 'container.remove', at: Date.now(), id: cid });
    await waitFor(() => w.agent.taskStatus(cid)?.state === 'shutdown', 10_000, 'the agent to stop the removed container');
  });

  // Proves a worker whose agent stops is marked down after about heartbeat × 3 and
  // that its tasks are replaced on the remaining workers.
  test('a dead worker is marked down and its tasks run elsewhere', async () => {
    await c.createService('api', 6, '/bin/sh', ['-c', 'exec sleep 60']);
    await c.waitRunning('api', 6);
    const victim = c.workers[0]!;
    await c.waitRunning('api', 6);
    const onVictim = c.running('api').filter((t) => t.nodeId === victim.nodeId).length;
    assert.ok(onVictim > 0);
    const stoppedAt = Date.now();
    await victim.agent.close();
    await waitFor(() => listNodes(c.manager.store.db).find((n) => n.id === victim.nodeId)?.status === 'down', 5_000, 'the worker to be marked down');
    const tookMs = Date.now() - stoppedAt;
    assert.ok(tookMs >= 1_000, `marked down after ${tookMs} ms (not before ~3 heartbeats)`);
    await waitFor(() => c.running('api').length === 6 && c.running('api').every((t) => t.nodeId !== victim.nodeId), 10_000, 'tasks to move');
    // The agent comes back: it opens a new session, is ready again, and stops its orphaned tasks.
    const pids = c.tasks('api').filter((t) => t.nodeId === victim.nodeId).length;
    assert.ok(pids >= onVictim);
    victim.agent = c.newAgent(victim.dir, victim.nodeId, victim.name);
    await victim.agent.start();
    await waitFor(() => listNodes(c.manager.store.db).find((n) => n.id === victim.nodeId)?.status === 'ready', 5_000, 'the worker to be ready again');
    await waitFor(() => victim.agent.assignedTaskIds().length === 0, 10_000, 'the returning worker to drop its replaced tasks');
    // Dropping a task starts its stop (SIGTERM, then the process exits): wait for the exits, bounded,
    // rather than assume they happened by the time the assignment went (a loaded machine is slower).
    const stillRunning = (): string[] =>
      c.tasks('api').filter((x) => x.nodeId === victim.nodeId).map((t) => ({ id: t.id, st: victim.agent.taskStatus(t.id) }))
        .filter(({ st }) => !(st === null || st.pid === undefined || !isAlive(st.pid))).map(({ id }) => id);
    await waitFor(() => stillRunning().length === 0, 10_000, 'the replaced tasks to stop running on the returning worker').catch(() => {
      assert.fail(`tasks ${stillRunning().join(', ')} still run on the returning worker`);
    });
  });
});

function readLog(dir: string, taskId: string): string {
  try {
    return readFileSync(join(dir, 'tasks', taskId, 'output.log'), 'utf8');
  } catch {
    return '';
  }
}
