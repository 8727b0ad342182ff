/**
 * What a `stack deploy` changes, decided before any write: which networks
 * to create, which services to create, update (only those whose spec differs)
 * or, with prune, remove; and the conflicts that stop the deploy instead.
 * Pure: the cluster's current networks and services are handed in.
 *
 * Specs are compared in the server's own stored form (specFromProto), so
 * defaults, label order and network names vs IDs cannot make an unchanged
 * service look changed.
 */
import type { Network__Output } from '../generated/shoal/v1/Network.js';
import type { Service__Output } from '../generated/shoal/v1/Service.js';
import type { ServiceSpec, ServiceSpec__Output } from '../generated/shoal/v1/ServiceSpec.js';
import { specFromProto } from '../manager/service-view.js';
import { keepAdoptedName } from './adopt.js';
import { STACK_LABEL, type DesiredNetwork, type StackDesired } from './translate.js';

export interface PlannedUpdate {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly spec: ServiceSpec;
}

export interface StackPlan {
  readonly createNetworks: readonly DesiredNetwork[];
  readonly createServices: readonly ServiceSpec[];
  readonly updateServices: readonly PlannedUpdate[];
  readonly unchangedServices: readonly string[];
  readonly removeServices: readonly { readonly id: string; readonly name: string }[];
  /** Reasons the deploy cannot go ahead, each with the compose key path it is about. */
  readonly conflicts: readonly { readonly path: string; readonly message: string }[];
}

export interface ClusterState {
  readonly networks: readonly Network__Output[];
  readonly services: readonly Service__Output[];
}

/** A live service's spec in the shape a client sends (the fields of ServiceSpec). */
export function specOfService(s: Service__Output): ServiceSpec__Output {
  const { name, labels, mode, replicas, taskTemplate, networks, placement, updateConfig, stack, endpointMode, networkAliases, rollbackConfig } = s;
  return { name, labels, mode, replicas, taskTemplate, networks, placement, updateConfig, stack, endpointMode, networkAliases, rollbackConfig };
}

export function planDeploy(desired: StackDesired, cluster: ClusterState, prune: boolean): StackPlan {
  const conflicts: { path: string; message: string }[] = [];
  const byName = new Map(cluster.networks.map((n) => [n.name, n]));
  const createNetworks: DesiredNetwork[] = [];
  for (const n of desired.networks) {
    const path = `networks.${n.key}`;
    const live = byName.get(n.name);
    if (n.external) {
      if (!live) conflicts.push({ path, message: `network "${n.name}" is declared external but does not exist (create it with \`shoal network create --attachable ${n.name}\`)` });
      continue;
    }
    if (!live) {
      createNetworks.push(n);
      continue;
    }
    if (live.labels[STACK_LABEL] !== desired.name) {
      conflicts.push({ path, message: `network "${n.name}" already exists and is not part of stack ${desired.name} (declare it \`external: true\` to use it)` });
    } else if ((n.subnet !== '' && n.subnet !== live.subnet) || (n.gateway !== '' && n.gateway !== live.gateway)) {
      conflicts.push({ path, message: `network "${n.name}" exists with subnet ${live.subnet} and gateway ${live.gateway}; a network's addressing cannot change (run \`shoal stack rm ${desired.name}\` first)` });    } else if (n.internal !== live.internal) {
      conflicts.push({ path, message: `network "${n.name}" exists with internal: ${live.internal}; it cannot change to ${n.internal} (run \`shoal stack rm ${desired.name}\` first)` });
    }
  }

  const idOf = (ref: string): string => byName.get(ref)?.id ?? `(new) ${ref}`;
  const services = new Map(cluster.services.map((s) => [s.name, s]));
  const createServices: ServiceSpec[] = [];
  const updateServices: PlannedUpdate[] = [];
  const unchangedServices: string[] = [];
  for (const { key, spec } of desired.services) {
    const name = spec.name ?? '';
    const live = services.get(name);
    if (!live) {
      createServices.push(spec);
      continue;
    }
    if (live.stack !== desired.name) {
      conflicts.push({ path: `services.${key}`, message: `service "${name}" already exists and is not part of stack ${desired.name}` });
      continue;
    }
    // A forced restart (`service update --force`) is not a difference the file can see: keep its counter.
    // Nor is the alias of a container the service adopted: keep it (adopt.ts).
    const kept = keepAdoptedName(spec, live.labels);
    const wanted: ServiceSpec = { ...kept, taskTemplate: { ...kept.taskTemplate, forceUpdate: Number(live.taskTemplate?.forceUpdate ?? 0) } };
    const a = specFromProto(wanted as ServiceSpec__Output, (wanted.networks ?? []).map(idOf));
    const b = specFromProto(specOfService(live), live.networks);
    if (JSON.stringify(a) === JSON.stringify(b)) unchangedServices.push(name);
    else updateServices.push({ id: live.id, name, version: Number(live.version), spec: wanted });
  }

  const wantedNames = new Set(desired.services.map((s) => s.spec.name));
  const removeServices = prune
    ? cluster.services.filter((s) => s.stack === desired.name && !wantedNames.has(s.name)).map((s) => ({ id: s.id, name: s.name }))
    : [];
  return { createNetworks, createServices, updateServices, unchangedServices, removeServices, conflicts };
}
