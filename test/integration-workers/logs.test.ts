import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { execFile, spawn } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { joinCluster, nodeSecurity } from '../../src/manager/daemon.js';
import { tokenDigest } from '../../src/manager/store/apply.js';
import { silentLogger } from '../../src/manager/logger.js';
import type { Manager } from '../../src/manager/manager.js';
import { getCluster, listNodes } from '../../src/manager/store/queries.js';
import { serviceByName, listTasks, type TaskRecord } from '../../src/manager/store/service-queries.js';
import { deriveJoinToken, newObjectId } from '../../src/manager/tokens.js';
import { Agent } from '../../src/worker/agent.js';
import { loadProtos } from '../../src/proto/load.js';
import { freePort, startCluster, waitFor, type TestCluster } from '../helpers/in-process-cluster.js';
import { killTasksUnder } from './harness.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');

/**
 * Each task prints a greeting and five numbered lines, then prints "tick N" each time a file
 * named `trigger` appears in its directory (the test's way to make a remote task write a line);
 * it fails (exit 3) when a file named `fail` appears.
 */
const TASK_SCRIPT = [
  'echo "hello from $SHOAL_TASK_ID"',
  'i=0; while [ $i -lt 5 ]; do echo "line $i of $SHOAL_TASK_ID"; i=$((i+1)); done',
  'while :; do if [ -f trigger ]; then echo "tick $(cat trigger) from $SHOAL_TASK_ID"; rm -f trigger; fi; if [ -f fail ]; then exit 3; fi; sleep 0.05; done',
].join('\n');

