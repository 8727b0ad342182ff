// Proves the node-side service discovery as the data plane will drive it, as root, on a network
// sandbox the test builds the way #11 does: a sandbox namespace whose bridge holds the gateway,
// two task namespaces running a server each (service "web", vip mode) and a container namespace
// ("probe"), all on the bridge. Fed Names messages exactly as the dispatcher sends them, NodeNames
// - answers inside the sandbox on the gateway address, so the probe's ordinary resolver
//   (getent, via the /etc/netns/<ns>/resolv.conf attachEndpoint wrote) finds `web` → VIP and
//   `tasks.web` → both tasks;
// - scopes by the asker's source address: a name on a network the probe is not on does not resolve;
// - balances connections to web:port (resolved by name, translated in the probe's namespace) over
//   both tasks, and after an INCREMENTAL message that stops one, its name and its share of new
//   connections go away together;
// - a restarted NodeNames adopting the probe before its complete name set leaves the VIP rules
//   alone, and the complete set then reprograms them;
// - detachEndpoint removes the namespace's files.
// Skips with a message where not root or without ip/nft.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeNames } from '../../src/worker/node-names.js';
import { nameRecords, type FeedInput } from '../../src/network/dns/feed.js';
import { networkNamesToProto } from '../../src/manager/names-view.js';
import type { NetworkNames__Output } from '../../src/generated/shoal/v1/NetworkNames.js';

const prefix = `shoal-nn-${process.pid}`;
const SB = `${prefix}-sb`;
const PROBE = `${prefix}-probe`;
const TASKS = [`${prefix}-t1`, `${prefix}-t2`];
const PORT = 8080;
const A = 0x0a000100; // 10.0.1.0

function canRun(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, nftables)';
  for (const [cmd, args] of [['ip', ['netns', 'list']], ['nft', ['--version']], ['getent', ['hosts', 'localhost']]] as const) {
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
    } catch {
      return `needs ${cmd}`;
    }
  }
  return null;
}
const skip = canRun();

/** The control plane's view: web (vip) with two running tasks, a probe container; db on another network. */
function input(runningTasks: readonly string[]): FeedInput {
  return {
    networks: [
      { id: 'front', name: 'front' },
      { id: 'back', name: 'back' },
    ],
    services: [{ id: 's-web', name: 'web', networks: ['front'], endpointMode: 'vip', aliases: [] }],
    vips: new Map([['s-web', [{ networkId: 'front', ip: A + 2 }]]]),
    tasks: ['t1', 't2'].map((id, i) => ({
      id,
      serviceId: 's-web',
      slot: i + 1,
      nodeId: 'n1',
      state: runningTasks.includes(id) ? 'running' : 'shutdown',
      desiredState: runningTasks.includes(id) ? 'running' : 'shutdown',
      addresses: [{ networkId: 'front', ip: A + 11 + i }],
    })),
    containers: [
      { id: 'c-probe', name: 'probe', nodeId: 'n1', state: 'running', aliases: [], addresses: [{ networkId: 'front', ip: A + 50 }] },
      { id: 'c-db', name: 'db', nodeId: 'n2', state: 'running', aliases: [], addresses: [{ networkId: 'back', ip: 0x0a000228 }] },
    ],
    downNodes: new Set(),
  };
}
const wire = (i: FeedInput, networks: string[]): NetworkNames__Output[] => nameRecords(i, new Set(networks)).networks.map((n) => networkNamesToProto(n) as NetworkNames__Output);

