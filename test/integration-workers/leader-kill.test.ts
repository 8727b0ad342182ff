import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';
import { killStoredTasks } from '../helpers/task-cleanup.js';
import { runningTaskPids } from '../helpers/agent-pids.js';
import { isAlive } from '../../src/process-info.js';
import { readNodeConfig } from '../../src/manager/node-config.js';
import { SOCKET_FILE } from '../../src/manager/manager.js';
import { Api } from '../../bin/client.js';
import { ServiceApi } from '../../bin/service-api.js';
import { waitForAsync } from '../helpers/wait-async.js';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');

/** Bound on how long a new leader may take to appear after kill -9 of the old one. */
const ELECTION_TIMEOUT_MS = 10_000;
/** Bound on any other convergence this test waits for (tasks running, scale, rejoin). */
const CONVERGE_TIMEOUT_MS = 30_000; // convergence waits, not product bounds: generous for a loaded CI machine
/** How long w1's status is sampled after the election: many 500 ms heartbeat periods, past the 3-period down bound. */
const WATCH_AFTER_ELECTION_MS = 3_000;
const POLL_MS = 100;
/** Deadline of one in-test RPC, short so a manager mid-election only costs one poll. */
const RPC_TIMEOUT_MS = 2_000;

/** The `service ps --format json` record (bin/commands/service.ts taskRecord). */
interface TaskRecord {
  id: string;
  node: string;
  desiredState: string;
  state: string;
  addresses: { network: string; ip: string }[];
}
/** The `info --format json` record (bin/commands/info.ts). */
interface InfoRecord {
  nodeId: string;
  role: string;
  leader: string;
}
/** What the in-test pollers need of a task. */
interface TaskView {
  id: string;
  slot: number;
  nodeId: string;
  running: boolean;
  state: string;
  ip: string;
  env: string[];
}

