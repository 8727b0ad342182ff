import type { NodeId, Ready } from '../../src/raft/core/types.js';
import type { CrashPoint, SimCore, SimNode } from './node.js';
import { optionsForSeed } from './options.js';
import type { SimOptions } from './options.js';
import { runSeed } from './runner.js';
import type { Script, SimResult, Simulation } from './sim.js';

/**
 * Scripted adversarial schedules. Each one drives a seeded run through a
 * sequence that random faults produce only rarely, then lets the run finish
 * as usual (liveness phase, convergence, linearizability), with every
 * invariant checked throughout. A scenario also reports `problems` when its
 * sequence did not play out as intended, so that it cannot pass vacuously.
 */
export interface Scenario {
  readonly name: string;
  /** What a pass proves (printed by the tests and the mutant report). */
  readonly proves: string;
  readonly seeds: readonly number[];
  run(seed: number, core?: SimCore): ScenarioRun;
}

export interface ScenarioRun {
  readonly result: SimResult;
  readonly problems: readonly string[];
}

/** Quiet runs for scripts that need full control: no random faults, membership changes, transfers or drift. */
function scripted(seed: number, nodes: 3 | 5, extra: Omit<Partial<SimOptions>, 'node'> & { node?: Partial<SimOptions['node']> }): Partial<SimOptions> {
  const base = optionsForSeed(seed, nodes);
  const { node, ...rest } = extra;
  return {
    membershipChance: 0,
    transferChance: 0,
    clockDriftChance: 0,
    ...rest,
    node: { ...base.node, ...node },
  };
}

/** Where scenario runs write their trace (SIM_TRACE=1 with SIM_SCENARIO); off by default. */
let traceSink: ((line: string) => void) | undefined;
export function traceScenarios(sink: ((line: string) => void) | undefined): void {
  traceSink = sink;
}
const traced = (): { trace?: (line: string) => void } => (traceSink ? { trace: traceSink } : {});

function run(seed: number, nodes: 3 | 5, overrides: Partial<SimOptions>, script: Script, core: SimCore | undefined): SimResult {
  return runSeed({ seed, nodes, randomFaults: false, overrides, script, ...(core ? { core } : {}), ...traced() }).result;
}

function others(sim: Simulation, ...not: NodeId[]): NodeId[] {
  return [...sim.nodes.keys()].filter((id) => !not.includes(id));
}

const calm = { dropChance: 0, dupChance: 0, delayMinTicks: 0, delayMaxTicks: 2, longDelayChance: 0, longDelayMaxTicks: 2 };

// ---- the scenarios that existed before the adversarial ones -------------------------------------

const partitionedLeader: Scenario = {
  name: 'partitioned leader is replaced and the cluster recovers',
  proves: 'the majority elects a new leader in a higher term while the old one is cut off, and all is healthy after the heal',
  seeds: [101],
  run(seed, core) {
    const problems: string[] = [];
    let isolated = 0;
    let isolatedTerm = 0;
    let replacedTerm = 0;
    const result = run(seed, 5, { faultTicks: 400, membershipChance: 0 }, (sim, now) => {
      if (now === 100) {
        const leader = sim.leader();
        if (!leader) return void problems.push('no leader before the partition');
        isolated = leader.id;
        isolatedTerm = leader.term;
        sim.network.partition([isolated], others(sim, isolated));
      }
      if (now > 100 && now < 300) {
        const l = sim.leader();
        if (l && l.id !== isolated && l.term > isolatedTerm) replacedTerm = l.term;
      }
      if (now === 300) sim.heal();
    }, core);
    if (!(replacedTerm > isolatedTerm)) problems.push(`no new leader took over in a higher term (isolated ${isolated} in term ${isolatedTerm})`);
    return { result, problems };
  },
};

