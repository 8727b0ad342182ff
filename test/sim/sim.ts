import { checkHistory } from '../lin/checker.js';
import { simKvModel } from '../lin/models.js';
import type { ConfChange, ConfState, Message, NodeId, RaftResult } from '../../src/raft/core/types.js';
import { ClientDriver } from './clients.js';
import type { ClientGateway } from './clients.js';
import { VolatileDisk, bootstrapDisk, copyDiskLosingTail } from './disk.js';
import type { SimDisk } from './disk.js';
import { InvariantChecker, InvariantViolation } from './invariants.js';
import type { KvOutput, KvWrite } from './kv.js';
import { CALM_NETWORK, SimNetwork } from './network.js';
import { MembershipDriver } from './membership.js';
import type { MembershipHost } from './membership.js';
import { SimNode } from './node.js';
import type { NodeHost, SimCore } from './node.js';
import type { SimOptions } from './options.js';
import { Prng } from './prng.js';

export type Outcome = 'ok' | 'invariant' | 'liveness' | 'linearizability' | 'error';

export interface SimStats {
  ticks: number;
  messagesSent: number;
  messagesDropped: number;
  crashes: number;
  tornWrites: number;
  pauses: number;
  /** Crashes that lost writes the node had not synced (wholly or as a torn tail). */
  unsyncedLosses: number;
  snapshotsInstalled: number;
  snapshotsTaken: number;
  partitions: number;
  transfers: number;
  confChangesApplied: number;
  leaders: number;
  entriesApplied: number;
  opsCompleted: number;
  opsUnknown: number;
  historyOps: number;
  /** Stream-reset reports delivered to running servers, and those a follower acted on (it dropped its leader). */
  resetReports: number;
  resetsActedOn: number;
}

export function emptyStats(): SimStats {
  return {
    ticks: 0, messagesSent: 0, messagesDropped: 0, crashes: 0, tornWrites: 0, pauses: 0, unsyncedLosses: 0, snapshotsInstalled: 0, snapshotsTaken: 0,
    partitions: 0, transfers: 0, confChangesApplied: 0, leaders: 0, entriesApplied: 0, opsCompleted: 0, opsUnknown: 0, historyOps: 0,
    resetReports: 0, resetsActedOn: 0,
  };
}

export interface SimResult {
  readonly seed: number;
  readonly nodes: number;
  readonly outcome: Outcome;
  /** What went wrong (no stack trace: the same run gives the same message). */
  readonly message: string;
  /** The broken invariant's name when outcome is 'invariant', else null. */
  readonly invariant: string | null;
  /** Where an exception was thrown (for the failure report; not part of the outcome). */
  readonly stack: string | null;
  /** 'unknown' means the checker ran out of time: inconclusive, not a failure. */
  readonly lin: 'ok' | 'illegal' | 'unknown' | 'skipped';
  readonly stats: SimStats;
}

export function replayCommand(seed: number, nodes: number, profile: string = 'default'): string {
  const p = profile === 'default' ? '' : ` SIM_PROFILE=${profile}`;
  return `SIM_SEED=${seed} SIM_NODES=${nodes}${p} SIM_TRACE=1 node --test dist/test/sim/sim.test.js`;
}

/** Bound on ticks for all members to reach the leader's applied index once the network is calm. */
const convergenceTicksMax = 300;

/** The cluster did not recover within a bound after faults stopped. */
class LivenessFailure extends Error {}

/** A removed server keeps running this long (it may still disturb others) before it is shut down. */
const removedShutdownTicks = 30;
/** Bound on servers ever created in one run (founders plus joiners). */
const nodesCreatedMax = 64;

/** Hooks for scripted scenarios: called at the start of every tick of the fault phase. */
export type Script = (sim: Simulation, now: number) => void;

/**
 * One deterministic run: a cluster of SimNodes over a SimNetwork, clients,
 * and a fault injector, all drawing from one seeded PRNG. Phases:
 *  1. fault phase (crashes with torn writes, partitions, drops/duplicates/
 *     delays, membership changes, leadership transfers, client load);
 *  2. liveness phase (all faults off; a leader must commit a new entry in a
 *     bounded number of ticks);
 *  3. the client history must be linearizable.
 * Safety invariants are checked on every step throughout.
 */
