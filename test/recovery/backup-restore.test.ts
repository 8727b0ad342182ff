/**
 * `shoal backup` under a running write load, then a restore into a new data dir.
 *
 * Proves: a backup taken on a follower while clients keep writing (address
 * attachments on an attachable network and node label updates, through every
 * manager) equals, table by table and row by row, the state rebuilt
 * independently from the leader's Raft log up to the backup's index; the
 * cluster restored from it holds every object of that state (its managers
 * marked removed, one new manager), passes the network check, keeps every
 * held address held (a new attachment gets a fresh one), and takes writes.
 * A corrupt or truncated backup is refused naming the file, before the data
 * dir is touched. `init --force-new-cluster` on a stopped manager whose peers
 * still form a quorum is refused, and with --force goes ahead.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fetchBackup } from '../../bin/commands/recovery.js';
import { attachNetwork, checkNetworks } from '../../bin/commands/network-api.js';
import { Api } from '../../bin/client.js';
import { runManager } from '../../src/manager/daemon.js';
import { silentLogger } from '../../src/manager/logger.js';
import type { Manager } from '../../src/manager/manager.js';
import { readBackupFile, writeBackupFile } from '../../src/manager/recovery/backup-file.js';
import { restoreFromBackup } from '../../src/manager/recovery/force-new-cluster.js';
import { StateStore } from '../../src/manager/store/state-store.js';
import { newObjectId } from '../../src/manager/tokens.js';
import { applyConfChangeTo, decodeConfChange } from '../../src/raft/core/index.js';
import type { ConfState } from '../../src/raft/core/index.js';
import { insecureTransport } from '../../src/raft/transport/credentials.js';
import { freePort, startCluster, waitFor, type TestCluster } from '../helpers/in-process-cluster.js';
import { runCli } from '../integration/harness.js';

type Rows = Record<string, unknown>[];

/** Every row of every table, in primary-key order. */
function dump(db: Database.Database): Map<string, Rows> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  const sorted = (rows: Rows): Rows => rows.map((r) => [JSON.stringify(r), r] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, r]) => r);
  return new Map(tables.map((t) => [t.name, sorted(db.prepare(`SELECT * FROM "${t.name}"`).all() as Rows)]));
}

function openImage(image: Uint8Array): Database.Database {
  const copy = Buffer.from(image);
  copy[18] = 1;
  copy[19] = 1;
  return new Database(copy);
}

/** The state at `index`, rebuilt from `m`'s Raft log: its first snapshot, then every entry up to `index`. */
function stateFromLog(m: Manager, index: number, dir: string): StateStore {
  const store = StateStore.open(dir);
  const snap = m.raftLog.snapshot();
  store.restore(snap);
  let conf: ConfState = snap.meta.conf;
  for (let next = snap.meta.index + 1; next <= index; ) {
    const entries = m.raftLog.entries(next, Math.min(index + 1, next + 500), Number.MAX_SAFE_INTEGER);
    let changed: ConfState | null = null;
    for (const e of entries) if (e.kind === 'conf-change') changed = conf = applyConfChangeTo(conf, decodeConfChange(e.data));
    store.applyEntries(entries, changed);
    next += entries.length;
  }
  return store;
}

