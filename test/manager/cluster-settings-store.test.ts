import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { StoreHarness } from '../network/store-harness.js';
import { StateStore, STATE_DB_FILE } from '../../src/manager/store/state-store.js';
import { STATE_SCHEMA_VERSION } from '../../src/manager/store/schema.js';
import { getCluster, taskHistoryLimit, TASK_HISTORY_LIMIT_DEFAULT, TASK_HISTORY_LIMIT_MAX } from '../../src/manager/store/queries.js';
import { eventBounds, eventsAfter } from '../../src/manager/store/events.js';
import type { Command } from '../../src/manager/store/commands.js';

describe('cluster settings in the store: task history retention limit', () => {
  // Proves a new cluster starts at swarm's default of 5, read alike by taskHistoryLimit and getCluster.
  test('a new cluster keeps 5 ended tasks per slot', () => {
    const h = StoreHarness.open();
    try {
      assert.equal(TASK_HISTORY_LIMIT_DEFAULT, 5);
      assert.equal(taskHistoryLimit(h.db), 5);
      assert.equal(getCluster(h.db).taskHistoryLimit, 5);
    } finally {
      h.close();
    }
  });

  // Proves cluster.update stores the limit (0 and the maximum included), bumps the cluster version to
  // the entry's index, records a cluster update event, and that a command without the field keeps it.
  test('cluster.update sets the limit, bumps the version and records an event', () => {
    const h = StoreHarness.open();
    try {
      const seq = eventBounds(h.db).newest;
      const r = h.applyOk({ op: 'cluster.update', at: 50, version: 0, taskHistoryLimit: 2 }) as { version: number };
      const c = getCluster(h.db);
      assert.equal(c.taskHistoryLimit, 2);
      assert.equal(taskHistoryLimit(h.db), 2);
      assert.equal(c.version, r.version);
      assert.equal(c.version, 2, 'cluster.init was entry 1, this update entry 2');
      assert.equal(c.updatedAt, 50);
      assert.ok(eventsAfter(h.db, seq, 10).some((e) => e.kind === 'cluster' && e.action === 'update' && e.objectId === c.id));
      h.applyOk({ op: 'cluster.update', at: 51, version: c.version, taskHistoryLimit: 0 });
      assert.equal(taskHistoryLimit(h.db), 0);
      h.applyOk({ op: 'cluster.update', at: 52, version: 0, taskHistoryLimit: TASK_HISTORY_LIMIT_MAX });
      assert.equal(taskHistoryLimit(h.db), TASK_HISTORY_LIMIT_MAX);
      h.applyOk({ op: 'cluster.update', at: 53, version: 0 });
      assert.equal(taskHistoryLimit(h.db), TASK_HISTORY_LIMIT_MAX, 'absent field = unchanged');
    } finally {
      h.close();
    }
  });

  // Proves values outside 0..1000 or not whole numbers are refused with INVALID_ARGUMENT naming the
  // field, and leave the stored value and version alone (the apply rolls back).
  test('bad values are refused and change nothing', () => {
    const h = StoreHarness.open();
    try {
      h.applyOk({ op: 'cluster.update', at: 50, version: 0, taskHistoryLimit: 3 });
      const before = getCluster(h.db);
      // Commands arrive as JSON from the log: a string or null is as possible as a bad number.
      const bad: unknown[] = [-1, TASK_HISTORY_LIMIT_MAX + 1, 1.5, '4', null, 2 ** 53];
      for (const v of bad) {
        const o = h.apply({ op: 'cluster.update', at: 60, version: 0, taskHistoryLimit: v } as unknown as Command);
        assert.equal(o.ok, false, `accepted ${String(v)}`);
        if (o.ok) continue;
        assert.equal(o.error.code, 'INVALID_ARGUMENT');
        assert.match(o.error.message, /^task_history_retention_limit: .* is not a whole number from 0 to 1000/);
      }
      const after = getCluster(h.db);
      assert.equal(after.taskHistoryLimit, 3);
      assert.equal(after.version, before.version);
    } finally {
      h.close();
    }
  });

  // Proves optimistic concurrency: a version other than the current one (or 0) is ABORTED, and any
  // other change of the cluster row (here a token rotation) makes an earlier read stale.
  test('a stale version is ABORTED', () => {
    const h = StoreHarness.open();
    try {
      const read = getCluster(h.db).version;
      h.applyOk({ op: 'token.rotate', at: 40, role: 'worker' });
      const o = h.apply({ op: 'cluster.update', at: 50, version: read, taskHistoryLimit: 1 });
      assert.equal(o.ok, false);
      if (!o.ok) {
        assert.equal(o.error.code, 'ABORTED');
        assert.match(o.error.message, /the cluster changed since it was read/);
      }
      assert.equal(taskHistoryLimit(h.db), 5);
      h.applyOk({ op: 'cluster.update', at: 51, version: getCluster(h.db).version, taskHistoryLimit: 1 });
      assert.equal(taskHistoryLimit(h.db), 1);
    } finally {
      h.close();
    }
  });

  // Proves the migration: a state.db written before the column existed (its cluster row without
  // task_history_limit, app schema one version back) opens with the column added at its default,
  // the rest of the row intact, and then takes cluster.update; reopening is a no-op.
  test('an existing state.db without the column is migrated on open', () => {
    const h = StoreHarness.open();
    const { dir } = h;
    const before = getCluster(h.db);
    h.store.close();
    const raw = new Database(join(dir, STATE_DB_FILE));
    raw.exec('ALTER TABLE cluster DROP COLUMN task_history_limit');
    raw.prepare('UPDATE app_schema SET version = ? WHERE id = 1').run(STATE_SCHEMA_VERSION - 1);
    const columns = (raw.prepare('PRAGMA table_info(cluster)').all() as { name: string }[]).map((c) => c.name);
    assert.ok(!columns.includes('task_history_limit'), 'the old shape has no such column');
    raw.close();

    const reopened = StateStore.open(dir);
    try {
      const c = getCluster(reopened.db);
      assert.equal(c.taskHistoryLimit, TASK_HISTORY_LIMIT_DEFAULT);
      assert.deepEqual({ ...c, taskHistoryLimit: 0 }, { ...before, taskHistoryLimit: 0 });
      const version = (reopened.db.prepare('SELECT version FROM app_schema WHERE id = 1').get() as { version: number }).version;
      assert.equal(version, STATE_SCHEMA_VERSION);
      const applied = reopened.applied().index;
      const cmd: Command = { op: 'cluster.update', at: 70, version: 0, taskHistoryLimit: 7 };
      const [o] = reopened.applyEntries([{ term: 1, index: applied + 1, kind: 'normal', data: new TextEncoder().encode(JSON.stringify(cmd)) }], null);
      assert.equal(o?.ok, true);
      assert.equal(taskHistoryLimit(reopened.db), 7);
    } finally {
      reopened.close();
    }
    const again = StateStore.open(dir);
    try {
      assert.equal(taskHistoryLimit(again.db), 7);
    } finally {
      again.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
