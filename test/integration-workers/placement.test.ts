/**
 * Placement end to end (issue #7): constraints, reservations against reported capacity, global
 * services following labels and availability, pause, and the per-node replica limit — with a
 * real manager, real worker agents holding sessions, and real task processes. The tests share
 * one cluster (and its start-up cost); `afterEach` puts it back as it was (no services, no
 * labels, every worker active), also after a failure, so one failing test does not fail the next.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { listNodes, type NodeRecord } from '../../src/manager/store/queries.js';
import type { ServiceSpecRecord } from '../../src/manager/store/service-commands.js';
import { listServices, type TaskRecord } from '../../src/manager/store/service-queries.js';
import { newObjectId } from '../../src/manager/tokens.js';
import { isAlive } from '../../src/worker/process-executor.js';
import { waitFor } from '../helpers/in-process-cluster.js';
import { WorkerCluster, type WorkerHandle, type WorkerResources } from './harness.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** Every worker reports this capacity, whatever the machine has, so reservations are deterministic. */
const workerSize: WorkerResources = { nanoCpus: 1e9, memoryBytes: GiB };
/** How long a negative ("still pending", "nothing moved") is watched: several orchestrator rounds (100 ms each). */
const settleMs = 600;
const sleepCmd = ['/bin/sh', ['-c', 'exec sleep 60']] as const;

interface ServiceOptions {
  readonly replicas?: number;
  readonly mode?: ServiceSpecRecord['mode'];
  readonly constraints?: readonly string[];
  readonly maxReplicasPerNode?: number;
  readonly reservations?: { readonly nanoCpus?: number; readonly memoryBytes?: number };
}

