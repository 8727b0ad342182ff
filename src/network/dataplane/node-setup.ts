/**
 * Turning a node's data plane on (or saying why not). Settings come from
 * `init`/`join` (`--data-plane`, `--data-path-addr`) and live in
 * `<data-dir>/data-plane.json`; the outcome goes to `data-plane-status.json`,
 * which `init`, `join` and `info` print. Without root, iproute2, a firewall
 * tool (nftables, else iptables) or VXLAN support the node runs as before:
 * addresses only, shared host network.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShoalError } from '../../errors.js';
import type { Logger } from '../../node/logger.js';
import { DataPlane } from './dataplane.js';
import { ip, run } from './exec.js';
import type { Firewall, FirewallName } from './firewall/firewall.js';
import { selectFirewall } from './firewall/select.js';
import { DEFAULT_VXLAN_PORT, hostOf, nodeTag, VXLAN_OVERHEAD } from './names.js';

export const SETTINGS_FILE = 'data-plane.json';
export const STATUS_FILE = 'data-plane-status.json';
const PEERS_FILE = 'data-plane-peers.json';

/** Forgets a node's data-plane state (a new node in the same data dir, or after `leave`). */
export function forgetDataPlaneState(dataDir: string): void {
  for (const f of [STATUS_FILE, PEERS_FILE]) rmSync(join(dataDir, f), { force: true });
}
/** Environment switch that wins over the node's setting (test harnesses sharing one host set it). */
export const DATA_PLANE_ENV = 'SHOAL_DATA_PLANE';
/** Logs each reconcile's timings (`dataplane-reconcile`) when 1: for profiling. */
export const TRACE_ENV = 'SHOAL_DATA_PLANE_TRACE';
/** Period of the full reconcile in ms (default 5 s); tests shorten it. */
export const RESYNC_ENV = 'SHOAL_DATA_PLANE_RESYNC_MS';

export type DataPlaneMode = 'auto' | 'off';

export interface DataPlaneSettings {
  readonly mode: DataPlaneMode;
  /** Empty = the host of the advertise address. */
  readonly dataPathAddr: string;
  /** The cluster's VXLAN port as last learned from a session (the dispatcher says it at every session). */
  readonly port: number;
}

export interface DataPlaneStatus {
  readonly on: boolean;
  /** Why it is off ('' when on). */
  readonly reason: string;
  readonly dataPathAddr: string;
  readonly port: number;
  readonly mtu: number;
  /** The firewall backend in use (absent when off, and in status files of older versions). */
  readonly firewall?: FirewallName;
}

export function parseMode(text: string): DataPlaneMode {
  if (text === 'auto' || text === 'off') return text;
  throw new ShoalError('INVALID_ARGUMENT', `--data-plane ${JSON.stringify(text)}: use auto (on where the node can) or off`);
}

export function checkDataPathAddr(text: string): string {
  if (text !== '' && !/^(\d{1,3})(\.\d{1,3}){3}$/.test(text)) throw new ShoalError('INVALID_ARGUMENT', `--data-path-addr ${JSON.stringify(text)} is not an IPv4 address`);
  return text;
}

export function checkDataPathPort(n: number): number {
  if (!Number.isInteger(n) || n < 1024 || n > 49151) throw new ShoalError('INVALID_ARGUMENT', `--data-path-port ${n}: use a UDP port from 1024 to 49151`);
  return n;
}

export function readSettings(dataDir: string): DataPlaneSettings {
  try {
    const s = JSON.parse(readFileSync(join(dataDir, SETTINGS_FILE), 'utf8')) as Partial<DataPlaneSettings>;
    return { mode: s.mode === 'off' ? 'off' : 'auto', dataPathAddr: s.dataPathAddr ?? '', port: s.port ?? DEFAULT_VXLAN_PORT };
  } catch {
    return { mode: 'auto', dataPathAddr: '', port: DEFAULT_VXLAN_PORT };
  }
}

