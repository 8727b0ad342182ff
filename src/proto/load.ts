/**
 * Loads every Shoal .proto once (with PROTO_LOADER_OPTIONS) and exposes the
 * result with the generated types, so that servers and clients in every
 * module share one package definition and one set of service definitions.
 *
 * Start-up cost matters here: every CLI command and every daemon start comes
 * through this module. So nothing parses .proto text at run time: the protos
 * arrive precompiled as a JSON descriptor (src/generated/descriptor.ts, written
 * by `npm run gen:proto`, kept in sync with proto/ by a test), and
 * protobufjs/light turns it into message codecs. The gRPC service definitions
 * are built from it directly, with the same (de)serializers @grpc/proto-loader
 * makes. The full proto-loader package definition (with file descriptors for
 * every message) is needed only by server reflection and some tests, so it is
 * built on first use of `packageDefinition`.
 */
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import protobuf from 'protobufjs/light.js';
import { generateCodecsOnFirstUse } from './lazy-codecs.js';
import { SHOAL_DESCRIPTOR_JSON } from '../generated/descriptor.js';
import type { ProtoGrpcType as AllocatorProto } from '../generated/allocator.js';
import type { ProtoGrpcType as ControlProto } from '../generated/control.js';
import type { ProtoGrpcType as DispatcherProto } from '../generated/dispatcher.js';
import type { ProtoGrpcType as HealthProto } from '../generated/health.js';
import type { ProtoGrpcType as ObjectsProto } from '../generated/objects.js';
import type { ProtoGrpcType as RaftProto } from '../generated/raft.js';
import type { ProtoGrpcType as WatchProto } from '../generated/watch.js';
import type { ProtoGrpcType as CaProto } from '../generated/ca.js';
import { PROTO_LOADER_OPTIONS } from './options.js';

/** The typed view of all Shoal protos: `shoal.v1.*` and `grpc.health.v1.*`. */
export type ShoalProtoGrpcType = ObjectsProto & RaftProto & ControlProto & WatchProto & AllocatorProto & DispatcherProto & CaProto & HealthProto;

/** The fully qualified names of the services Shoal serves (for health and reflection). */
export const SHOAL_SERVICE_NAMES: readonly string[] = [
  'shoal.v1.Control',
  'shoal.v1.Watch',
  'shoal.v1.ResourceAllocator',
  'shoal.v1.Dispatcher',
  'shoal.v1.Raft',
  'shoal.v1.Backup',
  'shoal.v1.CertificateAuthority',
  'shoal.v1.Logs',
];

export interface LoadedProtos {
  /** The raw package definition (for reflection, and for serializers in tests); built on first access. */
  readonly packageDefinition: protoLoader.PackageDefinition;
  /**
   * Service constructors and definitions, typed by the generated code. Only
   * services are present at run time (message types are in packageDefinition).
   */
  readonly grpcObject: ShoalProtoGrpcType;
}

/** proto-loader hands its whole options object to toObject; so does this module (same longs/enums/defaults/oneofs). */
const toObjectOptions = PROTO_LOADER_OPTIONS as protobuf.IConversionOptions;

/**
 * The parsed descriptor: protobufjs reflection objects. Types are resolved and
 * their codecs generated lazily, on a message type's first use, so a command
 * pays only for the messages it sends and receives.
 */
export function descriptorRoot(): protobuf.Root {
  const json = JSON.parse(SHOAL_DESCRIPTOR_JSON) as protobuf.INamespace;
  // Not Root.fromJSON: it resolves every type at once, and resolving a field generates its message's
  // constructor (one `new Function` per message type, a third of `shoal node ls`'s own CPU). A type
  // resolves its fields on its first (de)serialization instead (Type.setup).
  generateCodecsOnFirstUse();
  const root = new protobuf.Root();
  if (json.options) root.setOptions(json.options);
  root.addJSON(json.nested ?? {});
  return root;
}

/**
 * What proto-loader names a method's lower-camel alias (its `originalName`, lodash's camelCase):
 * GetClusterInfo → getClusterInfo, and a run of capitals is one word: InspectCA → inspectCa.
 */
export function methodAlias(name: string): string {
  const words = name.match(/[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+/g) ?? [name];
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())).join('');
}

function serializer(type: protobuf.Type): grpc.serialize<object> {
  return (value) => {
    // Same refusal as proto-loader: an array would silently encode as an empty message.
    if (Array.isArray(value)) throw new Error(`Failed to serialize message: expected object with ${type.name} structure, got array instead`);
    return Buffer.from(type.encode(type.fromObject(value)).finish());
  };
}

function deserializer(type: protobuf.Type): grpc.deserialize<object> {
  return (bytes) => type.toObject(type.decode(bytes), toObjectOptions);
}

/** A grpc-js service definition for `service`, method for method what proto-loader builds (without message descriptors). */
export function serviceDefinition(service: protobuf.Service): grpc.ServiceDefinition {
  const fullName = service.fullName.replace(/^\./, '');
  const def: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const m of service.methodsArray) {
    m.resolve(); // looks up its request and response types, nothing more
    const req = m.resolvedRequestType;
    const res = m.resolvedResponseType;
    if (!req || !res) throw new Error(`${fullName}.${m.name}: request or response type not resolved`);
    def[m.name] = {
      path: `/${fullName}/${m.name}`,
      requestStream: m.requestStream === true,
      responseStream: m.responseStream === true,
      requestSerialize: serializer(req),
      requestDeserialize: deserializer(req),
      responseSerialize: serializer(res),
      responseDeserialize: deserializer(res),
      originalName: methodAlias(m.name),
    };
  }
  return def;
}

/** Every service in the descriptor, by fully qualified name. */
function servicePackageDefinition(root: protobuf.Root): grpc.GrpcObject {
  const def: Record<string, grpc.ServiceDefinition> = {};
  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const obj of ns.nestedArray) {
      if (obj instanceof protobuf.Service) def[obj.fullName.replace(/^\./, '')] = serviceDefinition(obj);
      else if (obj instanceof protobuf.Namespace) visit(obj);
    }
  };
  visit(root);
  // loadPackageDefinition nests the services by package and makes a client constructor for each.
  return grpc.loadPackageDefinition(def);
}

const requireCjs = createRequire(import.meta.url);
let loaded: LoadedProtos | null = null;

/** Loads the protos on first use and returns the same objects afterwards. */
export function loadProtos(): LoadedProtos {
  if (loaded !== null) return loaded;
  // The generated ProtoGrpcType describes exactly the services this descriptor holds, under these options.
  const grpcObject = servicePackageDefinition(descriptorRoot()) as unknown as ShoalProtoGrpcType;
  let full: protoLoader.PackageDefinition | null = null;
  loaded = {
    grpcObject,
    get packageDefinition(): protoLoader.PackageDefinition {
      // proto-loader (and with it the full protobufjs with its .proto parser) loads only when reflection or a test needs it.
      const loader = requireCjs('@grpc/proto-loader') as typeof protoLoader;
      full ??= loader.fromJSON(JSON.parse(SHOAL_DESCRIPTOR_JSON) as object, PROTO_LOADER_OPTIONS);
      return full;
    },
  };
  return loaded;
}
