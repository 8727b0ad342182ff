/**
 * Helpers for the data-plane tests: namespaces with a per-test prefix, processes run inside
 * them, and a cleanup that removes every namespace and process a test made (also on failure).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ECHO_SERVER = join(here, 'echo-server.js');
export const PROBE = join(here, 'probe.js');

/** Why these tests cannot run here, or null when they can (root, ip, nft, vxlan). */
export async function missingCapability(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces and VXLAN devices)';
  for (const [tool, args] of [['ip', ['-V']], ['bridge', ['-V']], ['nft', ['--version']]] as const) {
    if ((await sh(tool, [...args]).then(() => true).catch(() => false)) === false) return `needs \`${tool}\` (iproute2 / nftables)`;
  }
  return null;
}

export function sh(file: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = execFile(file, [...args], { timeout: 20_000 }, (err, out, errText) => (err ? reject(new Error(`${file} ${args.join(' ')}: ${String(errText) || err.message}`)) : resolve(String(out))));
    c.stdin?.on('error', () => undefined);
    c.stdin?.end(input ?? '');
  });
}

export function nsRun(ns: string, file: string, args: readonly string[]): Promise<string> {
  return sh('ip', ['netns', 'exec', ns, file, ...args]);
}

/** Does `proto` reach HOST:PORT from namespace `ns` (an echo server answering)? */
export async function reaches(ns: string, proto: 'tcp' | 'udp', host: string, port: number, timeoutMs = 3_000): Promise<boolean> {
  const r = await probeMany(ns, [`${proto}:${host}:${port}`], timeoutMs);
  return r[`${proto}:${host}:${port}`] === true;
}

/** Checks many targets ("tcp:IP:PORT", "udp:IP:PORT") from one namespace with one process. */
export async function probeMany(ns: string, targets: readonly string[], timeoutMs = 3_000): Promise<Record<string, boolean>> {
  const out = await nsRun(ns, process.execPath, [PROBE, String(timeoutMs), ...targets]);
  return JSON.parse(out) as Record<string, boolean>;
}

/** Tracks namespaces and processes; `cleanup()` removes them all. */
export class NsScope {
  readonly procs: ChildProcess[] = [];
  readonly prefix: string;

  constructor(label: string) {
    this.prefix = `shoaltest-${label}${process.pid}-`;
  }

  async add(name: string): Promise<string> {
    const ns = `${this.prefix}${name}`;
    await sh('ip', ['netns', 'add', ns]);
    await sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    return ns;
  }

  /** Starts an echo server in `ns`; resolves once it listens. */
  echo(ns: string, port: number): Promise<ChildProcess> {
    const p = spawn('ip', ['netns', 'exec', ns, process.execPath, ECHO_SERVER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.procs.push(p);
    return new Promise((resolve, reject) => {
      p.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) resolve(p);
      });
      p.once('exit', (code) => reject(new Error(`echo server in ${ns} exited (${code})`)));
    });
  }

  /** Removes every namespace whose name starts with one of `prefixes` (and ours), and our processes. */
  async cleanup(...prefixes: string[]): Promise<void> {
    for (const p of this.procs) if (p.exitCode === null) p.kill('SIGKILL');
    const all = [this.prefix, ...prefixes];
    const list = (await sh('ip', ['netns', 'list'])).split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '');
    for (const ns of list) {
      if (ns === '' || !all.some((p) => ns.startsWith(p))) continue;
      if (ns.includes('-sb-')) await sh('ip', ['-n', ns, 'link', 'del', 'vxlan0']).catch(() => undefined);
      await sh('ip', ['netns', 'del', ns]).catch(() => undefined);
    }
    // Per-namespace files (resolv.conf) of a daemon killed before it could remove them.
    if (existsSync('/etc/netns')) for (const d of readdirSync('/etc/netns')) if (all.some((p) => d.startsWith(p))) rmSync(`/etc/netns/${d}`, { recursive: true, force: true });
  }
}

export async function namespacesWith(prefix: string): Promise<string[]> {
  return (await sh('ip', ['netns', 'list'])).split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter((n) => n.startsWith(prefix));
}
