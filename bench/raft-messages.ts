// Counts the Raft messages and the follower apply batches one write costs, on 3 real managers in
// this process (real SQLite files, real gRPC on loopback): a figure that does not depend on the
// machine's load, beside bench:raft's wall and CPU times (only heartbeats, which are timed, grow with
// slower writes). N clients write (UpdateNode, one label) one after another; the bench reads the
// transports' per-peer counters, tallies the messages the shells hand to their transports by type,
// and counts the followers' applied-index events around the measured writes.
// Usage: node dist/bench/raft-messages.js [--writes 300] [--clients 1,16]
import { startCluster } from '../test/helpers/in-process-cluster.js';
import { writeLabels } from '../test/integration/workload.js';
import type { Manager } from '../src/manager/manager.js';
import type { Message } from '../src/raft/core/types.js';
import { arg } from './stats.js';

const WRITES = Number(arg('writes', '300'));
const CLIENT_COUNTS = arg('clients', '1,16').split(',').map(Number);

/** Messages `from` has handed to its streams towards every other manager so far. */
function sentBy(from: Manager, all: readonly Manager[]): number {
  let n = 0;
  for (const to of all) {
    if (to === from) continue;
    n += from.transport.stats(to.config.raftId)?.main.sentMessages ?? 0;
  }
  return n;
}

async function main(): Promise<void> {
  const c = await startCluster(3);
  try {
    const leader = c.leader();
    const followers = c.followers();
    let followerApplies = 0;
    for (const f of followers) f.shell.onEvent((e) => void (e.type === 'applied' && followerApplies++));
    // Tally what each shell hands its transport, by sender role and type ("append(empty)": no entries).
    const byType = new Map<string, number>();
    for (const m of c.managers) {
      const send = m.transport.send.bind(m.transport);
      m.transport.send = (msgs: readonly Message[]): void => {
        for (const x of msgs) {
          const key = `${m === leader ? 'leader' : 'follower'} ${x.type}${x.type === 'append' && x.entries.length === 0 ? '(empty)' : ''}`;
          byType.set(key, (byType.get(key) ?? 0) + 1);
        }
        send(msgs);
      };
    }
    const nodeIds = c.managers.map((m) => m.config.nodeId);
    const api = c.apis[c.managers.indexOf(leader)]!;
    await writeLabels(api, nodeIds[0]!, { warm: 'up' });
    console.log(`raft-messages: 3 in-process managers, ${WRITES} writes to the leader per level`);
    console.log('clients  leader msgs/write  follower msgs/write  follower apply batches/write');
    for (const clients of CLIENT_COUNTS) {
      const leaderBefore = sentBy(leader, c.managers);
      const followersBefore = followers.reduce((n, f) => n + sentBy(f, c.managers), 0);
      const appliesBefore = followerApplies;
      byType.clear();
      let next = 0;
      await Promise.all(
        Array.from({ length: clients }, async (_, id) => {
          while (next < WRITES) {
            const seq = next++;
            await writeLabels(api, nodeIds[seq % nodeIds.length]!, { bench: `${id}-${seq}` });
          }
        }),
      );
      const leaderMsgs = sentBy(leader, c.managers) - leaderBefore;
      const followerMsgs = followers.reduce((n, f) => n + sentBy(f, c.managers), 0) - followersBefore;
      const applies = followerApplies - appliesBefore;
      console.log(
        `${String(clients).padStart(7)}  ${(leaderMsgs / WRITES).toFixed(2).padStart(17)}  ${(followerMsgs / WRITES).toFixed(2).padStart(19)}  ${(applies / WRITES).toFixed(2).padStart(28)}`,
      );
      console.log(`         by type, per write: ${[...byType].sort().map(([k, n]) => `${k} ${(n / WRITES).toFixed(2)}`).join(', ')}`);
    }
  } finally {
    await c.close();
  }
}

await main();
