/**
 * The manager addresses a worker knows, read from its data dir. A module of its own so that the
 * CLI (`shoal run`, `shoal info`) reads them without loading the worker daemon (the agent, the
 * executors, the data plane and the Docker plugin: a third of a second of CPU at every start).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a worker keeps the newest manager list its sessions reported. */
export const MANAGERS_FILE = 'managers.json';

/** Manager addresses: the newest list a session reported, else those known when the node joined (join-peers.json). */
export function knownManagers(dataDir: string): string[] {
  try {
    const latest = JSON.parse(readFileSync(join(dataDir, MANAGERS_FILE), 'utf8')) as unknown;
    if (Array.isArray(latest) && latest.length > 0 && latest.every((a) => typeof a === 'string')) return latest;
  } catch {
    // none recorded yet
  }
  const file = join(dataDir, 'join-peers.json');
  if (!existsSync(file)) return [];
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { addr: string }[]).map((p) => p.addr).filter((a) => a !== '');
  } catch {
    return [];
  }
}
