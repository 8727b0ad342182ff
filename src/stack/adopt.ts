/**
 * Which new stack services adopt a standalone container. Two ways to ask:
 * - `stack deploy --adopt`: a service whose compose name (the key under `services:`) is a
 *   container's name and which is on one of that container's networks adopts it; services for
 *   which no such container exists are simply created.
 * - `x-shoal-adopt: <container>` on a service (or `true`: the container of its compose name;
 *   `false`: never): explicit, so it must happen — a container that does not exist or shares no
 *   network with the service is an error at the key, and nothing is written.
 * The key wins over the flag for its own service. Two services that would adopt the same
 * container (two keys, or a key and the flag's name match) are refused at the key.
 * The hand-over itself is the server's (service.create with adopt_container,
 * src/manager/store/adopt-apply.ts). Pure: cluster listings in, choices or problems out.
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

/** A refusal, at a key path of the compose files (`services.web.x-shoal-adopt`). */
export interface AdoptProblem {
  readonly path: string;
  readonly message: string;
}

export const ADOPT_KEY = 'x-shoal-adopt';

/**
 * The adoptions for the services about to be created (`createServices`), or the problems that
 * stop the deploy. `networkIdByName` resolves the spec's network names to IDs as the cluster has
 * them before the deploy writes anything: a network the deploy will create has no ID yet, and a
 * container cannot be on it.
 */
export function planAdoptions(
  desired: StackDesired,
  createServices: readonly ServiceSpec[],
  networkIdByName: ReadonlyMap<string, string>,
  containers: readonly AdoptCandidate[],
  flag: boolean,
): { adoptions: Adoption[]; problems: AdoptProblem[] } {
  const creating = new Set(createServices.map((s) => s.name ?? ''));
  const byName = new Map(containers.map((c) => [c.name, c]));
  const adoptions: Adoption[] = [];
  const problems: AdoptProblem[] = [];
  // container → who takes it: the key path of an explicit claim, or '' for the flag's name match.
  const claimedBy = new Map<string, { service: string; path: string }>();
  const shares = (spec: ServiceSpec, c: AdoptCandidate): boolean => {
    const held = new Set(c.networkIds);
    return (spec.networks ?? []).some((n) => held.has(networkIdByName.get(n) ?? ''));
  };
  const adoptable = (spec: ServiceSpec): boolean => spec.mode !== 'SERVICE_MODE_GLOBAL' && Number(spec.replicas ?? 1) >= 1;

  // Explicit keys first: they win for their service, and their refusals carry a position.
  for (const { key, spec, adopt } of desired.services) {
    if (adopt === undefined || adopt === false) continue;
    const service = spec.name ?? '';
    const path = `services.${key}.${ADOPT_KEY}`;
    const name = adopt === true ? key : adopt;
    const container = byName.get(name);
    if (!creating.has(service)) {
      // After the move the key stays in the file and the container is gone: nothing to do.
      if (container) problems.push({ path, message: `service ${service} exists already, and only a service the deploy creates can adopt a container; container "${name}" is left as it is (remove the key, or remove the service first)` });
      continue;
    }
    if (!adoptable(spec)) {
      problems.push({ path, message: `service ${service} cannot adopt container "${name}": only a replicated service with at least one replica can (its slot-1 task takes the address)` });
      continue;
    }
    if (!container) {
      problems.push({ path, message: `container "${name}" not found: there is no standalone container of that name to adopt (\`shoal container ls\`)` });
      continue;
    }
    if (!shares(spec, container)) {
      problems.push({ path, message: `container "${name}" shares no network with service ${service}: put the service on one of the container's networks, or remove the key` });
      continue;
    }
    const earlier = claimedBy.get(name);
    if (earlier) {
      problems.push({ path, message: `container "${name}" is already adopted by service ${earlier.service} (${earlier.path}); a container moves into one service only` });
      continue;
    }
    claimedBy.set(name, { service, path });
    adoptions.push({ service, container: name });
  }
  if (!flag) return { adoptions, problems };

  // --adopt: by compose name, for the services without the key.
  for (const { key, spec, adopt } of desired.services) {
    if (adopt !== undefined) continue;
    const service = spec.name ?? '';
    const container = byName.get(key);
    if (!container || !creating.has(service) || !adoptable(spec) || !shares(spec, container)) continue;
    const explicit = claimedBy.get(key);
    if (explicit) {
      problems.push({
        path: explicit.path,
        message: `container "${key}" is adopted here by service ${explicit.service}, but --adopt also gives it to service ${service} (its compose name): set ${ADOPT_KEY}: false on services.${key}, or drop --adopt`,
      });
      continue;
    }
    adoptions.push({ service, container: key });
  }
  return { adoptions, problems };
}
