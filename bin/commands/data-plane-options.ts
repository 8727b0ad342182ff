/**
 * The data-plane flags of `init` and `join` (kept here so lifecycle.ts only wires them):
 * `--data-plane auto|off`, `--data-path-addr`, and on `init` the cluster-wide `--data-path-port`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { removeDataPlane } from '../../src/network/dataplane/dataplane.js';
import { nodeTag } from '../../src/network/dataplane/names.js';
import { checkDataPathAddr, checkDataPathPort, describeStatus, forgetDataPlaneState, parseMode, readStatus, writeSettings } from '../../src/network/dataplane/node-setup.js';
import { DEFAULT_VXLAN_PORT } from '../../src/network/dataplane/names.js';

/** How long `init`/`join` wait for the daemon to say whether its data plane is on. */
const STATUS_WAIT_MS = 5_000;
/** A poll is one small file read; the daemon writes the status soon after it is ready. */
const STATUS_POLL_MS = 10;

export const dataPlaneOptions = {
  mode: ['data-plane', { type: 'string', default: 'auto', describe: 'auto: tasks get their own namespaces and the VXLAN data path where this host allows (root, iproute2, nftables); off: addresses only' }],
  addr: ['data-path-addr', { type: 'string', describe: "IPv4 address other nodes send this node's VXLAN traffic to (default: the advertise address's host)" }],
  port: ['data-path-port', { type: 'number', describe: 'UDP port of the VXLAN data path, for the whole cluster (default 4789)' }],
} as const;

export interface DataPlaneArgs {
  readonly dataPlane?: string | undefined;
  readonly dataPathAddr?: string | undefined;
  readonly dataPathPort?: number | undefined;
}

/** Only the data-plane flags of `a` (what a daemon plan carries, bin/daemon-plan.ts). */
export function dataPlaneArgs(a: DataPlaneArgs): DataPlaneArgs {
  return {
    ...(a.dataPlane !== undefined ? { dataPlane: a.dataPlane } : {}),
    ...(a.dataPathAddr !== undefined ? { dataPathAddr: a.dataPathAddr } : {}),
    ...(a.dataPathPort !== undefined ? { dataPathPort: a.dataPathPort } : {}),
  };
}

/** Checks the flags; with a data dir, records them for the node. Returns the port given (if any). */
export function saveDataPlaneSettings(dataDir: string | null, a: DataPlaneArgs): { port?: number } {
  const mode = parseMode(a.dataPlane ?? 'auto');
  const dataPathAddr = checkDataPathAddr(a.dataPathAddr ?? '');
  const port = a.dataPathPort === undefined ? undefined : checkDataPathPort(a.dataPathPort);
  if (dataDir) {
    forgetDataPlaneState(dataDir); // a new node: an old status or peer table must not be read as its own
    writeSettings(dataDir, { mode, dataPathAddr, port: port ?? DEFAULT_VXLAN_PORT });
  }
  return port === undefined ? {} : { port };
}

/** "Data plane: on (…)" or "Data plane: off: <why> …", once the daemon has probed. */
export async function printDataPlaneStatus(dataDir: string): Promise<void> {
  const deadline = Date.now() + STATUS_WAIT_MS;
  let status = readStatus(dataDir);
  while (!status && Date.now() < deadline) {
    await sleep(STATUS_POLL_MS);
    status = readStatus(dataDir);
  }
  if (!status) return;
  const tail = status.on ? '' : '; tasks get addresses but share the host network';
  process.stdout.write(`Data plane: ${describeStatus(status)}${tail}\n`);
}

/** After `leave`: namespaces, links and rules this node's data plane made are removed. */
export async function removeNodeDataPlane(dataDir: string, nodeId: string): Promise<void> {
  const on = readStatus(dataDir)?.on === true;
  forgetDataPlaneState(dataDir);
  if (!on) return;
  const n = await removeDataPlane(null, nodeTag(nodeId)).catch(() => 0);
  if (n > 0) process.stdout.write(`Removed ${n} network namespace(s) of this node.\n`);
}
