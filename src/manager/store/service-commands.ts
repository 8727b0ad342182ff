/**
 * Commands for services and their tasks, and the stored shape of a service's
 * spec. Like every command they are complete and deterministic: the proposer
 * decides the time, the service ID and a seed from which the IDs of the tasks
 * the command creates are derived (service-apply.ts), so the apply never draws
 * randomness and every manager creates the same task IDs.
 *
 * The spec here is already validated and resolved (network references are
 * IDs): validation happens once, on the proposing manager, where a bad field
 * can be reported by name (see validateServiceSpec).
 */
import { ShoalError } from '../../errors.js';
import { parseConstraint } from '../../scheduler/constraints.js';
import { checkAliases, checkEndpointMode, type EndpointMode } from './discovery-spec.js';

export type ServiceMode = 'replicated' | 'global';
export type RestartCondition = 'any' | 'on-failure' | 'none';
export type UpdateOrder = 'stop-first' | 'start-first';
export type UpdateFailureAction = 'pause' | 'continue' | 'rollback';
/** Where the rollout of a spec change stands (objects.proto UpdateState, as words). */
export const UPDATE_STATES = ['updating', 'paused', 'completed', 'rollback-started', 'rollback-paused', 'rollback-completed'] as const;
export type UpdateState = (typeof UPDATE_STATES)[number];

/** The last rollout of a service (services.update_status). */
export interface UpdateStatusRecord {
  readonly state: UpdateState;
  /** Raft index of the update that started the rollout: it identifies the rollout, and tasks created at or after it are its new tasks. */
  readonly startedIndex: number;
  readonly startedAt: number;
  /** 0 while the rollout goes on (or is paused). */
  readonly completedAt: number;
  readonly message: string;
}

