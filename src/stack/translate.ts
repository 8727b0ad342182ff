/**
 * Compose model → the stack Shoal deploys: one ServiceSpec per compose
 * service (named STACK_<service>, resolvable also as <service> through a
 * network alias) and the networks to create or find. Pure: files other than
 * the compose files (env_file) come through `readText`.
 *
 * Every problem is collected with its position; the caller gets all of them at
 * once, before anything is written (a deploy is all-or-nothing). Keys that the
 * compose specification defines but Shoal does not map are returned as
 * `unsupported` (the caller prints them in one warning line).
 */
import type { ServiceSpec } from '../generated/shoal/v1/ServiceSpec.js';
import type { ServiceSpec__Output } from '../generated/shoal/v1/ServiceSpec.js';
import { isShoalError } from '../errors.js';
import { tryParseConstraint } from '../scheduler/constraints.js';
import { specFromProto } from '../manager/service-view.js';
import { childPath, isPlainObject, type LoadedCompose } from './compose-load.js';
import { ADOPT_KEY } from './adopt.js';
import { Collector, describe } from './collector.js';
import * as K from './compose-keys.js';
import { DotenvError, parseDotenv } from './dotenv.js';
import { StackFileError } from './problems.js';
import { parseBool, parseBytes, parseComposeDuration, parseCount, parseCpus, parseNumber } from './values.js';

/** Docker's label that marks a network as a stack's own (services carry the `stack` field instead). */
export const STACK_LABEL = 'com.docker.stack.namespace';

/** Docker's update defaults (also `shoal service create`'s). */
const UPDATE_DEFAULTS = { parallelism: 1, delayMs: 0, order: 'UPDATE_ORDER_STOP_FIRST', failureAction: 'UPDATE_FAILURE_ACTION_PAUSE', monitorMs: 5_000, maxFailureRatio: 0 } as const;

