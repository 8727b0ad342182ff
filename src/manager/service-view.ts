/**
 * Services and tasks between the wire (generated proto types) and the store
 * (service-commands.ts records): stored records to API objects, and a
 * client's ServiceSpec to a checked ServiceSpecRecord. Every bad field is an
 * INVALID_ARGUMENT error that names it.
 */
import type { Service } from '../generated/shoal/v1/Service.js';
import type { ServiceSpec__Output } from '../generated/shoal/v1/ServiceSpec.js';
import type { Task } from '../generated/shoal/v1/Task.js';
import type { TaskState as ProtoTaskState } from '../generated/shoal/v1/TaskState.js';
import type { TaskStatus } from '../generated/shoal/v1/TaskStatus.js';
import type { TaskTemplate } from '../generated/shoal/v1/TaskTemplate.js';
import type { UpdateConfig, UpdateConfig__Output } from '../generated/shoal/v1/UpdateConfig.js';
import { ShoalError } from '../errors.js';
import {
  TASK_STATES,
  validateServiceSpec,
  type PullPolicy,
  type RestartCondition,
  type ServiceMode,
  type ServiceSpecRecord,
  type TaskState,
  type TaskTemplateSpec,
  type UpdateConfigSpec,
  type UpdateFailureAction,
  type UpdateOrder,
} from './store/service-commands.js';
import type { Attachment } from './store/attachments.js';
import { ENDPOINT_MODES } from './store/discovery-spec.js';
import type { ServiceRecord, TaskRecord, TaskStatusRecord } from './store/service-queries.js';

const MODES: readonly ServiceMode[] = ['replicated', 'global'];
const CONDITIONS: readonly RestartCondition[] = ['any', 'on-failure', 'none'];
const ORDERS: readonly UpdateOrder[] = ['stop-first', 'start-first'];
const FAILURE_ACTIONS: readonly UpdateFailureAction[] = ['pause', 'continue', 'rollback'];

/**
 * A proto enum value (its name with `prefix`, or its number) as a stored
 * word. `words` are in proto order starting at number 1; 0/UNSPECIFIED gives
 * `unspecified` (undefined = the field is required).
 */
export function enumFromProto<T extends string>(field: string, value: unknown, prefix: string, words: readonly T[], unspecified: T | undefined): T {
  const fail = (): never => {
    throw new ShoalError('INVALID_ARGUMENT', `${field}: unknown value ${JSON.stringify(value)} (expected one of ${words.join(', ')})`);
  };
  if (value === undefined || value === 0 || value === `${prefix}UNSPECIFIED`) return unspecified ?? fail();
  if (typeof value === 'number') return words[value - 1] ?? fail();
  if (typeof value === 'string' && value.startsWith(prefix)) {
    const word = value.slice(prefix.length).toLowerCase().replace(/_/g, '-');
    const hit = words.find((w) => w === word);
    if (hit) return hit;
  }
  return fail();
}

export function enumToProto(word: string, prefix: string): string {
  return prefix + word.toUpperCase().replace(/-/g, '_');
}

export function taskStateToProto(s: TaskState): ProtoTaskState {
  return enumToProto(s, 'TASK_STATE_') as ProtoTaskState;
}

export function taskStateFromProto(field: string, v: unknown): TaskState {
  return enumFromProto(field, v, 'TASK_STATE_', TASK_STATES, undefined);
}

/** A finite, non-negative whole number from a uint64/int64 field (numbers with longs=Number). */
function count(field: string, v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new ShoalError('INVALID_ARGUMENT', `${field}: ${String(v)} must be a whole number, 0 or more`);
  return n;
}

/**
 * Turns a client's spec into a stored spec; `networkIds` are its network
 * references already resolved. Throws INVALID_ARGUMENT naming the first bad field.
 */
