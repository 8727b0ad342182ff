/**
 * bench:dns, cross-host part (as root): how fast names and VIP balancers follow the cluster, on
 * the data-plane test hosts (3 network namespaces on an underlay, one real Shoal daemon each).
 *
 * A container `watcher` on host 2 asks its node resolver for `tasks.pb` and `tasks.lb` every
 * 5 ms (dns-watch.ts) and `nft monitor` runs in its namespace, so every change is timestamped
 * where a client sees it. The services run on the other hosts.
 * - **Running → resolving on another host.** `pb` (on host 1) is scaled 0 → 1 through the API;
 *   figure: from the task's own `running` status timestamp (the agent's clock: same machine) to
 *   `tasks.pb` answering it on host 2.
 * - **Scale down → VIP no longer sends to removed tasks.** `lb` (hosts 1 and 3) is scaled
 *   3 → 1 through the API; figures from the moment the call is made: the call's return (the
 *   write committed), `tasks.lb` listing one task on host 2, and host 2's balancer rule holding
 *   one backend (`nft monitor`: the transaction is applied, so no new connection goes to a
 *   removed task).
 * - **CLI start.** The scale-ups back to 3 are run through the CLI (`shoal service scale`) and
 *   their wall time is printed apart, since a measurement that starts before the CLI includes it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Api } from '../bin/client.js';
import { getNetwork } from '../bin/commands/network-api.js';
import { readModifyWrite } from '../bin/commands/service.js';
import { ServiceApi } from '../bin/service-api.js';
import { ECHO_SERVER, missingCapability } from '../test/dataplane/netns.js';
import { TestHosts, type Host } from '../test/dataplane/hosts.js';
import { median, percentile } from './stats.js';

const WATCH = join(dirname(fileURLToPath(import.meta.url)), 'dns-watch.js');
const PORT = 7000;

interface Seen {
  readonly at: number;
  readonly what: string;
  readonly value: string;
}

/** Lines from a child, timestamped (Unix ms) as they arrive. */
class Recorder {
  readonly seen: Seen[] = [];
  constructor(
    readonly child: ChildProcess,
    parse: (line: string) => Seen | null,
  ) {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const s = parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        if (s) this.seen.push(s);
      }
    });
  }

  /** The first record after `since` matching `ok`, waiting at most `timeoutMs`. */
  async first(since: number, ok: (s: Seen) => boolean, what: string, timeoutMs = 60_000): Promise<Seen> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.seen.find((x) => x.at >= since && ok(x));
      if (s) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

