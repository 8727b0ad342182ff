import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProtos } from '../../src/proto/load.js';
import type { DispatcherHandlers } from '../../src/generated/shoal/v1/Dispatcher.js';
import type { SessionStreamRequest__Output } from '../../src/generated/shoal/v1/SessionStreamRequest.js';
import type { Task } from '../../src/generated/shoal/v1/Task.js';
import { silentLogger } from '../../src/manager/logger.js';
import { insecureTransport } from '../../src/raft/transport/credentials.js';
import { Agent } from '../../src/worker/agent.js';
import type { ExecStatus, Executor, TaskSpec } from '../../src/worker/executor.js';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';

/** An executor that runs nothing: it records what it was asked to run. */
class RecordingExecutor implements Executor {
  readonly started: string[] = [];
  private readonly statuses = new Map<string, ExecStatus>();
  private readonly listeners = new Set<(s: ExecStatus) => void>();
  private set(s: ExecStatus): ExecStatus {
    this.statuses.set(s.taskId, s);
    for (const l of this.listeners) l(s);
    return s;
  }
  start(spec: TaskSpec): Promise<ExecStatus> {
    this.started.push(spec.id);
    return Promise.resolve(this.set({ taskId: spec.id, state: 'running', at: Date.now(), message: 'pretend', pid: 0 }));
  }
  stop(taskId: string): Promise<ExecStatus | null> {
    return Promise.resolve(this.statuses.has(taskId) ? this.set({ taskId, state: 'shutdown', at: Date.now(), message: 'stopped' }) : null);
  }
  adopt(spec: TaskSpec): ExecStatus {
    return this.set({ taskId: spec.id, state: 'failed', at: Date.now(), message: 'not adopted' });
  }
  status(taskId: string): ExecStatus | null {
    return this.statuses.get(taskId) ?? null;
  }
  logPath(taskId: string): string {
    return `/dev/null/${taskId}`;
  }
  onStatus(listener: (s: ExecStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  close(): void {}
}

const task = (id: string): Task => ({ id, desiredState: 'TASK_STATE_RUNNING', spec: { command: '/bin/true' }, attachments: [] });
const dir = mkdtempSync(join(tmpdir(), 'shoal-agent-seq-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Proves the assignments chain: an INCREMENTAL batch that does not apply to the sequence the agent
// is at (a gap) is never applied; the agent drops the session, opens a new one and takes the
// COMPLETE set it is sent then.
test('a gap in the assignments sequence makes the agent resynchronise from a complete set', async () => {
  let sessions = 0;
  const handlers: DispatcherHandlers = {
    Session: (call) => {
      call.on('error', () => undefined);
      sessions++;
      call.write({ sessionId: `s${sessions}`, managers: [], heartbeatPeriodMs: 1_000 });
    },
    // What the agent uses: the session and its heartbeats on one stream.
    Connect: (call) => {
      call.on('error', () => undefined);
      call.on('data', (m: SessionStreamRequest__Output) => {
        if (m.kind === 'open') {
          sessions++;
          call.write({ sessionId: `s${sessions}`, managers: [], heartbeatPeriodMs: 1_000 });
        } else if (m.kind === 'heartbeat') {
          call.write({ heartbeatAckUnixMs: Date.now(), heartbeatPeriodMs: 1_000 });
        } else {
          call.end(); // goodbye
        }
      });
      call.on('end', () => call.end());
    },
    Heartbeat: (_call, cb) => cb(null, { periodMs: 1_000 }),
    // Service discovery's stream is not what this test is about: it stays open and silent.
    Names: (call) => call.on('error', () => undefined),
    Assignments: (call) => {
      call.on('error', () => undefined);
      if (call.request.sessionId === 's1') {
        call.write({ type: 'ASSIGNMENTS_TYPE_COMPLETE', appliesTo: '', resultsIn: 'e-1', changes: [{ action: 'ASSIGNMENT_ACTION_UPDATE', task: task('first') }] });
        // Applies to e-7, but the agent is at e-1: something was lost in between.
        call.write({ type: 'ASSIGNMENTS_TYPE_INCREMENTAL', appliesTo: 'e-7', resultsIn: 'e-8', changes: [{ action: 'ASSIGNMENT_ACTION_UPDATE', task: task('after-gap') }] });
      } else {
        call.write({ type: 'ASSIGNMENTS_TYPE_COMPLETE', appliesTo: '', resultsIn: 'f-1', changes: [{ action: 'ASSIGNMENT_ACTION_UPDATE', task: task('resynced') }] });
      }
    },
    UpdateTaskStatus: (_call, cb) => cb(null, {}),
  };
  const server = new grpc.Server();
  server.addService(loadProtos().grpcObject.shoal.v1.Dispatcher.service, handlers);
  const addr = `127.0.0.1:${await freePort()}`;
  await new Promise<void>((res, rej) => server.bindAsync(addr, grpc.ServerCredentials.createInsecure(), (e) => (e ? rej(e) : res())));
  const executor = new RecordingExecutor();
  const agent = new Agent({ dataDir: dir, nodeId: 'n1', hostname: 'n1', managers: [addr], security: insecureTransport(), log: silentLogger, executor, stopGraceMs: 100 });
  try {
    await agent.start();
    await waitFor(() => sessions >= 2 && agent.assignedTaskIds().join() === 'resynced', 15_000, 'a second session and the resynced set');
    assert.ok(!executor.started.includes('after-gap'), 'the batch after the gap was never applied');
    assert.deepEqual(agent.assignedTaskIds(), ['resynced']);
    assert.ok(executor.started.includes('first'));
  } finally {
    await agent.close();
    server.forceShutdown();
  }
});
