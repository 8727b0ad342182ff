// Proves each filter on its own: availability (status x availability), constraints (first
// unmet named), resources (cpu then memory, exact boundary), per-node limit (0 = unlimited).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availabilityFilter, constraintFilter, freeResources, maxPerNodeFilter, resourceFilter } from '../../src/scheduler/filters.js';
import { parseConstraint, subjectOf } from '../../src/scheduler/constraints.js';
import { CPU, GiB, MiB, node } from './fixtures.js';

void test('only ready and active nodes take new tasks', () => {
  for (const status of ['ready', 'down', 'unknown'] as const) {
    for (const availability of ['active', 'pause', 'drain'] as const) {
      const r = availabilityFilter(node('n', { status, availability }));
      assert.deepEqual(r, status === 'ready' && availability === 'active' ? null : { kind: 'unavailable' }, `${status}/${availability}`);
    }
  }
});

void test('the constraint filter names the first constraint the node fails', () => {
  const n = subjectOf(node('n', { labels: { zone: 'a' } }));
  const cs = [parseConstraint('node.role==worker'), parseConstraint('node.labels.zone==b'), parseConstraint('node.id==x')];
  assert.deepEqual(constraintFilter(cs, n), { kind: 'constraint', constraint: 'node.labels.zone==b' });
  assert.equal(constraintFilter(cs.slice(0, 1), n), null);
  assert.equal(constraintFilter([], n), null);
});

void test('the resource filter checks CPU, then memory, with equality fitting', () => {
  const free = { nanoCpus: 2 * CPU, memoryBytes: 512 * MiB };
  assert.equal(resourceFilter({ nanoCpus: 2 * CPU, memoryBytes: 512 * MiB }, free), null);
  assert.equal(resourceFilter({ nanoCpus: 0, memoryBytes: 0 }, { nanoCpus: 0, memoryBytes: 0 }), null);
  assert.deepEqual(resourceFilter({ nanoCpus: 2 * CPU + 1, memoryBytes: 0 }, free), { kind: 'cpu' });
  assert.deepEqual(resourceFilter({ nanoCpus: 0, memoryBytes: 512 * MiB + 1 }, free), { kind: 'memory' });
  assert.deepEqual(resourceFilter({ nanoCpus: 3 * CPU, memoryBytes: GiB }, free), { kind: 'cpu' });
});

void test('free resources are capacity minus reservations, never negative', () => {
  assert.deepEqual(freeResources({ nanoCpus: 4 * CPU, memoryBytes: GiB }, { nanoCpus: CPU, memoryBytes: 256 * MiB }), { nanoCpus: 3 * CPU, memoryBytes: 768 * MiB });
  assert.deepEqual(freeResources({ nanoCpus: CPU, memoryBytes: 0 }, { nanoCpus: 2 * CPU, memoryBytes: 1 }), { nanoCpus: 0, memoryBytes: 0 });
});

void test('the per-node limit rejects at the limit, and 0 means unlimited', () => {
  assert.equal(maxPerNodeFilter(0, 1000), null);
  assert.equal(maxPerNodeFilter(2, 1), null);
  assert.deepEqual(maxPerNodeFilter(2, 2), { kind: 'max-per-node', max: 2 });
  assert.deepEqual(maxPerNodeFilter(1, 5), { kind: 'max-per-node', max: 1 });
});