void describe('NodeNames in a network sandbox', { skip: skip ?? false }, () => {
  const servers: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'shoal-nn-'));
  const names = new NodeNames({ resolvConfPath: join(dir, 'resolv.conf'), onError: (what, e) => process.stderr.write(`${what}: ${String(e)}\n`) });
  const ip = (...args: string[]): void => {
    execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const inProbe = (...cmd: string[]): Promise<{ code: number; stdout: string }> =>
    new Promise((resolve) => {
      execFile('ip', ['netns', 'exec', PROBE, ...cmd], { timeout: 30_000 }, (err, stdout) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout }));
    });
  /** What `count` connections to web:PORT from the probe read (by name: the resolver and the balancer together). */
  const connectMany = async (count: number): Promise<string[]> => {
    const script = `
      const net = require('net'); const out = [];
      const one = (left) => { if (left === 0) { console.log(JSON.stringify(out)); return; }
        const s = net.connect(${PORT}, 'web'); let got = '';
        s.on('data', (d) => (got += d)); s.on('error', (e) => { out.push(e.code); one(left - 1); });
        s.on('end', () => { out.push(got); s.destroy(); one(left - 1); }); };
      one(${count});`;
    const r = await inProbe(process.execPath, '-e', script);
    return JSON.parse(r.stdout) as string[];
  };
  const tasksWeb = async (): Promise<string[]> => [...new Set((await inProbe('getent', 'ahostsv4', 'tasks.web')).stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0] ?? ''))].sort();

  before(async () => {
    writeFileSync(join(dir, 'resolv.conf'), '# no upstream in this test\n');
    for (const ns of [SB, PROBE, ...TASKS]) {
      ip('netns', 'add', ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    ip('-n', SB, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', SB, 'addr', 'add', '10.0.1.1/24', 'dev', 'br0');
    ip('-n', SB, 'link', 'set', 'br0', 'up');
    const join2 = (ns: string, port: string, address: string): void => {
      ip('-n', SB, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      ip('-n', SB, 'link', 'set', port, 'master', 'br0', 'up');
      ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip('-n', ns, 'link', 'set', 'eth0', 'up');
    };
    join2(PROBE, 'pp', '10.0.1.50');
    TASKS.forEach((ns, i) => join2(ns, `pt${i + 1}`, `10.0.1.1${i + 1}`));
    await Promise.all(
      TASKS.map(
        (ns, i) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', `require('net').createServer((s) => s.end('t${i + 1}')).listen(${PORT}, () => console.log('ready'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
            servers.push(child);
            child.stdout?.once('data', () => resolve());
            child.once('exit', (code) => reject(new Error(`server t${i + 1} exited with ${String(code)}`)));
          }),
      ),
    );
    await names.start();
    names.apply({ type: 'ASSIGNMENTS_TYPE_COMPLETE', networks: wire(input(['t1', 't2']), ['front', 'back']), removedNetworks: [] });
    await names.attachSandbox('front', SB, '10.0.1.1');
    await names.attachEndpoint(PROBE, ['front'], '10.0.1.1');
  });

  after(async () => {
    for (const s of servers) s.kill('SIGKILL');
    await names.detachEndpoint(PROBE);
    await names.close();
    for (const ns of [SB, PROBE, ...TASKS]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // Not created: an earlier step failed.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('the probe resolves web to its VIP and tasks.web to both tasks; db (another network) does not resolve', async () => {
    const web = await inProbe('getent', 'hosts', 'web');
    assert.match(web.stdout, /^10\.0\.1\.2\s+web$/m);
    assert.deepEqual(await tasksWeb(), ['10.0.1.11', '10.0.1.12']);
    const db = await inProbe('getent', 'hosts', 'db');
    assert.equal(db.code, 2, `db resolved: ${db.stdout}`);
  });

  test('connections to web:port are balanced over both tasks', async () => {
    const got = await connectMany(10);
    assert.deepEqual([...new Set(got)].sort(), ['t1', 't2'], JSON.stringify(got));
  });

  test('a task that stops leaves the answers and the balancer together', async () => {
    names.apply({ type: 'ASSIGNMENTS_TYPE_INCREMENTAL', networks: wire(input(['t1']), ['front']), removedNetworks: [] });
    await names.settled();
    assert.deepEqual(await tasksWeb(), ['10.0.1.11']);
    const got = await connectMany(6);
    assert.deepEqual([...new Set(got)], ['t1'], JSON.stringify(got));
  });

  // A restarted daemon (a fresh NodeNames) adopts the probe before its session's complete name
  // set: the VIP rules already in the namespace must stay (an empty table would cut every VIP
  // connection until the set arrives); the complete set then reprograms them.
  test('an endpoint adopted before the complete name set keeps its VIP rules until the set arrives', async () => {
    const rules = (): string => execFileSync('ip', ['netns', 'exec', PROBE, 'nft', 'list', 'table', 'ip', 'shoal-lb']).toString();
    const before = rules();
    assert.match(before, /dnat to/, 'the probe has a balancing rule');
    const restarted = new NodeNames({ resolvConfPath: join(dir, 'resolv.conf'), netnsEtcDir: dir });
    try {
      await restarted.attachEndpoint(PROBE, ['front'], '10.0.1.1');
      assert.equal(rules(), before, 'nothing is replaced before the complete set');
      restarted.apply({ type: 'ASSIGNMENTS_TYPE_COMPLETE', networks: wire(input(['t2']), ['front']), removedNetworks: [] });
      await restarted.settled();
      assert.match(rules(), /dnat to numgen inc mod 1 map \{ 0 : 10\.0\.1\.12 \}/, 'the complete set reprograms it');
      restarted.apply({ type: 'ASSIGNMENTS_TYPE_INCREMENTAL', networks: wire(input(['t1']), ['front']), removedNetworks: [] });
      await restarted.settled();
    } finally {
      await restarted.close();
    }
    const got = await connectMany(4);
    assert.deepEqual([...new Set(got)], ['t1'], JSON.stringify(got));
  });

  test('detachEndpoint removes the namespace files', async () => {
    assert.ok(existsSync(`/etc/netns/${PROBE}/resolv.conf`));
    await names.detachEndpoint(PROBE);
    assert.equal(existsSync(`/etc/netns/${PROBE}`), false);
  });
});
