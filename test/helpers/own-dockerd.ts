/**
 * A dockerd of a test's own, so the test may stop, restart and reconfigure it (live-restore on or
 * off) without touching the machine's dockerd that other suites share. Everything it keeps is
 * under one temp dir: `--data-root`, `--exec-root` (and with it the supervised containerd and the
 * container namespaces' mounts), `-H unix://…`, `--pidfile`; `--bridge none --iptables=false
 * --ip-masq=false`, so it makes no interface and no firewall rule; its own containerd namespaces,
 * so the shims' state under /run/containerd never meets the machine's dockerd's.
 *
 * Plugin discovery: a legacy plugin is found by its driver name, looked up lazily in
 * /run/docker/plugins when a network of that driver is used. The tests' plugin sockets carry a
 * per-run name (`shoal-<tag>`), which only this dockerd is ever asked for, so the directory can
 * stay shared. A private mount namespace with its own /run/docker/plugins was considered and not
 * used: the container namespaces dockerd bind-mounts under its exec-root would then live only in
 * that mount namespace, and a dockerd started again (a new namespace) could not find them for
 * live-restore; nor could the node daemon's data plane.
 *
 * `netns` runs it inside a test host's network namespace (nsenter --net), so a plugin's veth made
 * in that host's namespace is the one dockerd moves into the container.
 * `destroy()` removes every container, stops dockerd, kills any shim it left, unmounts what it
 * mounted and removes the dir, also after a failure.
 */
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { EngineApi } from '../../src/worker/docker-api.js';
import { ensureTestImage } from './docker.js';
import type { Api } from '../../bin/client.js';
import { checkNetworks, getNetwork } from '../../bin/commands/network-api.js';

export interface OwnDockerdOptions {
  /** A network namespace name under /run/netns to run dockerd in; the machine's own when absent. */
  readonly netns?: string;
}

export class OwnDockerd {
  readonly dir: string;
  readonly socket: string;
  readonly client: Docker;
  private readonly pidfile: string;
  private readonly ns: string;
  private starts = 0;

  constructor(label: string, private readonly options: OwnDockerdOptions = {}) {
    // Under /var/lib, on the same file system as the machine's Docker: overlay2 needs a real one.
    mkdirSync('/var/lib/shoal-test', { recursive: true });
    this.dir = mkdtempSync(join('/var/lib/shoal-test', `dockerd-${label}-`));
    this.socket = join(this.dir, 'docker.sock');
    this.pidfile = join(this.dir, 'docker.pid');
    this.ns = `shoaltest${process.pid}${label.replace(/[^a-z0-9]/gi, '')}`;
    this.client = new Docker({ socketPath: this.socket, timeout: 0 });
  }

  /** For SHOAL_DOCKER_HOST. */
  get host(): string {
    return `unix://${this.socket}`;
  }

  pid(): number {
    return existsSync(this.pidfile) ? Number(readFileSync(this.pidfile, 'utf8').trim()) || 0 : 0;
  }

