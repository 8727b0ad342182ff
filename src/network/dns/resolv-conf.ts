/**
 * resolv.conf in both directions: reading the node's upstream resolvers, and writing the file a
 * task's namespace sees (`/etc/netns/<ns>/resolv.conf`, bind-mounted over /etc/resolv.conf by
 * `ip netns exec`).
 */
import { readFile } from 'node:fs/promises';
import { isIPv4, isIPv6 } from 'node:net';

/** An upstream resolver: address and port (53 unless the address came with another). */
export interface Upstream {
  readonly host: string;
  readonly port: number;
}

/** At most this many upstreams are used, as glibc does (MAXNS = 3). */
export const UPSTREAMS_MAX = 3;

/**
 * The `nameserver` lines of a resolv.conf text, in order, at most UPSTREAMS_MAX. Comments
 * (`#`, `;`) and other options are ignored; an IPv6 zone (`fe80::1%eth0`) is kept as written.
 * `exclude` drops addresses that would loop back to our own resolver.
 */
export function parseNameservers(text: string, exclude: ReadonlySet<string> = new Set()): Upstream[] {
  const out: Upstream[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const m = /^nameserver\s+(\S+)$/.exec(line);
    if (!m?.[1]) continue;
    const host = m[1];
    const bare = host.split('%')[0] ?? host;
    if (!isIPv4(bare) && !isIPv6(bare)) continue;
    if (exclude.has(host)) continue;
    out.push({ host, port: 53 });
    if (out.length === UPSTREAMS_MAX) break;
  }
  return out;
}

/** The upstreams listed in the resolv.conf at `path` (e.g. /etc/resolv.conf); [] if it is missing. */
export async function readNameservers(path: string, exclude?: ReadonlySet<string>): Promise<Upstream[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return parseNameservers(text, exclude);
}

/**
 * The resolv.conf of a task or container namespace: only Shoal's resolver. `ndots:0` makes
 * the resolver try a bare name such as `web` as it is first; with the default (ndots:1) and a
 * search domain inherited from the host, every lookup of a service name would first go to the
 * upstream resolvers as `web.<domain>` and could wait for their timeout.
 */
export function taskResolvConf(resolverAddress: string): string {
  return ['# Written by Shoal: names on this container\'s networks are answered by the node\'s resolver,', '# other names are forwarded to the node\'s own resolvers.', `nameserver ${resolverAddress}`, 'options ndots:0', ''].join('\n');
}
