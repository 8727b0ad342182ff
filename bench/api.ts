// One client, serial writes over ONE connection to a one-manager cluster over
// its unix socket: N CreateService calls (0 replicas, so only the service row
// is written), then N RemoveService calls; each call is acknowledged only
// after its Raft entry is committed (fsynced) and applied. The same shape as
// the Docker Engine API loop the swarm figure in issue #16 came from.
// Prints p50/p99 per call and calls/s per round, the medians over the rounds,
// and the manager's CPU time per call (user+sys from /proc, which a shared
// machine disturbs far less than wall time).
// Usage: node dist/bench/api.js [--calls 200] [--rounds 5] [--profile DIR]
//   --profile DIR: run the manager with --cpu-prof, profiles written to DIR on stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '../bin/client.js';
import { DAEMON_NODE_FLAGS } from '../bin/daemon-control.js';
import { ServiceApi } from '../bin/service-api.js';
import { SOCKET_FILE } from '../src/manager/paths.js';
import { CLI_PATH } from '../test/integration/harness.js';
import { freePort } from '../test/helpers/in-process-cluster.js';
import { arg, median, percentile, timedCalls, type CallPhase as Phase } from './stats.js';

const CALLS = Number(arg('calls', '200'));
const ROUNDS = Number(arg('rounds', '5'));
const PROFILE_DIR = arg('profile', '');
const WARMUP_CALLS = 20;

function line(what: string, p: Phase): string {
  return (
    `${what.padEnd(7)} p50 ${percentile(p.latenciesMs, 50).toFixed(2)} ms  p99 ${percentile(p.latenciesMs, 99).toFixed(2)} ms  ` +
    `${(p.latenciesMs.length / p.seconds).toFixed(0)} calls/s  manager CPU ${(p.managerCpuMs / p.latenciesMs.length).toFixed(2)} ms/call`
  );
}

/**
 * Starts a one-manager cluster as `shoal init --foreground` (what `shoal init`
 * runs in the background, with the same node flags), so node flags such as --cpu-prof reach the manager
 * (Node refuses them in NODE_OPTIONS), and waits until it answers.
 */
async function startManager(dataDir: string): Promise<{ child: ChildProcess; api: Api }> {
  const port = await freePort();
  const nodeFlags = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, ...nodeFlags, CLI_PATH, '--data-dir', dataDir, 'init', '--listen-addr', `127.0.0.1:${port}`, '--foreground'], { stdio: 'ignore' });
  const api = new Api(`unix://${join(dataDir, SOCKET_FILE)}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await api.clusterInfo(1_000);
      return { child, api };
    } catch (e) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw e;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-api-bench-'));
  const { child, api } = await startManager(join(dir, 'm1'));
  const m = { pid: child.pid! };
  const services = new ServiceApi(api);
  const spec = (name: string) => ({ name, replicas: 0, taskTemplate: { command: 'sleep', args: ['100'] } });
  try {
    for (let i = 0; i < WARMUP_CALLS; i++) await services.createService({ spec: spec(`warm-${i}`) });
    for (let i = 0; i < WARMUP_CALLS; i++) await services.removeService({ ref: `warm-${i}` });
    const creates: Phase[] = [];
    const removes: Phase[] = [];
    console.log(`api: 1 manager, 1 client, 1 connection (unix socket), ${CALLS} CreateService (0 replicas) then ${CALLS} RemoveService, ${ROUNDS} rounds`);
    for (let r = 0; r < ROUNDS; r++) {
      const cr = await timedCalls([m.pid], CALLS, (i) => services.createService({ spec: spec(`s${r}-${i}`) }));
      const rm = await timedCalls([m.pid], CALLS, (i) => services.removeService({ ref: `s${r}-${i}` }));
      creates.push(cr);
      removes.push(rm);
      console.log(`round ${r + 1}: ${line('create', cr)}`);
      console.log(`round ${r + 1}: ${line('remove', rm)}`);
    }
    for (const [what, phases] of [['create', creates], ['remove', removes]] as const) {
      const p50 = median(phases.map((p) => percentile(p.latenciesMs, 50)));
      const p99 = median(phases.map((p) => percentile(p.latenciesMs, 99)));
      const rate = median(phases.map((p) => p.latenciesMs.length / p.seconds));
      const cpu = median(phases.map((p) => p.managerCpuMs / p.latenciesMs.length));
      console.log(`median of ${ROUNDS} rounds, ${what}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, ${rate.toFixed(0)} calls/s, manager CPU ${cpu.toFixed(2)} ms/call`);
    }
  } finally {
    api.close();
    // SIGTERM is an orderly stop, which also writes the manager's profile.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
