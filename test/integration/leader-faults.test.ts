import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProcCluster, sleep, type ManagerProc } from './harness.js';
import { readLabels, retry, writeLabels } from './workload.js';

const LABEL_NODE = 'm1';

async function labelsEverywhere(c: ProcCluster, managers: readonly ManagerProc[]): Promise<Record<string, string>[]> {
  return Promise.all(managers.map((m) => retry(`read labels on ${m.name}`, 30_000, () => readLabels(m.api, LABEL_NODE))));
}

// Proves leader failover and catch-up by snapshot with real processes: kill -9 of
// the leader makes the two survivors elect a new leader that takes writes; the
// killed manager, restarted with `shoal start` after the others snapshotted and
// compacted their logs past what it has (SHOAL_SNAPSHOT_EVERY=20, 5 entries kept),
// installs a snapshot (its log says so) and then serves every write it missed.
test('kill -9 of the leader: new leader, writes go on, the old one catches up by snapshot', { timeout: 150_000 }, async (t) => {
  const c = await ProcCluster.start(3, { snapshotEvery: 20, snapshotKeepEntries: 5 });
  t.after(() => c.close());
  const { leader: old, term: oldTerm } = await c.waitForLeader(20_000);
  const survivors = c.managers.filter((m) => m !== old);
  for (let i = 0; i < 10; i++) await writeLabels(survivors[i % 2]!.api, LABEL_NODE, { [`pre${i}`]: String(i) });

  c.kill9(old);
  const { leader: next, term } = await c.waitForLeader(20_000, survivors);
  assert.notEqual(next, old);
  assert.ok(term > oldTerm, `the new term ${term} is above ${oldTerm}`);
  for (let i = 0; i < 60; i++) {
    await retry(`write post${i}`, 20_000, () => writeLabels(survivors[i % 2]!.api, LABEL_NODE, { [`post${i}`]: String(i) }));
  }

  const logBefore = c.logLines(old).length;
  await c.restart(old);
  await retry('the restarted manager installs a snapshot', 30_000, () => {
    const fresh = c.logLines(old).slice(logBefore);
    if (!fresh.some((l) => /snapshot-installed|snapshot-restore-on-start/.test(l))) return Promise.reject(new Error('no snapshot installed yet'));
    return Promise.resolve();
  });
  const labels = await retry('read through the restarted manager', 30_000, () => readLabels(old.api, LABEL_NODE));
  for (let i = 0; i < 10; i++) assert.equal(labels[`pre${i}`], String(i));
  for (let i = 0; i < 60; i++) assert.equal(labels[`post${i}`], String(i), `post${i} on the restarted manager`);
  await c.waitForLeader(20_000);
  for (const l of await labelsEverywhere(c, c.managers)) assert.deepEqual(l, labels);
});

interface Ack {
  key: string;
  by: ManagerProc;
  at: number;
}

/** Writes unique keys through `m` one after another until stopped; returns the acknowledged ones. */
function writer(prefix: string, pick: () => ManagerProc, stopped: () => boolean): Promise<Ack[]> {
  return (async () => {
    const acks: Ack[] = [];
    for (let i = 0; !stopped(); i++) {
      const m = pick();
      const key = `${prefix}${i}`;
      try {
        await writeLabels(m.api, LABEL_NODE, { [key]: '1' }, 3_000);
        acks.push({ key, by: m, at: Date.now() });
      } catch {
        await sleep(20); // refused or unknown: only acknowledged writes are checked
      }
    }
    return acks;
  })();
}

// Proves that a paused leader cannot acknowledge writes it cannot commit: while
// a client keeps writing straight to the leader process, the leader is SIGSTOPped;
// the two others elect a new leader and take writes; on SIGCONT the old leader
// steps down (its log says so). Every write any manager acknowledged — including
// all acknowledged by the old leader before, during and after the pause — is
// present on every manager at the end.
test('SIGSTOP the leader, then SIGCONT: new leader, old one steps down, no lost acknowledged write', { timeout: 120_000 }, async (t) => {
  const c = await ProcCluster.start(3);
  t.after(() => c.close());
  const { leader: old, term: oldTerm } = await c.waitForLeader(20_000);
  const others = c.managers.filter((m) => m !== old);
  let stop = false;
  const toOld = writer('a', () => old, () => stop);
  const viaOthers = writer('b', () => others[Math.floor(Math.random() * 2)]!, () => stop);
  await sleep(1_000);

  c.pause(old);
  const logBefore = c.logLines(old).length;
  const { leader: next, term } = await c.waitForLeader(20_000, others);
  assert.notEqual(next, old);
  assert.ok(term > oldTerm);
  await sleep(1_500); // writes go on through the new leader while the old one sleeps
  c.resume(old);
  await retry('the old leader steps down', 20_000, () =>
    c.logLines(old).slice(logBefore).some((l) => /stepped-down/.test(l)) ? Promise.resolve() : Promise.reject(new Error('no stepped-down yet')),
  );
  await c.waitForLeader(20_000);
  await sleep(1_000);
  stop = true;
  const acks = [...(await toOld), ...(await viaOthers)];
  assert.ok(acks.some((a) => a.by === old), 'the old leader acknowledged some writes');
  assert.ok(acks.some((a) => a.by !== old), 'the others acknowledged some writes');
  const finals = await labelsEverywhere(c, c.managers);
  for (const [i, l] of finals.entries()) {
    const missing = acks.filter((a) => l[a.key] !== '1').map((a) => `${a.key} (acked by ${a.by.name})`);
    assert.deepEqual(missing, [], `acknowledged writes missing on ${c.managers[i]!.name}`);
  }
  for (const l of finals) assert.deepEqual(l, finals[0]);
});
