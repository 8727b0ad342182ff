#!/bin/sh
# Regenerates the TypeScript types in src/generated from the .proto files.
# The flags must match PROTO_LOADER_OPTIONS in src/proto/options.ts (keepCase
# false, longs Number, enums String, defaults, oneofs); test/proto/load.test.ts
# checks that they do. Output is committed; src/generated is never edited by hand.
# Then the precompiled JSON descriptor the runtime loads (src/generated/descriptor.ts;
# test/proto/descriptor.test.ts checks it matches proto/).
set -eu
cd "$(dirname "$0")/.."
rm -rf src/generated
npx proto-loader-gen-types \
  --importFileExtension=.js \
  --longs=Number \
  --enums=String \
  --defaults \
  --oneofs \
  --includeComments \
  --grpcLib=@grpc/grpc-js \
  -I proto \
  -O src/generated \
  shoal/v1/objects.proto shoal/v1/raft.proto shoal/v1/control.proto shoal/v1/watch.proto \
  shoal/v1/allocator.proto shoal/v1/dispatcher.proto shoal/v1/ca.proto grpc/health/v1/health.proto
node scripts/gen-descriptor.mjs
