// Original file: proto/shoal/v1/control.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BackupChunk as _shoal_v1_BackupChunk, BackupChunk__Output as _shoal_v1_BackupChunk__Output } from '../../shoal/v1/BackupChunk.js';
import type { SaveBackupRequest as _shoal_v1_SaveBackupRequest, SaveBackupRequest__Output as _shoal_v1_SaveBackupRequest__Output } from '../../shoal/v1/SaveBackupRequest.js';

/**
 * Online backup of the replicated state (`shoal backup`). Any manager answers; the cluster keeps
 * taking writes while a backup is taken.
 */
export interface BackupClient extends grpc.Client {
  /**
   * A consistent copy of the replicated state as of one Raft index at least as new as every write
   * committed before the call (a linearizable read). The first message carries `meta` and no data;
   * the following ones carry the state image in order, `meta.bytes` in total.
   */
  Save(argument: _shoal_v1_SaveBackupRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_BackupChunk__Output>;
  Save(argument: _shoal_v1_SaveBackupRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_BackupChunk__Output>;
  /**
   * A consistent copy of the replicated state as of one Raft index at least as new as every write
   * committed before the call (a linearizable read). The first message carries `meta` and no data;
   * the following ones carry the state image in order, `meta.bytes` in total.
   */
  save(argument: _shoal_v1_SaveBackupRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_BackupChunk__Output>;
  save(argument: _shoal_v1_SaveBackupRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_BackupChunk__Output>;
  
}

/**
 * Online backup of the replicated state (`shoal backup`). Any manager answers; the cluster keeps
 * taking writes while a backup is taken.
 */
export interface BackupHandlers extends grpc.UntypedServiceImplementation {
  /**
   * A consistent copy of the replicated state as of one Raft index at least as new as every write
   * committed before the call (a linearizable read). The first message carries `meta` and no data;
   * the following ones carry the state image in order, `meta.bytes` in total.
   */
  Save: grpc.handleServerStreamingCall<_shoal_v1_SaveBackupRequest__Output, _shoal_v1_BackupChunk>;
  
}

export interface BackupDefinition extends grpc.ServiceDefinition {
  Save: MethodDefinition<_shoal_v1_SaveBackupRequest, _shoal_v1_BackupChunk, _shoal_v1_SaveBackupRequest__Output, _shoal_v1_BackupChunk__Output>
}
