// Proves the `shoal` command as installed (bin/shoal.cjs: the bundled CLI built by `npm run build`,
// run through its code cache) behaves exactly as the unbundled build the other tests run
// (dist/bin/cli.js): the same stdout, stderr and exit code for help, usage errors, typos and shell
// completion; and on a real node started by the bundle's `init`, the same `node ls` table and JSON
// and join token. The daemon that `init` starts runs the daemon bundle (dist/bin/shoal-daemon.cjs
// through its launcher, no yargs) and works: it takes a write, writes its own code cache once up,
// and `stop` stops it; init's certificates come from the bundled certificate worker
// (dist/bin/shoal-pki-worker.cjs), which writes a code cache of its own.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isAscii } from 'node:buffer';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/in-process-cluster.js';
import { isAlive } from '../../src/process-info.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const UNBUNDLED = join(HERE, '../../bin/cli.js');
const BUNDLE = join(HERE, '../../bin/shoal-cli.cjs');
const SHOAL_BIN = join(HERE, '../../../bin/shoal.cjs');
const DAEMON_BUNDLE = join(HERE, '../../bin/shoal-daemon.cjs');
const DAEMON_LAUNCHER = join(HERE, '../../bin/shoal-daemon-launch.cjs');
const PKI_WORKER_BUNDLE = join(HERE, '../../bin/shoal-pki-worker.cjs');
const PKI_WORKER_LAUNCHER = join(HERE, '../../bin/shoal-pki-worker-launch.cjs');

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(entry: string, args: readonly string[]): Promise<Result> {
  return new Promise((resolve) => {
    // SHOAL_HOST and SHOAL_DATA_DIR from the environment would change defaults shown in help.
    const env = { ...process.env, SHOAL_HOST: '', SHOAL_DATA_DIR: '', COLUMNS: '100' };
    execFile(process.execPath, [entry, ...args], { timeout: 60_000, env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

async function same(args: readonly string[]): Promise<Result> {
  const [bundled, unbundled] = await Promise.all([run(SHOAL_BIN, args), run(UNBUNDLED, args)]);
  assert.deepEqual(bundled, unbundled, `shoal ${args.join(' ')}`);
  return bundled;
}

describe('the bundled `shoal` command', () => {
  test('is built (npm run build makes it)', () => {
    for (const f of [BUNDLE, DAEMON_BUNDLE, DAEMON_LAUNCHER, PKI_WORKER_BUNDLE, PKI_WORKER_LAUNCHER]) assert.ok(existsSync(f), `${f} is missing: run \`npm run build\` (tsc alone does not bundle)`);
    // Pure ASCII, so the launcher takes the cheaper latin1 decoding (bin/code-cache.ts); a non-ASCII
    // character esbuild leaves as is (one in a regular expression literal) would cost every start.
    for (const f of [BUNDLE, DAEMON_BUNDLE, PKI_WORKER_BUNDLE]) assert.ok(isAscii(readFileSync(f)), `${f} has a non-ASCII byte: write it as an escape in the source`);
  });

  test('help, usage errors, typos and completion are the same as the unbundled build\'s', async () => {
    const cases: string[][] = [
      [],
      ['--help'],
      ['service', 'create', '--help'],
      ['nod', 'ls'],
      ['node', 'ls', '--no-such-flag'],
      ['completion'],
      ['--get-yargs-completions', 'service', ''],
    ];
    const results = await Promise.all(cases.map((args) => same(args)));
    assert.deepEqual(results.map((r) => r.code), [2, 0, 0, 2, 2, 0, 0]);
  });

  describe('on a node it started', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-bundle-'));
    const dataDir = join(dir, 'node');
    after(() => {
      // Stop the daemon even if a test failed half-way.
      const pidFile = join(dataDir, 'shoal.pid');
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
        if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    });

    test('init, node ls, join-token, a write and stop; the daemon runs its bundle', async () => {
      const port = await freePort();
      // No certificate worker cache from an earlier run: the one checked below must be this init's.
      for (const f of readdirSync(dirname(PKI_WORKER_BUNDLE))) if (/^shoal-pki-worker\.cjs\.[0-9a-f]+\.cache$/.test(f)) rmSync(join(dirname(PKI_WORKER_BUNDLE), f), { force: true });
      const init = await run(SHOAL_BIN, ['--data-dir', dataDir, 'init', '--listen-addr', `127.0.0.1:${port}`]);
      assert.equal(init.code, 0, init.stderr);
      assert.match(init.stdout, /Cluster initialized: current node \(\w+\) is now a manager/);
      // The daemon runs the daemon bundle's launcher; the log would say why if it had fallen back to dist/bin/daemon.js.
      const pid = Number(readFileSync(join(dataDir, 'shoal.pid'), 'utf8').split('\n')[0]);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const log = readFileSync(join(dataDir, 'shoal.log'), 'utf8');
      assert.ok(cmdline.some((a) => a === DAEMON_LAUNCHER), `${cmdline.join(' ')}\n${log}`);
      assert.doesNotMatch(log, /daemon-unbundled/);
      // glibc's fixed mmap threshold (bin/daemon-control.ts DAEMON_MALLOC_ENV) reaches the daemon, read at its start.
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      assert.ok(environ.includes(`MALLOC_MMAP_THRESHOLD_=${process.env['MALLOC_MMAP_THRESHOLD_'] ?? '131072'}`), environ.filter((v) => v.startsWith('MALLOC')).join(' '));

      const table = await same(['--data-dir', dataDir, 'node', 'ls']);
      assert.match(table.stdout, /^ID +HOSTNAME +STATUS +AVAILABILITY +MANAGER STATUS +ADDRESS\n\w+ \* .+ready +active +leader/);
      await same(['--data-dir', dataDir, '--format', 'json', 'node', 'ls']);
      await same(['--data-dir', dataDir, 'join-token', 'worker', '-q']);
      await same(['--data-dir', dataDir, 'node', 'inspect', 'no-such-node']);

      // A write through the bundled daemon: committed, applied and read back.
      const create = await run(SHOAL_BIN, ['--data-dir', dataDir, 'network', 'create', '--driver', 'overlay', 'bundle-net']);
      assert.equal(create.code, 0, create.stderr);
      const networks = await run(SHOAL_BIN, ['--data-dir', dataDir, 'network', 'ls']);
      assert.match(networks.stdout, /bundle-net/);
      // Once up, the daemon writes its own code cache (keyed on its node flags) beside its bundle.
      const deadline = Date.now() + 30_000;
      while (!readdirSync(dirname(DAEMON_BUNDLE)).some((f) => /^shoal-daemon\.cjs\.[0-9a-f]+\.cache$/.test(f)) && Date.now() < deadline) await sleep(100);
      assert.ok(readdirSync(dirname(DAEMON_BUNDLE)).some((f) => /^shoal-daemon\.cjs\.[0-9a-f]+\.cache$/.test(f)), 'no daemon code cache was written');
      // init's certificates were made by the bundled certificate worker: its launcher writes that bundle's code cache once it has answered.
      assert.ok(readdirSync(dirname(PKI_WORKER_BUNDLE)).some((f) => /^shoal-pki-worker\.cjs\.[0-9a-f]+\.cache$/.test(f)), 'the bundled certificate worker did not run (no code cache of its own)');

      const stop = await run(SHOAL_BIN, ['--data-dir', dataDir, 'stop']);
      assert.equal(stop.code, 0, stop.stderr);
      assert.equal(stop.stdout, 'Node stopped.\n');
      assert.equal(isAlive(pid), false);
    });
  });
});