describe('backup under a write load, restore into a new data dir', () => {
  let cluster: TestCluster;
  let restored: Manager | null = null;
  let restoredApi: Api | null = null;

  before(async () => {
    cluster = await startCluster(3);
  });
  after(async () => {
    restoredApi?.close();
    await restored?.close();
    await cluster.close();
  });

  test('the backup equals the state at its index; the restored cluster holds it and passes the network check', async () => {
    const leader = cluster.leader();
    await leader.write({ op: 'network.create', at: Date.now(), id: newObjectId(), name: 'appnet', driver: 'overlay', attachable: true, labels: {} });
    const nodeId = leader.config.nodeId;
    let stop = false;
    let writes = 0;
    const writers = Array.from({ length: 6 }, async (_, w) => {
      const api = cluster.apis[w % cluster.apis.length]!;
      while (!stop) {
        try {
          if (w % 3 === 2) await api.updateNode({ ref: nodeId, version: 0, labelAdd: { [`k${w}`]: String(writes) } });
          else await attachNetwork(api, { network: 'appnet', containerId: newObjectId(), nodeId });
          writes++;
        } catch {
          // A write refused mid-load (e.g. a version race) is fine: the check is about what was applied.
        }
      }
    });
    let backup0: Awaited<ReturnType<typeof fetchBackup>>;
    try {
      await waitFor(() => writes >= 150, 30_000, '150 writes before the backup');
      const follower = cluster.followers()[0]!;
      // Through the follower's local socket (TCP would need a client certificate).
      backup0 = await fetchBackup(`unix://${follower.socketPath}`);
      const writesAtBackup = writes;
      await waitFor(() => writes >= writesAtBackup + 100, 30_000, '100 writes after the backup');
    } finally {
      // Whatever failed, the writers stop (they would otherwise spin for ever).
      stop = true;
      await Promise.all(writers);
    }
    const { header, image } = backup0;
    assert.ok(header.index > 0 && header.term > 0);

    const file = join(cluster.dir, 'state.bak');
    writeBackupFile(file, header, image);
    const backup = readBackupFile(file);
    const reference = stateFromLog(cluster.leader(), header.index, join(cluster.dir, 'reference'));
    try {
      const expected = dump(reference.db);
      const img = openImage(backup.image);
      try {
        assert.deepEqual(dump(img), expected, 'the backup image equals the state rebuilt from the log at its index');
      } finally {
        img.close();
      }
      assert.ok((expected.get('attachments') ?? []).length >= 100, 'the backup holds the attachments made before it');

      // Restore into a fresh data dir and run it.
      const dataDir = join(cluster.dir, 'restored');
      const port = await freePort();
      const { config } = restoreFromBackup({ dataDir, listenAddr: `127.0.0.1:${port}`, hostname: 'r1' }, backup, Date.now());
      restored = await runManager(dataDir, silentLogger, insecureTransport());
      await waitFor(() => restored?.shell.isLeader === true, 10_000, 'the restored manager to lead');
      restoredApi = new Api(`unix://${restored.socketPath}`);
      const after = dump(restored.store.db);
      for (const table of ['networks', 'network_bitmap_pages', 'attachments', 'containers', 'services', 'tasks', 'removed_nodes']) {
        assert.deepEqual(after.get(table), expected.get(table), `table ${table} is as at the backup's index`);
      }
      const identity = (rows: Rows | undefined): unknown[] => (rows ?? []).map((r) => [r['id'], r['raft_id'], r['hostname'], r['role'], r['addr'], r['labels']]);
      const restoredNodes = (after.get('nodes') ?? []).filter((r) => r['id'] !== config.nodeId);
      assert.deepEqual(identity(restoredNodes), identity(expected.get('nodes')), 'every node of the backup, with its labels');
      assert.ok(restoredNodes.filter((r) => r['role'] === 'manager').every((r) => r['reachable'] === 0 && r['status'] === 'down'), 'the old managers are marked removed');
      assert.deepEqual(restored.shell.membership, { voters: [config.raftId], learners: [] });

      const check = await checkNetworks(restoredApi, '');
      assert.ok(check.networks.length > 0);
      for (const r of check.networks) assert.deepEqual(r.problems, [], `network ${r.name} is consistent`);
      // Held addresses stay held: a new attachment gets an address none of them has.
      const held = new Set((expected.get('attachments') ?? []).map((r) => r['address']));
      const fresh = await attachNetwork(restoredApi, { network: 'appnet', containerId: newObjectId(), nodeId: config.nodeId });
      const freshAddr = restored.store.db.prepare('SELECT address FROM attachments WHERE id = ?').get(fresh.attachment?.id) as { address: number };
      assert.ok(!held.has(freshAddr.address), 'the new address was not held at the backup');
    } finally {
      reference.close();
    }
  });

  test('a corrupt or truncated backup is refused naming the file, and nothing is written', async () => {
    const { header, image } = await fetchBackup(`unix://${cluster.leader().socketPath}`);
    const good = join(cluster.dir, 'good.bak');
    writeBackupFile(good, header, image);
    const raw = readFileSync(good);
    const corrupt = join(cluster.dir, 'corrupt.bak');
    const flipped = Buffer.from(raw);
    flipped[raw.length - 5000] = (flipped[raw.length - 5000]! + 1) & 0xff;
    writeFileSync(corrupt, flipped);
    const truncated = join(cluster.dir, 'truncated.bak');
    writeFileSync(truncated, raw.subarray(0, raw.length - 4096));
    assert.throws(() => readBackupFile(corrupt), new RegExp(`backup file ${corrupt} is corrupt`));
    assert.throws(() => readBackupFile(truncated), new RegExp(`backup file ${truncated} is truncated`));
    const fresh = join(cluster.dir, 'never-written');
    const port = await freePort();
    const r = await runCli(['--data-dir', fresh, 'init', '--force-new-cluster', '--from-backup', corrupt, '--listen-addr', `127.0.0.1:${port}`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`backup file ${corrupt} is corrupt`));
    assert.equal(existsSync(fresh), false, 'the data dir was not created');
  });

  test('--force on a stopped manager that still reaches a quorum: it goes on as a cluster of its own, the old one keeps its quorum', async () => {
    const follower = cluster.followers()[0]!;
    const dataDir = follower.opts.dataDir;
    const raftId = follower.config.raftId;
    await follower.close(); // the daemon is stopped; the two others keep a quorum
    rmSync(join(dataDir, 'shoal.pid')); // as `shoal stop` leaves it (an in-process manager writes the test's own pid)
    const refused = await runCli(['--data-dir', dataDir, 'init', '--force-new-cluster']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /still reaches 3 of 3 managers|still reaches 2 of 3 managers/);
    const forced = await runCli(['--data-dir', dataDir, 'init', '--force-new-cluster', '--force']);
    try {
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stdout, /Forced a new cluster/);
      const api = new Api(`unix://${join(dataDir, 'shoal.sock')}`);
      try {
        const info = await api.clusterInfo(10_000);
        assert.deepEqual(info.managers.map((m) => Number(m.raftId)), [raftId], 'the forced node is the only manager of its cluster');
      } finally {
        api.close();
      }
      // The old cluster keeps its quorum and takes writes; its Raft traffic to the forced node is refused
      // (the forced node knows its old peers as removed), so the forced node is never deposed.
      const leader = cluster.leader();
      await leader.write({ op: 'network.create', at: Date.now(), id: newObjectId(), name: 'old-side', driver: 'overlay', attachable: false, labels: {} });
      await new Promise((r) => setTimeout(r, 1_500));
      const again = new Api(`unix://${join(dataDir, 'shoal.sock')}`);
      try {
        const info = await again.clusterInfo(10_000);
        assert.equal(info.leaderNodeId, follower.config.nodeId, 'still its own leader');
      } finally {
        again.close();
      }
    } finally {
      await runCli(['--data-dir', dataDir, 'stop']);
    }
  });
});
