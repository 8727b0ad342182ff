/**
 * A StateStore in a temp dir with a cluster and one node, and a way to apply commands to it
 * as committed log entries: the same path the managers use, without Raft.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShoalError } from '../../src/errors.js';
import { encodeCommand, type Command } from '../../src/manager/store/commands.js';
import { StateStore } from '../../src/manager/store/state-store.js';

export const NODE_ID = 'node000000000000000000001';

export class StoreHarness {
  private index = 0;
  private constructor(
    readonly dir: string,
    readonly store: StateStore,
  ) {}

  static open(pools: readonly string[] = ['10.0.0.0/8'], maskLength = 24): StoreHarness {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-net-'));
    const h = new StoreHarness(dir, StateStore.open(dir));
    h.applyOk({
      op: 'cluster.init',
      at: 1,
      clusterId: 'cluster0000000000000000001',
      tokenKey: 'k'.repeat(64),
      settings: { defaultAddrPools: [...pools], defaultAddrPoolMaskLength: maskLength, dispatcherHeartbeatMs: 5000, snapshotEveryEntries: 10000 },
      node: { id: NODE_ID, raftId: 1, hostname: 'm1', addr: '127.0.0.1:1' },
    });
    return h;
  }

  get db(): StateStore['db'] {
    return this.store.db;
  }

  /** Applies one command; returns its outcome. */
  apply(cmd: Command): { ok: true; value: unknown } | { ok: false; error: ShoalError } {
    this.index++;
    const [o] = this.store.applyEntries([{ term: 1, index: this.index, kind: 'normal', data: encodeCommand(cmd) }], null);
    if (!o) throw new Error('no outcome');
    return o.ok ? { ok: true, value: o.value } : { ok: false, error: o.error as ShoalError };
  }

  applyOk(cmd: Command): unknown {
    const o = this.apply(cmd);
    if (!o.ok) throw new Error(`${cmd.op} failed: ${o.error.code} ${o.error.message}`);
    return o.value;
  }

  close(): void {
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
