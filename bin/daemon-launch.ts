/**
 * What a node daemon runs (bundled into dist/bin/shoal-daemon-launch.cjs):
 * the bundled daemon (dist/bin/shoal-daemon.cjs, built from bin/daemon-main.ts)
 * through a V8 code cache of its own. See docs/design/startup.md.
 *
 * The daemon runs under other node flags than a command (DAEMON_NODE_FLAGS,
 * plus any SHOAL_DAEMON_EXTRA_NODE_FLAGS), and V8 refuses a cache made under
 * other flags. So the cache is keyed on the flags too, and each set of flags
 * has its own file: a profiled run does not replace the everyday cache. It is
 * written once the node is up (a daemon may run for weeks, or be killed -9,
 * so "at exit" would be late or never), one second later so that the timers
 * and first calls of a running node are compiled too.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript } from './code-cache.js';
import { flagsCacheFile } from './flags-cache-file.js';

const WRITE_AFTER_READY_MS = 1_000;

const bundle = join(dirname(fileURLToPath(import.meta.url)), 'shoal-daemon.cjs');
const { file: cacheFile, flags } = flagsCacheFile(bundle);
// SHOAL_CODE_CACHE=0 runs without the cache (to measure it, or to rule it out).
const run = runScript(bundle, process.env['SHOAL_CODE_CACHE'] === '0' ? null : cacheFile, 'daemon', { keyExtra: `flags=[${flags}]`, writeAt: 'on-call' });
if (run.outcome.willWrite) {
  const { ready } = run.exports as { ready?: Promise<void> };
  const write = run.write;
  void ready?.then(() => setTimeout(write, WRITE_AFTER_READY_MS).unref());
}