const staleFollower: Scenario = {
  name: 'a rejoining stale follower with pre-vote does not disrupt the leader',
  proves: 'with pre-vote an isolated follower keeps its term, and on rejoining does not depose the leader',
  seeds: [202],
  run(seed, core) {
    const problems: string[] = [];
    let stale = 0;
    let staleTerm = 0;
    let leaderId = 0;
    let leaderTerm = 0;
    const overrides = scripted(seed, 3, { faultTicks: 450, node: { preVote: true, checkQuorum: true } });
    const result = run(seed, 3, overrides, (sim, now) => {
      if (now === 100) {
        const leader = sim.leader();
        if (!leader) return void problems.push('no leader before the partition');
        leaderId = leader.id;
        leaderTerm = leader.term;
        const follower = [...sim.nodes.values()].find((n) => n.id !== leader.id && n.up)!;
        stale = follower.id;
        staleTerm = follower.term;
        sim.network.partition([stale], others(sim, stale));
      }
      if (now === 350) {
        if (sim.nodes.get(stale)!.term !== staleTerm) problems.push(`pre-vote did not keep the isolated node's term (${staleTerm} → ${sim.nodes.get(stale)!.term})`);
        sim.heal();
      }
      if (now > 350 && problems.length === 0) {
        const l = sim.leader();
        if (!(l && l.id === leaderId && l.term === leaderTerm)) problems.push(`leader ${leaderId} (term ${leaderTerm}) was deposed at tick ${now} after node ${stale} rejoined`);
      }
    }, core);
    return { result, problems };
  },
};

const membershipInPartition: Scenario = {
  name: 'membership changes during a partition',
  proves: 'learners are added, promoted and voters removed on the majority side of a partition, and all converge after the heal',
  seeds: [303],
  run(seed, core) {
    const problems: string[] = [];
    let during = 0;
    let before = 0;
    const { result, sim } = runSeed({
      seed, nodes: 5, randomFaults: false, ...(core ? { core } : {}), ...traced(),
      overrides: { faultTicks: 600, membershipChance: 0.2 },
      script: (s, now) => {
        if (now === 50) {
          const leader = s.leader();
          const cut = others(s, leader?.id ?? 0).slice(0, 2);
          s.network.partition(cut, others(s, ...cut));
          before = s.stats.confChangesApplied;
        }
        if (now === 450) {
          during = s.stats.confChangesApplied - before;
          s.heal();
        }
      },
    });
    if (during === 0) problems.push('no conf change was applied while partitioned');
    if (sim.nodes.size <= 5) problems.push('no new server joined');
    return { result, problems };
  },
};

const transfersUnderDrops: Scenario = {
  name: 'leadership transfers during message drops',
  proves: 'frequent leadership transfers under 20% message loss stay safe and recover',
  seeds: [404, 405, 406],
  run(seed, core) {
    const base = optionsForSeed(seed, 5);
    const { result } = runSeed({
      seed, nodes: 5, randomFaults: true, ...(core ? { core } : {}), ...traced(),
      overrides: { network: { ...base.network, dropChance: 0.2 }, transferChance: 0.05, crashChance: 0, partitionChance: 0 },
    });
    const problems: string[] = [];
    if (result.stats.transfers <= 3) problems.push(`too few transfers attempted (${result.stats.transfers})`);
    if (result.stats.leaders <= 1) problems.push(`leadership never moved (${result.stats.leaders} leaders)`);
    return { result, problems };
  },
};

// ---- adversarial schedules -----------------------------------------------------------------------

/**
 * Raft paper, Figure 8, on five servers (a..e). a leads term T and gets entry
 * X (index x) onto b only, then crashes. e is elected in T+1 by c and d and
 * crashes right after writing its own entry at x (nothing sent). a or b is
 * elected next (d cut off from them) and replicates X one entry per message
 * (so X reaches a majority before the new leader's no-op does); the moment
 * its commit index reaches x it crashes, cut off together with the other of
 * a/b. e then restarts and can win c's and d's votes: if X had been
 * committed by counting replicas (an entry of an older term), e overwrites
 * an applied entry and leader completeness breaks. With the §5.4.2 rule the
 * commit index reaches x only with the no-op, which c then holds, and e
 * cannot win.
 */