export class Simulation implements NodeHost, ClientGateway, MembershipHost {
  now = 0;
  readonly nodes = new Map<NodeId, SimNode>();
  readonly checker = new InvariantChecker();
  readonly network: SimNetwork;
  readonly clients: ClientDriver;
  private readonly rng: Prng;
  private nextNodeId: NodeId;
  private readonly restartAt = new Map<NodeId, number>();
  private readonly shutdownAt = new Map<NodeId, number>();
  private partitionUntil = 0;
  private readonly membership: MembershipDriver;
  private markerWanted = 0;
  private markerDone = false;
  /** When false the random fault injector is off (scripted scenarios drive faults themselves). */
  randomFaults = true;
  /** Paused servers (a stopped process): tick at which each resumes, and what reached it meanwhile. */
  private readonly paused = new Map<NodeId, { until: number; messages: Message[]; calls: (() => void)[] }>();
  /** Crashed servers a scenario restarts itself (not restarted by the fault injector). */
  readonly keepDown = new Set<NodeId>();
  /** The highest leader term seen, to start fault bursts around fresh elections. */
  private lastLeaderTerm = 0;
  /** Stream-reset reports on their way: at tick `at`, `to`'s transport says its stream from `about` broke. */
  private readonly resets: { at: number; to: NodeId; about: NodeId }[] = [];
  /** Links a spurious reset broke, reopened at `at` (the sender's reconnect backoff). */
  private readonly reconnects: { at: number; from: NodeId; to: NodeId }[] = [];
  /** Crashed servers whose peers were already told (cleared when the server runs again). */
  private readonly resetsScheduled = new Set<NodeId>();
  readonly stats: SimStats = emptyStats();

  constructor(
    readonly opts: SimOptions,
    private readonly core: SimCore,
    private readonly traceSink: ((line: string) => void) | null = null,
    private readonly script: Script | null = null,
  ) {
    this.rng = new Prng(opts.seed);
    this.network = new SimNetwork(this.rng.fork(), opts.network);
    this.clients = new ClientDriver(this.rng.fork(), {
      clients: opts.clients, keys: opts.keys, opChance: opts.clientOpChance, readShare: opts.clientReadShare,
      timeoutTicks: opts.clientTimeoutTicks, attemptsMax: 5, opsMax: opts.opsMax,
    });
    this.nextNodeId = opts.nodes + 1;
    this.membership = new MembershipDriver(this, this.rng, opts.nodes, opts.membershipChance);
  }

  /** Create and start the founding members (inside run(), so that a core that throws is a reported failure). */
  private boot(): void {
    const founders: NodeId[] = [];
    for (let id = 1; id <= this.opts.nodes; id++) founders.push(id);
    const conf: ConfState = { voters: founders, learners: [] };
    for (const id of founders) this.addNode(id, bootstrapDisk(() => this.core.createImage(), conf));
  }

  private addNode(id: NodeId, disk: SimDisk): SimNode {
    if (this.nodes.size >= nodesCreatedMax) throw new Error(`more than ${nodesCreatedMax} servers created`);
    const node = new SimNode(id, disk, this.core, this, this.rng.fork(), this.opts.node);
    // Drifting clocks only where reads do not rely on a lease (the lease assumes bounded drift).
    if (this.opts.node.readOnly === 'safe' && this.rng.chance(this.opts.clockDriftChance)) node.tickSkipChance = this.rng.next() * 0.3;
    this.nodes.set(id, node);
    node.start();
    return node;
  }

