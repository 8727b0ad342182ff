/**
 * `shoal stack …`: deploy a compose file as a stack of services and networks,
 * and list, inspect and remove stacks (docker stack's habits).
 *
 * `deploy` reads and checks everything first (files, variables, keys, values,
 * and the cluster's existing networks and services); only then does it write,
 * in the order networks, new services, changed services, pruned services.
 * The compose → spec translation and the plan are pure (src/stack/).
 */
import type { Argv } from 'yargs';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { ShoalError, isShoalError } from '../../src/errors.js';
import type { Service__Output } from '../../src/generated/shoal/v1/Service.js';
import { loadCompose, type ComposeSource, type LoadedCompose } from '../../src/stack/compose-load.js';
import { DotenvError, parseDotenv } from '../../src/stack/dotenv.js';
import { planDeploy } from '../../src/stack/plan.js';
import { formatProblem, StackFileError } from '../../src/stack/problems.js';
import { STACK_LABEL, translateCompose, type StackDesired } from '../../src/stack/translate.js';
import { Api, targetFor, type GlobalArgs } from '../client.js';
import { printList } from '../output.js';
import { toList } from '../parse.js';
import { ServiceApi } from '../service-api.js';
import { createNetwork, listContainers, listNetworks, removeNetwork } from './network-api.js';
import { COMPOSE_SERVICE_LABEL, planAdoptions, withAdoptedName, type Adoption, type AdoptProblem } from '../../src/stack/adopt.js';
import type { ServiceSpec } from '../../src/generated/shoal/v1/ServiceSpec.js';
import { nodeNames, serviceRecord, SERVICE_COLUMNS, TASK_COLUMNS, taskRecord, type TaskRow } from './service.js';

/** How long `stack rm` retries removing a network whose last endpoints are still being released. */
const NETWORK_RM_WAIT_MS = 20_000;

async function withApi<T>(a: GlobalArgs, fn: (api: ServiceApi, raw: Api) => Promise<T>): Promise<T> {
  const raw = new Api(targetFor(a));
  try {
    return await fn(new ServiceApi(raw), raw);
  } finally {
    raw.close();
  }
}

/** Every problem on its own `Error:` line, exit 1. */
function reportProblems(e: StackFileError): void {
  for (const p of e.problems) process.stderr.write(`Error: ${formatProblem(p)}\n`);
  process.exitCode = 1;
}

/** Reads the -c files and the `.env` beside the first; checks and translates them. Throws StackFileError. */
export function readStack(files: readonly string[], name: string, processEnv: Readonly<Record<string, string | undefined>>): { desired: StackDesired; loaded: LoadedCompose; warnings: string[] } {
  const sources: ComposeSource[] = files.map((f) => {
    if (!existsSync(f)) throw new StackFileError([{ at: undefined, path: '', message: `compose file "${f}" not found` }]);
    return { name: f, text: readFileSync(f, 'utf8') };
  });
  const projectDir = dirname(files[0]!);
  const dotenvPath = join(projectDir, '.env');
  let dotenv = new Map<string, string>();
  if (existsSync(dotenvPath)) {
    try {
      dotenv = parseDotenv(readFileSync(dotenvPath, 'utf8'));
    } catch (e) {
      if (!(e instanceof DotenvError)) throw e;
      throw new StackFileError([{ at: { file: dotenvPath, line: e.line, col: 1 }, path: '', message: e.message }]);
    }
  }
  // The shell's environment wins over .env, as with docker compose.
  const env: Record<string, string | undefined> = { ...Object.fromEntries(dotenv), ...processEnv };
  const loaded = loadCompose(sources, env);
  const desired = translateCompose(name, loaded, {
    env,
    readText: (p) => {
      const full = isAbsolute(p) ? p : join(projectDir, p);
      return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
    },
  });
  const warnings = [
    ...loaded.unsetVariables.map((v) => `The "${v}" variable is not set. Defaulting to a blank string.`),
    ...(desired.unsupported.length > 0 ? [`Ignoring unsupported options: ${desired.unsupported.join(', ')}`] : []),
  ];
  return { desired, loaded, warnings };
}

