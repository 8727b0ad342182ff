import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCidr, formatIpv4 } from '../../src/network/cidr.js';
import { nameRecords } from '../../src/network/dns/feed.js';
import { NameTable } from '../../src/network/dns/name-table.js';
import { feedInputFromStore } from '../../src/manager/names-view.js';
import { listNetworks } from '../../src/manager/store/network-queries.js';
import { listServices } from '../../src/manager/store/service-queries.js';
import { waitFor } from '../helpers/in-process-cluster.js';
import { WorkerCluster } from './harness.js';

// Proves `shoal stack` as a user runs it: the compiled CLI in a child process against a manager
// with one worker agent that runs the tasks as real processes. A bad file is refused with its
// position and creates nothing; deploying test/fixtures/stack/compose.yml warns about its one
// unsupported key, creates the stack network (not the external one) and both services, whose
// tasks run; `web` and `app_web` resolve to the service's VIP in the name table of the external
// network (what a standalone container there is served), `db` only on the stack's own network;
// ls/services/ps print tables and JSON; a redeploy with one changed service rolls that one
// only; --prune removes the dropped service; rm removes the stack but keeps the external network.

const CLI = fileURLToPath(new URL('../../bin/cli.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/stack/', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('shoal stack', () => {
  let c: WorkerCluster;
  let host: string;
  let tmp: string;

  function shoal(...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      const env = { ...process.env };
      delete env['GREETING'];
      execFile(process.execPath, [CLI, '-H', host, ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  }
  const fixture = (name: string): string => join(FIXTURES, name);
  const networkNames = (): string[] => listNetworks(c.manager.store.db).map((n) => n.name);
  const taskIds = (service: string): string[] => c.running(service).map((t) => t.id).sort();

  before(async () => {
    c = await WorkerCluster.start(1);
    host = `unix://${c.manager.socketPath}`;
    tmp = mkdtempSync(join(tmpdir(), 'shoal-stack-'));
    await c.createNetwork('shared');
  });
  after(async () => {
    await c?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('a bad file is refused with its position, and nothing is created', async () => {
    const bad = join(tmp, 'bad.yml');
    writeFileSync(bad, 'services:\n  web:\n    command: x\n    networks: [front]\n    deploy:\n      replicas: many\nnetworks:\n  front: {}\n');
    const r = await shoal('stack', 'deploy', '-c', bad, 'app');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error: ${bad}:6:17: services.web.deploy.replicas: must be a whole number, 0 or more, not "many"\n`);
    assert.equal(r.stdout, '');
    assert.deepEqual(networkNames(), ['shared']);
    assert.deepEqual(listServices(c.manager.store.db), []);
  });

  test('deploy creates the stack network and services; the tasks run; names resolve on the external network', async () => {
    const r = await shoal('stack', 'deploy', '-c', fixture('compose.yml'), 'app');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Ignoring unsupported options: ports\n');
    assert.equal(r.stdout, 'Creating network app_front\nCreating service app_web\nCreating service app_db\n');
    await c.waitRunning('app_web', 2, 30_000);
    await c.waitRunning('app_db', 1, 30_000);

    const db = c.manager.store.db;
    const nets = new Map(listNetworks(db).map((n) => [n.name, n]));
    assert.equal(formatCidr(nets.get('app_front')!.subnet), '10.77.1.0/24');
    const table = new NameTable(nameRecords(feedInputFromStore(db), new Set([...nets.values()].map((n) => n.id))));
    const ask = (name: string, network: string): string[] => {
      const l = table.lookup(name, 'A', [nets.get(network)!.id]);
      return l.kind === 'addresses' ? l.addresses.map(formatIpv4) : [];
    };
    const vip = ask('app_web', 'shared');
    assert.equal(vip.length, 1, 'app_web has a VIP on the external network');
    assert.deepEqual(ask('web', 'shared'), vip, 'the plain compose name resolves to the same VIP');
    assert.equal(ask('www', 'app_front').length, 1, 'a compose alias resolves on the stack network');
    assert.equal(ask('db', 'app_front').length, 1);
    assert.deepEqual(ask('db', 'shared'), [], 'db is not on the external network');
  });

  test('ls, services and ps: tables and JSON', async () => {
    const ls = await shoal('stack', 'ls');
    assert.equal(ls.stdout, 'NAME   SERVICES\napp    2\n');
    const services = JSON.parse((await shoal('stack', 'services', 'app', '--format', 'json')).stdout) as { name: string; replicas: number; running: number }[];
    assert.deepEqual(services.map((s) => [s.name, s.replicas]).sort(), [['app_db', 1], ['app_web', 2]]);
    assert.match((await shoal('stack', 'services', 'app')).stdout, /^ID\s+NAME\s+MODE\s+REPLICAS\s+COMMAND\n/);
    const ps = JSON.parse((await shoal('stack', 'ps', 'app', '--format', 'json')).stdout) as { service: string; state: string; addresses: { network: string }[] }[];
    assert.equal(ps.length, 3);
    assert.ok(ps.every((t) => t.state === 'running'), JSON.stringify(ps));
    assert.deepEqual(ps.filter((t) => t.service === 'app_web').map((t) => t.addresses.map((a) => a.network).sort()), [['app_front', 'shared'], ['app_front', 'shared']]);
    const none = await shoal('stack', 'ps', 'nosuch');
    assert.equal(none.code, 1);
    assert.equal(none.stderr, 'Error: nothing found in stack: nosuch\n');
  });

  test('redeploy with one changed service rolls that one only', async () => {
    const web = taskIds('app_web');
    const dbTasks = taskIds('app_db');
    const r = await shoal('stack', 'deploy', '-c', fixture('compose.yml'), '-c', fixture('web-v2.yml'), 'app');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Updating service app_web \(id: [0-9a-z]+\)\nService app_db is unchanged\n$/);
    await waitFor(() => {
      const now = taskIds('app_web');
      return now.length === 2 && now.every((id) => !web.includes(id));
    }, 30_000, 'both web tasks replaced');
    assert.deepEqual(taskIds('app_db'), dbTasks, 'db was not touched');
    const again = await shoal('stack', 'deploy', '-c', fixture('compose.yml'), '-c', fixture('web-v2.yml'), 'app');
    assert.equal(again.stdout, 'Service app_web is unchanged\nService app_db is unchanged\n');
  });

  test('--prune removes the services the files no longer define', async () => {
    const r = await shoal('stack', 'deploy', '--prune', '-c', fixture('web-only.yml'), '-c', fixture('web-v2.yml'), 'app');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Service app_web is unchanged\nRemoving service app_db\n');
    assert.deepEqual(listServices(c.manager.store.db).map((s) => s.name), ['app_web']);
  });

  // Proves deploy.rollback_config end to end: a redeploy whose new version fails (failure_action:
  // rollback) rolls back on its own to the old command, and the service keeps the rollback settings
  // the file gave (service inspect). planUpdate's tests prove how those settings drive the rollback.
  // The 3 s update delay holds slot 2 back until slot 1's failure has decided the outcome.
  test('rollback_config: a failing redeploy rolls back with the rollback settings', async () => {
    const file = (cmd: string): string => {
      const f = join(tmp, 'rb.yml');
      writeFileSync(f, [
        'services:',
        '  svc:',
        `    command: ${JSON.stringify(cmd)}`,
        '    networks: [shared]',
        '    deploy:',
        '      replicas: 2',
        '      restart_policy: {condition: none}',
        '      update_config: {parallelism: 1, delay: 3s, failure_action: rollback, monitor: 2s}',
        '      rollback_config: {parallelism: 2, order: start-first, failure_action: continue, monitor: 1s}',
        'networks:',
        '  shared: {external: true}',
        '',
      ].join('\n'));
      return f;
    };
    assert.equal((await shoal('stack', 'deploy', '-c', file('sleep 60'), 'rb')).code, 0);
    await c.waitRunning('rb_svc', 2, 30_000);
    const r = await shoal('stack', 'deploy', '-c', file('sh -c "exit 3"'), 'rb');
    assert.equal(r.code, 0, r.stderr);
    const state = (): string => listServices(c.manager.store.db).find((s) => s.name === 'rb_svc')?.updateStatus?.state ?? '';
    await waitFor(() => state() === 'rollback-completed', 40_000, 'the failed update to roll back');
    await c.waitRunning('rb_svc', 2, 30_000);
    assert.ok(c.running('rb_svc').every((t) => t.spec.command === 'sleep'), 'every task runs the old command again');
    const inspect = JSON.parse((await shoal('service', 'inspect', 'rb_svc')).stdout) as { rollbackConfig: Record<string, unknown>; updateStatus: { message: string } }[];
    assert.deepEqual(inspect[0]!.rollbackConfig, { parallelism: 2, delayMs: 0, order: 'start-first', failureAction: 'continue', monitorMs: 1000, maxFailureRatio: 0 });
    assert.match(inspect[0]!.updateStatus.message, /update failed: task \S+ \(slot 1\) failed: exit status 3/);
    assert.equal((await shoal('stack', 'rm', 'rb')).code, 0);
  });

  test('rm removes the services and the stack network, not the external network', async () => {
    const r = await shoal('stack', 'rm', 'app');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Removing service app_web\nRemoving network app_front\n');
    assert.deepEqual(networkNames(), ['shared']);
    assert.deepEqual(listServices(c.manager.store.db), []);
    const again = await shoal('stack', 'rm', 'app');
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'Nothing found in stack: app\n');
  });
});
