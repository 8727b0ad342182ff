/**
 * Two namespace "hosts" joined by a veth underlay (u1 ↔ u2 on `<underlay>.1/24` and
 * `<underlay>.2/24`), each with a data plane of its own (no cluster): the setup of the data-plane
 * module tests, with the firewall backend as a parameter (nftables when absent). The namespaces
 * belong to `scope`, whose cleanup removes them with everything the planes made.
 */
import { DataPlane } from '../../src/network/dataplane/dataplane.js';
import type { Firewall } from '../../src/network/dataplane/firewall/firewall.js';
import { type NsScope, sh } from './netns.js';

export interface PlaneHosts {
  readonly h1: string;
  readonly h2: string;
  readonly dp1: DataPlane;
  readonly dp2: DataPlane;
}

export async function twoPlaneHosts(scope: NsScope, o: { readonly underlay: string; readonly tags: readonly [string, string]; readonly firewall?: Firewall }): Promise<PlaneHosts> {
  const h1 = await scope.add('h1');
  const h2 = await scope.add('h2');
  await sh('ip', ['-n', h1, 'link', 'add', 'u1', 'type', 'veth', 'peer', 'name', 'u2', 'netns', h2]);
  await sh('ip', ['-n', h1, '-batch', '-'], `addr add ${o.underlay}.1/24 dev u1\nlink set u1 up\n`);
  await sh('ip', ['-n', h2, '-batch', '-'], `addr add ${o.underlay}.2/24 dev u2\nlink set u2 up\n`);
  const plane = (tag: string, vtep: string, hostNs: string): DataPlane =>
    new DataPlane({ tag, port: 4789, mtu: 1450, localVtep: vtep, hostNs, resyncMs: 60_000, ...(o.firewall ? { firewall: o.firewall } : {}) });
  return { h1, h2, dp1: plane(o.tags[0], `${o.underlay}.1`, h1), dp2: plane(o.tags[1], `${o.underlay}.2`, h2) };
}
