// Builders for scheduler tests: nodes and tasks with defaults, overridable per field.
import type { SchedNode, SchedTask } from '../../src/scheduler/types.js';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
export const CPU = 1e9;

export function node(id: string, over: Partial<SchedNode> = {}): SchedNode {
  return {
    id, hostname: `host-${id}`, role: 'worker', status: 'ready', availability: 'active', labels: {},
    platform: { os: 'linux', arch: 'x64' }, capacity: { nanoCpus: 8 * CPU, memoryBytes: 16 * GiB }, ...over,
  };
}

export function task(id: string, serviceId: string, over: Partial<SchedTask> = {}): SchedTask {
  return { id, serviceId, constraints: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, maxReplicasPerNode: 0, placementPrefs: [], ...over };
}

export function tasks(count: number, serviceId: string, over: Partial<SchedTask> = {}, prefix = serviceId): SchedTask[] {
  return Array.from({ length: count }, (_, i) => task(`${prefix}-t${String(i).padStart(4, '0')}`, serviceId, over));
}

/** Tasks per node ID from a placement map. */
export function countByNode(placements: ReadonlyMap<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of placements.values()) out.set(n, (out.get(n) ?? 0) + 1);
  return out;
}