// Real daemons started by the CLI: three managers (drained, so they run no tasks) and one worker. The
// CLI drives every change and the key checks; the test's own gRPC client (to a daemon's unix socket) polls,
// because each CLI process costs seconds on a loaded machine.
describe('kill -9 of the leader manager while a worker runs tasks (real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-leader-kill-'));
  const managers = ['m1', 'm2', 'm3'];
  const nodes = [...managers, 'w1'];
  const shoal = async (node: string, ...args: string[]): Promise<string> =>
    (await run(process.execPath, [CLI, '--data-dir', join(dir, node), ...args], { timeout: 30_000 })).stdout;
  const cliJson = async <T>(node: string, ...args: string[]): Promise<T> => JSON.parse(await shoal(node, ...args, '--format', 'json')) as T;
  const pidOf = (node: string): number => Number(readFileSync(join(dir, node, 'shoal.pid'), 'utf8').split('\n')[0]);
  const nodeIdOf = (node: string): string => readNodeConfig(join(dir, node))?.nodeId ?? '';
  /** The lines of the daemon log of `node` (bin/daemon-control.ts sends the daemon's stderr there). */
  const logLines = (node: string): string[] => readFileSync(join(dir, node, 'shoal.log'), 'utf8').split('\n');

  /** One call to the daemon of `node` over its local socket. */
  async function withNode<T>(node: string, fn: (api: Api) => Promise<T>): Promise<T> {
    const api = new Api(`unix://${join(dir, node, SOCKET_FILE)}`);
    try {
      return await fn(api);
    } finally {
      api.close();
    }
  }
  const tasksVia = (node: string): Promise<TaskView[]> =>
    withNode(node, async (api) => {
      const svc = new ServiceApi(api);
      const s = (await svc.getService({ ref: 'web' })).service;
      assert.ok(s, 'service web exists');
      return (await svc.listTasks({ serviceIds: [s.id] })).tasks.map((t) => ({
        id: t.id,
        slot: Number(t.slot),
        nodeId: t.nodeId,
        env: t.spec?.env ?? [],
        running: t.desiredState === 'TASK_STATE_RUNNING' && t.status?.state === 'TASK_STATE_RUNNING',
        state: String(t.status?.state ?? ''),
        ip: t.attachments[0]?.address.split('/')[0] ?? '',
      }));
    });
  const leaderSeenBy = (node: string): Promise<string> => withNode(node, async (api) => (await api.clusterInfo(RPC_TIMEOUT_MS)).leaderNodeId);
  const statusOf = (via: string, hostname: string): Promise<string> =>
    withNode(via, async (api) => (await api.listNodes()).nodes.find((n) => n.hostname === hostname)?.status ?? 'absent');
  /** taskId → pid of w1's task processes, as its agent recorded them. */
  const workerPids = (): Map<string, number> => runningTaskPids(join(dir, 'w1'));

  after(async () => {
    await Promise.all(nodes.map((n) => shoal(n, 'stop').catch(() => undefined)));
    for (const n of nodes) {
      killStoredTasks(join(dir, n));
      try {
        const pid = pidOf(n);
        if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // no pid file, or the daemon is already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  // Proves that when the leader's daemon is killed with SIGKILL, the two other managers elect a new
  // leader, the worker's agent moves its session there without its node going down, the same tasks keep
  // running as the same processes with the same addresses (none replaced or duplicated), writes work through
  // a survivor, and the killed manager restarted with `shoal start` rejoins as a follower that sees the change.
  test('leader killed: new leader, same tasks and pids, writes work, old leader rejoins', async (t) => {
    const t0 = Date.now();
    const mark = (what: string): void => t.diagnostic(`${what} at ${Date.now() - t0} ms`);

    const port = await freePort();
    await shoal('m1', 'init', '--listen-addr', `127.0.0.1:${port}`, '--hostname', 'm1', '--dispatcher-heartbeat', '500ms');
    const tokens = await withNode('m1', (api) => api.joinTokens());
    const joinAs = async (node: string, token: string): Promise<string> =>
      shoal(node, 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', node, `127.0.0.1:${port}`);
    // Managers join one at a time (one membership change at a time); the worker alongside the last one.
    assert.match(await joinAs('m2', tokens.manager), /joined a cluster as a manager/);
    const [m3Out, w1Out] = await Promise.all([joinAs('m3', tokens.manager), joinAs('w1', tokens.worker)]);
    assert.match(m3Out, /joined a cluster as a manager/);
    assert.match(w1Out, /joined a cluster as a worker/);
    await Promise.all([...managers.map((m) => shoal('m1', 'node', 'update', '--availability', 'drain', m)), shoal('m1', 'network', 'create', 'front')]);
    mark('cluster up');

    await shoal('m1', 'service', 'create', '--detach', '--name', 'web', '--replicas', '3', '--network', 'front', '--', '/bin/sh', '-c', 'exec sleep 120');
    let pidsBefore = new Map<string, number>();
    await waitForAsync(async () => {
      pidsBefore = workerPids();
      return (await tasksVia('m1')).filter((x) => x.running).length === 3 && pidsBefore.size === 3;
    }, CONVERGE_TIMEOUT_MS, '3 tasks of web to run, recorded by the agent of w1');
    const before = await cliJson<TaskRecord[]>('m1', 'service', 'ps', 'web');
    assert.equal(before.length, 3, 'no task besides the 3 running ones');
    assert.ok(before.every((x) => x.node === 'w1' && x.state === 'running'), 'all 3 run on w1 (the managers are drained)');
    const addrBefore = new Map(before.map((x) => [x.id, x.addresses[0]?.ip ?? '']));
    assert.equal(new Set(addrBefore.values()).size, 3, 'distinct addresses');
    assert.ok([...addrBefore.values()].every((ip) => ip !== ''));
    assert.deepEqual([...pidsBefore.keys()].sort(), [...addrBefore.keys()].sort(), 'the agent runs exactly the tasks the managers list');
    for (const pid of pidsBefore.values()) assert.ok(isAlive(pid));
    mark('tasks running');

    // Find the leader through the CLI, and kill its daemon.
    const info = await cliJson<InfoRecord>('m1', 'info');
    const leaderName = managers.find((m) => nodeIdOf(m) === info.leader);
    assert.ok(leaderName !== undefined, `leader ${info.leader} is one of the managers`);
    const survivors = managers.filter((m) => m !== leaderName);
    const via = survivors[0] ?? '';
    const leaderPid = pidOf(leaderName);
    assert.ok(isAlive(leaderPid));
    const w1LogSkip = logLines('w1').length - 1; // the session lines written before the kill do not count
    const killedAt = Date.now();
    process.kill(leaderPid, 'SIGKILL');
    await waitFor(() => !isAlive(leaderPid), 5_000, 'the leader daemon to die');

    // A new leader among the survivors, agreed on by both. w1 is sampled all along.
    const w1Statuses = new Set<string>();
    const sampleW1 = async (): Promise<void> => {
      w1Statuses.add(await statusOf(via, 'w1').catch(() => 'unknown')); // no answer mid-election is no sample
    };
    let newLeader = '';
    await waitForAsync(async () => {
      await sampleW1();
      const seen = await Promise.all(survivors.map((m) => leaderSeenBy(m)));
      newLeader = seen[0] ?? '';
      return seen.every((l) => l === newLeader) && newLeader !== '' && newLeader !== info.leader;
    }, ELECTION_TIMEOUT_MS, 'a new leader among the survivors');
    const electedMs = Date.now() - killedAt;
    assert.ok(survivors.some((m) => nodeIdOf(m) === newLeader), 'the new leader is a survivor');
    mark(`elected after ${electedMs} ms (killed ${leaderName})`);

    // The agent of w1 opens a session with the new leader (src/worker/agent.ts logs agent-session-opened).
    const newLeaderName = survivors.find((m) => nodeIdOf(m) === newLeader) ?? '';
    const newLeaderAddr = readNodeConfig(join(dir, newLeaderName))?.advertiseAddr ?? '';
    assert.ok(newLeaderAddr !== '');
    await waitForAsync(async () => {
      await sampleW1();
      return logLines('w1').slice(w1LogSkip).some((l) => l.includes('agent-session-opened') && l.includes(`manager=${newLeaderAddr} `));
    }, CONVERGE_TIMEOUT_MS, `w1 to open a session with the new leader ${newLeaderName} at ${newLeaderAddr}`);
    mark('w1 session on the new leader');

    // The worker's node stays ready through the change, past the point where a missed session would have
    // marked it down, and its tasks are left alone.
    const watchUntil = Date.now() + WATCH_AFTER_ELECTION_MS;
    while (Date.now() < watchUntil) {
      await sampleW1();
      await sleep(POLL_MS);
    }
    w1Statuses.delete('unknown');
    assert.deepEqual([...w1Statuses], ['NODE_STATUS_READY'], 'w1 stayed ready across the leader change');
    const afterKill = await cliJson<TaskRecord[]>(via, 'service', 'ps', 'web');
    assert.deepEqual(afterKill.map((x) => x.id).sort(), [...addrBefore.keys()].sort(), 'same task IDs, none replaced or added');
    for (const x of afterKill) {
      assert.equal(x.state, 'running', `task ${x.id} still running`);
      assert.equal(x.desiredState, 'running');
      assert.equal(x.node, 'w1');
      assert.equal(x.addresses[0]?.ip, addrBefore.get(x.id), `task ${x.id} kept its address`);
    }
    assert.deepEqual(workerPids(), pidsBefore, 'same processes for the same tasks');
    for (const pid of pidsBefore.values()) assert.ok(isAlive(pid), `task process ${pid} still alive`);
    mark('tasks checked');

    // A write through a survivor: one more task, on w1, with a fresh address, and the old three untouched.
    await shoal(via, 'service', 'scale', 'web=4');
    let scaled: TaskView[] = [];
    await waitForAsync(async () => {
      scaled = await tasksVia(via);
      return scaled.filter((x) => x.running).length === 4 && workerPids().size === 4;
    }, CONVERGE_TIMEOUT_MS, 'web to run 4 tasks');
    assert.equal(scaled.length, 4, 'no task besides the 4 running ones');
    const added = scaled.filter((x) => !addrBefore.has(x.id));
    assert.equal(added.length, 1);
    assert.equal(added[0]?.nodeId, nodeIdOf('w1'));
    const addedIp = added[0]?.ip ?? '';
    assert.ok(addedIp !== '' && ![...addrBefore.values()].includes(addedIp), `new address ${addedIp} is distinct`);
    const pidsScaled = workerPids();
    for (const [id, pid] of pidsBefore) assert.equal(pidsScaled.get(id), pid, `task ${id} kept its process`);
    mark('scaled');

    // The killed manager comes back as a follower and catches up.
    await shoal(leaderName, 'start');
    await waitForAsync(async () => {
      if ((await leaderSeenBy(leaderName)) !== newLeader) return false;
      return (await tasksVia(leaderName)).filter((x) => x.running).length === 4;
    }, CONVERGE_TIMEOUT_MS, `${leaderName} to rejoin as a follower and see 4 tasks`);
    const back = await cliJson<InfoRecord>(leaderName, 'info');
    assert.equal(back.role, 'manager');
    assert.equal(back.leader, newLeader, 'the restarted manager follows the new leader');
    assert.notEqual(back.nodeId, newLeader);
    const seenByOld = await cliJson<TaskRecord[]>(leaderName, 'service', 'ps', 'web');
    assert.deepEqual(seenByOld.map((x) => x.id).sort(), scaled.map((x) => x.id).sort());
    assert.ok(seenByOld.every((x) => x.state === 'running' && x.node === 'w1'));
    await waitForAsync(async () => (await statusOf(via, leaderName)) === 'NODE_STATUS_READY', CONVERGE_TIMEOUT_MS, `${leaderName} ready again`);
    mark('rejoined');
    // The new leader logs each node it marks down (node-marked-down): at most the killed leader's.
    const downs = logLines(newLeaderName).filter((l) => l.includes('node-marked-down'));
    assert.ok(downs.every((l) => l.includes(info.leader)), `only the killed leader may have been marked down:\n${downs.join('\n')}`);
    t.diagnostic(`nodes marked down by the new leader: ${downs.length}`);
  });

  // Proves a rolling update survives kill -9 of the leader in the middle: its progress is in the replicated
  // store, so the next leader carries on from where it was and completes it; every slot ends on the new spec
  // with the address it had (stop-first hands it over), and no slot is left with two tasks or none.
  test('rolling update: the leader killed mid-rollout, the next leader completes it', async (t) => {
    const t0 = Date.now();
    const mark = (what: string): void => t.diagnostic(`${what} at ${Date.now() - t0} ms`);
    const live = (await tasksVia('m1')).filter((x) => x.running);
    assert.equal(live.length, 4, 'the first test left 4 running tasks');
    const addrBySlot = new Map(live.map((x) => [x.slot, x.ip]));
    const leaderId = (await cliJson<InfoRecord>('m1', 'info')).leader;
    const leaderName = managers.find((m) => nodeIdOf(m) === leaderId) ?? '';
    const survivors = managers.filter((m) => m !== leaderName);
    const via = survivors[0] ?? '';
    // One slot at a time, 1.5 s apart: the rollout takes several seconds, long enough to kill the leader inside it.
    await shoal(via, 'service', 'update', '--detach', '--update-parallelism', '1', '--update-delay', '1500ms', '--update-monitor', '200ms', '--env-add', 'V=2', 'web');
    const updated = (xs: TaskView[]): TaskView[] => xs.filter((x) => x.running && x.env.includes('V=2'));
    await waitForAsync(async () => updated(await tasksVia(via)).length >= 1, CONVERGE_TIMEOUT_MS, 'the first slot to run the new spec');
    const doneBeforeKill = updated(await tasksVia(via)).length;
    assert.ok(doneBeforeKill < 4, `the rollout is still under way when the leader is killed (${doneBeforeKill} of 4 done)`);
    process.kill(pidOf(leaderName), 'SIGKILL');
    mark(`killed leader ${leaderName} with ${doneBeforeKill} of 4 slots updated`);

    const stateVia = (node: string): Promise<string> =>
      withNode(node, async (api) => (await new ServiceApi(api).getService({ ref: 'web' })).service?.updateStatus?.state ?? '');
    await waitForAsync(async () => (await stateVia(via)) === 'UPDATE_STATE_COMPLETED', 40_000, 'the rollout to complete under the next leader');
    mark('rollout completed');
    const end = await tasksVia(via);
    assert.ok(!end.some((x) => x.state === 'TASK_STATE_ORPHANED'), 'w1 was never taken for down: the next leader gave it time to find it');
    const wanted = end.filter((x) => x.running);
    assert.equal(wanted.length, 4, 'four tasks run');
    assert.deepEqual(wanted.map((x) => x.slot).sort(), [1, 2, 3, 4], 'one per slot');
    for (const x of wanted) {
      assert.ok(x.env.includes('V=2'), `slot ${x.slot} runs the new spec`);
      assert.equal(x.ip, addrBySlot.get(x.slot), `slot ${x.slot} kept its address`);
      assert.equal(x.nodeId, nodeIdOf('w1'));
    }
    await waitFor(() => workerPids().size === 4, CONVERGE_TIMEOUT_MS, 'w1 to run exactly the 4 new tasks');
    assert.deepEqual([...workerPids().keys()].sort(), wanted.map((x) => x.id).sort());
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

