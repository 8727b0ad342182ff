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
  const shared = new Set(spec.networks);
  const networkIds = attachmentsOfOwner(db, 'container', container.id)
    .map((a) => a.networkId)
    .filter((n) => shared.has(n));
  if (networkIds.length === 0) {
    throw new ShoalError('FAILED_PRECONDITION', `adopt_container: container ${container.name} shares no network with service ${spec.name}; put the service on one of the container's networks`);
  }
  checkContainerNode(db, container);
  if (container.labels[DOCKER_ID_LABEL] !== undefined) checkDockerContainer(container, spec.name);
  return { container, networkIds };
}

/**
 * The move is ordered by the container's node: its agent stops the container, and its data plane
 * brings the task's interface up only once the container's is gone (address-gate.ts). So that node
 * must be ready (its agent reachable, able to stop the container) and active (able to take the
 * pinned task). Otherwise the move is refused, naming the node: a task elsewhere could answer on
 * the address while the unreachable container still does, or wait on a node that takes no task.
 * Docker swarm's habit for a down node too (it refuses what needs that node's agent unless told
 * otherwise); the user brings the node back or activates it, or removes the container first and
 * deploys without adopting it.
 */
function checkContainerNode(db: Database.Database, container: ContainerRecord): void {
  const n = stmt(db, 'SELECT hostname, status, availability FROM nodes WHERE id = ?').get(container.nodeId) as { hostname: string; status: string; availability: string } | undefined;
  const refuse = (why: string, fix: string): never => {
    throw new ShoalError('FAILED_PRECONDITION', `adopt_container: container ${container.name} runs on node ${n?.hostname ?? ''} (${container.nodeId}), ${why}; nothing was created. ${fix}`);
  };
  const rm = `or remove the container (shoal container rm ${container.name}) and deploy without adopting it`;
  if (!n) throw new ShoalError('FAILED_PRECONDITION', `adopt_container: container ${container.name} is on node ${container.nodeId || '(none)'}, which is not in the cluster; nothing was created. Remove the container (shoal container rm ${container.name}) and deploy without adopting it`);
  if (n.status === 'down') refuse('which is down: its agent cannot stop the container, so its address could answer from two places', `Bring the node back and deploy again, ${rm}`);
  if (n.status !== 'ready') refuse(`whose status is ${n.status}: its agent has not been heard from`, `Deploy again once the node is ready (shoal node ls), ${rm}`);
  if (n.availability !== 'active') {
    refuse(`which is ${n.availability === 'drain' ? 'drained' : n.availability === 'pause' ? 'paused' : n.availability}: the adopting task must start on the container's node, and that node takes no new task`, `Set it active for the move (shoal node update --availability active ${n.hostname}), ${rm}`);
  }
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
  // endpoint is gone (DataPlane.attach), so the address is never live twice. checkAdoption has
  // refused a container whose node is not ready and active.
  const nodeId = container.nodeId;
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
 * the task holds its address (checkContainerNode has made sure that node is ready and active), so
 * the record must say running: a container Docker has not started, or that ended, is not moved.
 */
function checkDockerContainer(container: ContainerRecord, service: string): void {
  if (container.state !== 'running') {
    throw new ShoalError('FAILED_PRECONDITION', `adopt_container: Docker container ${container.name} cannot move into service ${service}: it is ${container.state}, not running; start it (or remove it) first`);
  }
}
