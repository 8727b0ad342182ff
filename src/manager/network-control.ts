import type * as grpc from '@grpc/grpc-js';
import type { ControlClient, ControlHandlers } from '../generated/shoal/v1/Control.js';
import { ShoalError } from '../errors.js';
import { onLeader } from './forward.js';
import { unary } from './grpc-util.js';
import type { Manager } from './manager.js';
import { addAllocatorServices, endpointsOf } from './allocator-service.js';
import { dataPathAddrOf } from './dispatcher.js';
import { checkLabels, checkName, checkStrings, containerStateFromProto, containerToProto, matchesFilter, networkToProto } from './network-view.js';
import { attachmentById, checkNetworks, describedAttachmentsOfOwner, listContainers, listNetworks, resolveContainer, resolveNetwork } from './store/network-queries.js';
import type { Attachment, ContainerRecord } from './store/network-queries.js';
import { IMAGE_CHARS_MAX, PULL_POLICIES } from './store/service-commands.js';
import type Database from 'better-sqlite3';
import { newObjectId } from './tokens.js';
import { parseNetworkOptions } from './network-options.js';
import { containerAliases } from './store/alias-queries.js';
import { checkAliases } from './store/discovery-spec.js';
import { createdId, requestOnce } from './idempotent.js';
import { callerOf } from '../security/authz.js';
import type { ContainerNetworkRequest__Output } from '../generated/shoal/v1/ContainerNetworkRequest.js';
import type { ContainerNetworkRequest } from './store/network-commands.js';
import { checkContainerOwner } from '../security/ownership.js';

const containerNetworksMax = 32;

/** CreateContainer's `networks`, checked: each names a network, at most once. */
function containerNetworks(raw: readonly ContainerNetworkRequest__Output[]): ContainerNetworkRequest[] {
  if (raw.length > containerNetworksMax) throw new ShoalError('INVALID_ARGUMENT', `networks: at most ${containerNetworksMax} networks, got ${raw.length}`);
  return raw.map((n, i) => {
    const network = n.network.trim();
    if (network === '') throw new ShoalError('INVALID_ARGUMENT', `networks[${i}].network: a network ID, ID prefix or name is required`);
    const address = n.requestedAddress.trim();
    return address === '' ? { network } : { network, address };
  });
}

/**
 * Control API methods for networks and containers. Reads are linearizable (m.read) and
 * served by any manager; writes run on the leader (followers forward them) and answer with
 * the object as committed.
 */
