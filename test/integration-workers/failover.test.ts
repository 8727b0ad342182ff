import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { joinCluster, nodeSecurity } from '../../src/manager/daemon.js';
import { tokenDigest } from '../../src/manager/store/apply.js';
import { silentLogger } from '../../src/manager/logger.js';
import { getCluster, listNodes } from '../../src/manager/store/queries.js';
import { deriveJoinToken } from '../../src/manager/tokens.js';
import { Agent } from '../../src/worker/agent.js';
import { freePort, startCluster, waitFor, type TestCluster } from '../helpers/in-process-cluster.js';
import { killTasksUnder } from './harness.js';
import { isAlive } from '../../src/process-info.js';

// Three in-process managers and one in-process worker agent.
describe('agent sessions across managers', () => {
  let c: TestCluster;
  let agent: Agent;
  let nodeId = '';
  let dir = '';
  let closed: unknown = null;
  before(async () => {
    c = await startCluster(3);
  });
  after(async () => {
    await agent.close();
    killTasksUnder({ dir });
    await c.close();
  });

  // Proves a follower refuses the session naming the leader, and the agent follows the hint there.
  test('an agent pointed at a follower ends up with a session on the leader', async () => {
    const leader = c.leader();
    const follower = c.followers()[0]!;
    const cl = getCluster(leader.store.db);
    dir = join(c.dir, 'w1');
    const { config } = await joinCluster(
      { dataDir: dir, token: deriveJoinToken(tokenDigest(leader.store.db, cl.id), cl.tokenKey, 'worker', cl.workerTokenGen), managerAddr: leader.config.advertiseAddr, listenAddr: `127.0.0.1:${await freePort()}`, hostname: 'w1' },
    );
    nodeId = config.nodeId;
    agent = new Agent({ dataDir: dir, nodeId, hostname: 'w1', managers: [follower.config.advertiseAddr], security: nodeSecurity(dir, cl.id), log: silentLogger, stopGraceMs: 500 });
    await agent.start();
    await waitFor(() => agent.state === 'connected', 10_000, 'a session');
    assert.equal(agent.connectedTo, leader.config.advertiseAddr);
    await waitFor(() => listNodes(leader.store.db).find((n) => n.id === nodeId)?.status === 'ready', 5_000, 'the worker to be ready');
  });

  // Proves failover: when the leader goes away the agent opens a session with the new leader,
  // and the worker's tasks keep running through it — the same processes, not restarted.
  test('the agent fails over to the new leader; its tasks keep running', async () => {
    const old = c.leader();
    await old.write({
      op: 'service.create',
      at: Date.now(),
      id: 'svcfailover00000000000001',
      taskIdSeed: 'failover-seed-0123456789',
      spec: {
        name: 'sleepy',
        labels: {},
        mode: 'replicated',
        replicas: 2,
        template: { command: '/bin/sh', args: ['-c', 'exec sleep 60'], env: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
        networks: [],
        placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
        updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
        stack: '',
      },
    });
    await waitFor(() => agent.assignedTaskIds().filter((id) => agent.taskStatus(id)?.state === 'running').length === 2, 10_000, 'two tasks running on the worker');
    const pidsBefore = agent.assignedTaskIds().map((id) => [id, agent.taskStatus(id)?.pid ?? 0] as const);
    closed = old;
    await old.close();
    await waitFor(() => c.managers.some((m) => m !== old && m.shell.isLeader), 10_000, 'a new leader');
    const leader = c.managers.find((m) => m !== old && m.shell.isLeader)!;
    await waitFor(() => agent.state === 'connected' && agent.connectedTo === leader.config.advertiseAddr, 15_000, 'a session on the new leader');
    // The new leader gives the node a grace period: it never goes down across the failover.
    assert.equal(listNodes(leader.store.db).find((n) => n.id === nodeId)?.status, 'ready');
    await new Promise((r) => setTimeout(r, 1_000));
    for (const [id, pid] of pidsBefore) {
      assert.equal(agent.taskStatus(id)?.state, 'running', `task ${id} still running`);
      assert.equal(agent.taskStatus(id)?.pid, pid, `task ${id} is the same process`);
      assert.ok(pid > 0 && isAlive(pid));
    }
  });

  // Proves a removed node is told so (PERMISSION_DENIED) and its agent stops and forgets its tasks.
  test('a removed node stops its agent', async () => {
    const leader = c.managers.find((m) => m !== closed && m.shell.isLeader)!;
    const ids = agent.assignedTaskIds();
    await leader.write({ op: 'node.remove', at: Date.now(), id: nodeId });
    await waitFor(() => agent.state === 'removed', 15_000, 'the agent to learn it was removed');
    await waitFor(() => agent.assignedTaskIds().length === 0, 5_000, 'the agent to forget its tasks');
    await waitFor(() => ids.every((id) => agent.taskStatus(id)?.state === 'shutdown'), 5_000, 'every task of the removed node to be stopped');
  });
});
