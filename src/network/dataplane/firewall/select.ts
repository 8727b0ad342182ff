/**
 * Picks the firewall backend at start: nftables where `nft` exists, else iptables; the
 * SHOAL_DATA_PLANE_FIREWALL environment variable (nftables | iptables | auto) forces one.
 */
import { run } from '../exec.js';
import { FIREWALL_ENV, type Firewall, type FirewallName } from './firewall.js';
import { iptables } from './iptables.js';
import { nftables } from './nftables.js';

export const BACKENDS: readonly Firewall[] = [nftables, iptables];

export function backendNamed(name: FirewallName): Firewall {
  return name === 'iptables' ? iptables : nftables;
}

/** The backend to use here, or why none can be used. */
export async function selectFirewall(env: NodeJS.ProcessEnv = process.env): Promise<{ ok: true; firewall: Firewall } | { ok: false; reason: string }> {
  const asked = (env[FIREWALL_ENV] ?? 'auto').trim() || 'auto';
  if (asked !== 'auto' && asked !== 'nftables' && asked !== 'iptables') {
    return { ok: false, reason: `${FIREWALL_ENV}=${asked}: use nftables, iptables or auto` };
  }
  const candidates = asked === 'auto' ? BACKENDS : [backendNamed(asked)];
  for (const f of candidates) if (await present(f)) return { ok: true, firewall: f };
  const names = candidates.map((f) => `\`${f.command}\``).join(' or ');
  return { ok: false, reason: `no ${names} command (install ${candidates.map((f) => f.pkg).join(' or ')})` };
}

async function present(f: Firewall): Promise<boolean> {
  const version = f.name === 'iptables' ? ['iptables', 'iptables-save', 'iptables-restore'] : ['nft'];
  for (const cmd of version) if (!(await run(cmd, ['--version']).then(() => true, () => false))) return false;
  return true;
}
