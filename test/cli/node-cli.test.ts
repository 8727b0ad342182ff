import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, type TestCluster } from '../helpers/in-process-cluster.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');

function shoal(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 30_000, env: { ...process.env, SHOAL_HOST: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

// The CLI's contract outside any one object: usage errors exit 2 with a hint, errors exit 1 with
// `Error: …` on stderr, and the node commands print SPEC.md's tables and JSON records.
describe('shoal CLI: usage, errors, nodes, info and tokens', () => {
  let c: TestCluster;
  let host: string;
  before(async () => {
    c = await startCluster(3);
    host = c.apis[1]!.target; // a follower: reads are served there, writes forwarded
  });
  after(async () => {
    await c.close();
  });

  test('usage errors exit 2; typos get a suggestion; completion prints a script', async () => {
    const typo = await shoal('nod', 'ls');
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /Did you mean node\?/);
    const bad = await shoal('node', 'ls', '--no-such-flag');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^Error: Unknown argument/m);
    const none = await shoal();
    assert.equal(none.code, 2);
    const help = await shoal('--help');
    assert.equal(help.code, 0);
    for (const cmd of ['init', 'join', 'leave', 'node', 'network', 'service', 'container', 'run']) assert.match(help.stdout, new RegExp(`shoal ${cmd}\\b`));
    const completion = await shoal('completion');
    assert.equal(completion.code, 0);
    assert.match(completion.stdout, /complete/);
  });

  test('errors exit 1 with an actionable message', async () => {
    // TCP needs a client certificate (mutual TLS); with one, an unreachable address says so.
    const noCert = await shoal('--data-dir', join(c.dir, 'nowhere'), '-H', '127.0.0.1:1', 'node', 'ls');
    assert.equal(noCert.code, 1);
    assert.match(noCert.stderr, /^Error: talking to 127\.0\.0\.1:1 needs a client certificate from the cluster's CA: on a manager run `shoal ca client-cert --out DIR`/);
    const tlsDir = join(c.dir, 'admin-tls');
    const issued = await shoal('-H', host, 'ca', 'client-cert', '--out', tlsDir);
    assert.equal(issued.code, 0, issued.stderr);
    assert.match(issued.stdout, /role admin/);
    const down = await shoal('-H', '127.0.0.1:1', '--tls-dir', tlsDir, 'node', 'ls');
    assert.equal(down.code, 1);
    assert.match(down.stderr, /^Error: cannot reach the node at 127\.0\.0\.1:1: is it running\?/);
    // The client certificate works over TCP, through any manager.
    const remote = await shoal('-H', c.managers[0]!.config.advertiseAddr, '--tls-dir', tlsDir, 'node', 'ls', '-q');
    assert.equal(remote.code, 0, remote.stderr);
    assert.equal(remote.stdout.trim().split('\n').length, c.managers.length);
    const missing = await shoal('-H', host, 'node', 'inspect', 'no-such-node');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error: node "no-such-node" not found (no node has that ID, ID prefix or hostname)\n');
    const badLabel = await shoal('-H', host, 'node', 'update', '--label-add', 'novalue', 'm1');
    assert.equal(badLabel.code, 1);
    assert.match(badLabel.stderr, /--label-add "novalue" must look like key=value/);
    const badToken = await shoal('--data-dir', join(c.dir, 'joiner'), 'join', '--foreground', '--token', 'SWMTKN-1-abc-def', '--listen-addr', '127.0.0.1:1', host);
    assert.equal(badToken.code, 1);
    assert.match(badToken.stderr, /^Error: the join token is malformed/m);
  });

  test('node ls: a table, JSON records with the SPEC keys, and -q', async () => {
    const table = await shoal('-H', host, 'node', 'ls');
    assert.equal(table.code, 0);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+HOSTNAME\s+STATUS\s+AVAILABILITY\s+MANAGER STATUS\s+ADDRESS$/);
    assert.equal(lines.length, 4);
    assert.equal(lines.filter((l) => /\*\s/.test(l) && /leader/.test(l)).length, 1, 'one leader marked');
    const json = JSON.parse((await shoal('-H', host, 'node', 'ls', '--format', 'json')).stdout) as Record<string, unknown>[];
    assert.equal(json.length, 3);
    for (const n of json) {
      assert.deepEqual(Object.keys(n).sort(), ['addr', 'availability', 'hostname', 'id', 'leader', 'reachability', 'role', 'status']);
      assert.equal(n['role'], 'manager');
      assert.equal(n['reachability'], 'reachable');
    }
    const quiet = (await shoal('-H', host, 'node', 'ls', '-q')).stdout.trim().split('\n');
    assert.deepEqual(quiet.sort(), json.map((n) => String(n['id'])).sort());
    const prefix = String(json[0]!['id']).slice(0, 8);
    const inspect = JSON.parse((await shoal('-H', host, 'node', 'inspect', prefix)).stdout) as { id: string }[];
    assert.equal(inspect[0]?.id, json[0]!['id']);
  });

  test('node update through a follower; info and join-token', async () => {
    const upd = await shoal('-H', host, 'node', 'update', '--availability', 'drain', '--label-add', 'zone=a', '--label-add', 'disk=ssd', 'm3');
    assert.equal(upd.code, 0, upd.stderr);
    const [m3] = JSON.parse((await shoal('-H', host, 'node', 'inspect', 'm3')).stdout) as { availability: string; labels: Record<string, string> }[];
    assert.equal(m3?.availability, 'drain');
    assert.deepEqual(m3?.labels, { disk: 'ssd', zone: 'a' });
    const info = JSON.parse((await shoal('-H', host, 'info', '--format', 'json')).stdout) as { managers: unknown[]; role: string; raftTerm: number; commitIndex: number; leader: string };
    assert.equal(info.role, 'manager');
    assert.equal(info.managers.length, 3);
    assert.ok(info.raftTerm >= 2 && info.commitIndex > 0 && info.leader.length === 25);
    const token = (await shoal('-H', host, 'join-token', 'worker', '-q')).stdout.trim();
    assert.match(token, /^SWMTKN-1-[0-9a-z]{50}-w[0-9a-z]{24}$/);
    const rotated = await shoal('-H', host, 'join-token', 'worker', '--rotate');
    assert.match(rotated.stdout, /^Successfully rotated worker join token\.\n\nTo add a worker to this cluster, run the following command:\n\n {4}shoal join --token SWMTKN-1-/);
    assert.ok(!rotated.stdout.includes(token), 'the old token is gone');
  });
});
