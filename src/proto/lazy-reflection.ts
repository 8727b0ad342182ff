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
 */
import type * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { loadProtos } from './load.js';

type Registration = { readonly definition: grpc.ServiceDefinition; readonly handlers: grpc.UntypedServiceImplementation };

/** The services and handlers a ReflectionService adds, captured instead of added to a real server. */
function registrations(service: ReflectionService): Registration[] {
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

/** The reflection method's path: the key that pairs a placeholder with the real handler. */
function pathsOf(r: Registration): string {
  return Object.values(r.definition)
    .map((m) => m.path)
    .sort()
    .join(',');
}

/** Adds reflection to `server`; the index over Shoal's protos is built when a client first asks. */
export function addLazyReflection(server: grpc.Server): void {
  let real: Map<string, grpc.UntypedServiceImplementation> | null = null;
  const realHandlers = (paths: string): grpc.UntypedServiceImplementation => {
    real ??= new Map(registrations(new ReflectionService(loadProtos().packageDefinition)).map((r) => [pathsOf(r), r.handlers]));
    const handlers = real.get(paths);
    if (!handlers) throw new Error(`reflection: no handlers for ${paths}`);
    return handlers;
  };
  for (const placeholder of registrations(new ReflectionService({}))) {
    const paths = pathsOf(placeholder);
    const handlers: grpc.UntypedServiceImplementation = {};
    for (const name of Object.keys(placeholder.handlers)) {
      // Every reflection method is a bidi stream: the call object is all the real handler needs.
      handlers[name] = ((call: grpc.ServerDuplexStream<unknown, unknown>) => {
        const target = realHandlers(paths)[name] as grpc.handleBidiStreamingCall<unknown, unknown>;
        target(call);
      }) as grpc.handleBidiStreamingCall<unknown, unknown>;
    }
    server.addService(placeholder.definition, handlers);
  }
}
