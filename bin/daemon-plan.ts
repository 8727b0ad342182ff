/**
 * What a node daemon does when it starts, decided by the command that starts it.
 *
 * `shoal init`, `join` and `start` parse and check their flags in the CLI and
 * hand the daemon a plan (JSON in SHOAL_DAEMON_PLAN), so the daemon needs no
 * argument parser and no command table: its entry (bin/daemon-main.ts) loads
 * only the daemon's own code. `--foreground` runs the same plan in the CLI's
 * own process. The plan travels in the environment, not the arguments, so a
 * join token never shows in a process listing; the daemon removes it from its
 * environment before anything else runs (tasks must not inherit it).
 */
import { ShoalError } from '../src/errors.js';
import type * as ManagerDaemon from '../src/manager/daemon.js';
import type { InitOptions, JoinOptions } from '../src/manager/daemon.js';
import { stderrLogger } from '../src/node/logger.js';
import { readNodeConfig } from '../src/node/node-config.js';
import type { DataPlaneArgs } from './commands/data-plane-options.js';

export const DAEMON_PLAN_ENV = 'SHOAL_DAEMON_PLAN';

/** Without the data dir: it is the plan's own field. */
type Without<T> = Omit<T, 'dataDir'>;

export type DaemonPlan =
  /** A new cluster with this node as its one manager (unless the data dir already holds a node: then start it). */
  | { readonly kind: 'init'; readonly dataDir: string; readonly init: Without<InitOptions>; readonly dataPlane: DataPlaneArgs }
  /** Join a cluster (unless the data dir already holds a node: then start it). */
  | { readonly kind: 'join'; readonly dataDir: string; readonly join: Without<JoinOptions>; readonly dataPlane: DataPlaneArgs }
  /** Start the node the data dir holds. */
  | { readonly kind: 'start'; readonly dataDir: string };

/** The plan in the daemon's environment, removed from it; a clear error if it is missing or malformed. */
export function takePlanFromEnv(env: NodeJS.ProcessEnv = process.env): DaemonPlan {
  const text = env[DAEMON_PLAN_ENV];
  delete env[DAEMON_PLAN_ENV];
  if (text === undefined || text === '') {
    throw new ShoalError('INVALID_ARGUMENT', `${DAEMON_PLAN_ENV} is not set: the daemon entry is started by \`shoal init\`, \`join\` or \`start\` (run one of those, with --foreground to stay attached)`);
  }
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (e) {
    throw new ShoalError('INVALID_ARGUMENT', `${DAEMON_PLAN_ENV} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const p = plan as Partial<Record<string, unknown>>;
  const kindOk = p['kind'] === 'start' || (p['kind'] === 'init' && typeof p['init'] === 'object') || (p['kind'] === 'join' && typeof p['join'] === 'object');
  if (!kindOk || typeof p['dataDir'] !== 'string' || p['dataDir'] === '') {
    throw new ShoalError('INVALID_ARGUMENT', `${DAEMON_PLAN_ENV} is not a daemon plan (kind init|join|start and a data dir): ${text.slice(0, 200)}`);
  }
  return plan as DaemonPlan;
}

/**
 * Creates the node if the plan says so and the data dir has none yet, then runs
 * the node daemon until SIGTERM/SIGINT; its log goes to stderr.
 */
export async function runDaemonPlan(plan: DaemonPlan): Promise<void> {
  const { dataDir } = plan;
  // The daemon's modules (SQLite, Raft, manager, agent) load only in the process that becomes the daemon.
  if (plan.kind !== 'start' && !readNodeConfig(dataDir)) {
    // init's certificates are begun first, in a worker thread, on the other core while this one loads the daemon.
    const pki = plan.kind === 'init' ? (await import('../src/manager/first-pki.js')).startFirstPki() : undefined;
    let daemon: typeof ManagerDaemon;
    try {
      daemon = await import('../src/manager/daemon.js');
      // Imported here, not at the top: the data plane's modules would load before the worker above starts.
      const { saveDataPlaneSettings } = await import('./commands/data-plane-options.js');
      saveDataPlaneSettings(dataDir, plan.dataPlane);
    } catch (e) {
      pki?.cancel(); // a waiting worker would keep a --foreground process alive
      throw e;
    }
    const { bootstrapCluster, joinCluster } = daemon;
    if (plan.kind === 'init') await bootstrapCluster({ ...plan.init, dataDir }, pki);
    else await joinCluster({ ...plan.join, dataDir });
  }
  const { runNode, stopNodeOnSignals } = await import('../src/node/daemon.js');
  const config = readNodeConfig(dataDir);
  const log = stderrLogger({ node: config?.hostname ?? '' });
  stopNodeOnSignals(await runNode(dataDir, log));
}