const figure8: Scenario = {
  name: 'Figure 8: an old-term entry on a majority is not committed by counting',
  proves: 'a leader commits an entry of an earlier term only through an entry of its own term (§5.4.2)',
  seeds: [801, 802, 803],
  run(seed, core) {
    const problems: string[] = [];
    let stage = 0;
    let since = 0;
    const id = { a: 0, b: 0, c: 0, d: 0, e: 0 };
    let x = 0;
    let l2 = 0;
    const overrides = scripted(seed, 5, {
      faultTicks: 700,
      clientOpChance: 0,
      network: calm,
      node: { preVote: true, checkQuorum: false, readOnly: 'safe', heartbeatTicks: 1, maxSizePerMsgBytes: 1, maxInflightMsgs: 1, snapshotEveryEntries: 100_000 },
    });
    const crashOnLeading = (_n: SimNode, rd: Ready): CrashPoint => (rd.softState?.role === 'leader' ? 'after-persist' : 'no');
    const result = run(seed, 5, overrides, (sim, now) => {
      const node = (n: NodeId): SimNode => sim.nodes.get(n)!;
      const next = (s: number): void => {
        stage = s;
        since = now;
      };
      if (stage === 0) {
        const leader = sim.leader();
        if (!leader || now < 40) return;
        const rest = others(sim, leader.id);
        [id.a, id.b, id.c, id.d, id.e] = [leader.id, rest[0]!, rest[1]!, rest[2]!, rest[3]!];
        sim.network.partition([id.a, id.b], [id.c, id.d, id.e]);
        if (!leader.proposeMarker(10_000 + seed).ok) {
          problems.push('the leader refused X');
          next(9);
          return;
        }
        x = leader.disk.lastIndex();
        next(1);
      } else if (stage === 1) {
        // X reached b; a crashes and e campaigns, dying as soon as it leads (its own entry at x written, nothing sent).
        if (node(id.b).disk.lastIndex() < x) {
          if (now - since > 60) {
            problems.push('X never reached b');
            next(9);
          }
          return;
        }
        sim.keepDown.add(id.a);
        sim.crash(node(id.a));
        node(id.e).readyHook = crashOnLeading;
        node(id.e).campaign();
        next(2);
      } else if (stage === 2) {
        const e = node(id.e);
        if (e.up) {
          if (now - since > 150) {
            problems.push('e was never elected in T+1');
            next(9);
          } else if ((now - since) % 15 === 0) e.campaign();
          return;
        }
        e.readyHook = null;
        sim.keepDown.add(id.e);
        if (e.disk.lastIndex() < x) {
          problems.push(`e's own entry at ${x} is not on its disk`);
          next(9);
          return;
        }
        sim.restart(node(id.a));
        sim.heal();
        sim.network.partition([id.d], [id.a, id.b]);
        next(3);
      } else if (stage === 3) {
        const leader = sim.leader();
        if (leader && (leader.id === id.a || leader.id === id.b) && leader.commitIndex >= x) {
          l2 = leader.id;
          sim.keepDown.add(l2);
          sim.crash(leader);
          sim.heal();
          sim.network.partition([id.a, id.b], [id.c, id.d, id.e]);
          sim.restart(node(id.e));
          next(4);
        } else if (now - since > 250) {
          problems.push('neither a nor b committed X');
          next(9);
        }
      } else if (stage === 4) {
        const e = node(id.e);
        const leader = sim.leader();
        // Wait until someone leads the c/d/e side: e (possible only if X was never committed) or c.
        if ((leader && leader.id !== l2) || now - since > 250) next(5);
        else if (e.up && (now - since) % 20 === 10) e.campaign();
      } else if (stage === 5 || stage === 9) {
        for (const n of sim.nodes.values()) n.readyHook = null;
        for (const k of [...sim.keepDown]) sim.restart(node(k));
        sim.heal();
        next(stage === 5 ? 6 : 10);
      }
    }, core);
    if (stage < 6 && problems.length === 0) problems.push(`the Figure-8 sequence stopped at stage ${stage}`);
    return { result, problems };
  },
};

/**
 * The link between the leader and one follower breaks, one way (the leader
 * cannot reach the follower) or both ways, while the others see both (their
 * answers to the leader are slow, 5 ticks); lease reads are on and clients
 * only read. The cut-off follower campaigns; the others, still hearing the
 * leader, must refuse it (leader lease) — if they elect it, the old leader
 * hears of the new term late and meanwhile answers lease reads at an index
 * below the new leader's commit (read-index invariant).
 */
