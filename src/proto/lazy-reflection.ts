/**
 * gRPC server reflection (v1 and v1alpha, from @grpc/reflection), built on
 * its first call instead of at server start.
 *
 * Building it means proto-loader's full package definition (a descriptor per
 * message) and an index of every file, type and symbol: measured at about 60 %
 * of a manager's start-up CPU and a few MB of heap that every node held for
 * the odd `grpcurl` session. So the server registers the reflection services
 * at start (their definitions come from the library, from a reflection
 * service over an empty package), and the first reflection stream builds the
 * real service and hands itself over to it.
 *
 * Even the library's placeholder definitions cost: it parses its reflection
 * .proto files with the full protobufjs and proto-loader at every
 * `addToServer`, about 7 % of a daemon's start. So the start registers two
 * hand-made definitions (the paths are fixed by the reflection protocol: one
 * bidi-streaming method in each of v1 and v1alpha) whose (de)serializers and
 * handler load the library on the first call and then use its own.
 */
import type * as grpc from '@grpc/grpc-js';
import type * as reflection from '@grpc/reflection';
import { createRequire } from 'node:module';
import { loadProtos } from './load.js';

type Registration = { readonly definition: grpc.ServiceDefinition; readonly handlers: grpc.UntypedServiceImplementation };

/** The reflection protocol's one method, the same in each version. */
const METHOD = 'ServerReflectionInfo';
const PACKAGES = ['grpc.reflection.v1', 'grpc.reflection.v1alpha'] as const;

const requireCjs = createRequire(import.meta.url);

/** The services and handlers a ReflectionService adds, captured instead of added to a real server. */
function registrations(service: reflection.ReflectionService): Registration[] {
  const captured: Registration[] = [];
  const capture = {
    addService(definition: grpc.ServiceDefinition, handlers: grpc.UntypedServiceImplementation): void {
      captured.push({ definition, handlers });
    },
  };
  // addToServer only calls addService on the server it is given.
  service.addToServer(capture);
  return captured;
}

/** Adds reflection to `server`; the library and the index over Shoal's protos load when a client first asks. */
export function addLazyReflection(server: grpc.Server): void {
  let real: Map<string, Registration> | null = null;
  /** The library's definition and handler of the method at `path`, built on first use. */
  const realFor = (path: string): { method: grpc.MethodDefinition<unknown, unknown>; handler: grpc.handleBidiStreamingCall<unknown, unknown> } => {
    if (real === null) {
      const { ReflectionService } = requireCjs('@grpc/reflection') as typeof reflection;
      real = new Map(registrations(new ReflectionService(loadProtos().packageDefinition)).map((r) => [r.definition[METHOD]?.path ?? '', r]));
    }
    const r = real.get(path);
    const method = r?.definition[METHOD];
    if (!r || !method) throw new Error(`reflection: the library serves no ${path}`);
    return { method, handler: r.handlers[METHOD] as grpc.handleBidiStreamingCall<unknown, unknown> };
  };
  for (const pkg of PACKAGES) {
    const path = `/${pkg}.ServerReflection/${METHOD}`;
    const definition: grpc.ServiceDefinition = {
      [METHOD]: {
        path,
        requestStream: true,
        responseStream: true,
        originalName: 'serverReflectionInfo',
        requestSerialize: (value: unknown) => realFor(path).method.requestSerialize(value),
        requestDeserialize: (bytes: Buffer) => realFor(path).method.requestDeserialize(bytes),
        responseSerialize: (value: unknown) => realFor(path).method.responseSerialize(value),
        responseDeserialize: (bytes: Buffer) => realFor(path).method.responseDeserialize(bytes),
      },
    };
    // The call object is all the real handler needs.
    const handler: grpc.handleBidiStreamingCall<unknown, unknown> = (call) => realFor(path).handler(call);
    server.addService(definition, { [METHOD]: handler });
  }
}
