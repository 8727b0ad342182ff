// Proves VIP balancing with nftables in the client's own namespace, as root, on a topology the
// test builds like the data plane's: a sandbox namespace with a bridge holding the gateway, three
// backend namespaces running a TCP server each and a client namespace, all on the bridge; the
// VIP is held by no interface at all. It checks:
// - 30 connections to VIP:port reach all three backends, round robin, and each backend sees the
//   client's real address (no masquerade);
// - after one backend is removed from the set (one nft transaction), new connections never reach
//   it and all succeed;
// - with no backend, connecting is refused at once (no hang);
// - the client's namespace keeps idle established flows for 5 days (not IPVS's 900 s);
// - an established connection whose backend is removed from the set (the backend itself still up
//   and echoing) has its conntrack entry deleted, so its next packet does not reach that backend:
//   the client gets a reset instead of an echo (conntrack-tools); the stale-flow finder is also
//   checked on a conntrack table as text.
// The ruleset generator is also checked as text, and `vipBackends` from a network's names.
// Skips with a message where not root or without ip/nft.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, execFile, spawn, type ChildProcess } from 'node:child_process';
import { applyVips, ESTABLISHED_IDLE_S } from '../../src/network/vip/apply.js';
import { vipBackends, vipRuleset } from '../../src/network/vip/ruleset.js';
import { staleVipFlows } from '../../src/network/vip/stale-flows.js';

const BASE = 0x0a000100; // 10.0.1.0
const VIP = BASE + 2;
const BACKENDS = [BASE + 11, BASE + 12, BASE + 13];
const PORT = 8080;
const prefix = `shoal-lbt-${process.pid}`;
const SB = `${prefix}-sb`;
const CLIENT = `${prefix}-c`;
const backendNs = (i: number): string => `${prefix}-t${i + 1}`;

function canRun(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, nftables)';
  for (const [cmd, args] of [['ip', ['netns', 'list']], ['nft', ['--version']], ['conntrack', ['--version']]] as const) {
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
    } catch {
      return `needs ${cmd}${cmd === 'conntrack' ? ' (Debian package conntrack)' : ''}`;
    }
  }
  return null;
}
const skip = canRun();

