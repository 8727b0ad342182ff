/**
 * One worker's Assignments stream on the leader: first the COMPLETE set of
 * what its node must know (its tasks with their attachments, the networks
 * those tasks and its standalone containers are on, and the containers'
 * attachments), then INCREMENTAL batches driven by the events table. Each
 * message names the sequence it applies to and the one it results in, so a
 * worker can tell that it missed nothing.
 */
import type { AssignmentChange } from '../generated/shoal/v1/AssignmentChange.js';
import type { AssignmentsMessage } from '../generated/shoal/v1/AssignmentsMessage.js';
import type { Task } from '../generated/shoal/v1/Task.js';
import type Database from 'better-sqlite3';
import { attachmentToProto, networkToProto } from './network-view.js';
import { taskToProto } from './service-view.js';
import { eventBounds, eventsAfter, type StoreEvent } from './store/events.js';
import { attachmentsOfNode, containerById, describeAttachment, describedAttachmentsOfOwner, networkById, type ContainerRecord } from './store/network-queries.js';
import { serviceById, taskById, type TaskRecord } from './store/service-queries.js';
import { isAssignedToNode, tasksForNode } from './store/task-queries.js';
import { SentPeers, type PeerSource } from './peer-tables.js';
import { stmt } from './store/statements.js';

/** At most this many changes per message (a big set is split into several). */
export const CHANGES_PER_MESSAGE_MAX = 100;
/** Events read per poll; more than this since the last poll means a full diff instead. */
export const EVENTS_PER_POLL_MAX = 1_000;

/**
 * New events read once by the dispatcher for all streams, with the node each changed task is
 * on now. Without it every stream would read the same events and look up every changed task
 * itself: with 1,000 workers and 10,000 new tasks, ten million lookups instead of ten thousand.
 */
export interface SharedEvents {
  /** The sequence the events follow (a stream that is elsewhere reads for itself). */
  readonly afterSeq: number;
  readonly events: readonly StoreEvent[];
  /** Node of each task named in `events` ('' if unplaced or gone). */
  readonly nodeOfTask: ReadonlyMap<string, string>;
}

interface Known {
  readonly version: number;
  readonly networks: readonly string[];
}

export class AssignmentsStream {
  private readonly tasks = new Map<string, Known>();
  /** Standalone containers of the node, sent as tasks (container ID -> version sent). */
  private readonly containers = new Map<string, number>();
  private readonly containerAttachments = new Map<string, string>(); // attachment ID -> network ID
  private readonly networks = new Set<string>();
  private lastSeq = 0;
  private sequence = 0;
  private readonly sentPeers: SentPeers;

  constructor(
    private readonly db: () => Database.Database,
    private readonly nodeId: string,
    private readonly epoch: string,
    private readonly send: (m: AssignmentsMessage) => void,
    /** The peer tables of the networks this node holds (none: no peers are sent). */
    private readonly peers?: PeerSource,
  ) {
    this.sentPeers = new SentPeers(nodeId);
  }

  /** Sends what changed in the peer tables of this node's networks (a node's data-path address moved). */
  refreshPeers(): void {
    const changes = this.peerChanges();
    if (changes.length > 0) this.emit(changes, false);
  }

  private peerChanges(): AssignmentChange[] {
    return this.peers ? this.sentPeers.diff(this.networks, this.peers) : [];
  }

  /** The event sequence this stream has caught up to. */
  get seq(): number {
    return this.lastSeq;
  }

  /** Sends the complete set (possibly in several messages: the first COMPLETE, the rest INCREMENTAL). */
  start(): void {
    const db = this.db();
    this.lastSeq = eventBounds(db).newest;
    const changes: AssignmentChange[] = [];
    for (const t of tasksForNode(db, this.nodeId)) changes.push(this.taskUpdate(db, t));
    for (const id of containerIdsOfNode(db, this.nodeId)) changes.push(...this.containerChange(db, id));
    changes.push(...this.diffContainersAndNetworks(db));
    changes.push(...this.peerChanges());
    this.emit(changes, true);
  }

