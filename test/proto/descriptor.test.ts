// Proves the precompiled descriptor (src/generated/descriptor.ts) is what the
// .proto files say: regenerating it from proto/ gives the committed file byte
// for byte (so a .proto edit without `npm run gen:proto` fails here), it holds
// the same files as the runtime list, and the service definitions built from
// it match, method for method, what @grpc/proto-loader makes by parsing the
// .proto files: paths, streaming, aliases, and the decoded form of messages
// (defaults, enums as names, uint64 as numbers, oneofs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import type * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../../src/proto/load.js';
import { PROTO_DIR, PROTO_FILES, PROTO_LOADER_OPTIONS } from '../../src/proto/options.js';

const repo = join(PROTO_DIR, '..');
const script = join(repo, 'scripts', 'gen-descriptor.mjs');

test('the committed descriptor is exactly what proto/ generates', () => {
  const fresh = execFileSync(process.execPath, [script, '--stdout'], { encoding: 'utf8' });
  const committed = readFileSync(join(repo, 'src', 'generated', 'descriptor.ts'), 'utf8');
  assert.ok(fresh === committed, 'src/generated/descriptor.ts is out of date with proto/: run `npm run gen:proto` and commit the result');
});

test('the descriptor generator reads the same .proto files as the runtime list', () => {
  const text = readFileSync(script, 'utf8');
  for (const f of PROTO_FILES) assert.ok(text.includes(`'${f}'`), `gen-descriptor.mjs includes ${f}`);
  assert.equal((text.match(/'[a-z/]+\/v1\/[a-z]+\.proto'/g) ?? []).length, PROTO_FILES.length, 'no extra files in gen-descriptor.mjs');
});

test('service definitions from the descriptor match proto-loader parsing the .proto files', () => {
  const parsed = protoLoader.loadSync([...PROTO_FILES], PROTO_LOADER_OPTIONS);
  const services = Object.entries(parsed).filter(([, d]) => !('format' in d)) as [string, protoLoader.ServiceDefinition][];
  assert.ok(services.length >= 6, 'every Shoal service and health are present');
  const ours = loadProtos().grpcObject as unknown as Record<string, unknown>;
  for (const [name, theirs] of services) {
    const ctor = name.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], ours) as { service: grpc.ServiceDefinition } | undefined;
    assert.ok(ctor, `${name} is in grpcObject`);
    assert.deepEqual(Object.keys(ctor.service).sort(), Object.keys(theirs).sort(), `${name}: same methods`);
    for (const [method, t] of Object.entries(theirs)) {
      const o: grpc.MethodDefinition<unknown, unknown> = ctor.service[method]!;
      assert.equal(o.path, t.path);
      assert.equal(o.requestStream, t.requestStream);
      assert.equal(o.responseStream, t.responseStream);
      assert.equal(o.originalName, t.originalName, `${name}.${method} alias`);
      // An empty message decodes with every default: the same object from both.
      const empty = Buffer.alloc(0);
      assert.deepEqual(o.requestDeserialize(empty), t.requestDeserialize(empty), `${name}.${method} request defaults`);
      assert.deepEqual(o.responseDeserialize(empty), t.responseDeserialize(empty), `${name}.${method} response defaults`);
    }
  }
});

test('a populated message encodes to the same bytes and decodes to the same object', () => {
  const parsed = protoLoader.loadSync([...PROTO_FILES], PROTO_LOADER_OPTIONS);
  const theirs = (parsed['shoal.v1.Control'] as protoLoader.ServiceDefinition)['CreateService']!;
  const ours = loadProtos().grpcObject.shoal.v1.Control.service.CreateService;
  const request = {
    spec: {
      name: 'web',
      replicas: 2 ** 40,
      mode: 'SERVICE_MODE_GLOBAL',
      labels: { tier: 'front' },
      taskTemplate: { command: 'sleep', args: ['1'], env: ['A=1'], restartPolicy: { condition: 'RESTART_CONDITION_ANY' } },
      placement: { constraints: ['node.role==manager'] },
      networks: ['n1'],
    },
  };
  const bytes = ours.requestSerialize(request as never);
  assert.deepEqual(bytes, theirs.requestSerialize(request));
  assert.deepEqual(ours.requestDeserialize(bytes), theirs.requestDeserialize(bytes));
  assert.equal((ours.requestDeserialize(bytes) as { spec: { replicas: number } }).spec.replicas, 2 ** 40);
});
