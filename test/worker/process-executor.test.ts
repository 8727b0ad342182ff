import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessExecutor, isAlive } from '../../src/worker/process-executor.js';
import type { ExecStatus, TaskSpec } from '../../src/worker/executor.js';

const root = mkdtempSync(join(tmpdir(), 'shoal-exec-'));
after(() => rmSync(root, { recursive: true, force: true }));

function spec(id: string, script: string, extra: Partial<TaskSpec> = {}): TaskSpec {
  return { id, command: '/bin/sh', args: ['-c', script], env: {}, attachments: [], ...extra };
}

function waitEnd(ex: ProcessExecutor, id: string, timeoutMs = 5_000): Promise<ExecStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`task ${id} did not end in ${timeoutMs} ms`)), timeoutMs);
    const check = (s: ExecStatus): void => {
      if (s.taskId === id && ['complete', 'failed', 'shutdown'].includes(s.state)) {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    };
    const off = ex.onStatus(check);
    const now = ex.status(id);
    if (now) check(now);
  });
}

describe('process executor', () => {
  // Proves the happy path and the reported transitions: preparing → starting → running → complete.
  test('runs a task to completion and reports each transition', async () => {
    const ex = new ProcessExecutor(root);
    const seen: string[] = [];
    ex.onStatus((s) => seen.push(s.state));
    const running = await ex.start(spec('t-ok', 'echo hello; echo oops >&2'));
    assert.equal(running.state, 'running');
    assert.ok(running.pid && running.pid > 0);
    const end = await waitEnd(ex, 't-ok');
    assert.equal(end.state, 'complete');
    assert.equal(end.exitCode, 0);
    assert.deepEqual(seen, ['preparing', 'starting', 'running', 'complete']);
    assert.equal(readFileSync(ex.logPath('t-ok'), 'utf8'), 'hello\noops\n');
    ex.close();
  });

  // Proves a non-zero exit is a failure that carries the exit code.
  test('reports a non-zero exit as failed with its exit code', async () => {
    const ex = new ProcessExecutor(root);
    await ex.start(spec('t-fail', 'exit 3'));
    const end = await waitEnd(ex, 't-fail');
    assert.equal(end.state, 'failed');
    assert.equal(end.exitCode, 3);
    assert.equal(end.message, 'exit status 3');
    ex.close();
  });

  // Proves a command that cannot start fails with a message naming it, rather than throwing.
  test('a missing command fails with a clear message', async () => {
    const ex = new ProcessExecutor(root);
    const s = await ex.start({ id: 't-missing', command: '/nonexistent/cmd', args: [], env: {}, attachments: [] });
    assert.equal(s.state, 'failed');
    assert.match(s.message, /cannot start "\/nonexistent\/cmd": no such file/);
    ex.close();
  });

  // Proves the attachments reach the task as SHOAL_ADDR_<NETWORK> and as a JSON file, with the task ID.
  test('passes network attachments and the task ID in the environment', async () => {
    const ex = new ProcessExecutor(root);
    const attachments = [{ network: 'front-end', networkId: 'n1', address: '10.0.1.5/24', gateway: '10.0.1.1', subnet: '10.0.1.0/24', vxlanId: 4096 }];
    await ex.start(spec('t-env', 'echo "$SHOAL_TASK_ID $SHOAL_ADDR_FRONT_END $MY_VAR"; cat "$SHOAL_ATTACHMENTS_FILE"', { env: { MY_VAR: 'x' }, attachments }));
    await waitEnd(ex, 't-env');
    const out = readFileSync(ex.logPath('t-env'), 'utf8');
    assert.match(out, /^t-env 10\.0\.1\.5\/24 x\n/);
    assert.deepEqual(JSON.parse(out.slice(out.indexOf('\n') + 1)), attachments);
    ex.close();
  });

  // Proves stop sends SIGTERM to the whole process group: a grandchild dies too.
  test('stop terminates the task and everything it started', async () => {
    const ex = new ProcessExecutor(root);
    const s = await ex.start(spec('t-group', 'sleep 30 & echo $! > child.pid; wait'));
    await new Promise((r) => setTimeout(r, 200));
    const grandchild = Number(readFileSync(join(root, 't-group', 'child.pid'), 'utf8'));
    assert.ok(grandchild > 0 && s.pid !== grandchild);
    const end = await ex.stop('t-group', 2_000);
    assert.equal(end?.state, 'shutdown');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(isAlive(grandchild), false, 'the grandchild is gone');
    ex.close();
  });

  // Proves a task that ignores SIGTERM is killed with SIGKILL after the grace period.
  test('a task that ignores SIGTERM is killed after the grace period', async () => {
    const ex = new ProcessExecutor(root);
    await ex.start(spec('t-stubborn', 'trap "" TERM; while true; do sleep 0.05; done'));
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    const end = await ex.stop('t-stubborn', 300);
    assert.equal(end?.state, 'shutdown');
    assert.match(end?.message ?? '', /SIGKILL/);
    assert.ok(Date.now() - t0 >= 250, 'waited for the grace period first');
    ex.close();
  });

  // Proves re-adoption after an agent restart: a new executor takes over a live process and sees it end.
  test('a new executor re-adopts a running task and notices when it ends', async () => {
    const first = new ProcessExecutor(root);
    const s = await first.start(spec('t-adopt', 'sleep 0.6'));
    first.close();
    const second = new ProcessExecutor(root);
    const adopted = second.adopt(spec('t-adopt', 'sleep 0.6'), s.pid!);
    assert.equal(adopted.state, 'running');
    const end = await waitEnd(second, 't-adopt');
    assert.equal(end.state, 'failed');
    assert.match(end.message, /exit status unknown/);
    // A pid that is not this task's (here: our own) is not adopted.
    const wrong = second.adopt(spec('t-other', 'true'), process.pid);
    assert.equal(wrong.state, 'failed');
    second.close();
  });
});
