/**
 * The pure diff between desired and actual state: an ordered list of command
 * batches that, applied, make the actual state the desired one — both ways
 * (missing things are created, things we own that should not exist are
 * removed). Removals come first, so a leftover sandbox never blocks the VNI
 * of its replacement ("file exists").
 */
import type { ActualState, DesiredState, EndpointDesired, SandboxActual, SandboxDesired, Step } from './model.js';
import { EGRESS_IF_PREFIX, hostPart, VXLAN_TMP_PREFIX } from './names.js';
import type { Firewall } from './firewall/firewall.js';
import { nftables } from './firewall/nftables.js';

export function planChanges(desired: DesiredState, actual: ActualState, firewall: Firewall = nftables): Step[] {
  const removals: Step[] = [];
  const creations: Step[] = [];
  const rebuilt = new Set<string>();
  const newSandboxes: string[] = [];
  for (const [ns, want] of desired.sandboxes) {
    const have = actual.namespaces.has(ns) ? actual.sandboxes.get(ns) : undefined;
    if (have && sandboxHealthy(want, have, desired.port)) {
      // A bridge made before its MAC was fixed (or changed by hand) gets it set in place: setting
      // an address also stops the kernel from re-deriving it from the ports. Not a rebuild, which
      // would cut every endpoint; the gateway's MAC changes this once.
      const br = have.links.get('br0');
      if (br?.mac !== undefined && br.mac !== want.bridgeMac) creations.push(ipStep(ns, [`link set br0 address ${want.bridgeMac}`], false, `fix the bridge MAC of ${ns}`));
      continue;
    }
    if (actual.namespaces.has(ns)) {
      removals.push(...removeSandbox(ns, want.vni, want.egress?.hostIf ?? null));
      rebuilt.add(ns);
    }
    creations.push(...createSandbox(want, desired, firewall));
    newSandboxes.push(ns);
    rebuilt.add(ns);
  }
  // Endpoints: stale sandbox ends go first (their task ends vanish with them).
  for (const [ns, have] of actual.sandboxes) {
    if (!desired.sandboxes.has(ns) || rebuilt.has(ns)) continue;
    const stale = [...have.links.values()].filter((l) => l.kind === 'veth' && l.name.startsWith('ve') && !desired.endpoints.has(`${ns}/${l.name}`));
    if (stale.length > 0) removals.push(ipStep(ns, stale.map((l) => `link del ${l.name}`), true, `remove ${stale.length} stale endpoint(s) from ${ns}`));
  }
  for (const ns of actual.namespaces) {
    if (desired.sandboxes.has(ns) || desired.taskNamespaces.has(ns)) continue;
    const sb = actual.sandboxes.get(ns);
    if (sb) {
      const vx = sb.links.get('vxlan0');
      removals.push(...removeSandbox(ns, vx?.vni ?? 0, sb.links.has('gw') && vx?.vni ? `${EGRESS_IF_PREFIX}${vx.vni}` : null));
    } else removals.push(netnsStep([`del ${ns}`], `remove namespace ${ns}`));
  }
  // An external namespace (an image task's container) is named by its executor; until it is, its
  // endpoints wait: a namespace made here would not be the container's.
  const external = desired.externalNamespaces ?? new Set<string>();
  const newTaskNs = [...desired.taskNamespaces].filter((ns) => !actual.namespaces.has(ns) && !external.has(ns));
  // Every new namespace in one process, first: the task namespaces are then ready for their names
  // (resolv.conf, VIP rules), which the runtime prepares while the links are made.
  const added = [...newSandboxes, ...newTaskNs];
  if (added.length > 0) creations.unshift({ ...netnsStep(added.map((ns) => `add ${ns}`), `create ${added.length} namespace(s)`), readies: newTaskNs });
  const missing = [...desired.endpoints.values()].filter((ep) => {
    if (external.has(ep.taskNs) && !actual.namespaces.has(ep.taskNs)) return false;
    const link = actual.sandboxes.get(ep.sandboxNs)?.links.get(ep.sandboxIf);
    return rebuilt.has(ep.sandboxNs) || link === undefined || !link.up || link.master !== 'br0';
  });
  // New neighbour entries ride in the sandbox's batch that attaches its endpoints (one process less).
  const peers = [...desired.sandboxes].map(([ns, want]) => peerSteps(want, rebuilt.has(ns) ? undefined : actual.sandboxes.get(ns)));
  const neighAdds = new Map(peers.filter((p) => p.neighAdd.length > 0).map((p) => [p.ns, p.neighAdd]));
  creations.push(...createEndpoints(missing, actual, rebuilt, neighAdds));
  for (const p of peers) {
    creations.push(...p.steps);
    const left = neighAdds.get(p.ns);
    if (left) creations.push(ipStep(p.ns, left, false, `add ${left.length} neighbour entries in ${p.ns}`));
  }
  // The host's rules: masquerade what leaves through the host, no forwarding between sandboxes.
  const host = firewall.planHost(desired.hostEgress, actual.hostFirewall);
  return [...removals, ...creations, ...host];
}

