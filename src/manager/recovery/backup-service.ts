/**
 * The Backup service: a consistent copy of the replicated state, taken on any
 * manager while the cluster keeps running.
 *
 * Consistency comes from two facts: the state database records its applied
 * index and term (raft_applied) in the same transaction as every change, and
 * the copy is one synchronous serialize() of that database between two
 * applies. So the image is exactly the state at the index it records. A
 * linearizable barrier first makes that index at least as new as every write
 * committed before the call. The copy costs one pass over the database on
 * the event loop (milliseconds for megabytes; see docs/benchmarks.md); the
 * streaming that follows works from the copy and never holds up writes.
 */
import type * as grpc from '@grpc/grpc-js';
import type { BackupHandlers } from '../../generated/shoal/v1/Backup.js';
import type { BackupChunk } from '../../generated/shoal/v1/BackupChunk.js';
import type { SaveBackupRequest__Output } from '../../generated/shoal/v1/SaveBackupRequest.js';
import { loadProtos } from '../../proto/load.js';
import { toServiceError } from '../grpc-util.js';
import type { Manager } from '../manager.js';
import { STATE_SCHEMA_VERSION } from '../store/schema.js';
import { getCluster } from '../store/queries.js';
import { sha256Hex } from './backup-file.js';

/** Bytes of image per streamed message (well below gRPC's default 4 MiB limit). */
export const BACKUP_CHUNK_BYTES = 1 << 20;

export function addBackupService(server: grpc.Server, m: Manager): void {
  const handlers: BackupHandlers = { Save: (call) => void save(m, call) };
  server.addService(loadProtos().grpcObject.shoal.v1.Backup.service, handlers);
}

async function save(m: Manager, call: grpc.ServerWritableStream<SaveBackupRequest__Output, BackupChunk>): Promise<void> {
  try {
    const copy = await m.read((db) => ({ snapshot: m.store.snapshot(), clusterId: getCluster(db).id }));
    const { meta, data } = copy.snapshot;
    m.log.info('backup-taken', { index: meta.index, term: meta.term, bytes: data.byteLength });
    await write(call, {
      meta: {
        clusterId: copy.clusterId,
        index: meta.index,
        term: meta.term,
        bytes: data.byteLength,
        sha256: sha256Hex(data),
        nodeId: m.config.nodeId,
        hostname: m.config.hostname,
        schemaVersion: STATE_SCHEMA_VERSION,
        voters: [...meta.conf.voters],
        learners: [...meta.conf.learners],
      },
    });
    for (let offset = 0; offset < data.byteLength && !call.cancelled; offset += BACKUP_CHUNK_BYTES) {
      await write(call, { data: Buffer.from(data.buffer, data.byteOffset + offset, Math.min(BACKUP_CHUNK_BYTES, data.byteLength - offset)) });
    }
    call.end();
  } catch (e) {
    call.emit('error', toServiceError(e));
  }
}

/** Writes one message, waiting for 'drain' when the stream's buffer is full (a slow client slows only itself). */
function write(call: grpc.ServerWritableStream<SaveBackupRequest__Output, BackupChunk>, msg: BackupChunk): Promise<void> {
  if (call.write(msg)) return Promise.resolve();
  return new Promise((resolve) => call.once('drain', () => resolve()));
}
