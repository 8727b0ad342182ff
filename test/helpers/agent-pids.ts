import { join } from 'node:path';
import { AgentStore } from '../../src/worker/agent-store.js';

/**
 * Task or container ID → pid of every running task a node's agent recorded (its agent.db), read
 * while the daemon may be running or dead: what a test compares before and after a fault to prove
 * the same processes kept running.
 */
export function runningTaskPids(dataDir: string): Map<string, number> {
  const store = new AgentStore(join(dataDir, 'agent.db'));
  try {
    return new Map(store.all().filter((a) => a.desired === 'running' && a.state === 'running').map((a) => [a.spec.id, a.pid]));
  } finally {
    store.close();
  }
}
