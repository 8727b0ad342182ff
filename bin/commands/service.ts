/**
 * `shoal service …`: create, ls, inspect, ps, scale, update, rollback, rm.
 *
 * `create` without --detach shows progress for a bounded time
 * (SERVICE_WAIT_MS): if every task runs by then it says so; otherwise it says
 * what the tasks are waiting for (e.g. no node can take them yet) and exits 0,
 * the service being created — it never hangs waiting for workers that are
 * not there.
 */
import type { Argv } from 'yargs';
import { logOptions, printLogs, withLogFlags } from './logs.js';
import { ShoalError, isShoalError } from '../../src/errors.js';
import type { Service__Output } from '../../src/generated/shoal/v1/Service.js';
import type { ServiceSpec } from '../../src/generated/shoal/v1/ServiceSpec.js';
import type { Task__Output } from '../../src/generated/shoal/v1/Task.js';
import { Api, targetFor, type GlobalArgs } from '../client.js';
import { printJson, printList, type Column } from '../output.js';
import { parseDuration, parseKeyValue, toList } from '../parse.js';
import { ServiceApi } from '../service-api.js';
import { enumWord } from '../words.js';
import { getNetwork } from './network-api.js';
import { followRollout, rollbackConfigOf, rolloutRecord, updateConfigOf, withUpdateFlags } from './service-rollout.js';

/** How long `service create` (without --detach) watches for its tasks to run. */
const SERVICE_WAIT_MS = Number(process.env['SHOAL_SERVICE_WAIT_MS'] ?? 3_000);
const PROGRESS_POLL_MS = 500;
/** Read-modify-write attempts when another client changes the service at the same time. */
const UPDATE_ATTEMPTS_MAX = 5;

export const modeWord = (v: unknown): string => enumWord(v as string, 'SERVICE_MODE_');
export const stateWord = (v: unknown): string => enumWord(v as string, 'TASK_STATE_');

/** The flat `--format json` record of SPEC.md. */
export function serviceRecord(s: Service__Output): Record<string, unknown> {
  return { id: s.id, name: s.name, mode: modeWord(s.mode), replicas: Number(s.replicas), running: Number(s.running) };
}

function serviceFull(s: Service__Output): Record<string, unknown> {
  return {
    ...serviceRecord(s),
    labels: s.labels,
    version: Number(s.version),
    createdAt: new Date(Number(s.createdUnixMs)).toISOString(),
    updatedAt: new Date(Number(s.updatedUnixMs)).toISOString(),
    taskTemplate: {
      command: s.taskTemplate?.command ?? '',
      args: s.taskTemplate?.args ?? [],
      env: s.taskTemplate?.env ?? [],
      reservations: { nanoCpus: Number(s.taskTemplate?.reservations?.nanoCpus ?? 0), memoryBytes: Number(s.taskTemplate?.reservations?.memoryBytes ?? 0) },
      restartCondition: enumWord(s.taskTemplate?.restartPolicy?.condition, 'RESTART_CONDITION_'),
      restartPolicy: {
        condition: enumWord(s.taskTemplate?.restartPolicy?.condition, 'RESTART_CONDITION_'),
        delayMs: Number(s.taskTemplate?.restartPolicy?.delayMs ?? 0),
        maxAttempts: Number(s.taskTemplate?.restartPolicy?.maxAttempts ?? 0),
        windowMs: Number(s.taskTemplate?.restartPolicy?.windowMs ?? 0),
      },
    },
    networks: s.networks,
    constraints: s.placement?.constraints ?? [],
    placement: {
      constraints: s.placement?.constraints ?? [],
      preferences: (s.placement?.preferences ?? []).map((p) => `spread=${p.spreadDescriptor}`),
      maxReplicasPerNode: Number(s.placement?.maxReplicasPerNode ?? 0),
    },
    stack: s.stack,
    endpointMode: enumWord(s.endpointMode, 'ENDPOINT_MODE_'),
    networkAliases: s.networkAliases,
    virtualIps: s.virtualIps.map((v) => ({ network: v.networkName, networkId: v.networkId, address: v.address })),
    ...rolloutRecord(s),
  };
}

