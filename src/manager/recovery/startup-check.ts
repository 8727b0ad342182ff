/**
 * A manager that starts asks its peers whether it is still a member.
 *
 * After `init --force-new-cluster` elsewhere, a lost manager that comes back
 * still holds the old membership: together with another lost manager it could
 * elect a leader of its own and serve stale state. The new cluster refuses
 * its Raft traffic (removed-guard.ts), but refusing at the transport cannot
 * stop two old members from agreeing with each other. So before it starts,
 * a manager asks every peer of its recorded membership for the cluster's
 * current managers (a linearizable read there); if a peer of the same cluster
 * answers with a membership that leaves this node out, the start is refused.
 *
 * Only a positive answer refuses: peers that are down, partitioned or without
 * a quorum (no answer within the timeout) let the start go on, as before.
 */
import * as grpc from '@grpc/grpc-js';
import { ShoalError } from '../../errors.js';
import type { GetClusterInfoResponse__Output } from '../../generated/shoal/v1/GetClusterInfoResponse.js';
import { loadProtos } from '../../proto/load.js';
import type { TransportSecurity } from '../../raft/transport/credentials.js';
import type { NodeConfig } from '../node-config.js';
import { readOldMembership } from './quorum-probe.js';

/** How long each peer gets to answer (a start waits at most this long for the check). */
export const MEMBERSHIP_CHECK_TIMEOUT_MS = 1_500;

export async function refuseIfRemoved(dataDir: string, config: NodeConfig, security: TransportSecurity): Promise<void> {
  let old;
  try {
    old = readOldMembership(dataDir);
  } catch {
    return; // no state yet (a manager that joined and never started): nothing to compare
  }
  const self = config.raftId;
  if (![...old.conf.voters, ...old.conf.learners].includes(self)) return;
  const peers = old.members.filter((m) => m.raftId !== self && m.addr !== '');
  const answers = await Promise.all(peers.map(async (p) => ({ peer: p, info: await clusterInfoAt(p.addr, security) })));
  for (const { peer, info } of answers) {
    if (!info || info.clusterId !== config.clusterId || info.managers.length === 0) continue;
    if (info.managers.some((m) => Number(m.raftId) === self)) continue;
    throw new ShoalError(
      'FAILED_PRECONDITION',
      `this manager (raft ID ${self}) was removed from cluster ${config.clusterId}: manager ${peer.hostname} at ${peer.addr} lists ${info.managers.length} manager(s) without it ` +
        '(after `shoal init --force-new-cluster` or `shoal node rm --force`). Its state is stale and it must not start: run `shoal leave --force` here, then `shoal join` with a current token',
    );
  }
}

function clusterInfoAt(addr: string, security: TransportSecurity): Promise<GetClusterInfoResponse__Output | null> {
  const client = new (loadProtos().grpcObject.shoal.v1.Control)(addr, security.channelCredentials());
  return new Promise((resolve) => {
    client.GetClusterInfo({}, new grpc.Metadata(), { deadline: Date.now() + MEMBERSHIP_CHECK_TIMEOUT_MS }, (err, res) => {
      client.close();
      resolve(err || !res ? null : res);
    });
  });
}