  run(): SimResult {
    let outcome: Outcome = 'ok';
    let message = '';
    let lin: SimResult['lin'] = 'skipped';
    let invariant: string | null = null;
    let stack: string | null = null;
    try {
      this.boot();
      for (let i = 0; i < this.opts.faultTicks; i++) this.tick(true);
      if (!this.livenessPhase()) {
        outcome = 'liveness';
        message = `no leader committed a new entry within ${this.opts.livenessTicksMax} ticks after faults stopped (${this.describeNodes()})`;
      } else {
        this.drainClients();
        this.checkConvergence();
        lin = this.checkLinearizable();
        if (lin === 'illegal') {
          outcome = 'linearizability';
          message = 'client history is not linearizable';
        }
      }
    } catch (e) {
      outcome = e instanceof InvariantViolation ? 'invariant' : e instanceof LivenessFailure ? 'liveness' : 'error';
      message = `at tick ${this.now}: ${e instanceof Error ? e.message : String(e)}`;
      if (e instanceof InvariantViolation) invariant = e.invariant;
      if (e instanceof Error && e.stack !== undefined) stack = e.stack;
    }
    this.stats.ticks = this.now;
    this.stats.messagesSent = this.network.sent;
    this.stats.messagesDropped = this.network.dropped;
    this.stats.leaders = this.checker.leadersSeen;
    this.stats.entriesApplied = this.checker.entriesApplied;
    this.stats.opsCompleted = this.clients.completed;
    this.stats.opsUnknown = this.clients.timedOut;
    this.stats.historyOps = this.clients.history.length;
    for (const n of this.nodes.values()) {
      this.stats.tornWrites += n.tornWrites;
      this.stats.unsyncedLosses += n.unsyncedLosses;
      this.stats.snapshotsInstalled += n.snapshotsInstalled;
      this.stats.snapshotsTaken += n.snapshotsTaken;
    }
    return { seed: this.opts.seed, nodes: this.opts.nodes, outcome, message, invariant, stack, lin, stats: this.stats };
  }

  /** One tick of simulated time: faults, node ticks (random order), message delivery, clients. */
  tick(faultPhase: boolean): void {
    this.now++;
    if (faultPhase) {
      this.script?.(this, this.now);
      if (this.randomFaults) this.injectFaults();
      this.membership.step();
    }
    this.restartDue();
    this.resumeDue();
    // Guarded so that profiles without stream resets draw the same random stream as before they existed.
    if (this.opts.crashResetChance > 0 || this.resets.length > 0 || this.reconnects.length > 0) this.deliverResets();
    for (const node of this.rng.shuffled([...this.nodes.values()])) {
      if (node.up && !this.paused.has(node.id)) node.tick();
    }
    const due = this.network.takeDue(this.now, (m) => {
      // Like a transport whose connection broke: tell the sender, sometimes (it may not notice).
      const from = this.nodes.get(m.from);
      if (from?.up && this.rng.chance(0.1)) from.reportUnreachable(m.to);
    });
    for (const m of due) {
      const to = this.nodes.get(m.to);
      const held = this.paused.get(m.to);
      if (held) held.messages.push(m); // waits in the socket buffer until the process runs again
      else if (to?.up) to.step(m);
    }
    this.clients.step(this.now, this, faultPhase);
  }

  // ---- faults ----------------------------------------------------------------------------

  private injectFaults(): void {
    const o = this.opts;
    const r = this.rng;
    if (r.chance(o.crashChance)) {
      const live = this.liveMembers();
      if (live.length > 0) {
        const leader = this.leader();
        const victim = leader && r.chance(0.3) ? leader : r.pick(live);
        if (r.chance(o.tornWriteChance)) victim.crashInReady = r.pick(['before-persist', 'before-persist', 'mid-persist', 'mid-persist', 'after-persist'] as const);
        else this.crash(victim);
      }
    }
    // Guarded so that profiles without power loss draw the same random stream as before it existed.
    if (o.powerLossChance > 0 && r.chance(o.powerLossChance)) {
      this.trace(() => 'power loss: every server crashes');
      for (const n of this.liveMembers()) {
        if (r.chance(0.5)) n.crashInReady = 'before-persist';
        else this.crash(n);
      }
    }
    if (this.partitionUntil > 0 && this.now >= this.partitionUntil) this.heal();
    if (this.partitionUntil === 0 && r.chance(o.partitionChance)) this.randomPartition();
    if (r.chance(o.transferChance)) this.randomTransfer();
    // Biased faults (zero in the default and hostile profiles, and then not drawn, keeping their streams).
    if (o.electionPartitionChance > 0) this.partitionAroundElection();
    if (o.spuriousResetChance > 0 && r.chance(o.spuriousResetChance)) this.spuriousReset();
    if (o.pauseChance > 0 && r.chance(o.pauseChance)) {
      const live = this.liveMembers().filter((n) => !this.paused.has(n.id));
      const leader = this.leader();
      const victim = leader && !this.paused.has(leader.id) && r.chance(0.6) ? leader : live.length > 0 ? r.pick(live) : null;
      if (victim) this.pause(victim, r.range(5, o.pauseTicksMax));
    }
  }

