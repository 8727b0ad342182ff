import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { unaryCall, type Api } from '../../bin/client.js';
import type { CreateNetworkResponse__Output } from '../../src/generated/shoal/v1/CreateNetworkResponse.js';
import type { CreateContainerResponse__Output } from '../../src/generated/shoal/v1/CreateContainerResponse.js';
import type { Manager } from '../../src/manager/manager.js';
import { attachmentsOfNetwork, listContainers } from '../../src/manager/store/network-queries.js';
import { startCluster, waitFor, type TestCluster } from '../helpers/in-process-cluster.js';

function createNetwork(api: Api, name: string, requestId = ''): Promise<CreateNetworkResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.CreateNetwork({ name, attachable: true, requestId }, md, o, cb), 15_000);
}

function createContainer(api: Api, name: string, nodeId: string, requestId: string): Promise<CreateContainerResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.CreateContainer({ name, nodeId, command: 'sleep', networks: [{ network: 'shared' }], requestId }, md, o, cb), 15_000);
}

function apiOf(c: TestCluster, m: Manager): Api {
  return c.apis[c.managers.indexOf(m)]!;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('the call succeeded; an error was expected');
}

describe('errors name the real cause (in-process managers)', () => {
  // Proves a write whose leader lost leadership before it committed (another leader's entry took
  // its index) fails with that cause, said once, stating it was not applied.
  test('leadership change before commit', async () => {
    const c = await startCluster(3);
    try {
      const leader = c.leader();
      // Cut the leader's outgoing Raft traffic: its proposal cannot commit, the others elect anew.
      for (const f of c.followers()) leader.transport.setPeer(f.config.raftId, '127.0.0.1:1');
      const pending = rejection(createNetwork(apiOf(c, leader), 'lost'));
      const others = c.followers();
      await waitFor(() => others.some((m) => m.shell.isLeader), 10_000, 'the others to elect a leader');
      // Heal: the old leader hears the new term, steps down, and its uncommitted entry is replaced.
      leader.syncPeers();
      const err = await pending;
      assert.equal(err.message, 'leadership changed before the write committed; it was not applied — retry');
      const fresh = c.managers.find((m) => m.shell.isLeader)!;
      assert.equal((await createNetwork(apiOf(c, fresh), 'lost')).network?.name, 'lost', 'and a retry succeeds');
    } finally {
      await c.close();
    }
  });

  // Proves a manager without a leader first says an election is in progress, and once elections
  // keep failing says that a quorum cannot be reached — each stating the write was not applied.
  test('no leader yet, then quorum loss', async () => {
    const c = await startCluster(3);
    try {
      const [survivor, ...others] = c.managers as [Manager, ...Manager[]];
      for (const m of others) await m.close();
      await waitFor(() => survivor.shell.leaderId === 0, 10_000, 'the survivor to know no leader');
      const early = await rejection(createNetwork(c.apis[0]!, 'x'));
      assert.equal(early.message, 'no leader yet: an election is in progress; the write was not applied');
      await new Promise((r) => setTimeout(r, 3_500));
      const late = await rejection(createNetwork(c.apis[0]!, 'x'));
      assert.match(late.message, /^no leader can be elected: for \d+\.\d s no election has succeeded, so fewer than a quorum \(2 of 3\) of the managers can reach each other; the write was not applied$/);
    } finally {
      await c.close();
    }
  });
});

describe('request IDs through the API (in-process managers)', () => {
  // Proves a create repeated with the same request ID — through a follower, then through the
  // leader, then after a leader change and after a snapshot — acts once and answers the same
  // container each time.
  test('a repeated create acts once, across followers, leader change and snapshot', async () => {
    const c = await startCluster(3);
    try {
      const leader = c.leader();
      const follower = c.followers()[0]!;
      await createNetwork(apiOf(c, leader), 'shared');
      const first = await createContainer(apiOf(c, follower), 'web', follower.config.nodeId, 'req-web-1');
      const viaLeader = await createContainer(apiOf(c, leader), 'web', follower.config.nodeId, 'req-web-1');
      assert.equal(viaLeader.container?.id, first.container?.id);
      // A leader change: the old leader hands over (transfer), the new one answers the repeat.
      const target = c.followers().find((m) => m !== follower) ?? follower;
      leader.shell.transferLeadership(target.config.raftId);
      await waitFor(() => target.shell.isLeader, 10_000, 'the transfer');
      // A snapshot on every manager: the remembered IDs live in state.db, which is the snapshot.
      for (const m of c.managers) m.store.snapshot();
      const afterChange = await createContainer(apiOf(c, leader), 'web', follower.config.nodeId, 'req-web-1');
      assert.equal(afterChange.container?.id, first.container?.id);
      for (const m of c.managers) {
        await waitFor(() => m.shell.applied >= target.shell.applied, 5_000, 'every manager to catch up');
        assert.equal(listContainers(m.store.db).length, 1, 'one container on every manager');
        assert.equal(attachmentsOfNetwork(m.store.db, first.container!.attachments[0]!.networkId).length, 1, 'one address');
      }
      // Another request ID is another write: the name is taken now.
      const dup = await rejection(createContainer(apiOf(c, target), 'web', follower.config.nodeId, 'req-web-2'));
      assert.match(dup.message, /already exists/);
      const bad = await rejection(createContainer(apiOf(c, target), 'web2', follower.config.nodeId, 'bad id!'));
      assert.equal(bad.message, `request_id: "bad id!" is not a valid request ID (1-128 letters, digits, '_', '.' or '-')`);
    } finally {
      await c.close();
    }
  });
});