export interface DesiredNetwork {
  /** The key under top-level `networks:`. */
  readonly key: string;
  /** The cluster network's name: STACK_<key>, the `name:` given, or (external) the key. */
  readonly name: string;
  readonly external: boolean;
  readonly attachable: boolean;
  /** No egress beyond the network (`shoal network create --internal`). */
  readonly internal: boolean;
  readonly subnet: string;
  readonly gateway: string;
  readonly ipRange: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface DesiredService {
  /** The compose service name (the key under `services:`). */
  readonly key: string;
  /** The complete spec; `networks` holds network names. */
  readonly spec: ServiceSpec;
  /**
   * `x-shoal-adopt`: the standalone container this service takes over when the deploy creates it
   * (true: the one of its compose name), false never; absent = as `--adopt` says (src/stack/adopt.ts).
   */
  readonly adopt?: string | boolean;
}

export interface StackDesired {
  readonly name: string;
  readonly networks: readonly DesiredNetwork[];
  readonly services: readonly DesiredService[];
  /** Compose keys present in the files that Shoal does not map, in first-seen order. */
  readonly unsupported: readonly string[];
}

export interface TranslateOptions {
  /** The environment (`${VAR}` and `environment: [KEY]` without a value read it). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads an `env_file` (path as written in the file); undefined = it does not exist. */
  readonly readText: (path: string) => string | undefined;
}

const STACK_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Throws StackFileError with every problem found; otherwise returns what to deploy. */
export function translateCompose(stackName: string, loaded: LoadedCompose, opts: TranslateOptions): StackDesired {
  const c = new Collector(loaded);
  if (!STACK_NAME_RE.test(stackName)) {
    throw new StackFileError([{ at: undefined, path: '', message: `stack name "${stackName}" may only hold letters, digits, '_', '.' and '-', and must start with a letter or digit` }]);
  }
  const top = c.mapping(loaded.model, '') ?? {};
  c.keys(top, '', K.TOP_LEVEL, '');
  const networks = translateNetworks(c, stackName, top['networks']);
  const services: DesiredService[] = [];
  const svcMap = c.mapping(top['services'], 'services') ?? {};
  if (Object.keys(svcMap).length === 0 && c.problems.length === 0) c.bad('services', 'the file defines no services');
  let usesDefault = false;
  for (const [key, raw] of Object.entries(svcMap)) {
    const s = translateService(c, stackName, key, raw, networks, opts);
    if (s) {
      services.push(s.service);
      usesDefault ||= s.usesDefault;
    }
  }
  // As docker does: services that name no network share the stack's `default` network.
  if (usesDefault && !networks.some((n) => n.key === 'default')) networks.push(ownNetwork(stackName, 'default', {}));
  if (c.problems.length > 0) throw new StackFileError(c.problems);
  return { name: stackName, networks, services, unsupported: c.unsupportedList };
}

function ownNetwork(stack: string, key: string, labels: Record<string, string>): DesiredNetwork {
  return { key, name: `${stack}_${key}`, external: false, attachable: false, internal: false, subnet: '', gateway: '', ipRange: '', labels: { ...labels, [STACK_LABEL]: stack } };
}

function translateNetworks(c: Collector, stack: string, raw: unknown): DesiredNetwork[] {
  const out: DesiredNetwork[] = [];
  const all = c.mapping(raw, 'networks') ?? {};
  for (const [key, def] of Object.entries(all)) {
    const path = childPath('networks', key);
    const m = c.mapping(def, path);
    if (m === undefined) continue;
    c.keys(m, path, K.NETWORK, 'networks.');
    const ext = m['external'];
    // `external: {name: x}` is the old form of `external: true` + `name: x`.
    const externalName = isPlainObject(ext) ? c.string(ext['name'], `${path}.external.name`) : undefined;
    const external = isPlainObject(ext) ? true : ext === undefined ? false : c.read(ext, `${path}.external`, parseBool, 'true or false');
    const name = m['name'] === undefined ? undefined : c.string(m['name'], `${path}.name`);
    if (external) {
      for (const k of ['driver', 'attachable', 'internal', 'ipam', 'labels']) if (m[k] !== undefined) c.bad(childPath(path, k), 'an external network is not created by the stack: remove this key');
      out.push({ key, name: externalName ?? name ?? key, external: true, attachable: false, internal: false, subnet: '', gateway: '', ipRange: '', labels: {} });
      continue;
    }
    const driver = m['driver'] === undefined ? 'overlay' : c.string(m['driver'], `${path}.driver`);
    if (driver !== undefined && driver !== 'overlay') c.unsupported(`networks.driver (${driver}; Shoal networks are overlay)`);
    const attachable = m['attachable'] === undefined ? false : (c.read(m['attachable'], `${path}.attachable`, parseBool, 'true or false') ?? false);
    const internal = m['internal'] === undefined ? false : (c.read(m['internal'], `${path}.internal`, parseBool, 'true or false') ?? false);
    const labels = Object.fromEntries((m['labels'] === undefined ? [] : (c.keyValues(m['labels'], `${path}.labels`) ?? [])).map(([k, v]) => [k, v ?? '']));
    let subnet = '';
    let gateway = '';
    let ipRange = '';
    if (m['ipam'] !== undefined) {
      const ipam = c.mapping(m['ipam'], `${path}.ipam`);
      if (ipam) {
        c.keys(ipam, `${path}.ipam`, K.IPAM, 'networks.ipam.');
        const configs = ipam['config'];
        if (configs !== undefined && !Array.isArray(configs)) c.bad(`${path}.ipam.config`, `must be a list, not ${describe(configs)}`);
        else if (Array.isArray(configs)) {
          if (configs.length > 1) c.unsupported('networks.ipam.config (more than one subnet)');
          const first = configs[0] as unknown;
          const cpath = `${path}.ipam.config[0]`;
          const cfg = first === undefined ? {} : c.mapping(first, cpath);
          if (cfg) {
            c.keys(cfg, cpath, K.IPAM_CONFIG, 'networks.ipam.config.');
            subnet = cfg['subnet'] === undefined ? '' : (c.string(cfg['subnet'], `${cpath}.subnet`) ?? '');
            gateway = cfg['gateway'] === undefined ? '' : (c.string(cfg['gateway'], `${cpath}.gateway`) ?? '');
            ipRange = cfg['ip_range'] === undefined ? '' : (c.string(cfg['ip_range'], `${cpath}.ip_range`) ?? '');
          }
        }
      }
    }
    out.push({ ...ownNetwork(stack, key, labels), name: name ?? `${stack}_${key}`, attachable, internal, subnet, gateway, ipRange });
  }
  return out;
}

const RESTART = { any: 'RESTART_CONDITION_ANY', 'on-failure': 'RESTART_CONDITION_ON_FAILURE', none: 'RESTART_CONDITION_NONE' } as const;
const ORDERS = { 'stop-first': 'UPDATE_ORDER_STOP_FIRST', 'start-first': 'UPDATE_ORDER_START_FIRST' } as const;
const ACTIONS = { pause: 'UPDATE_FAILURE_ACTION_PAUSE', continue: 'UPDATE_FAILURE_ACTION_CONTINUE', rollback: 'UPDATE_FAILURE_ACTION_ROLLBACK' } as const;
const PULL = { always: 'always', missing: 'missing', never: 'never', if_not_present: 'missing' } as const;

function translateService(
  c: Collector,
  stack: string,
  key: string,
  raw: unknown,
  networks: readonly DesiredNetwork[],
  opts: TranslateOptions,
): { service: DesiredService; usesDefault: boolean } | undefined {
  const path = childPath('services', key);
  const before = c.problems.length;
  const m = c.mapping(raw, path);
  if (m === undefined) return undefined;
  c.keys(m, path, K.SERVICE, '');
  const p = (k: string): string => childPath(path, k);
  const adopt = adoptKey(c, m[ADOPT_KEY], p(ADOPT_KEY));

  const image = m['image'] === undefined ? '' : (c.string(m['image'], p('image')) ?? '');
  const entrypoint = m['entrypoint'] === undefined || m['entrypoint'] === null ? [] : (c.command(m['entrypoint'], p('entrypoint')) ?? []);
  const command = m['command'] === undefined || m['command'] === null ? [] : (c.command(m['command'], p('command')) ?? []);
  let argv: string[];
  if (image !== '') {
    // The Docker executor replaces the image's CMD and keeps its ENTRYPOINT; it cannot replace the entrypoint.
    if (entrypoint.length > 0) c.unsupported('entrypoint (with an image)');
    argv = command;
  } else {
    // A Shoal extension: without an image, entrypoint + command run as a process on the node.
    argv = [...entrypoint, ...command];
    if (argv.length === 0 && c.problems.length === before) c.bad(path, 'a service needs an image, or (a Shoal extension) an entrypoint or command to run as a process');
  }
  let pull = '';
  if (m['pull_policy'] !== undefined) {
    const word = c.string(m['pull_policy'], p('pull_policy'));
    if (word !== undefined && word in PULL && image !== '') pull = PULL[word as keyof typeof PULL];
    else if (word !== undefined) c.unsupported(image === '' ? 'pull_policy (without an image)' : `pull_policy (${word})`);
  }

  const env = environmentOf(c, path, m, opts);
  const serviceLabels = m['labels'] === undefined ? [] : (c.keyValues(m['labels'], p('labels')) ?? []);

  // Networks: a list of names, or a mapping name → {aliases, …}.
  const netNames: string[] = [];
  const aliases: string[] = [key];
  const rawNets = m['networks'];
  const usesDefault = rawNets === undefined;
  const netEntries: [string, unknown, string][] = [];
  // A top-level `default` network (e.g. `external: true`) replaces the stack's own default.
  const defaultName = networks.find((n) => n.key === 'default')?.name ?? `${stack}_default`;
  if (Array.isArray(rawNets)) {
    rawNets.forEach((n, i) => {
      const name = c.string(n, `${p('networks')}[${i}]`);
      if (name !== undefined) netEntries.push([name, null, `${p('networks')}[${i}]`]);
    });
  } else if (rawNets !== undefined) {
    for (const [name, v] of Object.entries(c.mapping(rawNets, p('networks')) ?? {})) netEntries.push([name, v, childPath(p('networks'), name)]);
  }
  for (const [name, v, npath] of netEntries) {
    const net = networks.find((n) => n.key === name);
    if (!net && name !== 'default') {
      c.bad(npath, `network "${name}" is not declared under the top-level networks:`);
      continue;
    }
    netNames.push(net?.name ?? defaultName);
    const cfg = c.mapping(v, npath);
    if (cfg) {
      c.keys(cfg, npath, K.SERVICE_NETWORK, 'networks.');
      // Shoal's aliases hold on every network of the service (docker's are per network).
      if (cfg['aliases'] !== undefined) for (const a of c.stringList(cfg['aliases'], `${npath}.aliases`) ?? []) if (!aliases.includes(a)) aliases.push(a);
    }
  }
  if (usesDefault) netNames.push(defaultName);

  const deploy = m['deploy'] === undefined ? {} : c.mapping(m['deploy'], p('deploy'));
  const d = translateDeploy(c, p('deploy'), deploy ?? {});
  const labels = Object.fromEntries([...serviceLabels, ...d.labels].map(([k, v]) => [k, v ?? '']));

  const spec: ServiceSpec = {
    name: `${stack}_${key}`,
    labels,
    mode: d.global ? 'SERVICE_MODE_GLOBAL' : 'SERVICE_MODE_REPLICATED',
    replicas: d.global ? 0 : d.replicas,
    taskTemplate: {
      command: argv[0] ?? '',
      args: argv.slice(1),
      env,
      reservations: d.reservations,
      restartPolicy: d.restartPolicy,
      forceUpdate: 0,
      image,
      pull,
    },
    networks: [...new Set(netNames)],
    placement: d.placement,
    updateConfig: d.updateConfig,
    ...(d.rollbackConfig ? { rollbackConfig: d.rollbackConfig } : {}),
    stack,
    endpointMode: d.endpointMode,
    networkAliases: aliases,
  };
  // The server's own checks (names, constraints, limits), here, so a bad spec stops the deploy before any write.
  if (c.problems.length === before) {
    try {
      specFromProto(spec as ServiceSpec__Output, spec.networks ?? []);
    } catch (e) {
      if (!isShoalError(e)) throw e;
      c.bad(path, e.message);
    }
  }
  return { service: { key, spec, ...(adopt !== undefined ? { adopt } : {}) }, usesDefault };
}

/** `x-shoal-adopt`: a container name, true or false. */
function adoptKey(c: Collector, v: unknown, path: string): string | boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  return c.bad(path, `must be the name of the standalone container to adopt, true (the one named like the service) or false, not ${describe(v)}`);
}

