import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentStore } from '../../src/worker/agent-store.js';
import type { ExecStatus, TaskSpec } from '../../src/worker/executor.js';
import { ProcessExecutor, isAlive } from '../../src/worker/process-executor.js';
import { Reconciler } from '../../src/worker/reconciler.js';

const root = mkdtempSync(join(tmpdir(), 'shoal-agent-'));
const started: number[] = [];
after(() => {
  for (const pid of started) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(root, { recursive: true, force: true });
});

const sleeper = (id: string): TaskSpec => ({ id, command: '/bin/sh', args: ['-c', 'sleep 30'], env: {}, attachments: [] });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('reconciler', () => {
  // Proves the complete set is authoritative: assigned tasks start, unassigned ones stop.
  test('a complete assignment set starts what is new and stops what is gone', async () => {
    const dir = join(root, 'a');
    const store = new AgentStore(join(root, 'a.db'));
    const ex = new ProcessExecutor(dir);
    const reports: ExecStatus[] = [];
    const r = new Reconciler(store, ex, (s) => reports.push(s), 500);
    await r.applyComplete([{ spec: sleeper('t1'), desired: 'running' }, { spec: sleeper('t2'), desired: 'running' }]);
    assert.equal(ex.status('t1')?.state, 'running');
    assert.equal(ex.status('t2')?.state, 'running');
    started.push(ex.status('t1')!.pid!, ex.status('t2')!.pid!);
    await r.applyComplete([{ spec: sleeper('t2'), desired: 'running' }]);
    assert.equal(ex.status('t1')?.state, 'shutdown');
    assert.equal(ex.status('t2')?.state, 'running');
    assert.deepEqual(store.all().map((a) => a.spec.id), ['t2']);
    await r.applyIncremental([{ spec: sleeper('t2'), desired: 'shutdown' }], []);
    assert.equal(ex.status('t2')?.state, 'shutdown');
    assert.ok(reports.some((s) => s.taskId === 't1' && s.state === 'running'));
    r.close();
    ex.close();
    store.close();
  });

  // Proves resume after an agent crash: the surviving process is re-adopted (same pid), a dead one restarted.
  test('after a restart, a surviving task is re-adopted and a dead one restarted', async () => {
    const dir = join(root, 'b');
    const dbFile = join(root, 'b.db');
    const store1 = new AgentStore(dbFile);
    const ex1 = new ProcessExecutor(dir);
    const r1 = new Reconciler(store1, ex1, () => undefined, 500);
    await r1.applyComplete([{ spec: sleeper('keep'), desired: 'running' }, { spec: sleeper('dies'), desired: 'running' }]);
    const keepPid = ex1.status('keep')!.pid!;
    const diesPid = ex1.status('dies')!.pid!;
    started.push(keepPid, diesPid);
    // The agent "crashes": nothing is stopped; one task's process dies meanwhile.
    r1.close();
    ex1.close();
    store1.close();
    process.kill(-diesPid, 'SIGKILL');
    await sleep(100);
    const store2 = new AgentStore(dbFile);
    const ex2 = new ProcessExecutor(dir);
    const r2 = new Reconciler(store2, ex2, () => undefined, 500);
    await r2.resume();
    assert.equal(ex2.status('keep')?.state, 'running');
    assert.equal(ex2.status('keep')?.pid, keepPid, 'the same process, re-adopted');
    assert.equal(ex2.status('dies')?.state, 'running');
    assert.notEqual(ex2.status('dies')?.pid, diesPid, 'a new process');
    started.push(ex2.status('dies')!.pid!);
    await r2.applyComplete([]);
    assert.equal(isAlive(keepPid), false);
    r2.close();
    ex2.close();
    store2.close();
  });

  // Proves a task told to shut down that this agent never started is reported `shutdown` at once (the
  // manager holds a stop-first successor until it hears so); and one whose process outlived an agent
  // restart is adopted and stopped, not left running.
  test('shutdown of a task never started here is reported; a surviving process is stopped', async () => {
    const dir = join(root, 'c');
    const dbFile = join(root, 'c.db');
    const store1 = new AgentStore(dbFile);
    const ex1 = new ProcessExecutor(dir);
    const r1 = new Reconciler(store1, ex1, () => undefined, 500);
    await r1.applyComplete([{ spec: sleeper('survivor'), desired: 'running' }]);
    const pid = ex1.status('survivor')!.pid!;
    started.push(pid);
    r1.close();
    ex1.close(); // the agent goes down; the task's process lives on
    store1.close();

    const store = new AgentStore(dbFile);
    const ex = new ProcessExecutor(dir);
    const reports: ExecStatus[] = [];
    const r = new Reconciler(store, ex, (st) => reports.push(st), 500);
    await r.applyIncremental([{ spec: sleeper('never'), desired: 'shutdown' }, { spec: sleeper('survivor'), desired: 'shutdown' }], []);
    assert.ok(reports.some((st) => st.taskId === 'never' && st.state === 'shutdown'), 'the never-started task is reported shut down');
    assert.equal(ex.status('never'), null, 'and nothing was started for it');
    for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(50);
    assert.equal(isAlive(pid), false, 'the surviving process was stopped');
    await r.applyIncremental([{ spec: sleeper('never'), desired: 'shutdown' }], []);
    assert.equal(reports.filter((st) => st.taskId === 'never').length, 1, 'reported once');
    r.close();
    ex.close();
    store.close();
  });
});