export function writeSettings(dataDir: string, s: DataPlaneSettings): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SETTINGS_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(s, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

export function readStatus(dataDir: string): DataPlaneStatus | null {
  const file = join(dataDir, STATUS_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DataPlaneStatus;
  } catch {
    return null;
  }
}

/** "on (data path 192.168.1.5, UDP 4789, MTU 1450)" or "off: <why>". */
export function describeStatus(s: DataPlaneStatus): string {
  return s.on ? `on (data path ${s.dataPathAddr}, UDP ${s.port}, MTU ${s.mtu}${s.firewall ? `, firewall ${s.firewall}` : ''})` : `off: ${s.reason}`;
}

/** Why this host cannot run the data plane at `addr`, or its overlay MTU and firewall backend. */
export async function probe(addr: string): Promise<{ ok: true; mtu: number; firewall: Firewall } | { ok: false; reason: string }> {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not root (namespaces and VXLAN devices need root); tasks share the host network' };
  if (/^127\./.test(addr)) {
    return { ok: false, reason: `the data-path address ${addr} is a loopback address (give each node its own with --data-path-addr)` };
  }
  for (const [tool, args, pkg] of [['ip', ['-V'], 'iproute2'], ['bridge', ['-V'], 'iproute2']] as const) {
    const ok = await run(tool, args).then(() => true, () => false);
    if (!ok) return { ok: false, reason: `no \`${tool}\` command (install ${pkg})` };
  }
  const fw = await selectFirewall();
  if (!fw.ok) return { ok: false, reason: fw.reason };
  const links = JSON.parse(await ip(null, null, ['-j', 'addr', 'show'])) as { mtu?: number; addr_info?: { family: string; local: string }[] }[];
  const holder = links.find((l) => (l.addr_info ?? []).some((a) => a.family === 'inet' && a.local === addr));
  if (!holder) return { ok: false, reason: `the data-path address ${addr} is on no interface of this host (set --data-path-addr)` };
  // A scratch namespace: can this kernel make a VXLAN device at all (module present, allowed)?
  const scratch = `shoal-probe-${process.pid}`;
  try {
    await ip(null, null, ['netns', 'add', scratch]);
    await ip(null, scratch, ['link', 'add', 'probe0', 'type', 'vxlan', 'id', '42', 'dstport', '4789']);
  } catch (e) {
    return { ok: false, reason: `cannot create a VXLAN device (${e instanceof Error ? e.message.split('\n')[0] : String(e)})` };
  } finally {
    await ip(null, null, ['netns', 'del', scratch]).catch(() => undefined);
  }
  return { ok: true, mtu: (holder.mtu ?? 1500) - VXLAN_OVERHEAD, firewall: fw.firewall };
}

export interface NodeDataPlane {
  readonly plane: DataPlane | null;
  readonly status: DataPlaneStatus;
}

/** Probes and (when it can) builds the node's data plane; records the outcome in the status file. */
export async function openNodeDataPlane(dataDir: string, nodeId: string, advertiseAddr: string, log: Logger): Promise<NodeDataPlane> {
  const settings = readSettings(dataDir);
  const dataPathAddr = settings.dataPathAddr || hostOf(advertiseAddr);
  const base = { dataPathAddr, port: settings.port, mtu: 0 };
  let status: DataPlaneStatus;
  let plane: DataPlane | null = null;
  if (process.env[DATA_PLANE_ENV] === 'off') status = { ...base, on: false, reason: `turned off (${DATA_PLANE_ENV}=off)` };
  else if (settings.mode === 'off') status = { ...base, on: false, reason: 'turned off (--data-plane off)' };
  else {
    const p = await probe(dataPathAddr);
    if (p.ok) {
      status = { ...base, on: true, reason: '', mtu: p.mtu, firewall: p.firewall.name };
      const resync = Number(process.env[RESYNC_ENV] ?? '');
      plane = new DataPlane({
        tag: nodeTag(nodeId),
        port: settings.port,
        mtu: p.mtu,
        localVtep: dataPathAddr,
        firewall: p.firewall,
        trace: process.env[TRACE_ENV] === '1',
        log,
        stateFile: join(dataDir, PEERS_FILE),
        ...(Number.isInteger(resync) && resync >= 100 ? { resyncMs: resync } : {}),
      });
    } else status = { ...base, on: false, reason: p.reason };
  }
  writeFileSync(join(dataDir, STATUS_FILE), JSON.stringify(status, null, 2) + '\n');
  if (status.on) log.info('dataplane-on', { dataPathAddr, port: settings.port, mtu: status.mtu, firewall: status.firewall });
  else log.warn('dataplane-off', { reason: status.reason });
  return { plane, status };
}

/** The cluster's VXLAN port, learned from a session: kept for the next start. */
export function rememberPort(dataDir: string, port: number): void {
  const s = readSettings(dataDir);
  if (s.port !== port) writeSettings(dataDir, { ...s, port });
}
