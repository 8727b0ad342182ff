/**
 * A whole cluster stopped past its certificates' expiry, with real daemons
 * started by the CLI and a short test-only certificate lifetime
 * (SHOAL_TEST_MIN_CERT_EXPIRY_MS lowers `init --cert-expiry`'s floor of 1h).
 * Proves what docs/design/security.md promises: certificates issued by a
 * running cluster are backdated an hour and last --cert-expiry from issuance;
 * a manager started after its certificate expired renews it from its own
 * replica of the CA; a worker's `shoal start` with an expired certificate
 * fails with the exact commands to run; and `shoal start --token` renews it
 * through the token path, after which the worker is back in the cluster.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';
import { waitForAsync } from '../helpers/wait-async.js';
import { CliNodes } from '../helpers/cli-nodes.js';
import { SOCKET_FILE } from '../../src/manager/manager.js';
import { certDir } from '../../src/security/node-material.js';
import { BACKDATE_MS, certificateInfo, type CertificateInfo } from '../../src/security/pki.js';
import { Api } from '../../bin/client.js';

const CERT_EXPIRY_MS = 6_000;
/** Bound on anything waited for (a loaded 2-core machine). */
const CONVERGE_MS = 30_000;

const cluster = new CliNodes('expiry', ['m1', 'w1'], () => ({ ...process.env, SHOAL_TEST_MIN_CERT_EXPIRY_MS: '1000' }));
const dir = cluster.dir;
const shoal = (node: string, ...args: string[]): Promise<string> => cluster.shoal(node, ...args);
const certOf = (node: string): CertificateInfo => certificateInfo(readFileSync(join(certDir(join(dir, node)), 'node.pem'), 'utf8'));

after(() => cluster.cleanup());

test('a cluster stopped past certificate expiry: the manager renews at start, the worker is told what to run and comes back with --token', async () => {
  const managerAddr = `127.0.0.1:${await freePort()}`;
  await shoal('m1', 'init', '--listen-addr', managerAddr, '--hostname', 'm1', '--cert-expiry', `${CERT_EXPIRY_MS}ms`, '--dispatcher-heartbeat', '300ms');
  const token = (await shoal('m1', 'join-token', 'worker', '-q')).trim();
  const joinStart = Date.now();
  await shoal('w1', 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', 'w1', managerAddr);
  const joined = Date.now();

  // The worker's first certificate (or a renewal of it): backdated an hour, valid --cert-expiry from issuance.
  const first = certOf('w1');
  const issuedAt = first.notBefore + BACKDATE_MS;
  assert.ok(issuedAt >= joinStart - 1_000 && issuedAt <= Date.now() + 1_000, `issued at ${new Date(issuedAt).toISOString()}, joined ${new Date(joinStart).toISOString()}–${new Date(joined).toISOString()}`);
  assert.ok(Math.abs(first.notAfter - issuedAt - CERT_EXPIRY_MS) <= 1_000, `lifetime ${first.notAfter - issuedAt} ms`);

  // Both nodes off until every certificate they hold has expired.
  await Promise.all([shoal('w1', 'stop'), shoal('m1', 'stop')]);
  const expiredBy = Math.max(certOf('w1').notAfter, certOf('m1').notAfter);
  await new Promise((r) => setTimeout(r, Math.max(0, expiredBy - Date.now() + 200)));

  // The manager signs its own renewal at start (it holds the CA): no token, no message.
  await shoal('m1', 'start');
  await waitFor(() => certOf('m1').notAfter > Date.now(), CONVERGE_MS, "m1's expired certificate to be renewed at start");

  // The worker cannot renew with its expired certificate: `start` fails and names the commands.
  const refused = await cluster.shoalFails('w1', 'start');
  assert.match(refused, /the certificate of this node expired on \S+ while it was off; on a manager run `shoal join-token worker -q`, then here `shoal start --token <that token>`/);

  // With the current worker token (`token`: nothing rotated it) the start renews through the token path.
  await shoal('w1', 'start', '--token', token);
  assert.ok(certOf('w1').notAfter > Date.now() - CERT_EXPIRY_MS, 'w1 holds a certificate issued after the restart');
  const api = new Api(`unix://${join(dir, 'm1', SOCKET_FILE)}`);
  try {
    await waitForAsync(
      async () => (await api.listNodes()).nodes.find((n) => n.hostname === 'w1')?.status === 'NODE_STATUS_READY',
      CONVERGE_MS,
      'w1 to be READY again',
    );
  } finally {
    api.close();
  }
  // It keeps renewing on its own certificate (no token needed any more).
  const renewedAt = certOf('w1').serial;
  await waitFor(() => certOf('w1').serial !== renewedAt, CONVERGE_MS, 'w1 to renew again with its own certificate');
});
