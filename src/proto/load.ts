/**
 * Loads every Shoal .proto once (with PROTO_LOADER_OPTIONS) and exposes the
 * result with the generated types, so that servers and clients in every
 * module share one package definition and one set of service definitions.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as AllocatorProto } from '../generated/allocator.js';
import type { ProtoGrpcType as ControlProto } from '../generated/control.js';
import type { ProtoGrpcType as DispatcherProto } from '../generated/dispatcher.js';
import type { ProtoGrpcType as HealthProto } from '../generated/health.js';
import type { ProtoGrpcType as ObjectsProto } from '../generated/objects.js';
import type { ProtoGrpcType as RaftProto } from '../generated/raft.js';
import type { ProtoGrpcType as WatchProto } from '../generated/watch.js';
import type { ProtoGrpcType as CaProto } from '../generated/ca.js';
import { PROTO_FILES, PROTO_LOADER_OPTIONS } from './options.js';

/** The typed view of all Shoal protos: `shoal.v1.*` and `grpc.health.v1.*`. */
export type ShoalProtoGrpcType = ObjectsProto & RaftProto & ControlProto & WatchProto & AllocatorProto & DispatcherProto & CaProto & HealthProto;

/** The fully qualified names of the services Shoal serves (for health and reflection). */
export const SHOAL_SERVICE_NAMES: readonly string[] = [
  'shoal.v1.Control',
  'shoal.v1.Watch',
  'shoal.v1.ResourceAllocator',
  'shoal.v1.Dispatcher',
  'shoal.v1.Raft',
  'shoal.v1.CertificateAuthority',
];

export interface LoadedProtos {
  /** The raw package definition (for reflection, and for serializers in tests). */
  readonly packageDefinition: protoLoader.PackageDefinition;
  /** Service constructors and definitions, typed by the generated code. */
  readonly grpcObject: ShoalProtoGrpcType;
}

let loaded: LoadedProtos | null = null;

/** Loads the protos on first use and returns the same objects afterwards. */
export function loadProtos(): LoadedProtos {
  if (loaded !== null) return loaded;
  const packageDefinition = protoLoader.loadSync([...PROTO_FILES], PROTO_LOADER_OPTIONS);
  // loadPackageDefinition returns an untyped GrpcObject; the generated
  // ProtoGrpcType describes exactly what it contains for these files and options.
  const grpcObject = grpc.loadPackageDefinition(packageDefinition) as unknown as ShoalProtoGrpcType;
  loaded = { packageDefinition, grpcObject };
  return loaded;
}