export interface TaskRow {
  readonly id: string;
  readonly task: Task__Output;
  readonly service: string;
  readonly node: string;
}

export function taskRecord(r: TaskRow): Record<string, unknown> {
  const t = r.task;
  return {
    id: t.id,
    service: r.service,
    slot: Number(t.slot),
    node: r.node,
    desiredState: stateWord(t.desiredState),
    state: stateWord(t.status?.state),
    addresses: t.attachments.map((a) => ({ network: a.networkName || a.networkId, ip: a.address.split('/')[0] ?? '' })),
    message: t.status?.err || t.status?.message || '',
  };
}

/** The columns of `service ls` (also `stack services`). */
export const SERVICE_COLUMNS: readonly Column<Service__Output>[] = [
  { header: 'ID', value: (s) => s.id },
  { header: 'NAME', value: (s) => s.name },
  { header: 'MODE', value: (s) => modeWord(s.mode) },
  { header: 'REPLICAS', value: (s) => (modeWord(s.mode) === 'global' ? `${Number(s.running)} (global)` : `${Number(s.running)}/${Number(s.replicas)}`) },
  { header: 'COMMAND', value: (s) => [s.taskTemplate?.image ? `[${s.taskTemplate.image}]` : '', s.taskTemplate?.command ?? '', ...(s.taskTemplate?.args ?? [])].filter((w) => w !== '').join(' ').slice(0, 40) },
];

/** The columns of `service ps` (also `stack ps`). */
export const TASK_COLUMNS: readonly Column<TaskRow>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'NAME', value: (r) => r.task.name },
  { header: 'NODE', value: (r) => r.node },
  { header: 'DESIRED STATE', value: (r) => stateWord(r.task.desiredState) },
  { header: 'CURRENT STATE', value: (r) => stateWord(r.task.status?.state) },
  { header: 'MESSAGE', value: (r) => r.task.status?.err || r.task.status?.message || '' },
];

async function withApi<T>(a: GlobalArgs, fn: (api: ServiceApi, raw: Api) => Promise<T>): Promise<T> {
  const raw = new Api(targetFor(a));
  try {
    return await fn(new ServiceApi(raw), raw);
  } finally {
    raw.close();
  }
}

/** "0.5" CPUs → nano-CPUs. */
export function parseCpus(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new ShoalError('INVALID_ARGUMENT', `--reserve-cpu "${text}" is not a number of CPUs (e.g. 0.5)`);
  return Math.round(n * 1e9);
}

const MEMORY_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** "512M", "1g", "2048" → bytes. */
export function parseMemory(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
  const unit = MEMORY_UNITS[(m?.[2] ?? '').toLowerCase()];
  if (!m || unit === undefined) throw new ShoalError('INVALID_ARGUMENT', `--reserve-memory "${text}" is not an amount of memory (e.g. 512M, 1G)`);
  return Math.round(Number(m[1]) * unit);
}

const RESTART = { any: 'RESTART_CONDITION_ANY', 'on-failure': 'RESTART_CONDITION_ON_FAILURE', none: 'RESTART_CONDITION_NONE' } as const;
const ENDPOINT_MODE = { vip: 'ENDPOINT_MODE_VIP', dnsrr: 'ENDPOINT_MODE_DNSRR' } as const;

/** `spread=node.labels.zone` → `node.labels.zone` (the scheduler validates the descriptor). */
function parseSpreadPreference(text: string): string {
  const [kind, descriptor] = parseKeyValue(text, '--placement-pref');
  if (kind !== 'spread' || descriptor.trim() === '') {
    throw new ShoalError('INVALID_ARGUMENT', `--placement-pref "${text}" must look like spread=node.labels.KEY`);
  }
  return descriptor.trim();
}

