/**
 * Test HOSTS as network namespaces: a switch namespace holds a bridge (the tests' own
 * underlay, 192.168.90.0/24), each host namespace has eth0 on it, and one Shoal daemon runs
 * in each host, entered with `nsenter --net` (not `ip netns exec`: that also gives the daemon
 * a private mount namespace, where the namespaces it names would not be visible to the test
 * or to the other hosts). The CLI reaches a daemon through its unix socket from the same host. `teardown()` kills every
 * daemon and task, removes every namespace the hosts' data planes or the harness made, and
 * the data dirs — also when the test failed. Every daemon's upstream DNS resolver (what its
 * node resolver forwards other names to) is host 1's underlay address, port 53, through
 * SHOAL_RESOLV_CONF: a test that needs one runs it there (upstream.ts); none runs otherwise.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeTag } from '../../src/network/dataplane/names.js';
import { killStoredTasks } from '../helpers/task-cleanup.js';
import { namespacesWith, NsScope, sh } from './netns.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');
export const UNDERLAY = '192.168.90';
export const DAEMON_PORT = 4242;
/** The daemons' upstream resolver: host 1's underlay address (port 53). */
export const UPSTREAM_DNS = `${UNDERLAY}.1`;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Host {
  readonly name: string;
  readonly ns: string;
  readonly addr: string;
  readonly dataDir: string;
}

export class TestHosts {
  readonly scope: NsScope;
  readonly hosts: Host[] = [];
  readonly dir: string;
  private switchNs = '';
  /** Extra environment of one host's CLI (and so of the daemon it starts), by host name. */
  private readonly hostEnv = new Map<string, Record<string, string>>();

  constructor(label: string) {
    this.scope = new NsScope(label);
    this.dir = mkdtempSync(join(tmpdir(), `shoal-${label}-`));
    writeFileSync(this.resolvConf, `nameserver ${UPSTREAM_DNS}\n`);
  }

  /** The resolv.conf every daemon reads its upstream resolvers from. */
  get resolvConf(): string {
    return join(this.dir, 'resolv.conf');
  }

  /** Makes `count` hosts on one underlay switch. */
  async create(count: number): Promise<Host[]> {
    this.switchNs = await this.scope.add('sw');
    await sh('ip', ['-n', this.switchNs, '-batch', '-'], 'link add name sw0 type bridge\nlink set sw0 up\n');
    for (let i = 1; i <= count; i++) {
      const ns = await this.scope.add(`h${i}`);
      await sh('ip', ['-n', this.switchNs, 'link', 'add', `p${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      await sh('ip', ['-n', this.switchNs, 'link', 'set', `p${i}`, 'master', 'sw0', 'up']);
      const addr = `${UNDERLAY}.${i}`;
      await sh('ip', ['-n', ns, '-batch', '-'], `addr add ${addr}/24 dev eth0\nlink set eth0 up\n`);
      this.hosts.push({ name: `host${i}`, ns, addr, dataDir: join(this.dir, `host${i}`) });
    }
    return this.hosts;
  }

  /** Sets environment variables for everything later run on `h` (e.g. SHOAL_DATA_PLANE_FIREWALL). */
  setEnv(h: Host, vars: Record<string, string>): void {
    this.hostEnv.set(h.name, { ...this.hostEnv.get(h.name), ...vars });
  }

  /** Runs the CLI on a host (inside its namespace, against its data dir). */
  shoal(h: Host, ...args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        'nsenter',
        [`--net=/run/netns/${h.ns}`, process.execPath, CLI, '--data-dir', h.dataDir, ...args],
        { timeout: 60_000, env: { ...process.env, SHOAL_HOST: '', SHOAL_DATA_PLANE_RESYNC_MS: '1000', SHOAL_RESOLV_CONF: this.resolvConf, ...this.hostEnv.get(h.name) } },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });
  }

  async ok(h: Host, ...args: string[]): Promise<string> {
    const r = await this.shoal(h, ...args);
    if (r.code !== 0) throw new Error(`shoal ${args.join(' ')} on ${h.name} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  }

  /** Node IDs, remembered: `leave` wipes node.json, and its namespaces must still be found after. */
  private readonly ids = new Map<string, string>();

  nodeId(h: Host): string {
    let id = this.ids.get(h.name);
    if (!id) {
      id = (JSON.parse(readFileSync(join(h.dataDir, 'node.json'), 'utf8')) as { nodeId: string }).nodeId;
      this.ids.set(h.name, id);
    }
    return id;
  }

  tag(h: Host): string {
    return nodeTag(this.nodeId(h));
  }

  daemonPid(h: Host): number {
    const file = join(h.dataDir, 'shoal.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) || 0 : 0;
  }

  /** Every namespace of a host's data plane. */
  async namespacesOf(h: Host): Promise<string[]> {
    return namespacesWith(this.tag(h));
  }

  async teardown(): Promise<void> {
    const tags: string[] = [];
    for (const h of this.hosts) {
      const pid = this.daemonPid(h);
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      killStoredTasks(h.dataDir);
      if (this.ids.has(h.name) || existsSync(join(h.dataDir, 'node.json'))) tags.push(this.tag(h));
    }
    await this.scope.cleanup(...tags);
    // SHOAL_TEST_KEEP_DIRS=1 keeps the data dirs (daemon logs) of a failed run for a post-mortem.
    if (process.env['SHOAL_TEST_KEEP_DIRS'] !== '1') rmSync(this.dir, { recursive: true, force: true });
  }
}
