/**
 * The hand-over gate of a node's data plane: an endpoint is not built while another owner on
 * the same node still has an endpoint with its address on the same network. That is the move of
 * `stack deploy --adopt` (a container's address re-owned by a task in one replicated command):
 * the container's process is stopped and its endpoint removed first, and only then does the
 * task's interface come up, so the address is never answered from two interfaces at once.
 * Pure: the current endpoints in, the first clash out.
 */
import type { EndpointInput } from './model.js';
import { hostPart } from './names.js';

export interface AddressClash {
  /** The owner (task, container or Docker endpoint) that holds the address now. */
  readonly holder: string;
  readonly networkId: string;
  readonly ip: string;
}

/** The first of `wanted`'s addresses that another owner in `current` holds on the same network, or null. */
export function addressClash(current: ReadonlyMap<string, readonly EndpointInput[]>, ownerId: string, wanted: readonly EndpointInput[]): AddressClash | null {
  if (wanted.length === 0) return null;
  const want = new Set(wanted.map((e) => `${e.networkId}/${hostPart(e.address)}`));
  for (const [holder, eps] of current) {
    if (holder === ownerId) continue;
    for (const e of eps) {
      const ip = hostPart(e.address);
      if (want.has(`${e.networkId}/${ip}`)) return { holder, networkId: e.networkId, ip };
    }
  }
  return null;
}
