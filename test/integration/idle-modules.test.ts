/**
 * What an idle manager daemon loads (issue #16, idle memory): after `init` and a short idle, the
 * daemon has not loaded dockerode, docker-modem, ssh2 or cpu-features (the Docker Engine API is
 * reached through src/worker/docker-api.ts, also when an engine answers), nor dns-packet (the
 * node's DNS resolver loads with the first network sandbox), nor @peculiar/x509 (init's certificates
 * are made in a worker thread that ends, src/manager/first-pki.ts). Read from the daemon's own
 * `require.cache` at exit, through a preload passed with SHOAL_DAEMON_EXTRA_NODE_FLAGS: these are
 * CommonJS packages, so every one loaded is listed there. The daemon runs unbundled here
 * (SHOAL_DAEMON_UNBUNDLED=1): the daemon bundle (bin/daemon-main.ts, scripts/bundle-cli.mjs) has
 * no per-package files to list, and esbuild keeps each dynamic `import()` as a lazy initializer,
 * so what the unbundled module graph loads at idle is what the bundle evaluates. RSS is not
 * asserted (too noisy); the figures are in docs/benchmarks.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../../src/process-info.js';
import { freePort } from '../helpers/in-process-cluster.js';
import { runCli, sleep } from './harness.js';

const NOT_LOADED = ['dockerode', 'docker-modem', 'ssh2', 'cpu-features', 'dns-packet', '@peculiar/x509'];

test('an idle manager has not loaded the Docker client libraries, the DNS resolver or the X.509 library', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-idle-modules-'));
  const dataDir = join(dir, 'node');
  const out = join(dir, 'modules.txt');
  const preload = join(dir, 'list-modules.cjs');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, Object.keys(require.cache).join('\\n')));\n`);
  // No plugin socket: this test must not take the host's /run/docker/plugins/shoal.sock.
  const env = { SHOAL_DAEMON_EXTRA_NODE_FLAGS: `--require ${preload}`, SHOAL_DOCKER_PLUGIN_SOCKET: 'none', SHOAL_DAEMON_UNBUNDLED: '1' };
  let pid = 0;
  let stopped = false;
  try {
    const init = await runCli(['--data-dir', dataDir, 'init', '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', 'idle'], env);
    assert.equal(init.code, 0, init.stderr);
    pid = Number(readFileSync(join(dataDir, 'shoal.pid'), 'utf8').split('\n')[0]);
    await sleep(1_000); // past the agent's first session and heartbeat
    const stop = await runCli(['--data-dir', dataDir, 'stop'], env);
    assert.equal(stop.code, 0, stop.stderr);
    stopped = true;
    for (let i = 0; i < 100 && !existsSync(out); i++) await sleep(100);
    const loaded = readFileSync(out, 'utf8').split('\n');
    assert.ok(loaded.some((p) => p.includes('/node_modules/@grpc/grpc-js/')), 'the list is the daemon\'s (grpc-js is loaded)');
    for (const pkg of NOT_LOADED) {
      const hits = loaded.filter((p) => p.includes(`/node_modules/${pkg}/`));
      assert.deepEqual(hits.slice(0, 3), [], `${pkg} was loaded by an idle manager`);
    }
  } finally {
    if (!stopped && pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