function wholeNumber(n: number | undefined, flag: string): number {
  if (n === undefined) return 0;
  if (!Number.isSafeInteger(n) || n < 0) throw new ShoalError('INVALID_ARGUMENT', `${flag} must be a whole number, 0 or more (got ${String(n)})`);
  return n;
}

/** The command after `--` (or the trailing positionals). */
function commandOf(a: { cmd?: unknown; '--'?: unknown }): string[] {
  const dashed = toList(a['--']);
  return dashed.length > 0 ? dashed : toList(a.cmd);
}

function specOf(s: Service__Output): ServiceSpec {
  const { name, labels, mode, replicas, taskTemplate, networks, placement, updateConfig, stack, endpointMode, networkAliases, rollbackConfig } = s;
  return { name, labels, mode, replicas, taskTemplate, networks, placement, updateConfig, stack, endpointMode, networkAliases, rollbackConfig };
}

/**
 * Reads the service, applies `change` to its spec and writes it back with the
 * version read; another client's concurrent change (ABORTED) makes it read again.
 */
export async function readModifyWrite(api: ServiceApi, ref: string, change: (s: ServiceSpec) => ServiceSpec): Promise<Service__Output> {
  for (let attempt = 1; ; attempt++) {
    const s = (await api.getService({ ref })).service;
    if (!s) throw new ShoalError('INTERNAL', 'empty response');
    try {
      const res = await api.updateService({ ref: s.id, version: s.version, spec: change(specOf(s)) });
      if (!res.service) throw new ShoalError('INTERNAL', 'empty response');
      return res.service;
    } catch (e) {
      if (!(isShoalError(e) && e.code === 'ABORTED') || attempt >= UPDATE_ATTEMPTS_MAX) throw e;
    }
  }
}

export async function nodeNames(raw: Api): Promise<Map<string, string>> {
  return new Map((await raw.listNodes()).nodes.map((n) => [n.id, n.hostname]));
}

/** Polls the service's tasks for a bounded time and says how far they got. */
async function showProgress(api: ServiceApi, s: Service__Output): Promise<void> {
  const deadline = Date.now() + SERVICE_WAIT_MS;
  let last = '';
  for (;;) {
    const tasks = (await api.listTasks({ serviceIds: [s.id], desiredStates: ['TASK_STATE_RUNNING'] })).tasks;
    const total = modeWord(s.mode) === 'global' ? tasks.length : Number(s.replicas);
    const running = tasks.filter((t) => t.status?.state === 'TASK_STATE_RUNNING').length;
    const line = `overall progress: ${running} out of ${total} tasks`;
    if (line !== last) process.stdout.write(`${line}\n`);
    last = line;
    if (running >= total) {
      process.stdout.write('verify: service converged\n');
      return;
    }
    if (Date.now() >= deadline) {
      const waiting = tasks.find((t) => t.status?.state !== 'TASK_STATE_RUNNING');
      const why = waiting?.status?.message ? `: ${waiting.status.message}` : '';
      process.stdout.write(
        `${total - running} of ${total} tasks are not running yet (${stateWord(waiting?.status?.state)}${why}).\n` +
          `The service is created; its tasks start when a node can take them. Follow them with \`shoal service ps ${s.name}\`.\n`,
      );
      return;
    }
    await new Promise((r) => setTimeout(r, PROGRESS_POLL_MS));
  }
}

/**
 * A usage error found after parsing: reported like the CLI's own (stderr, exit 2).
 * cli.ts treats any error a handler throws as exit 1, so this sets the code itself.
 */
function usageError(message: string): void {
  process.stderr.write(`Error: ${message}\nSee 'shoal service --help'.\n`);
  process.exitCode = 2;
}

function badReplicas(n: number | undefined): string | undefined {
  if (n === undefined || (Number.isSafeInteger(n) && n >= 0)) return undefined;
  return `--replicas must be a whole number, 0 or more (got ${String(n)})`;
}

