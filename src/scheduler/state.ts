/**
 * The in-memory assignment state the scheduler reads and updates while it places a batch:
 * tasks per node, tasks per (service, node), resources reserved per node, and recent
 * failures per (service, node). The caller builds it from the store; `scheduleBatch` updates
 * it as it places, so later tasks of the same batch see earlier placements.
 */
import type { AssignedTask, RecentFailure, Resources } from './types.js';

interface NodeLoad {
  // Invariant: tasks >= 0, nanoCpus >= 0, memoryBytes >= 0 (checked on every change).
  tasks: number;
  nanoCpus: number;
  memoryBytes: number;
}

export class AssignmentState {
  private readonly loads = new Map<string, NodeLoad>();
  /** serviceId -> nodeId -> tasks of that service on that node (entries are > 0). */
  private readonly byService = new Map<string, Map<string, number>>();
  /** serviceId -> nodeId -> recent failures (entries are > 0). */
  private readonly failures = new Map<string, Map<string, number>>();

  static build(assigned: readonly AssignedTask[], recentFailures: readonly RecentFailure[] = []): AssignmentState {
    const s = new AssignmentState();
    for (const t of assigned) s.assign(t.serviceId, t.nodeId, t.reservations);
    for (const f of recentFailures) s.recordFailures(f.serviceId, f.nodeId, f.count);
    return s;
  }

  assign(serviceId: string, nodeId: string, reservations: Resources): void {
    assertResources(reservations);
    const load = this.loadOf(nodeId);
    load.tasks += 1;
    load.nanoCpus += reservations.nanoCpus;
    load.memoryBytes += reservations.memoryBytes;
    let perNode = this.byService.get(serviceId);
    if (perNode === undefined) {
      perNode = new Map();
      this.byService.set(serviceId, perNode);
    }
    perNode.set(nodeId, (perNode.get(nodeId) ?? 0) + 1);
  }

  /** The task left its node (finished, removed, node gone): its reservation is free again. */
  unassign(serviceId: string, nodeId: string, reservations: Resources): void {
    assertResources(reservations);
    const load = this.loads.get(nodeId);
    const perNode = this.byService.get(serviceId);
    const count = perNode?.get(nodeId) ?? 0;
    if (load === undefined || perNode === undefined || count <= 0) {
      throw new Error(`scheduler state: unassign of a task of service ${serviceId} not on node ${nodeId}`);
    }
    const nanoCpus = load.nanoCpus - reservations.nanoCpus;
    const memoryBytes = load.memoryBytes - reservations.memoryBytes;
    // Checked before any change, so a bad call leaves the state as it was.
    if (nanoCpus < 0 || memoryBytes < 0) throw new Error(`scheduler state: negative reservation on node ${nodeId}`);
    load.tasks -= 1;
    load.nanoCpus = nanoCpus;
    load.memoryBytes = memoryBytes;
    if (count === 1) perNode.delete(nodeId);
    else perNode.set(nodeId, count - 1);
  }

  recordFailures(serviceId: string, nodeId: string, count: number): void {
    if (!Number.isSafeInteger(count) || count < 0) throw new Error(`scheduler state: bad failure count ${count}`);
    if (count === 0) return;
    let perNode = this.failures.get(serviceId);
    if (perNode === undefined) {
      perNode = new Map();
      this.failures.set(serviceId, perNode);
    }
    perNode.set(nodeId, (perNode.get(nodeId) ?? 0) + count);
  }

  tasksOn(nodeId: string): number {
    return this.loads.get(nodeId)?.tasks ?? 0;
  }

  reservedOn(nodeId: string): Resources {
    const l = this.loads.get(nodeId);
    return l === undefined ? { nanoCpus: 0, memoryBytes: 0 } : { nanoCpus: l.nanoCpus, memoryBytes: l.memoryBytes };
  }

  serviceTasksOn(serviceId: string, nodeId: string): number {
    return this.byService.get(serviceId)?.get(nodeId) ?? 0;
  }

  /** All nodes holding tasks of the service, for callers that look at one service at a time. */
  serviceNodes(serviceId: string): ReadonlyMap<string, number> {
    return this.byService.get(serviceId) ?? emptyMap;
  }

  recentFailures(serviceId: string, nodeId: string): number {
    return this.failures.get(serviceId)?.get(nodeId) ?? 0;
  }

  serviceFailures(serviceId: string): ReadonlyMap<string, number> {
    return this.failures.get(serviceId) ?? emptyMap;
  }

  clone(): AssignmentState {
    const c = new AssignmentState();
    for (const [id, l] of this.loads) c.loads.set(id, { ...l });
    for (const [svc, m] of this.byService) c.byService.set(svc, new Map(m));
    for (const [svc, m] of this.failures) c.failures.set(svc, new Map(m));
    return c;
  }

  private loadOf(nodeId: string): NodeLoad {
    let load = this.loads.get(nodeId);
    if (load === undefined) {
      load = { tasks: 0, nanoCpus: 0, memoryBytes: 0 };
      this.loads.set(nodeId, load);
    }
    return load;
  }
}

const emptyMap: ReadonlyMap<string, number> = new Map();

function assertResources(r: Resources): void {
  if (!Number.isSafeInteger(r.nanoCpus) || r.nanoCpus < 0 || !Number.isSafeInteger(r.memoryBytes) || r.memoryBytes < 0) {
    throw new Error(`scheduler state: resources must be non-negative integers, got ${r.nanoCpus} nanoCPUs, ${r.memoryBytes} bytes`);
  }
}
