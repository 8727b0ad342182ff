import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { freePort, startCluster, waitFor, type TestCluster } from '../helpers/in-process-cluster.js';
import { ServiceApi, openWatch, watchClient, type WatchStream } from '../../bin/service-api.js';
import type { Manager } from '../../src/manager/manager.js';
import type { WatchClient } from '../../src/generated/shoal/v1/Watch.js';
import type { WatchEvent__Output } from '../../src/generated/shoal/v1/WatchEvent.js';
import type { WatchRequest } from '../../src/generated/shoal/v1/WatchRequest.js';
import { eventsAfter } from '../../src/manager/store/events.js';
import { loadProtos } from '../../src/proto/load.js';
import { watchHandlers } from '../../src/manager/watch-service.js';

// Proves the Watch stream: changes arrive as they are applied, a client that
// disconnects and resumes (on another manager, and after the leader stops)
// sees every change exactly once, and bad resume points and slow readers end
// the stream with the promised status.

let c: TestCluster;
let apis: ServiceApi[];
const clients: WatchClient[] = [];
/** Managers this file stopped (a stopped manager's shell still says what it last was). */
const stopped = new Set<Manager>();

function liveLeaderIndex(): number {
  const i = c.managers.findIndex((m) => !stopped.has(m) && m.shell.isLeader);
  assert.ok(i >= 0, 'a live leader');
  return i;
}

before(async () => {
  c = await startCluster(3);
  apis = c.apis.map((a) => new ServiceApi(a));
});
after(async () => {
  for (const w of clients) w.close();
  await c.close();
});

function client(i: number): WatchClient {
  const w = watchClient(c.apis[i]!.target);
  clients.push(w);
  return w;
}

/** A watch that collects events; `ended` settles with the final status. */
interface Collector {
  readonly events: WatchEvent__Output[];
  readonly stream: WatchStream;
  readonly ended: Promise<grpc.StatusObject | Error>;
}

function collect(w: WatchClient, req: WatchRequest): Collector {
  const events: WatchEvent__Output[] = [];
  const stream = openWatch(w, req);
  stream.on('data', (e: WatchEvent__Output) => events.push(e));
  const ended = new Promise<grpc.StatusObject | Error>((resolve) => {
    stream.on('error', (e) => resolve(e));
    stream.on('status', (s: grpc.StatusObject) => {
      if (s.code === grpc.status.OK) resolve(s);
    });
  });
  return { events, stream, ended };
}

const idOf = (e: WatchEvent__Output): string => e.service?.id ?? e.task?.id ?? e.node?.id ?? e.network?.id ?? e.container?.id ?? e.cluster?.id ?? '';
const key = (e: { seq: number; action: string; id: string }): string => `${e.seq}:${e.action}:${e.id}`;
const wireKey = (e: WatchEvent__Output): string => key({ seq: Number(e.sequence), action: e.action.replace('WATCH_ACTION_', '').toLowerCase(), id: idOf(e) });