const asymmetricLease: Scenario = {
  name: 'asymmetric link between the leader and one follower, with lease reads',
  proves: 'followers inside a leader lease do not elect a cut-off follower, so lease reads stay current',
  seeds: [811, 812, 813, 814],
  run(seed, core) {
    const problems: string[] = [];
    const oneWay = seed % 4 === 1;
    let cuts = 0;
    let campaignTicks = 0;
    const overrides = scripted(seed, 3, {
      faultTicks: 700,
      clients: 5,
      clientOpChance: 0.5,
      clientReadShare: 1,
      network: { ...calm, delayMaxTicks: 3 },
      node: { preVote: seed % 4 < 2, checkQuorum: true, readOnly: 'lease-based', heartbeatTicks: 2 },
    });
    let leaderId = 0;
    let follower = 0;
    let startTerm = 0;
    const result = run(seed, 3, overrides, (sim, now) => {
      const phase = now % 200;
      if (phase === 60) {
        const leader = sim.leader();
        if (!leader) return;
        leaderId = leader.id;
        follower = others(sim, leader.id)[cuts % 2]!;
        startTerm = sim.nodes.get(follower)!.term;
        if (oneWay) sim.network.block(leaderId, follower);
        else sim.network.partition([leaderId], [follower]);
        for (const other of others(sim, leaderId, follower)) sim.network.slow(other, leaderId, 5);
        cuts++;
      } else if (phase > 60 && phase < 170 && follower !== 0) {
        const f = sim.nodes.get(follower)!;
        if (f.term > startTerm || f.role !== 'follower') campaignTicks++;
      } else if (phase === 170 && follower !== 0) {
        sim.heal();
        follower = 0;
      }
    }, core);
    if (cuts < 3) problems.push(`only ${cuts} cuts happened`);
    if (campaignTicks === 0 && result.outcome === 'ok') problems.push('the cut-off follower never campaigned');
    return { result, problems };
  },
};

/**
 * The leader is cut off from everyone for 100 ticks, every 200 ticks, with
 * lease reads on and clients that only read, from it too: the others elect a
 * new leader once their lease promise has run out, and the old leader must
 * stop answering lease reads before that (read-index invariant) and step
 * down within two election timeouts (check-quorum invariant).
 */
const isolatedLeaseLeader: Scenario = {
  name: 'a leader cut off from everyone, with lease reads',
  proves: 'an isolated leader stops answering lease reads before a new leader can commit, and steps down',
  seeds: [851, 852, 853, 854],
  run(seed, core) {
    const problems: string[] = [];
    let replaced = 0;
    let cut = 0;
    let cutTerm = 0;
    const overrides = scripted(seed, seed % 2 === 0 ? 3 : 5, {
      faultTicks: 700,
      clients: 5,
      clientOpChance: 0.5,
      clientReadShare: 1,
      network: { ...calm, delayMaxTicks: 3 },
      node: { preVote: seed % 4 < 2, checkQuorum: true, readOnly: 'lease-based', heartbeatTicks: 1 + (seed % 3) },
    });
    const result = run(seed, seed % 2 === 0 ? 3 : 5, overrides, (sim, now) => {
      if (now % 200 === 60) {
        const leader = sim.leader();
        if (!leader) return;
        cut = leader.id;
        cutTerm = leader.term;
        sim.network.partition([cut], others(sim, cut));
      } else if (now % 200 === 160 && cut !== 0) {
        const l = sim.leader();
        if (l && l.id !== cut && l.term > cutTerm) replaced++;
        sim.heal();
        cut = 0;
      }
    }, core);
    if (replaced < 2) problems.push(`a new leader took over only ${replaced} times`);
    return { result, problems };
  },
};

/**
 * A follower crashes around the Ready that grants a vote: before the write
 * (the vote is neither durable nor sent), after the write but before sending,
 * or right after sending it (a power failure: only synced data survives).
 * It restarts at once, inside the same election, while the other candidate's
 * requests keep coming (stragglers). The vote must be durable before it is
 * sent: durable-vote at restart, election safety throughout.
 */
