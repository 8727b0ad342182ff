import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteLogStorage } from '../../../src/raft/storage/sqlite-log.js';
import { SqliteStateMachine } from '../../../src/raft/storage/sqlite-state.js';
import type { FaultPoint } from '../../../src/raft/storage/faults.js';
import { applyEntry, emptyModel, entryData, migrateKv, ops, prng, step } from './fixtures/workload.js';
import type { ModelState } from './fixtures/workload.js';
import { tempDirs } from './helpers.js';

const tmp = tempDirs('crash');
after(() => tmp.cleanup());

const CHILD = fileURLToPath(new URL('./fixtures/crash-child.js', import.meta.url));
const opsMax = 400;
const childTimeoutMs = 10_000;

interface ChildRun {
  lines: string[];
  signal: NodeJS.Signals | null;
}

/**
 * Runs the child and kill -9s it `killAfterMs(line)` ms after the first stdout
 * line for which that returns a number. Resolves on exit.
 */
function runChild(args: string[], killAfterMs: (line: string) => number | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    let scheduled = false;
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    const guard = setTimeout(kill, childTimeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const delayMs = scheduled ? null : killAfterMs(line);
      if (delayMs === null) return;
      scheduled = true;
      if (delayMs === 0) kill();
      else setTimeout(kill, delayMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal === null && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ lines, signal });
    });
  });
}

function modelAfter(seed: number, count: number): ModelState {
  const m = emptyModel();
  for (const op of ops(seed, count)) step(m, op);
  return m;
}

/** Why the log differs from the model, or null when it matches exactly. */
function logMismatch(log: SqliteLogStorage, m: ModelState): string | null {
  if (log.firstIndex() !== m.start + 1) return `first ${log.firstIndex()} != ${m.start + 1}`;
  if (log.lastIndex() !== m.last) return `last ${log.lastIndex()} != ${m.last}`;
  const hs = log.hardState();
  if (hs.commit !== m.commit || hs.term !== m.term) return `hard state ${JSON.stringify(hs)}`;
  if (log.snapshot().meta.index !== m.snapIndex) return `snapshot ${log.snapshot().meta.index} != ${m.snapIndex}`;
  for (const e of log.entries(m.start + 1, m.last + 1, Infinity)) {
    if (e.term !== m.terms.get(e.index)) return `term at ${e.index}: ${e.term} != ${m.terms.get(e.index)}`;
    if (!Buffer.from(e.data).equals(entryData(e.index, e.term))) return `data at ${e.index}`;
  }
  return null;
}

function stateMismatch(sm: SqliteStateMachine, m: ModelState): string | null {
  if (sm.applied().index !== m.applied) return `applied ${sm.applied().index} != ${m.applied}`;
  const rows = sm.db.prepare('SELECT k, v FROM kv').all() as { k: string; v: string }[];
  const kv = new Map(rows.map((r) => [r.k, r.v]));
  if (kv.size !== m.kv.size || [...m.kv].some(([k, v]) => kv.get(k) !== v)) return `kv differs at applied ${m.applied}`;
  return null;
}

