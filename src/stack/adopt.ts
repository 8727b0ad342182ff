/**
 * Which new stack services adopt a standalone container. Two ways to ask:
 * - `stack deploy --adopt`: a service whose compose name (the key under `services:`) is a
 *   container's name and which is on one of that container's networks adopts it; services for
 *   which no such container exists are simply created.
 * - `x-shoal-adopt: <container>` on a service (or `true`: the container of its compose name;
 *   `false`: never): explicit, so it must happen — a container that does not exist or shares no
 *   network with the service is an error at the key, and nothing is written.
 * A docker-compose container (recorded by a node's Docker plugin, named `<project>_<service>_1`)
 * is found by its name, or else by compose's service label `com.docker.compose.service`: the
 * container whose label is the service's compose name (or the key's value). Several such
 * containers (compose's scale, or two projects) are refused as ambiguous: name one with the key.
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
  /** A docker-compose container's service (its `com.docker.compose.service` label). */
  readonly composeService?: string;
}

/** The label docker-compose puts on each container, naming its compose service. */
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

export interface Adoption {
  /** The new service's full name (`NAME_<service>`). */
  readonly service: string;
  readonly container: string;
  /** Set when the container was found by its compose service label (its name is not the service's). */
  readonly byComposeLabel?: boolean;
}

/** A refusal, at a key path of the compose files (`services.web.x-shoal-adopt`). */
export interface AdoptProblem {
  readonly path: string;
  readonly message: string;
}

export const ADOPT_KEY = 'x-shoal-adopt';

/**
 * The adopted container's own name, when it is not the compose name (a compose container's
 * `<project>_<service>_1`, or an `x-shoal-adopt: <other>` container): kept as a network alias of
 * the service so clients using it keep resolving — to the service now — and recorded in this
 * label so a redeploy of the same file keeps the alias instead of seeing a change.
 */
export const ADOPTED_NAME_LABEL = 'shoal.stack.adopted-name';

/** The spec a service adopting `container` is created with (the container's name kept as an alias). */
export function withAdoptedName(spec: ServiceSpec, key: string, container: string): ServiceSpec {
  if (container === key || (spec.networkAliases ?? []).includes(container)) return spec;
  return { ...spec, labels: { ...(spec.labels ?? {}), [ADOPTED_NAME_LABEL]: container }, networkAliases: [...(spec.networkAliases ?? []), container] };
}

/** A redeployed spec keeps the name alias its live service got when it adopted a container. */
export function keepAdoptedName(spec: ServiceSpec, liveLabels: Readonly<Record<string, string>>): ServiceSpec {
  const name = liveLabels[ADOPTED_NAME_LABEL];
  if (name === undefined || spec.labels?.[ADOPTED_NAME_LABEL] !== undefined) return spec;
  return { ...spec, labels: { ...(spec.labels ?? {}), [ADOPTED_NAME_LABEL]: name }, networkAliases: [...(spec.networkAliases ?? []).filter((a) => a !== name), name] };
}

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
  // name -> the container of that name, else the one compose container of that service; several: ambiguous.
  const lookup = (name: string): { container?: AdoptCandidate; byLabel?: boolean; ambiguous?: string[] } => {
    const exact = byName.get(name);
    if (exact) return { container: exact };
    const compose = containers.filter((c) => c.composeService === name);
    if (compose.length > 1) return { ambiguous: compose.map((c) => c.name).sort() };
    return compose[0] ? { container: compose[0], byLabel: true } : {};
  };
  const ambiguity = (name: string, names: readonly string[]): string =>
    `several docker-compose containers run service "${name}" (${names.join(', ')}): name the one to adopt with ${ADOPT_KEY}: <container>`;
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
    const found = lookup(name);
    if (found.ambiguous) {
      problems.push({ path, message: ambiguity(name, found.ambiguous) });
      continue;
    }
    const container = found.container;
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
    const earlier = claimedBy.get(container.name);
    if (earlier) {
      problems.push({ path, message: `container "${container.name}" is already adopted by service ${earlier.service} (${earlier.path}); a container moves into one service only` });
      continue;
    }
    claimedBy.set(container.name, { service, path });
    adoptions.push({ service, container: container.name, ...(found.byLabel ? { byComposeLabel: true } : {}) });
  }
  if (!flag) return { adoptions, problems };

  // --adopt: by compose name, for the services without the key.
  for (const { key, spec, adopt } of desired.services) {
    if (adopt !== undefined) continue;
    const service = spec.name ?? '';
    if (!creating.has(service) || !adoptable(spec)) continue;
    const found = lookup(key);
    if (found.ambiguous) {
      problems.push({ path: `services.${key}`, message: `--adopt: ${ambiguity(key, found.ambiguous)}` });
      continue;
    }
    const container = found.container;
    if (!container || !shares(spec, container)) continue;
    const explicit = claimedBy.get(container.name);
    if (explicit) {
      problems.push({
        path: explicit.path,
        message: `container "${container.name}" is adopted here by service ${explicit.service}, but --adopt also gives it to service ${service} (its compose name): set ${ADOPT_KEY}: false on services.${key}, or drop --adopt`,
      });
      continue;
    }
    adoptions.push({ service, container: container.name, ...(found.byLabel ? { byComposeLabel: true } : {}) });
  }
  return { adoptions, problems };
}
