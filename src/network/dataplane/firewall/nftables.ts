/**
 * The nftables backend: one table `ip shoal` on the host (present while some sandbox
 * has egress) and one in each sandbox with egress. What is read back is the table's
 * presence: the table is written whole, in one transaction, so it is there complete or not at all.
 */
import { inNs, type HostNs } from '../exec.js';
import type { Step } from '../model.js';
import { EGRESS_BLOCK, EGRESS_IF_PREFIX } from '../names.js';
import { forwardingStep, type Firewall } from './firewall.js';

/** The table Shoal owns, on the host and in each sandbox. */
export const NFT_TABLE = 'shoal';
const TABLE_LINE = `table ip ${NFT_TABLE}`;

export const nftables: Firewall = {
  name: 'nftables',
  command: 'nft',
  pkg: 'nftables',

  async readHost(hostNs: HostNs): Promise<readonly string[]> {
    const out = await inNs(hostNs, null, 'nft', ['list', 'tables']);
    return out.split('\n').some((l) => l.trim() === TABLE_LINE) ? [TABLE_LINE] : [];
  },

  planHost(want: boolean, have: readonly string[]): Step[] {
    if (want && have.length === 0) {
      return [
        forwardingStep(null, 'enable forwarding on the host'),
        {
          tool: 'nft',
          ns: null,
          lines: [
            `${TABLE_LINE} {`,
            `  chain shoal_forward { type filter hook forward priority filter; policy accept; iifname "${EGRESS_IF_PREFIX}*" oifname "${EGRESS_IF_PREFIX}*" drop; }`,
            `  chain shoal_postrouting { type nat hook postrouting priority srcnat; policy accept; ip saddr ${EGRESS_BLOCK} oifname != "${EGRESS_IF_PREFIX}*" masquerade; }`,
            '}',
          ],
          force: false,
          what: 'create the host firewall table',
        },
      ];
    }
    if (!want && have.length > 0) return [{ tool: 'nft', ns: null, lines: [`delete ${TABLE_LINE}`], force: true, what: 'remove the host firewall table' }];
    return [];
  },

  sandboxRules(ns: string): Step {
    return {
      tool: 'nft',
      ns,
      lines: [
        `${TABLE_LINE} {`,
        '  chain shoal_postrouting { type nat hook postrouting priority srcnat; policy accept; oifname "gw" masquerade; }',
        // Egress only: nothing may open a connection into the network through the host.
        '  chain shoal_forward { type filter hook forward priority filter; policy accept; iifname "gw" ct state established,related accept; iifname "gw" drop; }',
        '}',
      ],
      force: false,
      what: `egress rules of ${ns}`,
    };
  },
};