  running(): boolean {
    const pid = this.pid();
    if (pid <= 0) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Starts dockerd and waits until its API answers (bounded); returns how long that took. */
  async start(opts: { liveRestore: boolean; timeoutMs?: number }): Promise<number> {
    if (this.running()) throw new Error('own dockerd is already running');
    const args = [
      '--data-root', join(this.dir, 'data'), '--exec-root', join(this.dir, 'exec'), '-H', this.host, '--pidfile', this.pidfile,
      '--bridge', 'none', '--iptables=false', '--ip-masq=false', '--containerd-namespace', this.ns,
      '--containerd-plugins-namespace', `${this.ns}p`, '--shutdown-timeout', '2', ...(opts.liveRestore ? ['--live-restore'] : []),
    ];
    const log = openSync(join(this.dir, `dockerd.${this.starts++}.log`), 'a');
    const [file, argv] = this.options.netns ? ['nsenter', [`--net=/run/netns/${this.options.netns}`, 'dockerd', ...args]] : ['dockerd', args];
    const child = spawn(file, argv, { detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    child.unref();
    const t0 = Date.now();
    const deadline = t0 + (opts.timeoutMs ?? 120_000);
    for (;;) {
      if (await this.client.ping().then(() => true, () => false)) return Date.now() - t0;
      if (child.exitCode !== null) throw new Error(`own dockerd exited (${child.exitCode}); see ${this.dir}/dockerd.*.log`);
      if (Date.now() > deadline) throw new Error(`own dockerd did not answer within ${opts.timeoutMs ?? 120_000} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGTERM (dockerd's own shutdown: with live-restore off it stops the containers) and waits. */
  async stop(timeoutMs = 60_000): Promise<void> {
    const pid = this.pid();
    if (!this.running()) return;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (this.running()) {
      if (Date.now() > deadline) {
        process.kill(pid, 'SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async restart(opts: { liveRestore: boolean }): Promise<void> {
    await this.stop();
    await this.start(opts);
  }

  /** The offline test image, imported into this dockerd's own store. */
  async ensureImage(): Promise<void> {
    await ensureTestImage(this.client);
  }

  async destroy(): Promise<void> {
    try {
      // A live-restore dockerd leaves its containers running when it stops: remove them first,
      // through a dockerd that runs (one started without live-restore stops what it restores).
      if (!this.running() && existsSync(join(this.dir, 'data'))) await this.start({ liveRestore: false, timeoutMs: 150_000 }).catch(() => undefined);
      if (this.running()) {
        for (const c of await this.client.listContainers({ all: true }).catch(() => [])) await this.client.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
        await this.stop(30_000);
      }
    } finally {
      this.killLeftovers();
      this.unmountAll();
      rmSync(this.dir, { recursive: true, force: true });
      try {
        rmdirSync('/var/lib/shoal-test'); // only when no other run's dockerd is in it
      } catch {
        // not empty
      }
    }
  }

  /** Shims or a containerd of this dockerd that outlived it (their command lines name the dir or namespace). */
  private killLeftovers(): void {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmd.includes(this.dir) || cmd.includes(`\0${this.ns}\0`)) {
        try {
          process.kill(Number(entry), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }

  private unmountAll(): void {
    const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(this.dir));
    for (const m of mounts.sort().reverse()) {
      try {
        execFileSync('umount', ['-l', m]);
      } catch {
        // gone with its namespace already
      }
    }
  }
}

/** Why a test cannot run its own dockerd here, or false: it needs root, dockerd and busybox-static. */
export function ownDockerdSkip(): string | false {
  if (process.getuid?.() !== 0) return 'needs root to run a dockerd of its own';
  try {
    execFileSync('dockerd', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'dockerd is not installed (Debian: docker.io; .ci/run installs it)';
  }
  if (!['/bin/busybox', '/usr/bin/busybox'].some((p) => existsSync(p))) return 'busybox-static is not installed (the offline test image is made from it)';
  return false;
}

/** Docker's view of a network: running containers on it, by name → IPv4 address. */
export async function dockerView(client: Pick<EngineApi, 'listContainers'>, network: string): Promise<Map<string, string>> {
  const view = new Map<string, string>();
  for (const c of await client.listContainers({ filters: { network: [network] } })) {
    const ip = c.NetworkSettings?.Networks?.[network]?.IPAddress ?? '';
    view.set((c.Names[0] ?? c.Id).replace(/^\//, ''), ip);
  }
  return view;
}

export interface ShoalView {
  /** Endpoint addresses on the network by owner name (IPv4, no prefix). */
  readonly endpoints: Record<string, string>;
  /** `network check` found no problem and no reservation is left unclaimed. */
  readonly consistent: boolean;
}

/** Shoal's view of a network through the API (cheaper to poll than the CLI on a loaded machine). */
export async function shoalViewOf(api: Api, network: string): Promise<ShoalView> {
  const endpoints: Record<string, string> = {};
  for (const e of (await getNetwork(api, network)).endpoints) endpoints[e.ownerName] = e.address.replace(/\/\d+$/, '');
  const check = (await checkNetworks(api, network)).networks;
  return { endpoints, consistent: check.length === 1 && check.every((c) => c.problems.length === 0 && c.unclaimed.length === 0) };
}

/** Docker's running containers and Shoal's endpoints name the same containers with the same addresses. */
export function sameView(docker: Map<string, string>, shoal: Record<string, string>): boolean {
  const a = [...docker].sort();
  const b = Object.entries(shoal).sort();
  return JSON.stringify(a) === JSON.stringify(b);
}
