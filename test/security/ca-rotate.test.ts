/**
 * `shoal ca rotate` with real daemons started by the CLI: one manager and three
 * workers, one of them offline while the rotation runs. Proves the rotation
 * is named as pending on the offline node (and waits for it), survives kill -9
 * of the manager, admits a node joining mid-rotation with the old token, and can be
 * replaced by `ca rotate --force` while a worker holding a certificate from the
 * abandoned root is frozen (SIGSTOP) and the offline one still holds the original
 * root's; that a write load over mutual TLS from a worker's certificate never fails
 * throughout, that every node ends with a certificate from the final root only, that
 * the old root is no longer trusted, that the old join token is refused, and that an
 * admin client certificate from before the rotation is refused by the CLI with the
 * cause while one issued during it keeps working.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';
import { CliNodes } from '../helpers/cli-nodes.js';
import { isAlive } from '../../src/process-info.js';
import { readNodeConfig } from '../../src/manager/node-config.js';
import { loadProtos } from '../../src/proto/load.js';
import { certDir, type NodeMaterial } from '../../src/security/node-material.js';
import { certificateDigest, MANAGER_SERVER_NAME, splitPem, verifiedBy } from '../../src/security/pki.js';
import { tokenCaDigest } from '../../src/manager/tokens.js';
import { SOCKET_FILE } from '../../src/manager/manager.js';
import { Api } from '../../bin/client.js';
import type { InspectCAResponse__Output } from '../../src/generated/shoal/v1/InspectCAResponse.js';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');
/** Bound on any convergence waited for (generous: a loaded 2-core machine). */
const CONVERGE_MS = 30_000;
const LOAD_PERIOD_MS = 250;

interface CaRecord {
  digest: string;
  retiredDigest?: string;
  rotation: { inProgress: boolean; digest?: string; done?: number; pending?: string[] };
}

