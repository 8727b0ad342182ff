import type { Storage } from './storage.js';
import type { NodeId } from './types.js';

/** A seeded source of uniform numbers in [0, 1). The core never uses Math.random. */
export type RandomSource = () => number;

/**
 * Settings of one Raft node. Times are in ticks; the shell decides how long a
 * tick is (the manager uses 100 ms).
 */
export interface Config {
  readonly id: NodeId;
  readonly storage: Storage;
  readonly random: RandomSource;
  /**
   * A follower that hears nothing from a leader for a randomized timeout in
   * [electionTicks, 2 * electionTicks) starts an election.
   * Must exceed heartbeatTicks.
   */
  readonly electionTicks: number;
  /** A leader sends heartbeats every heartbeatTicks. */
  readonly heartbeatTicks: number;
  /** The index the application has already applied (on restart). Default: 0. */
  readonly applied?: number;
  /** Upper bound on entry bytes in one append message. Default: 1 MiB. */
  readonly maxSizePerMsgBytes?: number;
  /** Upper bound on append messages in flight to one follower in replicate state. Default: 256. */
  readonly maxInflightMsgs?: number;
  /** Upper bound on the entry bytes handed to the application in one Ready (always at least one entry). Default: 4 MiB. */
  readonly maxCommittedSizePerReadyBytes?: number;
  /** Upper bound on the bytes of uncommitted entries a leader accepts; past it proposals are refused. Default: 64 MiB. */
  readonly maxUncommittedBytes?: number;
  /** Upper bound on one snapshot chunk. Default: 1 MiB. */
  readonly snapshotChunkBytes?: number;
  /** Pre-vote: a candidate first checks it could win before disturbing the cluster. Default: true. */
  readonly preVote?: boolean;
  /** A leader that has not heard from a quorum within an election timeout steps down. Default: true. */
  readonly checkQuorum?: boolean;
  /**
   * 'safe' (default): ReadIndex confirms leadership with a heartbeat round.
   * 'lease-based': trusts the leader lease (requires checkQuorum); faster but
   * relies on bounded clock drift. Only as an explicit option.
   */
  readonly readOnly?: 'safe' | 'lease-based';
  /** Step down when the leader applies a change removing itself. Default: true. */
  readonly stepDownOnRemoval?: boolean;
  /** Optional sink for notable events (elected, stepped down, ...). The core only calls it; it never does I/O itself. */
  readonly logger?: RaftLogger;
}

export interface RaftLogger {
  info(event: string, fields: Readonly<Record<string, number | string | boolean>>): void;
}

/** A config that failed validation, with a message naming the offending field. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
