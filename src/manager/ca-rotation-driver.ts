/**
 * The moving parts of a CA rotation on a manager (the state is in
 * store/ca-rotation.ts):
 *  - the leader records, from heartbeats, which nodes hold a certificate from
 *    the new root (one `ca.rotate.node` write per batch of newly seen nodes);
 *  - every manager renews its own certificate when the cluster's signing root
 *    or trust bundle differs from what it holds (its replica of the store says);
 *  - the leader completes the rotation once no node is pending.
 */
import type { Logger } from './logger.js';
import type { Manager } from './manager.js';
import type { MtlsSecurity } from '../security/mtls.js';
import { materialOutdated } from '../security/ca-follower.js';
import { caTarget } from './ca-service.js';
import { isRotatedNode, pendingRotationNodes, readRotation } from './store/ca-rotation.js';

const CHECK_MS = 1_000;

/** Leader side: heartbeats report each node's certificate root; new-root holders are recorded in batches. */
export class RotationRecorder {
  private readonly queued = new Set<string>();
  private readonly inFlight = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly m: Manager,
    private readonly log: Logger,
  ) {}

  /** Nodes known to be recorded for the rotation with digest `recordedFor` (their heartbeats then cost no read). */
  private readonly recorded = new Set<string>();
  private recordedFor = '';

  /**
   * A heartbeat's report. `rotationDigest` is the new root of the rotation in progress (null: none),
   * as the caller last read it: every heartbeat reports, so this must not read the store each time.
   */
  note(nodeId: string, certRootDigest: string, rotationDigest: string | null): void {
    if (certRootDigest === '' || rotationDigest !== certRootDigest || this.queued.has(nodeId) || this.inFlight.has(nodeId)) return;
    if (this.recordedFor !== rotationDigest) {
      this.recorded.clear();
      this.recordedFor = rotationDigest;
    }
    if (this.recorded.has(nodeId)) return;
    const db = this.m.store.db;
    const rotation = readRotation(db);
    if (!rotation || rotation.digest !== certRootDigest) return;
    if (isRotatedNode(db, nodeId)) {
      this.recorded.add(nodeId);
      return;
    }
    this.queued.add(nodeId);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush(rotation.digest));
  }

  private flush(digest: string): void {
    this.scheduled = false;
    const nodeIds = [...this.queued];
    this.queued.clear();
    for (const id of nodeIds) this.inFlight.add(id);
    this.m.write({ op: 'ca.rotate.node', at: Date.now(), nodeIds, digest }).then(
      () => this.log.info('ca-rotation-nodes-reissued', { nodeIds }),
      // The next heartbeat reports again.
      (e: unknown) => this.log.warn('ca-rotation-record-failed', { error: e instanceof Error ? e.message : String(e) }),
    ).finally(() => {
      for (const id of nodeIds) this.inFlight.delete(id);
    });
  }
}

/**
 * Every manager, every second: renew its own certificate if the rotation state says so, and
 * (on the leader) complete a rotation that no node is pending on. Returns the stop function.
 */
export function startRotationLoop(m: Manager, security: MtlsSecurity, renewNow: () => Promise<void>): () => void {
  let busy = false;
  const tick = async (): Promise<void> => {
    const db = m.store.db;
    const target = caTarget(db);
    if (target && materialOutdated(security.material, target.signingDigest, target.trustDigests)) {
      await renewNow().catch((e: unknown) => m.log.warn('ca-rotation-renewal-failed', { error: e instanceof Error ? e.message : String(e) }));
    }
    const rotation = readRotation(db);
    if (rotation && m.shell.isLeader && pendingRotationNodes(db).length === 0) {
      await m.write({ op: 'ca.rotate.complete', at: Date.now(), digest: rotation.digest }).then(
        () => m.log.info('ca-rotation-completed', { digest: rotation.digest }),
        (e: unknown) => m.log.warn('ca-rotation-complete-failed', { error: e instanceof Error ? e.message : String(e) }),
      );
    }
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    tick()
      .catch((e: unknown) => m.log.warn('ca-rotation-check-failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        busy = false;
      });
  }, CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
