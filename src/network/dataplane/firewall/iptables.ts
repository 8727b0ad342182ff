/**
 * The iptables backend, for hosts without `nft`: Shoal's rules live in chains of its own
 * (SHOAL-FORWARD in `filter`, SHOAL-POSTROUTING in `nat`), each reached by one jump from the
 * built-in chain, and are written with `iptables-restore --noflush` in one transaction per
 * change, so other software's rules are never touched. What is read back (`iptables-save`)
 * is every line that names a SHOAL- chain, in iptables-save's own canonical spelling, so a
 * rule deleted or added by hand, a missing or doubled jump, or a leftover chain shows up as
 * a difference and the whole set is rewritten (or removed) — both ways, as the nft path does.
 */
import { inNs, type HostNs } from '../exec.js';
import type { Step } from '../model.js';
import { EGRESS_BLOCK, EGRESS_IF_PREFIX } from '../names.js';
import { forwardingStep, type Firewall } from './firewall.js';

/** Prefix of every chain Shoal owns. */
export const CHAIN_PREFIX = 'SHOAL-';

/** One chain Shoal owns: its table, the built-in chain that jumps to it, its rules in order. */
export interface OwnedChain {
  readonly table: 'filter' | 'nat';
  readonly name: string;
  readonly hook: string;
  readonly rules: readonly string[];
}

/** iptables' interface wildcard for the host ends of the egress links ("sgw+" = "sgw*"). */
const SGW = `${EGRESS_IF_PREFIX}+`;

export const HOST_CHAINS: readonly OwnedChain[] = [
  { table: 'filter', name: 'SHOAL-FORWARD', hook: 'FORWARD', rules: [`-i ${SGW} -o ${SGW} -j DROP`] },
  { table: 'nat', name: 'SHOAL-POSTROUTING', hook: 'POSTROUTING', rules: [`-s ${EGRESS_BLOCK} ! -o ${SGW} -j MASQUERADE`] },
];

export const SANDBOX_CHAINS: readonly OwnedChain[] = [
  // Egress only: replies come back in, nothing may open a connection into the network through the host.
  { table: 'filter', name: 'SHOAL-FORWARD', hook: 'FORWARD', rules: ['-i gw -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-i gw -j DROP'] },
  { table: 'nat', name: 'SHOAL-POSTROUTING', hook: 'POSTROUTING', rules: ['-o gw -j MASQUERADE'] },
];

/** The canonical lines ("TABLE -N CHAIN", "TABLE -A …") of a set of chains, as `readHost` returns them. */
export function canonicalLines(chains: readonly OwnedChain[]): string[] {
  return chains.flatMap((c) => [`${c.table} -N ${c.name}`, `${c.table} -A ${c.hook} -j ${c.name}`, ...c.rules.map((r) => `${c.table} -A ${c.name} ${r}`)]);
}

/** The lines of `iptables-save` output that are Shoal's, canonical ("TABLE -N CHAIN", "TABLE -A …"). */
export function ownedLines(save: string): string[] {
  const out: string[] = [];
  let table = '';
  for (const raw of save.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) table = line.slice(1);
    else if (line.startsWith(`:${CHAIN_PREFIX}`)) out.push(`${table} -N ${line.slice(1).split(/\s+/)[0]}`);
    else if (line.startsWith('-A ') && line.includes(CHAIN_PREFIX)) out.push(`${table} ${line}`);
  }
  return out;
}

/**
 * One `iptables-restore --noflush` script that turns `have` into exactly `want`: each wanted
 * chain declared (which creates or empties it), its old jumps deleted and one inserted first in
 * the built-in chain, its rules appended; every other chain of ours loses its jumps and goes.
 */
export function restoreScript(want: readonly OwnedChain[], have: readonly string[]): string {
  const parsed = have.map((l) => {
    const i = l.indexOf(' ');
    return { table: l.slice(0, i), line: l.slice(i + 1) };
  });
  const tables = [...new Set([...want.map((c) => c.table), ...parsed.map((p) => p.table)])].sort();
  const out: string[] = [];
  for (const table of tables) {
    const chains = want.filter((c) => c.table === table);
    const wanted = new Set(chains.map((c) => c.name));
    const present = parsed.filter((p) => p.table === table);
    const existing = present.filter((p) => p.line.startsWith('-N ')).map((p) => p.line.slice(3));
    // Jumps into our chains from chains that are not ours (doubles and hand-made ones included).
    const jumps = present.filter((p) => p.line.startsWith('-A ') && !p.line.startsWith(`-A ${CHAIN_PREFIX}`)).map((p) => p.line);
    const lines: string[] = [];
    for (const c of chains) lines.push(`:${c.name} - [0:0]`);
    for (const j of jumps) lines.push(`-D ${j.slice(3)}`);
    for (const c of chains) {
      lines.push(`-I ${c.hook} 1 -j ${c.name}`);
      for (const r of c.rules) lines.push(`-A ${c.name} ${r}`);
    }
    for (const name of existing) if (!wanted.has(name)) lines.push(`-F ${name}`, `-X ${name}`);
    if (lines.length > 0) out.push(`*${table}`, ...lines, 'COMMIT');
  }
  return out.length > 0 ? out.join('\n') + '\n' : '';
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

export const iptables: Firewall = {
  name: 'iptables',
  command: 'iptables',
  pkg: 'iptables',

  async readHost(hostNs: HostNs): Promise<readonly string[]> {
    return ownedLines(await inNs(hostNs, null, 'iptables-save', []));
  },

  planHost(want: boolean, have: readonly string[]): Step[] {
    if (want) {
      if (sameLines(have, canonicalLines(HOST_CHAINS))) return [];
      const step: Step = { tool: 'iptables', ns: null, lines: [restoreScript(HOST_CHAINS, have)], force: false, what: 'write the host firewall chains' };
      return have.length === 0 ? [forwardingStep(null, 'enable forwarding on the host'), step] : [step];
    }
    if (have.length === 0) return [];
    return [{ tool: 'iptables', ns: null, lines: [restoreScript([], have)], force: false, what: 'remove the host firewall chains' }];
  },

  sandboxRules(ns: string): Step {
    return { tool: 'iptables', ns, lines: [restoreScript(SANDBOX_CHAINS, [])], force: false, what: `egress rules of ${ns}` };
  },
};