export function specFromProto(spec: ServiceSpec__Output | null | undefined, networkIds: readonly string[]): ServiceSpecRecord {
  if (!spec) throw new ShoalError('INVALID_ARGUMENT', 'spec: a service spec is required');
  const mode = enumFromProto('mode', spec.mode, 'SERVICE_MODE_', MODES, 'replicated');
  const t = spec.taskTemplate;
  const rp = t?.restartPolicy;
  const uc = spec.updateConfig;
  const force = count('taskTemplate.forceUpdate', t?.forceUpdate ?? 0);
  const endpointMode = enumFromProto('endpointMode', spec.endpointMode, 'ENDPOINT_MODE_', ENDPOINT_MODES, 'vip');
  const image = (t?.image ?? '').trim();
  const pull = (t?.pull ?? '').trim();
  const record: ServiceSpecRecord = {
    name: spec.name.trim(),
    labels: sortedRecord(spec.labels),
    mode,
    replicas: count('replicas', spec.replicas),
    template: {
      command: t?.command ?? '',
      args: [...(t?.args ?? [])],
      env: [...(t?.env ?? [])],
      reservations: {
        nanoCpus: count('reservations.nanoCpus', t?.reservations?.nanoCpus ?? 0),
        memoryBytes: count('reservations.memoryBytes', t?.reservations?.memoryBytes ?? 0),
      },
      restartPolicy: {
        condition: enumFromProto('restartPolicy.condition', rp?.condition, 'RESTART_CONDITION_', CONDITIONS, 'any'),
        delayMs: count('restartPolicy.delayMs', rp?.delayMs ?? 0),
        maxAttempts: count('restartPolicy.maxAttempts', rp?.maxAttempts ?? 0),
        windowMs: count('restartPolicy.windowMs', rp?.windowMs ?? 0),
      },
      // Only stored when set, so a spec written before the field existed compares equal to one that leaves it at 0.
      ...(force > 0 ? { forceUpdate: force } : {}),
      // Likewise: a process service's stored spec has no image fields at all.
      ...(image !== '' ? { image } : {}),
      ...(pull !== '' ? { pull: pull as PullPolicy } : {}), // checked by validateServiceSpec
    },
    networks: [...networkIds],
    placement: {
      constraints: (spec.placement?.constraints ?? []).map((c) => c.trim()),
      preferences: (spec.placement?.preferences ?? []).map((p) => p.spreadDescriptor.trim()),
      maxReplicasPerNode: count('placement.maxReplicasPerNode', spec.placement?.maxReplicasPerNode ?? 0),
    },
    updateConfig: updateConfigFromProto('updateConfig', uc),
    stack: spec.stack.trim(),
    // Stored only when not the default, so specs from before these fields compare equal.
    ...(endpointMode === 'dnsrr' ? { endpointMode } : {}),
    ...(spec.networkAliases.length > 0 ? { aliases: [...spec.networkAliases] } : {}),
    ...(spec.rollbackConfig ? { rollbackConfig: updateConfigFromProto('rollbackConfig', spec.rollbackConfig) } : {}),
  };
  validateServiceSpec(record);
  return record;
}

function updateConfigFromProto(field: string, uc: UpdateConfig__Output | null | undefined): UpdateConfigSpec {
  const ratio = uc?.maxFailureRatio ?? 0;
  return {
    parallelism: count(`${field}.parallelism`, uc?.parallelism ?? 0),
    delayMs: count(`${field}.delayMs`, uc?.delayMs ?? 0),
    order: enumFromProto(`${field}.order`, uc?.order, 'UPDATE_ORDER_', ORDERS, 'stop-first'),
    failureAction: enumFromProto(`${field}.failureAction`, uc?.failureAction, 'UPDATE_FAILURE_ACTION_', FAILURE_ACTIONS, 'pause'),
    monitorMs: count(`${field}.monitorMs`, uc?.monitorMs ?? 0),
    ...(ratio !== 0 ? { maxFailureRatio: ratio } : {}),
  };
}

function updateConfigToProto(c: UpdateConfigSpec): UpdateConfig {
  return {
    parallelism: c.parallelism,
    delayMs: c.delayMs,
    order: enumToProto(c.order, 'UPDATE_ORDER_') as 'UPDATE_ORDER_STOP_FIRST',
    failureAction: enumToProto(c.failureAction, 'UPDATE_FAILURE_ACTION_') as 'UPDATE_FAILURE_ACTION_PAUSE',
    monitorMs: c.monitorMs,
    maxFailureRatio: c.maxFailureRatio ?? 0,
  };
}

