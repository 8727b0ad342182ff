import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { checkHistory, type Operation } from '../lin/checker.js';
import { simKvModel, type SimKvInput, type SimKvOutput } from '../lin/models.js';
import { ProcCluster, sleep, type ManagerProc } from './harness.js';
import { readLabels, retry, writeDefinitelyFailed, writeLabels } from './workload.js';

const FAULT_SECONDS = Number(process.env['SHOAL_FAULT_SECONDS'] ?? '60');
const CLIENTS = 5;
const NODES = ['m1', 'm2', 'm3'] as const;
const LABELS = ['x', 'y'] as const;
const OP_TIMEOUT_MS = 3_000;
const OPS_PER_CLIENT_MAX = 100_000;

type Op = Operation<SimKvInput, SimKvOutput>;

/** A write as the client saw it; `applied` is settled from the final state for unknown outcomes. */
interface WriteRecord {
  readonly op: Op;
  readonly node: string;
  readonly uniqueKey: string;
  readonly outcome: 'ok' | 'failed' | 'unknown';
}

interface ClientLog {
  readonly reads: Op[];
  readonly writes: WriteRecord[];
}

function pick<T>(xs: readonly T[]): T {
  const x = xs[Math.floor(Math.random() * xs.length)];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
}

/** One client: random reads and writes of random registers through random managers, one at a time. */
async function runClient(c: ProcCluster, clientId: number, stopped: () => boolean): Promise<ClientLog> {
  const log: ClientLog = { reads: [], writes: [] };
  for (let seq = 0; seq < OPS_PER_CLIENT_MAX && !stopped(); seq++) {
    const m = pick(c.managers);
    const node = pick(NODES);
    const label = pick(LABELS);
    const key = `${node}/${label}`;
    const call = performance.now();
    if (Math.random() < 0.5) {
      try {
        const labels = await readLabels(m.api, node, OP_TIMEOUT_MS);
        const value = labels[label];
        log.reads.push({ clientId, input: { op: 'get', key }, output: value === undefined ? {} : { value }, call, return: performance.now() });
      } catch {
        // A failed read changes nothing: it is left out of the history.
      }
    } else {
      const value = `${clientId}-${seq}`;
      const uniqueKey = `w-${clientId}-${seq}`;
      let outcome: WriteRecord['outcome'] = 'ok';
      let ret = Infinity;
      try {
        await writeLabels(m.api, node, { [label]: value, [uniqueKey]: '1' }, OP_TIMEOUT_MS);
        ret = performance.now();
      } catch (e) {
        outcome = writeDefinitelyFailed(e) ? 'failed' : 'unknown';
      }
      log.writes.push({ op: { clientId, input: { op: 'put', key, value }, output: {}, call, return: ret }, node, uniqueKey, outcome });
    }
    if (Math.random() < 0.5) await sleep(10); // a short pause now and then bounds the history on a busy machine
  }
  return log;
}

interface NemesisLog {
  kills: number;
  pauses: number;
}

/** Kills (-9) or pauses one manager at a time — the leader half of the time — then heals it. */
async function runNemesis(c: ProcCluster, stopped: () => boolean): Promise<NemesisLog> {
  const log: NemesisLog = { kills: 0, pauses: 0 };
  while (!stopped()) {
    await sleep(1_500 + Math.random() * 2_000);
    if (stopped()) break;
    let victim: ManagerProc = pick(c.managers);
    if (Math.random() < 0.5) {
      const l = await c.waitForLeader(5_000).catch(() => null);
      if (l) victim = l.leader;
    }
    if (Math.random() < 0.5) {
      c.kill9(victim);
      log.kills++;
      await sleep(1_000 + Math.random() * 2_000);
      await c.restart(victim);
    } else {
      c.pause(victim);
      log.pauses++;
      await sleep(1_000 + Math.random() * 2_500);
      c.resume(victim);
    }
  }
  return log;
}