const voteCrash: Scenario = {
  name: 'crash around persisting and sending a vote',
  proves: 'a vote reaches the wire only after it is durable, and a vote lost before it was sent changes nothing',
  seeds: [821, 822, 823, 824, 825, 826],
  run(seed, core) {
    const problems: string[] = [];
    const points: CrashPoint[] = ['before-persist', 'after-persist', 'after-send'];
    const point = points[seed % 3]!;
    let crashes = 0;
    const crashedTerms = new Set<number>();
    const overrides = scripted(seed, 5, {
      faultTicks: 800,
      downTicksMax: 3,
      network: { ...calm, delayMaxTicks: 3, longDelayChance: 0.2, longDelayMaxTicks: 12 },
      node: { preVote: seed % 2 === 0, checkQuorum: false },
    });
    const result = run(seed, 5, overrides, (sim, now) => {
      if (now === 1) {
        for (const n of sim.nodes.values()) {
          n.readyHook = (self, rd) => {
            // The first voter of each term crashes: the election can still be won by the others.
            const grant = rd.messages.find((m) => m.type === 'vote-resp' && !m.reject);
            if (!grant || crashedTerms.has(grant.term)) return 'no';
            crashedTerms.add(grant.term);
            crashes++;
            sim.trace(() => `scenario: node ${self.id} crashes ${point} of a vote`);
            return point;
          };
        }
      }
      if (now === 790) for (const n of sim.nodes.values()) n.readyHook = null;
      // Depose the leader every 80 ticks so that elections keep happening.
      if (now % 80 === 40 && now < 790) {
        const leader = sim.leader();
        if (leader) sim.crash(leader);
      }
    }, core);
    if (crashes < 3) problems.push(`only ${crashes} crashes around a vote happened`);
    return { result, problems };
  },
};

/**
 * A leader cut off with one follower keeps accepting writes (a long
 * uncommitted suffix) while the majority elects a new leader and commits a
 * shorter one; then the sides swap once more and heal. The minority's longer
 * conflicting suffix must be truncated, not overwritten in place
 * (log-truncation, log matching, state-machine safety).
 */
const conflictingSuffixes: Scenario = {
  name: 'conflicting suffixes of different lengths after partitions heal',
  proves: 'a longer conflicting suffix is truncated and replaced by the committed shorter one',
  seeds: [831, 832, 833],
  run(seed, core) {
    const problems: string[] = [];
    let minorityTail = 0;
    const overrides = scripted(seed, 5, {
      faultTicks: 700,
      clients: 5,
      clientOpChance: 0.4,
      clientReadShare: 0,
      network: calm,
      node: { preVote: true, checkQuorum: false, snapshotEveryEntries: 100_000 },
    });
    let oldLeader = 0;
    let mate = 0;
    const result = run(seed, 5, overrides, (sim, now) => {
      if (now === 60 || now === 330) {
        const leader = sim.leader();
        if (!leader) return;
        oldLeader = leader.id;
        mate = others(sim, leader.id)[0]!;
        sim.network.partition([oldLeader, mate], others(sim, oldLeader, mate));
      }
      if (now > 60 && now < 200 && oldLeader !== 0) {
        // Keep the cut-off leader writing: its suffix grows longer than the majority's.
        const l = sim.nodes.get(oldLeader)!;
        if (l.up && l.role === 'leader' && now % 3 === 0) l.proposeMarker(20_000 + now);
      }
      if (now === 200 || now === 450) {
        const l = sim.nodes.get(oldLeader);
        if (l?.up) minorityTail = Math.max(minorityTail, l.disk.lastIndex() - l.commitIndex);
        sim.heal();
      }
    }, core);
    if (minorityTail < 5) problems.push(`the cut-off leader's uncommitted suffix was only ${minorityTail} entries`);
    return { result, problems };
  },
};

