/**
 * Shoal's records against Docker's own list: nothing leaks, nothing doubles. Runs when the
 * plugin starts and then periodically, because Docker forgets to tell a plugin that was down
 * (dockerd started before it, a node daemon killed with containers attached, dockerd stopped
 * while the plugin was away): its endpoint deletions are simply lost.
 *
 * The rule, `staleRecords` (pure): a record made by the plugin stays while its Docker container
 * exists, is not exited or dead, and still holds the recorded endpoint; otherwise its address is
 * freed. When Docker does not answer nothing is decided (never free on uncertainty).
 */
import type { DockerContainerState } from './docker-view.js';
import type { DockerRecord, ShoalPort } from './shoal-port.js';
import type { DockerPlugin } from './protocol.js';
import type { PluginState } from './state.js';

/** How long an endpoint that Docker does not show yet may wait for its container (starting). */
export const UNBOUND_GRACE_MS = 60_000;

const GONE_STATES = new Set(['exited', 'dead']);

function holds(c: DockerContainerState | undefined, endpointId: string): boolean {
  return c !== undefined && !GONE_STATES.has(c.state) && c.endpointIds.has(endpointId);
}

/** The records whose Docker container or endpoint no longer exists. */
export function staleRecords(records: readonly DockerRecord[], containers: readonly DockerContainerState[]): DockerRecord[] {
  const byId = new Map(containers.map((c) => [c.dockerId, c]));
  return records.filter((r) => !holds(byId.get(r.dockerId), r.endpointId));
}

export interface ReconcileResult {
  readonly freed: number;
  readonly bound: number;
}

/**
 * One round: frees stale records, forgets local endpoints Docker no longer has (their links and
 * reservations go), and records endpoints that Docker has but Shoal does not (a bind interrupted
 * by a restart).
 */
export async function reconcileOnce(
  plugin: DockerPlugin,
  state: PluginState,
  shoal: ShoalPort,
  containers: () => Promise<DockerContainerState[]>,
  now = Date.now(),
): Promise<ReconcileResult> {
  const docker = await containers();
  const records = await shoal.records();
  let freed = 0;
  for (const r of staleRecords(records, docker)) {
    const ep = state.data.endpoints[r.endpointId];
    if (ep) await plugin.forget(ep);
    else await shoal.remove(r.id);
    freed++;
  }
  const held = new Set(docker.filter((c) => !GONE_STATES.has(c.state)).flatMap((c) => [...c.endpointIds]));
  const recorded = new Set(records.map((r) => r.endpointId));
  let bound = 0;
  for (const ep of Object.values(state.data.endpoints)) {
    if (plugin.binding.has(ep.endpointId)) continue;
    if (held.has(ep.endpointId) && ep.handedOver) {
      plugin.startStop(ep); // its address is a task's now: the container must stop (again, if Docker refused before), never be recorded again
      continue;
    }
    if (held.has(ep.endpointId)) {
      if (!ep.recorded || !recorded.has(ep.endpointId)) {
        if (ep.recorded) ep.rebinds = (ep.rebinds ?? 0) + 1; // the record went (removed by hand): make it again
        ep.recorded = false;
        plugin.startBind(ep);
        bound++;
      }
      continue;
    }
    // Docker does not show it: gone, unless it is a young endpoint whose container is still starting.
    if (ep.recorded || now - (ep.createdAt ?? 0) > UNBOUND_GRACE_MS) {
      await plugin.forget(ep);
      freed++;
    }
  }
  // Addresses handed out that no endpoint claimed: the leader's reservation sweep frees them.
  const before = state.data.pending.length;
  state.data.pending = state.data.pending.filter((p) => now - p.at < UNBOUND_GRACE_MS * 5);
  if (state.data.pending.length !== before) state.save();
  return { freed, bound };
}