void describe('nftables ruleset for VIPs (pure)', () => {
  test('one DNAT map per VIP with running tasks, at the start of the connection; VIPs without one refused; whole-table replacement', () => {
    const script = vipRuleset([
      { vip: VIP, backends: BACKENDS },
      { vip: VIP + 1, backends: [] },
    ]);
    assert.equal(
      script,
      [
        'table ip shoal-lb',
        'delete table ip shoal-lb',
        'table ip shoal-lb {',
        '  chain output {',
        '    type nat hook output priority -100; policy accept;',
        '    ip daddr 10.0.1.2 dnat to numgen inc mod 3 map { 0 : 10.0.1.11, 1 : 10.0.1.12, 2 : 10.0.1.13 }',
        '  }',
        '  chain refuse {',
        '    type filter hook output priority 0; policy accept;',
        '    ip daddr { 10.0.1.3 } meta l4proto tcp reject with tcp reset',
        '    ip daddr { 10.0.1.3 } reject',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    assert.doesNotMatch(vipRuleset([]), /dnat|reject/);
  });

  test('vipBackends: vip-mode services with a VIP, their running tasks on the network', () => {
    const entries = vipBackends({
      networkId: 'n',
      networkName: 'front',
      services: [
        { id: 'web', name: 'web', aliases: [], endpointMode: 'vip', vip: VIP },
        { id: 'api', name: 'api', aliases: [], endpointMode: 'dnsrr' },
        { id: 'idle', name: 'idle', aliases: [], endpointMode: 'vip', vip: VIP + 1 },
      ],
      endpoints: [
        { kind: 'task', name: 'web.2.b', serviceId: 'web', aliases: [], ip: BASE + 12 },
        { kind: 'task', name: 'web.1.a', serviceId: 'web', aliases: [], ip: BASE + 11 },
        { kind: 'task', name: 'api.1.c', serviceId: 'api', aliases: [], ip: BASE + 21 },
        { kind: 'container', name: 'cache', aliases: [], ip: BASE + 30 },
      ],
    });
    assert.deepEqual(entries, [
      { vip: VIP, backends: [BASE + 11, BASE + 12] },
      { vip: VIP + 1, backends: [] },
    ]);
  });
});

void describe('stale VIP flows (pure)', () => {
  test('a flow translated to a backend no longer in its VIP\'s set is stale; live, untranslated and port-changing flows are not', () => {
    const table = [
      // to the VIP, translated to .11 (still a backend): live
      'ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.1.50 dst=10.0.1.2 sport=40000 dport=8081 src=10.0.1.11 dst=10.0.1.50 sport=8081 dport=40000 [ASSURED] mark=0 zone=0 use=2',
      // to the VIP, translated to .13 (removed): stale, listed once although two flows
      'ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.1.50 dst=10.0.1.2 sport=40001 dport=8081 src=10.0.1.13 dst=10.0.1.50 sport=8081 dport=40001 [ASSURED] mark=0 zone=0 use=2',
      'ipv4     2 udp      17 29 src=10.0.1.50 dst=10.0.1.2 sport=5000 dport=53 src=10.0.1.13 dst=10.0.1.50 sport=53 dport=5000 mark=0 zone=0 use=2',
      // a VIP that is gone altogether (its service removed): stale; conntrack -L's format (no family column)
      'tcp      6 431999 ESTABLISHED src=10.0.1.50 dst=10.0.1.9 sport=40002 dport=80 src=10.0.1.21 dst=10.0.1.50 sport=80 dport=40002 [ASSURED] mark=0 use=1',
      // not translated: a direct connection
      'ipv4     2 tcp      6 100 ESTABLISHED src=10.0.1.50 dst=10.0.1.12 sport=40003 dport=8081 src=10.0.1.12 dst=10.0.1.50 sport=8081 dport=40003 [ASSURED] mark=0 zone=0 use=2',
      // a translation that changes the port (Docker's DNS rule): not ours
      'ipv4     2 udp      17 20 src=127.0.0.1 dst=127.0.0.11 sport=5001 dport=53 src=127.0.0.12 dst=127.0.0.1 sport=35353 dport=5001 mark=0 zone=0 use=2',
      '',
    ].join('\n');
    assert.deepEqual(staleVipFlows(table, [{ vip: VIP, backends: [BASE + 11, BASE + 12] }]), [
      { vip: '10.0.1.2', backend: '10.0.1.13' },
      { vip: '10.0.1.9', backend: '10.0.1.21' },
    ]);
    assert.deepEqual(staleVipFlows('', []), []);
  });
});

void describe('VIP balancing in the client namespace', { skip: skip ?? false }, () => {
  const servers: ChildProcess[] = [];
  const ip = (...args: string[]): void => {
    execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };

  /** Runs `count` connections from the client namespace to VIP:PORT; returns what each one read, or the error code. */
  const connectMany = (count: number): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const script = `
        const net = require('net'); const out = [];
        const one = (left) => { if (left === 0) { console.log(JSON.stringify(out)); return; }
          const s = net.connect(${PORT}, '10.0.1.2'); let got = '';
          const t = setTimeout(() => { s.destroy(); out.push('TIMEOUT'); one(left - 1); }, 2000);
          s.on('data', (d) => (got += d));
          s.on('error', (e) => { clearTimeout(t); out.push(e.code); one(left - 1); });
          s.on('end', () => { clearTimeout(t); out.push(got); s.destroy(); one(left - 1); }); };
        one(${count});`;
      execFile('ip', ['netns', 'exec', CLIENT, process.execPath, '-e', script], { timeout: 60_000 }, (err, stdout) => {
        if (err) reject(new Error(`the client failed: ${err.message}`));
        else resolve(JSON.parse(stdout) as string[]);
      });
    });

  before(async () => {
    for (const ns of [SB, CLIENT, ...BACKENDS.map((_, i) => backendNs(i))]) {
      ip('netns', 'add', ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    ip('-n', SB, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', SB, 'addr', 'add', '10.0.1.1/24', 'dev', 'br0');
    ip('-n', SB, 'link', 'set', 'br0', 'up');
    const join = (ns: string, port: string, address: string): void => {
      ip('-n', SB, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      ip('-n', SB, 'link', 'set', port, 'master', 'br0', 'up');
      ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip('-n', ns, 'link', 'set', 'eth0', 'up');
    };
    join(CLIENT, 'pc', '10.0.1.50');
    BACKENDS.forEach((_, i) => join(backendNs(i), `p${i + 1}`, `10.0.1.1${i + 1}`));
    await applyVips(CLIENT, [{ vip: VIP, backends: BACKENDS }]);
    // One TCP server per backend namespace: it answers its own name and the client's address, and closes.
    await Promise.all(
      BACKENDS.map(
        (_, i) =>
          new Promise<void>((resolve, reject) => {
            const name = `t${i + 1}`;
            // PORT answers and closes; PORT + 1 says its name, then echoes for as long as the connection lasts.
            const code = `const net = require('net'); let up = 0; const ready = () => ++up === 2 && console.log('ready');
              net.createServer((s) => s.end('${name} ' + s.remoteAddress)).listen(${PORT}, ready);
              net.createServer((s) => { s.on('error', () => {}); s.write('${name}\\n'); s.pipe(s); }).listen(${PORT + 1}, ready);`;
            const child = spawn('ip', ['netns', 'exec', backendNs(i), process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
            servers.push(child);
            child.stdout?.once('data', () => resolve());
            child.once('exit', (code) => reject(new Error(`server ${name} exited with ${String(code)}`)));
          }),
      ),
    );
  });

  after(() => {
    for (const s of servers) s.kill('SIGKILL');
    for (const ns of [SB, CLIENT, ...BACKENDS.map((_, i) => backendNs(i))]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // Not created (an earlier step failed); nothing to remove.
      }
    }
  });

  test('30 connections to the VIP reach all three backends, round robin, from the client\'s own address', async () => {
    const answers = await connectMany(30);
    assert.ok(answers.every((a) => / (::ffff:)?10\.0\.1\.50$/.test(a)), `a backend saw another source: ${JSON.stringify(answers)}`);
    const got = answers.map((a) => a.split(' ')[0] ?? '');
    const counts = new Map<string, number>();
    for (const g of got) counts.set(g, (counts.get(g) ?? 0) + 1);
    assert.deepEqual([...counts.keys()].sort(), ['t1', 't2', 't3'], `answers: ${JSON.stringify([...counts])}`);
    for (const [name, n] of counts) assert.ok(n >= 5, `${name} got only ${n} of 30`);
  });

  test('a backend removed from the set gets no new connection; the others still answer', async () => {
    await applyVips(CLIENT, [{ vip: VIP, backends: BACKENDS.slice(0, 2) }]);
    const got = (await connectMany(20)).map((a) => a.split(' ')[0] ?? '');
    assert.ok(!got.includes('t3'), `t3 still reached: ${JSON.stringify(got)}`);
    assert.deepEqual([...new Set(got)].sort(), ['t1', 't2']);
  });

  test('with no backend the connection is refused at once, not left hanging', async () => {
    await applyVips(CLIENT, [{ vip: VIP, backends: [] }]);
    const started = Date.now();
    const got = await connectMany(3);
    assert.deepEqual(got, ['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
    assert.ok(Date.now() - started < 10_000);
    await applyVips(CLIENT, [{ vip: VIP, backends: BACKENDS }]);
    assert.deepEqual([...new Set((await connectMany(3)).map((a) => a.split(' ')[0]))].sort(), ['t1', 't2', 't3']);
  });

  test('idle established flows are kept for 5 days in the client namespace', () => {
    const value = execFileSync('ip', ['netns', 'exec', CLIENT, 'cat', '/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established']).toString().trim();
    assert.equal(Number(value), ESTABLISHED_IDLE_S);
  });

  test('an established flow to a removed backend is flushed: its next packet does not reach that backend (which is still up)', async () => {
    await applyVips(CLIENT, [{ vip: VIP, backends: BACKENDS }]);
    // One long-lived connection: it prints the backend's name, then on "send" writes once and
    // prints "echo" if that backend echoed, or the error code.
    const script = `
      const s = require('net').connect(${PORT + 1}, '10.0.1.2'); let got = ''; let sent = false;
      s.on('data', (d) => { got += d; if (!sent && got.includes('\\n')) console.log(got.trim()); else if (sent) { console.log('echo'); process.exit(0); } });
      s.on('error', (e) => { console.log(e.code); process.exit(0); });
      s.on('end', () => { console.log('EOF'); process.exit(0); });
      process.stdin.once('data', () => { sent = true; s.write('ping'); setTimeout(() => { console.log('TIMEOUT'); process.exit(0); }, 5000); });`;
    const client = spawn('ip', ['netns', 'exec', CLIENT, process.execPath, '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    servers.push(client);
    const lines: string[] = [];
    const nextLine = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no line from the client; so far ${JSON.stringify(lines)}`)), 15_000);
        const check = (): void => {
          if (lines.length > 0) {
            clearTimeout(t);
            resolve(lines.shift()!);
          } else setTimeout(check, 20);
        };
        check();
      });
    client.stdout.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter((l) => l !== '')));
    const backendName = await nextLine();
    const index = ['t1', 't2', 't3'].indexOf(backendName);
    assert.ok(index >= 0, `the client reached a backend: ${backendName}`);
    const removed = BACKENDS[index]!;

    const stale = await applyVips(CLIENT, [{ vip: VIP, backends: BACKENDS.filter((b) => b !== removed) }]);
    assert.ok(stale.some((f) => f.vip === '10.0.1.2' && f.backend === `10.0.1.1${index + 1}`), `the flow to the removed backend was found stale: ${JSON.stringify(stale)}`);
    const table = execFileSync('ip', ['netns', 'exec', CLIENT, 'cat', '/proc/net/nf_conntrack']).toString();
    assert.doesNotMatch(table, new RegExp(`dst=10\\.0\\.1\\.2 .*src=10\\.0\\.1\\.1${index + 1} `), 'no entry left for it');
    client.stdin.write('send\n');
    // Without the flush, the removed backend (still listening) would echo. Instead the packet is
    // translated afresh to a live backend, which knows no such connection and resets it.
    assert.equal(await nextLine(), 'ECONNRESET');
    await applyVips(CLIENT, [{ vip: VIP, backends: BACKENDS }]);
  });
});
