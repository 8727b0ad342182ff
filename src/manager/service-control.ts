import type * as grpc from '@grpc/grpc-js';
import type { ControlClient, ControlHandlers } from '../generated/shoal/v1/Control.js';
import type { ListFilter__Output } from '../generated/shoal/v1/ListFilter.js';
import type { Service } from '../generated/shoal/v1/Service.js';
import type { Task } from '../generated/shoal/v1/Task.js';
import { ShoalError } from '../errors.js';
import { loadProtos } from '../proto/load.js';
import { onLeader } from './forward.js';
import { unary } from './grpc-util.js';
import type { Manager } from './manager.js';
import { serviceToProto, specFromProto, taskStateFromProto, taskToProto } from './service-view.js';
import { describedAttachmentsOfOwner } from './store/network-queries.js';
import { vipsOfService } from './store/vip-apply.js';
import {
  listServices,
  listTasks,
  resolveNetworkIds,
  resolveService,
  resolveTask,
  runningCountOf,
  runningCounts,
  serviceById,
  type ServiceRecord,
  type TaskRecord,
} from './store/service-queries.js';
import type { StateStore } from './store/state-store.js';
import { newObjectId } from './tokens.js';
import { watchHandlers } from './watch-service.js';
import { createdId, requestOnce } from './idempotent.js';

type Db = StateStore['db'];

/**
 * Control API methods for services and tasks. Reads are linearizable on any
 * manager; writes run on the leader (followers forward them) and return the
 * object as applied. Scaling is an UpdateService with a new replica count.
 */
export function serviceControlHandlers(m: Manager): Partial<ControlHandlers> {
  const controlAt = (addr: string): ControlClient => m.peers.controlAt(addr);

  return {
    GetService: unary(async (req) => {
      const service = await m.read((db) => serviceView(db, resolveService(db, req.ref)));
      return { service };
    }),

    ListServices: unary(async (req) => {
      const services = await m.read((db) => {
        const running = runningCounts(db);
        return listServices(db)
          .filter((s) => matchesFilter(req.filter, s.name, s.id, s.spec.labels) && (req.stack === '' || s.spec.stack === req.stack))
          .map((s) => withVips(db, serviceToProto(s, running.get(s.id) ?? 0)));
      });
      return { services };
    }),

    CreateService: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.CreateService.bind(c), async () => {
        const db = m.store.db;
        const once = requestOnce(m, req.requestId, 'service.create');
        if (once.repeat) return { service: serviceView(db, resolveService(db, createdId(once.repeat.result))) };
        const networks = resolveNetworkIds(db, req.spec?.networks ?? []);
        const spec = specFromProto(req.spec, networks);
        const result = (await m.write({ ...once.tag, op: 'service.create', at: Date.now(), id: newObjectId(), taskIdSeed: newObjectId(), spec, ...(req.adoptContainer ? { adoptContainer: req.adoptContainer } : {}) })) as { id: string };
        return { service: serviceView(db, mustExist(db, result.id)) };
      }),
    ),

    UpdateService: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.UpdateService.bind(c), async () => {
        const db = m.store.db;
        const once = requestOnce(m, req.requestId, 'service.update');
        if (once.repeat) return { service: serviceView(db, resolveService(db, req.ref)) };
        const current = resolveService(db, req.ref);
        const version = Number(req.version);
        if (!Number.isSafeInteger(version) || version <= 0) {
          throw new ShoalError('INVALID_ARGUMENT', `version: give the version of service ${current.name} you read (now ${current.version}), so that a concurrent change is not overwritten`);
        }
        if (req.rollback) {
          if (!current.previousSpec) throw new ShoalError('FAILED_PRECONDITION', `service ${current.name} has no previous spec to roll back to`);
          await m.write({ ...once.tag, op: 'service.update', at: Date.now(), id: current.id, version, taskIdSeed: newObjectId(), spec: current.previousSpec, rollback: 'requested by the user' });
        } else {
          const spec = specFromProto(req.spec, resolveNetworkIds(db, req.spec?.networks ?? []));
          await m.write({ ...once.tag, op: 'service.update', at: Date.now(), id: current.id, version, taskIdSeed: newObjectId(), spec });
        }
        return { service: serviceView(db, mustExist(db, current.id)) };
      }),
    ),

    RemoveService: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.RemoveService.bind(c), async () => {
        const once = requestOnce(m, req.requestId, 'service.remove');
        if (once.repeat) return {};
        const service = resolveService(m.store.db, req.ref);
        await m.write({ ...once.tag, op: 'service.remove', at: Date.now(), id: service.id });
        return {};
      }),
    ),

    GetTask: unary(async (req) => {
      const [task] = await m.read((db) => tasksView(db, [resolveTask(db, req.ref)]));
      if (!task) throw new Error('invariant: one task in, one task out');
      return { task };
    }),

    ListTasks: unary(async (req) => {
      const desiredStates = req.desiredStates.map((s) => taskStateFromProto('desiredStates', s));
      const tasks = await m.read((db) => {
        const found = listTasks(db, { serviceIds: req.serviceIds, nodeIds: req.nodeIds, desiredStates });
        return tasksView(db, found).filter((t) => matchesFilter(req.filter, t.name ?? '', t.id ?? '', t.labels ?? {}));
      });
      return { tasks };
    }),
  };
}

function serviceView(db: Db, s: ServiceRecord): Service {
  return withVips(db, serviceToProto(s, runningCountOf(db, s.id)));
}

/** A service with its VIPs (one per network in vip mode), read from its VIP attachments. */
function withVips(db: Db, s: Service): Service {
  const virtualIps = vipsOfService(db, s.id ?? '').map((a) => ({ networkId: a.networkId, networkName: a.networkName, address: a.address }));
  return { ...s, virtualIps };
}

function mustExist(db: Db, id: string): ServiceRecord {
  const s = serviceById(db, id);
  // The write just applied on this manager; a missing row here is a bug, not an operating error.
  if (!s) throw new Error(`invariant: service ${id} must exist right after its write applied`);
  return s;
}

/** Tasks with their service's name and labels and their networks' names. */
function tasksView(db: Db, tasks: readonly TaskRecord[]): Task[] {
  const services = new Map<string, ServiceRecord | null>();
  return tasks.map((t) => {
    if (!services.has(t.serviceId)) services.set(t.serviceId, serviceById(db, t.serviceId));
    const s = services.get(t.serviceId) ?? null;
    return taskToProto(t, { serviceName: s?.name ?? t.serviceId, labels: s?.spec.labels ?? {}, attachments: describedAttachmentsOfOwner(db, 'task', t.id) });
  });
}

/** ListFilter semantics (control.proto): each non-empty field must match one of its values. */
function matchesFilter(f: ListFilter__Output | null, name: string, id: string, labels: Readonly<Record<string, string>>): boolean {
  if (!f) return true;
  return (
    (f.names.length === 0 || f.names.includes(name)) &&
    (f.idPrefixes.length === 0 || f.idPrefixes.some((p) => id.startsWith(p))) &&
    Object.entries(f.labels).every(([k, v]) => Object.prototype.hasOwnProperty.call(labels, k) && (v === '' || labels[k] === v))
  );
}

/** Extra gRPC services of the object model: Watch. */
export function addServiceServices(server: grpc.Server, m: Manager): void {
  const protos = loadProtos().grpcObject.shoal.v1;
  server.addService(protos.Watch.service, watchHandlers(m));
}
