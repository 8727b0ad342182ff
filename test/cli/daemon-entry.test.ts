// Proves how a node daemon is started: the bundled daemon runs only when it holds the code of the
// build that starts it (present, and not older than tsc's last output); otherwise, and when asked
// with SHOAL_DAEMON_UNBUNDLED=1, the unbundled dist/bin/daemon.js runs, with the reason for the log.
// And the daemon's plan: taken from the environment and removed from it (tasks must not inherit a
// join token), with a clear error when it is missing or malformed, also from the real entry script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DAEMON_BUNDLE, DAEMON_LAUNCHER, DAEMON_UNBUNDLED_ENV, daemonEntry } from '../../bin/daemon-entry.js';
import { DAEMON_PLAN_ENV, takePlanFromEnv } from '../../bin/daemon-plan.js';

const BIN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../bin');

/** A fake dist/: bin/ with the given bundle files, and .tsbuildinfo written `infoAgeS` seconds before them. */
function withDist(files: readonly string[], infoAgeS: number | null, fn: (binDir: string) => void): void {
  const dist = mkdtempSync(join(tmpdir(), 'shoal-daemon-entry-'));
  try {
    const bin = join(dist, 'bin');
    mkdirSync(bin);
    const now = Date.now() / 1000;
    for (const f of files) {
      writeFileSync(join(bin, f), '');
      utimesSync(join(bin, f), now, now);
    }
    if (infoAgeS !== null) {
      writeFileSync(join(dist, '.tsbuildinfo'), '{}');
      utimesSync(join(dist, '.tsbuildinfo'), now - infoAgeS, now - infoAgeS);
    }
    fn(bin);
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
}

test('the bundled daemon runs when it is there and newer than tsc output', () => {
  withDist([DAEMON_LAUNCHER, DAEMON_BUNDLE], 10, (bin) => {
    assert.deepEqual(daemonEntry(bin, {}), { script: join(bin, DAEMON_LAUNCHER), bundled: true, why: null });
  });
  // An install without tsc's build info: nothing to compare with, the bundle runs.
  withDist([DAEMON_LAUNCHER, DAEMON_BUNDLE], null, (bin) => assert.equal(daemonEntry(bin, {}).bundled, true));
});

test('a missing or stale bundle, or SHOAL_DAEMON_UNBUNDLED=1, runs dist/bin/daemon.js and says why', () => {
  withDist([DAEMON_LAUNCHER], 10, (bin) => {
    const e = daemonEntry(bin, {});
    assert.equal(e.script, join(bin, 'daemon.js'));
    assert.match(e.why ?? '', /bundle is missing.*npm run build/);
  });
  withDist([DAEMON_LAUNCHER, DAEMON_BUNDLE], -10, (bin) => {
    const e = daemonEntry(bin, {});
    assert.equal(e.bundled, false);
    assert.match(e.why ?? '', /older than tsc's last output/);
  });
  withDist([DAEMON_LAUNCHER, DAEMON_BUNDLE], 10, (bin) => {
    const e = daemonEntry(bin, { [DAEMON_UNBUNDLED_ENV]: '1' });
    assert.deepEqual(e, { script: join(bin, 'daemon.js'), bundled: false, why: `${DAEMON_UNBUNDLED_ENV}=1` });
  });
});

test('the plan is taken from the environment and removed from it; a bad one is a clear error', () => {
  const env: NodeJS.ProcessEnv = { [DAEMON_PLAN_ENV]: JSON.stringify({ kind: 'start', dataDir: '/tmp/x' }), OTHER: '1' };
  assert.deepEqual(takePlanFromEnv(env), { kind: 'start', dataDir: '/tmp/x' });
  assert.deepEqual(env, { OTHER: '1' });
  assert.throws(() => takePlanFromEnv({}), /SHOAL_DAEMON_PLAN is not set.*shoal init/);
  assert.throws(() => takePlanFromEnv({ [DAEMON_PLAN_ENV]: '{' }), /SHOAL_DAEMON_PLAN is not JSON/);
  assert.throws(() => takePlanFromEnv({ [DAEMON_PLAN_ENV]: '{"kind":"init","dataDir":"/x"}' }), /is not a daemon plan/);
});

test('each daemon entry started without a plan exits 1 with that error on stderr', () => {
  for (const entry of [join(BIN_DIR, 'daemon.js'), join(BIN_DIR, DAEMON_LAUNCHER)]) {
    const env = { ...process.env };
    delete env[DAEMON_PLAN_ENV];
    const r = spawnSync(process.execPath, [entry], { encoding: 'utf8', env: { ...env, SHOAL_CODE_CACHE: '0' }, timeout: 60_000 });
    assert.equal(r.status, 1, `${entry}: ${r.stderr}`);
    assert.match(r.stderr, /^Error: SHOAL_DAEMON_PLAN is not set/m, entry);
  }
});