function environmentOf(c: Collector, path: string, m: Record<string, unknown>, opts: TranslateOptions): string[] {
  const vars = new Map<string, string>();
  const ef = m['env_file'];
  if (ef !== undefined) {
    const files: [string, boolean, string][] = [];
    const list = Array.isArray(ef) ? ef : [ef];
    list.forEach((item, i) => {
      const ipath = Array.isArray(ef) ? `${path}.env_file[${i}]` : `${path}.env_file`;
      if (typeof item === 'string') files.push([item, true, ipath]);
      else if (isPlainObject(item) && typeof item['path'] === 'string') files.push([item['path'], parseBool(item['required'] ?? true) ?? true, ipath]);
      else c.bad(ipath, `must be a file path (or {path, required}), not ${describe(item)}`);
    });
    for (const [file, required, ipath] of files) {
      const text = opts.readText(file);
      if (text === undefined) {
        if (required) c.bad(ipath, `env file "${file}" not found`);
        continue;
      }
      try {
        for (const [k, v] of parseDotenv(text)) vars.set(k, v);
      } catch (e) {
        if (!(e instanceof DotenvError)) throw e;
        c.bad(ipath, `${file}:${e.line}: ${e.message}`);
      }
    }
  }
  if (m['environment'] !== undefined) {
    for (const [k, v] of c.keyValues(m['environment'], `${path}.environment`) ?? []) {
      // `KEY` without a value takes the deploying shell's value, and is left out when that is unset.
      const value = v ?? opts.env[k];
      if (value === undefined) vars.delete(k);
      else vars.set(k, value);
    }
  }
  return [...vars].map(([k, v]) => `${k}=${v}`);
}

