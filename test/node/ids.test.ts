import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newObjectId, OBJECT_ID_LENGTH } from '../../src/node/ids.js';

void test('object IDs are 25 base-36 characters, distinct, and every character is used about equally', () => {
  // Proves the pooled generator keeps the ID format and draws digits without the modulo bias
  // (36 digits from bytes < 252): over 20,000 IDs each digit's share is within 5 % of 1/36.
  const ids = new Set<string>();
  const counts = new Map<string, number>();
  for (let i = 0; i < 20_000; i++) {
    const id = newObjectId();
    assert.match(id, /^[0-9a-z]{25}$/);
    ids.add(id);
    for (const c of id) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  assert.equal(OBJECT_ID_LENGTH, 25);
  assert.equal(ids.size, 20_000);
  assert.equal(counts.size, 36);
  const expected = (20_000 * 25) / 36;
  for (const [c, n] of counts) assert.ok(Math.abs(n - expected) < expected * 0.05, `digit ${c}: ${n} of ~${expected.toFixed(0)}`);
});
