/**
 * The node-local data plane's vocabulary: what it is told (inputs), what it
 * wants (desired state), what it finds (actual state). Plain data, so the
 * desired-state computation and the diff stay pure and unit-tested.
 */

/** One local endpoint: a task's (or standalone container's) attachment on this node. */
export interface EndpointInput {
  /** Task or container ID (its namespace is named after it). */
  readonly ownerId: string;
  readonly networkId: string;
  /** The network's VXLAN ID. */
  readonly vni: number;
  /** "10.0.1.5/24": the endpoint's address with the network's prefix. */
  readonly address: string;
  /** The network's gateway address (held by the sandbox's bridge on every node). */
  readonly gateway: string;
  /** Position among the owner's attachments: it becomes eth<index>. */
  readonly index: number;
  /** The network is internal: its sandbox gets no egress link, the task no default route through it. */
  readonly internal?: boolean;
  /** The network's MTU option; absent = DesiredInput.mtu (the node's default). */
  readonly mtu?: number;
  /**
   * A Docker container's endpoint (the network plugin): the veth's other end is made in the
   * host namespace under this name, with the MAC but no address, and no task namespace is made;
   * Docker moves that end into the container and configures it.
   */
  readonly hostPeer?: string;
  /**
   * The task's namespace is made by someone else (an image task's container: the executor names
   * the container's namespace with `ip netns attach`): the data plane never creates it, only
   * fills it once it exists, and removes the name (not the container's namespace) when the task goes.
   */
  readonly externalNs?: boolean;
}

/** One remote endpoint of a network, as the dispatcher's peer table says. */
export interface PeerInput {
  readonly networkId: string;
  /** Endpoint address without prefix. */
  readonly ip: string;
  /** The data-path address of the node that holds it (the VXLAN tunnel endpoint). */
  readonly vtep: string;
}

export interface DesiredInput {
  /** Prefix of every namespace this node creates ("shoal-<node8>-"): names are global per host. */
  readonly tag: string;
  /** UDP port of the VXLAN devices (cluster-wide). */
  readonly port: number;
  /** MTU of the overlay links of networks without an MTU option (underlay MTU − 50). */
  readonly mtu: number;
  /** This node's own data-path address: peers there are local, not remote. */
  readonly localVtep: string;
  readonly endpoints: readonly EndpointInput[];
  readonly peers: readonly PeerInput[];
  /** Networks created --internal (besides endpoints that say so themselves): no egress through them. */
  readonly internal: ReadonlySet<string>;
}

/** The sandbox's point-to-point link to the host, for egress (absent for internal networks). */
export interface EgressLink {
  /** Host-side interface name. */
  readonly hostIf: string;
  /** "169.254.128.0/31" on the host side, ".1/31" on the sandbox side. */
  readonly hostAddr: string;
  readonly sandboxAddr: string;
}

/** Per network on this node: a namespace with br0 (gateway) and vxlan0. */
export interface SandboxDesired {
  readonly ns: string;
  readonly networkId: string;
  readonly vni: number;
  /** Gateway with the subnet's prefix, on br0. */
  readonly gatewayCidr: string;
  /** br0's own MAC (names.ts bridgeMac): set at creation so ports coming and going never change it. */
  readonly bridgeMac: string;
  /** MTU of vxlan0, br0 and the endpoints' veths. */
  readonly mtu: number;
  readonly egress: EgressLink | null;
  /** Remote endpoints: IP -> MAC (static neighbour entries on vxlan0). */
  readonly neigh: ReadonlyMap<string, string>;
  /** Remote endpoints: MAC -> VTEP (static FDB entries on vxlan0). */
  readonly fdb: ReadonlyMap<string, string>;
}

/** One veth between a task's namespace (ethN) and a sandbox (its bridge port). */
export interface EndpointDesired {
  readonly ownerId: string;
  readonly taskNs: string;
  readonly sandboxNs: string;
  /** Name of the sandbox end (unique per sandbox, derived from owner and network). */
  readonly sandboxIf: string;
  /** ethN in the task's namespace. */
  readonly ifName: string;
  readonly mac: string;
  readonly address: string;
  /** The sandbox's MTU. */
  readonly mtu: number;
  /** The default route of the task goes through this endpoint's gateway (first non-internal one). */
  readonly defaultVia: string | null;
  /** Set for a Docker endpoint: the other end is this host-namespace link (EndpointInput.hostPeer). */
  readonly hostPeer: string | null;
}

export interface DesiredState {
  readonly sandboxes: ReadonlyMap<string, SandboxDesired>;
  readonly taskNamespaces: ReadonlySet<string>;
  /** The task namespaces among them that the data plane must not create (EndpointInput.externalNs). */
  readonly externalNamespaces?: ReadonlySet<string>;
  /** Keyed by `${sandboxNs}/${sandboxIf}`. */
  readonly endpoints: ReadonlyMap<string, EndpointDesired>;
  /** Whether the host needs its masquerade table (some sandbox has egress). */
  readonly hostEgress: boolean;
  readonly mtu: number;
  readonly port: number;
}

/** What a sandbox namespace holds, as read back. */
export interface SandboxActual {
  /** br0 up with the gateway address, vxlan0 enslaved and up, gw present iff egress: else rebuilt. */
  readonly links: ReadonlyMap<string, LinkActual>;
  readonly br0Addrs: readonly string[];
  readonly neigh: ReadonlyMap<string, string>;
  readonly fdb: ReadonlyMap<string, string>;
}

export interface LinkActual {
  readonly name: string;
  readonly master: string | null;
  readonly up: boolean;
  /** Link kind ("veth", "vxlan", "bridge", …) or "" when none. */
  readonly kind: string;
  /** The link's MTU (absent when not read). */
  readonly mtu?: number;
  /** The link's MAC address (absent when not read). */
  readonly mac?: string;
  readonly vni?: number;
  /** VXLAN UDP port. */
  readonly port?: number;
}

export interface ActualState {
  /** Every namespace carrying our tag. */
  readonly namespaces: ReadonlySet<string>;
  readonly sandboxes: ReadonlyMap<string, SandboxActual>;
  /** Shoal's host firewall rules as the backend read them back (firewall/*.ts); [] = none. */
  readonly hostFirewall: readonly string[];
}

/** One batch of commands for one tool in one namespace (undefined = the host namespace). */
export interface Step {
  /** 'netns': `ip netns add/del`, which must not run under `ip -n` (its mount would stay private). */
  readonly tool: 'ip' | 'netns' | 'bridge' | 'nft' | 'iptables' | 'sysctl';
  /** Namespace to run in; null = the host. */
  readonly ns: string | null;
  readonly lines: readonly string[];
  /** Keep going past failing lines (deletions of what may already be gone). */
  readonly force: boolean;
  /** What the step does, for error messages. */
  readonly what: string;
  /** Namespaces ready for service discovery once this step ran (sandbox: br0 holds the gateway; task: it exists). */
  readonly readies?: readonly string[];
}
