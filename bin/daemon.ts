/**
 * The node daemon, unbundled (dist/bin/daemon.js): what the daemon runs when
 * SHOAL_DAEMON_UNBUNDLED=1 (e.g. to profile it file by file) or when the bundle
 * is missing or older than tsc's output (bin/daemon-entry.ts).
 */
import { daemonMain } from './daemon-main.js';

await daemonMain();
