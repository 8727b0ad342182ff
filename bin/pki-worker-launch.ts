/**
 * The script of init's certificate worker in the bundled daemon (src/manager/first-pki.ts), bundled
 * into dist/bin/shoal-pki-worker-launch.cjs: runs dist/bin/shoal-pki-worker.cjs (the worker with
 * @peculiar/x509 and its ASN.1 code in one file) through a V8 code cache of its own, keyed on the
 * node flags as the daemon's is. Without it the worker loaded ≈ 270 files one by one, most of its
 * time. The cache is written once the worker has answered, so it holds the code that ran.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript } from './code-cache.js';
import { flagsCacheFile } from './flags-cache-file.js';

const bundle = join(dirname(fileURLToPath(import.meta.url)), 'shoal-pki-worker.cjs');
const { file, flags } = flagsCacheFile(bundle);
const run = runScript(bundle, process.env['SHOAL_CODE_CACHE'] === '0' ? null : file, 'pki', { keyExtra: `flags=[${flags}]`, writeAt: 'on-call' });
if (run.outcome.willWrite) void (run.exports as { done?: Promise<void> }).done?.then(run.write);