  /**
   * Right after a new leader appears, sometimes cut a link or two for a short
   * while: the leader from one follower (one way or both), the leader from
   * everyone, or one follower from everyone. These are the sequences where
   * leases, pre-vote and check-quorum decide who may lead next.
   */
  private partitionAroundElection(): void {
    const leader = this.leader();
    if (!leader || leader.term <= this.lastLeaderTerm) return;
    this.lastLeaderTerm = leader.term;
    const r = this.rng;
    if (this.partitionUntil > 0 || !r.chance(this.opts.electionPartitionChance)) return;
    const others = leader.conf.voters.filter((id) => id !== leader.id && this.nodes.get(id)?.up);
    if (others.length === 0) return;
    const f = r.pick(others);
    const kind = r.pick(['leader-to-follower', 'follower-to-leader', 'leader-follower', 'leader', 'follower'] as const);
    const everyone = [...this.nodes.keys()];
    if (kind === 'leader-to-follower') this.network.block(leader.id, f);
    else if (kind === 'follower-to-leader') this.network.block(f, leader.id);
    else if (kind === 'leader-follower') this.network.partition([leader.id], [f]);
    else {
      const side = kind === 'leader' ? leader.id : f;
      this.network.partition([side], everyone.filter((id) => id !== side));
    }
    this.stats.partitions++;
    this.partitionUntil = this.now + r.range(3, this.opts.partitionTicksMax);
    this.trace(() => `partition around the election of ${leader.id} in term ${leader.term} (${kind}, follower ${f}) until ${this.partitionUntil}`);
  }

  /**
   * A live leader's streams to some followers reset (a network blip, a proxy,
   * a restarted connection): usually one follower, sometimes a random subset,
   * sometimes all of them. The leader is fine, so only a follower that was
   * told may give up its lease; if a quorum was told, an election may follow.
   */
  private spuriousReset(): void {
    const leader = this.leader();
    if (!leader || this.paused.has(leader.id)) return;
    const r = this.rng;
    const followers = leader.conf.voters.filter((id) => id !== leader.id);
    if (followers.length === 0) return;
    const kind = r.pick(['one', 'one', 'one', 'some', 'all'] as const);
    const told = kind === 'one' ? [r.pick(followers)] : kind === 'all' ? followers : r.shuffled(followers).slice(0, r.range(1, followers.length));
    this.trace(() => `spurious stream reset from live leader ${leader.id} at ${told.join(',')}`);
    for (const to of told) this.resetStream(leader.id, to, r.range(1, 4), this.now + r.range(0, this.opts.resetDelayMaxTicks));
  }

  /**
   * The stream from `from` to `to` resets while both run: `to` is told at
   * `reportAt`, and nothing from `from` reaches `to` for `downTicks` (the
   * sender's reconnect backoff), unless a partition already cut the link.
   */
  resetStream(from: NodeId, to: NodeId, downTicks: number, reportAt: number): void {
    this.scheduleReset(to, from, reportAt);
    if (this.network.isBlocked(from, to)) return;
    this.network.block(from, to);
    this.reconnects.push({ at: this.now + downTicks, from, to });
  }

  /** Queue a stream-reset report (delivered at the start of tick `at`, or on the next tick if `at` is now). */
  scheduleReset(to: NodeId, about: NodeId, at: number): void {
    this.resets.push({ at: Math.max(at, this.now + 1), to, about });
  }

