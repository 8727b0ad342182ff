import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCluster, type TestCluster } from '../helpers/in-process-cluster.js';

// The compiled CLI next to this compiled test (dist*/test/manager → dist*/bin/cli.js).
const CLI = fileURLToPath(new URL('../../bin/cli.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('shoal network / container CLI', () => {
  let c: TestCluster;
  let host: string;
  const shoal = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, [CLI, '-H', host, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  before(async () => {
    c = await startCluster(1);
    host = c.apis[0]!.target;
  });
  after(async () => {
    await c.close();
  });

  // Proves create prints the ID, ls prints a table and the SPEC.md JSON records, -q prints IDs.
  test('create, ls (table, json, -q) and inspect', async () => {
    const created = await shoal('network', 'create', '--subnet', '10.3.0.0/24', '--attachable', '--label', 'a=1', '--label', 'b=2', 'web');
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    assert.match(id, /^[0-9a-z]{25}$/);
    // Independent reads run in parallel: each spawn costs about a second on a loaded machine.
    const [table, json, quiet, inspect, check, containers] = await Promise.all([
      shoal('network', 'ls'),
      shoal('network', 'ls', '--format', 'json'),
      shoal('network', 'ls', '-q'),
      shoal('network', 'inspect', 'web'),
      shoal('network', 'check'),
      shoal('container', 'ls', '--format', 'json'),
    ]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^NETWORK ID\s+NAME\s+DRIVER\s+SUBNET\s+GATEWAY\s+ATTACHABLE\s+INTERNAL\s+VXLAN ID\n/);
    assert.match(table.stdout, new RegExp(`${id.slice(0, 12)}\\s+web\\s+overlay\\s+10\\.3\\.0\\.0/24\\s+10\\.3\\.0\\.1\\s+true\\s+false\\s+4096`));
    assert.deepEqual(JSON.parse(json.stdout), [{ id, name: 'web', driver: 'overlay', subnet: '10.3.0.0/24', gateway: '10.3.0.1', attachable: true, vxlanId: 4096 }]);
    assert.equal(quiet.stdout, `${id}\n`);
    const [full] = JSON.parse(inspect.stdout) as { labels: Record<string, string>; endpoints: unknown[]; addresses: { capacity: number } }[];
    assert.deepEqual(full?.labels, { a: '1', b: '2' });
    assert.deepEqual(full?.endpoints, []);
    assert.equal(full?.addresses.capacity, 253);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /web\s+0\s+0\s+ok/);
    assert.deepEqual(JSON.parse(containers.stdout), []);
  });

  // Proves errors exit 1 with `Error: …` on stderr, and usage errors exit 2.
  test('exit codes and error messages', async () => {
    const [overlap, missing, usage, gone] = await Promise.all([
      shoal('network', 'create', '--subnet', '10.3.0.0/16', 'other'),
      shoal('network', 'rm', 'nope'),
      shoal('network', 'create'),
      shoal('container', 'inspect', 'nothing'),
    ]);
    assert.equal(overlap.code, 1);
    assert.equal(overlap.stderr, 'Error: subnet 10.3.0.0/16 overlaps network "web" (10.3.0.0/24)\n');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error: network "nope" not found/);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^Error: /);
    const rm = await shoal('network', 'rm', 'web');
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal(rm.stdout, 'web\n');
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /^Error: container "nothing" not found/);
  });
});
