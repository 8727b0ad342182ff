import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProcCluster, sleep, type ManagerProc } from './harness.js';
import { readLabels, retry, writeLabels } from './workload.js';

const LABEL_NODE = 'm1';

/** Writes `count` labels `${prefix}${i}` through the running managers; every one must be acknowledged. */
async function writeAll(c: ProcCluster, prefix: string, count: number): Promise<void> {
  const via = c.running();
  for (let i = 0; i < count; i++) {
    await retry(`write ${prefix}${i}`, 20_000, () => writeLabels(via[i % via.length]!.api, LABEL_NODE, { [`${prefix}${i}`]: String(i) }));
  }
}

function expectLabels(labels: Record<string, string>, prefix: string, count: number, where: string): void {
  const missing = [];
  for (let i = 0; i < count; i++) if (labels[`${prefix}${i}`] !== String(i)) missing.push(`${prefix}${i}`);
  assert.deepEqual(missing, [], `acknowledged writes missing on ${where}`);
}

function logSince(c: ProcCluster, m: ManagerProc, from: number): string[] {
  return c.logLines(m).slice(from);
}

// Proves recovery from a crash in the middle of a snapshot install: a follower
// that fell behind past compaction (snapshot every 20 entries, 5 kept) is started
// with SHOAL_CRASH_AT so that it SIGKILLs itself (1) right after the received
// snapshot's data file is durable but before raft.db records it, and (2) right
// after raft.db records it but before the state database is replaced. Each time
// it is started again; the last, normal start recovers (restoring the snapshot
// on start, or receiving it again) and serves every acknowledged write.
test('kill -9 in the middle of a snapshot install: the node recovers with every acknowledged write', { timeout: 150_000 }, async (t) => {
  const c = await ProcCluster.start(3, { snapshotEvery: 20, snapshotKeepEntries: 5 });
  t.after(() => c.close());
  const { leader } = await c.waitForLeader(20_000);
  const f = c.managers.find((m) => m !== leader)!;
  await writeAll(c, 'a', 10);
  c.kill9(f);
  await writeAll(c, 'b', 60);

  for (const [k, point] of ['persist:after-snapshot-file', 'persist:after-commit'].entries()) {
    const from = c.logLines(f).length;
    await c.restart(f, { extraEnv: { SHOAL_CRASH_AT: point }, expectCrash: true });
    assert.ok(logSince(c, f, from).some((l) => l.includes('crash-at-fault-point') && l.includes(point)), `${f.name} crashed at ${point}`);
    await writeAll(c, `c${k}-`, 30); // the cluster goes on meanwhile, and compacts further
  }
  const from = c.logLines(f).length;
  await c.restart(f);
  const recovered = logSince(c, f, from);
  assert.ok(recovered.some((l) => /snapshot-restore-on-start|snapshot-installed/.test(l)), 'the restarted node installed a snapshot');
  const labels = await retry(`read on ${f.name}`, 30_000, () => readLabels(f.api, LABEL_NODE));
  expectLabels(labels, 'a', 10, f.name);
  expectLabels(labels, 'b', 60, f.name);
  expectLabels(labels, 'c0-', 30, f.name);
  expectLabels(labels, 'c1-', 30, f.name);
  await c.waitForLeader(20_000);
  const all = await Promise.all(c.managers.map((m) => retry(`read on ${m.name}`, 30_000, () => readLabels(m.api, LABEL_NODE))));
  for (const l of all) assert.deepEqual(l, labels);
});

