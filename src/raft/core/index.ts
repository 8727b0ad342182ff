/** The public API of the Raft core. Import from here, not from the individual modules. */
export * from './types.js';
export type { Storage } from './storage.js';
export { CompactedError, UnavailableError, SnapshotTemporarilyUnavailableError } from './storage.js';
export type { Config, RandomSource, RaftLogger } from './config.js';
export { ConfigError } from './config.js';
export type { RaftNode, RaftStatus, ProgressStatus, SnapshotApplier } from './node-api.js';
export { RawNode, validateConfig } from './raw-node.js';
export type { ResolvedConfig } from './validate-config.js';
export { MemoryStorage } from './memory-storage.js';
export { createRandom, randomInt } from './random.js';
export { encodeConfChange, decodeConfChange, validateConfChange, applyConfChangeTo } from './conf-change.js';
export { makeMessage } from './messages.js';
