/**
 * Names and derived values of the data plane. Network namespace names are
 * global to the host's mount namespace, so each carries the node's tag;
 * interface names are per namespace but limited to 15 bytes (IFNAMSIZ − 1).
 */
import { createHash } from 'node:crypto';

/** Egress links: one /31 per sandbox from this link-local block, picked by VXLAN ID. */
export const EGRESS_BLOCK_BASE = (169 << 24) | (254 << 16) | (128 << 8);
/** /31 pairs in the egress block (169.254.128.0/17). */
export const EGRESS_PAIRS = 16_384;
export const EGRESS_BLOCK = '169.254.128.0/17';
/** VXLAN + outer UDP/IP/Ethernet headers (14 + 20 + 8 + 8). */
export const VXLAN_OVERHEAD = 50;
export const DEFAULT_VXLAN_PORT = 4789;
/** Host-side egress link names start with this (nft matches "sgw*"). */
export const EGRESS_IF_PREFIX = 'sgw';
/** Temporary name of a VXLAN device in the host namespace before it moves into its sandbox. */
export const VXLAN_TMP_PREFIX = 'svx';

/** The tag of a node: "shoal-" + the first 8 characters of its ID (lower-cased, safe). */
export function nodeTag(nodeId: string): string {
  const short = nodeId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8);
  if (short.length === 0) throw new Error(`node id ${JSON.stringify(nodeId)} gives no namespace tag`);
  return `shoal-${short}-`;
}

export function sandboxNs(tag: string, vni: number): string {
  return `${tag}sb-${vni}`;
}

export function taskNs(tag: string, ownerId: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(ownerId)) throw new Error(`task id ${JSON.stringify(ownerId)} is not a safe namespace name`);
  return `${tag}t-${ownerId}`;
}

/** The sandbox end of an endpoint's veth: "ve" + 10 hex digits of a hash of owner and network. */
export function sandboxIfName(ownerId: string, networkId: string): string {
  return `ve${createHash('sha1').update(`${ownerId}/${networkId}`).digest('hex').slice(0, 10)}`;
}

export function egressIfName(vni: number): string {
  return `${EGRESS_IF_PREFIX}${vni}`;
}

/** As Docker: 02:42 followed by the four bytes of the IPv4 address. */
export function macOf(ip: string): string {
  const parts = ip.split('.').map((p) => Number(p));
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  return ['02', '42', ...parts.map((p) => p.toString(16).padStart(2, '0'))].join(':');
}

/**
 * The MAC address of a sandbox's bridge (br0, which holds the network's gateway address), fixed
 * when the bridge is made. A bridge without an address of its own takes the lowest MAC of its
 * ports, so it changed whenever an endpoint came or went (the adopt move removes one and adds
 * another): every endpoint's neighbour entry for the gateway then pointed at a MAC that no longer
 * answered, and DNS to the node's resolver (on the gateway) was lost until that entry expired —
 * 5 to 30 s with no name answered (docs/design/dataplane.md, "The bridge's address"). Derived from
 * the sandbox's namespace name, which carries the node's tag, so it is stable across restarts and
 * differs between nodes; locally administered (06:…), apart from the endpoints' 02:42:… range.
 */
export function bridgeMac(sandboxNs: string): string {
  const h = createHash('sha1').update(`br0/${sandboxNs}`).digest('hex');
  return ['06', h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10)].join(':');
}

/** Host and sandbox ends of the egress /31 of a network (by VXLAN ID). */
export function egressAddrs(vni: number): { host: string; sandbox: string } {
  const pair = (vni - 4096 + EGRESS_PAIRS * 64) % EGRESS_PAIRS;
  const base = (EGRESS_BLOCK_BASE + pair * 2) >>> 0;
  return { host: `${ipText(base)}/31`, sandbox: `${ipText(base + 1)}/31` };
}

export function ipText(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** "10.0.1.5/24" -> "10.0.1.5". */
export function hostPart(cidr: string): string {
  const i = cidr.indexOf('/');
  return i < 0 ? cidr : cidr.slice(0, i);
}

export function prefixOf(cidr: string): number {
  const i = cidr.indexOf('/');
  return i < 0 ? 32 : Number(cidr.slice(i + 1));
}

/** "HOST:PORT" -> "HOST" (an address without port is returned as it is). */
export function hostOf(addr: string): string {
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(addr);
  if (bracket) return bracket[1]!;
  const i = addr.lastIndexOf(':');
  return i > 0 && addr.indexOf(':') === i ? addr.slice(0, i) : addr;
}
