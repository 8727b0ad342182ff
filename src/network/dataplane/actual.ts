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
  await Promise.all(
    [...namespaces]
      .filter((ns) => ns.startsWith(`${tag}sb-`))
      .map(async (ns) => {
        const sb = await readSandbox(hostNs, ns).catch(() => null);
        if (sb) sandboxes.set(ns, sb);
        else namespaces.delete(ns); // vanished between the listing and the read
      }),
  );
  const hostFirewall = await firewall.readHost(hostNs);
  return { namespaces, sandboxes, hostFirewall };
}

async function readLinks(hostNs: HostNs, ns: string | null): Promise<LinkActual[]> {
  const links = JSON.parse(await ip(hostNs, ns, ['-j', '-d', 'link', 'show'])) as IpLink[];
  return links.map((l) => ({
    name: l.ifname,
    master: l.master ?? null,
    up: (l.flags ?? []).includes('UP'),
    kind: l.linkinfo?.info_kind ?? '',
    ...(l.mtu !== undefined ? { mtu: l.mtu } : {}),
    ...(l.linkinfo?.info_kind === 'vxlan' && l.linkinfo.info_data?.id !== undefined ? { vni: l.linkinfo.info_data.id } : {}),
    ...(l.linkinfo?.info_kind === 'vxlan' && l.linkinfo.info_data?.port !== undefined ? { port: l.linkinfo.info_data.port } : {}),
  }));
}

async function readSandbox(hostNs: HostNs, ns: string): Promise<SandboxActual> {
  const links = new Map((await readLinks(hostNs, ns)).map((l) => [l.name, l]));
  const br0Addrs: string[] = [];
  const neigh = new Map<string, string>();
  const fdb = new Map<string, string>();
  if (links.has('br0')) {
    const addrs = JSON.parse(await ip(hostNs, ns, ['-j', 'addr', 'show', 'dev', 'br0'])) as { addr_info?: { family: string; local: string; prefixlen: number }[] }[];
    for (const a of addrs[0]?.addr_info ?? []) if (a.family === 'inet') br0Addrs.push(`${a.local}/${a.prefixlen}`);
  }
  if (links.has('vxlan0')) {
    const n = JSON.parse(await ip(hostNs, ns, ['-j', 'neigh', 'show', 'dev', 'vxlan0', 'nud', 'permanent'])) as { dst: string; lladdr?: string }[];
    for (const e of n) if (e.lladdr) neigh.set(e.dst, e.lladdr);
    const f = JSON.parse(await bridge(hostNs, ns, ['-j', 'fdb', 'show', 'dev', 'vxlan0'])) as { mac: string; dst?: string; state?: string }[];
    for (const e of f) if (e.dst && e.mac !== '00:00:00:00:00:00') fdb.set(e.mac, e.dst);
  }
  return { links, br0Addrs, neigh, fdb };
}
