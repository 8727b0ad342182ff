import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCluster, type TestCluster } from '../helpers/in-process-cluster.js';
import { createContainer, getContainer } from '../../bin/commands/network-api.js';

// Proves service discovery's user-facing settings through the compiled CLI against an
// in-process manager: --endpoint-mode and --network-alias on service create/update, the VIP
// shown by `service inspect` and `network inspect` (kind vip, owned by the service), moved by
// an endpoint-mode change and freed by `service rm`; bad values refused with a message and a
// non-zero exit; container aliases through the API.

const CLI = fileURLToPath(new URL('../../bin/cli.js', import.meta.url));
let c: TestCluster;
let host: string;

before(async () => {
  c = await startCluster(1);
  host = c.apis[0]!.target;
});
after(async () => {
  await c.close();
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function shoal(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, '-H', host, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function inspect(kind: 'service' | 'network', ref: string): Promise<Record<string, unknown>> {
  const r = await shoal(kind, 'inspect', ref);
  assert.equal(r.code, 0, r.stderr);
  const [one] = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.ok(one);
  return one;
}

interface Vip {
  network: string;
  networkId: string;
  address: string;
}
interface Endpoint {
  kind: string;
  owner: string;
  ownerName: string;
  address: string;
}

describe('shoal service discovery settings', () => {
  test('create with the defaults: a VIP on the network, shown by service inspect and network inspect', async () => {
    assert.equal((await shoal('network', 'create', '--attachable', '--subnet', '10.77.0.0/24', 'front')).code, 0);
    const created = await shoal('service', 'create', '-d', '--name', 'web', '--replicas', '2', '--network', 'front', '--network-alias', 'www', '--', 'sleep', '60');
    assert.equal(created.code, 0, created.stderr);
    const s = await inspect('service', 'web');
    assert.equal(s['endpointMode'], 'vip');
    assert.deepEqual(s['networkAliases'], ['www']);
    const vips = s['virtualIps'] as Vip[];
    assert.equal(vips.length, 1);
    assert.equal(vips[0]?.network, 'front');
    assert.match(vips[0]?.address ?? '', /^10\.77\.0\.\d+\/24$/);
    const n = await inspect('network', 'front');
    const endpoints = n['endpoints'] as Endpoint[];
    const vipEndpoints = endpoints.filter((e) => e.kind === 'vip');
    assert.deepEqual(vipEndpoints.map((e) => [e.ownerName, e.address]), [['web', vips[0]?.address]]);
    assert.equal(vipEndpoints[0]?.owner, s['id']);
    const tasks = endpoints.filter((e) => e.kind === 'task').map((e) => e.address);
    assert.equal(tasks.length, 2);
    assert.ok(!tasks.includes(vips[0]?.address ?? ''), 'the VIP is no task address');
  });

  test('update: dnsrr drops the VIP, vip brings one back; aliases added and removed; scale keeps them', async () => {
    let r = await shoal('service', 'update', '-d', '--endpoint-mode', 'dnsrr', '--network-alias-add', 'api2', 'web');
    assert.equal(r.code, 0, r.stderr);
    let s = await inspect('service', 'web');
    assert.equal(s['endpointMode'], 'dnsrr');
    assert.deepEqual(s['virtualIps'], []);
    assert.deepEqual(s['networkAliases'], ['www', 'api2']);
    assert.equal(((await inspect('network', 'front'))['endpoints'] as Endpoint[]).filter((e) => e.kind === 'vip').length, 0);
    r = await shoal('service', 'scale', 'web=3');
    assert.equal(r.code, 0, r.stderr);
    s = await inspect('service', 'web');
    assert.equal(s['endpointMode'], 'dnsrr', 'scaling keeps the endpoint mode');
    assert.deepEqual(s['networkAliases'], ['www', 'api2']);
    r = await shoal('service', 'update', '-d', '--endpoint-mode', 'vip', '--network-alias-rm', 'www', '--network-alias', 'web2', 'web');
    assert.equal(r.code, 0, r.stderr);
    s = await inspect('service', 'web');
    assert.equal(s['endpointMode'], 'vip');
    assert.equal((s['virtualIps'] as Vip[]).length, 1);
    assert.deepEqual(s['networkAliases'], ['api2', 'web2']);
  });

  test('bad values are refused with a message', async () => {
    const mode = await shoal('service', 'create', '-d', '--name', 'x', '--endpoint-mode', 'lb', '--', 'sleep', '1');
    assert.equal(mode.code, 2);
    assert.match(mode.stderr, /endpoint-mode/);
    const alias = await shoal('service', 'create', '-d', '--name', 'x', '--network-alias', 'tasks.web', '--', 'sleep', '1');
    assert.equal(alias.code, 1);
    assert.match(alias.stderr, /^Error: networkAliases: "tasks\.web" may not start with "tasks\."/m);
  });

  test('service rm frees the VIP', async () => {
    assert.equal((await shoal('service', 'rm', 'web')).code, 0);
    const n = await inspect('network', 'front');
    assert.deepEqual(n['endpoints'], []);
    assert.equal((await shoal('network', 'rm', 'front')).code, 0);
  });

  test('a container keeps the aliases it was created with', async () => {
    const api = c.apis[0]!;
    const nodeId = c.leader().config.nodeId;
    const created = await createContainer(api, { name: 'cache', nodeId, command: 'sleep', args: ['1'], networkAliases: ['redis', 'kv'] }, 'shoal container inspect cache');
    assert.deepEqual(created.container?.networkAliases, ['redis', 'kv']);
    assert.deepEqual((await getContainer(api, 'cache')).container?.networkAliases, ['redis', 'kv']);
    await assert.rejects(createContainer(api, { name: 'bad', nodeId, command: 'sleep', networkAliases: ['a b'] }, 'shoal container inspect bad'), /network_aliases: "a b" is not a DNS name/);
  });
});
