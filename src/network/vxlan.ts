// VXLAN network identifiers for overlay networks: the lowest free id from 4096 upward (ids
// below are left to VLAN-style uses, as Docker does), so an id released by a removed network is
// reused by the next one. Pure: the used set comes from the replicated store.
import { fail, ok } from './errors.js';
import type { Result } from './errors.js';

export const vxlanIdMin = 4096;
/** VXLAN VNIs are 24 bits. */
export const vxlanIdMax = 2 ** 24 - 1;

export function allocateVxlanId(used: ReadonlySet<number>): Result<number> {
  // Among used.size + 1 candidates at least one is free, which bounds the scan.
  const last = Math.min(vxlanIdMax, vxlanIdMin + used.size);
  for (let id = vxlanIdMin; id <= last; id++) {
    if (!used.has(id)) return ok(id);
  }
  return fail('resource-exhausted', `no free VXLAN id: all ${vxlanIdMax - vxlanIdMin + 1} ids from ${vxlanIdMin} to ${vxlanIdMax} are in use`);
}