  /** Called every poll period: turns new events into one or more INCREMENTAL messages. */
  poll(shared?: SharedEvents): void {
    // Shared events are contiguous from afterSeq (the dispatcher checks for gaps), however many there are.
    if (shared && shared.afterSeq === this.lastSeq && shared.events.length > 0) {
      this.pollShared(shared);
      return;
    }
    const db = this.db();
    const events = eventsAfter(db, this.lastSeq, EVENTS_PER_POLL_MAX);
    if (events.length === 0) return;
    const bounds = eventBounds(db);
    const full = events.length === EVENTS_PER_POLL_MAX || (events[0]?.seq ?? 0) > this.lastSeq + 1;
    const ids = full ? new Set([...this.tasks.keys(), ...tasksForNode(db, this.nodeId).map((t) => t.id)]) : new Set(events.filter((e) => e.kind === 'task').map((e) => e.objectId));
    this.lastSeq = full ? bounds.newest : (events[events.length - 1]?.seq ?? this.lastSeq);
    const containerIds = full
      ? new Set([...this.containers.keys(), ...containerIdsOfNode(db, this.nodeId)])
      : new Set(events.filter((e) => e.kind === 'container').map((e) => e.objectId));
    this.applyChanges(db, ids, containerIds);
  }

  /** The events the dispatcher read for every stream: only this node's tasks (now or before) are looked at. */
  private pollShared(shared: SharedEvents): void {
    const ids = new Set<string>();
    const containerIds = new Set<string>();
    for (const e of shared.events) {
      if (e.kind === 'task' && (shared.nodeOfTask.get(e.objectId) === this.nodeId || this.tasks.has(e.objectId))) ids.add(e.objectId);
      if (e.kind === 'container') containerIds.add(e.objectId);
    }
    this.lastSeq = shared.events[shared.events.length - 1]?.seq ?? this.lastSeq;
    if (ids.size === 0 && containerIds.size === 0) {
      // Other nodes' endpoints may have come or gone on this node's networks.
      this.refreshPeers();
      return;
    }
    this.applyChanges(this.db(), ids, containerIds);
  }

  private applyChanges(db: Database.Database, ids: ReadonlySet<string>, containerIds: ReadonlySet<string>): void {
    const taskChanges: AssignmentChange[] = [];
    const removals: AssignmentChange[] = [];
    for (const id of [...ids].sort()) {
      const t = taskById(db, id);
      const known = this.tasks.get(id);
      if (t && isAssignedToNode(t, this.nodeId)) {
        if (known?.version !== t.version) taskChanges.push(this.taskUpdate(db, t));
      } else if (known) {
        this.tasks.delete(id);
        removals.push({ action: 'ASSIGNMENT_ACTION_REMOVE', task: { id } });
      }
    }
    for (const id of [...containerIds].sort()) {
      for (const c of this.containerChange(db, id)) (c.action === 'ASSIGNMENT_ACTION_REMOVE' ? removals : taskChanges).push(c);
    }
    const netChanges = this.diffContainersAndNetworks(db);
    // New networks first (a task may need them), removed networks last.
    const added = netChanges.filter((c) => c.action === 'ASSIGNMENT_ACTION_UPDATE');
    const dropped = netChanges.filter((c) => c.action === 'ASSIGNMENT_ACTION_REMOVE');
    const all = [...added, ...this.peerChanges(), ...taskChanges, ...removals, ...dropped];
    if (all.length > 0) this.emit(all, false);
  }

  private taskUpdate(db: Database.Database, t: TaskRecord): AssignmentChange {
    const s = serviceById(db, t.serviceId);
    const attachments = describedAttachmentsOfOwner(db, 'task', t.id);
    this.tasks.set(t.id, { version: t.version, networks: attachments.map((a) => a.networkId) });
    return {
      action: 'ASSIGNMENT_ACTION_UPDATE',
      task: taskToProto(t, { serviceName: s?.name ?? t.serviceId, labels: s?.spec.labels ?? {}, attachments }),
    };
  }

