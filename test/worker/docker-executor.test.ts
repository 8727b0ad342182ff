/**
 * The Docker executor against the machine's real Docker Engine (skipped, with the reason, only
 * when none answers): a task's output reaches its log file, its environment and attachments file
 * reach the container, stop is graceful (SIGTERM first) and removes the container, a second
 * executor (a restarted agent) re-adopts a running container by its label, `--pull never` with a
 * missing image fails with Docker's message, and netnsPath names the container's namespace.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { waitFor } from '../helpers/in-process-cluster.js';
import { containersUnder, dockerForTests, removeContainersUnder, TEST_IMAGE } from '../helpers/docker.js';
import { DockerExecutor } from '../../src/worker/docker-executor.js';
import type { TaskSpec } from '../../src/worker/executor.js';
import { waitForAsync } from '../helpers/wait-async.js';

const engine = await dockerForTests();
const skip = 'skip' in engine ? engine.skip : false;

describe('DockerExecutor (real Docker Engine)', { skip }, () => {
  const docker = 'docker' in engine ? engine.docker : (null as unknown as Docker);
  const dir = mkdtempSync(join(tmpdir(), 'shoal-docker-exec-'));
  const executors: DockerExecutor[] = [];
  const executor = (): DockerExecutor => {
    const e = new DockerExecutor(docker, join(dir, 'tasks'));
    executors.push(e);
    return e;
  };
  after(async () => {
    for (const e of executors) e.close();
    await removeContainersUnder(docker, dir);
    rmSync(dir, { recursive: true, force: true });
  });
  const spec = (id: string, script: string, extra: Partial<TaskSpec> = {}): TaskSpec => ({
    id,
    command: 'sh',
    args: ['-c', script],
    env: { GREETING: 'hello' },
    attachments: [{ network: 'front', networkId: 'n1', address: '10.0.9.5/24', gateway: '10.0.9.1', subnet: '10.0.9.0/24', vxlanId: 4097 }],
    image: TEST_IMAGE,
    pull: 'missing',
    ...extra,
  });

  // Proves output, env and the attachments file reach the task; the namespace path is the container's;
  // stop delivers SIGTERM (the trap runs) well within the grace, and the container is then removed.
  test('runs, logs, exposes its netns, stops with grace, removes its container', async () => {
    const ex = executor();
    const script = 'echo "$GREETING $SHOAL_ADDR_FRONT"; cat "$SHOAL_ATTACHMENTS_FILE"; trap "echo got-term; exit 0" TERM; while true; do sleep 1; done';
    const s = await ex.start(spec('t1', script));
    assert.equal(s.state, 'running', s.message);
    assert.ok((s.pid ?? 0) > 0);
    assert.equal(ex.netnsPath('t1'), `/proc/${s.pid}/ns/net`);
    assert.ok(existsSync(ex.netnsPath('t1') ?? ''), 'the namespace path exists');
    await waitFor(() => existsSync(ex.logPath('t1')) && readFileSync(ex.logPath('t1'), 'utf8').includes('4097'), 10_000, 'output in the log file');
    const log = readFileSync(ex.logPath('t1'), 'utf8');
    assert.match(log, /hello 10\.0\.9\.5\/24/);
    assert.match(log, /"vxlanId": 4097/);
    const t0 = Date.now();
    const stopped = await ex.stop('t1', 10_000);
    assert.equal(stopped?.state, 'shutdown');
    assert.ok(Date.now() - t0 < 8_000, `stopped by SIGTERM in ${Date.now() - t0} ms, not by the kill after the grace`);
    await waitFor(() => readFileSync(ex.logPath('t1'), 'utf8').includes('got-term'), 5_000, 'the trap output');
    const cid = ex.containerId('t1') ?? '';
    await waitForAsync(async () => !(await containersUnder(docker, dir)).some((c) => c.Id === cid), 10_000, 'the container removed');
  });

  // Proves a second executor (an agent after a restart) adopts the running container by its label:
  // same container, still running, and it can stop it.
  test('a new executor re-adopts a running container', async () => {
    const first = executor();
    const s = await first.start(spec('t2', 'trap "exit 0" TERM; while true; do sleep 1; done'));
    assert.equal(s.state, 'running', s.message);
    const cid = first.containerId('t2');
    first.close();
    const second = executor();
    const statuses: string[] = [];
    second.onStatus((st) => statuses.push(`${st.state}: ${st.message}`));
    assert.equal(second.adopt(spec('t2', ''), s.pid ?? 0).state, 'running');
    await waitFor(() => statuses.some((m) => m.startsWith('running: re-adopted')), 10_000, 'the adoption confirmed');
    assert.equal(second.containerId('t2'), cid);
    assert.equal((await second.stop('t2', 5_000))?.state, 'shutdown');
  });

  // Proves an adoption of a task whose container is gone reports it failed.
  test('adopting a task whose container is gone reports failed', async () => {
    const ex = executor();
    ex.adopt(spec('t-gone', ''), 12345);
    await waitFor(() => ex.status('t-gone')?.state === 'failed', 10_000, 'failed');
    assert.match(ex.status('t-gone')?.message ?? '', /container is gone/);
  });

  // Proves `pull: never` with an image the engine lacks fails with Docker's own message, and exits are reported with their code.
  test('pull never with a missing image fails with Docker\'s message; an exit code is reported', async () => {
    const ex = executor();
    const s = await ex.start(spec('t3', 'true', { image: 'shoal-test/no-such-image:1', pull: 'never' }));
    assert.equal(s.state, 'failed');
    assert.match(s.message, /No such image: shoal-test\/no-such-image:1/);
    const e = await ex.start(spec('t4', 'exit 3'));
    if (e.state === 'running') await waitFor(() => ex.status('t4')?.state === 'failed', 10_000, 'the exit');
    assert.equal(ex.status('t4')?.exitCode, 3);
  });
});