/**
 * The leader's process is paused (SIGSTOP) for several election timeouts:
 * its clock stops, so it still believes in its lease when it resumes. The
 * others elect a new leader and commit. On resuming it first serves the
 * client calls that waited (ReadIndex reads), then the messages arrive: it
 * must not answer a read before a quorum round (read-index invariant,
 * linearizability). Lease-based reads are unsound under pauses (they assume
 * bounded clock drift) and are not used here; docs/simulation.md says so.
 */
const pausedLeader: Scenario = {
  name: 'a leader paused past its lease while a new one is elected',
  proves: 'a resumed old leader answers no read without a quorum round and steps down',
  seeds: [841, 842, 843],
  run(seed, core) {
    const problems: string[] = [];
    let pauses = 0;
    let replaced = 0;
    let paused = 0;
    let pausedTerm = 0;
    const overrides = scripted(seed, 5, {
      faultTicks: 700,
      clients: 5,
      clientOpChance: 0.4,
      network: { ...calm, delayMaxTicks: 3 },
      node: { preVote: seed % 2 === 0, checkQuorum: seed % 3 !== 0, readOnly: 'safe' },
    });
    const result = run(seed, 5, overrides, (sim, now) => {
      if (now % 200 === 50) {
        const leader = sim.leader();
        if (!leader) return;
        paused = leader.id;
        pausedTerm = leader.term;
        sim.pause(leader, 60);
        pauses++;
      }
      if (now % 200 === 105 && paused !== 0) {
        const l = sim.leader();
        if (l && l.id !== paused && l.term > pausedTerm) replaced++;
      }
    }, core);
    if (pauses < 3) problems.push(`only ${pauses} pauses happened`);
    if (replaced === 0) problems.push('no new leader was elected while the old one was paused');
    return { result, problems };
  },
};

// ---- the fast election on a broken leader stream (issue #16) -------------------------------------

/**
 * The leader crashes (a killed process) and every survivor's transport reports
 * its stream from the leader broken within a tick, four times per run on 3 or
 * 5 servers. The new leader must come from the fast path, and as fast as its
 * ranking by ID allows.
 *
 * What the protocol guarantees, in this scenario's ticks (network delay exactly
 * 1 tick: `delayMaxTicks: 1` and a message never arrives in the tick it was
 * sent; heartbeat every tick; electionTicks 10). The crash happens in the
 * script at the start of tick C, and every report is delivered at the start of
 * tick C+1 (a report is never delivered in the tick it was scheduled).
 * - Rank 0 (the lowest surviving ID) campaigns on its report at C+1: pre-vote
 *   out at C+1, answers back at C+3, vote out at C+3, answers back at C+5, so
 *   the script sees the leader at C+6.
 * - Rank r waits 2r+1 ticks, counted from the tick of the report, so it
 *   campaigns at C+1+2r and is seen leading at C+6+2r, if it can win.
 * - A candidate wins iff a quorum of servers would vote for it: the dead leader
 *   never does, so it needs quorum-1 other survivors whose logs are no more up
 *   to date than its own. A survivor whose turn is cancelled granted the
 *   pre-vote of an earlier one, whose log is then at least as up to date, so
 *   that earlier one can win too: the first survivor in rank order that can win
 *   always gets its turn, and then wins (nothing else campaigns before C+10).
 * - The bound per crash is therefore 6 + 2·r*, where r* is the rank of the first
 *   survivor that can win, read from the survivors' logs once the dead leader's
 *   last messages have arrived (start of C+1). The two most up-to-date of the
 *   survivors can always win (3 servers: the one, 5 servers: the two whose
 *   logs are at least two others'), so r* <= 1 on 3 servers and r* <= 2 on 5:
 *   8 and 10 ticks at worst. r* > 0 happens whenever the leader's last append
 *   reached the higher IDs before the lowest, which is why a fixed bound of 6
 *   failed for some seeds (9 of 1601–1640 on the build of 2026-12-07).
 * - An election timer cannot have done it: the last heartbeat arrived at C, so
 *   no timer fires before C+10, and its leader is seen at C+15 at the earliest.
 *   So a pass proves the fast path elected every new leader, and that the
 *   staggering by ID elected the first candidate that can win without a split
 *   vote.
 */