  /**
   * A server that went down (crash, crash inside a Ready, power loss, removal)
   * closes its connections: tell each running peer, mostly; then deliver the
   * reports that are due (to a paused server they wait until it resumes).
   */
  private deliverResets(): void {
    const r = this.rng;
    for (const node of this.nodes.values()) {
      if (node.up) {
        this.resetsScheduled.delete(node.id);
        continue;
      }
      if (this.resetsScheduled.has(node.id) || this.opts.crashResetChance === 0) continue;
      this.resetsScheduled.add(node.id);
      for (const peer of this.nodes.values()) {
        if (peer.id !== node.id && peer.up && r.chance(this.opts.crashResetChance)) this.scheduleReset(peer.id, node.id, this.now + r.range(0, this.opts.resetDelayMaxTicks));
      }
    }
    for (let k = this.reconnects.length - 1; k >= 0; k--) {
      const c = this.reconnects[k]!;
      if (c.at > this.now) continue;
      this.reconnects.splice(k, 1);
      this.network.unblock(c.from, c.to);
    }
    const due = this.resets.filter((x) => x.at <= this.now);
    if (due.length === 0) return;
    for (let k = this.resets.length - 1; k >= 0; k--) if (this.resets[k]!.at <= this.now) this.resets.splice(k, 1);
    for (const { to, about } of due) {
      const node = this.nodes.get(to);
      if (!node?.up) continue;
      const report = (): void => {
        if (!node.up) return;
        const before = node.leader;
        node.reportLeaderLost(about);
        this.stats.resetReports++;
        if (before === about && node.leader !== about) this.stats.resetsActedOn++;
        this.trace(() => `node ${to} told its stream from ${about} broke${before === about && node.leader !== about ? ' (acted on)' : ''}`);
      };
      const held = this.paused.get(to);
      if (held) held.calls.push(report);
      else report();
    }
  }

  /**
   * Stop a server's process for `ticks` (SIGSTOP): its clock does not run,
   * messages and client calls wait for it. When it resumes it first serves
   * the calls that waited (the adversarial order), then the messages arrive.
   */
  pause(node: SimNode, ticks: number): void {
    if (this.paused.has(node.id) || !node.up) return;
    this.paused.set(node.id, { until: this.now + ticks, messages: [], calls: [] });
    this.stats.pauses++;
    this.trace(() => `node ${node.id} pauses until ${this.now + ticks}`);
  }

  isPaused(id: NodeId): boolean {
    return this.paused.has(id);
  }

  private resumeDue(): void {
    for (const [id, p] of this.paused) {
      if (this.now < p.until) continue;
      this.resume(id);
    }
  }

  /** Resume a paused server now (see pause()). */
  resume(id: NodeId): void {
    const p = this.paused.get(id);
    if (!p) return;
    this.paused.delete(id);
    this.trace(() => `node ${id} resumes (${p.calls.length} calls and ${p.messages.length} messages waited)`);
    const node = this.nodes.get(id)!;
    for (const call of p.calls) if (node.up) call();
    for (const m of p.messages) this.network.redeliver(m, this.now);
  }

  crash(node: SimNode): void {
    this.trace(() => `node ${node.id} crashes`);
    this.paused.delete(node.id);
    node.crash();
  }

  /** Schedule restarts for crashed members, and perform due ones. */
  private restartDue(): void {
    for (const node of this.nodes.values()) {
      if (node.up || node.removed || this.keepDown.has(node.id)) continue;
      const at = this.restartAt.get(node.id);
      if (at === undefined) {
        this.stats.crashes++;
        this.restartAt.set(node.id, this.now + this.rng.range(1, this.opts.downTicksMax));
      } else if (this.now >= at) {
        this.restartAt.delete(node.id);
        this.restart(node);
      }
    }
    for (const [id, at] of this.shutdownAt) {
      if (this.now < at) continue;
      this.shutdownAt.delete(id);
      const node = this.nodes.get(id)!;
      node.removed = true;
      if (node.up) node.crash();
      this.trace(() => `removed node ${id} shut down`);
    }
  }

