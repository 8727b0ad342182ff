import type { Argv } from 'yargs';
import { ShoalError } from '../../src/errors.js';
import type { Network__Output } from '../../src/generated/shoal/v1/Network.js';
import type { Container__Output } from '../../src/generated/shoal/v1/Container.js';
import { withApi, type GlobalArgs } from '../client.js';
import { printJson, printList, renderTable } from '../output.js';
import { parseKeyValue, toList } from '../parse.js';
import { enumWord } from '../words.js';
import * as net from './network-api.js';
import { addContainerLifecycle } from './container-run.js';

/** The flat `--format json` record of SPEC.md. */
function networkRecord(n: Network__Output): Record<string, unknown> {
  return { id: n.id, name: n.name, driver: n.driver, subnet: n.subnet, gateway: n.gateway, attachable: n.attachable, vxlanId: n.vxlanId };
}

function containerRecord(c: Container__Output): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    node: c.nodeId,
    state: enumWord(c.state, 'CONTAINER_STATE_'),
    addresses: c.attachments.map((a) => ({ network: a.networkName, ip: a.address })),
  };
}


export function registerNetwork(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli.command('network', 'Manage overlay networks', (y) =>
    y
      .command(
        'create <name>',
        'Create an overlay network',
        (y2) =>
          y2
            .positional('name', { type: 'string', demandOption: true })
            .option('driver', { alias: 'd', type: 'string', default: 'overlay', describe: 'Network driver (only overlay)' })
            .option('subnet', { type: 'string', describe: 'Subnet in CIDR form (default: from the default address pool)' })
            .option('gateway', { type: 'string', describe: 'Gateway address (default: the first host address)' })
            .option('ip-range', { type: 'string', describe: 'Allocate endpoint addresses from this sub-range (CIDR)' })
            .option('attachable', { type: 'boolean', default: false, describe: 'Allow standalone containers to attach' })
            .option('internal', { type: 'boolean', default: false, describe: 'No egress: endpoints reach only this network, not the node or beyond' })
            .option('opt', { alias: 'o', type: 'string', default: [] as string[], coerce: toList, describe: 'Driver option k=v (repeatable); known: mtu=576..9000' })
            .option('label', { type: 'string', default: [] as string[], coerce: toList, describe: 'Set a label k=v (repeatable)' })
            .example('$0 network create --subnet 10.1.0.0/24 --attachable backend', 'A network standalone containers can join')
            .example('$0 network create --internal --opt mtu=1400 db', 'No egress, smaller packets'),
        (a) =>
          withApi(a, async (api) => {
            const labels = Object.fromEntries(a.label.map((kv) => parseKeyValue(kv, '--label')));
            const options = Object.fromEntries(a.opt.map((kv) => parseKeyValue(kv, '--opt')));
            const res = await net.createNetwork(api, {
              name: a.name,
              driver: a.driver,
              subnet: a.subnet ?? '',
              gateway: a.gateway ?? '',
              ipRange: a.ipRange ?? '',
              attachable: a.attachable,
              labels,
              internal: a.internal,
              options,
            });
            process.stdout.write(`${res.network?.id ?? ''}\n`);
          }),
      )
      .command(['ls', 'list'], 'List networks', (y2) => y2, (a) =>
        withApi(a, async (api) => {
          const res = await net.listNetworks(api);
          printList(res.networks, [
            { header: 'NETWORK ID', value: (n) => n.id.slice(0, 12) },
            { header: 'NAME', value: (n) => n.name },
            { header: 'DRIVER', value: (n) => n.driver },
            { header: 'SUBNET', value: (n) => n.subnet },
            { header: 'GATEWAY', value: (n) => n.gateway },
            { header: 'ATTACHABLE', value: (n) => (n.attachable ? 'true' : 'false') },
            { header: 'INTERNAL', value: (n) => (n.internal ? 'true' : 'false') },
            { header: 'VXLAN ID', value: (n) => String(n.vxlanId) },
          ], { format: a.format, quiet: a.quiet, json: networkRecord });
        }),
      )
      .command('inspect <networks..>', 'Show networks in detail with every endpoint (JSON)', (y2) => y2.positional('networks', { type: 'string', array: true, demandOption: true }), (a) =>
        withApi(a, async (api) => {
          const out = [];
          for (const ref of a.networks) {
            const r = await net.getNetwork(api, ref);
            const n = r.network as Network__Output;
            out.push({
              ...networkRecord(n),
              ipRange: n.ipRange,
              internal: n.internal,
              options: n.options,
              labels: n.labels,
              version: Number(n.version),
              createdAt: new Date(Number(n.createdUnixMs)).toISOString(),
              updatedAt: new Date(Number(n.updatedUnixMs)).toISOString(),
              addresses: { held: r.addressesHeld, capacity: r.addressesCapacity },
              endpoints: r.endpoints.map((e) => ({
                id: e.id,
                kind: enumWord(e.kind, 'ENDPOINT_KIND_'),
                owner: e.ownerId,
                ownerName: e.ownerName,
                node: e.nodeId,
                nodeHostname: e.nodeHostname,
                nodeStatus: e.nodeStatus,
                nodeDown: e.nodeDown,
                address: e.address,
                dataPathAddr: e.dataPathAddr,
              })),
            });
          }
          printJson(out);
        }),
      )
      .command(['rm <networks..>', 'remove <networks..>'], 'Remove networks (refused while in use)', (y2) => y2.positional('networks', { type: 'string', array: true, demandOption: true }), (a) =>
        withApi(a, async (api) => {
          for (const ref of a.networks) {
            await net.removeNetwork(api, ref);
            process.stdout.write(`${ref}\n`);
          }
        }),
      )
      .command('check [network]', 'Check address allocation consistency (no duplicates, no strays, no orphans)', (y2) => y2.positional('network', { type: 'string' }), (a) =>
        withApi(a, async (api) => {
          const r = await net.checkNetworks(api, a.network ?? '');
          if (a.format === 'json') printJson(r.networks);
          else {
            const rows = r.networks.map((c) => [c.name, String(c.endpoints), String(c.unclaimed.length), c.problems.length === 0 ? 'ok' : `${c.problems.length} problem(s)`]);
            process.stdout.write(renderTable(['NETWORK', 'ENDPOINTS', 'UNCLAIMED', 'RESULT'], rows));
            for (const c of r.networks) for (const p of c.problems) process.stdout.write(`${c.name}: ${p}\n`);
          }
          const bad = r.networks.filter((c) => c.problems.length > 0);
          if (bad.length > 0) throw new ShoalError('INTERNAL', `the address allocation of ${bad.map((c) => `"${c.name}"`).join(', ')} is inconsistent (see above)`);
        }),
      )
      .demandCommand(1, 'Say what to do with networks: create, ls, inspect, rm or check'),
  );
}

