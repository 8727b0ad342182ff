// The dispatcher's peer-table diff per worker stream (SentPeers): the complete set first, then
// only changes; only networks the node holds; its own endpoints never; a moved endpoint
// (new VTEP) is re-sent; a network the node leaves takes all its entries with it; an unchanged
// table (same signature) costs no comparison.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostOf, SentPeers, type PeerRecord, type PeerTable } from '../../src/manager/peer-tables.js';

function table(peers: PeerRecord[], signature = String(Math.random())): PeerTable {
  return { peers, signature };
}

const p = (id: string, networkId: string, address: string, nodeId: string, dataPathAddr: string): PeerRecord => ({ id, networkId, address, nodeId, dataPathAddr });

test('peer tables: complete, then changes; own endpoints and other networks never', () => {
  const tables = new Map<string, PeerTable>([
    ['front', table([p('a1', 'front', '10.0.0.2', 'n1', '192.168.1.1'), p('a2', 'front', '10.0.0.3', 'n2', '192.168.1.2')])],
    ['back', table([p('b1', 'back', '10.0.1.2', 'n2', '192.168.1.2')])],
  ]);
  const sent = new SentPeers('n1');
  const first = sent.diff(new Set(['front']), (n) => tables.get(n)!);
  assert.deepEqual(first, [
    { action: 'ASSIGNMENT_ACTION_UPDATE', peer: { id: 'a2', networkId: 'front', address: '10.0.0.3', mac: '02:42:0a:00:00:03', nodeId: 'n2', dataPathAddr: '192.168.1.2' } },
  ]);
  assert.deepEqual(sent.diff(new Set(['front']), (n) => tables.get(n)!), [], 'unchanged signature: nothing');
  tables.set('front', table([p('a1', 'front', '10.0.0.2', 'n1', '192.168.1.1'), p('a2', 'front', '10.0.0.3', 'n3', '192.168.1.3'), p('a3', 'front', '10.0.0.4', 'n2', '192.168.1.2')]));
  const moved = sent.diff(new Set(['front']), (n) => tables.get(n)!);
  assert.deepEqual(moved.map((c) => [c.action, c.peer?.id, c.peer?.dataPathAddr]), [
    ['ASSIGNMENT_ACTION_UPDATE', 'a2', '192.168.1.3'],
    ['ASSIGNMENT_ACTION_UPDATE', 'a3', '192.168.1.2'],
  ]);
  tables.set('front', table([p('a3', 'front', '10.0.0.4', 'n2', '192.168.1.2')]));
  assert.deepEqual(sent.diff(new Set(['front']), (n) => tables.get(n)!), [{ action: 'ASSIGNMENT_ACTION_REMOVE', peer: { id: 'a2' } }]);
  const left = sent.diff(new Set(), (n) => tables.get(n)!);
  assert.deepEqual(left, [{ action: 'ASSIGNMENT_ACTION_REMOVE', peer: { id: 'a3' } }], 'leaving a network removes its entries');
});

test('hostOf: the host of an advertise address', () => {
  assert.equal(hostOf('10.1.2.3:4242'), '10.1.2.3');
  assert.equal(hostOf('[fd00::1]:4242'), 'fd00::1');
  assert.equal(hostOf('10.1.2.3'), '10.1.2.3');
});