interface DeployParts {
  global: boolean;
  replicas: number;
  labels: [string, string | null][];
  placement: NonNullable<ServiceSpec['placement']>;
  reservations: { nanoCpus: number; memoryBytes: number };
  restartPolicy: NonNullable<NonNullable<ServiceSpec['taskTemplate']>['restartPolicy']>;
  updateConfig: NonNullable<ServiceSpec['updateConfig']>;
  rollbackConfig?: NonNullable<ServiceSpec['updateConfig']>;
  endpointMode: 'ENDPOINT_MODE_VIP' | 'ENDPOINT_MODE_DNSRR';
}

function translateDeploy(c: Collector, path: string, d: Record<string, unknown>): DeployParts {
  c.keys(d, path, K.DEPLOY, 'deploy.');
  const p = (k: string): string => childPath(path, k);
  const opt = <T>(k: string, read: (v: unknown, at: string) => T | undefined, dflt: T): T => (d[k] === undefined ? dflt : (read(d[k], p(k)) ?? dflt));
  const mode = opt('mode', (v, at) => c.choice(v, at, ['replicated', 'global'] as const), 'replicated');
  if (mode === 'global' && d['replicas'] !== undefined) c.bad(p('replicas'), 'a global service runs one task per node; remove replicas');
  const replicas = opt('replicas', (v, at) => c.read(v, at, parseCount, 'a whole number, 0 or more'), 1);

  const pl = d['placement'] === undefined ? {} : (c.mapping(d['placement'], p('placement')) ?? {});
  c.keys(pl, p('placement'), K.PLACEMENT, 'deploy.placement.');
  const constraints = pl['constraints'] === undefined ? [] : (c.stringList(pl['constraints'], `${p('placement')}.constraints`) ?? []);
  constraints.forEach((text, i) => {
    const r = tryParseConstraint(text);
    if (!r.ok) c.bad(`${p('placement')}.constraints[${i}]`, r.error.message);
  });
  const preferences: { spreadDescriptor: string }[] = [];
  if (pl['preferences'] !== undefined) {
    const prefs = pl['preferences'];
    if (!Array.isArray(prefs)) c.bad(`${p('placement')}.preferences`, `must be a list of {spread: node.labels.KEY}, not ${describe(prefs)}`);
    else {
      prefs.forEach((x, i) => {
        const at = `${p('placement')}.preferences[${i}]`;
        if (isPlainObject(x) && typeof x['spread'] === 'string' && Object.keys(x).length === 1) {
          if (/^node\.labels\.\S+$/.test(x['spread'])) preferences.push({ spreadDescriptor: x['spread'] });
          else c.bad(`${at}.spread`, `"${x['spread']}" is not a spread descriptor (expected node.labels.KEY)`);
        }
        else c.bad(at, `must be {spread: node.labels.KEY}, not ${describe(x)}`);
      });
    }
  }
  const maxPerNode = pl['max_replicas_per_node'] === undefined ? 0 : (c.read(pl['max_replicas_per_node'], `${p('placement')}.max_replicas_per_node`, parseCount, 'a whole number, 0 or more') ?? 0);

  const res = d['resources'] === undefined ? {} : (c.mapping(d['resources'], p('resources')) ?? {});
  c.keys(res, p('resources'), K.RESOURCES, 'deploy.resources.');
  const rpath = `${p('resources')}.reservations`;
  const rsv = res['reservations'] === undefined ? {} : (c.mapping(res['reservations'], rpath) ?? {});
  c.keys(rsv, rpath, K.RESERVATIONS, 'deploy.resources.reservations.');
  const nanoCpus = rsv['cpus'] === undefined ? 0 : (c.read(rsv['cpus'], `${rpath}.cpus`, parseCpus, 'a number of CPUs such as 0.5') ?? 0);
  const memoryBytes = rsv['memory'] === undefined ? 0 : (c.read(rsv['memory'], `${rpath}.memory`, parseBytes, 'an amount of memory such as 512M') ?? 0);

  const rppath = p('restart_policy');
  const rp = d['restart_policy'] === undefined ? {} : (c.mapping(d['restart_policy'], rppath) ?? {});
  c.keys(rp, rppath, K.RESTART_POLICY, 'deploy.restart_policy.');
  const duration = (v: unknown, at: string): number | undefined => c.read(v, at, parseComposeDuration, 'a duration such as 5s or 1m30s');
  const count = (v: unknown, at: string): number | undefined => c.read(v, at, parseCount, 'a whole number, 0 or more');
  const field = <T>(obj: Record<string, unknown>, base: string, k: string, read: (v: unknown, at: string) => T | undefined, dflt: T): T =>
    obj[k] === undefined ? dflt : (read(obj[k], childPath(base, k)) ?? dflt);
  const restartPolicy = {
    condition: RESTART[field(rp, rppath, 'condition', (v, at) => c.choice(v, at, ['none', 'on-failure', 'any'] as const), 'any')],
    delayMs: field(rp, rppath, 'delay', duration, 0),
    maxAttempts: field(rp, rppath, 'max_attempts', count, 0),
    windowMs: field(rp, rppath, 'window', duration, 0),
  };

  // update_config and rollback_config have the same keys and docker's same defaults; a rollback
  // cannot itself roll back, so its failure action is pause or continue.
  const rolloutConfig = (k: 'update_config' | 'rollback_config', actions: readonly (keyof typeof ACTIONS)[]): NonNullable<ServiceSpec['updateConfig']> => {
    const ucpath = p(k);
    const uc = d[k] === undefined ? {} : (c.mapping(d[k], ucpath) ?? {});
    c.keys(uc, ucpath, K.UPDATE_CONFIG, `deploy.${k}.`);
    return {
      parallelism: field(uc, ucpath, 'parallelism', count, UPDATE_DEFAULTS.parallelism),
      delayMs: field(uc, ucpath, 'delay', duration, UPDATE_DEFAULTS.delayMs),
      order: ORDERS[field(uc, ucpath, 'order', (v, at) => c.choice(v, at, ['stop-first', 'start-first'] as const), 'stop-first')],
      failureAction: ACTIONS[field(uc, ucpath, 'failure_action', (v, at) => c.choice(v, at, actions), 'pause')],
      monitorMs: field(uc, ucpath, 'monitor', duration, UPDATE_DEFAULTS.monitorMs),
      maxFailureRatio: field(uc, ucpath, 'max_failure_ratio', (v, at) => c.read(v, at, (x) => { const n = parseNumber(x); return n !== undefined && n >= 0 && n <= 1 ? n : undefined; }, 'a number from 0 to 1'), UPDATE_DEFAULTS.maxFailureRatio),
    };
  };
  const updateConfig = rolloutConfig('update_config', ['pause', 'continue', 'rollback']);
  // Only when written: without it a rollback follows the update settings (Shoal's behaviour before the key was mapped).
  const rollbackConfig = d['rollback_config'] === undefined ? undefined : rolloutConfig('rollback_config', ['pause', 'continue']);

  const endpointMode = opt('endpoint_mode', (v, at) => c.choice(v, at, ['vip', 'dnsrr'] as const), 'vip') === 'dnsrr' ? 'ENDPOINT_MODE_DNSRR' : 'ENDPOINT_MODE_VIP';
  const labels = d['labels'] === undefined ? [] : (c.keyValues(d['labels'], p('labels')) ?? []);
  return {
    global: mode === 'global',
    replicas,
    labels,
    placement: { constraints, preferences, maxReplicasPerNode: maxPerNode },
    reservations: { nanoCpus, memoryBytes },
    restartPolicy,
    updateConfig,
    ...(rollbackConfig ? { rollbackConfig } : {}),
    endpointMode,
  };
}