interface Worker {
  readonly name: string;
  readonly nodeId: string;
  readonly dir: string;
  readonly agent: Agent;
}

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(socket: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, '-H', `unix://${socket}`, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

// Three in-process managers (clients talk to a follower, which forwards to the leader) and three
// in-process worker agents with real task processes; `shoal` runs as a real CLI process.
describe('logs from every node', () => {
  let c: TestCluster;
  let follower: Manager;
  const workers: Worker[] = [];
  let tasks: TaskRecord[] = [];
  const workerOf = (t: TaskRecord): Worker => workers.find((w) => w.nodeId === t.nodeId)!;
  const taskDir = (t: TaskRecord): string => join(workerOf(t).dir, 'tasks', t.id);

  before(async () => {
    c = await startCluster(3);
    const leader = c.leader();
    follower = c.followers()[0]!;
    const cl = getCluster(leader.store.db);
    const token = deriveJoinToken(tokenDigest(leader.store.db, cl.id), cl.tokenKey, 'worker', cl.workerTokenGen);
    for (const name of ['w1', 'w2', 'w3']) {
      const dir = join(c.dir, name);
      const { config } = await joinCluster({ dataDir: dir, token, managerAddr: leader.config.advertiseAddr, listenAddr: `127.0.0.1:${await freePort()}`, hostname: name });
      const agent = new Agent({ dataDir: dir, nodeId: config.nodeId, hostname: name, managers: [leader.config.advertiseAddr], security: nodeSecurity(dir, cl.id), log: silentLogger, stopGraceMs: 500 });
      await agent.start();
      workers.push({ name, nodeId: config.nodeId, dir, agent });
    }
    const ready = (): boolean => workers.every((w) => listNodes(leader.store.db).find((n) => n.id === w.nodeId)?.status === 'ready');
    await waitFor(ready, 15_000, 'the three workers to be ready');
    await leader.write({
      op: 'service.create',
      at: Date.now(),
      id: newObjectId(),
      taskIdSeed: newObjectId() + newObjectId(),
      spec: {
        name: 'web',
        labels: {},
        mode: 'replicated',
        replicas: 3,
        template: { command: '/bin/sh', args: ['-c', TASK_SCRIPT], env: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
        networks: [],
        placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
        updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
        stack: '',
      },
    });
    const running = (): TaskRecord[] => {
      const s = serviceByName(leader.store.db, 'web');
      return s ? listTasks(leader.store.db, { serviceIds: [s.id] }).filter((t) => t.status.state === 'running') : [];
    };
    await waitFor(() => running().length === 3, 20_000, 'three running tasks');
    tasks = running();
    // Every task has written its first lines (read on the nodes themselves, not through the code under test).
    await waitFor(() => tasks.every((t) => readOutput(t).includes(`line 4 of ${t.id}`)), 10_000, 'every task to print its lines');
  });

  after(async () => {
    for (const w of workers) {
      await w.agent.close();
      killTasksUnder(w);
    }
    await c?.close();
  });

  const readOutput = (t: TaskRecord): string => {
    try {
      return readFileSync(join(taskDir(t), 'output.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const trigger = (t: TaskRecord, text: string): void => {
    const tmp = join(taskDir(t), 'trigger.tmp');
    writeFileSync(tmp, text);
    renameSync(tmp, join(taskDir(t), 'trigger'));
  };
  const prefixOf = (t: TaskRecord): string => `web.${t.slot}.${t.id.slice(0, 12)}@${workerOf(t).name} | `;

  // Proves `service logs` on a manager that is not the leader shows every task's lines, from
  // three different nodes, each with its task/node prefix, and warns about nothing.
  test('service logs on a follower shows all three tasks with prefixes', async () => {
    assert.equal(new Set(tasks.map((t) => t.nodeId)).size, 3, 'one task per worker');
    const r = await cli(follower.socketPath, 'service', 'logs', 'web');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    for (const t of tasks) {
      const own = r.stdout.split('\n').filter((l) => l.startsWith(prefixOf(t)));
      assert.deepEqual(own.slice(0, 6), [`hello from ${t.id}`, ...[0, 1, 2, 3, 4].map((i) => `line ${i} of ${t.id}`)].map((l) => prefixOf(t) + l), `${t.id}'s lines in order`);
    }
  });

  // Proves --tail keeps the last N lines of each task, and --timestamps puts the time first.
  test('--tail 2 --timestamps: the last two lines of each task, with their times', async () => {
    const r = await cli(follower.socketPath, 'service', 'logs', '--tail', '2', '-t', 'web');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 6, r.stdout);
    for (const t of tasks) {
      const own = lines.filter((l) => l.includes(prefixOf(t)));
      assert.equal(own.length, 2);
      own.forEach((l, i) => {
        const m = /^(\S+) (.*)$/.exec(l)!;
        assert.ok(Math.abs(Date.parse(m[1]!) - Date.now()) < 120_000, `a recent ISO time: ${m[1]}`);
        assert.equal(m[2], `${prefixOf(t)}line ${3 + i} of ${t.id}`);
      });
    }
  });

  // Proves --since drops what was written before the given time: only a line written after it shows.
  test('--since: only lines written after the time', async () => {
    await new Promise((r) => setTimeout(r, 600)); // every earlier line was marked (200 ms ticks) before `since`
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    const t = tasks[1]!;
    trigger(t, 'since');
    await waitFor(() => readOutput(t).includes('tick since'), 5_000, 'the task to print its tick');
    const r = await cli(follower.socketPath, 'service', 'logs', '--since', (since / 1000).toFixed(3), 'web');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${prefixOf(t)}tick since from ${t.id}\n`);
  });

  // Proves --follow delivers a line a remote task writes while following, within a bound
  // (the node's 200 ms size check plus two gRPC hops; generous for a loaded CI machine), and
  // follows a task that starts after it began (the restart of a failed task), from its first line.
  test('--follow sees a new line from a remote task within 3 s, and a restarted task', async () => {
    const child = spawn(process.execPath, [CLI, '-H', `unix://${follower.socketPath}`, 'service', 'logs', '-f', '--tail', '0', 'web'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const t = tasks[2]!;
      // The subscription is in place once a first line comes through: prime it with one tick.
      await waitForAsync(async () => {
        trigger(t, 'prime');
        await new Promise((r) => setTimeout(r, 300));
        return out.includes('tick prime');
      }, 15_000, 'the follower to deliver a first line');
      const started = Date.now();
      trigger(t, 'measured');
      await waitFor(() => out.includes(`${prefixOf(t)}tick measured from ${t.id}`), 10_000, 'the followed line');
      const latencyMs = Date.now() - started;
      console.log(`# --follow latency (trigger file → line on the CLI's stdout): ${latencyMs} ms`);
      assert.ok(latencyMs <= 3_000, `the line arrived after ${latencyMs} ms`);
      assert.ok(!out.includes('line 0 of'), '--tail 0 prints no earlier lines');

      writeFileSync(join(taskDir(t), 'fail'), '');
      const leader = c.leader();
      const replacement = (): TaskRecord | undefined => listTasks(leader.store.db, { serviceIds: [t.serviceId] }).find((x) => x.slot === t.slot && x.id !== t.id && x.nodeId !== '');
      await waitFor(() => replacement() !== undefined, 20_000, `a replacement for the failed task in slot ${t.slot}`);
      const next = replacement()!;
      await waitFor(() => out.includes(`web.${t.slot}.${next.id.slice(0, 12)}@`) && out.includes(`line 4 of ${next.id}`), 15_000, "the replacement's lines in the followed output");
      assert.ok(out.includes(`hello from ${next.id}`), 'a task started later is followed from its first line (no --tail cut)');
      assert.equal(err, '');
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, 'interrupting the follower ends it cleanly');
  });

  // Proves a node whose agent is gone is named in a warning on stderr, and the other nodes' output still shows.
  test('a stopped node is named in a warning', async () => {
    const stopped = workerOf(tasks[0]!);
    await stopped.agent.close();
    killTasksUnder(stopped);
    const r = await cli(follower.socketPath, 'service', 'logs', 'web');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^warning: node ${stopped.name} \\(${stopped.nodeId}\\) is (down|not connected)[^\\n]*web\\.${tasks[0]!.slot}\\.${tasks[0]!.id.slice(0, 12)}`, 'm'));
    for (const t of tasks.slice(1)) assert.ok(r.stdout.includes(`${prefixOf(t)}hello from ${t.id}`), `${t.id}'s output still shows`);
    assert.ok(!r.stdout.includes(`hello from ${tasks[0]!.id}`));
  });

  // Proves the Logs RPCs' authorization over mutual TLS: a worker certificate may not read a
  // service's output, may not use another node's session, and may publish only lines of its own
  // tasks that a subscription asked it for (those reach the client with their prefix).
  test('worker certificates: no service reads, own session only, own tasks only', async () => {
    const v1 = loadProtos().grpcObject.shoal.v1;
    const leader = c.leader();
    const clusterId = getCluster(leader.store.db).id;
    const addr = leader.config.advertiseAddr;
    const stopped = workerOf(tasks[0]!); // its agent was closed by the previous test: the session is ours to open
    const other = workerOf(tasks[1]!);
    const stoppedLogs = new v1.Logs(addr, nodeSecurity(stopped.dir, clusterId).channelCredentials());
    const otherLogs = new v1.Logs(addr, nodeSecurity(other.dir, clusterId).channelCredentials());
    const dispatcher = new v1.Dispatcher(addr, nodeSecurity(stopped.dir, clusterId).channelCredentials());
    const admin = new v1.Logs(`unix://${leader.socketPath}`, grpc.credentials.createInsecure());
    const opened: { cancel(): void }[] = [];
    try {
      const refused = await new Promise<grpc.ServiceError>((resolve) => {
        const s = otherLogs.SubscribeLogs({ service: 'web' });
        s.on('data', () => undefined);
        s.on('error', resolve);
      });
      assert.equal(refused.code, grpc.status.PERMISSION_DENIED);
      assert.match(refused.details, /a worker certificate may read only the output of containers on its own node/);

      const session = dispatcher.Session({ nodeId: stopped.nodeId, description: null });
      opened.push(session);
      session.on('error', () => undefined);
      const sessionId = await new Promise<string>((resolve) => session.once('data', (m: { sessionId: string }) => resolve(m.sessionId)));
      const listen = stoppedLogs.ListenLogSubscriptions({ sessionId });
      opened.push(listen);
      listen.on('error', () => undefined);
      await new Promise((r) => setTimeout(r, 300)); // the listen stream registers with the leader
      const received: { source?: { taskId: string; taskName: string; nodeName: string } | null; lines: { data: Buffer }[] }[] = [];
      const follow = admin.SubscribeLogs({ service: 'web', options: { follow: true, hasTail: true, tail: 0 } });
      opened.push(follow);
      follow.on('error', () => undefined);
      follow.on('data', (m: (typeof received)[number]) => received.push(m));
      const sub = await new Promise<{ id: string; taskIds: string[] }>((resolve) => listen.once('data', resolve));
      assert.ok(sub.taskIds.includes(tasks[0]!.id), 'the node is asked for its task');
      for (const id of sub.taskIds) assert.equal(listTasks(leader.store.db).find((x) => x.id === id)?.nodeId, stopped.nodeId, 'and for its own tasks only');

      const publishAs = (client: typeof stoppedLogs, msg: { taskId: string; data: string }): Promise<grpc.ServiceError | null> =>
        new Promise((resolve) => {
          const p = client.PublishLogs((err) => resolve(err));
          p.write({ sessionId, subscriptionId: sub.id, taskId: msg.taskId, lines: [{ timeUnixMs: Date.now(), data: Buffer.from(msg.data) }] });
          p.end();
        });
      const otherSession = await publishAs(otherLogs, { taskId: tasks[1]!.id, data: 'not my session' });
      assert.equal(otherSession?.code, grpc.status.PERMISSION_DENIED);
      assert.match(otherSession?.details ?? '', new RegExp(`the certificate of node ${other.nodeId} cannot use the session of node ${stopped.nodeId}`));
      const otherTask = await publishAs(stoppedLogs, { taskId: tasks[1]!.id, data: 'not my task' });
      assert.equal(otherTask?.code, grpc.status.PERMISSION_DENIED);
      assert.match(otherTask?.details ?? '', /may only publish the output of its own tasks that were asked for/);
      assert.equal(await publishAs(stoppedLogs, { taskId: tasks[0]!.id, data: 'relayed by hand' }), null);
      await waitFor(() => received.some((m) => m.lines.some((l) => l.data.toString() === 'relayed by hand')), 5_000, 'the published line on the client stream');
      const shown = received.flatMap((m) => m.lines.map((l) => `${m.source?.taskName ?? ''}@${m.source?.nodeName ?? ''} ${l.data.toString()}`));
      assert.deepEqual(shown.filter((l) => l.includes(`@${stopped.name} `)), [`web.${tasks[0]!.slot}@${stopped.name} relayed by hand`]);
      assert.ok(!shown.some((l) => l.includes('not my')), `nothing refused reached the client: ${shown.join(' / ')}`);
    } finally {
      for (const o of opened) o.cancel();
      for (const cl of [stoppedLogs, otherLogs, dispatcher, admin]) cl.close();
    }
  });
});

async function waitForAsync(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