// Proves that kill -9 in the middle of a write burst loses no acknowledged write:
// 16 clients write unique labels through random managers; the leader is killed
// mid-burst and restarted, then a follower is killed mid-burst and restarted
// (with frequent snapshots, so restarts also cross compaction). At the end every
// acknowledged label is on every manager, including both restarted ones.
test('kill -9 in the middle of a write burst: restarted nodes lose no acknowledged write', { timeout: 150_000 }, async (t) => {
  const c = await ProcCluster.start(3, { snapshotEvery: 50, snapshotKeepEntries: 10 });
  t.after(() => c.close());
  await c.waitForLeader(20_000);
  let stop = false;
  const acked: string[] = [];
  const clients = Array.from({ length: 16 }, async (_, id) => {
    for (let seq = 0; !stop; seq++) {
      const m = c.managers[Math.floor(Math.random() * c.managers.length)]!;
      const key = `k${id}-${seq}`;
      try {
        await writeLabels(m.api, LABEL_NODE, { [key]: '1' }, 3_000);
        acked.push(key);
      } catch {
        await sleep(20);
      }
    }
  });
  await sleep(1_500);
  const { leader } = await c.waitForLeader(20_000);
  c.kill9(leader);
  await sleep(1_500);
  await c.restart(leader);
  await sleep(1_000);
  const { leader: now } = await c.waitForLeader(20_000);
  const follower = c.managers.find((m) => m !== now)!;
  c.kill9(follower);
  await sleep(1_500);
  await c.restart(follower);
  await sleep(1_000);
  stop = true;
  await Promise.all(clients);
  assert.ok(acked.length > 50, `enough writes were acknowledged (${acked.length})`);
  await c.waitForLeader(20_000);
  for (const m of c.managers) {
    const labels = await retry(`read on ${m.name}`, 30_000, () => readLabels(m.api, LABEL_NODE));
    const missing = acked.filter((k) => labels[k] !== '1');
    assert.deepEqual(missing, [], `acknowledged writes missing on ${m.name}`);
  }
});

// Proves that a single manager killed with kill -9 in the middle of a write burst
// restarts with every acknowledged write and goes on writing. Its commit index is
// not written when only it moved (docs/design/storage.md), so raft.db's commit
// index trails what state.db applied; no leader can tell a lone manager the commit
// again, so the restart must raise it to the applied index (logged as
// commit-index-restored) and must not apply past it. With snapshots every 50
// entries the burst also crosses compaction.
test('kill -9 of a lone manager mid-burst: it restarts with every acknowledged write', { timeout: 120_000 }, async (t) => {
  const c = await ProcCluster.start(1, { snapshotEvery: 50, snapshotKeepEntries: 10 });
  t.after(() => c.close());
  const [m] = c.managers;
  await c.waitForLeader(20_000);
  let stop = false;
  const acked: string[] = [];
  const clients = Array.from({ length: 8 }, async (_, id) => {
    for (let seq = 0; !stop; seq++) {
      const key = `s${id}-${seq}`;
      try {
        await writeLabels(m!.api, LABEL_NODE, { [key]: '1' }, 3_000);
        acked.push(key);
      } catch {
        await sleep(20);
      }
    }
  });
  // Kill once the burst has written well past a few snapshots, whatever the machine's speed.
  const deadline = Date.now() + 30_000;
  while (acked.length < 200 && Date.now() < deadline) await sleep(50);
  c.kill9(m!);
  stop = true;
  await Promise.all(clients);
  const ackedBeforeKill = [...acked];
  assert.ok(ackedBeforeKill.length >= 100, `enough writes were acknowledged before the kill (${ackedBeforeKill.length})`);
  const from = c.logLines(m!).length;
  await c.restart(m!);
  await c.waitForLeader(20_000);
  await retry('write after restart', 20_000, () => writeLabels(m!.api, LABEL_NODE, { after: '1' }, 3_000));
  const labels = await retry(`read on ${m!.name}`, 30_000, () => readLabels(m!.api, LABEL_NODE));
  const missing = ackedBeforeKill.filter((k) => labels[k] !== '1');
  assert.deepEqual(missing, [], 'acknowledged writes missing after the restart');
  assert.equal(labels['after'], '1');
  // Not asserted: whether this run's kill landed where raft.db's commit trailed (it nearly always does).
  const restored = logSince(c, m!, from).filter((l) => l.includes('commit-index-restored'));
  t.diagnostic(`commit-index-restored at restart: ${restored.length > 0 ? restored[0] : 'no (at the kill, raft.db had caught up with the applied index)'}`);
});
