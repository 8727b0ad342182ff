import { isValidNodeId } from './conf-change.js';
import { ConfigError } from './config.js';
import type { Config, RaftLogger, RandomSource } from './config.js';
import type { Storage } from './storage.js';
import type { NodeId } from './types.js';

/** A Config with every default filled in; what RawNode runs on. */
export interface ResolvedConfig {
  readonly id: NodeId;
  readonly storage: Storage;
  readonly random: RandomSource;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly applied: number;
  readonly maxSizePerMsgBytes: number;
  readonly maxInflightMsgs: number;
  readonly maxUncommittedBytes: number;
  readonly maxCommittedSizePerReadyBytes: number;
  readonly snapshotChunkBytes: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly readOnly: 'safe' | 'lease-based';
  readonly stepDownOnRemoval: boolean;
  readonly logger: RaftLogger | null;
}

const MIB = 1024 * 1024;

function positiveInt(name: string, value: number | undefined, dflt: number): number {
  const v = value ?? dflt;
  if (!Number.isSafeInteger(v) || v < 1) throw new ConfigError(`${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** Check a Config and fill in defaults. Throws ConfigError naming the offending field. */
export function validateConfig(config: Config): ResolvedConfig {
  if (!isValidNodeId(config.id)) throw new ConfigError(`id must be a positive integer, got ${String(config.id)}`);
  if (typeof config.storage !== 'object' || config.storage === null) throw new ConfigError('storage is required');
  if (typeof config.random !== 'function') throw new ConfigError('random must be a function returning numbers in [0, 1)');
  const electionTicks = positiveInt('electionTicks', config.electionTicks, 0);
  const heartbeatTicks = positiveInt('heartbeatTicks', config.heartbeatTicks, 0);
  if (electionTicks <= heartbeatTicks) {
    throw new ConfigError(`electionTicks (${electionTicks}) must exceed heartbeatTicks (${heartbeatTicks})`);
  }
  const applied = config.applied ?? 0;
  if (!Number.isSafeInteger(applied) || applied < 0) throw new ConfigError(`applied must be a non-negative integer, got ${String(applied)}`);
  const readOnly = config.readOnly ?? 'safe';
  if (readOnly !== 'safe' && readOnly !== 'lease-based') {
    throw new ConfigError(`readOnly must be 'safe' or 'lease-based', got ${String(readOnly)}`);
  }
  const checkQuorum = config.checkQuorum ?? true;
  if (readOnly === 'lease-based' && !checkQuorum) {
    throw new ConfigError("readOnly 'lease-based' requires checkQuorum: the lease is only sound while the leader checks it still has a quorum");
  }
  const maxSizePerMsgBytes = positiveInt('maxSizePerMsgBytes', config.maxSizePerMsgBytes, MIB);
  const maxUncommittedBytes = positiveInt('maxUncommittedBytes', config.maxUncommittedBytes, 64 * MIB);
  return {
    id: config.id,
    storage: config.storage,
    random: config.random,
    electionTicks,
    heartbeatTicks,
    applied,
    maxSizePerMsgBytes,
    maxInflightMsgs: positiveInt('maxInflightMsgs', config.maxInflightMsgs, 256),
    maxUncommittedBytes,
    maxCommittedSizePerReadyBytes: positiveInt('maxCommittedSizePerReadyBytes', config.maxCommittedSizePerReadyBytes, 4 * MIB),
    snapshotChunkBytes: positiveInt('snapshotChunkBytes', config.snapshotChunkBytes, MIB),
    preVote: config.preVote ?? true,
    checkQuorum,
    readOnly,
    stepDownOnRemoval: config.stepDownOnRemoval ?? true,
    logger: config.logger ?? null,
  };
}
