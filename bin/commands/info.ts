import type { Argv } from 'yargs';
import { Api, targetFor, type GlobalArgs } from '../client.js';
import { printJson, renderTable } from '../output.js';
import { roleWord } from '../words.js';

export function registerInfo(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli.command('info', 'Show the cluster, this node, the leader and the managers', (y) => y, async (a) => {
    const api = new Api(targetFor(a));
    try {
      const info = await api.clusterInfo();
      const managers = info.managers.map((m) => ({
        id: m.nodeId,
        addr: m.addr,
        raftId: Number(m.raftId),
        leader: m.leader,
        reachability: m.reachability === 'REACHABILITY_REACHABLE' ? 'reachable' : 'unreachable',
      }));
      const record = {
        clusterId: info.clusterId,
        nodeId: info.nodeId,
        role: roleWord(info.role),
        leader: info.leaderNodeId,
        raftTerm: Number(info.raftTerm),
        commitIndex: Number(info.commitIndex),
        managers,
      };
      if (a.format === 'json') {
        printJson(record);
        return;
      }
      process.stdout.write(
        `Cluster ID:    ${record.clusterId}\nNode ID:       ${record.nodeId}\nRole:          ${record.role}\n` +
          `Leader:        ${record.leader || '(none)'}\nRaft term:     ${record.raftTerm}\nCommit index:  ${record.commitIndex}\nManagers:\n`,
      );
      const table = renderTable(
        ['ID', 'ADDRESS', 'REACHABILITY', 'LEADER'],
        managers.map((m) => [m.id, m.addr, m.reachability, m.leader ? 'yes' : '']),
      );
      process.stdout.write(table.replace(/^/gm, '  ').trimEnd() + '\n');
    } finally {
      api.close();
    }
  });
}
