import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIpv4 } from '../../src/network/cidr.js';
import { nameRecords } from '../../src/network/dns/feed.js';
import { NameTable } from '../../src/network/dns/name-table.js';
import { feedInputFromStore } from '../../src/manager/names-view.js';
import { attachmentsOfOwner, containerById, listNetworks } from '../../src/manager/store/network-queries.js';
import { listServices } from '../../src/manager/store/service-queries.js';
import { newObjectId } from '../../src/node/ids.js';
import { isAlive } from '../../src/worker/process-executor.js';
import { waitFor } from '../helpers/in-process-cluster.js';
import { WorkerCluster } from './harness.js';

// Proves `shoal stack deploy --adopt` for a `shoal run` container, through the compiled CLI in
// child processes against a manager and one worker agent running real processes: the container
// `web` (a node TCP server on the attachable network `front`) is adopted by the new service
// app_web — its slot-1 task holds the container's address (and its process is started with it),
// the other replica gets a new one, the container is gone from `container ls` and its process has
// ended, `network check` passes, and the name `web` still resolves to that address in the name
// table. A deploy that names a container sharing no network leaves it running, with its address.
// x-shoal-adopt adopts without the flag, and a key naming no container stops the deploy.
// The unreachable window is measured on the data plane by bench:adopt-gap (overlay addresses are
// not routable on this loopback harness).

