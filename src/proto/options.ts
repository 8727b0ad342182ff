/**
 * The one set of protobuf loader options used by the runtime loader
 * (load.ts) and mirrored by the type generator (scripts/gen-proto.sh). If the
 * two disagree, the generated types lie about the runtime objects, so
 * test/proto/load.test.ts checks the script's flags against this constant.
 *
 * Choices:
 * - keepCase false: proto fields are snake_case (the protobuf style, so tools
 *   in other languages look normal); JavaScript sees lowerCamelCase, which is
 *   also the key style of `--format json` records.
 * - longs Number: uint64 terms, indexes and versions stay below 2^53 for any
 *   realistic cluster lifetime; the Raft codec rejects anything larger as
 *   malformed instead of silently rounding.
 * - enums String: enum values arrive as their proto names (ROLE_MANAGER ...),
 *   readable in logs and trivially mapped to the CLI's lower-case words.
 * - defaults true: decoded messages carry every scalar field, so code never
 *   tests for undefined on the wire path. Sub-messages that are absent decode
 *   as null (proto3 message presence).
 * - oneofs true: a oneof's virtual field names the member that is set.
 * - bytes: the default (Buffer, a Uint8Array).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options } from '@grpc/proto-loader';

/** How many parent directories to climb looking for proto/; the source and dist layouts need at most 4. */
const protoSearchDepthMax = 6;

/** Finds the repository's proto/ directory from this module's location (works from src and from a dist directory). */
function findProtoDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < protoSearchDepthMax; depth++) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, 'shoal', 'v1', 'raft.proto'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`proto/shoal/v1/raft.proto not found within ${protoSearchDepthMax} levels above ${fileURLToPath(import.meta.url)}`);
}

/** Absolute path of the proto/ directory (the include root: imports read "shoal/v1/objects.proto"). */
export const PROTO_DIR: string = findProtoDir();

/** Every .proto file the servers use, relative to PROTO_DIR. Same list as scripts/gen-proto.sh. */
export const PROTO_FILES: readonly string[] = [
  'shoal/v1/objects.proto',
  'shoal/v1/raft.proto',
  'shoal/v1/control.proto',
  'shoal/v1/watch.proto',
  'shoal/v1/allocator.proto',
  'shoal/v1/dispatcher.proto',
  'shoal/v1/ca.proto',
  'grpc/health/v1/health.proto',
];

/** The loader options; see the file comment for why each is chosen. */
export const PROTO_LOADER_OPTIONS: Readonly<Options> = Object.freeze({
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
});
