// Proves the `shoal` command as installed (bin/shoal.cjs: the bundled CLI built by `npm run build`,
// run through its code cache) behaves exactly as the unbundled build the other tests run
// (dist/bin/cli.js): the same stdout, stderr and exit code for help, usage errors, typos and shell
// completion; and on a real node started by the bundle's `init`, the same `node ls` table and JSON
// and join token. The daemon that `init` starts runs the unbundled build, and `stop` stops it.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/in-process-cluster.js';
import { isAlive } from '../../src/process-info.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const UNBUNDLED = join(HERE, '../../bin/cli.js');
const BUNDLE = join(HERE, '../../bin/shoal-cli.cjs');
const SHOAL_BIN = join(HERE, '../../../bin/shoal.cjs');

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
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run \`npm run build\` (tsc alone does not bundle)`);
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

    test('init, node ls, join-token and stop', async () => {
      const port = await freePort();
      const init = await run(SHOAL_BIN, ['--data-dir', dataDir, 'init', '--listen-addr', `127.0.0.1:${port}`]);
      assert.equal(init.code, 0, init.stderr);
      assert.match(init.stdout, /Cluster initialized: current node \(\w+\) is now a manager/);
      // The daemon runs the unbundled build (the code every test of the daemon runs).
      const pid = Number(readFileSync(join(dataDir, 'shoal.pid'), 'utf8').split('\n')[0]);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      assert.ok(cmdline.some((a) => a.endsWith('/dist/bin/cli.js')), cmdline.join(' '));

      const table = await same(['--data-dir', dataDir, 'node', 'ls']);
      assert.match(table.stdout, /^ID +HOSTNAME +STATUS +AVAILABILITY +MANAGER STATUS +ADDRESS\n\w+ \* .+ready +active +leader/);
      await same(['--data-dir', dataDir, '--format', 'json', 'node', 'ls']);
      await same(['--data-dir', dataDir, 'join-token', 'worker', '-q']);
      await same(['--data-dir', dataDir, 'node', 'inspect', 'no-such-node']);

      const stop = await run(SHOAL_BIN, ['--data-dir', dataDir, 'stop']);
      assert.equal(stop.code, 0, stop.stderr);
      assert.equal(stop.stdout, 'Node stopped.\n');
      assert.equal(isAlive(pid), false);
    });
  });
});