async function deploy(a: GlobalArgs & { composeFile: string[]; prune: boolean; adopt: boolean; stack: string }): Promise<void> {
  let read;
  try {
    read = readStack(a.composeFile, a.stack, process.env);
  } catch (e) {
    if (e instanceof StackFileError) return reportProblems(e);
    throw e;
  }
  const { desired, loaded, warnings } = read;
  for (const w of warnings) process.stderr.write(`${w}\n`);
  await withApi(a, async (api, raw) => {
    const [networks, services] = await Promise.all([listNetworks(raw), api.listServices({})]);
    const plan = planDeploy(desired, { networks: networks.networks, services: services.services }, a.prune);
    // The adoptions are checked with the rest, before the first write (a network the deploy
    // creates holds no container yet, so the listing taken now is the one that counts).
    const adopting = await adoptions(a.adopt, raw, desired, plan.createServices, networks.networks);
    const conflicts = [...plan.conflicts, ...adopting.problems];
    if (conflicts.length > 0) {
      return reportProblems(new StackFileError(conflicts.map((c) => ({ at: loaded.positions.value(c.path), path: c.path, message: c.message }))));
    }
    const say = (line: string): void => {
      if (!a.quiet) process.stdout.write(`${line}\n`);
    };
    for (const n of plan.createNetworks) {
      say(`Creating network ${n.name}`);
      await createNetwork(raw, { name: n.name, driver: 'overlay', subnet: n.subnet, gateway: n.gateway, ipRange: n.ipRange, attachable: n.attachable, internal: n.internal, labels: { ...n.labels } });
    }
    // Services are independent writes: several in flight let the leader commit them in one batch.
    const adopt = new Map(adopting.adoptions.map((m) => [m.service, m.container]));
    for (const spec of plan.createServices) {
      const container = adopt.get(spec.name ?? '');
      say(container === undefined ? `Creating service ${spec.name ?? ''}` : `Creating service ${spec.name ?? ''} (adopting container ${container})`);
    }
    const keyOf = new Map(desired.services.map((s) => [s.spec.name ?? '', s.key]));
    await inParallel(plan.createServices, (spec) => {
      const container = adopt.get(spec.name ?? '');
      if (container === undefined) return api.createService({ spec });
      return api.createService({ spec: withAdoptedName(spec, keyOf.get(spec.name ?? '') ?? '', container), adoptContainer: container });
    });
    for (const u of plan.updateServices) say(`Updating service ${u.name} (id: ${u.id})`);
    await inParallel(plan.updateServices, (u) => api.updateService({ ref: u.id, version: u.version, spec: u.spec }));
    for (const name of plan.unchangedServices) say(`Service ${name} is unchanged`);
    for (const r of plan.removeServices) say(`Removing service ${r.name}`);
    await inParallel(plan.removeServices, (r) => api.removeService({ ref: r.id }));
  });
}

/**
 * The new services that take over a standalone container's addresses and name (`--adopt`, or
 * `x-shoal-adopt` on the service: planAdoptions), or why not.
 */
async function adoptions(flag: boolean, raw: Api, desired: StackDesired, creating: readonly ServiceSpec[], networks: readonly { name: string; id: string }[]): Promise<{ adoptions: Adoption[]; problems: AdoptProblem[] }> {
  const explicit = desired.services.some((s) => s.adopt !== undefined && s.adopt !== false);
  if (!flag && !explicit) return { adoptions: [], problems: [] };
  const containers = await listContainers(raw);
  const ids = new Map(networks.map((n) => [n.name, n.id]));
  const candidates = containers.containers.map((c) => {
    const composeService = c.labels[COMPOSE_SERVICE_LABEL];
    return { name: c.name, networkIds: c.attachments.map((x) => x.networkId), ...(composeService !== undefined ? { composeService } : {}) };
  });
  return planAdoptions(desired, creating, ids, candidates, flag);
}

/** Writes in flight at once during a deploy. */
const DEPLOY_CONCURRENCY = 8;

/** Runs `fn` over `items`, at most DEPLOY_CONCURRENCY at a time; the first failure is thrown once all have settled. */
async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (e) {
        failures.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DEPLOY_CONCURRENCY, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
}

/** The stack's services, by name; NOT_FOUND as docker says it when there are none. */
async function stackServices(api: ServiceApi, stack: string): Promise<Service__Output[]> {
  const services = (await api.listServices({ stack })).services;
  if (services.length === 0) throw new ShoalError('NOT_FOUND', `nothing found in stack: ${stack}`);
  return services;
}

