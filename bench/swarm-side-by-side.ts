// Docker swarm and Shoal side by side, on one machine, in the same minutes: the honest answer to
// "where is Shoal still slower than swarm, here, today". Each figure interleaves the two systems
// run by run, so a change in the machine's load hits both alike; CPU time (user+sys from /proc)
// is printed beside wall time, and the load average beside every figure.
//   (a) `docker swarm init` vs `shoal init`, each to ready (the command returns once the one-node
//       cluster answers); between runs `docker swarm leave --force` / `shoal stop`.
//   (b) one client, serial writes over ONE connection to a one-manager cluster: Engine API
//       `POST /services/create` (0 replicas) then `DELETE /services/ID` (HTTP/1.1 keep-alive over
//       dockerd's unix socket) vs Shoal's CreateService then RemoveService (one gRPC channel over
//       its unix socket; bench/api.ts's loop); p50/p99 per call, calls/s, the manager's CPU/call.
//   (c) `docker node ls` vs `shoal node ls` as fresh processes (and `node -e 0`, Node's floor).
//   (d) RSS: dockerd + its containerd in swarm mode vs a Shoal manager, idle right after init (and
//       again after (b) and (c)).
// Docker: by default the bench starts a dockerd of its own (own --data-root, --exec-root,
// --pidfile and socket under /var/lib/shoal-test; test/helpers/own-dockerd.ts), imports the
// offline busybox-static test image into it, and removes everything at the end. `--docker-host
// unix:///path/docker.sock` (or SHOAL_BENCH_DOCKER_HOST) uses a running engine instead, which must
// not be in a swarm already (the bench leaves the swarm it made). `--docker-bin PATH` picks the
// docker CLI. Shoal: the installed command (bin/shoal.cjs) and the daemon it starts.
// Usage: node dist/bench/swarm-side-by-side.js [--runs 10] [--calls 200] [--rounds 5] [--cli-runs 20]
//          [--docker-host unix://…] [--docker-bin docker]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Api } from '../bin/client.js';
import { ServiceApi } from '../bin/service-api.js';
import { SOCKET_FILE } from '../src/manager/paths.js';
import { freePort } from '../test/helpers/in-process-cluster.js';
import { OwnDockerd } from '../test/helpers/own-dockerd.js';
import { TEST_IMAGE } from '../test/helpers/docker.js';
import { arg, median, percentile, procCpuMs as cpuMs, timedCalls, type CallPhase as Phase } from './stats.js';

const RUNS = Number(arg('runs', '10'));
const CALLS = Number(arg('calls', '200'));
const ROUNDS = Number(arg('rounds', '5'));
const CLI_RUNS = Number(arg('cli-runs', '20'));
const DOCKER_HOST = arg('docker-host', process.env.SHOAL_BENCH_DOCKER_HOST ?? '');
const DOCKER_BIN = arg('docker-bin', 'docker');
const SHOAL_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/shoal.cjs');
const SETTLE_MS = 5_000;

const load = (): string => `load ${loadavg()[0]!.toFixed(1)}`;

/** user+sys CPU ms of a process (or, with `children`, of this process's waited-for children) from /proc, 10 ms ticks. */
function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

/** The direct children of `pid` whose command name is `comm` (dockerd's supervised containerd). */
function childrenNamed(pid: number, comm: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && name === comm) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Runs a command, times it (wall, and the CPU of it and its waited-for children); it must exit 0. */
function timedRun(file: string, args: readonly string[]): { wallMs: number; cpuMs: number; stdout: string } {
  const cpu0 = cpuMs('self', true);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, { encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr || r.error?.message}`);
  return { wallMs, cpuMs: cpuMs('self', true) - cpu0, stdout: r.stdout };
}

function summary(wall: number[], cpu: number[]): string {
  const w = [...wall].sort((a, b) => a - b);
  return `median ${median(w).toFixed(0)} ms  min ${w[0]!.toFixed(0)} ms  p90 ${percentile(w, 90).toFixed(0)} ms  CPU median ${median(cpu).toFixed(0)} ms  (${w.length} runs)`;
}

/** A minimal Engine API client: one keep-alive HTTP/1.1 connection over the unix socket, JSON in and out. */
class EngineHttp {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  constructor(private readonly socketPath: string) {}

  call(method: string, path: string, body?: unknown): Promise<unknown> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath: this.socketPath,
          agent: this.agent,
          method,
          path,
          headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 0) >= 300) reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${text}`));
            else resolve(text ? JSON.parse(text) : undefined);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function phaseMedians(what: string, phases: readonly Phase[]): string {
  const p50 = median(phases.map((p) => percentile(p.latenciesMs, 50)));
  const p99 = median(phases.map((p) => percentile(p.latenciesMs, 99)));
  const rate = median(phases.map((p) => p.latenciesMs.length / p.seconds));
  const cpu = median(phases.map((p) => p.managerCpuMs / p.latenciesMs.length));
  return `${what.padEnd(22)} p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms  ${rate.toFixed(0)} calls/s  manager CPU ${cpu.toFixed(2)} ms/call`;
}