  /**
   * A standalone container of this node goes to the worker as a task (same executor, same
   * status path): desired running while created or running, shutdown once stopped.
   */
  private containerChange(db: Database.Database, id: string): AssignmentChange[] {
    const c = containerById(db, id);
    const known = this.containers.get(id);
    if (!c || c.nodeId !== this.nodeId) {
      if (known === undefined) return [];
      this.containers.delete(id);
      return [{ action: 'ASSIGNMENT_ACTION_REMOVE', task: { id } }];
    }
    if (known === c.version) return [];
    this.containers.set(id, c.version);
    return [{ action: 'ASSIGNMENT_ACTION_UPDATE', task: containerAsTask(c, describedAttachmentsOfOwner(db, 'container', c.id)) }];
  }

  /** Container attachments on the node and the networks needed, against what was sent. */
  private diffContainersAndNetworks(db: Database.Database): AssignmentChange[] {
    const out: AssignmentChange[] = [];
    const current = new Map<string, string>();
    for (const a of attachmentsOfNode(db, this.nodeId)) {
      if (a.ownerKind !== 'container') continue;
      current.set(a.id, a.networkId);
      if (this.containerAttachments.has(a.id)) continue;
      const n = networkById(db, a.networkId);
      if (n) out.push({ action: 'ASSIGNMENT_ACTION_UPDATE', attachment: attachmentToProto(describeAttachment(a, n)) });
    }
    for (const id of this.containerAttachments.keys()) {
      if (!current.has(id)) out.push({ action: 'ASSIGNMENT_ACTION_REMOVE', attachment: { id } });
    }
    this.containerAttachments.clear();
    for (const [k, v] of current) this.containerAttachments.set(k, v);
    const needed = new Set<string>(current.values());
    for (const k of this.tasks.values()) for (const n of k.networks) needed.add(n);
    const netOut: AssignmentChange[] = [];
    for (const id of [...needed].sort()) {
      if (this.networks.has(id)) continue;
      const n = networkById(db, id);
      if (!n) continue;
      this.networks.add(id);
      netOut.push({ action: 'ASSIGNMENT_ACTION_UPDATE', network: networkToProto(n) });
    }
    for (const id of [...this.networks]) {
      if (needed.has(id)) continue;
      this.networks.delete(id);
      netOut.push({ action: 'ASSIGNMENT_ACTION_REMOVE', network: { id } });
    }
    return [...netOut.filter((c) => c.action === 'ASSIGNMENT_ACTION_UPDATE'), ...out, ...netOut.filter((c) => c.action === 'ASSIGNMENT_ACTION_REMOVE')];
  }

  /**
   * A complete set goes out as one message (the worker drops whatever it does
   * not list, so it cannot be split); incremental changes in chunks.
   */
  private emit(changes: readonly AssignmentChange[], complete: boolean): void {
    if (complete) {
      this.sequence++;
      this.send({ type: 'ASSIGNMENTS_TYPE_COMPLETE', appliesTo: '', resultsIn: `${this.epoch}-${this.sequence}`, changes: [...changes] });
      return;
    }
    for (let i = 0; i < changes.length; i += CHANGES_PER_MESSAGE_MAX) {
      const appliesTo = `${this.epoch}-${this.sequence}`;
      this.sequence++;
      this.send({
        type: 'ASSIGNMENTS_TYPE_INCREMENTAL',
        appliesTo,
        resultsIn: `${this.epoch}-${this.sequence}`,
        changes: changes.slice(i, i + CHANGES_PER_MESSAGE_MAX),
      });
    }
  }
}

function containerIdsOfNode(db: Database.Database, nodeId: string): string[] {
  return (stmt(db, 'SELECT id FROM containers WHERE node_id = ? ORDER BY id').all(nodeId) as { id: string }[]).map((r) => r.id);
}

function containerAsTask(c: ContainerRecord, attachments: ReturnType<typeof describedAttachmentsOfOwner>): Task {
  const wanted = c.state === 'created' || c.state === 'running';
  return {
    id: c.id,
    name: c.name,
    labels: { ...c.labels },
    nodeId: c.nodeId,
    desiredState: wanted ? 'TASK_STATE_RUNNING' : 'TASK_STATE_SHUTDOWN',
    attachments: attachments.map(attachmentToProto),
    spec: { command: c.command, args: [...c.args], env: [...c.env], image: c.image ?? '', pull: c.pull ?? '' },
  };
}
