/**
 * The node daemon's entry: runs the plan its starter (`shoal init`, `join`,
 * `start`) left in SHOAL_DAEMON_PLAN (bin/daemon-plan.ts). It loads no yargs
 * and no command table. `npm run build` bundles it into dist/bin/shoal-daemon.cjs,
 * run through its own V8 code cache (bin/daemon-launch.ts); dist/bin/daemon.js
 * runs it unbundled. See docs/design/startup.md.
 */
import { errorMessage } from './error-message.js';
import { runDaemonPlan, takePlanFromEnv } from './daemon-plan.js';

/** Resolves once the node runs (the code cache is written then); a failure to start exits 1 with `Error: …` on stderr. */
export async function daemonMain(): Promise<void> {
  try {
    await runDaemonPlan(takePlanFromEnv());
  } catch (e) {
    // The starter reports the last `Error:` line of the log as its own error.
    process.stderr.write(`Error: ${await errorMessage(e)}\n`);
    process.exit(1);
  }
}
