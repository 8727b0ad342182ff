import { join } from 'node:path';
import { AgentStore } from '../../src/worker/agent-store.js';

/**
 * Safety net for tests that start real nodes: kills whatever task processes a
 * node's agent recorded in its agent.db (task processes outlive `shoal stop`
 * by design, so `start` can re-adopt them).
 */
export function killStoredTasks(dataDir: string): void {
  let store: AgentStore | null = null;
  try {
    store = new AgentStore(join(dataDir, 'agent.db'));
    for (const a of store.all()) {
      try {
        if (a.pid > 0) process.kill(-a.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  } catch {
    // no agent store
  } finally {
    store?.close();
  }
}