/** The lifecycle of a task, in order (objects.proto TaskState, as lower-case words). */
export const TASK_STATES = [
  'new',
  'pending',
  'allocated',
  'assigned',
  'accepted',
  'preparing',
  'starting',
  'running',
  'complete',
  'shutdown',
  'failed',
  'rejected',
  'remove',
  'orphaned',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface TaskTemplateSpec {
  readonly command: string;
  readonly args: readonly string[];
  /** "KEY=VALUE" entries. */
  readonly env: readonly string[];
  readonly reservations: { readonly nanoCpus: number; readonly memoryBytes: number };
  readonly restartPolicy: {
    readonly condition: RestartCondition;
    readonly delayMs: number;
    readonly maxAttempts: number;
    readonly windowMs: number;
  };
  /** Raised by `service update --force` to roll every task without another change; absent = 0. */
  readonly forceUpdate?: number;
  /** Container image run through the node's engine; absent or '' = run `command` as a process. */
  readonly image?: string;
  /** When the node pulls the image; absent = 'missing'. */
  readonly pull?: PullPolicy;
}

export const PULL_POLICIES = ['missing', 'always', 'never'] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

export interface PlacementSpec {
  /** Each "ATTR==VALUE" or "ATTR!=VALUE", checked by parseConstraint. */
  readonly constraints: readonly string[];
  /** Spread descriptors ("node.labels.zone"). */
  readonly preferences: readonly string[];
  readonly maxReplicasPerNode: number;
}

export interface UpdateConfigSpec {
  readonly parallelism: number;
  readonly delayMs: number;
  readonly order: UpdateOrder;
  readonly failureAction: UpdateFailureAction;
  readonly monitorMs: number;
  /** Share of updated tasks that may fail while monitored before the failure action applies (0..1); absent = 0. */
  readonly maxFailureRatio?: number;
}

/** A service's spec as stored (JSON in services.spec); everything but identity and computed fields. */
export interface ServiceSpecRecord {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly mode: ServiceMode;
  /** Desired tasks; always 0 for global services. */
  readonly replicas: number;
  readonly template: TaskTemplateSpec;
  /** Network IDs (resolved from the references the client gave). */
  readonly networks: readonly string[];
  readonly placement: PlacementSpec;
  readonly updateConfig: UpdateConfigSpec;
  readonly stack: string;
  /** How the service's name resolves: its VIP on each network, or its tasks' addresses; absent = 'vip'. */
  readonly endpointMode?: EndpointMode;
  /** Extra DNS names of the service on each of its networks; absent = none. */
  readonly aliases?: readonly string[];
  /**
   * Settings of a rollback to this spec (failure action pause or continue); absent = the update
   * settings, with the rollback's first failure pausing it (as before the field existed).
   */
  readonly rollbackConfig?: UpdateConfigSpec;
}

/** Bounds on what one spec may ask for, so one command cannot create an unbounded batch of rows. */
export const REPLICAS_MAX = 10_000;
export const NAME_CHARS_MAX = 63;
export const ARGS_MAX = 1_000;
/** Docker's own bound on a reference is 255 characters for the name; a tag/digest adds at most ~80. */
export const IMAGE_CHARS_MAX = 512;
/** Lower-case name components, optional registry host:port, tag and/or digest; no spaces (checked loosely: Docker has the last word). */
const IMAGE_RE = /^[a-z0-9][a-z0-9._\-/:]*(@sha256:[a-f0-9]{64})?$/;
export const ENV_MAX = 1_000;
export const CONSTRAINTS_MAX = 100;
export const NETWORKS_MAX = 32;

export type ServiceCommand =
  | {
      readonly op: 'service.create';
      readonly at: number;
      readonly id: string;
      /** Task IDs are derived from it (service-apply.ts deriveTaskId). */
      readonly taskIdSeed: string;
      readonly spec: ServiceSpecRecord;
      /**
       * A standalone container (ID or exact name, resolved at apply) whose addresses on the
       * networks it shares with the service move to the slot-1 task in this apply (adopt-apply.ts).
       */
      readonly adoptContainer?: string;
    }
  | {
      /** Replaces the whole spec; `version` is what the client read (stale → ABORTED). */
      readonly op: 'service.update';
      readonly at: number;
      readonly id: string;
      readonly version: number;
      readonly taskIdSeed: string;
      readonly spec: ServiceSpecRecord;
      /**
       * Present for a rollback (manual or by the updater's failure action):
       * the reason, kept in the update status. `spec` is then the previous
       * spec, and the spec being left becomes the previous one.
       */
      readonly rollback?: string;
    }
  | {
      /** Sets the replica count only; `version` 0 means unconditional. */
      readonly op: 'service.scale';
      readonly at: number;
      readonly id: string;
      readonly version: number;
      readonly taskIdSeed: string;
      readonly replicas: number;
    }
  | { readonly op: 'service.remove'; readonly at: number; readonly id: string }
  | {
      /**
       * The updater's progress (paused, completed…). Applies only while the
       * stored rollout is still the one started at `startedIndex`, so a
       * decision about an earlier rollout never overwrites a newer one. Not a
       * spec change: the service's version stays.
       */
      readonly op: 'service.update-status';
      readonly at: number;
      readonly id: string;
      readonly startedIndex: number;
      readonly status: UpdateStatusRecord;
    };

const SERVICE_OPS: ReadonlySet<string> = new Set(['service.create', 'service.update', 'service.scale', 'service.remove', 'service.update-status']);

export function isServiceCommand(cmd: { readonly op: string }): cmd is ServiceCommand {
  return SERVICE_OPS.has(cmd.op);
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ENV_KEY_RE = /^[^=\s]+$/;

/**
 * Checks every field of a spec; the first bad one is an INVALID_ARGUMENT error
 * that names it. Pure, so the apply can re-check the same rules.
 */
export function validateServiceSpec(s: ServiceSpecRecord): void {
  const bad = (field: string, why: string): never => {
    throw new ShoalError('INVALID_ARGUMENT', `${field}: ${why}`);
  };
  if (s.name.trim() === '') bad('name', 'a service needs a name (--name)');
  if (s.name.length > NAME_CHARS_MAX) bad('name', `"${s.name}" is longer than ${NAME_CHARS_MAX} characters`);
  if (!NAME_RE.test(s.name)) bad('name', `"${s.name}" may only hold letters, digits, '_', '.' and '-', and must start with a letter or digit`);
  if (s.mode !== 'replicated' && s.mode !== 'global') bad('mode', `unknown mode "${String(s.mode)}" (expected replicated or global)`);
  if (!Number.isSafeInteger(s.replicas) || s.replicas < 0) bad('replicas', `${s.replicas} is not a number of tasks (0 or more)`);
  if (s.replicas > REPLICAS_MAX) bad('replicas', `${s.replicas} is more than the ${REPLICAS_MAX} tasks a service may have`);
  if (s.mode === 'global' && s.replicas !== 0) bad('replicas', 'a global service runs one task per node; do not give it replicas');
  validateTemplate(s.template, bad);
  if (s.networks.length > NETWORKS_MAX) bad('networks', `at most ${NETWORKS_MAX} networks per service`);
  if (new Set(s.networks).size !== s.networks.length) bad('networks', 'a network is listed twice');
  if (s.placement.constraints.length > CONSTRAINTS_MAX) bad('constraints', `at most ${CONSTRAINTS_MAX} constraints`);
  for (const c of s.placement.constraints) parseConstraint(c); // throws INVALID_ARGUMENT naming the constraint
  for (const p of s.placement.preferences) {
    if (!/^node\.labels\.[^\s]+$/.test(p)) bad('placement.preferences', `"${p}" is not a spread descriptor (expected node.labels.KEY)`);
  }
  nonNegative('placement.maxReplicasPerNode', s.placement.maxReplicasPerNode, bad);
  validateUpdateConfig('updateConfig', s.updateConfig, bad);
  if (s.rollbackConfig !== undefined) {
    validateUpdateConfig('rollbackConfig', s.rollbackConfig, bad);
    // A rollback that fails cannot roll back again (there is nothing before the spec it returns to).
    if (s.rollbackConfig.failureAction === 'rollback') bad('rollbackConfig.failureAction', 'a rollback can pause or continue on a failure, not roll back');
  }
  for (const [k] of Object.entries(s.labels)) if (k.trim() === '') bad('labels', 'a label key must not be empty');
  checkEndpointMode('endpointMode', s.endpointMode ?? 'vip');
  checkAliases('networkAliases', s.aliases ?? []);
}

function validateUpdateConfig(field: string, c: UpdateConfigSpec, bad: (field: string, why: string) => never): void {
  nonNegative(`${field}.parallelism`, c.parallelism, bad);
  nonNegative(`${field}.delayMs`, c.delayMs, bad);
  nonNegative(`${field}.monitorMs`, c.monitorMs, bad);
  const ratio = c.maxFailureRatio ?? 0;
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) bad(`${field}.maxFailureRatio`, `${ratio} must be a number from 0 to 1`);
}

function validateTemplate(t: TaskTemplateSpec, bad: (field: string, why: string) => never): void {
  const image = t.image ?? '';
  if (image === '' && t.command.trim() === '') bad('taskTemplate.command', 'a service needs a command to run (after `--`) or an image (--image)');
  if (image !== '' && (image.length > IMAGE_CHARS_MAX || !IMAGE_RE.test(image))) {
    bad('taskTemplate.image', `"${image}" is not an image reference (e.g. busybox, registry.example:5000/team/app:1.2 or app@sha256:…; at most ${IMAGE_CHARS_MAX} characters, no spaces)`);
  }
  if (t.pull !== undefined && !(PULL_POLICIES as readonly string[]).includes(t.pull)) bad('taskTemplate.pull', `unknown pull policy "${String(t.pull)}" (expected ${PULL_POLICIES.join(', ')})`);
  if (t.pull !== undefined && image === '') bad('taskTemplate.pull', 'a pull policy needs an image (--image)');
  if (t.args.length > ARGS_MAX) bad('taskTemplate.args', `at most ${ARGS_MAX} arguments`);
  if (t.env.length > ENV_MAX) bad('taskTemplate.env', `at most ${ENV_MAX} entries`);
  for (const e of t.env) {
    const i = e.indexOf('=');
    if (i <= 0 || !ENV_KEY_RE.test(e.slice(0, i))) bad('env', `"${e}" must look like KEY=VALUE`);
  }
  nonNegative('reservations.nanoCpus', t.reservations.nanoCpus, bad);
  nonNegative('reservations.memoryBytes', t.reservations.memoryBytes, bad);
  const c = t.restartPolicy.condition;
  if (c !== 'any' && c !== 'on-failure' && c !== 'none') bad('restartPolicy.condition', `unknown condition "${String(c)}" (expected any, on-failure or none)`);
  nonNegative('restartPolicy.delayMs', t.restartPolicy.delayMs, bad);
  nonNegative('restartPolicy.maxAttempts', t.restartPolicy.maxAttempts, bad);
  nonNegative('restartPolicy.windowMs', t.restartPolicy.windowMs, bad);
  nonNegative('taskTemplate.forceUpdate', t.forceUpdate ?? 0, bad);
}

function nonNegative(field: string, v: number, bad: (field: string, why: string) => never): void {
  if (!Number.isSafeInteger(v) || v < 0) bad(field, `${v} must be a whole number, 0 or more`);
}
