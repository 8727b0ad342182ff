/**
 * `shoal join` with a manager token returns once the new manager is a Raft voter, not merely
 * started: a learner does not count toward a quorum, so a leader lost right after a join that
 * returned early could leave the cluster without one (issue 18). The local daemon is asked for
 * the membership as it has applied it: when this node is a voter there, the promotion is
 * committed, so the cluster can elect a leader among its voters without waiting for us.
 */
import { join } from 'node:path';
import { ShoalError } from '../src/errors.js';
import { SOCKET_FILE } from '../src/node/paths.js'; // not manager.js: that would load the whole manager (and SQLite) into the CLI
import type { ListMembersResponse__Output } from '../src/generated/shoal/v1/ListMembersResponse.js';
import { Api, unaryCall } from './client.js';

const VOTER_WAIT_MS = 120_000;
const POLL_MS = 100;
const PROGRESS_EVERY_MS = 2_000;

export async function waitUntilVoter(dataDir: string, raftId: number): Promise<void> {
  const api = new Api(`unix://${join(dataDir, SOCKET_FILE)}`);
  const started = Date.now();
  let lastProgress = started;
  try {
    for (;;) {
      let members: ListMembersResponse__Output | null = null;
      try {
        members = await unaryCall(api.target, (md, o, cb) => api.raft.ListMembers({}, md, o, cb), 5_000);
      } catch {
        // The daemon is still catching up (reads wait for it): ask again.
      }
      const self = members?.members.find((m) => Number(m.raftId) === raftId);
      if (self?.voter) return;
      const now = Date.now();
      if (now - started > VOTER_WAIT_MS) {
        throw new ShoalError(
          'DEADLINE_EXCEEDED',
          `this node joined as a manager but is still catching up after ${VOTER_WAIT_MS / 1000} s; it becomes a voter once it has the log (see MANAGER STATUS in \`shoal node ls\`)`,
        );
      }
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        const info = await api.clusterInfo(2_000).catch(() => null);
        process.stderr.write(`catching up with the cluster (${Math.round((now - started) / 1000)} s${info ? `, at log index ${Number(info.commitIndex)}` : ''}); it becomes a voter once it has caught up…\n`);
        lastProgress = now;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    api.close();
  }
}
