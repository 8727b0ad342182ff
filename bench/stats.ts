/** Small helpers shared by the cluster benchmarks. */
import { readFileSync } from 'node:fs';

/** The p-th percentile (nearest rank) of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `--name value` from the command line, or the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** The middle value (upper median for an even count); 0 for none. */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
}

/** Polls `cond` every 5 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(cond: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * user+sys CPU ms of a process so far, from /proc/PID/stat (clock ticks of 10 ms); with `children`,
 * of its waited-for children instead (cutime, cstime).
 */
export function procCpuMs(pid: number | 'self', children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After the command name: field 3 is state, so utime/stime (14, 15) are at 11 and 12, cutime/cstime at 13 and 14.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [u, s] = children ? [13, 14] : [11, 12];
  return (Number(fields[u]) + Number(fields[s])) * 10;
}

/** One phase of serial calls: each call's latency (ascending), the wall time, and the servers' CPU. */
export interface CallPhase {
  readonly latenciesMs: number[];
  readonly seconds: number;
  readonly managerCpuMs: number;
}

/** Makes `count` calls one after another, timing each, and the CPU the processes `pids` spent meanwhile. */
export async function timedCalls(pids: readonly number[], count: number, call: (i: number) => Promise<unknown>): Promise<CallPhase> {
  const cpu = (): number => pids.reduce((sum, pid) => sum + procCpuMs(pid), 0);
  const latenciesMs: number[] = [];
  const cpu0 = cpu();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await call(i);
    latenciesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { latenciesMs: latenciesMs.sort((a, b) => a - b), seconds, managerCpuMs: cpu() - cpu0 };
}
