// Proves server reflection still answers now that it is built on first use:
// a generic reflection client (its own .proto, no Shoal code) lists Shoal's
// services and fetches the file that declares a Shoal message, over v1 and
// v1alpha, on a server that never touched reflection before the call; and that
// registering it loads nothing of the reflection library (it loads on that call).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { addHealthAndReflection } from '../../src/proto/health.js';
import { loadProtos, SHOAL_SERVICE_NAMES } from '../../src/proto/load.js';

const reflectionProtoDir = join(dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json')), 'build', 'proto');

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}

const server = new grpc.Server();
const clients: grpc.Client[] = [];
after(() => {
  for (const c of clients) c.close();
  server.forceShutdown();
});

/** One request on a fresh reflection stream of `version`, the first response. */
function ask(port: number, version: 'v1' | 'v1alpha', request: object): Promise<ReflectionResponse> {
  const def = protoLoader.loadSync(`grpc/reflection/${version}/reflection.proto`, { includeDirs: [reflectionProtoDir], keepCase: false, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { grpc: { reflection: Record<string, { ServerReflection: grpc.ServiceClientConstructor }> } };
  const client = new pkg.grpc.reflection[version]!.ServerReflection(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  clients.push(client);
  return new Promise((resolve, reject) => {
    const call = (client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<object, ReflectionResponse> }).ServerReflectionInfo();
    call.on('data', (r: ReflectionResponse) => {
      resolve(r);
      call.end();
    });
    call.on('error', reject);
    call.write(request);
  });
}

test('reflection lists the services and serves file descriptors, built on the first call', async () => {
  const v1 = loadProtos().grpcObject.shoal.v1;
  server.addService(v1.Control.service, {});
  addHealthAndReflection(server, SHOAL_SERVICE_NAMES);
  const libraryLoaded = (): boolean => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/@grpc/reflection/'));
  assert.equal(libraryLoaded(), false, 'registering reflection does not load @grpc/reflection');
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err === null ? resolve(p) : reject(err))),
  );
  for (const version of ['v1', 'v1alpha'] as const) {
    const list = await ask(port, version, { listServices: '' });
    const names = list.listServicesResponse?.service.map((s) => s.name) ?? [];
    for (const n of SHOAL_SERVICE_NAMES) assert.ok(names.includes(n), `${version} lists ${n} (got ${names.join(', ')})`);
    const file = await ask(port, version, { fileContainingSymbol: 'shoal.v1.ServiceSpec' });
    const protos = file.fileDescriptorResponse?.fileDescriptorProto ?? [];
    assert.ok(protos.length > 0, `${version} returns the file declaring shoal.v1.ServiceSpec`);
    assert.ok(protos.some((b) => Buffer.from(b).includes('ServiceSpec')));
  }
  assert.equal(libraryLoaded(), true);
});