void describe('crash safety (kill -9 of a child process)', () => {
  void test('every op reported durable survives, and nothing of an unfinished op is half-present', async () => {
    // Proves durability and atomicity across real process kills: a seeded workload of appends,
    // conflicting truncations, applies and compactions is killed at a seeded random moment; after
    // reopening, raft.db equals the model after the last reported op or the one after it (never
    // something in between), and so does state.db, whose kv rows match its applied index.
    const rand = prng(20240611);
    const reports: number[] = [];
    for (let run = 0; run < 6; run++) {
      const seed = 1000 + run;
      const dir = tmp.make();
      // Kill a few ms after a seeded op was reported, so the kill lands anywhere in the next ops.
      const afterOp = 1 + Math.floor(rand() * 60);
      const delayMs = Math.floor(rand() * 8);
      const { lines } = await runChild(['workload', dir, String(seed), String(opsMax)], (l) => (l === `D ${afterOp}` ? delayMs : null));
      const reported = lines.filter((l) => l.startsWith('D ')).length;
      const candidates = [modelAfter(seed, reported), modelAfter(seed, Math.min(reported + 1, opsMax))];
      const sm = SqliteStateMachine.open(path.join(dir, 'state.db'), { schemaVersion: 1, migrate: migrateKv });
      const log = SqliteLogStorage.open(dir, { confState: () => sm.applied().conf });
      const logWhy = candidates.map((m) => logMismatch(log, m));
      const stateWhy = candidates.map((m) => stateMismatch(sm, m));
      const where = `seed ${seed}, ${reported} ops reported, killed ${delayMs} ms after op ${afterOp}`;
      assert.ok(logWhy.includes(null), `raft.db: ${logWhy.join(' / ')} (${where})`);
      assert.ok(stateWhy.includes(null), `state.db: ${stateWhy.join(' / ')} (${where})`);
      assert.ok(sm.applied().index <= log.hardState().commit, `applied beyond commit (${where})`);
      reports.push(reported);
      log.close();
      sm.close();
    }
    // The kills must land mid-workload for the test to mean anything.
    assert.ok(reports.filter((n) => n > 0 && n < opsMax).length >= 4, `ops reported per run: ${reports.join(', ')}`);
  });

  void test('a kill during restore leaves the entire old or the entire new state db', async () => {
    // Proves the atomic restore against real kills: the old db has un-checkpointed WAL frames
    // (entries 11..15); the child is killed while paused at each restore step, and at random times.
    // Before the rename the old db must come back complete (applied 15), after it the new one (50).
    const root = tmp.make();
    const source = SqliteStateMachine.open(path.join(root, 'source.db'), { schemaVersion: 1, migrate: migrateKv });
    for (let i = 1; i <= 50; i++) source.applyBatch([{ index: i, term: 2, kind: 'normal', data: Buffer.alloc(0) }], applyEntry);
    const snap = source.snapshot();
    source.close();
    const snapFile = path.join(root, 'snapshot.bin');
    fs.writeFileSync(snapFile, snap.data);
    const points: (FaultPoint | null)[] = ['restore:after-tmp-write', 'restore:after-close', 'restore:after-wal-removed',
      'restore:after-rename', 'restore:after-dir-fsync', null, null, null];
    const rand = prng(7);
    for (const point of points) {
      const dir = tmp.make();
      const old = SqliteStateMachine.open(path.join(dir, 'state.db'), { schemaVersion: 1, migrate: migrateKv });
      for (let i = 1; i <= 10; i++) old.applyBatch([{ index: i, term: 1, kind: 'normal', data: Buffer.alloc(0) }], applyEntry);
      old.close();
      const delayMs = Math.floor(rand() * 200);
      const { lines } = await runChild(['restore', dir, snapFile, JSON.stringify(snap.meta)], (l) => {
        if (point !== null) return l === `at ${point}` ? 0 : null;
        return l === 'ready' ? delayMs : null;
      });
      const reachedRename = lines.includes('at restore:after-rename');
      const sm = SqliteStateMachine.open(path.join(dir, 'state.db'), { schemaVersion: 1, migrate: migrateKv });
      const applied = sm.applied().index;
      const expected = emptyModel();
      const upTo = applied === 50 ? 50 : 15;
      for (let i = 1; i <= upTo; i++) expected.terms.set(i, applied === 50 ? 2 : 1);
      step(expected, { kind: 'apply', lo: 1, hi: upTo + 1 });
      const where = `kill at ${point ?? `${delayMs} ms after ready`}, lines ${lines.join('|')}`;
      assert.ok(applied === 15 || applied === 50, `applied ${applied} (${where})`);
      if (point !== null) assert.equal(applied, reachedRename ? 50 : 15, where);
      assert.equal(stateMismatch(sm, expected), null, where);
      sm.close();
    }
  });
});