async function removeStack(a: GlobalArgs & { stacks: string[] }): Promise<void> {
  await withApi(a, async (api, raw) => {
    const allNetworks = (await listNetworks(raw)).networks;
    let missing = 0;
    for (const stack of a.stacks) {
      const services = (await api.listServices({ stack })).services;
      const own = allNetworks.filter((n) => n.labels[STACK_LABEL] === stack);
      if (services.length === 0 && own.length === 0) {
        process.stderr.write(`Nothing found in stack: ${stack}\n`);
        missing++;
        continue;
      }
      for (const s of services) {
        process.stdout.write(`Removing service ${s.name}\n`);
        await api.removeService({ ref: s.id });
      }
      // External networks carry no stack label: they are never removed here.
      for (const n of own) {
        process.stdout.write(`Removing network ${n.name}\n`);
        await removeNetworkWhenFree(raw, n.id);
      }
    }
    if (missing > 0) process.exitCode = 1;
  });
}

/** A network frees once its tasks' endpoints are released; that may trail the service removal. */
async function removeNetworkWhenFree(raw: Api, id: string): Promise<void> {
  const deadline = Date.now() + NETWORK_RM_WAIT_MS;
  for (;;) {
    try {
      await removeNetwork(raw, id);
      return;
    } catch (e) {
      if (isShoalError(e) && e.code === 'NOT_FOUND') return;
      if (!(isShoalError(e) && e.code === 'FAILED_PRECONDITION') || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export function registerStack(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli.command('stack', 'Manage stacks (services and networks from compose files)', (y) =>
    y
      .command(
        'deploy <stack>',
        'Deploy a stack from compose files, or update it: only changed services roll',
        (y2) =>
          y2
            .positional('stack', { type: 'string', demandOption: true, describe: 'The stack name (services are named STACK_<service>)' })
            .option('compose-file', { alias: 'c', type: 'string', demandOption: true, coerce: toList, describe: 'A compose file (repeatable; later files override earlier ones)' })
            .option('prune', { type: 'boolean', default: false, describe: 'Remove services of the stack that the files no longer define' })
            .option('adopt', {
              type: 'boolean',
              default: false,
              describe: "A new service named like a standalone container (its compose name) on a shared network takes over the container's addresses and name; the container is removed",
            })
            .example('$0 stack deploy -c compose.yml app', 'Networks app_<net> and services app_<service>, resolvable also as <service>')
            .example('$0 stack deploy -c compose.yml -c prod.yml --prune app', 'Merge two files; remove services dropped from them')
            .example('$0 stack deploy -c compose.yml --adopt app', 'Move `shoal run --name web` containers into the services web, same addresses'),
        (a) => deploy({ ...a, composeFile: a.composeFile }),
      )
      .command(['ls', 'list'], 'List stacks', (y2) => y2, (a) =>
        withApi(a, async (api) => {
          const counts = new Map<string, number>();
          for (const s of (await api.listServices({})).services) if (s.stack !== '') counts.set(s.stack, (counts.get(s.stack) ?? 0) + 1);
          const rows = [...counts].sort(([x], [y3]) => x.localeCompare(y3)).map(([name, services]) => ({ id: name, services }));
          printList(rows, [
            { header: 'NAME', value: (r) => r.id },
            { header: 'SERVICES', value: (r) => String(r.services) },
          ], { format: a.format, quiet: a.quiet, json: (r) => ({ name: r.id, services: r.services }) });
        }),
      )
      .command('services <stack>', 'List the services of a stack', (y2) => y2.positional('stack', { type: 'string', demandOption: true }), (a) =>
        withApi(a, async (api) => {
          printList(await stackServices(api, a.stack), SERVICE_COLUMNS, { format: a.format, quiet: a.quiet, json: serviceRecord });
        }),
      )
      .command('ps <stack>', 'List the tasks of a stack', (y2) => y2.positional('stack', { type: 'string', demandOption: true }), (a) =>
        withApi(a, async (api, raw) => {
          const services = await stackServices(api, a.stack);
          const tasks = (await api.listTasks({ serviceIds: services.map((s) => s.id) })).tasks;
          const names = new Map(services.map((s) => [s.id, s.name]));
          const nodes = await nodeNames(raw);
          const rows: TaskRow[] = tasks.map((t) => ({ id: t.id, task: t, service: names.get(t.serviceId) ?? t.serviceId, node: t.nodeId ? (nodes.get(t.nodeId) ?? t.nodeId) : '' }));
          printList(rows, TASK_COLUMNS, { format: a.format, quiet: a.quiet, json: taskRecord });
        }),
      )
      .command(['rm <stacks..>', 'remove <stacks..>'], "Remove stacks: their services and their own networks (external networks stay)", (y2) => y2.positional('stacks', { type: 'string', array: true, demandOption: true }), (a) =>
        removeStack({ ...a, stacks: a.stacks }),
      )
      .demandCommand(1, 'Say what to do with stacks: deploy, ls, services, ps or rm'),
  );
}