  restart(node: SimNode): void {
    this.keepDown.delete(node.id);
    this.restartAt.delete(node.id);
    if (this.opts.bug === 'lose-acked-tail') {
      // The defect under test: the disk had acknowledged its last entries without making them durable.
      node.disk = copyDiskLosingTail(node.disk, () => this.core.createImage(), this.rng.range(1, 3));
    }
    this.trace(() => `node ${node.id} restarts (disk: first ${node.disk.firstIndex()} last ${node.disk.lastIndex()} commit ${node.disk.initialState().hardState.commit})`);
    node.start();
  }

  private randomPartition(): void {
    const r = this.rng;
    const live = this.liveMembers().map((n) => n.id);
    if (live.length < 2) return;
    const kind = r.pick(['split', 'isolate-leader', 'one-way'] as const);
    if (kind === 'one-way') {
      const links = r.range(1, live.length);
      for (let i = 0; i < links; i++) {
        const [a, b] = r.shuffled(live);
        this.network.block(a!, b!);
      }
    } else {
      const leader = this.leader();
      const shuffled = r.shuffled(live);
      const cut = kind === 'isolate-leader' && leader ? 1 : r.range(1, Math.floor(live.length / 2));
      const side = kind === 'isolate-leader' && leader ? [leader.id] : shuffled.slice(0, cut);
      const rest = [...this.nodes.keys()].filter((id) => !side.includes(id));
      this.network.partition(side, rest);
    }
    this.stats.partitions++;
    this.partitionUntil = this.now + r.range(5, this.opts.partitionTicksMax);
    this.trace(() => `partition (${kind}) until ${this.partitionUntil}`);
  }

  heal(): void {
    this.network.healAll();
    this.reconnects.length = 0;
    this.partitionUntil = 0;
    this.trace(() => 'partitions healed');
  }

  private randomTransfer(): void {
    const leader = this.leader();
    if (!leader) return;
    // Sometimes aim at anyone (itself, a learner, a removed or unknown server) to exercise refusals.
    const wild = this.opts.wildTransferChance > 0 && this.rng.chance(this.opts.wildTransferChance);
    const others = wild ? [...this.nodes.keys(), this.nextNodeId + 100] : leader.conf.voters.filter((id) => id !== leader.id);
    if (others.length === 0) return;
    const target = this.rng.pick(others);
    const r = leader.transferLeadership(target);
    this.stats.transfers++;
    this.trace(() => `leader ${leader.id} transfers to ${target}: ${describe(r)}`);
  }

  // ---- membership (MembershipHost) -------------------------------------------------------

  createJoiner(): NodeId {
    const id = this.nextNodeId++;
    this.addNode(id, new VolatileDisk(() => this.core.createImage()));
    return id;
  }

  retire(id: NodeId): void {
    this.shutdownAt.set(id, this.now + removedShutdownTicks);
  }

  proposeConf(leader: SimNode, cc: ConfChange): RaftResult {
    const r = leader.proposeConfChange(cc);
    this.trace(() => `leader ${leader.id} proposes ${cc.type} ${cc.nodeId}: ${describe(r)}`);
    return r;
  }

  // ---- liveness and history --------------------------------------------------------------

  /** All faults off; a leader must then commit a fresh entry within the bound. */
  private livenessPhase(): boolean {
    this.trace(() => 'liveness phase: healing, restarting, calm network');
    for (const id of [...this.paused.keys()]) this.resume(id);
    this.heal();
    this.network.faults = CALM_NETWORK;
    for (const node of this.nodes.values()) {
      node.crashInReady = 'no';
      if (!node.up && !node.removed) {
        this.restartAt.delete(node.id);
        this.restart(node);
      }
    }
    this.markerWanted = 1;
    this.markerDone = false;
    let proposedTerm = -1;
    const deadline = this.now + this.opts.livenessTicksMax;
    while (this.now < deadline && !this.markerDone) {
      this.tick(false);
      const leader = this.leader();
      if (leader && leader.term !== proposedTerm && leader.proposeMarker(this.markerWanted).ok) proposedTerm = leader.term;
    }
    return this.markerDone;
  }

  /** Let outstanding client requests finish or time out (no new ones start). */
  private drainClients(): void {
    const until = this.now + this.opts.clientTimeoutTicks + 1;
    while (this.clients.busy && this.now < until) this.tick(false);
  }

