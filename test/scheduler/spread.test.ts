// Proves the spread building blocks: the heap pops in order under updateTop, the node order
// (failures, service tasks, total, ID), and that the single-scan choice used for small groups
// picks exactly what a SpreadTree picks, over random counters and fits (fast-check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Heap } from '../../src/scheduler/heap.js';
import { SpreadTree, nodeLess, pickBest } from '../../src/scheduler/spread.js';
import type { SpreadCounters } from '../../src/scheduler/spread.js';

void test('the heap yields items in order, also after the top changes in place', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 20 }), (keys, bumps) => {
    const key = [...keys];
    const h = new Heap(keys.map((_, i) => i), (a, b) => (key[a]! - key[b]!) < 0 || (key[a] === key[b] && a < b));
    for (const d of bumps) {
      const top = h.peek();
      if (top === undefined) break;
      key[top]! += d;
      h.updateTop();
    }
    const out: number[] = [];
    for (let i = 0; i < keys.length; i++) out.push(key[h.pop()!]!);
    assert.equal(h.pop(), undefined);
    assert.deepEqual(out, [...out].sort((a, b) => a - b));
  }));
});

void test('node order: fewer failures, then fewer service tasks, then fewer tasks, then lower ID', () => {
  const c: SpreadCounters = { failures: Int32Array.of(1, 0, 0, 0), serviceTasks: Int32Array.of(0, 2, 1, 1), total: Int32Array.of(0, 0, 5, 5) };
  const less = nodeLess(c);
  assert.deepEqual([0, 1, 2, 3].sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0)), [2, 3, 1, 0]);
});

void test('the scan picks what the tree picks, task after task', () => {
  const counterArb = fc.array(fc.record({ f: fc.integer({ min: 0, max: 2 }), s: fc.integer({ min: 0, max: 4 }), t: fc.integer({ min: 0, max: 6 }), room: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 30 });
  fc.assert(fc.property(counterArb, fc.integer({ min: 1, max: 40 }), (spec, taskCount) => {
    const make = (): { c: SpreadCounters; room: number[] } => ({
      c: { failures: Int32Array.from(spec.map((x) => x.f)), serviceTasks: Int32Array.from(spec.map((x) => x.s)), total: Int32Array.from(spec.map((x) => x.t)) },
      room: spec.map((x) => x.room),
    });
    const a = make();
    const b = make();
    const placeOn = (m: { c: SpreadCounters; room: number[] }) => (n: number): void => {
      m.c.serviceTasks[n]! += 1;
      m.c.total[n]! += 1;
      m.room[n]! -= 1;
    };
    const all = spec.map((_, i) => i);
    const tree = new SpreadTree([...all], [], a.c);
    const lessB = nodeLess(b.c);
    for (let k = 0; k < taskCount; k++) {
      const viaTree = tree.placeNext((n) => a.room[n]! > 0, placeOn(a));
      const viaScan = pickBest(all, lessB, (n) => b.room[n]! > 0);
      if (viaScan >= 0) placeOn(b)(viaScan);
      assert.equal(viaTree, viaScan, `task ${k}`);
    }
  }));
});

void test('a tree with preference levels drops exhausted branches and ends with -1', () => {
  const c: SpreadCounters = { failures: new Int32Array(4), serviceTasks: new Int32Array(4), total: new Int32Array(4) };
  const room = [1, 1, 2, 0];
  const tree = new SpreadTree([0, 1, 2, 3], [Int32Array.of(0, 0, 1, 2)], c);
  const got: number[] = [];
  for (let k = 0; k < 6; k++) {
    got.push(tree.placeNext((n) => room[n]! > 0, (n) => { c.serviceTasks[n]! += 1; c.total[n]! += 1; room[n]! -= 1; }));
  }
  // Groups 0 {0,1}, 1 {2}, 2 {3: no room}: 0, 2, then group 0 again (1), then 2, then nothing.
  assert.deepEqual(got, [0, 2, 1, 2, -1, -1]);
});