describe('shoal ca rotate: 1 manager + 3 workers (real processes)', () => {
  const cluster = new CliNodes('ca-rotate', ['m1', 'w1', 'w2', 'w3']);
  const dir = cluster.dir;
  const nodes = cluster.nodes;
  const shoalWithin = (timeout: number, node: string, ...args: string[]): Promise<string> => cluster.shoalWithin(timeout, node, ...args);
  const shoal = (node: string, ...args: string[]): Promise<string> => cluster.shoal(node, ...args);
  const shoalFails = (node: string, ...args: string[]): Promise<string> => cluster.shoalFails(node, ...args);
  /** InspectCA over m1's socket (the CLI costs a second or more per call on a loaded machine); `ca inspect` is checked once below. */
  const inspect = async (): Promise<CaRecord> => {
    const client = new (loadProtos().grpcObject.shoal.v1.CertificateAuthority)(`unix://${join(dir, 'm1', SOCKET_FILE)}`, grpc.credentials.createInsecure());
    try {
      const r = await new Promise<InspectCAResponse__Output>((resolve, reject) =>
        client.InspectCA({}, { deadline: Date.now() + 10_000 }, (err, res) => (err || !res ? reject(err ?? new Error('empty')) : resolve(res))),
      );
      return {
        digest: r.digest,
        retiredDigest: r.retiredDigest,
        rotation: { inProgress: r.rotationDigest !== '', digest: r.rotationDigest, done: r.rotationDone, pending: r.rotationPending },
      };
    } finally {
      client.close();
    }
  };
  const t0 = Date.now();
  const mark = (what: string): void => void process.stderr.write(`# ${Date.now() - t0} ms: ${what}\n`);
  const pidOf = (node: string): number => cluster.pidOf(node);

  after(() => cluster.cleanup());

  test('rotation reaches every node, waits for the offline one, can be forced to a new root, keeps writes working, retires the old root, token and client certificates', async () => {
    const port = await freePort();
    const managerAddr = `127.0.0.1:${port}`;
    await shoal('m1', 'init', '--listen-addr', managerAddr, '--hostname', 'm1', '--dispatcher-heartbeat', '300ms');
    const oldToken = (await shoal('m1', 'join-token', 'worker', '-q')).trim();
    const joinAs = async (node: string, token: string): Promise<string> =>
      shoal(node, 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', node, managerAddr);
    const adminOld = join(dir, 'admin-old');
    await Promise.all([joinAs('w1', oldToken), joinAs('w2', oldToken), shoal('m1', 'ca', 'client-cert', '--out', adminOld, '--name', 'alice')]);
    mark('joined');
    const before = await inspect();
    assert.equal(before.rotation.inProgress, false);
    const oldRoot = readMaterial(join(dir, 'm1')).caPem;
    assert.equal(certificateDigest(oldRoot), before.digest);

    // w2 is offline for the rotation.
    await shoal('w2', 'stop');

    // A write load from w1's certificate over mutual TLS: standalone containers on w1, each call with
    // the material on w1's disk at that moment (what w1's own CLI would use).
    const w1Id = readNodeConfig(join(dir, 'w1'))?.nodeId ?? '';
    let writes = 0;
    const failures: string[] = [];
    let loading = true;
    let paused = false; // while the only manager is down (kill -9 below), there is nobody to write to
    const load = (async (): Promise<void> => {
      for (let i = 0; loading; i++) {
        if (paused) {
          await new Promise((r) => setTimeout(r, LOAD_PERIOD_MS));
          continue;
        }
        const req = { name: `load-${i}`, nodeId: w1Id, command: '/bin/true' };
        const used = readMaterial(join(dir, 'w1'));
        let err = await createContainerAs(managerAddr, used, req);
        const now = readMaterial(join(dir, 'w1'));
        // Read in the middle of w1's switch to a new certificate (key and certificate are two files):
        // a client re-reads its files and tries again, as the CLI would on its next run.
        if (err && (now.keyPem !== used.keyPem || now.certPem !== used.certPem)) err = await createContainerAs(managerAddr, now, req);
        if (err) failures.push(err);
        else writes++;
        await new Promise((r) => setTimeout(r, LOAD_PERIOD_MS));
      }
    })();

    mark('w2 stopped');
    const started = await shoal('m1', 'ca', 'rotate', '--detach');
    mark('rotation started');
    const match = /Rotating to root CA ([0-9a-z]{50}): 3 node\(s\) to reissue/.exec(started);
    assert.ok(match, started);
    assert.match(started, /Admin client certificates .* stop working when the rotation completes.*`shoal ca client-cert --out DIR`/);
    const firstDigest = match[1]!;
    // m1 and w1 are reissued; w2, offline, is named as pending and holds the rotation open.
    let rec = before;
    const poll = async (cond: () => boolean, what: string): Promise<void> => {
      const deadline = Date.now() + CONVERGE_MS;
      for (;;) {
        rec = await inspect().catch(() => rec); // m1 may be restarting
        if (cond()) return;
        if (Date.now() > deadline) assert.fail(`${what}; last inspect: ${JSON.stringify(rec.rotation)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    await poll(() => rec.rotation.done === 2, 'm1 and w1 to hold certificates from the new root');
    mark('m1 and w1 reissued');
    const w2Id = readNodeConfig(join(dir, 'w2'))?.nodeId ?? '';
    assert.equal(rec.rotation.inProgress, true);
    assert.equal(rec.rotation.digest, firstDigest);
    assert.deepEqual(rec.rotation.pending, [`w2 (${w2Id}, worker)`]);
    // In parallel (each CLI process costs seconds on a loaded machine): the text view, the current
    // token, and a node joining mid-rotation with the old token, which names the root still in
    // charge; it gets a certificate from the new root at once.
    const [text, tokenNow, w3Out] = await Promise.all([shoal('m1', 'ca', 'inspect'), shoal('m1', 'join-token', 'worker', '-q'), joinAs('w3', oldToken)]);
    assert.match(text, new RegExp(`Rotation: +to ${firstDigest} since .*: [23] node\\(s\\) reissued, [12] pending\\n(.*\\n)* +pending: +w2 \\(${w2Id}, worker\\)`));
    assert.match(text, /Client certificates: +those issued before .* stop working when the rotation completes; reissue with `shoal ca client-cert --out DIR`/);
    assert.equal(tokenCaDigest(tokenNow.trim()), before.digest, 'the token is unchanged while the rotation is open');
    assert.match(w3Out, /joined a cluster as a worker/);
    await poll(() => rec.rotation.done === 3, 'w3, joined mid-rotation, to count as reissued');
    assert.deepEqual(rec.rotation.pending, [`w2 (${w2Id}, worker)`]);
    mark('w3 joined mid-rotation');

    // The rotation is replicated state: it survives kill -9 of the manager (the only one here), and
    // the restarted manager carries on with it.
    paused = true;
    await new Promise((r) => setTimeout(r, 2 * LOAD_PERIOD_MS)); // a call in flight finishes
    const m1Pid = pidOf('m1');
    process.kill(m1Pid, 'SIGKILL');
    await waitFor(() => !isAlive(m1Pid), CONVERGE_MS, 'm1 to die');
    await shoal('m1', 'start');
    rec = before;
    await poll(() => rec.rotation.inProgress && rec.rotation.done === 3, 'the restarted m1 to report the rotation in progress');
    paused = false;
    assert.deepEqual(rec.rotation.pending, [`w2 (${w2Id}, worker)`]);
    mark('m1 killed and restarted');
    assert.equal(await listNodesAs(managerAddr, readAdmin(adminOld)), null, 'an admin certificate from the old root works during the rotation');

    // `ca rotate --force` replaces the rotation while nodes have not caught up: w3 (a certificate from
    // the abandoned root) is frozen, w2 (the original root's) is off. A plain second rotate is refused.
    const w3Pid = pidOf('w3');
    process.kill(w3Pid, 'SIGSTOP');
    assert.match(await rotateRefusal(join(dir, 'm1')), /already in progress.*`shoal ca rotate --force`/);
    const forced = shoalWithin(180_000, 'm1', 'ca', 'rotate', '--force'); // follows the new rotation to its end
    await poll(() => rec.rotation.inProgress && rec.rotation.digest !== firstDigest, 'the forced rotation to start');
    const newDigest = rec.rotation.digest ?? '';
    mark('forced rotation started');
    // An admin certificate issued now comes from the replacement root and outlives the rotation.
    const adminNew = join(dir, 'admin-new');
    const issuedNew = shoal('m1', 'ca', 'client-cert', '--out', adminNew, '--name', 'bob');
    // m1 and w1 are reissued from the replacement root; w3, reissued from the abandoned one, is pending again.
    const w3Id = readNodeConfig(join(dir, 'w3'))?.nodeId ?? '';
    await poll(() => rec.rotation.done === 2, 'm1 and w1 to hold certificates from the replacement root');
    assert.deepEqual(rec.rotation.pending, [`w2 (${w2Id}, worker)`, `w3 (${w3Id}, worker)`]);
    await issuedNew;
    mark('m1 and w1 reissued from the replacement root');

    // w3 thaws with a certificate from the abandoned root, and w2 comes back with the original root's:
    // both are still trusted during the rotation, are reissued, and then the rotation completes.
    process.kill(w3Pid, 'SIGCONT');
    await shoal('w2', 'start');
    mark('w3 thawed, w2 started');
    await poll(() => !rec.rotation.inProgress, 'the rotation to complete once w3 and w2 are reissued');
    mark('completed');
    assert.equal(rec.digest, newDigest);
    assert.equal(rec.retiredDigest, before.digest);
    const forcedOut = await forced;
    assert.match(forcedOut, new RegExp(`Replacing the rotation to ${firstDigest}.*\\nRotating to root CA ${newDigest}: 4 node\\(s\\) to reissue`));
    assert.match(forcedOut, /Done: .*\nAdmin client certificates issued before the rotation started no longer work: run `shoal ca client-cert --out DIR` again/);
    loading = false;
    await load;
    assert.deepEqual(failures, [], `writes from w1's certificate failed during the rotation (${writes} succeeded)`);
    assert.ok(writes >= 3, `only ${writes} writes ran during the rotation`);

    // Every node ends with a certificate from the new root and trusts the new root only.
    // (The files are switched one by one: wait for the whole switch, not just the first file.)
    const onNewRootOnly = (n: string): boolean => {
      const m = readMaterial(join(dir, n));
      return splitPem(m.caPem).length === 1 && certificateDigest(m.caPem) === newDigest && verifiedBy(m.certPem, m.caPem) && !verifiedBy(m.certPem, oldRoot);
    };
    for (const n of nodes) await waitFor(() => onNewRootOnly(n), CONVERGE_MS, `${n} to hold a certificate from the new root and trust only it`);
    mark('all nodes on the new root only');
    // Every node holds its session, and a fresh mutual-TLS connection with w1's new certificate and
    // new-root-only trust (the manager trusts the new root only too) writes.
    const nodeStatuses = async (): Promise<string[]> => {
      const api = new Api(`unix://${join(dir, 'm1', SOCKET_FILE)}`);
      try {
        return (await api.listNodes()).nodes.map((n) => `${n.hostname}:${String(n.status)}`);
      } finally {
        api.close();
      }
    };
    const statuses = await nodeStatuses();
    assert.equal(statuses.length, 4);
    assert.ok(statuses.every((st) => st.endsWith(':NODE_STATUS_READY')), statuses.join(', '));
    assert.equal(await createContainerAs(managerAddr, readMaterial(join(dir, 'w1')), { name: 'after-rotation', nodeId: w1Id, command: '/bin/true' }), null);

    mark('nodes ready after the switch');
    // The admin certificate from before the rotation: the CLI says why it fails and what to run.
    const oldAdmin = await run(process.execPath, [CLI, '-H', managerAddr, '--tls-dir', adminOld, 'node', 'ls'], { timeout: 60_000 }).then(
      (r) => assert.fail(`node ls with the old admin certificate succeeded: ${r.stdout}`),
      (e: { stderr?: string }) => e.stderr ?? '',
    );
    assert.match(oldAdmin, new RegExp(`was issued by a CA root that was rotated on \\d{4}-.*root ${before.digest.slice(0, 12)}… replaced by ${newDigest.slice(0, 12)}….*run \`shoal ca client-cert --out DIR\` again`));
    assert.equal(await listNodesAs(managerAddr, readAdmin(adminNew)), null, 'an admin certificate issued during the rotation works after it');
    // Join tokens changed digest; the old one is refused with a message that says why.
    const newToken = (await shoal('m1', 'join-token', 'worker', '-q')).trim();
    assert.equal(tokenCaDigest(newToken), newDigest);
    assert.notEqual(newToken, oldToken);
    const refused = await shoalFails('w4', 'join', '--token', oldToken, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', 'w4', managerAddr);
    assert.match(refused, /does not match the join token.*CA was rotated/);
  });
});

/** RotateCA without --force on the manager's socket (a CLI process costs seconds): the refusal's message. */
async function rotateRefusal(dataDir: string): Promise<string> {
  const client = new (loadProtos().grpcObject.shoal.v1.CertificateAuthority)(`unix://${join(dataDir, SOCKET_FILE)}`, grpc.credentials.createInsecure());
  try {
    return await new Promise<string>((resolve) =>
      client.RotateCA({ requestId: `refused-${Date.now()}` }, { deadline: Date.now() + 10_000 }, (err) => resolve(err ? `${err.code} ${err.details}` : 'started')),
    );
  } finally {
    client.close();
  }
}

/**
 * Client credentials from `m`, or the error as text: a key and certificate read on either side of
 * a node's switch to a new pair do not match (OpenSSL "key values mismatch"), which callers treat
 * like a refused call (re-read the files and try again).
 */
function credentialsOf(m: NodeMaterial): grpc.ChannelCredentials | string {
  try {
    return grpc.credentials.createSsl(Buffer.from(m.caPem), Buffer.from(m.keyPem), Buffer.from(m.certPem));
  } catch (e) {
    return `credentials: ${(e as Error).message}`;
  }
}

/** Control.ListNodes over mutual TLS with material `m`; null on success, else the error. */
async function listNodesAs(addr: string, m: NodeMaterial): Promise<string | null> {
  const creds = credentialsOf(m);
  if (typeof creds === 'string') return creds;
  const client = new (loadProtos().grpcObject.shoal.v1.Control)(addr, creds, { 'grpc.ssl_target_name_override': MANAGER_SERVER_NAME });
  try {
    return await new Promise<string | null>((resolve) => client.ListNodes({}, { deadline: Date.now() + 10_000 }, (err) => resolve(err ? `${err.code} ${err.details}` : null)));
  } finally {
    client.close();
  }
}

/** The files `shoal ca client-cert --out DIR` wrote. */
function readAdmin(out: string): NodeMaterial {
  const read = (f: string): string => readFileSync(join(out, f), 'utf8');
  return { caPem: read('ca.pem'), certPem: read('cert.pem'), keyPem: read('key.pem') };
}

/** Control.CreateContainer over mutual TLS with material `m`; null on success, else the error. */
async function createContainerAs(addr: string, m: NodeMaterial, req: { name: string; nodeId: string; command: string }): Promise<string | null> {
  const creds = credentialsOf(m);
  if (typeof creds === 'string') return creds;
  const client = new (loadProtos().grpcObject.shoal.v1.Control)(addr, creds, { 'grpc.ssl_target_name_override': MANAGER_SERVER_NAME });
  try {
    return await new Promise<string | null>((resolve) =>
      client.CreateContainer(req, { deadline: Date.now() + 10_000 }, (err) => resolve(err ? `${req.name}: ${err.code} ${err.details}` : null)),
    );
  } finally {
    client.close();
  }
}

/**
 * A node's material as its files are now, read without side effects (readNodeMaterial completes a
 * half-done switch itself, which would race the daemon's own writes).
 */
function readMaterial(dataDir: string): NodeMaterial {
  const read = (f: string): string => readFileSync(join(certDir(dataDir), f), 'utf8');
  return { caPem: read('ca.pem'), certPem: read('node.pem'), keyPem: read('node.key') };
}