  /**
   * With the network calm, every running member of the leader's configuration
   * must catch up to the leader's applied index and hold the same state there.
   * Not catching up within the bound is a liveness failure.
   */
  private checkConvergence(): void {
    const deadline = this.now + convergenceTicksMax;
    for (;;) {
      const leader = this.leader();
      const members = leader ? [...leader.conf.voters, ...leader.conf.learners].map((id) => this.nodes.get(id)!).filter((n) => n.up) : [];
      if (leader && members.every((n) => n.applied === leader.applied)) {
        const want = leader.stateFingerprint();
        for (const n of members) {
          if (n.stateFingerprint() !== want) {
            throw new InvariantViolation('state-machine-safety', `node ${n.id} state ${n.stateFingerprint()} differs from leader ${leader.id} state ${want} at applied index ${leader.applied}`);
          }
        }
        return;
      }
      if (this.now >= deadline) throw new LivenessFailure(`members did not converge on one applied index within ${convergenceTicksMax} ticks (${this.describeNodes()})`);
      this.tick(false);
    }
  }

  private checkLinearizable(): SimResult['lin'] {
    const res = checkHistory(simKvModel, this.clients.history, { timeoutMs: this.opts.linTimeoutMs });
    if (res.result === 'illegal') this.trace(() => `linearizability: ${res.explanation}`);
    return res.result;
  }

  // ---- NodeHost / ClientGateway ----------------------------------------------------------

  send(m: Message): void {
    this.network.send(m, this.now);
  }

  writeApplied(_node: SimNode, client: number, req: number, output: KvOutput): void {
    this.clients.answer(client, req, this.now, output);
  }

  readServed(_node: SimNode, client: number, req: number, value: string | null): void {
    this.clients.answer(client, req, this.now, { kind: 'get', value });
  }

  markerApplied(_node: SimNode, id: number): void {
    if (id === this.markerWanted) this.markerDone = true;
  }

  confApplied(_node: SimNode, _cc: ConfChange, _conf: ConfState): void {
    this.stats.confChangesApplied++;
  }

  trace(line: () => string): void {
    if (this.traceSink) this.traceSink(`[t${this.now}] ${line()}`);
  }

  members(): readonly NodeId[] {
    const ids: NodeId[] = [];
    for (const n of this.nodes.values()) if (!n.removed) ids.push(n.id);
    return ids;
  }

  submitWrite(id: NodeId, client: number, req: number, cmd: KvWrite): RaftResult {
    const node = this.nodes.get(id);
    if (!node?.up) return { ok: false, refusal: { code: 'no-leader' } };
    const held = this.paused.get(id);
    if (held) {
      // The call waits for the process; a refusal then goes unanswered (the client times out).
      held.calls.push(() => node.submitWrite(client, req, cmd));
      return { ok: true };
    }
    return node.submitWrite(client, req, cmd);
  }

  submitRead(id: NodeId, client: number, req: number, key: string): RaftResult {
    const node = this.nodes.get(id);
    if (!node?.up) return { ok: false, refusal: { code: 'no-leader' } };
    const held = this.paused.get(id);
    if (held) {
      held.calls.push(() => node.submitRead(client, req, key));
      return { ok: true };
    }
    return node.submitRead(client, req, key);
  }

  // ---- queries ---------------------------------------------------------------------------

  /** The live leader with the highest term, if any. */
  leader(): SimNode | null {
    let best: SimNode | null = null;
    for (const n of this.nodes.values()) {
      if (n.up && n.role === 'leader' && (!best || n.term > best.term)) best = n;
    }
    return best;
  }

  liveMembers(): SimNode[] {
    return [...this.nodes.values()].filter((n) => n.up && !n.removed);
  }

  describeNodes(): string {
    return [...this.nodes.values()]
      .map((n) => `${n.id}:${n.removed ? 'removed' : n.up ? `${n.role}/t${n.term}/a${n.applied}` : 'down'}`)
      .join(' ');
  }
}

function describe(r: RaftResult): string {
  return r.ok ? 'ok' : r.refusal.code;
}