function sandboxHealthy(want: SandboxDesired, have: SandboxActual, port: number): boolean {
  const br = have.links.get('br0');
  const vx = have.links.get('vxlan0');
  const gw = have.links.get('gw');
  return (
    br !== undefined &&
    br.up &&
    have.br0Addrs.includes(want.gatewayCidr) &&
    vx !== undefined &&
    vx.kind === 'vxlan' &&
    vx.vni === want.vni &&
    vx.up &&
    vx.master === 'br0' &&
    vx.port === port &&
    // An MTU that differs (read back where known) means the sandbox was made for other settings.
    (vx.mtu === undefined || vx.mtu === want.mtu) &&
    (want.egress === null) === (gw === undefined)
  );
}

function ipStep(ns: string | null, lines: string[], force: boolean, what: string): Step {
  return { tool: 'ip', ns, lines, force, what };
}

/** Namespace additions and removals: not forced, except removals (already gone is fine). */
function netnsStep(lines: string[], what: string): Step {
  return { tool: 'netns', ns: null, lines, force: lines.every((l) => l.startsWith('del ')), what };
}

function removeSandbox(ns: string, vni: number, hostIf: string | null): Step[] {
  // vxlan0 first and explicitly: its UDP socket lives in the host namespace and, left to the
  // namespace's asynchronous teardown, can still hold the VNI when the replacement is created.
  const steps: Step[] = [ipStep(ns, ['link del vxlan0'], true, `remove vxlan0 of ${ns}`)];
  const host: string[] = [];
  if (hostIf) host.push(`link del ${hostIf}`);
  if (vni > 0) host.push(`link del ${VXLAN_TMP_PREFIX}${vni}`);
  if (host.length > 0) steps.push(ipStep(null, host, true, `remove host links of ${ns}`));
  steps.push(netnsStep([`del ${ns}`], `remove sandbox ${ns}`));
  return steps;
}

function createSandbox(s: SandboxDesired, d: DesiredState, firewall: Firewall): Step[] {
  const tmp = `${VXLAN_TMP_PREFIX}${s.vni}`;
  const host = [
    // Made in the host namespace so its UDP socket is there, then moved in (Docker does the same).
    `link add ${tmp} mtu ${s.mtu} type vxlan id ${s.vni} dstport ${d.port} proxy nolearning`,
    `link set ${tmp} netns ${s.ns}`,
  ];
  const inside = [
    'link set lo up',
    `link add br0 mtu ${s.mtu} address ${s.bridgeMac} type bridge`,
    `addr add ${s.gatewayCidr} dev br0`,
    `link set ${tmp} name vxlan0`,
    'link set vxlan0 master br0 up',
    'link set br0 up',
  ];
  const steps: Step[] = [];
  if (s.egress) {
    host.push(`link add ${s.egress.hostIf} type veth peer name gw netns ${s.ns}`, `addr add ${s.egress.hostAddr} dev ${s.egress.hostIf}`, `link set ${s.egress.hostIf} up`);
    inside.push(`addr add ${s.egress.sandboxAddr} dev gw`, 'link set gw up', `route add default via ${hostPart(s.egress.hostAddr)} dev gw`);
  }
  // Once br0 holds the gateway, the sandbox's resolver can listen there.
  steps.push(ipStep(null, host, false, `create sandbox ${s.ns} (VXLAN ${s.vni})`), { ...ipStep(s.ns, inside, false, `set up sandbox ${s.ns}`), readies: [s.ns] });
  if (s.egress) {
    steps.push({ tool: 'sysctl', ns: s.ns, lines: ['net.ipv4.ip_forward=1'], force: false, what: `enable forwarding in ${s.ns}` });
    steps.push(firewall.sandboxRules(s.ns));
  }
  return steps;
}

/**
 * Missing endpoints, batched: one `ip -batch` per sandbox to create the veths, one per task
 * namespace to configure its ends, one per sandbox to enslave them — 2 + tasks processes
 * instead of 3 per endpoint (a process launch costs more than a hundred batched lines).
 */
