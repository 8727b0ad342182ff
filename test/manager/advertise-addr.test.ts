// How a node chooses the address it advertises (advertiseFor), as `docker swarm init` does: the
// given address or interface name, else the listen address, else — listening on a wildcard — the
// host's one external IPv4 address; several or none is an error that names the candidates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advertiseFor, type InterfaceList } from '../../src/manager/daemon.js';
import { isShoalError } from '../../src/errors.js';

const lo = { address: '127.0.0.1', family: 'IPv4', internal: true };
const v6 = { address: 'fe80::1', family: 'IPv6', internal: false };
const linkLocal = { address: '169.254.3.4', family: 'IPv4', internal: false };
const eth0 = { address: '10.1.2.3', family: 'IPv4', internal: false };
const eth1 = { address: '192.168.7.9', family: 'IPv4', internal: false };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isShoalError(e) && e.code === 'INVALID_ARGUMENT', String(e));
    return e.message;
  }
  assert.fail('expected INVALID_ARGUMENT');
}

// Proves the explicit and the non-wildcard cases keep what the user said, with the listen port added.
test('an explicit address, or a specific listen address, is used as given', () => {
  const none: InterfaceList = { lo: [lo] };
  assert.equal(advertiseFor({ listenAddr: '0.0.0.0:4242', advertiseAddr: '10.9.9.9' }, none), '10.9.9.9:4242');
  assert.equal(advertiseFor({ listenAddr: '0.0.0.0:4242', advertiseAddr: '10.9.9.9:5000' }, none), '10.9.9.9:5000');
  assert.equal(advertiseFor({ listenAddr: '127.0.0.1:4300' }, none), '127.0.0.1:4300');
});

// Proves an interface name stands for its IPv4 address; one without IPv4 is refused by name.
test('an interface name is resolved to its IPv4 address', () => {
  const ifs: InterfaceList = { lo: [lo], eth0: [v6, eth0], wg0: [v6] };
  assert.equal(advertiseFor({ listenAddr: '0.0.0.0:4242', advertiseAddr: 'eth0' }, ifs), '10.1.2.3:4242');
  assert.match(refusal(() => advertiseFor({ listenAddr: '0.0.0.0:4242', advertiseAddr: 'wg0' }, ifs)), /interface wg0 has no IPv4 address/);
});

// Proves the wildcard case: one external IPv4 address is taken (loopback, link-local and IPv6 do not
// count); none or several is an error that says what to do and lists the candidates.
test('listening on a wildcard: the one external IPv4 address, else a clear error', () => {
  assert.equal(advertiseFor({ listenAddr: '0.0.0.0:4242' }, { lo: [lo], eth0: [v6, linkLocal, eth0] }), '10.1.2.3:4242');
  assert.equal(advertiseFor({ listenAddr: '[::]:4242' }, { lo: [lo], eth0: [eth0] }), '10.1.2.3:4242');
  assert.match(refusal(() => advertiseFor({ listenAddr: '0.0.0.0:4242' }, { lo: [lo] })), /--advertise-addr is required: .* no external IPv4 address/);
  const several = refusal(() => advertiseFor({ listenAddr: '0.0.0.0:4242' }, { lo: [lo], eth0: [eth0], eth1: [eth1] }));
  assert.match(several, /several addresses \(10\.1\.2\.3 on eth0, 192\.168\.7\.9 on eth1\); choose one, or an interface name/);
});