export function networkControlHandlers(m: Manager): Partial<ControlHandlers> {
  const controlAt = (addr: string): ControlClient => m.peers.controlAt(addr);
  const containerView = (db: Database.Database, c: ContainerRecord): ReturnType<typeof containerToProto> =>
    ({ ...containerToProto(c, describedAttachmentsOfOwner(db, 'container', c.id)), networkAliases: containerAliases(db, c.id) });

  return {
    GetNetwork: unary(async (req) =>
      m.read((db) => {
        const n = resolveNetwork(db, req.ref, 'ref');
        return {
          network: networkToProto(n),
          endpoints: endpointsOf(db, n.id, n.subnet.prefix, (id) => dataPathAddrOf(m, id)),
          addressesHeld: n.allocHeld,
          addressesCapacity: n.allocCapacity,
        };
      }),
    ),

    CheckNetworks: unary(async (req) =>
      m.read((db) => ({
        networks: checkNetworks(db, req.ref.trim() === '' ? undefined : resolveNetwork(db, req.ref, 'ref').id, Date.now()).map((c) => ({
          ...c,
          unclaimed: [...c.unclaimed],
          problems: [...c.problems],
        })),
      })),
    ),

    ListNetworks: unary(async (req) => {
      const nets = await m.read((db) => listNetworks(db));
      return { networks: nets.filter((n) => matchesFilter(n, req.filter)).map(networkToProto) };
    }),

    CreateNetwork: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.CreateNetwork.bind(c), async () => {
        const once = requestOnce(m, req.requestId, 'network.create');
        if (once.repeat) return { network: networkToProto(resolveNetwork(m.store.db, createdId(once.repeat.result))) };
        const name = checkName('name', req.name);
        const driver = req.driver === '' ? 'overlay' : req.driver;
        if (driver !== 'overlay') throw new ShoalError('INVALID_ARGUMENT', `driver: "${driver}" is not supported; the only driver is overlay`);
        const options = parseNetworkOptions(req.options);
        const result = await m.write({
          ...once.tag,
          op: 'network.create',
          at: Date.now(),
          id: newObjectId(),
          name,
          driver,
          ...(req.subnet !== '' ? { subnet: req.subnet } : {}),
          ...(req.gateway !== '' ? { gateway: req.gateway } : {}),
          ...(req.ipRange !== '' ? { ipRange: req.ipRange } : {}),
          attachable: req.attachable,
          labels: checkLabels('labels', req.labels),
          ...(req.internal ? { internal: true } : {}),
          ...options,
        });
        return { network: networkToProto(resolveNetwork(m.store.db, createdId(result))) };
      }),
    ),

    UpdateNetwork: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.UpdateNetwork.bind(c), async () => {
        const once = requestOnce(m, req.requestId, 'network.update');
        if (once.repeat) return { network: networkToProto(resolveNetwork(m.store.db, req.ref, 'ref')) };
        const n = resolveNetwork(m.store.db, req.ref, 'ref');
        await m.write({
          ...once.tag,
          op: 'network.update',
          at: Date.now(),
          id: n.id,
          version: Number(req.version),
          labelsAdd: checkLabels('label_add', req.labelAdd),
          labelsRemove: checkStrings('label_rm', req.labelRm),
        });
        return { network: networkToProto(resolveNetwork(m.store.db, n.id)) };
      }),
    ),

    RemoveNetwork: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.RemoveNetwork.bind(c), async () => {
        const once = requestOnce(m, req.requestId, 'network.remove');
        if (once.repeat) return {};
        const n = resolveNetwork(m.store.db, req.ref, 'ref');
        await m.write({ ...once.tag, op: 'network.remove', at: Date.now(), id: n.id });
        return {};
      }),
    ),

    GetContainer: unary(async (req) => ({
      container: await m.read((db) => containerView(db, resolveContainer(db, req.ref, 'ref'))),
    })),

    ListContainers: unary(async (req) => {
      const containers = await m.read((db) =>
        listContainers(db)
          .filter((c) => matchesFilter(c, req.filter) && (req.nodeIds.length === 0 || req.nodeIds.includes(c.nodeId)))
          .map((c) => containerView(db, c)),
      );
      return { containers };
    }),

    CreateContainer: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.CreateContainer.bind(c), async () => {
        const once = requestOnce(m, req.requestId, 'container.create');
        if (once.repeat) return { container: containerView(m.store.db, resolveContainer(m.store.db, createdId(once.repeat.result))) };
        if (req.nodeId.trim() === '') throw new ShoalError('INVALID_ARGUMENT', 'node_id: the node the container runs on is required');
        const image = req.image.trim();
        const pull = req.pull.trim();
        if (req.command.trim() === '' && image === '') throw new ShoalError('INVALID_ARGUMENT', 'command: the executable to run is required (or an image)');
        if (image !== '' && (image.length > IMAGE_CHARS_MAX || /\s/.test(image))) throw new ShoalError('INVALID_ARGUMENT', `image: "${image}" is not an image reference (no spaces, at most ${IMAGE_CHARS_MAX} characters)`);
        if (pull !== '' && !(PULL_POLICIES as readonly string[]).includes(pull)) throw new ShoalError('INVALID_ARGUMENT', `pull: unknown pull policy "${pull}" (expected ${PULL_POLICIES.join(', ')})`);
        if (pull !== '' && image === '') throw new ShoalError('INVALID_ARGUMENT', 'pull: a pull policy needs an image');
        const attachmentIds = checkStrings('attachment_ids', req.attachmentIds, 32);
        // The container takes the ID its attachments were made for (AttachNetwork's container_id).
        const owners = new Set(attachmentIds.map((aid) => attachmentById(m.store.db, aid)?.ownerId ?? ''));
        if (owners.has('')) throw new ShoalError('NOT_FOUND', `attachment_ids: attachment ${attachmentIds.find((aid) => !attachmentById(m.store.db, aid)) ?? ''} not found`);
        if (owners.size > 1) throw new ShoalError('INVALID_ARGUMENT', `attachment_ids: the attachments were made for different containers (${[...owners].join(', ')})`);
        const id = [...owners][0] ?? newObjectId();
        const name = req.name === '' ? `c-${id.slice(0, 12)}` : checkName('name', req.name);
        const networks = containerNetworks(req.networks);
        if (networks.length > 0 && attachmentIds.length > 0) {
          throw new ShoalError('INVALID_ARGUMENT', 'networks: give either networks (attached with the container, in one step) or attachment_ids (made beforehand), not both');
        }
        const result = await m.write({
          ...once.tag,
          op: 'container.create',
          at: Date.now(),
          id,
          name,
          nodeId: req.nodeId.trim(),
          command: req.command,
          args: checkStrings('args', req.args),
          env: checkStrings('env', req.env),
          labels: checkLabels('labels', req.labels),
          ...(image !== '' ? { image } : {}),
          ...(pull !== '' ? { pull } : {}),
          attachmentIds,
          aliases: checkAliases('network_aliases', req.networkAliases),
          ...(networks.length > 0 ? { networks } : {}),
        });
        return { container: containerView(m.store.db, resolveContainer(m.store.db, createdId(result))) };
      }),
    ),

    UpdateContainer: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.UpdateContainer.bind(c), async () => {
        const once = requestOnce(m, req.requestId, 'container.update');
        if (once.repeat) return { container: containerView(m.store.db, resolveContainer(m.store.db, req.ref, 'ref')) };
        const c = resolveContainer(m.store.db, req.ref, 'ref');
        checkContainerOwner(callerOf(call.metadata), c);
        const state = containerStateFromProto(req.state);
        await m.write({
          ...once.tag,
          op: 'container.update',
          at: Date.now(),
          id: c.id,
          version: Number(req.version),
          ...(state ? { state } : {}),
          exitCode: req.exitCode,
          labelsAdd: checkLabels('label_add', req.labelAdd),
          labelsRemove: checkStrings('label_rm', req.labelRm),
        });
        return { container: containerView(m.store.db, resolveContainer(m.store.db, c.id)) };
      }),
    ),

    RemoveContainer: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.RemoveContainer.bind(c), async () => {
        const once = requestOnce(m, req.requestId, 'container.remove');
        if (once.repeat) return {};
        const c = resolveContainer(m.store.db, req.ref, 'ref');
        checkContainerOwner(callerOf(call.metadata), c);
        await m.write({ ...once.tag, op: 'container.remove', at: Date.now(), id: c.id });
        return {};
      }),
    ),
  };
}

/** Extra gRPC services of the network layer: ResourceAllocator and the network diagnostics. */
export function addNetworkServices(server: grpc.Server, m: Manager): void {
  addAllocatorServices(server, m);
}

export type { Attachment };