const crashedLeaderReset: Scenario = {
  name: 'a killed leader: survivors told of the broken stream elect at once',
  proves: 'with pre-vote and check-quorum, a leader-lost report lets the survivors elect a new leader well inside one election timeout',
  // Any seed meets the bound (1601–1700 all do); these four also elect at r* = 1 (1602, 1637) and
  // r* = 2 (1668) on the build of 2026-12-07, so the slower turns are exercised too.
  seeds: [1601, 1602, 1637, 1668],
  run(seed, core) {
    const problems: string[] = [];
    const nodes = seed % 2 === 0 ? 5 : 3;
    const quorum = Math.floor(nodes / 2) + 1;
    const overrides = scripted(seed, nodes, {
      faultTicks: 500,
      clientOpChance: 0.3,
      network: { ...calm, delayMaxTicks: 1 },
      node: { preVote: true, checkQuorum: true, readOnly: 'safe', heartbeatTicks: 1, electionTicks: 10 },
    });
    let victim = 0;
    let victimTerm = 0;
    let crashedAt = 0;
    let bound = 0;
    const rounds: string[] = [];
    const result = run(seed, nodes, overrides, (sim, now) => {
      if (now % 100 === 50 && now < 450) {
        const leader = sim.leader();
        if (!leader) return void problems.push(`no leader at tick ${now}`);
        victim = leader.id;
        victimTerm = leader.term;
        crashedAt = now;
        bound = 0;
        sim.keepDown.add(victim);
        sim.crash(leader);
        for (const id of others(sim, victim)) sim.scheduleReset(id, victim, now + (id % 2));
      } else if (victim !== 0) {
        if (now === crashedAt + 1) bound = 6 + 2 * firstRankThatCanWin(sim, victim, quorum);
        const l = sim.leader();
        if (l && l.id !== victim && l.term > victimTerm) {
          const took = now - crashedAt;
          rounds.push(`${took}/${bound}`);
          if (took > bound) problems.push(`the crash at tick ${crashedAt}: new leader ${l.id} after ${took} ticks, want <= ${bound} (6 + 2 x the rank of the first survivor that can win)`);
          sim.restart(sim.nodes.get(victim)!);
          victim = 0;
        } else if (now - crashedAt > 40) {
          problems.push(`no new leader within 40 ticks of the crash at tick ${crashedAt}`);
          sim.restart(sim.nodes.get(victim)!);
          victim = 0;
        }
      }
    }, core);
    if (rounds.length < 4) problems.push(`only ${rounds.length} of 4 crashes were followed by a new leader`);
    if (problems.length > 0) problems.push(`ticks taken / bound per crash: ${rounds.join(', ')}`);
    return { result, problems };
  },
};

/**
 * The rank (among the survivors of `dead`, by ID) of the first survivor that a
 * quorum would elect: at least quorum-1 other survivors' logs are no more up to
 * date than its own (the dead leader votes for nobody).
 */
function firstRankThatCanWin(sim: Simulation, dead: NodeId, quorum: number): number {
  const survivors = [...sim.nodes.values()].filter((n) => n.id !== dead && n.up).sort((a, b) => a.id - b.id);
  const last = survivors.map((n) => ({ index: n.disk.lastIndex(), term: n.disk.term(n.disk.lastIndex()) }));
  const atMost = (a: { index: number; term: number }, b: { index: number; term: number }): boolean => a.term < b.term || (a.term === b.term && a.index <= b.index);
  const rank = last.findIndex((mine, i) => last.filter((theirs, j) => j !== i && atMost(theirs, mine)).length >= quorum - 1);
  return rank < 0 ? survivors.length : rank;
}