function summary(label: string, xs: readonly number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${label.padEnd(58)} median ${median(s).toFixed(0).padStart(5)} ms   p90 ${percentile(s, 90).toFixed(0).padStart(5)} ms   max ${s[s.length - 1]!.toFixed(0).padStart(5)} ms   (${s.length} runs)`;
}

export async function propagationBench(rounds: number): Promise<void> {
  const skip = await missingCapability();
  if (skip) {
    console.log(`cross-host propagation: skipped (${skip})`);
    return;
  }
  const env = new TestHosts('bdns');
  const children: ChildProcess[] = [];
  let raw: Api | null = null;
  try {
    const [h1, h2, h3] = (await env.create(3)) as [Host, Host, Host];
    await env.ok(h1, 'init', '--listen-addr', `${h1.addr}:4242`, '--hostname', 'host1');
    const token = (await env.ok(h1, 'join-token', 'worker', '-q')).trim();
    await Promise.all([h2, h3].map((h) => env.ok(h, 'join', '--token', token, '--listen-addr', `${h.addr}:4242`, '--hostname', h.name, `${h1.addr}:4242`)));
    await env.ok(h1, 'network', 'create', '--attachable', 'front');
    const serve = ['--network', 'front', '--', process.execPath, ECHO_SERVER, String(PORT)];
    await env.ok(h1, 'service', 'create', '--name', 'lb', '--replicas', '3', '--constraint', 'node.hostname!=host2', ...serve);
    await env.ok(h1, 'service', 'create', '--name', 'pb', '--replicas', '0', '--constraint', 'node.hostname==host1', ...serve);
    await env.ok(h2, 'run', '-d', '--name', 'watcher', ...serve);
    raw = new Api(`unix://${join(h1.dataDir, 'shoal.sock')}`);
    const api = new ServiceApi(raw);
    const watcherEp = (await getNetwork(raw, 'front')).endpoints.find((e) => e.ownerName === 'watcher')!;
    const ns = `${env.tag(h2)}t-${watcherEp.ownerId}`;
    const server = /nameserver (\S+)/.exec(readFileSync(`/etc/netns/${ns}/resolv.conf`, 'utf8'))![1]!;
    const start = (argv: string[]): ChildProcess => {
      const c = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(c);
      return c;
    };
    const dns = new Recorder(start([process.execPath, WATCH, server, 'tasks.pb', 'tasks.lb']), (l) => {
      const j = JSON.parse(l) as { name: string; at: number; addresses: string[] };
      return { at: j.at, what: j.name, value: String(j.addresses.length) };
    });
    const rules = new Recorder(start(['nft', 'monitor', 'rules']), (l) => {
      const m = / dnat to numgen inc mod (\d+) /.exec(l);
      return m ? { at: Date.now(), what: 'rule', value: m[1]! } : null;
    });
    const scale = (name: string, n: number): Promise<unknown> => readModifyWrite(api, name, (s) => ({ ...s, replicas: n }));
    const pbId = (await api.getService({ ref: 'pb' })).service!.id;
    await dns.first(0, (s) => s.what === 'tasks.lb' && s.value === '3', 'tasks.lb with 3 tasks on host 2');

    const toResolve: number[] = [];
    const nameGone: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = Date.now();
      await scale('pb', 1);
      const seen = await dns.first(t0, (s) => s.what === 'tasks.pb' && s.value === '1', 'tasks.pb to resolve on host 2');
      const task = (await api.listTasks({ serviceIds: [pbId], desiredStates: ['TASK_STATE_RUNNING'] })).tasks.find((t) => t.status?.state === 'TASK_STATE_RUNNING');
      toResolve.push(seen.at - Number(task!.status!.timestampUnixMs));
      const t1 = Date.now();
      await scale('pb', 0);
      nameGone.push((await dns.first(t1, (s) => s.what === 'tasks.pb' && s.value === '0', 'tasks.pb to empty on host 2')).at - t1);
    }

    console.log(`cross-host propagation, 3 test hosts, ${rounds} runs each (watcher on host 2, polling its resolver every 5 ms):`);
    console.log(summary('task running → tasks.pb resolves on another host', toResolve));
    console.log(summary('scale pb 1 → 0 (API call) → tasks.pb empty on host 2', nameGone));

    const apiMs: number[] = [];
    const dnsMs: number[] = [];
    const ruleMs: number[] = [];
    const cliMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const up = Date.now();
      await env.ok(h1, 'service', 'scale', 'lb=3');
      cliMs.push(Date.now() - up);
      if (r > 0) {
        // The first round starts at 3 already (nothing changes then).
        await dns.first(up, (s) => s.what === 'tasks.lb' && s.value === '3', 'tasks.lb back at 3');
        await rules.first(up, (s) => s.value === '3', 'the balancer back at 3');
      }
      const t0 = Date.now();
      await scale('lb', 1);
      apiMs.push(Date.now() - t0);
      dnsMs.push((await dns.first(t0, (s) => s.what === 'tasks.lb' && s.value === '1', 'tasks.lb at 1')).at - t0);
      ruleMs.push((await rules.first(t0, (s) => s.value === '1', 'the balancer at 1 backend')).at - t0);
    }
    console.log(summary('scale lb 3 → 1: API call returns (committed)', apiMs));
    console.log(summary('scale lb 3 → 1 (API call) → tasks.lb lists 1 on host 2', dnsMs));
    console.log(summary('scale lb 3 → 1 (API call) → host 2 balancer has 1 backend', ruleMs));
    console.log(summary('`shoal service scale lb=3` CLI wall time (start to exit)', cliMs));
  } finally {
    for (const c of children) c.kill('SIGKILL');
    raw?.close();
    await env.teardown();
  }
}