const CLI = fileURLToPath(new URL('../../bin/cli.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/stack/adopt.yml', import.meta.url));
const SERVER = "require('net').createServer((s) => s.end('old\\n')).listen(0, () => console.log('pid=' + process.pid + ' addr=' + process.env.SHOAL_ADDR_FRONT))";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('shoal stack deploy --adopt', () => {
  let c: WorkerCluster;
  let host: string;
  let tmp: string;

  function shoal(...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, '-H', host, '--data-dir', c.workers[0]!.dir, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  }
  /** What a process printed at start ("pid=… addr=…"), from the agent's log of task or container `id`. */
  async function started(id: string): Promise<{ pid: number; addr: string }> {
    const path = join(c.workers[0]!.dir, 'tasks', id, 'output.log');
    let m: RegExpMatchArray | null = null;
    await waitFor(() => (m = existsSync(path) ? /pid=(\d+) addr=(\S+)/.exec(readFileSync(path, 'utf8')) : null) !== null, 20_000, `${id} to print its address`);
    const [, pid, addr] = m as unknown as RegExpMatchArray;
    return { pid: Number(pid), addr: addr ?? '' };
  }

  before(async () => {
    c = await WorkerCluster.start(1);
    host = `unix://${c.manager.socketPath}`;
    tmp = mkdtempSync(join(tmpdir(), 'shoal-adopt-'));
    await c.manager.write({ op: 'network.create', at: Date.now(), id: newObjectId(), name: 'front', driver: 'overlay', subnet: '10.78.0.0/24', attachable: true, labels: {} });
    await c.manager.write({ op: 'network.create', at: Date.now(), id: newObjectId(), name: 'elsewhere', driver: 'overlay', subnet: '10.78.1.0/24', attachable: true, labels: {} });
  });
  after(async () => {
    await c?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('a container sharing no network with the service is left running with its address', async () => {
    const run = await shoal('run', '-d', '--name', 'web', '--network', 'elsewhere', '--', 'node', '-e', SERVER.replace('SHOAL_ADDR_FRONT', 'SHOAL_ADDR_ELSEWHERE'));
    assert.equal(run.code, 0, run.stderr);
    const id = run.stdout.trim();
    const { pid } = await started(id);
    const db = c.manager.store.db;
    const before = attachmentsOfOwner(db, 'container', id).map((a) => a.address);
    // The CLI adopts only across a shared network; the server refuses otherwise (the store test covers its message).
    const r = await shoal('stack', 'deploy', '-c', FIXTURE, '--adopt', 'lone');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Creating service lone_web\n', 'no adoption announced');
    assert.ok(containerById(db, id), 'the container is still there');
    assert.deepEqual(attachmentsOfOwner(db, 'container', id).map((a) => a.address), before, 'with its address');
    assert.ok(isAlive(pid), 'and its process runs');
    assert.equal((await shoal('stack', 'rm', 'lone')).code, 0);
    assert.equal((await shoal('container', 'rm', 'web')).code, 0);
    await waitFor(() => !isAlive(pid), 10_000, 'the lone container to stop');
  });

  // Proves x-shoal-adopt through the CLI: without --adopt, a key naming a container that does not
  // exist stops the deploy at the key's position with nothing created; naming the running
  // container `legacy` moves it into the service (same attachment row, the task on the container's
  // node), and a redeploy with the key still in the file is quiet.
  test('x-shoal-adopt: explicit adoption without the flag; a missing container is refused at the key', async () => {
    const run = await shoal('run', '-d', '--name', 'legacy', '--network', 'front', '--', 'node', '-e', SERVER);
    assert.equal(run.code, 0, run.stderr);
    const containerId = run.stdout.trim();
    await started(containerId);
    const db = c.manager.store.db;
    const [held] = attachmentsOfOwner(db, 'container', containerId);
    assert.ok(held);
    const file = (name: string): string => {
      const f = join(tmp, 'explicit.yml');
      writeFileSync(f, readFileSync(FIXTURE, 'utf8').replace('    networks: [front]\n', `    networks: [front]\n    x-shoal-adopt: ${name}\n`));
      return f;
    };
    const refused = await shoal('stack', 'deploy', '-c', file('nosuch'), 'x');
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `Error: ${join(tmp, 'explicit.yml')}:9:20: services.web.x-shoal-adopt: container "nosuch" not found: there is no standalone container of that name to adopt (\`shoal container ls\`)\n`);
    assert.equal(listServices(db).length, 0, 'nothing was created');

    const r = await shoal('stack', 'deploy', '-c', file('legacy'), 'x');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Creating service x_web (adopting container legacy)\n');
    assert.equal(containerById(db, containerId), null);
    await c.waitRunning('x_web', 2, 30_000);
    const first = c.running('x_web').find((t) => t.slot === 1)!;
    assert.equal(attachmentsOfOwner(db, 'task', first.id)[0]?.id, held.id, 'the same attachment row, re-owned');
    assert.equal(first.nodeId, c.workers[0]!.nodeId, 'on the container node');
    const again = await shoal('stack', 'deploy', '-c', file('legacy'), 'x');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'Service x_web is unchanged\n');
    assert.equal((await shoal('stack', 'rm', 'x')).code, 0);
  });

  test('the slot-1 task takes over the address; the container goes; web keeps resolving to it', async () => {
    const run = await shoal('run', '-d', '--name', 'web', '--network', 'front', '--', 'node', '-e', SERVER);
    assert.equal(run.code, 0, run.stderr);
    const containerId = run.stdout.trim();
    const old = await started(containerId);
    const db = c.manager.store.db;
    const [held] = attachmentsOfOwner(db, 'container', containerId);
    assert.ok(held);
    assert.equal(old.addr.split('/')[0], formatIpv4(held.address));

    const r = await shoal('stack', 'deploy', '-c', FIXTURE, '--adopt', 'app');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Creating service app_web (adopting container web)\n');

    assert.equal(containerById(db, containerId), null, 'the container is removed with the same command');
    await waitFor(() => !isAlive(old.pid), 10_000, 'the container process to end');
    await c.waitRunning('app_web', 2, 30_000);
    const tasks = c.running('app_web');
    const first = tasks.find((t) => t.slot === 1)!;
    const second = tasks.find((t) => t.slot === 2)!;
    const [firstFront] = attachmentsOfOwner(db, 'task', first.id);
    assert.equal(firstFront?.id, held.id, 'the same attachment row, re-owned');
    assert.equal(firstFront?.address, held.address, 'slot 1 holds the container address');
    assert.notEqual(attachmentsOfOwner(db, 'task', second.id)[0]?.address, held.address, 'the other replica has its own');
    assert.equal((await started(first.id)).addr.split('/')[0], formatIpv4(held.address), 'the task started with that address');

    const ls = await shoal('container', 'ls');
    assert.equal(ls.code, 0, ls.stderr);
    assert.doesNotMatch(ls.stdout, /\bweb\b/);
    const check = await shoal('network', 'check');
    assert.equal(check.code, 0, check.stdout + check.stderr);

    const nets = new Map(listNetworks(db).map((n) => [n.name, n]));
    const table = new NameTable(nameRecords(feedInputFromStore(db), new Set([...nets.values()].map((n) => n.id))));
    const ask = (name: string): string[] => {
      const l = table.lookup(name, 'A', [nets.get('front')!.id]);
      return l.kind === 'addresses' ? l.addresses.map(formatIpv4).sort() : [];
    };
    assert.ok(ask('web').includes(formatIpv4(held.address)), `web resolves to ${formatIpv4(held.address)} (got ${ask('web').join(', ')})`);
    assert.equal((await shoal('stack', 'rm', 'app')).code, 0);
  });
});