// One manager (drained, so it shows up in explanations as "1 node not available") and three
// workers of 1 CPU / 1 GiB each, heartbeat 500 ms.
describe('workers: placement end to end', () => {
  let c: WorkerCluster;
  let w1: WorkerHandle;
  let w2: WorkerHandle;
  let w3: WorkerHandle;
  before(async () => {
    c = await WorkerCluster.start(0, 500);
    w1 = await c.addWorker('w1', workerSize);
    w2 = await c.addWorker('w2', workerSize);
    w3 = await c.addWorker('w3', workerSize);
    await waitFor(() => [w1, w2, w3].every((w) => node(w).status === 'ready' && node(w).resources.memoryBytes === GiB), 10_000, 'three sized, ready workers');
  });
  after(async () => {
    await c.close();
  });
  afterEach(async () => {
    for (const s of listServices(c.manager.store.db)) await c.manager.write({ op: 'service.remove', at: Date.now(), id: s.id });
    for (const w of c.workers) {
      const n = node(w);
      if (n.availability !== 'active' || Object.keys(n.labels).length > 0) await updateNode(w, { availability: 'active', labelsRemove: Object.keys(n.labels) });
    }
    await waitFor(() => c.workers.every((w) => w.agent.assignedTaskIds().length === 0), 10_000, 'every agent to drop the removed services');
  });

  function node(w: WorkerHandle): NodeRecord {
    const n = listNodes(c.manager.store.db).find((x) => x.id === w.nodeId);
    assert.ok(n, `node ${w.name} is in the store`);
    return n;
  }

  async function createService(name: string, o: ServiceOptions): Promise<string> {
    const id = newObjectId();
    const mode = o.mode ?? 'replicated';
    const spec: ServiceSpecRecord = {
      name,
      labels: {},
      mode,
      replicas: mode === 'global' ? 0 : (o.replicas ?? 1),
      template: {
        command: sleepCmd[0],
        args: [...sleepCmd[1]],
        env: [],
        reservations: { nanoCpus: o.reservations?.nanoCpus ?? 0, memoryBytes: o.reservations?.memoryBytes ?? 0 },
        restartPolicy: { condition: 'any', delayMs: 100, maxAttempts: 0, windowMs: 0 },
      },
      networks: [],
      placement: { constraints: [...(o.constraints ?? [])], preferences: [], maxReplicasPerNode: o.maxReplicasPerNode ?? 0 },
      updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
      stack: '',
    };
    await c.manager.write({ op: 'service.create', at: Date.now(), id, taskIdSeed: newObjectId() + newObjectId(), spec });
    return id;
  }

  async function scale(serviceId: string, replicas: number): Promise<void> {
    await c.manager.write({ op: 'service.scale', at: Date.now(), id: serviceId, version: 0, taskIdSeed: newObjectId(), replicas });
  }

  async function updateNode(w: WorkerHandle, change: { availability?: NodeRecord['availability']; labelsAdd?: Record<string, string>; labelsRemove?: string[] }): Promise<void> {
    await c.manager.write({ op: 'node.update', at: Date.now(), id: w.nodeId, version: 0, ...change });
  }

  /** Tasks that should run and are not placed yet. */
  function pending(name: string): TaskRecord[] {
    return c.tasks(name).filter((t) => t.desiredState === 'running' && t.status.state === 'pending');
  }

  function runningOn(name: string, w: WorkerHandle): TaskRecord[] {
    return c.running(name).filter((t) => t.nodeId === w.nodeId);
  }

  /** waitFor whose timeout error says what the state was at the end (`now` is read then, not at the start). */
  async function until(cond: () => boolean, timeoutMs: number, what: string, now: () => unknown): Promise<void> {
    try {
      await waitFor(cond, timeoutMs, what);
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; now: ${JSON.stringify(now())}`, { cause: e });
    }
  }

  /** Waits for exactly `n` pending tasks of the service, each with the status message `why`. */
  async function waitPending(name: string, n: number, why: string): Promise<void> {
    const messages = (): string[] => pending(name).map((t) => t.status.message);
    await until(() => messages().length === n && messages().every((m) => m === why), 10_000, `${n} pending tasks of ${name} saying "${why}"`, messages);
  }

  async function sleep(ms: number): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
  }

  // Proves a label constraint no node meets keeps the tasks pending, unplaced, with the
  // scheduler's per-filter explanation as their status message; that adding the label with a
  // node.update write places both tasks on that node; and that a `!=` constraint keeps tasks off
  // the labelled node.
  test('a label constraint holds tasks pending until a node gets the label', async () => {
    await createService('east', { replicas: 2, constraints: ['node.labels.zone==east'] });
    const why = 'no suitable node (1 node not available for new tasks; 3 nodes not matching constraint node.labels.zone==east)';
    await waitPending('east', 2, why);
    await sleep(settleMs);
    assert.equal(pending('east').length, 2, 'still pending after several rounds');
    assert.ok(pending('east').every((t) => t.nodeId === ''), 'a pending task is on no node');
    assert.ok(c.workers.every((w) => w.agent.assignedTaskIds().length === 0), 'no agent was given a task');

    await updateNode(w2, { labelsAdd: { zone: 'east' } });
    await c.waitRunning('east', 2, 10_000);
    assert.equal(runningOn('east', w2).length, 2, 'both tasks run on the labelled worker');
    assert.equal(w2.agent.assignedTaskIds().length, 2);

    // `!=`: a node without the label satisfies it, the labelled one does not.
    await createService('noteast', { replicas: 4, constraints: ['node.labels.zone!=east'] });
    await c.waitRunning('noteast', 4, 10_000);
    assert.equal(runningOn('noteast', w2).length, 0, 'no task on the node labelled zone=east');
    assert.equal(runningOn('noteast', w1).length, 2, 'spread over the other two workers');
    assert.equal(runningOn('noteast', w3).length, 2, 'spread over the other two workers');

    // Constraint enforcement: removing the label moves the tasks off w2 — here nowhere else fits, so they
    // wait again with the explanation, and the tasks that ran there say why they were stopped.
    const before = runningOn('east', w2).map((t) => t.id);
    await updateNode(w2, { labelsRemove: ['zone'] });
    await waitPending('east', 2, why);
    const stopped = c.tasks('east').filter((t) => before.includes(t.id));
    assert.ok(stopped.every((t) => t.desiredState === 'shutdown'), 'the tasks on w2 are shut down');
    const reasons = stopped.map((t) => [t.status, ...t.history].map((h) => h.message).join(' | '));
    assert.ok(reasons.every((r) => r.includes('node w2 no longer satisfies constraint node.labels.zone==east')), `the reason is kept: ${reasons.join('; ')}`);
    await waitFor(() => w2.agent.assignedTaskIds().filter((id) => before.includes(id)).length === 0, 10_000, 'w2 to stop them');
  });

  // Proves reservations are checked against the capacity workers report: with 768 MiB of each
  // 1 GiB worker reserved, 512 MiB tasks stay pending with a message naming the memory needed
  // and the most free on any node; scaling the other service down frees memory, and the
  // pending tasks are then placed and run on the nodes that were freed.
  test('memory exhaustion keeps tasks pending until memory is freed', async () => {
    const hog = await createService('hog', { replicas: 3, reservations: { memoryBytes: 768 * MiB } });
    await c.waitRunning('hog', 3, 10_000);
    assert.equal(new Set(c.running('hog').map((t) => t.nodeId)).size, 3, 'one 768 MiB task per 1 GiB worker');

    await createService('mem', { replicas: 2, reservations: { memoryBytes: 512 * MiB } });
    const why = 'no suitable node (1 node not available for new tasks; 3 nodes with insufficient memory: need 512MiB, most free 256MiB)';
    await waitPending('mem', 2, why);
    await sleep(settleMs);
    assert.equal(pending('mem').length, 2, 'still pending: nothing freed memory');

    await scale(hog, 1);
    await c.waitRunning('mem', 2, 10_000);
    await c.waitRunning('hog', 1, 10_000);
    const hogNode = c.running('hog')[0]!.nodeId;
    const memNodes = c.running('mem').map((t) => t.nodeId);
    assert.ok(!memNodes.includes(hogNode), 'the node still holding 768 MiB got no 512 MiB task');
    assert.equal(new Set(memNodes).size, 2, 'one task on each freed node');
  });

  // Proves a global service with a label constraint runs only on labelled nodes; labelling
  // another node adds a task there; draining a node shuts its global task down (and the agent
  // stops the process); making it active again brings a new task back; and removing the label
  // from a node shuts its task down.
  test('a global service follows labels and drain', async () => {
    await updateNode(w1, { labelsAdd: { gpu: 'yes' } });
    await createService('gl', { mode: 'global', constraints: ['node.labels.gpu==yes'] });
    await c.waitRunning('gl', 1, 10_000);
    await sleep(settleMs);
    assert.equal(c.tasks('gl').filter((t) => t.desiredState === 'running').length, 1, 'one task: only w1 is labelled');
    assert.equal(runningOn('gl', w1).length, 1);

    await updateNode(w3, { labelsAdd: { gpu: 'yes' } });
    await c.waitRunning('gl', 2, 10_000);
    assert.equal(runningOn('gl', w3).length, 1, 'the newly labelled node got a task');
    assert.equal(runningOn('gl', w2).length, 0, 'the unlabelled node did not');

    const onW3 = runningOn('gl', w3)[0]!;
    await updateNode(w3, { availability: 'drain' });
    await waitFor(() => w3.agent.taskStatus(onW3.id)?.state === 'shutdown' || w3.agent.assignedTaskIds().length === 0, 10_000, 'the drained node to stop its global task');
    await c.waitRunning('gl', 1, 10_000);
    assert.equal(runningOn('gl', w3).length, 0);
    assert.equal(c.tasks('gl').find((t) => t.id === onW3.id)?.desiredState, 'shutdown');
    assert.equal(c.tasks('gl').filter((t) => t.desiredState === 'running').length, 1, 'no replacement elsewhere for a global task');

    await updateNode(w3, { availability: 'active' });
    await c.waitRunning('gl', 2, 10_000);
    const back = runningOn('gl', w3);
    assert.equal(back.length, 1, 'the re-activated node runs the service again');
    assert.notEqual(back[0]!.id, onW3.id, 'as a new task');

    const onW1 = runningOn('gl', w1)[0]!;
    await updateNode(w1, { labelsRemove: ['gpu'] });
    await c.waitRunning('gl', 1, 10_000);
    assert.equal(runningOn('gl', w1).length, 0, 'the node that lost its label no longer runs the service');
    assert.equal(c.tasks('gl').find((t) => t.id === onW1.id)?.desiredState, 'shutdown');
    await waitFor(() => w1.agent.taskStatus(onW1.id)?.state === 'shutdown' || w1.agent.assignedTaskIds().length === 0, 10_000, 'w1 to stop the task');
  });

  // Proves pause keeps a node's running task (same task, same live process) while new tasks
  // from a scale-up go to the other nodes only.
  test('a paused node keeps its tasks but gets no new ones', async () => {
    const pz = await createService('pz', { replicas: 3 });
    await c.waitRunning('pz', 3, 10_000);
    const kept = runningOn('pz', w1);
    assert.equal(kept.length, 1, 'spread puts one task on each worker');
    const keptPid = w1.agent.taskStatus(kept[0]!.id)?.pid;
    assert.ok(keptPid !== undefined && isAlive(keptPid), 'the task on w1 is a live process');

    await updateNode(w1, { availability: 'pause' });
    await waitFor(() => node(w1).availability === 'pause', 5_000, 'w1 to be paused');
    await scale(pz, 7);
    await c.waitRunning('pz', 7, 10_000);
    await sleep(settleMs);
    assert.deepEqual(runningOn('pz', w1).map((t) => t.id), [kept[0]!.id], 'w1 runs only the task it had');
    assert.ok(isAlive(keptPid), 'and its process was never restarted');
    assert.equal(w1.agent.taskStatus(kept[0]!.id)?.pid, keptPid);
    assert.equal(runningOn('pz', w2).length + runningOn('pz', w3).length, 6, 'the six others run on w2 and w3');
    assert.equal(runningOn('pz', w2).length, 3, 'spread evenly');
  });

  // Proves placement.maxReplicasPerNode end to end: with three workers and a limit of one,
  // four replicas run three (one per worker) and the fourth stays pending with a message
  // about the per-node maximum; scaling down to three leaves nothing pending.
  test('max replicas per node leaves the extra replica pending', async () => {
    const mx = await createService('mx', { replicas: 4, maxReplicasPerNode: 1 });
    await c.waitRunning('mx', 3, 10_000);
    assert.equal(new Set(c.running('mx').map((t) => t.nodeId)).size, 3, 'one per worker');
    const why = 'no suitable node (1 node not available for new tasks; 3 nodes already running the maximum of 1 task of this service per node)';
    await waitPending('mx', 1, why);
    await sleep(settleMs);
    assert.equal(c.running('mx').length, 3, 'still three running');
    assert.equal(pending('mx').length, 1, 'still one pending');

    // Scale-down removes the highest slot, which may be a running one; the pending task then
    // takes the freed node, so the end state is three running, one per worker, none pending.
    await scale(mx, 3);
    await until(() => pending('mx').length === 0 && c.running('mx').length === 3, 10_000, 'three running, none pending', () => c.tasks('mx').map((t) => [t.slot, t.desiredState, t.status.state]));
    assert.equal(new Set(c.running('mx').map((t) => t.nodeId)).size, 3, 'still one per worker');
  });

  // Proves a CPU reservation larger than every node's reported CPUs waits with a message naming
  // the CPUs needed and the most free, and that a worker joining with enough capacity runs it.
  // (Last: it adds a fourth worker.)
  test('a task too big for every node runs when a big enough worker joins', async () => {
    await createService('big', { replicas: 1, reservations: { nanoCpus: 2e9 } });
    const why = 'no suitable node (1 node not available for new tasks; 3 nodes with insufficient CPU: need 2 CPUs, most free 1 CPU)';
    await waitPending('big', 1, why);
    const w4 = await c.addWorker('w4', { nanoCpus: 4e9, memoryBytes: GiB });
    await c.waitRunning('big', 1, 10_000);
    assert.equal(runningOn('big', w4).length, 1, 'it runs on the worker that has the CPUs');
  });
});
