import type { Argv } from 'yargs';
import { ShoalError } from '../../src/errors.js';
import type { Node__Output } from '../../src/generated/shoal/v1/Node.js';
import { readNodeConfig } from '../../src/manager/node-config.js';
import { withApi, type Api, type GlobalArgs } from '../client.js';
import { printJson, printList } from '../output.js';
import { parseKeyValue, toList } from '../parse.js';
import { availabilityWord, reachabilityWord, roleWord, statusWord } from '../words.js';

/** The flat `--format json` record of SPEC.md. */
function nodeRecord(n: Node__Output): Record<string, unknown> {
  const manager = n.role === 'NODE_ROLE_MANAGER';
  return {
    id: n.id,
    hostname: n.hostname,
    role: roleWord(n.role),
    status: statusWord(n.status),
    availability: availabilityWord(n.availability),
    leader: n.leader,
    ...(manager ? { reachability: reachabilityWord(n.reachability) } : {}),
    addr: n.addr,
  };
}

/** "leader", "catching up" (a learner, not voting yet), or the reachability. */
function managerStatus(n: Node__Output): string {
  if (n.role !== 'NODE_ROLE_MANAGER') return '';
  if (n.leader) return 'leader';
  return n.catchingUp ? 'catching up' : reachabilityWord(n.reachability);
}

function nodeFull(n: Node__Output): Record<string, unknown> {
  return { ...nodeRecord(n), ...(n.role === 'NODE_ROLE_MANAGER' ? { catchingUp: n.catchingUp } : {}), labels: n.labels, version: Number(n.version), createdAt: new Date(Number(n.createdUnixMs)).toISOString(), updatedAt: new Date(Number(n.updatedUnixMs)).toISOString(), statusMessage: n.statusMessage };
}

/** `self` names the local node, as in docker. */
function resolveRef(ref: string, a: GlobalArgs): string {
  if (ref !== 'self') return ref;
  const c = readNodeConfig(a.dataDir);
  if (!c) throw new ShoalError('FAILED_PRECONDITION', '"self" names the local node, but this machine has no node');
  return c.nodeId;
}


/** Records the role; the node and the leader converge to it (docs/design/node.md). Says what happened, as docker does. */
async function changeRole(api: Api, ref: string, role: 'NODE_ROLE_MANAGER' | 'NODE_ROLE_WORKER'): Promise<string> {
  const before = (await api.getNode({ ref })).node;
  const name = before?.hostname ?? ref;
  const word = role === 'NODE_ROLE_MANAGER' ? 'manager' : 'worker';
  if (before?.role === role) return `Node ${name} is already a ${word}.`;
  await api.updateNode({ ref, role });
  return role === 'NODE_ROLE_MANAGER' ? `Node ${name} promoted to a manager in the cluster.` : `Manager ${name} demoted in the cluster.`;
}

const AVAILABILITY = { active: 'NODE_AVAILABILITY_ACTIVE', pause: 'NODE_AVAILABILITY_PAUSE', drain: 'NODE_AVAILABILITY_DRAIN' } as const;

export function registerNode(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli.command('node', 'Manage the nodes of the cluster', (y) =>
    y
      .command(['ls', 'list'], 'List nodes', (y2) => y2, (a) =>
        withApi(a, async (api) => {
          const res = await api.listNodes();
          printList(res.nodes.map((n) => ({ ...n, id: n.id })), [
            { header: 'ID', value: (n) => n.id + (n.leader ? ' *' : '') },
            { header: 'HOSTNAME', value: (n) => n.hostname },
            { header: 'STATUS', value: (n) => statusWord(n.status) },
            { header: 'AVAILABILITY', value: (n) => availabilityWord(n.availability) },
            { header: 'MANAGER STATUS', value: (n) => managerStatus(n) },
            { header: 'ADDRESS', value: (n) => n.addr },
          ], { format: a.format, quiet: a.quiet, json: nodeRecord });
        }),
      )
      .command('inspect <nodes..>', 'Show nodes in detail (JSON)', (y2) => y2.positional('nodes', { type: 'string', array: true, demandOption: true }), (a) =>
        withApi(a, async (api) => {
          const out = [];
          for (const ref of a.nodes) out.push(nodeFull((await api.getNode({ ref: resolveRef(ref, a) })).node!));
          printJson(out);
        }),
      )
      .command(
        'update <node>',
        'Change availability or labels of a node',
        (y2) =>
          y2
            .positional('node', { type: 'string', demandOption: true })
            .option('availability', { choices: ['active', 'pause', 'drain'] as const })
            .option('label-add', { type: 'string', default: [] as string[], coerce: toList, describe: 'Add or change a label k=v (repeatable)' })
            .option('label-rm', { type: 'string', default: [] as string[], coerce: toList, describe: 'Remove a label by key (repeatable)' })
            .example('$0 node update --label-add zone=a node-1', 'Label a node'),
        (a) =>
          withApi(a, async (api) => {
            const labelAdd = Object.fromEntries(a.labelAdd.map((kv) => parseKeyValue(kv, '--label-add')));
            const availability = a.availability ? AVAILABILITY[a.availability] : 'NODE_AVAILABILITY_UNSPECIFIED';
            const res = await api.updateNode({ ref: resolveRef(a.node, a), availability, labelAdd, labelRm: a.labelRm });
            process.stdout.write(`${res.node?.id ?? a.node}\n`);
          }),
      )
      .command(['promote <nodes..>'], 'Make nodes managers (each joins Raft, catches up, then votes)', (y2) => y2.positional('nodes', { type: 'string', array: true, demandOption: true }), (a) =>
        withApi(a, async (api) => {
          for (const ref of a.nodes) process.stdout.write(`${await changeRole(api, resolveRef(ref, a), 'NODE_ROLE_MANAGER')}\n`);
        }),
      )
      .command(['demote <nodes..>'], 'Make managers workers (their tasks keep running)', (y2) => y2.positional('nodes', { type: 'string', array: true, demandOption: true }), (a) =>
        withApi(a, async (api) => {
          for (const ref of a.nodes) process.stdout.write(`${await changeRole(api, resolveRef(ref, a), 'NODE_ROLE_WORKER')}\n`);
        }),
      )
      .command(
        ['rm <nodes..>', 'remove <nodes..>'],
        'Remove nodes from the cluster',
        (y2) => y2.positional('nodes', { type: 'string', array: true, demandOption: true }).option('force', { alias: 'f', type: 'boolean', default: false }),
        (a) =>
          withApi(a, async (api) => {
            for (const ref of a.nodes) {
              await api.removeNode({ ref: resolveRef(ref, a), force: a.force });
              process.stdout.write(`${ref}\n`);
            }
          }),
      )
      .demandCommand(1, 'Say what to do with nodes: ls, inspect, update, promote, demote or rm'),
  );
}
