import { test } from 'node:test';
import assert from 'node:assert/strict';
import { electedNetwork, utf8 } from './net.js';

// Proves the basic loop works end to end: elect node 1 of 3, propose two entries, every node applies both in order.
void test('three nodes elect a leader and replicate proposals', () => {
  const net = electedNetwork([1, 2, 3], 1);
  assert.deepEqual(net.node(1).propose(utf8('a')), { ok: true });
  assert.deepEqual(net.node(1).propose(utf8('b')), { ok: true });
  net.settle();
  net.heartbeat(); // the commit index reaches idle followers with the next heartbeat
  for (const id of [1, 2, 3]) assert.deepEqual(net.appliedData(id), ['a', 'b']);
});
