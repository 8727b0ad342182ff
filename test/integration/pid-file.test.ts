import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonPid } from '../../bin/daemon-control.js';
import { PID_FILE } from '../../src/manager/daemon.js';
import { processStartTime } from '../../src/process-info.js';

// Proves that a pid file left behind by a kill -9 is recognised as stale once
// its pid names another process: the recorded start time must match, so
// `shoal start` is not refused and `shoal stop` never signals a stranger. Uses
// this test's own (live) pid with a right and a wrong start time.
test('a stale pid file whose pid was reused does not name a running daemon', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-pid-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const started = processStartTime(process.pid);
  assert.ok(started !== null && /^\d+$/.test(started), `start time of a live process is readable (${String(started)})`);
  writeFileSync(join(dir, PID_FILE), `${process.pid}\n${started}\n`);
  assert.equal(daemonPid(dir), process.pid, 'matching start time: the daemon runs');
  writeFileSync(join(dir, PID_FILE), `${process.pid}\n${Number(started) + 1}\n`);
  assert.equal(daemonPid(dir), null, 'different start time: the pid was reused');
  writeFileSync(join(dir, PID_FILE), `${process.pid}\n`);
  assert.equal(daemonPid(dir), process.pid, 'an old-format pid file (no start time) still works');
  writeFileSync(join(dir, PID_FILE), `999999999\n${started}\n`);
  assert.equal(daemonPid(dir), null, 'a dead pid is no daemon');
});
