/**
 * Which new stack services adopt a standalone container (`stack deploy --adopt`): a service
 * whose compose name (the key under `services:`) is a container's name and which is on one of
 * that container's networks. The hand-over itself is the server's (service.create with
 * adopt_container, src/manager/store/adopt-apply.ts). Pure: cluster listings in, choices out.
 */
import type { ServiceSpec } from '../generated/shoal/v1/ServiceSpec.js';
import type { StackDesired } from './translate.js';

export interface AdoptCandidate {
  readonly name: string;
  /** IDs of the networks it holds addresses on. */
  readonly networkIds: readonly string[];
}

export interface Adoption {
  /** The new service's full name (`NAME_<service>`). */
  readonly service: string;
  readonly container: string;
}

/**
 * The adoptions for the services about to be created. `networkIdByName` resolves the spec's
 * network names (created by the deploy or external) to IDs; a network the deploy has not created
 * yet has no ID, and a container cannot be on it anyway.
 */
export function planAdoptions(
  desired: StackDesired,
  createServices: readonly ServiceSpec[],
  networkIdByName: ReadonlyMap<string, string>,
  containers: readonly AdoptCandidate[],
): Adoption[] {
  const creating = new Set(createServices.map((s) => s.name ?? ''));
  const byName = new Map(containers.map((c) => [c.name, c]));
  const out: Adoption[] = [];
  for (const { key, spec } of desired.services) {
    const service = spec.name ?? '';
    const container = byName.get(key);
    if (!container || !creating.has(service)) continue;
    if (spec.mode === 'SERVICE_MODE_GLOBAL' || Number(spec.replicas ?? 1) < 1) continue;
    const held = new Set(container.networkIds);
    const shares = (spec.networks ?? []).some((n) => held.has(networkIdByName.get(n) ?? ''));
    if (shares) out.push({ service, container: container.name });
  }
  return out;
}
