// When the data plane stays off, the node says why (and records it for `init`, `join` and `info`):
// a loopback data-path address (the integration tests' many daemons on one host), the
// SHOAL_DATA_PLANE=off switch, `--data-plane off`, not root. Bad flag values are refused by name.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkDataPathAddr, checkDataPathPort, describeStatus, openNodeDataPlane, parseMode, readStatus, writeSettings } from '../../src/network/dataplane/node-setup.js';
import type { Logger } from '../../src/manager/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'shoal-dp-setup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

test('off on a loopback address (or when not root), with the reason recorded', async () => {
  const d = join(dir, 'loop');
  writeSettings(d, { mode: 'auto', dataPathAddr: '', port: 4789 });
  const { plane, status } = await openNodeDataPlane(d, 'node1abcdefgh', '127.0.0.1:4242', quiet);
  assert.equal(plane, null);
  assert.equal(status.on, false);
  if (process.getuid?.() === 0) assert.match(status.reason, /^the data-path address 127\.0\.0\.1 is a loopback address/);
  else assert.match(status.reason, /^not root/);
  assert.deepEqual(readStatus(d), status);
  assert.match(describeStatus(status), /^off: /);
});

test('off when switched off, by flag or environment', async () => {
  const d = join(dir, 'off');
  writeSettings(d, { mode: 'off', dataPathAddr: '10.9.9.9', port: 4789 });
  assert.equal((await openNodeDataPlane(d, 'node2abcdefgh', '10.9.9.9:4242', quiet)).status.reason, 'turned off (--data-plane off)');
  writeSettings(d, { mode: 'auto', dataPathAddr: '10.9.9.9', port: 4789 });
  process.env['SHOAL_DATA_PLANE'] = 'off';
  try {
    assert.equal((await openNodeDataPlane(d, 'node2abcdefgh', '10.9.9.9:4242', quiet)).status.reason, 'turned off (SHOAL_DATA_PLANE=off)');
  } finally {
    delete process.env['SHOAL_DATA_PLANE'];
  }
});

test('flag values are checked', () => {
  assert.equal(parseMode('auto'), 'auto');
  assert.throws(() => parseMode('on'), /--data-plane "on": use auto .* or off/);
  assert.throws(() => checkDataPathAddr('eth0'), /--data-path-addr "eth0" is not an IPv4 address/);
  assert.throws(() => checkDataPathPort(80), /--data-path-port 80: use a UDP port from 1024 to 49151/);
  assert.equal(checkDataPathPort(4789), 4789);
});
