/**
 * The desired state of a node's data plane, computed purely from its local
 * endpoints and the peer tables: a sandbox per network that has at least one
 * local endpoint (and none otherwise), a namespace per task with endpoints,
 * a veth per endpoint, and static neighbour + FDB entries per remote peer.
 */
import type { DesiredInput, DesiredState, EndpointDesired, EndpointInput, SandboxDesired } from './model.js';
import { bridgeMac, egressAddrs, egressIfName, hostPart, macOf, prefixOf, sandboxIfName, sandboxNs, taskNs } from './names.js';

export function desiredState(input: DesiredInput): DesiredState {
  const byNetwork = new Map<string, EndpointInput[]>();
  for (const e of input.endpoints) {
    const list = byNetwork.get(e.networkId) ?? [];
    list.push(e);
    byNetwork.set(e.networkId, list);
  }
  const localIps = new Set(input.endpoints.map((e) => hostPart(e.address)));
  // Internal networks: those the peer tables named, and those the endpoints' attachments say are.
  const internalNets = new Set(input.internal);
  for (const e of input.endpoints) if (e.internal === true) internalNets.add(e.networkId);
  const sandboxes = new Map<string, SandboxDesired>();
  const nsOfNetwork = new Map<string, string>();
  for (const [networkId, eps] of byNetwork) {
    const first = eps[0]!;
    const ns = sandboxNs(input.tag, first.vni);
    nsOfNetwork.set(networkId, ns);
    const neigh = new Map<string, string>();
    const fdb = new Map<string, string>();
    for (const p of input.peers) {
      // Our own endpoints (and records naming our own VTEP, e.g. during a move) get no entries.
      if (p.networkId !== networkId || p.vtep === input.localVtep || localIps.has(p.ip)) continue;
      const mac = macOf(p.ip);
      neigh.set(p.ip, mac);
      fdb.set(mac, p.vtep);
    }
    const internal = internalNets.has(networkId);
    const mtu = eps.find((e) => e.mtu !== undefined && e.mtu > 0)?.mtu ?? input.mtu;
    const egress = internal ? null : { hostIf: egressIfName(first.vni), hostAddr: egressAddrs(first.vni).host, sandboxAddr: egressAddrs(first.vni).sandbox };
    sandboxes.set(ns, { ns, networkId, vni: first.vni, gatewayCidr: `${first.gateway}/${prefixOf(first.address)}`, bridgeMac: bridgeMac(ns), mtu, egress, neigh, fdb });
  }
  const endpoints = new Map<string, EndpointDesired>();
  const taskNamespaces = new Set<string>();
  const externalNamespaces = new Set<string>();
  const byOwner = new Map<string, EndpointInput[]>();
  for (const e of input.endpoints) byOwner.set(e.ownerId, [...(byOwner.get(e.ownerId) ?? []), e]);
  for (const [ownerId, eps] of byOwner) {
    const tns = taskNs(input.tag, ownerId);
    // A Docker container's endpoints live in Docker's namespace: Shoal makes none for it.
    if (eps.some((e) => e.hostPeer === undefined)) taskNamespaces.add(tns);
    if (eps.some((e) => e.externalNs === true)) externalNamespaces.add(tns);
    const ordered = [...eps].sort((a, b) => a.index - b.index);
    // The default route goes through the first network that has egress.
    const routed = ordered.find((e) => !internalNets.has(e.networkId));
    for (const e of ordered) {
      const sbNs = nsOfNetwork.get(e.networkId)!;
      const sandboxIf = sandboxIfName(ownerId, e.networkId);
      endpoints.set(`${sbNs}/${sandboxIf}`, {
        ownerId,
        taskNs: tns,
        sandboxNs: sbNs,
        sandboxIf,
        ifName: `eth${e.index}`,
        mac: macOf(hostPart(e.address)),
        address: e.address,
        mtu: sandboxes.get(sbNs)!.mtu,
        defaultVia: e === routed ? e.gateway : null,
        hostPeer: e.hostPeer ?? null,
      });
    }
  }
  const hostEgress = [...sandboxes.values()].some((s) => s.egress !== null);
  return { sandboxes, taskNamespaces, externalNamespaces, endpoints, hostEgress, mtu: input.mtu, port: input.port };
}
