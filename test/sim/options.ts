import type { NetworkFaults } from './network.js';
import type { NodeOptions } from './node.js';
import { Prng } from './prng.js';

export type ClusterSize = 3 | 5 | 7;

/** Everything that shapes one run. A run is a pure function of these options. */
export interface SimOptions {
  readonly seed: number;
  readonly nodes: ClusterSize;
  /** Ticks of the fault phase (faults, membership changes, transfers, clients). */
  readonly faultTicks: number;
  /** The liveness phase must commit a new entry within this many ticks. */
  readonly livenessTicksMax: number;
  readonly node: NodeOptions;
  readonly network: NetworkFaults;
  /** Per-tick probabilities of injecting each fault (0 turns it off). */
  readonly crashChance: number;
  readonly tornWriteChance: number;
  /** Per-tick probability that every server crashes at once (power loss); 0 in the default profile. */
  readonly powerLossChance: number;
  readonly partitionChance: number;
  /** Probability of a short partition right after a new leader appears (biased profiles). */
  readonly electionPartitionChance: number;
  /** Per-tick probability of pausing a server (SIGSTOP); only with ReadIndex reads, as pauses break leases. */
  readonly pauseChance: number;
  readonly pauseTicksMax: number;
  readonly transferChance: number;
  /** Fraction of transfers aimed at any ID, valid or not; 0 in the default profile. */
  readonly wildTransferChance: number;
  readonly membershipChance: number;
  /** Probability that a server's clock runs slow (skips ticks); only in runs without lease reads. */
  readonly clockDriftChance: number;
  /**
   * Stream resets (the fast-election profile; 0 elsewhere): when a server
   * crashes, each running peer's transport reports its stream from it broken
   * with this probability, within resetDelayMaxTicks (a killed process closes
   * its TCP connections at once; a paused one does not, so pauses report nothing).
   */
  readonly crashResetChance: number;
  /** Per-tick probability that a live leader's stream to some followers resets anyway (a spurious reset). */
  readonly spuriousResetChance: number;
  readonly resetDelayMaxTicks: number;
  readonly downTicksMax: number;
  readonly partitionTicksMax: number;
  readonly clients: number;
  readonly keys: number;
  readonly clientOpChance: number;
  /** Fraction of client operations that are reads (the rest are puts and compare-and-sets). */
  readonly clientReadShare: number;
  readonly clientTimeoutTicks: number;
  readonly opsMax: number;
  readonly linTimeoutMs: number;
  /** Deliberate defect for the "the harness can fail" tests. */
  readonly bug?: 'corrupt-apply' | 'lose-acked-tail';
}

export const CLUSTER_SIZES: readonly ClusterSize[] = [3, 5, 7];

/** The cluster size a seed runs with when SIM_NODES is not given. */
export function sizeForSeed(seed: number): ClusterSize {
  return CLUSTER_SIZES[((seed % 3) + 3) % 3]!;
}

/**
 * Draw a run's parameters from its seed: each seed is a different mix of
 * network quality, fault rates, snapshot cadence and client load, so that the
 * seed sweep covers calm and hostile runs alike.
 */
export function optionsForSeed(seed: number, nodes: ClusterSize = sizeForSeed(seed)): SimOptions {
  const r = new Prng(seed * 7919 + 17);
  const electionTicks = 10;
  const hostile = r.chance(0.7);
  const checkQuorum = r.chance(0.85);
  return {
    seed,
    nodes,
    faultTicks: r.range(300, 700),
    livenessTicksMax: 50 * electionTicks,
    node: {
      electionTicks,
      heartbeatTicks: r.pick([1, 2, 3]),
      preVote: r.chance(0.85),
      checkQuorum,
      // Lease reads are only sound with check-quorum; the simulator's clocks do not drift.
      readOnly: checkQuorum && r.chance(0.2) ? 'lease-based' : 'safe',
      snapshotEveryEntries: r.range(5, 40),
      keepEntries: r.range(0, 10),
      maxSizePerMsgBytes: r.pick([64, 512, 4096]),
      snapshotChunkBytes: r.pick([16, 128, 1 << 20]),
      maxInflightMsgs: r.pick([1, 4, 256]),
      // A small budget makes the leader refuse proposals ('too-large') while followers lag.
      maxUncommittedBytes: r.pick([512, 64 << 20]),
      unsyncedLossChance: 0.5,
      crashAfterVoteChance: 0,
      crashAfterAckChance: 0,
    },
    network: {
      dropChance: hostile ? r.next() * 0.2 : 0,
      dupChance: hostile ? r.next() * 0.05 : 0,
      delayMinTicks: 0,
      delayMaxTicks: r.range(1, 4),
      longDelayChance: hostile ? r.next() * 0.05 : 0,
      longDelayMaxTicks: r.range(5, 30),
    },
    crashChance: hostile ? r.next() * 0.01 : 0,
    tornWriteChance: r.next() * 0.5,
    powerLossChance: 0,
    partitionChance: hostile ? r.next() * 0.015 : 0,
    electionPartitionChance: 0,
    pauseChance: 0,
    pauseTicksMax: 0,
    transferChance: r.next() * 0.01,
    wildTransferChance: 0,
    membershipChance: r.next() * 0.02,
    clockDriftChance: r.chance(0.5) ? r.next() : 0,
    crashResetChance: 0,
    spuriousResetChance: 0,
    resetDelayMaxTicks: 0,
    downTicksMax: r.range(10, 80),
    partitionTicksMax: r.range(10, 120),
    clients: r.range(2, 5),
    keys: r.range(1, 4),
    clientOpChance: 0.05 + r.next() * 0.3,
    clientReadShare: 0.4,
    clientTimeoutTicks: 4 * electionTicks,
    opsMax: 400,
    linTimeoutMs: 2_000,
  };
}