function createEndpoints(eps: readonly EndpointDesired[], actual: ActualState, rebuilt: ReadonlySet<string>, neighAdds: Map<string, readonly string[]>): Step[] {
  const clear = new Map<string, string[]>();
  const make = new Map<string, string[]>();
  const configure = new Map<string, string[]>();
  const enslave = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, ns: string, ...lines: string[]): void => void m.set(ns, [...(m.get(ns) ?? []), ...lines]);
  const hostClear: string[] = [];
  const hostMake: string[] = [];
  for (const ep of eps) {
    const stale = !rebuilt.has(ep.sandboxNs) && actual.sandboxes.get(ep.sandboxNs)?.links.has(ep.sandboxIf) === true;
    if (stale) add(make, ep.sandboxNs, `link del ${ep.sandboxIf}`);
    if (ep.hostPeer !== null) {
      // Docker's endpoint: the other end stays in the host namespace, unconfigured, for Docker to move.
      hostClear.push(`link del ${ep.hostPeer}`);
      hostMake.push(`link add ${ep.hostPeer} mtu ${ep.mtu} address ${ep.mac} type veth peer name ${ep.sandboxIf} mtu ${ep.mtu} netns ${ep.sandboxNs}`);
      add(enslave, ep.sandboxNs, `link set ${ep.sandboxIf} master br0 up`);
      continue;
    }
    // A task end left over from a half-built endpoint (its pair vanishes asynchronously) must not
    // block the new one; a namespace made by this very plan has none.
    if (actual.namespaces.has(ep.taskNs)) add(clear, ep.taskNs, `link del ${ep.ifName}`);
    add(make, ep.sandboxNs, `link add ${ep.sandboxIf} mtu ${ep.mtu} type veth peer name ${ep.ifName} mtu ${ep.mtu} address ${ep.mac} netns ${ep.taskNs}`);
    if (!configure.has(ep.taskNs)) add(configure, ep.taskNs, 'link set lo up');
    add(configure, ep.taskNs, `addr add ${ep.address} dev ${ep.ifName}`, `link set ${ep.ifName} up`);
    if (ep.defaultVia) add(configure, ep.taskNs, `route replace default via ${ep.defaultVia} dev ${ep.ifName}`);
    // Last: an endpoint counts as present only once its sandbox end is enslaved and up.
    add(enslave, ep.sandboxNs, `link set ${ep.sandboxIf} master br0 up`);
  }
  return [
    ...[...clear].map(([ns, lines]) => ipStep(ns, lines, true, `clear leftover interfaces in ${ns}`)),
    ...(hostClear.length > 0 ? [ipStep(null, hostClear, true, `clear ${hostClear.length} leftover Docker endpoint link(s)`)] : []),
    ...[...make].map(([ns, lines]) => ipStep(ns, lines, false, `create ${lines.length} endpoint veth(s) in ${ns}`)),
    ...(hostMake.length > 0 ? [ipStep(null, hostMake, false, `create ${hostMake.length} Docker endpoint veth(s)`)] : []),
    ...[...configure].map(([ns, lines]) => ipStep(ns, lines, false, `configure the interfaces of ${ns}`)),
    ...[...enslave].map(([ns, lines]) => {
      // The sandbox's new neighbour entries after its endpoints (taken here, so not added twice).
      const neigh = neighAdds.get(ns) ?? [];
      neighAdds.delete(ns);
      return ipStep(ns, [...lines, ...neigh], false, `attach ${lines.length} endpoint(s) to br0${neigh.length > 0 ? ` and add ${neigh.length} neighbour entries` : ''} in ${ns}`);
    }),
  ];
}

/** The peer entries to change in one sandbox: removals and FDB additions as steps, neighbour additions as lines. */
function peerSteps(want: SandboxDesired, have: SandboxActual | undefined): { ns: string; steps: Step[]; neighAdd: string[] } {
  const neigh: string[] = [];
  const fdb: string[] = [];
  const delNeigh: string[] = [];
  const delFdb: string[] = [];
  for (const [ip, mac] of want.neigh) if (have?.neigh.get(ip) !== mac) neigh.push(`neigh replace ${ip} lladdr ${mac} dev vxlan0 nud permanent`);
  for (const [mac, vtep] of want.fdb) if (have?.fdb.get(mac) !== vtep) fdb.push(`fdb replace ${mac} dev vxlan0 dst ${vtep} self permanent`);
  for (const ip of have?.neigh.keys() ?? []) if (!want.neigh.has(ip)) delNeigh.push(`neigh del ${ip} dev vxlan0`);
  for (const mac of have?.fdb.keys() ?? []) if (!want.fdb.has(mac)) delFdb.push(`fdb del ${mac} dev vxlan0 self`);
  const steps: Step[] = [];
  if (delNeigh.length > 0) steps.push(ipStep(want.ns, delNeigh, true, `remove ${delNeigh.length} neighbour entries in ${want.ns}`));
  if (delFdb.length > 0) steps.push({ tool: 'bridge', ns: want.ns, lines: delFdb, force: true, what: `remove ${delFdb.length} FDB entries in ${want.ns}` });
  if (fdb.length > 0) steps.push({ tool: 'bridge', ns: want.ns, lines: fdb, force: false, what: `add ${fdb.length} FDB entries in ${want.ns}` });
  return { ns: want.ns, steps, neighAdd: neigh };
}
