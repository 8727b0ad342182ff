/**
 * Reads what exists: our namespaces (by tag), and in each sandbox its links,
 * br0's addresses, and vxlan0's permanent neighbour and FDB entries. Task
 * namespaces are not read one by one: an endpoint exists iff its sandbox end
 * does (a veth pair lives and dies as one), which keeps a read at a few
 * processes per network instead of one per task.
 */
import type { ActualState, LinkActual, SandboxActual } from './model.js';
import { bridge, ip, type HostNs } from './exec.js';
import type { Firewall } from './firewall/firewall.js';
import { nftables } from './firewall/nftables.js';

interface IpLink {
  ifname: string;
  master?: string;
  flags?: string[];
  operstate?: string;
  mtu?: number;
  address?: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number; port?: number } };
}

export async function listNamespaces(hostNs: HostNs, tag: string): Promise<string[]> {
  void hostNs; // namespace names are per mount namespace, not per network namespace
  const out = await ip(null, null, ['netns', 'list']);
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n.startsWith(tag));
}

export async function readActual(hostNs: HostNs, tag: string, firewall: Firewall = nftables): Promise<ActualState> {
  const namespaces = new Set(await listNamespaces(hostNs, tag));
  const sandboxes = new Map<string, SandboxActual>();
  const [hostFirewall] = await Promise.all([
    firewall.readHost(hostNs),
    ...[...namespaces]
      .filter((ns) => ns.startsWith(`${tag}sb-`))
      .map(async (ns) => {
        const sb = await readSandbox(hostNs, ns).catch(() => null);
        if (sb) sandboxes.set(ns, sb);
        else namespaces.delete(ns); // vanished between the listing and the read
      }),
  ]);
  return { namespaces, sandboxes, hostFirewall };
}

interface IpAddrLink extends IpLink {
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

function linkOf(l: IpLink): LinkActual {
  return {
    name: l.ifname,
    master: l.master ?? null,
    up: (l.flags ?? []).includes('UP'),
    kind: l.linkinfo?.info_kind ?? '',
    ...(l.mtu !== undefined ? { mtu: l.mtu } : {}),
    ...(l.address !== undefined ? { mac: l.address } : {}),
    ...(l.linkinfo?.info_kind === 'vxlan' && l.linkinfo.info_data?.id !== undefined ? { vni: l.linkinfo.info_data.id } : {}),
    ...(l.linkinfo?.info_kind === 'vxlan' && l.linkinfo.info_data?.port !== undefined ? { port: l.linkinfo.info_data.port } : {}),
  };
}

/**
 * One sandbox in two rounds of processes: its links with their details and addresses (`ip -d -j
 * addr`, one process), then vxlan0's neighbour and FDB entries side by side.
 */
async function readSandbox(hostNs: HostNs, ns: string): Promise<SandboxActual> {
  const raw = JSON.parse(await ip(hostNs, ns, ['-d', '-j', 'addr', 'show'])) as IpAddrLink[];
  const links = new Map(raw.map((l) => [l.ifname, linkOf(l)]));
  const br0Addrs: string[] = [];
  for (const a of raw.find((l) => l.ifname === 'br0')?.addr_info ?? []) if (a.family === 'inet') br0Addrs.push(`${a.local}/${a.prefixlen}`);
  const neigh = new Map<string, string>();
  const fdb = new Map<string, string>();
  if (links.has('vxlan0')) {
    const [n, f] = await Promise.all([
      ip(hostNs, ns, ['-j', 'neigh', 'show', 'dev', 'vxlan0', 'nud', 'permanent']).then((o) => JSON.parse(o) as { dst: string; lladdr?: string }[]),
      bridge(hostNs, ns, ['-j', 'fdb', 'show', 'dev', 'vxlan0']).then((o) => JSON.parse(o) as { mac: string; dst?: string }[]),
    ]);
    for (const e of n) if (e.lladdr) neigh.set(e.dst, e.lladdr);
    for (const e of f) if (e.dst && e.mac !== '00:00:00:00:00:00') fdb.set(e.mac, e.dst);
  }
  return { links, br0Addrs, neigh, fdb };
}
