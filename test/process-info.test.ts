import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isAlive, processStartTime } from '../src/process-info.js';

// Proves a killed process that nobody reaps (a zombie) counts as not alive, although it still
// answers signal 0 — the case of a kill -9'd daemon whose parent (init here) does not reap it.
test('a zombie is not alive; a running process is, with a stable start time', async () => {
  // sh starts a grandchild, prints its pid, then becomes `sleep`, which never reaps it.
  const parent = spawn('/bin/sh', ['-c', 'sleep 100 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const grandchild = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    assert.ok(isAlive(grandchild));
    const started = processStartTime(grandchild);
    assert.ok(started !== null && started === processStartTime(grandchild));
    process.kill(grandchild, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    assert.doesNotThrow(() => process.kill(grandchild, 0), 'the zombie still answers signal 0');
    assert.equal(isAlive(grandchild), false);
  } finally {
    parent.kill('SIGKILL');
  }
});