// Proves linearizability and durability under process faults: 5 clients read and
// write 6 registers (labels x,y on 3 nodes) through random managers of a
// 3-manager cluster while a nemesis kill -9s (then `shoal start`s) or SIGSTOPs
// (then SIGCONTs) a manager — often the leader — every few seconds; snapshots
// are taken every 50 entries so restarts catch up by snapshot. Every write also
// adds a unique label, which settles at the end whether an unknown-outcome write
// was applied. The history (plus final reads on every manager) is checked with
// the linearizability checker, every acknowledged write must be present on every
// manager, and all managers must hold the same labels.
test(`fault run: ${FAULT_SECONDS} s of kills and pauses, linearizable and nothing acknowledged lost`, { timeout: (FAULT_SECONDS + 180) * 1000 }, async (t) => {
  const c = await ProcCluster.start(3, { snapshotEvery: 50, snapshotKeepEntries: 10 });
  t.after(() => c.close());
  await c.waitForLeader(20_000);
  const end = Date.now() + FAULT_SECONDS * 1000;
  const stopped = (): boolean => Date.now() > end;
  const clients = Array.from({ length: CLIENTS }, (_, i) => runClient(c, i + 1, stopped));
  const nemesis = await runNemesis(c, stopped);
  const logs = await Promise.all(clients);

  // Heal, then read the final state through every manager.
  for (const m of c.managers) {
    if (m.state === 'paused') c.resume(m);
    if (m.state === 'killed') await c.restart(m);
  }
  await c.waitForLeader(30_000);
  // Requests that sat in a paused manager's socket may still be served after their deadline: let them drain.
  await sleep(3_000);
  const finalOps: Op[] = [];
  const finals = new Map<string, Record<string, string>[]>();
  for (const node of NODES) {
    const perManager: Record<string, string>[] = [];
    for (const m of c.managers) {
      const call = performance.now();
      const labels = await retry(`final read of ${node} on ${m.name}`, 30_000, () => readLabels(m.api, node, OP_TIMEOUT_MS));
      const ret = performance.now();
      for (const label of LABELS) {
        const v = labels[label];
        finalOps.push({ clientId: 0, input: { op: 'get', key: `${node}/${label}` }, output: v === undefined ? {} : { value: v }, call, return: ret });
      }
      perManager.push(labels);
    }
    finals.set(node, perManager);
    for (const l of perManager) assert.deepEqual(l, perManager[0], `every manager holds the same labels on ${node}`);
  }

  // Every acknowledged write is present everywhere; unknown ones are settled by their unique label.
  const history: Op[] = [...finalOps];
  let acked = 0;
  let unknownApplied = 0;
  let unknownLost = 0;
  for (const w of logs.flatMap((l) => l.writes)) {
    const present = finals.get(w.node)!.every((labels) => labels[w.uniqueKey] === '1');
    if (w.outcome === 'ok') {
      acked++;
      assert.ok(present, `acknowledged write ${w.uniqueKey} (${w.op.input.key}=${w.op.input.value ?? ''}) is missing`);
      history.push(w.op);
    } else if (present) {
      assert.notEqual(w.outcome, 'failed', `write ${w.uniqueKey} was refused but applied`);
      unknownApplied++;
      history.push(w.op); // applied at some point after its call: return stays Infinity
    } else {
      if (w.outcome === 'unknown') unknownLost++;
    }
  }
  history.push(...logs.flatMap((l) => l.reads));
  const started = Date.now();
  const verdict = checkHistory(simKvModel, history, { timeoutMs: 60_000 });
  t.diagnostic(
    `${FAULT_SECONDS} s: ${nemesis.kills} kills, ${nemesis.pauses} pauses; ${history.length} ops checked ` +
      `(${acked} acked writes, ${unknownApplied} unknown-but-applied, ${unknownLost} unknown-not-applied, ` +
      `${logs.reduce((n, l) => n + l.reads.length, 0)} reads); checker ${Date.now() - started} ms: ${verdict.result}`,
  );
  if (verdict.result === 'illegal') assert.fail(`not linearizable: ${verdict.explanation}`);
  assert.equal(verdict.result, 'ok', 'the checker decided');
  assert.ok(acked > 50, `enough writes were acknowledged (${acked})`);
  assert.ok(nemesis.kills + nemesis.pauses >= Math.floor(FAULT_SECONDS / 15), `the nemesis injected faults (${nemesis.kills + nemesis.pauses})`);
});
