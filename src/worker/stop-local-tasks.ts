/**
 * When a node leaves the cluster its tasks and containers stop with it (as
 * with `docker swarm leave`). The agent records each task's process in
 * agent.db; this stops every one of them that still runs — checking each pid
 * really is that task's (not a recycled pid) — politely, then forcefully.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AgentStore } from './agent-store.js';
import { isAlive, isOurProcess } from './process-executor.js';

const POLL_MS = 50;

export async function stopLocalTasks(dataDir: string, graceMs: number): Promise<number> {
  const file = join(dataDir, 'agent.db');
  if (!existsSync(file)) return 0;
  const store = new AgentStore(file);
  let pids: number[];
  try {
    pids = store
      .all()
      .filter((a) => a.pid > 0 && isOurProcess(a.pid, a.spec.id))
      .map((a) => a.pid);
  } finally {
    store.close();
  }
  const signal = (sig: NodeJS.Signals): void => {
    for (const pid of pids) {
      try {
        process.kill(-pid, sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, POLL_MS));
  if (pids.some(isAlive)) signal('SIGKILL');
  return pids.length;
}
