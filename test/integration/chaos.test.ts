/**
 * A 5-manager chaos run through the real CLI (issue 18). First the join guarantee: the fifth
 * manager's `join` returns once it votes, and kill -9 of the leader right after leaves a leader
 * within 2 s. Then concurrent clients run and remove standalone containers and scale a service
 * against random managers while a nemesis kills (-9), pauses (SIGSTOP/SIGCONT) and restarts
 * managers (never more than two down at once). Afterwards, on every manager: every
 * acknowledged write is there (and every acknowledged removal), no container exists whose
 * create failed without saying it may have been applied, and `network check` finds no
 * duplicate, unclaimed or leaked address.
 *
 * SHOAL_CHAOS_SECONDS (default 12) and SHOAL_CHAOS_CLIENTS (default 3) make the long version;
 * its figures are in docs/benchmarks.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unaryCall } from '../../bin/client.js';
import type { CheckNetworksResponse__Output } from '../../src/generated/shoal/v1/CheckNetworksResponse.js';
import type { ListContainersResponse__Output } from '../../src/generated/shoal/v1/ListContainersResponse.js';
import { killStoredTasks } from '../helpers/task-cleanup.js';
import { ProcCluster, sleep, type ManagerProc } from './harness.js';

const SECONDS = Number(process.env['SHOAL_CHAOS_SECONDS'] ?? '12');
const CLIENTS = Number(process.env['SHOAL_CHAOS_CLIENTS'] ?? '3');
const CONTAINER = ['--', '/bin/sh', '-c', 'exec sleep 30'];

const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(Math.random() * xs.length)];

async function firstLeader(among: readonly ManagerProc[], timeoutMs: number): Promise<ManagerProc> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const infos = await Promise.allSettled(among.map((m) => m.api.clusterInfo(500)));
    for (const [i, r] of infos.entries()) if (r.status === 'fulfilled' && r.value.leaderNodeId === among[i]!.nodeId) return among[i]!;
    await sleep(50);
  }
  throw new Error(`no leader among ${among.map((m) => m.name).join(',')} within ${timeoutMs} ms`);
}

interface Ledger {
  acked: Set<string>;
  uncertain: Set<string>;
  failed: Set<string>;
  removed: Set<string>;
  removeUncertain: Set<string>;
  scales: number;
  scaleFailures: number;
  kills: number;
  pauses: number;
  retries: number;
}

test(`5 managers: join then kill the leader, then ${SECONDS} s of chaos with ${CLIENTS} clients`, async () => {
  const c = await ProcCluster.start(4);
  try {
    // --- join returns once the manager votes: a leader within 2 s of killing the leader
    await c.joinManager('m5');
    const { leader } = await c.waitForLeader(5_000);
    const killedAt = Date.now();
    c.kill9(leader);
    await firstLeader(c.running(), 10_000);
    const took = Date.now() - killedAt;
    assert.ok(took <= 2_000, `a leader ${took} ms after kill -9 (want ≤ 2,000)`);
    await c.restart(leader);
    await c.waitForLeader(10_000);

    const m1 = c.managers[0]!;
    assert.equal((await c.cli(m1, ['network', 'create', '--attachable', 'chaos'])).code, 0);
    const svc = await c.cli(m1, ['service', 'create', '--name', 'svc', '--replicas', '2', '--network', 'chaos', '--', '/bin/sh', '-c', 'exec sleep 120']);
    assert.equal(svc.code, 0, svc.stderr);

    const L: Ledger = { acked: new Set(), uncertain: new Set(), failed: new Set(), removed: new Set(), removeUncertain: new Set(), scales: 0, scaleFailures: 0, kills: 0, pauses: 0, retries: 0 };
    const until = Date.now() + SECONDS * 1_000;
    let seq = 0;
    const client = async (id: number): Promise<void> => {
      while (Date.now() < until) {
        const m = pick(c.running());
        if (!m) {
          await sleep(100);
          continue;
        }
        const roll = Math.random();
        const removable = [...L.acked].filter((n) => !L.removed.has(n) && !L.removeUncertain.has(n));
        if (roll < 0.55 || removable.length === 0) {
          const name = `k${id}-${++seq}`;
          const r = await c.cli(m, ['container', 'run', '-d', '--name', name, '--network', 'chaos', ...CONTAINER]);
          L.retries += (r.stderr.match(/^retrying: /gm) ?? []).length;
          if (r.code === 0) L.acked.add(name);
          else if (/may have been applied|was created, but/.test(r.stderr)) L.uncertain.add(name);
          else L.failed.add(name);
        } else if (roll < 0.85) {
          const name = pick(removable)!;
          const r = await c.cli(m, ['container', 'rm', name]);
          if (r.code === 0) L.removed.add(name);
          else L.removeUncertain.add(name);
        } else {
          const r = await c.cli(m, ['service', 'scale', `svc=${Math.floor(Math.random() * 4)}`]);
          if (r.code === 0) L.scales++;
          else L.scaleFailures++;
        }
      }
    };
    const nemesis = async (): Promise<void> => {
      while (Date.now() < until) {
        await sleep(1_500 + Math.random() * 1_500);
        const victim = pick(c.running());
        if (!victim || c.running().length < 4) continue; // at most one down at a time besides the one restarting
        if (Math.random() < 0.6) {
          c.kill9(victim);
          L.kills++;
          await sleep(500 + Math.random() * 1_000);
          await c.restart(victim);
        } else {
          c.pause(victim);
          L.pauses++;
          await sleep(1_000 + Math.random() * 2_000);
          c.resume(victim);
        }
      }
    };
    await Promise.all([nemesis(), ...Array.from({ length: CLIENTS }, (_, i) => client(i + 1))]);
    for (const m of c.managers) if (m.state === 'paused') c.resume(m);
    for (const m of c.managers) if (m.state !== 'running') await c.restart(m);
    await c.waitForLeader(20_000, c.managers);

    // --- every manager agrees, and holds every acknowledged write
    const views: string[][] = [];
    for (const m of c.managers) {
      const list = await unaryCall<ListContainersResponse__Output>(m.api.target, (md, o, cb) => m.api.control.ListContainers({}, md, o, cb), 20_000);
      const names = list.containers.map((x) => x.name).sort();
      views.push(names);
      for (const n of L.acked) if (!L.removed.has(n) && !L.removeUncertain.has(n)) assert.ok(names.includes(n), `${m.name} lacks acknowledged container ${n}`);
      for (const n of L.removed) assert.ok(!names.includes(n), `${m.name} still has removed container ${n}`);
      for (const n of names) assert.ok(L.acked.has(n) || L.uncertain.has(n), `${m.name} has ${n}, whose create failed without saying it may have been applied`);
      for (const x of list.containers) assert.equal(x.attachments.length, 1, `container ${x.name} holds ${x.attachments.length} addresses`);
      const check = await unaryCall<CheckNetworksResponse__Output>(m.api.target, (md, o, cb) => m.api.control.CheckNetworks({ ref: '' }, md, o, cb), 20_000);
      for (const n of check.networks) {
        assert.deepEqual(n.problems, [], `${m.name}: network ${n.name}`);
        assert.deepEqual(n.unclaimed, [], `${m.name}: network ${n.name} has unclaimed addresses`);
      }
    }
    for (const v of views) assert.deepEqual(v, views[0], 'every manager lists the same containers');
    process.stderr.write(
      `# chaos ${SECONDS} s, ${CLIENTS} clients: runs acked ${L.acked.size}, uncertain ${L.uncertain.size}, failed ${L.failed.size}; ` +
        `rm acked ${L.removed.size}, uncertain ${L.removeUncertain.size}; scales ${L.scales} (failed ${L.scaleFailures}); ` +
        `retries ${L.retries}; kills ${L.kills}, pauses ${L.pauses}\n`,
    );
  } finally {
    const dirs = c.managers.map((m) => m.dataDir);
    await c.close();
    for (const d of dirs) killStoredTasks(d);
  }
});