/**
 * A harsher profile for the same seed: long runs, frequent crashes (often
 * inside a Ready), partitions, heavy loss, duplication and stragglers, with
 * pre-vote and check-quorum toggled by seed. Used by the hostile sweep and the
 * soak script's --profile hostile.
 */
export function hostileOptions(seed: number, nodes: ClusterSize = sizeForSeed(seed)): SimOptions {
  const base = optionsForSeed(seed, nodes);
  const checkQuorum = seed % 4 < 2;
  // Tight timing on some seeds: elections every 5 ticks against heartbeats every 1-3.
  const electionTicks = seed % 3 === 0 ? 5 : base.node.electionTicks;
  return {
    ...base,
    livenessTicksMax: 50 * electionTicks,
    clientTimeoutTicks: 4 * electionTicks,
    faultTicks: 1200,
    crashChance: 0.02,
    tornWriteChance: 0.5,
    powerLossChance: 0.002,
    partitionChance: 0.03,
    transferChance: 0.02,
    wildTransferChance: 0.2,
    membershipChance: 0.03,
    network: { ...base.network, dropChance: 0.25, dupChance: 0.1, longDelayChance: 0.1, longDelayMaxTicks: 40 },
    node: { ...base.node, electionTicks, heartbeatTicks: Math.min(base.node.heartbeatTicks, electionTicks - 1), preVote: seed % 2 === 0, checkQuorum, readOnly: checkQuorum ? base.node.readOnly : 'safe' },
  };
}

/**
 * Short partitions around elections: right after a new leader appears, cut
 * it from one follower (one way or both), from everyone, or isolate a
 * follower, for 3-25 ticks; lease reads on half the seeds, check-quorum
 * always, quick restarts, some crashes right after a vote is granted. These
 * are the sequences where a lease, a vote or a ReadIndex round decides safety.
 */
export function electionsOptions(seed: number, nodes: ClusterSize = sizeForSeed(seed)): SimOptions {
  const base = optionsForSeed(seed, nodes);
  const lease = seed % 2 === 0;
  return {
    ...base,
    faultTicks: 600,
    crashChance: 0.006,
    tornWriteChance: 0.5,
    partitionChance: 0.01,
    partitionTicksMax: 25,
    electionPartitionChance: 0.6,
    downTicksMax: 12,
    membershipChance: 0.005,
    transferChance: 0.01,
    clockDriftChance: 0,
    clientOpChance: 0.3,
    clients: 4,
    network: { ...base.network, dropChance: 0.03, dupChance: 0.02, delayMinTicks: 0, delayMaxTicks: 3, longDelayChance: 0.02, longDelayMaxTicks: 15 },
    node: { ...base.node, checkQuorum: true, preVote: seed % 3 !== 0, readOnly: lease ? 'lease-based' : 'safe', crashAfterVoteChance: 0.05 },
  };
}

/**
 * Crashes at Ready boundaries: before a Ready's write, during it (unsynced:
 * lost, torn or kept), after it, right after a vote or an append ack went
 * out; power failures lose what was not synced; restarts are quick so the
 * node is back inside the same election.
 */
