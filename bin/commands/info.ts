import type { Argv } from 'yargs';
import { resolve } from 'node:path';
import { ShoalError } from '../../src/errors.js';
import { readNodeConfig } from '../../src/manager/node-config.js';
import { describeStatus, readStatus } from '../../src/network/dataplane/node-setup.js';
import { knownManagers } from '../../src/worker/known-managers.js';
import { Api, targetFor, type GlobalArgs } from '../client.js';
import { printJson, renderTable } from '../output.js';
import { roleWord } from '../words.js';

export function registerInfo(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli.command('info', 'Show the cluster, this node, the leader, the managers and the networks on this node', (y) => y, async (a) => {
    // A worker holds no cluster state: ask a manager it knows, about this node.
    const local = readNodeConfig(resolve(a.dataDir));
    const onWorker = !a.host && local?.role === 'worker';
    const manager = onWorker ? knownManagers(resolve(a.dataDir))[0] : undefined;
    if (onWorker && !manager) throw new ShoalError('FAILED_PRECONDITION', 'this worker knows no manager yet; pass one with -H HOST:PORT');
    const api = new Api(manager ?? targetFor(a));
    try {
      const info = await api.clusterInfo(undefined, onWorker && local ? local.nodeId : '');
      const managers = info.managers.map((m) => ({
        id: m.nodeId,
        addr: m.addr,
        raftId: Number(m.raftId),
        leader: m.leader,
        reachability: m.reachability === 'REACHABILITY_REACHABLE' ? 'reachable' : 'unreachable',
        catchingUp: m.catchingUp,
      }));
      const networks = info.nodeNetworks.map((n) => ({ id: n.id, name: n.name, subnet: n.subnet, vxlanId: n.vxlanId }));
      const record = {
        clusterId: info.clusterId,
        nodeId: onWorker && local ? local.nodeId : info.nodeId,
        role: onWorker ? 'worker' : roleWord(info.role),
        leader: info.leaderNodeId,
        raftTerm: Number(info.raftTerm),
        commitIndex: Number(info.commitIndex),
        managers,
        networks,
        // This node's data plane, as its daemon last found it (absent when no daemon ran here).
        dataPlane: local ? readStatus(resolve(a.dataDir)) : null,
      };
      if (a.format === 'json') {
        printJson(record);
        return;
      }
      process.stdout.write(
        `Cluster ID:    ${record.clusterId}\nNode ID:       ${record.nodeId}\nRole:          ${record.role}\n` +
          `Leader:        ${record.leader || '(none)'}\nRaft term:     ${record.raftTerm}\nCommit index:  ${record.commitIndex}\n` +
          (record.dataPlane ? `Data plane:    ${describeStatus(record.dataPlane)}\n` : '') +
          'Managers:\n',
      );
      const table = renderTable(
        ['ID', 'ADDRESS', 'REACHABILITY', 'LEADER', 'VOTING'],
        managers.map((m) => [m.id, m.addr, m.reachability, m.leader ? 'yes' : '', m.catchingUp ? 'no (catching up)' : 'yes']),
      );
      process.stdout.write(table.replace(/^/gm, '  ').trimEnd() + '\n');
      process.stdout.write(networks.length === 0 ? 'Networks on this node: (none)\n' : 'Networks on this node:\n');
      if (networks.length > 0) {
        const nets = renderTable(['NAME', 'SUBNET', 'VXLAN ID'], networks.map((n) => [n.name, n.subnet, String(n.vxlanId)]));
        process.stdout.write(nets.replace(/^/gm, '  ').trimEnd() + '\n');
      }
    } finally {
      api.close();
    }
  });
}
