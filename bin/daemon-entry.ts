/**
 * Which file a node daemon runs. Normally the bundled daemon through its code
 * cache (dist/bin/shoal-daemon-launch.cjs, made by `npm run build`); the
 * unbundled build (dist/bin/daemon.js) when asked (SHOAL_DAEMON_UNBUNDLED=1,
 * e.g. to profile file by file), and when the bundle could hold other code
 * than dist/: it is missing, or older than tsc's last output (`npx tsc` alone
 * does not bundle). A daemon always runs the code of the build that starts it.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';

export const DAEMON_UNBUNDLED_ENV = 'SHOAL_DAEMON_UNBUNDLED';
/** The files of the bundled daemon, in dist/bin (scripts/bundle-cli.mjs). */
export const DAEMON_LAUNCHER = 'shoal-daemon-launch.cjs';
export const DAEMON_BUNDLE = 'shoal-daemon.cjs';

export interface DaemonEntry {
  readonly script: string;
  readonly bundled: boolean;
  /** Why the unbundled daemon runs (for the daemon's log), or null. */
  readonly why: string | null;
}

/** The daemon's entry script in `binDir` (the dist/bin of the build that starts it). */
export function daemonEntry(binDir: string, env: NodeJS.ProcessEnv = process.env): DaemonEntry {
  const unbundled = (why: string): DaemonEntry => ({ script: join(binDir, 'daemon.js'), bundled: false, why });
  if (env[DAEMON_UNBUNDLED_ENV] === '1') return unbundled(`${DAEMON_UNBUNDLED_ENV}=1`);
  const launcher = join(binDir, DAEMON_LAUNCHER);
  let bundledAt: number;
  try {
    bundledAt = Math.min(statSync(launcher).mtimeMs, statSync(join(binDir, DAEMON_BUNDLE)).mtimeMs);
  } catch {
    return unbundled('the daemon bundle is missing (`npm run build` makes it; tsc alone does not)');
  }
  try {
    // tsc rewrites its build info whenever it compiles: a bundle older than that may miss the change.
    if (statSync(join(binDir, '../.tsbuildinfo')).mtimeMs > bundledAt) return unbundled('the daemon bundle is older than tsc\'s last output (`npm run build` remakes it)');
  } catch {
    // No build info (an install without it): nothing to compare with.
  }
  return { script: launcher, bundled: true, why: null };
}
