import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCluster, type TestCluster } from '../helpers/in-process-cluster.js';

// Proves the `shoal service` commands as a user runs them: the compiled CLI in
// a child process against an in-process manager, checking stdout (tables and
// SPEC.md JSON records), stderr messages and exit codes 0/1/2.

const CLI = fileURLToPath(new URL('../../bin/cli.js', import.meta.url));
let c: TestCluster;
let host: string;

before(async () => {
  c = await startCluster(1);
  host = c.apis[0]!.target;
});
after(async () => {
  await c.close();
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function shoal(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, '-H', host, ...args], { env: { ...process.env, SHOAL_SERVICE_WAIT_MS: '600' }, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('shoal service', () => {
  // Without --detach, create shows progress and, with no node to run tasks, says so within a bounded time and exits 0.
  test('create shows progress, then says what the tasks wait for', async () => {
    const r = await shoal('service', 'create', '--name', 'web', '--replicas', '3', '--env', 'A=1', '--constraint', 'node.role==manager', '--', 'sh', '-c', 'echo --x');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^[0-9a-z]{25}$/);
    assert.match(r.stdout, /overall progress: \d out of 3 tasks/);
    assert.match(r.stdout, /service is created|service converged/);
  });

  // ls: a table by default, SPEC.md records with --format json, IDs with -q.
  test('ls as table, JSON and IDs', async () => {
    const table = await shoal('service', 'ls');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+NAME\s+MODE\s+REPLICAS\s+COMMAND/);
    assert.match(table.stdout, /web\s+replicated\s+\d\/3\s+sh -c echo --x/);
    const json = await shoal('service', 'ls', '--format', 'json');
    const records = JSON.parse(json.stdout) as Record<string, unknown>[];
    assert.equal(records.length, 1);
    assert.deepEqual(Object.keys(records[0]!).sort(), ['id', 'mode', 'name', 'replicas', 'running']);
    assert.equal(records[0]!['name'], 'web');
    assert.equal(records[0]!['mode'], 'replicated');
    assert.equal(records[0]!['replicas'], 3);
    const q = await shoal('service', 'ls', '-q');
    assert.equal(q.stdout.trim(), records[0]!['id']);
  });

  // ps --format json gives one SPEC.md task record per slot; inspect shows the full spec.
  test('ps and inspect', async () => {
    const ps = await shoal('service', 'ps', 'web', '--format', 'json');
    assert.equal(ps.code, 0, ps.stderr);
    const tasks = JSON.parse(ps.stdout) as Record<string, unknown>[];
    assert.deepEqual(tasks.map((t) => t['slot']).sort(), [1, 2, 3]);
    for (const t of tasks) {
      assert.deepEqual(Object.keys(t).sort(), ['addresses', 'desiredState', 'id', 'message', 'node', 'service', 'slot', 'state']);
      assert.equal(t['service'], 'web');
      assert.equal(t['desiredState'], 'running');
      assert.deepEqual(t['addresses'], []);
    }
    const table = await shoal('service', 'ps', 'web');
    assert.match(table.stdout, /^ID\s+NAME\s+NODE\s+DESIRED STATE\s+CURRENT STATE/);
    assert.match(table.stdout, /web\.1\s/);
    const inspect = JSON.parse((await shoal('service', 'inspect', 'web')).stdout) as { taskTemplate: { args: string[]; env: string[] }; constraints: string[] }[];
    assert.deepEqual(inspect[0]!.taskTemplate.args, ['-c', 'echo --x']);
    assert.deepEqual(inspect[0]!.taskTemplate.env, ['A=1']);
    assert.deepEqual(inspect[0]!.constraints, ['node.role==manager']);
  });

  // scale and update change the service; the change shows in ls and inspect.
  test('scale and update', async () => {
    const s = await shoal('service', 'scale', 'web=5');
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /web scaled to 5/);
    const u = await shoal('service', 'update', '--env-add', 'B=2', '--env-rm', 'A', '--replicas', '2', 'web');
    assert.equal(u.code, 0, u.stderr);
    const inspect = JSON.parse((await shoal('service', 'inspect', 'web')).stdout) as { replicas: number; taskTemplate: { env: string[] } }[];
    assert.equal(inspect[0]!.replicas, 2);
    assert.deepEqual(inspect[0]!.taskTemplate.env, ['B=2']);
  });

  // Bad input: usage errors exit 2; errors from the cluster exit 1 with `Error: …` naming the problem.
  test('errors and exit codes', async () => {
    const noCmd = await shoal('service', 'create', '--name', 'x');
    assert.equal(noCmd.code, 2);
    assert.match(noCmd.stderr, /^Error: say what the service runs/);
    const negative = await shoal('service', 'create', '--name', 'x', '--replicas', '-1', '--', 'sleep');
    assert.equal(negative.code, 2);
    assert.match(negative.stderr, /--replicas must be a whole number/);
    const dup = await shoal('service', 'create', '--detach', '--name', 'web', '--', 'sleep');
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /^Error: a service named "web" already exists/);
    const cons = await shoal('service', 'create', '-d', '--name', 'y', '--constraint', 'node.colour==red', '--', 'sleep');
    assert.equal(cons.code, 1);
    assert.match(cons.stderr, /^Error: constraint "node.colour==red"/);
    const net = await shoal('service', 'create', '-d', '--name', 'z', '--network', 'nowhere', '--', 'sleep');
    assert.equal(net.code, 1);
    assert.match(net.stderr, /^Error: network "nowhere" not found/);
    const missing = await shoal('service', 'ps', 'ghost');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error: service "ghost" not found/);
  });

  // Restart policy and placement flags reach the stored spec; bad values are refused naming the flag.
  test('restart and placement flags', async () => {
    const ok = await shoal('service', 'create', '-d', '--name', 'tuned', '--replicas', '0', '--restart-condition', 'on-failure', '--restart-delay', '2s',
      '--restart-max-attempts', '3', '--restart-window', '1m', '--replicas-max-per-node', '1', '--placement-pref', 'spread=node.labels.zone', '--', 'sleep', '1');
    assert.equal(ok.code, 0, ok.stderr);
    const [svc] = JSON.parse((await shoal('service', 'inspect', 'tuned')).stdout) as { taskTemplate: { restartPolicy: unknown }; placement: unknown }[];
    assert.deepEqual(svc?.taskTemplate.restartPolicy, { condition: 'on-failure', delayMs: 2000, maxAttempts: 3, windowMs: 60000 });
    assert.deepEqual(svc?.placement, { constraints: [], preferences: ['spread=node.labels.zone'], maxReplicasPerNode: 1 });
    const badDelay = await shoal('service', 'create', '-d', '--name', 'bad1', '--restart-delay', 'soon', '--', 'sleep');
    assert.equal(badDelay.code, 1);
    assert.match(badDelay.stderr, /^Error: --restart-delay "soon" is not a duration/);
    const badPref = await shoal('service', 'create', '-d', '--name', 'bad2', '--placement-pref', 'pack=node.labels.zone', '--', 'sleep');
    assert.equal(badPref.code, 1);
    assert.match(badPref.stderr, /^Error: --placement-pref "pack=node.labels.zone" must look like spread=node.labels.KEY/);
    assert.equal((await shoal('service', 'rm', 'tuned')).code, 0);
  });

  // The --rollback-* flags reach the stored rollback config (shown by inspect), `service update` changes only
  // the ones given, a service without them has none (a rollback then follows the update settings), and bad
  // values are refused naming the flag with exit 1 (2 for a value outside the choices). That a rollback then
  // follows these settings is proved at the update-plan level (test/manager/update-plan.test.ts).
  test('rollback flags', async () => {
    const ok = await shoal('service', 'create', '-d', '--name', 'rbf', '--replicas', '0', '--rollback-parallelism', '2', '--rollback-delay', '3s',
      '--rollback-order', 'start-first', '--rollback-failure-action', 'continue', '--rollback-monitor', '1500ms', '--rollback-max-failure-ratio', '0.25', '--', 'sleep', '1');
    assert.equal(ok.code, 0, ok.stderr);
    type Inspected = { rollbackConfig?: Record<string, unknown>; updateConfig: Record<string, unknown> }[];
    const inspect = async (name: string): Promise<Inspected> => JSON.parse((await shoal('service', 'inspect', name)).stdout) as Inspected;
    assert.deepEqual((await inspect('rbf'))[0]?.rollbackConfig, { parallelism: 2, delayMs: 3000, order: 'start-first', failureAction: 'continue', monitorMs: 1500, maxFailureRatio: 0.25 });
    const up = await shoal('service', 'update', '-d', '--rollback-parallelism', '0', '--rollback-failure-action', 'pause', 'rbf');
    assert.equal(up.code, 0, up.stderr);
    const [after] = await inspect('rbf');
    assert.deepEqual(after?.rollbackConfig, { parallelism: 0, delayMs: 3000, order: 'start-first', failureAction: 'pause', monitorMs: 1500, maxFailureRatio: 0.25 });
    assert.deepEqual(after?.updateConfig, { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 5000, maxFailureRatio: 0 }, 'the update config is untouched');

    const plain = await shoal('service', 'create', '-d', '--name', 'rbp', '--replicas', '0', '--', 'sleep', '1');
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal((await inspect('rbp'))[0]?.rollbackConfig, undefined, 'no flag, no rollback config');
    const partial = await shoal('service', 'update', '-d', '--rollback-monitor', '0s', 'rbp');
    assert.equal(partial.code, 0, partial.stderr);
    assert.deepEqual((await inspect('rbp'))[0]?.rollbackConfig, { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0, maxFailureRatio: 0 }, "one flag: docker's defaults for the rest");

    // Create and update validate through the same function: each case is run through one of them.
    const refused: ['create' | 'update', string[], RegExp, number][] = [
      ['create', ['--rollback-parallelism', '1.5'], /^Error: --rollback-parallelism must be a whole number, 0 or more \(got 1.5\)/, 1],
      ['create', ['--rollback-failure-action', 'rollback'], /Argument: rollback-failure-action, Given: "rollback", Choices: "pause", "continue"/, 2],
      ['create', ['--rollback-delay', 'soon'], /^Error: --rollback-delay "soon" is not a duration/, 1],
      ['update', ['--rollback-max-failure-ratio', '2'], /^Error: --rollback-max-failure-ratio must be a number from 0 to 1 \(got 2\)/, 1],
      ['update', ['--rollback-monitor', '5 parsecs'], /^Error: --rollback-monitor "5 parsecs" is not a duration/, 1],
    ];
    for (const [cmd, flags, message, code] of refused) {
      const r = cmd === 'create' ? await shoal('service', 'create', '-d', '--name', 'rbbad', ...flags, '--', 'sleep') : await shoal('service', 'update', '-d', ...flags, 'rbf');
      assert.equal(r.code, code, `${cmd} ${flags.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal((await shoal('service', 'inspect', 'rbbad')).code, 1, 'nothing was created');
    assert.equal((await inspect('rbf'))[0]?.rollbackConfig?.['parallelism'], 0, 'nothing was changed');
    assert.equal((await shoal('service', 'rm', 'rbf', 'rbp')).code, 0);
  });

  // rm removes the service; ls is empty afterwards.
  test('rm', async () => {
    const r = await shoal('service', 'rm', 'web');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse((await shoal('service', 'ls', '--format', 'json')).stdout), []);
  });
});
