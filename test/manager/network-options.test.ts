// `network create --internal --opt mtu=N`: the driver options are checked at the API (unknown
// key or out-of-range MTU: INVALID_ARGUMENT naming it), stored in the replicated network row
// (schema 8, added by name to an older database with defaults that keep what it meant), and
// carried by every attachment of the network, which is what the nodes' data planes act on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { parseNetworkOptions, networkOptionsToProto } from '../../src/manager/network-options.js';
import { migrateDataPlaneSchema } from '../../src/manager/store/dataplane-schema.js';
import { ShoalError } from '../../src/errors.js';

test('driver options: mtu in range (also in Docker spelling); anything else is refused by name', () => {
  assert.deepEqual(parseNetworkOptions({}), {});
  assert.deepEqual(parseNetworkOptions({ mtu: '1400' }), { mtu: 1400 });
  assert.deepEqual(parseNetworkOptions({ 'com.docker.network.driver.mtu': '9000' }), { mtu: 9000 });
  assert.deepEqual(parseNetworkOptions({ mtu: '576' }), { mtu: 576 });
  for (const bad of ['575', '9001', '14x0', '', '-1500', '1500.5']) {
    assert.throws(() => parseNetworkOptions({ mtu: bad }), (e: unknown) => e instanceof ShoalError && e.code === 'INVALID_ARGUMENT' && /mtu ".*" is not a whole number from 576 to 9000/.test(e.message), bad);
  }
  assert.throws(() => parseNetworkOptions({ encrypted: '' }), /unknown driver option "encrypted"/);
  assert.deepEqual(networkOptionsToProto({ mtu: 0 }), {});
  assert.deepEqual(networkOptionsToProto({ mtu: 1400 }), { mtu: '1400' });
});

test('schema 8 migration: an older networks/nodes table gains internal, mtu and data_path_addr with neutral defaults; the store refuses a bad MTU', () => {
  const db = new Database(':memory:');
  db.exec("CREATE TABLE networks (id TEXT PRIMARY KEY, name TEXT NOT NULL); CREATE TABLE nodes (id TEXT PRIMARY KEY); INSERT INTO networks VALUES ('n1', 'front'); INSERT INTO nodes VALUES ('a')");
  migrateDataPlaneSchema(db);
  migrateDataPlaneSchema(db); // by column name: safe to run again
  assert.deepEqual(db.prepare('SELECT internal, mtu FROM networks').get(), { internal: 0, mtu: 0 });
  assert.deepEqual(db.prepare('SELECT data_path_addr FROM nodes').get(), { data_path_addr: '' });
  assert.throws(() => db.prepare("INSERT INTO networks (id, name, mtu) VALUES ('n2', 'x', 100)").run(), /CHECK constraint/);
  db.close();
});