export function registerContainer(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli.command('container', 'Manage standalone containers', (y) =>
    addContainerLifecycle(y)
      .command(['ls', 'list', 'ps'], 'List standalone containers', (y2) => y2, (a) =>
        withApi(a, async (api) => {
          const res = await net.listContainers(api);
          printList(res.containers, [
            { header: 'CONTAINER ID', value: (c) => c.id.slice(0, 12) },
            { header: 'NAME', value: (c) => c.name },
            { header: 'NODE', value: (c) => c.nodeId.slice(0, 12) },
            { header: 'STATE', value: (c) => enumWord(c.state, 'CONTAINER_STATE_') },
            { header: 'ADDRESSES', value: (c) => c.attachments.map((x) => `${x.networkName}=${x.address}`).join(', ') },
          ], { format: a.format, quiet: a.quiet, json: containerRecord });
        }),
      )
      .command('inspect <containers..>', 'Show containers in detail (JSON)', (y2) => y2.positional('containers', { type: 'string', array: true, demandOption: true }), (a) =>
        withApi(a, async (api) => {
          const out = [];
          for (const ref of a.containers) {
            const c = (await net.getContainer(api, ref)).container!;
            out.push({
              ...containerRecord(c),
              command: c.command,
              args: c.args,
              env: c.env,
              ...(c.image !== '' ? { image: c.image, pull: c.pull || 'missing' } : {}),
              exitCode: c.exitCode,
              labels: c.labels,
              version: Number(c.version),
              attachments: c.attachments.map((x) => ({ id: x.id, network: x.networkName, networkId: x.networkId, address: x.address, gateway: x.gateway, subnet: x.subnet, vxlanId: x.vxlanId })),
              networkAliases: c.networkAliases,
            });
          }
          printJson(out);
        }),
      )
      .command(['rm <containers..>', 'remove <containers..>'], 'Remove containers and free their addresses', (y2) => y2.positional('containers', { type: 'string', array: true, demandOption: true }), (a) =>
        withApi(a, async (api) => {
          for (const ref of a.containers) {
            await net.removeContainer(api, ref);
            process.stdout.write(`${ref}\n`);
          }
        }),
      )
      .demandCommand(1, 'Say what to do with containers: run, ls, inspect, logs, stop or rm'),
  );
}
