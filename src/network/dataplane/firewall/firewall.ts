/**
 * The host and sandbox firewall rules of the data plane, behind one interface that
 * two backends implement: nftables (`nft`, Shoal's own table) and iptables (Shoal's
 * own chains, jumped to from the built-in ones) for hosts without `nft`. The rules
 * are the same in both: no forwarding between two sandboxes' egress links and
 * masquerade of the egress block on the host; masquerade out of `gw` and nothing
 * new coming in through it in each sandbox. Planning is pure (text in, steps out);
 * only `readHost` does I/O.
 */
import type { HostNs } from '../exec.js';
import type { Step } from '../model.js';

export type FirewallName = 'nftables' | 'iptables';

export interface Firewall {
  readonly name: FirewallName;
  /** The command this backend runs; without it the backend cannot be used. */
  readonly command: string;
  /** The Debian package that provides it (for the "why off" message). */
  readonly pkg: string;
  /** Shoal's rules on the host as read back, one canonical line each; [] when there are none. */
  readHost(hostNs: HostNs): Promise<readonly string[]>;
  /**
   * Pure: the steps that make Shoal's host rules exactly the wanted set (want = some sandbox
   * has egress) or none at all, given what `readHost` found. [] when they already are.
   */
  planHost(want: boolean, have: readonly string[]): Step[];
  /** Pure: the egress rules of a newly made sandbox, run inside it. */
  sandboxRules(ns: string): Step;
}

/** Environment switch that picks the backend (default auto: nftables where `nft` exists, else iptables). */
export const FIREWALL_ENV = 'SHOAL_DATA_PLANE_FIREWALL';

/** Enables forwarding, as Docker does when it creates its first bridge network. */
export function forwardingStep(ns: string | null, what: string): Step {
  return { tool: 'sysctl', ns, lines: ['net.ipv4.ip_forward=1'], force: false, what };
}
