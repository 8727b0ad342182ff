import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type { ConfState, Entry } from '../../../src/raft/core/types.js';
import { SqliteStateMachine, InvalidSnapshotError } from '../../../src/raft/storage/sqlite-state.js';
import { DataDirError, StorageInvariantError } from '../../../src/raft/storage/errors.js';
import type { FaultPoint } from '../../../src/raft/storage/faults.js';
import { tempDirs } from './helpers.js';

const tmp = tempDirs('state');
after(() => tmp.cleanup());

const migrations: number[] = [];
function open(file: string, opts: { version?: number; faults?: (p: FaultPoint) => void } = {}): SqliteStateMachine {
  return SqliteStateMachine.open(file, {
    schemaVersion: opts.version ?? 1,
    migrate(db, from) {
      migrations.push(from);
      if (from < 1) db.exec('CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
      if (from < 2 && (opts.version ?? 1) >= 2) db.exec('ALTER TABLE kv ADD COLUMN note TEXT');
    },
    ...(opts.faults ? { faults: { before: opts.faults } } : {}),
  });
}

/** The test application: entry data is "key=value"; a value "boom" writes then throws. */
function put(db: Database.Database, e: Entry): string {
  const [k, v] = Buffer.from(e.data).toString().split('=') as [string, string];
  db.prepare('INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v').run(k, v);
  if (v === 'boom') throw new Error(`entry ${e.index} refused`);
  return k;
}

function kvEntry(index: number, term: number, kv: string, kind: Entry['kind'] = 'normal'): Entry {
  return { index, term, kind, data: Buffer.from(kv) };
}

function rows(sm: SqliteStateMachine): Record<string, string> {
  const all = sm.db.prepare('SELECT k, v FROM kv ORDER BY k').all() as { k: string; v: string }[];
  return Object.fromEntries(all.map((r) => [r.k, r.v]));
}

const CONF2: ConfState = { voters: [1, 2], learners: [4] };

void describe('SqliteStateMachine', () => {
  void test('a fresh database is created through migrate(0) with applied 0', () => {
    // Proves creation: migrate runs once from version 0, applied starts at 0 with an empty membership.
    migrations.length = 0;
    const file = path.join(tmp.make(), 'state.db');
    const sm = open(file);
    assert.deepEqual(migrations, [0]);
    assert.deepEqual(sm.applied(), { index: 0, term: 0, conf: { voters: [], learners: [] } });
    assert.deepEqual(rows(sm), {});
    sm.close();
    open(file).close();
    assert.deepEqual(migrations, [0]);
  });

  void test('applyBatch applies in one transaction with the applied index and conf, surviving reopen', () => {
    // Proves outcomes carry apply's values, applied index/term/conf advance together, and persist.
    const file = path.join(tmp.make(), 'state.db');
    const sm = open(file);
    const out = sm.applyBatch([kvEntry(1, 1, 'a=1'), kvEntry(2, 1, 'b=2')], put);
    assert.deepEqual(out, [{ index: 1, ok: true, value: 'a' }, { index: 2, ok: true, value: 'b' }]);
    sm.applyBatch([kvEntry(3, 2, 'c=3', 'conf-change')], put, CONF2);
    sm.close();
    const again = open(file);
    assert.deepEqual(again.applied(), { index: 3, term: 2, conf: CONF2 });
    assert.deepEqual(rows(again), { a: '1', b: '2', c: '3' });
    again.close();
  });

  void test('an entry that throws is rolled back alone and the batch goes on', () => {
    // Proves the per-entry SAVEPOINT: entry 2 writes then throws; its write is gone, 1 and 3 stay,
    // its outcome carries the error, and the applied index still covers it.
    const sm = open(path.join(tmp.make(), 'state.db'));
    sm.applyBatch([kvEntry(1, 1, 'x=old')], put);
    const out = sm.applyBatch([kvEntry(2, 1, 'a=1'), kvEntry(3, 1, 'x=boom'), kvEntry(4, 1, 'b=2')], put);
    assert.deepEqual(out.map((o) => o.ok), [true, false, true]);
    const failed = out[1]!;
    assert.ok(!failed.ok && failed.error instanceof Error && /entry 3 refused/.test(failed.error.message));
    assert.deepEqual(rows(sm), { a: '1', b: '2', x: 'old' });
    assert.equal(sm.applied().index, 4);
    sm.close();
  });

  void test('an environment error aborts the whole batch', () => {
    // Proves that an SQLite I/O error (not deterministic across nodes) is not recorded as a result:
    // the batch rolls back entirely and the applied index stays.
    const sm = open(path.join(tmp.make(), 'state.db'));
    assert.throws(
      () =>
        sm.applyBatch([kvEntry(1, 1, 'a=1'), kvEntry(2, 1, 'b=2')], (db, e) => {
          put(db, e);
          if (e.index === 2) throw new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE');
        }),
      /disk I\/O error/,
    );
    assert.deepEqual(rows(sm), {});
    assert.equal(sm.applied().index, 0);
    sm.close();
  });

  void test('applyBatch refuses a gap, a conf without a conf change, and a crash before commit applies nothing', () => {
    // Proves the batch preconditions and the apply:before-commit fault point.
    let crash = false;
    const sm = open(path.join(tmp.make(), 'state.db'), { faults: (p) => { if (crash && p === 'apply:before-commit') throw new Error('crash'); } });
    assert.throws(() => sm.applyBatch([kvEntry(2, 1, 'a=1')], put), StorageInvariantError);
    assert.throws(() => sm.applyBatch([kvEntry(1, 1, 'a=1'), kvEntry(3, 1, 'b=1')], put), StorageInvariantError);
    assert.throws(() => sm.applyBatch([kvEntry(1, 1, 'a=1')], put, CONF2), StorageInvariantError);
    crash = true;
    assert.throws(() => sm.applyBatch([kvEntry(1, 1, 'a=1')], put), /crash/);
    assert.equal(sm.applied().index, 0);
    assert.deepEqual(rows(sm), {});
    sm.close();
  });

  void test('snapshot and restore move the whole state, and the restored db keeps working', () => {
    // Proves restore replaces data and applied meta, leaves no temp/WAL debris, and accepts new batches.
    const a = open(path.join(tmp.make(), 'state.db'));
    a.applyBatch([kvEntry(1, 1, 'a=1'), kvEntry(2, 1, 'b=2', 'conf-change'), kvEntry(3, 2, 'c=3')], put, CONF2);
    const snap = a.snapshot();
    assert.deepEqual(snap.meta, { index: 3, term: 2, conf: CONF2 });
    a.close();
    const dir = tmp.make();
    const file = path.join(dir, 'state.db');
    const b = open(file);
    b.applyBatch([kvEntry(1, 1, 'zzz=9')], put);
    b.restore(snap);
    assert.deepEqual(b.applied(), snap.meta);
    assert.deepEqual(rows(b), { a: '1', b: '2', c: '3' });
    assert.ok(!fs.existsSync(`${file}.restore-tmp`));
    b.applyBatch([kvEntry(4, 2, 'd=4')], put);
    b.close();
    const c = open(file);
    assert.deepEqual(rows(c), { a: '1', b: '2', c: '3', d: '4' });
    assert.equal(c.applied().index, 4);
    c.close();
  });

  void test('restore refuses a corrupt image or one that disagrees with its meta, keeping the old db', () => {
    // Proves validation happens before anything is replaced.
    const a = open(path.join(tmp.make(), 'state.db'));
    a.applyBatch([kvEntry(1, 1, 'a=1'), kvEntry(2, 1, 'b=2')], put);
    const good = a.snapshot();
    a.close();
    const b = open(path.join(tmp.make(), 'state.db'));
    b.applyBatch([kvEntry(1, 1, 'old=1')], put);
    const garbage = { meta: good.meta, data: Buffer.alloc(8192, 7) };
    assert.throws(() => b.restore(garbage), InvalidSnapshotError);
    assert.throws(() => b.restore({ meta: { ...good.meta, term: 5 }, data: good.data }), InvalidSnapshotError);
    assert.throws(() => b.restore({ meta: { ...good.meta, index: 1 }, data: good.data }), StorageInvariantError);
    assert.deepEqual(rows(b), { old: '1' });
    b.close();
  });

  void test('a crash at each restore step leaves the old or the new database, never a mix', () => {
    // Proves the restore order in-process: throwing at each fault point, then reopening, yields the
    // old state before the rename and the new state after it; quick_check passes on open each time.
    const src = open(path.join(tmp.make(), 'state.db'));
    src.applyBatch([kvEntry(1, 1, 'new=1'), kvEntry(2, 1, 'new2=2'), kvEntry(3, 1, 'new3=3')], put);
    const snap = src.snapshot();
    src.close();
    const points: [FaultPoint, 'old' | 'new'][] = [
      ['restore:after-tmp-write', 'old'],
      ['restore:after-close', 'old'],
      ['restore:after-wal-removed', 'old'],
      ['restore:after-rename', 'new'],
      ['restore:after-dir-fsync', 'new'],
    ];
    for (const [point, expected] of points) {
      const file = path.join(tmp.make(), 'state.db');
      const sm = open(file, { faults: (p) => { if (p === point) throw new Error(`crash at ${p}`); } });
      sm.applyBatch([kvEntry(1, 1, 'old=1')], put);
      assert.throws(() => sm.restore(snap), /crash at/);
      try { sm.close(); } catch { /* already closed by restore */ }
      const again = open(file);
      assert.deepEqual(rows(again), expected === 'old' ? { old: '1' } : { new: '1', new2: '2', new3: '3' }, point);
      assert.equal(again.applied().index, expected === 'old' ? 1 : 3, point);
      assert.ok(!fs.existsSync(`${file}.restore-tmp`), point);
      again.close();
    }
  });
});

void describe('SqliteStateMachine data dir errors', () => {
  void test('newer application schema, wrong own schema, not a database', () => {
    // Proves DataDirError names state.db and says what to do, for each kind of unusable file;
    // and that an older application schema is migrated from its version.
    const dir = tmp.make();
    const file = path.join(dir, 'state.db');
    open(file, { version: 2 }).close();
    assert.throws(() => open(file, { version: 1 }), (e: unknown) =>
      e instanceof DataDirError && e.message.startsWith(`state.db in ${dir} was written by a newer version of Shoal (state schema 2, this build knows 1)`));
    const older = path.join(tmp.make(), 'state.db');
    open(older, { version: 1 }).close();
    migrations.length = 0;
    const upgraded = open(older, { version: 2 });
    assert.deepEqual(migrations, [1]);
    upgraded.db.prepare("INSERT INTO kv (k, v, note) VALUES ('a', 'b', 'c')").run();
    upgraded.close();
    const own = path.join(tmp.make(), 'state.db');
    open(own).close();
    const db = new Database(own);
    db.exec('UPDATE shoal_schema SET version = 3');
    db.close();
    assert.throws(() => open(own), /state\.db in .* is from an incompatible version \(schema 3, expected 1\)/);
    const junk = path.join(tmp.make(), 'state.db');
    fs.writeFileSync(junk, Buffer.alloc(5000, 1));
    assert.throws(() => open(junk), (e: unknown) => e instanceof DataDirError && /state\.db in .* is not a SQLite database/.test(e.message));
  });
});

