/**
 * With the raft log's fsync off the main thread (SqliteLogOptions.deferSync, DurableLog.syncAsync),
 * the node shell must still act on a Ready only after the disk took it. These tests drive a real
 * NodeShell over a real SqliteLogStorage and prove: no vote, append or apply leaves before the sync
 * covering the term, vote and entries it depends on has called back; a proposal arriving while a
 * sync is in flight is batched into the next Ready; stop() during a sync lets nothing through.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeShell } from '../../../src/raft/node-shell.js';
import type { AppStateMachine, ApplyOutcome, MessageSink } from '../../../src/raft/node-shell.js';
import { RawNode, createRandom } from '../../../src/raft/core/index.js';
import type { ConfState, Entry, Message, Snapshot } from '../../../src/raft/core/index.js';
import { makeMessage } from '../../../src/raft/core/messages.js';
import { SqliteLogStorage } from '../../../src/raft/storage/index.js';
import { tempDirs } from '../storage/helpers.js';

const dirs = tempDirs('shell-sync');
after(() => dirs.cleanup());

const CONF: ConfState = { voters: [1, 2, 3], learners: [] };

/** What the last completed sync made durable, as seen when it was requested. */
interface Durable {
  term: number;
  vote: number;
  last: number;
}

/** The replicated application of this test: records what it applied and checks it was durable in the log first. */
class RecordingApp implements AppStateMachine {
  readonly appliedIndexes: number[] = [];
  private index = 0;
  constructor(private readonly durable: () => Durable) {}
  applied(): { index: number; term: number; conf: ConfState } {
    return { index: this.index, term: 0, conf: CONF };
  }
  applyEntries(entries: readonly Entry[]): ApplyOutcome[] {
    for (const e of entries) {
      assert.ok(this.durable().last >= e.index, `entry ${e.index} applied before a sync covered it (synced up to ${this.durable().last})`);
      this.appliedIndexes.push(e.index);
      this.index = e.index;
    }
    return entries.map(() => ({ ok: true, value: null }));
  }
  snapshot(): Snapshot {
    throw new Error('not used: snapshots are off in this test');
  }
  restore(): void {
    throw new Error('not used: snapshots are off in this test');
  }
}

