/**
 * What the `shoal` command runs (bin/shoal.cjs loads this, bundled into
 * dist/bin/shoal-launch.cjs): the bundled CLI (dist/bin/shoal-cli.cjs, one
 * file) through a V8 code cache beside it. See docs/design/startup.md.
 *
 * A command run with `--foreground` (a node daemon attached to the terminal)
 * runs the unbundled build, dist/bin/cli.js: it is the daemon's code under the
 * CLI's node flags, for which the CLI's cache is not made. The daemons that
 * `init`, `join` and `start` spawn run their own bundle (bin/daemon-entry.ts).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runWithCodeCache } from './code-cache.js';
import { commandWord } from './command-word.js';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);

if (argv.includes('--foreground')) {
  void import(pathToFileURL(join(here, 'cli.js')).href);
} else {
  const bundle = join(here, 'shoal-cli.cjs');
  // SHOAL_CODE_CACHE=0 runs without the cache (to measure it, or to rule it out).
  runWithCodeCache(bundle, process.env['SHOAL_CODE_CACHE'] === '0' ? null : `${bundle}.cache`, commandWord(argv) ?? '');
}