class Docker {
  constructor(readonly host: string) {}
  get socketPath(): string {
    return this.host.replace(/^unix:\/\//, '');
  }
  run(args: readonly string[]): ReturnType<typeof timedRun> {
    return timedRun(DOCKER_BIN, ['-H', this.host, ...args]);
  }
  async swarmInit(): Promise<ReturnType<typeof timedRun>> {
    const port = await freePort();
    // Loopback only, and a port of its own: other sessions' dockerds may hold 2377.
    return this.run(['swarm', 'init', '--listen-addr', `127.0.0.1:${port}`, '--advertise-addr', `127.0.0.1:${port}`]);
  }
  swarmLeave(): void {
    spawnSync(DOCKER_BIN, ['-H', this.host, 'swarm', 'leave', '--force'], { encoding: 'utf8' });
  }
}

class Shoal {
  constructor(readonly dataDir: string) {}
  run(args: readonly string[]): ReturnType<typeof timedRun> {
    return timedRun(process.execPath, [SHOAL_BIN, '--data-dir', this.dataDir, ...args]);
  }
  async init(): Promise<ReturnType<typeof timedRun>> {
    return this.run(['init', '--listen-addr', `127.0.0.1:${await freePort()}`]);
  }
  pid(): number {
    return Number(readFileSync(join(this.dataDir, 'shoal.pid'), 'utf8').split('\n')[0]);
  }
  stop(): void {
    spawnSync(process.execPath, [SHOAL_BIN, '--data-dir', this.dataDir, 'stop'], { encoding: 'utf8' });
    try {
      process.kill(this.pid(), 'SIGKILL'); // a stop that failed must not leave a daemon behind
    } catch {
      // stopped
    }
  }
}

async function measureInit(docker: Docker, root: string): Promise<void> {
  const d = { wall: [] as number[], cpu: [] as number[] };
  const s = { wall: [] as number[], cpu: [] as number[] };
  const load0 = load();
  for (let i = 0; i < RUNS; i++) {
    const dockerCpu0 = cpuMs(dockerdPid(docker));
    const r = await docker.swarmInit();
    d.wall.push(r.wallMs);
    // The daemon's share: what dockerd spent between the command's start and its return.
    d.cpu.push(r.cpuMs + cpuMs(dockerdPid(docker)) - dockerCpu0);
    docker.swarmLeave();
    const shoal = new Shoal(join(root, `init-${i}`));
    try {
      const t = await shoal.init();
      s.wall.push(t.wallMs);
      s.cpu.push(t.cpuMs + cpuMs(shoal.pid()));
    } finally {
      shoal.stop();
    }
  }
  console.log(`(a) init to ready, ${RUNS} runs in turns (${load0} before, ${load()} after); CPU = the command + its daemon until ready`);
  console.log(`    docker swarm init   ${summary(d.wall, d.cpu)}`);
  console.log(`    shoal init          ${summary(s.wall, s.cpu)}`);
}

async function measureWrites(docker: Docker, engine: EngineHttp, shoal: Shoal): Promise<void> {
  const api = new Api(`unix://${join(shoal.dataDir, SOCKET_FILE)}`);
  const services = new ServiceApi(api);
  const shoalSpec = (name: string) => ({ name, replicas: 0, taskTemplate: { command: 'sleep', args: ['100'] } });
  // Docker's own Engine API shape for `docker service create --replicas 0 IMAGE sleep 100`; the
  // Engine does not pull or resolve an image for a service create (the CLI would, with a registry).
  const dockerSpec = (name: string) => ({
    Name: name,
    TaskTemplate: { ContainerSpec: { Image: TEST_IMAGE, Command: ['sleep', '100'] } },
    Mode: { Replicated: { Replicas: 0 } },
  });
  const dPids = [dockerdPid(docker)];
  const sPids = [shoal.pid()];
  try {
    // Warm both (connections, JIT), then remove what the warm-up made.
    const warmIds: string[] = [];
    for (let i = 0; i < 20; i++) warmIds.push(((await engine.call('POST', '/services/create', dockerSpec(`warm-${i}`))) as { ID: string }).ID);
    for (const id of warmIds) await engine.call('DELETE', `/services/${id}`);
    for (let i = 0; i < 20; i++) await services.createService({ spec: shoalSpec(`warm-${i}`) });
    for (let i = 0; i < 20; i++) await services.removeService({ ref: `warm-${i}` });
    const phases = { dc: [] as Phase[], dr: [] as Phase[], sc: [] as Phase[], sr: [] as Phase[] };
    const load0 = load();
    for (let r = 0; r < ROUNDS; r++) {
      const ids: string[] = [];
      phases.dc.push(await timedCalls(dPids, CALLS, async (i) => ids.push(((await engine.call('POST', '/services/create', dockerSpec(`s${r}-${i}`))) as { ID: string }).ID)));
      phases.dr.push(await timedCalls(dPids, CALLS, (i) => engine.call('DELETE', `/services/${ids[i]}`)));
      phases.sc.push(await timedCalls(sPids, CALLS, (i) => services.createService({ spec: shoalSpec(`s${r}-${i}`) })));
      phases.sr.push(await timedCalls(sPids, CALLS, (i) => services.removeService({ ref: `s${r}-${i}` })));
    }
    console.log(`(b) 1 manager, 1 client, 1 connection, ${CALLS} creates (0 replicas) then ${CALLS} removes per round, median of ${ROUNDS} rounds in turns (${load0} before, ${load()} after)`);
    console.log(`    ${phaseMedians('docker services/create', phases.dc)}`);
    console.log(`    ${phaseMedians('shoal CreateService', phases.sc)}`);
    console.log(`    ${phaseMedians('docker DELETE service', phases.dr)}`);
    console.log(`    ${phaseMedians('shoal RemoveService', phases.sr)}`);
  } finally {
    api.close();
  }
}

function measureCli(docker: Docker, shoal: Shoal): void {
  const cmds = [
    { what: 'node -e 0', run: () => timedRun(process.execPath, ['-e', '0']) },
    { what: 'docker node ls', run: () => docker.run(['node', 'ls']) },
    { what: 'shoal node ls', run: () => shoal.run(['node', 'ls']) },
  ];
  for (const c of cmds) c.run(); // page cache, code cache
  const times = cmds.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  const load0 = load();
  for (let i = 0; i < CLI_RUNS; i++) {
    cmds.forEach((c, k) => {
      const r = c.run();
      times[k]!.wall.push(r.wallMs);
      times[k]!.cpu.push(r.cpuMs);
    });
  }
  console.log(`(c) CLI wall time as a fresh process, ${CLI_RUNS} runs in turns (${load0} before, ${load()} after); CPU = the command's own`);
  cmds.forEach((c, k) => console.log(`    ${c.what.padEnd(18)} ${summary(times[k]!.wall, times[k]!.cpu)}`));
}

function measureMemory(docker: Docker, shoal: Shoal, when: string): void {
  const dockerd = dockerdPid(docker);
  const containerd = childrenNamed(dockerd, 'containerd');
  const dRss = rssMb(dockerd);
  const cRss = containerd.reduce((s, p) => s + rssMb(p), 0);
  console.log(`(d) RSS ${when}, after ${SETTLE_MS / 1000} s of quiet (${load()})`);
  console.log(
    `    docker (swarm mode) dockerd ${dRss.toFixed(1)} MB + containerd ${containerd.length ? cRss.toFixed(1) : '(not a child of dockerd: not counted)'} MB = ${(dRss + cRss).toFixed(1)} MB`,
  );
  console.log(`    shoal manager       ${rssMb(shoal.pid()).toFixed(1)} MB`);
}

let dockerdPidCache = 0;
function dockerdPid(docker: Docker): number {
  if (dockerdPidCache) return dockerdPidCache;
  // `docker info` does not name dockerd's pid: find the dockerd whose command line names the socket.
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (cmd[0]?.endsWith('dockerd') && cmd.some((a) => a === docker.host || a === docker.socketPath || a === `-H=${docker.host}`)) return (dockerdPidCache = Number(e));
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no dockerd process found whose command line names ${docker.host}`);
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'shoal-swarm-bench-'));
  let own: OwnDockerd | undefined;
  let docker: Docker;
  if (DOCKER_HOST) {
    docker = new Docker(DOCKER_HOST);
  } else {
    own = new OwnDockerd('swarmbench');
    console.log(`starting a dockerd of this bench's own in ${own.dir}`);
    await own.start({ liveRestore: false });
    await own.ensureImage();
    docker = new Docker(own.host);
  }
  const engine = new EngineHttp(docker.socketPath);
  const shoal = new Shoal(join(root, 'manager'));
  try {
    const version = (await engine.call('GET', '/version')) as { Version: string; ApiVersion: string };
    const cliVersion = docker.run(['version', '--format', '{{.Client.Version}}']).stdout.trim();
    console.log(`swarm side by side: dockerd ${version.Version} (API ${version.ApiVersion}), docker CLI ${cliVersion}, Shoal ${SHOAL_BIN}, node ${process.version}, ${load()}`);
    // One manager of each kind for (d), (b) and (c); memory first, on a dockerd that has not yet
    // made and left swarms (its RSS grows with each), then (a) on fresh data dirs.
    await docker.swarmInit();
    await shoal.init();
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    measureMemory(docker, shoal, 'idle: a fresh one-manager cluster');
    await measureWrites(docker, engine, shoal);
    measureCli(docker, shoal);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    measureMemory(docker, shoal, 'after the write and CLI runs above');
    docker.swarmLeave();
    shoal.stop();
    await measureInit(docker, root);
  } finally {
    engine.close();
    shoal.stop();
    docker.swarmLeave();
    if (own) await own.destroy();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