export function registerService(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli.command('service', 'Manage services', (y) =>
    y
      .command(
        'create [cmd..]',
        'Create a service: shoal service create --name N [options] -- CMD [ARG…]',
        (y2) =>
          withUpdateFlags(y2)
            .parserConfiguration({ 'populate--': true })
            .positional('cmd', { type: 'string', array: true, describe: 'The command and its arguments (after --)' })
            .option('name', { type: 'string', demandOption: true, describe: 'Service name (unique)' })
            .option('replicas', { type: 'number', describe: 'Number of tasks (replicated mode; default 1)' })
            .option('mode', { choices: ['replicated', 'global'] as const, default: 'replicated' as const })
            .option('network', { type: 'string', default: [] as string[], coerce: toList, describe: 'Attach to a network (repeatable)' })
            .option('endpoint-mode', { choices: ['vip', 'dnsrr'] as const, default: 'vip' as const, describe: 'The name resolves to a virtual IP (vip) or to the tasks\' addresses (dnsrr)' })
            .option('network-alias', { type: 'string', default: [] as string[], coerce: toList, describe: 'An extra DNS name on its networks (repeatable)' })
            .option('constraint', { type: 'string', default: [] as string[], coerce: toList, describe: 'Placement constraint, e.g. node.labels.zone==a (repeatable)' })
            .option('env', { alias: 'e', type: 'string', default: [] as string[], coerce: toList, describe: 'Environment KEY=VALUE (repeatable)' })
            .option('label', { type: 'string', default: [] as string[], coerce: toList, describe: 'Service label k=v (repeatable)' })
            .option('restart-condition', { choices: ['any', 'on-failure', 'none'] as const, default: 'any' as const })
            .option('restart-delay', { type: 'string', describe: 'Wait between an exit and the restart, e.g. 5s' })
            .option('restart-max-attempts', { type: 'number', describe: 'Restarts allowed within the window (0 = unlimited)' })
            .option('restart-window', { type: 'string', describe: 'Window over which restarts are counted, e.g. 1m' })
            .option('replicas-max-per-node', { type: 'number', describe: 'At most this many tasks per node (0 = unlimited)' })
            .option('placement-pref', { type: 'string', default: [] as string[], coerce: toList, describe: 'Spread over a label, e.g. spread=node.labels.zone (repeatable, applied in order)' })
            .option('reserve-cpu', { type: 'string', describe: 'CPUs reserved per task, e.g. 0.5' })
            .option('reserve-memory', { type: 'string', describe: 'Memory reserved per task, e.g. 512M' })
            .option('image', { type: 'string', describe: 'Run this container image through the Docker Engine of nodes that have one (CMD after -- overrides the image\'s command)' })
            .option('pull', { choices: ['missing', 'always', 'never'] as const, describe: 'With --image: when the node pulls it (default missing)' })
            .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Return at once, without showing progress' })
            .example('$0 service create --name web --replicas 3 --network front -- node server.js', 'Three replicas of a server on network "front"')
            .example('$0 service create --name cache --replicas 2 --image redis:7', 'Two replicas of an image on nodes with Docker'),
        (a) => {
          const usage =
            badReplicas(a.replicas) ??
            (a.replicas !== undefined && a.mode === 'global' ? '--replicas does not apply to --mode global (one task per node)' : undefined) ??
            (a.pull !== undefined && a.image === undefined ? '--pull needs --image' : undefined) ??
            (commandOf(a).length === 0 && a.image === undefined ? 'say what the service runs: shoal service create --name N -- CMD [ARG…] (or --image IMAGE)' : undefined);
          if (usage !== undefined) return usageError(usage);
          return withApi(a, async (api) => {
            const [command = '', ...args] = commandOf(a);
            for (const e of a.env) parseKeyValue(e, '--env');
            const rollbackConfig = rollbackConfigOf(a, null);
            const spec: ServiceSpec = {
              name: a.name,
              mode: a.mode === 'global' ? 'SERVICE_MODE_GLOBAL' : 'SERVICE_MODE_REPLICATED',
              replicas: a.mode === 'global' ? 0 : (a.replicas ?? 1),
              labels: Object.fromEntries(a.label.map((kv) => parseKeyValue(kv, '--label', false))),
              networks: a.network,
              endpointMode: ENDPOINT_MODE[a.endpointMode],
              networkAliases: a.networkAlias,
              placement: {
                constraints: a.constraint,
                preferences: a.placementPref.map((p) => ({ spreadDescriptor: parseSpreadPreference(p) })),
                maxReplicasPerNode: wholeNumber(a.replicasMaxPerNode, '--replicas-max-per-node'),
              },
              taskTemplate: {
                command,
                args,
                env: a.env,
                reservations: {
                  nanoCpus: a.reserveCpu === undefined ? 0 : parseCpus(a.reserveCpu),
                  memoryBytes: a.reserveMemory === undefined ? 0 : parseMemory(a.reserveMemory),
                },
                restartPolicy: {
                  condition: RESTART[a.restartCondition],
                  delayMs: a.restartDelay === undefined ? 0 : parseDuration(a.restartDelay, '--restart-delay'),
                  maxAttempts: wholeNumber(a.restartMaxAttempts, '--restart-max-attempts'),
                  windowMs: a.restartWindow === undefined ? 0 : parseDuration(a.restartWindow, '--restart-window'),
                },
                image: a.image ?? '',
                pull: a.pull ?? '',
              },
              updateConfig: updateConfigOf(a, null),
              ...(rollbackConfig ? { rollbackConfig } : {}),
            };
            const s = (await api.createService({ spec })).service;
            if (!s) throw new ShoalError('INTERNAL', 'empty response');
            process.stdout.write(`${s.id}\n`);
            if (!a.detach && !a.quiet) await showProgress(api, s);
          });
        },
      )
      .command(['ls', 'list'], 'List services', (y2) => y2, (a) =>
        withApi(a, async (api) => {
          const services = (await api.listServices({})).services;
          printList(services, SERVICE_COLUMNS, { format: a.format, quiet: a.quiet, json: serviceRecord });
        }),
      )
      .command('inspect <services..>', 'Show services in detail (JSON)', (y2) => y2.positional('services', { type: 'string', array: true, demandOption: true }), (a) =>
        withApi(a, async (api) => {
          const out = [];
          for (const ref of a.services) {
            const s = (await api.getService({ ref })).service;
            if (s) out.push(serviceFull(s));
          }
          printJson(out);
        }),
      )
      .command('ps <services..>', 'List the tasks of services', (y2) => y2.positional('services', { type: 'string', array: true, demandOption: true }), (a) =>
        withApi(a, async (api, raw) => {
          const services = [];
          for (const ref of a.services) {
            const s = (await api.getService({ ref })).service;
            if (s) services.push(s);
          }
          const tasks = (await api.listTasks({ serviceIds: services.map((s) => s.id) })).tasks;
          const names = new Map(services.map((s) => [s.id, s.name]));
          const nodes = await nodeNames(raw);
          const rows: TaskRow[] = tasks.map((t) => ({ id: t.id, task: t, service: names.get(t.serviceId) ?? t.serviceId, node: t.nodeId ? (nodes.get(t.nodeId) ?? t.nodeId) : '' }));
          printList(rows, TASK_COLUMNS, { format: a.format, quiet: a.quiet, json: taskRecord });
        }),
      )
      .command(
        'logs <service>',
        "Print the output of a service's tasks, from every node they ran on",
        (y2) => withLogFlags(y2.positional('service', { type: 'string', demandOption: true })),
        (a) => printLogs(targetFor(a), { service: a.service, options: logOptions(a, Date.now()) }, { prefix: true, timestamps: a.timestamps }),
      )
      .command('scale <pairs..>', 'Set the number of tasks: shoal service scale NAME=K…', (y2) => y2.positional('pairs', { type: 'string', array: true, demandOption: true }), (a) =>
        withApi(a, async (api) => {
          const wanted = a.pairs.map((p) => {
            const [name, count] = parseKeyValue(p, 'scale');
            const n = Number(count);
            if (count.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new ShoalError('INVALID_ARGUMENT', `scale "${p}": the count must be a whole number, 0 or more`);
            return { name, n };
          });
          for (const { name, n } of wanted) {
            await readModifyWrite(api, name, (s) => ({ ...s, replicas: n }));
            process.stdout.write(`${name} scaled to ${n}\n`);
          }
        }),
      )
      .command(
        'update <service> [cmd..]',
        'Change a service; tasks are replaced by a rolling update (shoal service update [options] NAME [-- CMD ARG…])',
        (y2) =>
          withUpdateFlags(y2)
            .parserConfiguration({ 'populate--': true })
            .positional('service', { type: 'string', demandOption: true })
            .positional('cmd', { type: 'string', array: true, describe: 'A new command and its arguments (after --)' })
            .option('replicas', { type: 'number' })
            .option('env-add', { type: 'string', default: [] as string[], coerce: toList, describe: 'Add or change KEY=VALUE (repeatable)' })
            .option('env-rm', { type: 'string', default: [] as string[], coerce: toList, describe: 'Remove a variable by KEY (repeatable)' })
            .option('network-add', { type: 'string', default: [] as string[], coerce: toList, describe: 'Attach to a network (repeatable)' })
            .option('network-rm', { type: 'string', default: [] as string[], coerce: toList, describe: 'Detach from a network (repeatable)' })
            .option('endpoint-mode', { choices: ['vip', 'dnsrr'] as const, describe: 'Resolve the name to a virtual IP (vip) or to the tasks\' addresses (dnsrr)' })
            .option('network-alias-add', { alias: 'network-alias', type: 'string', default: [] as string[], coerce: toList, describe: 'Add an extra DNS name (repeatable)' })
            .option('network-alias-rm', { type: 'string', default: [] as string[], coerce: toList, describe: 'Remove an extra DNS name (repeatable)' })
            .option('constraint-add', { type: 'string', default: [] as string[], coerce: toList })
            .option('constraint-rm', { type: 'string', default: [] as string[], coerce: toList })
            .option('label-add', { type: 'string', default: [] as string[], coerce: toList })
            .option('label-rm', { type: 'string', default: [] as string[], coerce: toList })
            .option('reserve-cpu', { type: 'string', describe: 'CPUs reserved per task, e.g. 0.5' })
            .option('reserve-memory', { type: 'string', describe: 'Memory reserved per task, e.g. 512M' })
            .option('restart-condition', { choices: ['any', 'on-failure', 'none'] as const })
            .option('force', { type: 'boolean', default: false, describe: 'Replace every task even if nothing else changes (a rolling restart)' })
            .option('image', { type: 'string', describe: 'Roll a new container image out (image services only)' })
            .option('pull', { choices: ['missing', 'always', 'never'] as const, describe: 'When nodes pull the image' })
            .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Return at once, without following the rolling update' })
            .example('$0 service update --update-order start-first --env-add MODE=fast web', 'Roll a new environment out, starting each new task before stopping the old one'),
        (a) => {
          const usage = badReplicas(a.replicas);
          if (usage !== undefined) return usageError(usage);
          return withApi(a, async (api, raw) => {
            const envAdd = a.envAdd.map((kv) => parseKeyValue(kv, '--env-add'));
            const labelAdd = a.labelAdd.map((kv) => parseKeyValue(kv, '--label-add', false));
            const [command, ...args] = commandOf(a);
            // The spec holds network IDs; the flags may name networks.
            const networkIdOf = async (ref: string): Promise<string> => (await getNetwork(raw, ref)).network?.id ?? ref;
            const networkAdd = await Promise.all(a.networkAdd.map(networkIdOf));
            const networkRm = await Promise.all(a.networkRm.map(networkIdOf));
            const reservations = {
              ...(a.reserveCpu !== undefined ? { nanoCpus: parseCpus(a.reserveCpu) } : {}),
              ...(a.reserveMemory !== undefined ? { memoryBytes: parseMemory(a.reserveMemory) } : {}),
            };
            const before = Date.now();
            const s = await readModifyWrite(api, a.service, (spec) => {
              const t = spec.taskTemplate ?? {};
              const dropped = new Set([...a.envRm, ...envAdd.map(([k]) => k)]);
              const env = [...(t.env ?? []).filter((e) => !dropped.has(e.split('=')[0] ?? '')), ...envAdd.map(([k, v]) => `${k}=${v}`)];
              const constraints = [...(spec.placement?.constraints ?? []).filter((c) => !a.constraintRm.includes(c)), ...a.constraintAdd];
              const networks = [...(spec.networks ?? []).filter((n) => !networkRm.includes(n)), ...networkAdd.filter((n) => !(spec.networks ?? []).includes(n))];
              const labels = { ...(spec.labels ?? {}) };
              for (const k of a.labelRm) delete labels[k];
              for (const [k, v] of labelAdd) labels[k] = v;
              const aliases = [...(spec.networkAliases ?? []).filter((x) => !a.networkAliasRm.includes(x)), ...a.networkAliasAdd.filter((x) => !(spec.networkAliases ?? []).includes(x))];
              const rollbackConfig = rollbackConfigOf(a, spec.rollbackConfig);
              return {
                ...spec,
                labels,
                networks,
                networkAliases: aliases,
                ...(a.endpointMode !== undefined ? { endpointMode: ENDPOINT_MODE[a.endpointMode] } : {}),
                ...(a.replicas !== undefined ? { replicas: a.replicas } : {}),
                placement: { ...(spec.placement ?? {}), constraints },
                updateConfig: updateConfigOf(a, spec.updateConfig),
                ...(rollbackConfig ? { rollbackConfig } : {}),
                taskTemplate: {
                  ...t,
                  env,
                  ...(command !== undefined ? { command, args } : {}),
                  reservations: { ...(t.reservations ?? {}), ...reservations },
                  ...(a.force ? { forceUpdate: Number(t.forceUpdate ?? 0) + 1 } : {}),
                  ...(a.image !== undefined ? { image: a.image } : {}),
                  ...(a.pull !== undefined ? { pull: a.pull } : {}),
                  ...(a.restartCondition ? { restartPolicy: { ...(t.restartPolicy ?? {}), condition: RESTART[a.restartCondition] } } : {}),
                },
              };
            });
            process.stdout.write(`${s.name}\n`);
            if (!a.detach && !a.quiet) await followRollout(api, s.id, before);
          });
        },
      )
      .command(
        'rollback <service>',
        'Go back to the previous spec of a service, as a rolling update',
        (y2) =>
          y2
            .positional('service', { type: 'string', demandOption: true })
            .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Return at once, without following the rollback' }),
        (a) =>
          withApi(a, async (api) => {
            const s = (await api.getService({ ref: a.service })).service;
            if (!s) throw new ShoalError('INTERNAL', 'empty response');
            const before = Date.now();
            await api.updateService({ ref: s.id, version: s.version, rollback: true });
            process.stdout.write(`${s.name}\n`);
            if (!a.detach && !a.quiet) await followRollout(api, s.id, before);
          }),
      )
      .command(['rm <services..>', 'remove <services..>'], 'Remove services and their tasks', (y2) => y2.positional('services', { type: 'string', array: true, demandOption: true }), (a) =>
        withApi(a, async (api) => {
          for (const ref of a.services) {
            await api.removeService({ ref });
            process.stdout.write(`${ref}\n`);
          }
        }),
      )
      .demandCommand(1, 'Say what to do with services: create, ls, inspect, ps, scale, update, rollback or rm'),
  );
}