export function readyCrashOptions(seed: number, nodes: ClusterSize = sizeForSeed(seed)): SimOptions {
  const base = optionsForSeed(seed, nodes);
  return {
    ...base,
    faultTicks: 600,
    crashChance: 0.015,
    tornWriteChance: 0.7,
    partitionChance: 0.008,
    partitionTicksMax: 40,
    downTicksMax: 8,
    clockDriftChance: 0,
    network: { ...base.network, dropChance: 0.03, longDelayChance: 0.05, longDelayMaxTicks: 20 },
    node: { ...base.node, unsyncedLossChance: 0.9, crashAfterVoteChance: 0.3, crashAfterAckChance: 0.01 },
  };
}

/**
 * Messages reordered across terms: many stragglers (up to 50 ticks) and
 * duplicates, so appends and votes of old terms arrive after newer ones;
 * leaders crash, are transferred away and are paused (ReadIndex seeds only)
 * often; appends carry one entry at a time on some seeds, so a new leader
 * replicates an old-term entry before its own (the Figure-8 shape).
 */
export function reorderOptions(seed: number, nodes: ClusterSize = sizeForSeed(seed)): SimOptions {
  const base = optionsForSeed(seed, nodes);
  const readOnly = base.node.readOnly;
  return {
    ...base,
    faultTicks: 700,
    crashChance: 0.012,
    tornWriteChance: 0.3,
    partitionChance: 0.02,
    partitionTicksMax: 30,
    electionPartitionChance: 0.2,
    transferChance: 0.02,
    pauseChance: readOnly === 'safe' ? 0.006 : 0,
    pauseTicksMax: 40,
    downTicksMax: 30,
    clockDriftChance: 0,
    network: { ...base.network, dropChance: 0.05, dupChance: 0.05, longDelayChance: 0.15, longDelayMaxTicks: 50 },
    node: { ...base.node, maxSizePerMsgBytes: seed % 2 === 0 ? 1 : base.node.maxSizePerMsgBytes, maxInflightMsgs: seed % 4 === 0 ? 1 : base.node.maxInflightMsgs },
  };
}

/**
 * The fast election on a broken leader stream (reportLeaderLost): leaders
 * crash often and their peers are told within 0-3 ticks (sometimes not at
 * all, sometimes late, after a new leader took over); live leaders' streams
 * reset spuriously to one follower, to several or to all; pre-vote on most
 * seeds (without it the report must be ignored), lease reads on a third (the
 * report must not break a lease a leader reads by), short partitions and
 * pauses around elections. Check-quorum always.
 */
export function fastElectionOptions(seed: number, nodes: ClusterSize = sizeForSeed(seed)): SimOptions {
  const base = optionsForSeed(seed, nodes);
  const readOnly = seed % 3 === 0 ? 'lease-based' : 'safe';
  return {
    ...base,
    faultTicks: 500,
    crashChance: 0.012,
    tornWriteChance: 0.3,
    partitionChance: 0.005,
    partitionTicksMax: 30,
    electionPartitionChance: 0.15,
    pauseChance: readOnly === 'safe' ? 0.003 : 0,
    pauseTicksMax: 30,
    downTicksMax: 15,
    transferChance: 0.005,
    membershipChance: 0.01,
    clockDriftChance: 0,
    crashResetChance: 0.9,
    spuriousResetChance: 0.03,
    resetDelayMaxTicks: 3,
    clientOpChance: 0.25,
    clients: 4,
    network: { ...base.network, dropChance: 0.02, dupChance: 0.01, longDelayChance: 0.02, longDelayMaxTicks: 15 },
    node: { ...base.node, checkQuorum: true, preVote: seed % 5 !== 0, readOnly },
  };
}

export const PROFILES = ['default', 'hostile', 'elections', 'ready-crash', 'reorder', 'fast-election'] as const;
export type Profile = (typeof PROFILES)[number];

export function parseProfile(s: string | undefined): Profile {
  if (s === undefined || s === '') return 'default';
  const p = PROFILES.find((x) => x === s);
  if (p === undefined) throw new Error(`profile must be one of ${PROFILES.join(', ')}; got ${s}`);
  return p;
}

export function optionsFor(profile: Profile, seed: number, nodes?: ClusterSize): SimOptions {
  switch (profile) {
    case 'hostile':
      return hostileOptions(seed, nodes);
    case 'elections':
      return electionsOptions(seed, nodes);
    case 'ready-crash':
      return readyCrashOptions(seed, nodes);
    case 'reorder':
      return reorderOptions(seed, nodes);
    case 'fast-election':
      return fastElectionOptions(seed, nodes);
    default:
      return optionsForSeed(seed, nodes);
  }
}