const spuriousResets: Scenario = {
  name: 'spurious stream resets at a minority of followers of a live leader',
  proves: 'a pre-vote started by a leader-lost report fails while a quorum still hears the leader: no election, no new term',
  seeds: [1611, 1612, 1613, 1614],
  run(seed, core) {
    const problems: string[] = [];
    const nodes = seed % 2 === 0 ? 5 : 3;
    const lease = seed >= 1613;
    const overrides = scripted(seed, nodes, {
      faultTicks: 450,
      clientOpChance: 0.4,
      network: { ...calm, delayMaxTicks: 2 },
      node: { preVote: true, checkQuorum: true, readOnly: lease ? 'lease-based' : 'safe', heartbeatTicks: 1 + (seed % 2) },
    });
    let leaderId = 0;
    let leaderTerm = 0;
    let deposedAt = 0;
    const { result, sim } = runSeed({
      seed, nodes, randomFaults: false, overrides, ...(core ? { core } : {}), ...traced(),
      script: (s, now) => {
        if (now === 100) {
          const leader = s.leader();
          if (!leader) return void problems.push('no leader at tick 100');
          leaderId = leader.id;
          leaderTerm = leader.term;
        }
        if (leaderId === 0 || now < 100 || now > 420 || deposedAt > 0) return;
        const l = s.leader();
        if (!(l && l.id === leaderId && l.term === leaderTerm)) {
          deposedAt = now;
          problems.push(`leader ${leaderId} (term ${leaderTerm}) lost its leadership at tick ${now} (now ${s.describeNodes()})`);
          return;
        }
        if (now % 15 === 0 && now <= 400) {
          const followers = others(s, leaderId);
          const minority = Math.floor((nodes - 1) / 2);
          const told = followers.slice((now / 15) % 2, (now / 15) % 2 + minority);
          for (const id of told) s.resetStream(leaderId, id, 4, now);
        }
      },
    });
    if (!lease && sim.stats.resetsActedOn === 0 && result.outcome === 'ok') problems.push('no follower acted on a report: the fast path never ran');
    if (lease && sim.stats.resetsActedOn > 0) problems.push(`with lease reads ${sim.stats.resetsActedOn} reports were acted on (a follower broke its lease)`);
    return { result, problems };
  },
};

/**
 * With lease reads, a leader's links to and from its followers break (their
 * acks stop) and every follower is told its stream from the leader reset,
 * while clients read from the leader. The reports must be ignored (the leader's lease reads
 * rest on the followers' promise): a follower that gave up its lease would let
 * a new leader commit while the old one still answers reads by its lease
 * (read-index invariant).
 */
const resetsWithLeaseReads: Scenario = {
  name: 'stream resets at every follower while the leader reads by its lease',
  proves: 'leader-lost reports do not break the lease a leader answers reads by',
  seeds: [1621, 1622, 1623],
  run(seed, core) {
    const problems: string[] = [];
    let cuts = 0;
    const overrides = scripted(seed, 3, {
      faultTicks: 600,
      clients: 5,
      clientOpChance: 0.6,
      clientReadShare: 0.7,
      network: { ...calm, delayMaxTicks: 1 },
      // A long lease (18 ticks) against a fast election (about 7 ticks): a broken lease leaves
      // the old leader many ticks to answer a stale read.
      node: { preVote: true, checkQuorum: true, readOnly: 'lease-based', heartbeatTicks: 1, electionTicks: 20 },
    });
    let cut = 0;
    const { result, sim } = runSeed({
      seed, nodes: 3, randomFaults: false, overrides, ...(core ? { core } : {}), ...traced(),
      script: (s, now) => {
        if (now % 150 === 60) {
          const leader = s.leader();
          if (!leader) return;
          cut = leader.id;
          for (const id of others(s, cut)) {
            s.network.block(id, cut);
            s.resetStream(cut, id, 40, now);
          }
          cuts++;
        } else if (now % 150 === 120 && cut !== 0) {
          s.heal();
          cut = 0;
        }
      },
    });
    if (cuts < 3) problems.push(`only ${cuts} cuts happened`);
    if (sim.stats.resetsActedOn > 0 && result.outcome === 'ok') problems.push(`${sim.stats.resetsActedOn} reports were acted on under lease reads`);
    return { result, problems };
  },
};

export const SCENARIOS: readonly Scenario[] = [
  partitionedLeader,
  staleFollower,
  membershipInPartition,
  transfersUnderDrops,
  figure8,
  asymmetricLease,
  isolatedLeaseLeader,
  voteCrash,
  conflictingSuffixes,
  pausedLeader,
  crashedLeaderReset,
  spuriousResets,
  resetsWithLeaseReads,
];
