// Proves the linearizability checker agrees with known verdicts: every Jepsen etcd history with a
// verdict and every Porcupine kv history, plus hand-written histories whose verdict is obvious
// (including unknown-outcome operations and the simulator's get/put/cas model).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHistory } from './checker.js';
import type { Operation } from './checker.js';
import { appendKvModel, registerModel, simKvModel } from './models.js';
import type { RegisterInput, RegisterOutput, SimKvInput, SimKvOutput } from './models.js';
import { parseJepsenLog } from './jepsen.js';
import { parseEdnMap, parseKvHistory } from './edn.js';

/** The repo root: the nearest ancestor of this file's directory holding package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the repo root (no package.json above the test file)');
}

const sharedDir = process.env['SHOAL_SHARED_DIR'] ?? resolve(repoRoot(), '..', 'shared');
const corpusDir = join(sharedDir, 'testdata', 'linearizability');
const corpusMissing = existsSync(corpusDir)
  ? false
  : `linearizability corpus not found at ${corpusDir} (set SHOAL_SHARED_DIR to the shared/ directory)`;
const perFileTimeoutMs = 20_000;

type RegOp = Operation<RegisterInput, RegisterOutput>;
const op = (clientId: number, input: RegisterInput, output: RegisterOutput | undefined, call: number, ret: number): RegOp => ({
  clientId, input, output, call, return: ret,
});

void describe('hand-written register histories', () => {
  void test('sequential write then read of the written value is linearizable', () => {
    const h = [op(0, { op: 'write', value: 1 }, {}, 0, 1), op(1, { op: 'read' }, { value: 1 }, 2, 3)];
    assert.equal(checkHistory(registerModel, h).result, 'ok');
  });

  void test('a read of the initial nil after a completed write is illegal', () => {
    const h = [op(0, { op: 'write', value: 1 }, {}, 0, 1), op(1, { op: 'read' }, { value: null }, 2, 3)];
    const r = checkHistory(registerModel, h);
    assert.equal(r.result, 'illegal');
    if (r.result === 'illegal') {
      assert.equal(r.longestPrefix.length, 1);
      assert.match(r.explanation, /read -> \{"value":null\}/);
    }
  });

  void test('concurrent write and read may see either value', () => {
    for (const seen of [null, 1]) {
      const h = [op(0, { op: 'write', value: 1 }, {}, 0, 10), op(1, { op: 'read' }, { value: seen }, 1, 2)];
      assert.equal(checkHistory(registerModel, h).result, 'ok', `read ${String(seen)}`);
    }
  });

  void test('two reads cannot disagree on order (new value then old value) when sequential', () => {
    const h = [
      op(0, { op: 'write', value: 1 }, {}, 0, 10),
      op(1, { op: 'read' }, { value: 1 }, 1, 2),
      op(2, { op: 'read' }, { value: null }, 3, 4),
    ];
    assert.equal(checkHistory(registerModel, h).result, 'illegal');
  });

  void test('an unknown-outcome write may take effect late, or never', () => {
    const late = [
      op(0, { op: 'write', value: 7 }, undefined, 0, Infinity),
      op(1, { op: 'read' }, { value: null }, 1, 2),
      op(1, { op: 'read' }, { value: 7 }, 100, 101),
    ];
    assert.equal(checkHistory(registerModel, late).result, 'ok');
    const never = [op(0, { op: 'write', value: 7 }, undefined, 0, Infinity), op(1, { op: 'read' }, { value: null }, 50, 51)];
    assert.equal(checkHistory(registerModel, never).result, 'ok');
    // But it cannot take effect before its call.
    const early = [op(1, { op: 'read' }, { value: 7 }, 0, 1), op(0, { op: 'write', value: 7 }, undefined, 2, Infinity)];
    assert.equal(checkHistory(registerModel, early).result, 'illegal');
  });

  void test('an unknown-outcome cas takes effect exactly when the value matches', () => {
    const h = [
      op(0, { op: 'write', value: 1 }, {}, 0, 1),
      op(1, { op: 'cas', from: 1, to: 2 }, undefined, 2, Infinity),
      op(2, { op: 'read' }, { value: 2 }, 3, 4),
    ];
    assert.equal(checkHistory(registerModel, h).result, 'ok');
    const wrongFrom = [
      op(0, { op: 'write', value: 1 }, {}, 0, 1),
      op(1, { op: 'cas', from: 5, to: 2 }, undefined, 2, Infinity),
      op(2, { op: 'read' }, { value: 2 }, 3, 4),
    ];
    assert.equal(checkHistory(registerModel, wrongFrom).result, 'illegal');
  });

  void test('a failed cas proves the value differed', () => {
    const h = [op(0, { op: 'write', value: 1 }, {}, 0, 1), op(1, { op: 'cas', from: 1, to: 2 }, { ok: false }, 2, 3)];
    assert.equal(checkHistory(registerModel, h).result, 'illegal');
  });

  void test('timeout gives unknown on a hard history', () => {
    // Many concurrent writes and a final impossible read force exploration of many orders.
    const h: RegOp[] = [];
    for (let i = 0; i < 18; i++) h.push(op(i, { op: 'write', value: i }, {}, 0, 100));
    h.push(op(99, { op: 'read' }, { value: 999 }, 200, 201));
    assert.equal(checkHistory(registerModel, h, { timeoutMs: 0 }).result, 'unknown');
  });
});

void describe('simulator get/put/cas model', () => {
  type SimOp = Operation<SimKvInput, SimKvOutput>;
  const s = (clientId: number, input: SimKvInput, output: SimKvOutput | undefined, call: number, ret: number): SimOp => ({
    clientId, input, output, call, return: ret,
  });

  void test('per-key histories are checked independently; absent keys read as no value', () => {
    const h = [
      s(0, { op: 'get', key: 'a' }, {}, 0, 1),
      s(0, { op: 'put', key: 'a', value: 'x' }, { ok: true }, 2, 3),
      s(1, { op: 'put', key: 'b', value: 'y' }, { ok: true }, 2, 3),
      s(1, { op: 'cas', key: 'a', expected: 'x', value: 'z' }, { ok: true }, 4, 5),
      s(0, { op: 'get', key: 'a' }, { value: 'z' }, 6, 7),
      s(0, { op: 'get', key: 'b' }, { value: 'y' }, 6, 7),
    ];
    assert.equal(checkHistory(simKvModel, h).result, 'ok');
  });

  void test('a stale read on one key is illegal and the failing partition is that key', () => {
    const h = [
      s(1, { op: 'put', key: 'b', value: 'y' }, { ok: true }, 0, 1),
      s(0, { op: 'put', key: 'a', value: 'x' }, { ok: true }, 0, 1),
      s(0, { op: 'get', key: 'a' }, {}, 2, 3),
    ];
    const r = checkHistory(simKvModel, h);
    assert.equal(r.result, 'illegal');
    if (r.result === 'illegal') assert.ok(r.partition.every((o) => o.input.key === 'a'));
  });

  void test('cas on an absent key with no expected value succeeds once', () => {
    const h = [
      s(0, { op: 'cas', key: 'k', value: '1' }, { ok: true }, 0, 1),
      s(1, { op: 'cas', key: 'k', value: '2' }, { ok: true }, 2, 3),
    ];
    assert.equal(checkHistory(simKvModel, h).result, 'illegal');
  });
});

void describe('EDN parser', () => {
  void test('parses keywords, strings with escapes, integers and nil', () => {
    const m = parseEdnMap('{:process 3, :type :ok, :f :get, :key "a\\"b", :value nil}');
    assert.deepEqual([...m.entries()], [
      ['process', 3], ['type', { keyword: 'ok' }], ['f', { keyword: 'get' }], ['key', 'a"b'], ['value', null],
    ]);
    assert.throws(() => parseEdnMap('{:key "open'), /unterminated string/);
  });

  void test(':fail drops the operation and :info leaves it unknown', () => {
    const ops = parseKvHistory([
      '{:process 0, :type :invoke, :f :put, :key "k", :value "a"}',
      '{:process 0, :type :fail, :f :put, :key "k", :value "a"}',
      '{:process 1, :type :invoke, :f :append, :key "k", :value "b"}',
      '{:process 1, :type :info, :f :append, :key "k", :value "b"}',
    ].join('\n'));
    assert.equal(ops.length, 1);
    assert.equal(ops[0]!.return, Infinity);
    assert.equal(ops[0]!.output, undefined);
  });
});

void describe('Jepsen parser', () => {
  void test('maps ok/fail/info completions to outputs and unknowns', () => {
    const ops = parseJepsenLog([
      'INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2]',
      'INFO  jepsen.util - 1   :invoke :read   nil',
      'INFO  jepsen.util - 2\t:invoke\t:write\t4',
      'INFO  jepsen.util - 0\t:fail\t:cas\t[1 2]',
      'INFO  jepsen.util - 1\t:ok\t:read\t3',
      'INFO  jepsen.util - 2\t:info\t:write\t:timed-out',
    ].join('\n'));
    assert.deepEqual(ops.map((o) => [o.input, o.output, o.call, o.return]), [
      [{ op: 'cas', from: 1, to: 2 }, { ok: false }, 1, 4],
      [{ op: 'read' }, { value: 3 }, 2, 5],
      [{ op: 'write', value: 4 }, undefined, 3, Infinity],
    ]);
  });
});

void describe('corpus verdicts', { skip: corpusMissing }, () => {
  void test('every Jepsen etcd history with a verdict gets it', () => {
    const dir = join(corpusDir, 'jepsen-etcd');
    const verdicts = readFileSync(join(dir, 'VERDICTS.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f): f is [string, string] => f.length === 2);
    assert.ok(verdicts.length >= 100, `expected about 102 verdicts, found ${verdicts.length}`);
    const wrong: string[] = [];
    for (const [file, verdict] of verdicts) {
      const expected = verdict === 'linearizable' ? 'ok' : 'illegal';
      const got = checkHistory(registerModel, parseJepsenLog(readFileSync(join(dir, file), 'utf8')), { timeoutMs: perFileTimeoutMs });
      if (got.result !== expected) wrong.push(`${file}: expected ${expected}, got ${got.result}`);
    }
    assert.deepEqual(wrong, []);
  });

  void test('every kv history gets its verdict', () => {
    const dir = join(corpusDir, 'kv');
    const files = readdirSync(dir).filter((f) => /-(ok|bad)\.txt$/.test(f)).sort();
    assert.equal(files.length, 6);
    for (const file of files) {
      const expected = file.endsWith('-ok.txt') ? 'ok' : 'illegal';
      const ops = parseKvHistory(readFileSync(join(dir, file), 'utf8'));
      assert.ok(ops.length > 0, file);
      const got = checkHistory(appendKvModel, ops, { timeoutMs: perFileTimeoutMs });
      assert.equal(got.result, expected, file);
    }
  });
});
