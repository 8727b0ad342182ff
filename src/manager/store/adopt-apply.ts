/**
 * The move (`stack deploy --adopt`): a new replicated service's slot-1 task takes over a
 * standalone container's addresses, inside the apply of the `service.create` that makes the
 * service (service-apply.ts), so the hand-over is one replicated command.
 *
 * On each network both the container and the service are on, the container's attachment row is
 * re-owned (`UPDATE … SET owner_kind = 'task', owner_id = …`), never deleted and re-inserted:
 * the address is never free in between, its bitmap bit stays set, and UNIQUE (network_id,
 * address) still guards against a second holder. The container itself is removed in the same
 * apply (its other addresses freed, a `container delete` event), so its node's agent stops its
 * process exactly as for `container rm`; a Docker container (recorded by its node's Docker
 * plugin) is stopped by that plugin once it sees a task holding the attachment (docker-plugin.md).
 *
 * Pure and deterministic like every apply: rows in, rows out; a failure throws a ShoalError and
 * the caller's savepoint rolls everything back, the container untouched.
 */
import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { ShoalError } from '../../errors.js';
import { formatIpv4 } from '../../network/cidr.js';
import { recordEvent } from './events.js';
import { attachmentsOfOwner, containerById, resolveContainer, type ContainerRecord } from './network-queries.js';
import { releaseAttachment, releaseOwnerAttachments } from './attachments.js';
import type { ServiceSpecRecord } from './service-commands.js';
import { tasksOfService } from './service-queries.js';

/** The label the node's Docker plugin puts on a Docker container's record (src/worker/docker-plugin/shoal-port.ts). */
const DOCKER_ID_LABEL = 'shoal.docker.container-id';

/** What the checks found: the container and the networks whose addresses move. */
export interface Adoption {
  readonly container: ContainerRecord;
  readonly networkIds: readonly string[];
}

/**
 * Checks, before anything is written, that `ref` names a container the service can adopt:
 * it exists, the service is replicated with at least one replica, and they share a network.
 */
export function checkAdoption(db: Database.Database, ref: string, spec: ServiceSpecRecord): Adoption {
  let container: ContainerRecord;
  try {
    container = resolveContainer(db, ref, 'adopt_container');
  } catch (e) {
    if (e instanceof ShoalError && e.code === 'NOT_FOUND') {
      throw new ShoalError('NOT_FOUND', `adopt_container: container "${ref}" not found (it may have been removed); nothing was created`);
    }
    throw e;
  }
  if (spec.mode !== 'replicated' || spec.replicas < 1) {
    throw new ShoalError('FAILED_PRECONDITION', `adopt_container: service ${spec.name} must be replicated with at least 1 replica to adopt container ${container.name}`);
  }
  if (container.labels[DOCKER_ID_LABEL] !== undefined) checkDockerContainer(db, container, spec.name);
  const shared = new Set(spec.networks);
  const networkIds = attachmentsOfOwner(db, 'container', container.id)
    .map((a) => a.networkId)
    .filter((n) => shared.has(n));
  if (networkIds.length === 0) {
    throw new ShoalError('FAILED_PRECONDITION', `adopt_container: container ${container.name} shares no network with service ${spec.name}; put the service on one of the container's networks`);
  }
  return { container, networkIds };
}

/**
 * After the service's tasks were created in this apply: gives the slot-1 task the container's
 * addresses on the shared networks and removes the container. The task's own fresh attachment
 * on such a network (made a moment ago in this same apply, never seen outside it) is freed first.
 */
export function handOver(db: Database.Database, index: number, at: number, serviceId: string, adoption: Adoption): void {
  const { container } = adoption;
  if (!containerById(db, container.id)) throw new Error(`handOver: container ${container.id} vanished inside the apply`);
  const task = tasksOfService(db, serviceId).find((t) => t.slot === 1 && t.desiredState === 'running');
  if (!task) throw new Error(`handOver: service ${serviceId} has no slot-1 task after its creation`);
  const moving = new Set(adoption.networkIds);
  for (const fresh of attachmentsOfOwner(db, 'task', task.id)) if (moving.has(fresh.networkId)) releaseAttachment(db, fresh);
  // Pinned to the container's node (a pending task with a node is placed there only, as a global
  // task is): there the agent's data plane holds the task's interface back until the container's
  // endpoint is gone (DataPlane.attach), so the address is never live twice. A container on a
  // node that is not ready and active leaves the task to the scheduler rather than stuck.
  const nodeId = pinnable(db, container.nodeId) ? container.nodeId : task.nodeId;
  if (nodeId !== task.nodeId && task.status.state === 'pending') stmt(db, 'UPDATE tasks SET node_id = ? WHERE id = ?').run(nodeId, task.id);
  for (const a of attachmentsOfOwner(db, 'container', container.id)) {
    if (!moving.has(a.networkId)) continue;
    const r = stmt(db, "UPDATE attachments SET owner_kind = 'task', owner_id = ?, node_id = ?, version = ? WHERE id = ? AND owner_kind = 'container' AND owner_id = ?").run(
      task.id,
      nodeId,
      index,
      a.id,
      container.id,
    );
    if (r.changes !== 1) throw new Error(`handOver: attachment ${a.id} (${formatIpv4(a.address)}) changed hands inside the apply`);
  }
  // What is left (networks the service is not on) goes back, as for `container rm`.
  releaseOwnerAttachments(db, index, 'container', container.id);
  stmt(db, 'DELETE FROM containers WHERE id = ?').run(container.id);
  recordEvent(db, index, 'container', 'delete', container.id);
  stmt(db, 'UPDATE tasks SET updated_at = ?, version = ? WHERE id = ?').run(at, index, task.id);
}

/**
 * A Docker container (recorded by a node's Docker plugin) is stopped by that node's plugin once
 * the task holds its address, so the move is refused unless that can happen at once: the node is
 * ready and active (else its plugin cannot be told, and the task could not be pinned beside it),
 * and the record says running (a container Docker has not started, or that ended, is not moved).
 */
function checkDockerContainer(db: Database.Database, container: ContainerRecord, service: string): void {
  const why = `adopt_container: Docker container ${container.name} cannot move into service ${service}`;
  if (!pinnable(db, container.nodeId)) {
    throw new ShoalError('FAILED_PRECONDITION', `${why}: its node ${container.nodeId.slice(0, 12)} is not ready and active, so its Shoal plugin cannot stop it; it keeps running with its address`);
  }
  if (container.state !== 'running') {
    throw new ShoalError('FAILED_PRECONDITION', `${why}: it is ${container.state}, not running; start it (or remove it) first`);
  }
}

function pinnable(db: Database.Database, nodeId: string): boolean {
  if (nodeId === '') return false;
  const n = stmt(db, 'SELECT status, availability FROM nodes WHERE id = ?').get(nodeId) as { status: string; availability: string } | undefined;
  return n !== undefined && n.status === 'ready' && n.availability === 'active';
}
