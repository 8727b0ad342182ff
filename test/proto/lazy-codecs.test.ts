// Proves that generating each message codec on its own first call (src/proto/lazy-codecs.ts)
// changes nothing on the wire: for a request and a response with nested messages, maps, enums,
// oneofs and 64-bit numbers, the bytes and decoded objects are those of protobufjs's own eager
// setup, taken from a fresh node process that never loads the lazy version. And that it is lazy:
// after a message was sent and received, its never-used verify has not been generated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { descriptorRoot, loadProtos } from '../../src/proto/load.js';

const OPTIONS_MODULE = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '../../src/proto/options.js')).href;

const CREATE = {
  spec: {
    name: 'web',
    replicas: 2 ** 40,
    mode: 'SERVICE_MODE_GLOBAL',
    labels: { tier: 'front', b: '2' },
    taskTemplate: { command: 'sleep', args: ['1'], env: ['A=1'], restartPolicy: { condition: 'RESTART_CONDITION_ANY' } },
    placement: { constraints: ['node.role==manager'] },
    networks: ['n1'],
  },
};

/** CreateService request serialized and the bytes deserialized, by proto-loader in a process without the lazy codecs. */
function eager(): { request: string; decoded: unknown } {
  const program =
    `import * as protoLoader from '@grpc/proto-loader';\n` +
    `const { PROTO_FILES, PROTO_LOADER_OPTIONS } = await import(${JSON.stringify(OPTIONS_MODULE)});\n` +
    `const def = protoLoader.loadSync([...PROTO_FILES], PROTO_LOADER_OPTIONS)['shoal.v1.Control'].CreateService;\n` +
    `const bytes = def.requestSerialize(${JSON.stringify(CREATE)});\n` +
    `process.stdout.write(JSON.stringify({ request: bytes.toString('hex'), decoded: def.requestDeserialize(bytes) }));\n`;
  // Run from the repository so the child resolves @grpc/proto-loader from its node_modules.
  const cwd = join(dirname(fileURLToPath(import.meta.url)), '../../..');
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', program], { cwd, encoding: 'utf8' })) as { request: string; decoded: unknown };
}

test('lazily generated codecs give the eager setup\'s bytes and objects', () => {
  const ours = loadProtos().grpcObject.shoal.v1.Control.service.CreateService;
  const bytes = ours.requestSerialize(CREATE as never);
  const theirs = eager();
  assert.equal(bytes.toString('hex'), theirs.request);
  assert.deepEqual(JSON.parse(JSON.stringify(ours.requestDeserialize(bytes))), theirs.decoded);
});

test('only the functions used are generated', () => {
  // A fresh root, so no earlier test has touched its types.
  const type = descriptorRoot().lookupType('shoal.v1.CreateServiceRequest');
  const bytes = type.encode(type.fromObject(CREATE)).finish();
  type.toObject(type.decode(bytes));
  const fn = (name: string): string => ((type as unknown as Record<string, { name: string }>)[name]?.name ?? '');
  assert.equal(fn('verify'), 'firstCall', 'verify was generated although nothing called it');
  for (const used of ['encode', 'decode', 'fromObject', 'toObject']) assert.notEqual(fn(used), 'firstCall', `${used} was not replaced by its generated function`);
  // The nested type the request used was set up lazily too.
  const spec = type.lookupType('shoal.v1.ServiceSpec') as unknown as Record<string, { name: string }>;
  assert.equal(spec['verify']?.name, 'firstCall');
  assert.notEqual(spec['encode']?.name, 'firstCall');
  // Still right when it is called at last.
  assert.equal(type.verify({ spec: { name: 7 } }), 'spec.name: string expected');
});