async function waitFor(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function setup(): { shell: NodeShell; log: SqliteLogStorage; sent: Message[]; app: RecordingApp; syncs: { requested: number; done: number } } {
  const log = SqliteLogStorage.open(dirs.make(), { confState: () => CONF, deferSync: true });
  let durable: Durable = { ...log.hardState(), last: log.lastIndex() };
  const syncs = { requested: 0, done: 0 };
  const realSync = log.syncAsync.bind(log);
  log.syncAsync = (done): void => {
    const covers: Durable = { ...log.hardState(), last: log.lastIndex() };
    syncs.requested++;
    realSync((error) => {
      if (!error) durable = covers;
      syncs.done++;
      done(error);
    });
  };
  const sent: Message[] = [];
  const transport: MessageSink = {
    send(messages) {
      for (const m of messages) {
        // A pre-vote changes nothing durable; every other message of this node needs its term (and
        // for a vote, its own vote; for an append, its entries) on disk first.
        if (m.type !== 'pre-vote') assert.ok(durable.term >= m.term, `${m.type} of term ${m.term} sent before the term was synced (${durable.term})`);
        if (m.type === 'vote') assert.equal(durable.vote, 1, 'vote request sent before the own vote was synced');
        for (const e of m.entries) assert.ok(durable.last >= e.index, `append of entry ${e.index} sent before a sync covered it (${durable.last})`);
        sent.push(m);
      }
    },
  };
  const app = new RecordingApp(() => durable);
  const core = new RawNode({ id: 1, storage: log, random: createRandom(7), electionTicks: 1000, heartbeatTicks: 1 });
  const shell = new NodeShell(core, log, app, transport, {
    tickMs: 60_000,
    snapshotEveryEntries: 1_000_000,
    keepEntriesAfterSnapshot: 10,
    requestTimeoutMs: 10_000,
    peerActivityWindowMs: 60_000,
  });
  return { shell, log, sent, app, syncs };
}

/** Elects node 1 by answering its pre-vote and vote requests as node 2. */
async function elect(shell: NodeShell, sent: Message[]): Promise<number> {
  shell.start();
  shell.campaign();
  await waitFor('pre-vote', () => sent.some((m) => m.type === 'pre-vote' && m.to === 2));
  const pre = sent.find((m) => m.type === 'pre-vote' && m.to === 2)!;
  shell.receive([makeMessage('pre-vote-resp', 2, 1, pre.term, {})]);
  await waitFor('vote', () => sent.some((m) => m.type === 'vote' && m.to === 2));
  const vote = sent.find((m) => m.type === 'vote' && m.to === 2)!;
  shell.receive([makeMessage('vote-resp', 2, 1, vote.term, {})]);
  await waitFor('leadership', () => shell.isLeader);
  // Node 2 takes the new leader's first (empty) entry, so the leader replicates to it without probing.
  await waitFor("leader's first append", () => sent.some((m) => m.type === 'append' && m.to === 2 && m.entries.length > 0));
  const first = sent.find((m) => m.type === 'append' && m.to === 2 && m.entries.length > 0)!;
  shell.receive([makeMessage('append-resp', 2, 1, vote.term, { index: first.entries[first.entries.length - 1]!.index })]);
  return vote.term;
}

void describe('node shell with the log fsync off the main thread', () => {
  // Proves votes, appends and applies wait for the sync callback (the assertions sit in the transport and the app).
  void test('nothing is sent or applied before the sync that covers it has called back', async () => {
    const { shell, log, sent, app, syncs } = setup();
    try {
      const term = await elect(shell, sent);
      const write = shell.propose(Buffer.from('x'));
      await waitFor('append of the write', () => sent.some((m) => m.type === 'append' && m.to === 2 && m.entries.some((e) => e.data.byteLength > 0)));
      const index = log.lastIndex();
      shell.receive([makeMessage('append-resp', 2, 1, term, { index })]);
      await write;
      assert.ok(app.appliedIndexes.includes(index));
      assert.ok(syncs.done >= 3, `expected a sync for the vote, the leader's entry and the write (saw ${syncs.done})`);
    } finally {
      shell.stop();
      log.close();
    }
  });

  // Proves group commit: proposals made while a sync is in flight go into one later Ready (one more sync, not one each).
  void test('proposals during an in-flight sync are batched into the next one', async () => {
    const { shell, log, sent, syncs } = setup();
    try {
      const term = await elect(shell, sent);
      await waitFor('idle', () => syncs.done === syncs.requested);
      const before = syncs.requested;
      const writes = [shell.propose(Buffer.from('a'))];
      await waitFor('first sync requested', () => syncs.requested > before);
      // The first sync is now on the thread pool (its callback cannot run before this turn ends).
      for (let i = 0; i < 20; i++) writes.push(shell.propose(Buffer.from(`b${i}`)));
      await waitFor('all appended', () => log.lastIndex() >= 1 + 21 && syncs.done === syncs.requested);
      shell.receive([makeMessage('append-resp', 2, 1, term, { index: log.lastIndex() })]);
      await Promise.all(writes);
      assert.ok(syncs.requested - before <= 3, `21 writes took ${syncs.requested - before} syncs; expected them batched`);
    } finally {
      shell.stop();
      log.close();
    }
  });

  // Proves stop() during a sync: the Ready is never finished (no apply, no send) and the write is refused.
  void test('stop during an in-flight sync finishes nothing', async () => {
    const { shell, log, sent, syncs } = setup();
    try {
      await elect(shell, sent);
      await waitFor('idle', () => syncs.done === syncs.requested);
      const before = syncs.requested;
      const write = shell.propose(Buffer.from('late'));
      await waitFor('sync requested', () => syncs.requested > before);
      shell.stop();
      const sentBefore = sent.length;
      await assert.rejects(write, /shutting down/);
      await waitFor('sync done', () => syncs.done === syncs.requested);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(sent.length, sentBefore, 'a message left after stop()');
    } finally {
      shell.stop();
      log.close();
    }
  });
});