describe('watch', () => {
  // Disconnects mid-way, changes more, resumes on another manager from the last sequence; the
  // union equals the events table exactly (no gap, no repeat); then the same across a leader stop.
  test('resume from the last sequence sees every change exactly once, across managers and a leader stop', async () => {
    const start = c.managers[0]!.store.applied().index;
    const first = collect(client(1), { kinds: ['OBJECT_KIND_SERVICE', 'OBJECT_KIND_TASK'] });
    await new Promise((r) => setTimeout(r, 100)); // the stream is registered once its start read returns
    const svc = (await apis[0]!.createService({ spec: { name: 'w', replicas: 3, taskTemplate: { command: 'sleep' } } })).service!;
    await waitFor(() => first.events.length >= 4, 5_000, 'create events');
    assert.equal(first.events[0]!.action, 'WATCH_ACTION_CREATE');
    assert.equal(first.events[0]!.service?.name, 'w');
    assert.ok(first.events.slice(1, 4).every((e) => e.kind === 'OBJECT_KIND_TASK' && e.task?.serviceId === svc.id));
    first.stream.cancel();
    const seen = [...first.events];

    let v = (await apis[2]!.updateService({ ref: 'w', version: svc.version, spec: { name: 'w', replicas: 5, taskTemplate: { command: 'sleep' } } })).service!.version;
    v = (await apis[1]!.updateService({ ref: 'w', version: v, spec: { name: 'w', replicas: 1, taskTemplate: { command: 'sleep' } } })).service!.version;
    await c.apis[0]!.updateNode({ ref: 'm1', labelAdd: { x: '1' } }); // a node event the filter skips

    const last = Number(seen[seen.length - 1]!.sequence);
    const second = collect(client(2), { kinds: ['OBJECT_KIND_SERVICE', 'OBJECT_KIND_TASK'], resumeAfterSequence: last });
    await waitFor(() => second.events.some((e) => e.kind === 'OBJECT_KIND_SERVICE' && Number(e.version) === Number(v)), 5_000, 'replayed events');
    second.stream.cancel();
    seen.push(...second.events);

    // Stop the leader; resume on a survivor from the last sequence; changes made after are delivered.
    const leader = c.leader();
    const survivors = c.managers.map((m, i) => ({ m, i })).filter((x) => x.m !== leader);
    stopped.add(leader);
    await leader.close();
    await waitFor(() => survivors.some((x) => x.m.shell.isLeader), 10_000, 'a new leader');
    const resumeAt = Number(seen[seen.length - 1]!.sequence);
    const third = collect(client(survivors[0]!.i), { kinds: ['OBJECT_KIND_SERVICE', 'OBJECT_KIND_TASK'], resumeAfterSequence: resumeAt });
    await new Promise((r) => setTimeout(r, 100));
    await apis[survivors[1]!.i]!.removeService({ ref: 'w' });
    await waitFor(() => third.events.some((e) => e.action === 'WATCH_ACTION_DELETE' && e.kind === 'OBJECT_KIND_SERVICE'), 10_000, 'the delete');
    third.stream.cancel();
    seen.push(...third.events);

    const db = survivors[0]!.m.store.db;
    const expected = eventsAfter(db, 0, 100_000)
      .filter((e) => e.version > start && (e.kind === 'service' || e.kind === 'task'))
      .map((e) => key({ seq: e.seq, action: e.action, id: e.objectId }));
    assert.deepEqual(seen.map(wireKey), expected, 'every change exactly once, in order');
    const seqs = seen.map((e) => Number(e.sequence));
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  });

  // Resume points that cannot be honoured end the stream with OUT_OF_RANGE and a message.
  test('a resume point ahead of the cluster is OUT_OF_RANGE; an unknown kind is INVALID_ARGUMENT', async () => {
    const live = liveLeaderIndex();
    const ahead = collect(client(live), { resumeAfterSequence: 10_000_000 });
    const st = (await ahead.ended) as grpc.ServiceError;
    assert.equal(st.code, grpc.status.OUT_OF_RANGE);
    assert.match(st.details, /ahead of the newest change/);
    const bad = collect(client(live), { kinds: [42 as unknown as 'OBJECT_KIND_NODE'] });
    const st2 = (await bad.ended) as grpc.ServiceError;
    assert.equal(st2.code, grpc.status.INVALID_ARGUMENT);
    assert.match(st2.details, /^kinds:/);
  });

  // A reader that stops reading is ended with RESOURCE_EXHAUSTED once it lags too far; the
  // events it was sent arrive first, and resuming from the last one it got completes the set.
  test('a slow watcher is ended with RESOURCE_EXHAUSTED and can resume without a gap', async () => {
    const live = c.managers[liveLeaderIndex()]!;
    const liveApi = apis[c.managers.indexOf(live)]!;
    const server = new grpc.Server();
    server.addService(loadProtos().grpcObject.shoal.v1.Watch.service, watchHandlers(live, { batchEvents: 64, turnEventsMax: 256, lagEventsMax: 50 }));
    const port = await freePort();
    await new Promise<void>((res, rej) => server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? rej(e) : res())));
    // A plaintext test server (no certificates): the CLI's watchClient would insist on mutual TLS over TCP.
    const w = new (loadProtos().grpcObject.shoal.v1.Watch)(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const slow = collect(w, { kinds: ['OBJECT_KIND_TASK'] });
      await new Promise((r) => setTimeout(r, 100));
      slow.stream.pause();
      const from = eventsAfter(live.store.db, 0, 1_000_000).at(-1)?.seq ?? 0;
      await liveApi.createService({ spec: { name: 'many', replicas: 400, taskTemplate: { command: 'sleep', args: ['x'.repeat(200)] } } });
      await new Promise((r) => setTimeout(r, 300));
      slow.stream.resume();
      const st = (await slow.ended) as grpc.ServiceError;
      // What the client had processed when it learned of the end: that is where it resumes from.
      // (A stream's buffered data may still be delivered after its error; a real client stops there.)
      const seen = slow.events.slice();
      assert.equal(st.code, grpc.status.RESOURCE_EXHAUSTED, st.details);
      assert.match(st.details, /resume with resume_after_sequence/);
      // How many arrive before the cut depends on timing (possibly none); the resume must close the gap either way.
      assert.ok(seen.length < 400, `got ${seen.length} before the end`);
      const resumeAfter = seen.length > 0 ? Number(seen.at(-1)!.sequence) : from;
      const rest = collect(client(c.managers.indexOf(live)), { kinds: ['OBJECT_KIND_TASK'], resumeAfterSequence: resumeAfter });
      // Other leader loops may add task events meanwhile; compare everything up to a fixed point.
      const target = eventsAfter(live.store.db, from, 1_000_000).filter((e) => e.kind === 'task').at(-1)!.seq;
      await waitFor(() => Number(rest.events.at(-1)?.sequence ?? 0) >= target, 10_000, 'the rest of the tasks');
      rest.stream.cancel();
      const all = [...seen, ...rest.events].filter((e) => Number(e.sequence) <= target).map(wireKey);
      const expected = eventsAfter(live.store.db, from, 1_000_000)
        .filter((e) => e.kind === 'task' && e.seq <= target)
        .map((e) => key({ seq: e.seq, action: e.action, id: e.objectId }));
      assert.deepEqual(all, expected);
    } finally {
      w.close();
      server.forceShutdown();
    }
  });
});
