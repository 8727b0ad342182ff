import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ShoalError } from '../errors.js';
/** The role a node plays; the same union as the store's NodeRole (kept here so src/node imports nothing of the manager). */
export type NodeRole = 'manager' | 'worker';

/**
 * A node's identity and settings, kept in `<data-dir>/node.json` so that
 * `shoal start` brings the same node back after a stop, crash or reboot.
 */
export interface NodeConfig {
  readonly formatVersion: 1;
  readonly nodeId: string;
  readonly raftId: number;
  readonly clusterId: string;
  readonly role: NodeRole;
  readonly hostname: string;
  /** Where this node listens for gRPC ("HOST:PORT"). */
  readonly listenAddr: string;
  /** Where other nodes reach it ("HOST:PORT"). */
  readonly advertiseAddr: string;
  /** Raft timing; the defaults suit a LAN. */
  readonly tickMs: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
}

export const NODE_CONFIG_FILE = 'node.json';

export function nodeConfigPath(dataDir: string): string {
  return join(dataDir, NODE_CONFIG_FILE);
}

export function readNodeConfig(dataDir: string): NodeConfig | null {
  let text: string;
  try {
    text = readFileSync(nodeConfigPath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ShoalError('FAILED_PRECONDITION', `${nodeConfigPath(dataDir)} is corrupt (not JSON); restore it from a backup or remove the data dir to start a fresh node`);
  }
  const c = parsed as Partial<NodeConfig>;
  if (c.formatVersion !== 1 || typeof c.nodeId !== 'string' || typeof c.raftId !== 'number') {
    throw new ShoalError('FAILED_PRECONDITION', `${nodeConfigPath(dataDir)} is from an incompatible version or incomplete; remove the data dir to start a fresh node`);
  }
  return c as NodeConfig;
}

/** Written atomically (temp file, fsync, rename): a crash leaves the old file or the new one. */
export function writeNodeConfig(dataDir: string, config: NodeConfig): void {
  mkdirSync(dataDir, { recursive: true });
  const target = nodeConfigPath(dataDir);
  const tmp = `${target}.tmp`;
  writeFileSync(tmp, JSON.stringify(config, null, 2) + '\n');
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, target);
  const dirFd = openSync(dataDir, 'r');
  fsyncSync(dirFd);
  closeSync(dirFd);
}

/** Refuses `init`/`join` in a data dir that already holds a node. */
export function assertNoNode(dataDir: string): void {
  const existing = readNodeConfig(dataDir);
  if (existing) {
    throw new ShoalError(
      'FAILED_PRECONDITION',
      `this node is already part of cluster ${existing.clusterId} (data dir ${dataDir}); use \`shoal start\` to run it, or \`shoal leave\` first`,
    );
  }
}