function templateToProto(t: TaskTemplateSpec): TaskTemplate {
  return {
    command: t.command,
    args: [...t.args],
    env: [...t.env],
    reservations: { nanoCpus: t.reservations.nanoCpus, memoryBytes: t.reservations.memoryBytes },
    restartPolicy: {
      condition: enumToProto(t.restartPolicy.condition, 'RESTART_CONDITION_') as 'RESTART_CONDITION_ANY',
      delayMs: t.restartPolicy.delayMs,
      maxAttempts: t.restartPolicy.maxAttempts,
      windowMs: t.restartPolicy.windowMs,
    },
    forceUpdate: t.forceUpdate ?? 0,
    image: t.image ?? '',
    pull: t.pull ?? '',
  };
}

export function serviceToProto(s: ServiceRecord, running: number): Service {
  const spec = s.spec;
  return {
    id: s.id,
    name: s.name,
    labels: { ...spec.labels },
    createdUnixMs: s.createdAt,
    updatedUnixMs: s.updatedAt,
    version: s.version,
    mode: enumToProto(s.mode, 'SERVICE_MODE_') as 'SERVICE_MODE_REPLICATED',
    replicas: s.replicas,
    taskTemplate: templateToProto(spec.template),
    networks: [...spec.networks],
    placement: {
      constraints: [...spec.placement.constraints],
      preferences: spec.placement.preferences.map((d) => ({ spreadDescriptor: d })),
      maxReplicasPerNode: spec.placement.maxReplicasPerNode,
    },
    updateConfig: updateConfigToProto(spec.updateConfig),
    ...(spec.rollbackConfig ? { rollbackConfig: updateConfigToProto(spec.rollbackConfig) } : {}),
    running,
    stack: spec.stack,
    endpointMode: spec.endpointMode === 'dnsrr' ? 'ENDPOINT_MODE_DNSRR' : 'ENDPOINT_MODE_VIP',
    networkAliases: [...(spec.aliases ?? [])],
    ...(s.updateStatus === null
      ? {}
      : {
          updateStatus: {
            state: enumToProto(s.updateStatus.state, 'UPDATE_STATE_') as 'UPDATE_STATE_UPDATING',
            startedUnixMs: s.updateStatus.startedAt,
            completedUnixMs: s.updateStatus.completedAt,
            message: s.updateStatus.message,
          },
        }),
  };
}

function statusToProto(s: TaskStatusRecord): TaskStatus {
  return { state: taskStateToProto(s.state), message: s.message, err: s.err, exitCode: s.exitCode, timestampUnixMs: s.at };
}

/** What a task needs from around it: its service's name and labels, and its addresses. */
export interface TaskContext {
  readonly serviceName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly attachments: readonly Attachment[];
}

/** A stored task as the API shows it. */
export function taskToProto(t: TaskRecord, ctx: TaskContext): Task {
  return {
    id: t.id,
    name: `${ctx.serviceName}.${t.slot > 0 ? String(t.slot) : t.nodeId}`,
    labels: { ...ctx.labels },
    createdUnixMs: t.createdAt,
    updatedUnixMs: t.updatedAt,
    version: t.version,
    serviceId: t.serviceId,
    slot: t.slot,
    nodeId: t.nodeId,
    desiredState: taskStateToProto(t.desiredState),
    status: statusToProto(t.status),
    history: t.history.map(statusToProto),
    attachments: ctx.attachments.map((a) => ({
      id: a.id,
      networkId: a.networkId,
      networkName: a.networkName,
      address: a.address,
      gateway: a.gateway,
      subnet: a.subnet,
      vxlanId: a.vxlanId,
      internal: a.internal,
      mtu: a.mtu,
    })),
    spec: templateToProto(t.spec),
  };
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k] ?? '';
  return out;
}
