/**
 * The node's Docker Engine client (src/worker/docker-api.ts): the pull reference is split as
 * `docker pull` does (a bare name pulls "latest", never every tag); the log stream's 8-byte frames
 * are split into stdout and stderr also when a frame spans chunks; a pull's in-stream error is
 * reported; and against a real engine, an unknown container is a 404 carrying Docker's own message
 * (what the executors test for). The executors' use of the client runs in docker-executor.test.ts
 * and the image tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { demuxStream, EngineError, followProgress, pullQuery } from '../../src/worker/docker-api.js';
import { dockerClient, dockerSocketPath, probeEngine } from '../../src/worker/docker-engine.js';

test('pullQuery names a tag, keeps digests and registry ports, and never leaves the tag empty', () => {
  assert.deepEqual(pullQuery('busybox'), { fromImage: 'busybox', tag: 'latest' });
  assert.deepEqual(pullQuery('busybox:1.36'), { fromImage: 'busybox', tag: '1.36' });
  assert.deepEqual(pullQuery('registry.local:5000/team/app'), { fromImage: 'registry.local:5000/team/app', tag: 'latest' });
  assert.deepEqual(pullQuery('registry.local:5000/team/app:2'), { fromImage: 'registry.local:5000/team/app', tag: '2' });
  assert.deepEqual(pullQuery('app@sha256:abcd'), { fromImage: 'app@sha256:abcd' });
});

function collector(): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) });
  return { sink, text: () => Buffer.concat(chunks).toString() };
}

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

test('demuxStream splits stdout and stderr frames, also across chunk boundaries', async () => {
  const bytes = Buffer.concat([frame(1, 'hello '), frame(2, 'oops\n'), frame(1, 'world\n')]);
  // Written in pieces that cut headers and payloads.
  const s2 = new PassThrough();
  const out2 = collector();
  const err2 = collector();
  demuxStream(s2, out2.sink, err2.sink);
  const cuts = [0, 3, 11, 20, 25, bytes.length];
  for (let i = 1; i < cuts.length; i++) s2.write(bytes.subarray(cuts[i - 1], cuts[i]));
  s2.end();
  await new Promise((r) => s2.on('end', r).resume());
  assert.equal(out2.text(), 'hello world\n');
  assert.equal(err2.text(), 'oops\n');
});

test('followProgress collects every event and reports the error Docker puts inside the stream', async () => {
  const stream = new PassThrough();
  const done = new Promise<{ err: Error | null; events: { error?: string }[] }>((r) => followProgress(stream, (err, events) => r({ err, events })));
  stream.write('{"status":"Pulling from library/x"}\n{"status":"Downl');
  stream.write('oading"}\n');
  stream.end('{"error":"manifest unknown"}');
  const { err, events } = await done;
  assert.equal(err, null);
  assert.equal(events.length, 3);
  assert.equal(events.find((e) => typeof e.error === 'string')?.error, 'manifest unknown');
});

const socket = dockerSocketPath();
const engine = socket === null ? null : dockerClient(socket);
const answers = engine ? (await probeEngine(engine)) !== '' : false;

test('an unknown container is a 404 with Docker\'s own message (real engine)', { skip: answers ? false : `no Docker Engine answers on ${socket ?? '(none)'}` }, async () => {
  const e = await engine!.getContainer('shoal-test-no-such-container').inspect().then(() => null, (x: unknown) => x);
  assert.ok(e instanceof EngineError, `expected an EngineError, got ${String(e)}`);
  assert.equal(e.statusCode, 404);
  assert.match(e.json.message, /no such container/i);
  const list = await engine!.listContainers({ all: true, filters: { label: ['shoal.test.never-set=1'] } });
  assert.deepEqual(list, [], 'filters reach Docker (JSON in the query)');
});

// A quiet container's `wait` outlasts 5 s, the socket timeout of Node's global HTTP agent: a first
// version of the client destroyed requests on 'timeout', which cut waits and log follows (the task
// then failed and was started again).
test('wait on a quiet container lasts past 5 s and reports its exit status (real engine)', { skip: answers ? false : `no Docker Engine answers on ${socket ?? '(none)'}` }, async () => {
  const { TEST_IMAGE, ensureTestImage } = await import('../helpers/docker.js');
  const Docker = (await import('dockerode')).default;
  await ensureTestImage(new Docker({ socketPath: socket!, timeout: 0 }));
  const c = await engine!.createContainer({ name: `shoal-test-wait-${process.pid}`, Image: TEST_IMAGE, Cmd: ['sh', '-c', 'sleep 6; exit 3'], HostConfig: { NetworkMode: 'none' } });
  try {
    await c.start();
    const t0 = Date.now();
    const r = await c.wait();
    assert.equal(r.StatusCode, 3);
    assert.ok(Date.now() - t0 >= 5_000, 'the container ran its 6 s');
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
});
