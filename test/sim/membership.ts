import type { ConfChange, NodeId, RaftResult } from '../../src/raft/core/types.js';
import type { SimNode } from './node.js';
import type { Prng } from './prng.js';

/** What the membership driver needs of the simulation. */
export interface MembershipHost {
  readonly now: number;
  leader(): SimNode | null;
  /** Create and start a server with a fresh ID and an empty disk; returns its ID. */
  createJoiner(): NodeId;
  proposeConf(leader: SimNode, cc: ConfChange): RaftResult;
  /** The server left the configuration: shut it down for good a little later. */
  retire(id: NodeId): void;
  trace(line: () => string): void;
}

type Change =
  | { readonly kind: 'idle' }
  | { readonly kind: 'adding'; readonly id: NodeId; readonly since: number; proposedAt: number; promoting: boolean }
  | { readonly kind: 'removing'; readonly id: NodeId; readonly since: number; proposedAt: number };

/** Give a stuck membership change up after this long (the next one starts fresh). */
const changeTicksMax = 400;
/** Re-propose a change that has not shown up in the leader's configuration after this long. */
const reproposeTicks = 20;

/**
 * Drives membership changes through the current leader, one at a time: add a
 * learner with a fresh ID and promote it once it has caught up, or remove a
 * voter. IDs are never reused. The voter count stays within one of the
 * initial size (and at least 3).
 */
export class MembershipDriver {
  private change: Change = { kind: 'idle' };
  private readonly minVoters: number;
  private readonly maxVoters: number;

  constructor(private readonly host: MembershipHost, private readonly rng: Prng, initialVoters: number, private readonly chance: number) {
    this.minVoters = Math.max(3, initialVoters - 1);
    this.maxVoters = initialVoters + 1;
  }

  step(): void {
    const leader = this.host.leader();
    if (!leader) return;
    const m = this.change;
    const now = this.host.now;
    if (m.kind === 'idle') {
      if (this.rng.chance(this.chance)) this.start(leader);
      return;
    }
    if (now - m.since > changeTicksMax) {
      this.host.trace(() => `membership change ${m.kind} ${m.id} given up`);
      this.change = { kind: 'idle' };
      return;
    }
    const conf = leader.conf;
    const retry = now - m.proposedAt >= reproposeTicks;
    if (m.kind === 'adding') {
      if (conf.voters.includes(m.id)) {
        this.change = { kind: 'idle' };
      } else if (conf.learners.includes(m.id)) {
        // Promote once the learner has caught up with the leader's commit; re-propose if it got lost.
        const status = leader.raft!.status();
        const progress = status.progress?.get(m.id);
        if (progress && progress.match >= status.commit && (!m.promoting || retry)) {
          m.promoting = true;
          m.proposedAt = now;
          this.host.proposeConf(leader, confChange('add-voter', m.id));
        }
      } else if (retry) {
        m.proposedAt = now;
        this.host.proposeConf(leader, confChange('add-learner', m.id));
      }
    } else if (!conf.voters.includes(m.id) && !conf.learners.includes(m.id)) {
      this.host.retire(m.id);
      this.change = { kind: 'idle' };
    } else if (retry) {
      m.proposedAt = now;
      this.host.proposeConf(leader, confChange('remove-node', m.id));
    }
  }

  private start(leader: SimNode): void {
    const conf = leader.conf;
    const now = this.host.now;
    if (conf.voters.length < this.maxVoters && (conf.voters.length <= this.minVoters || this.rng.chance(0.5))) {
      const id = this.host.createJoiner();
      this.change = { kind: 'adding', id, since: now, proposedAt: now, promoting: false };
      this.host.proposeConf(leader, confChange('add-learner', id));
    } else if (conf.voters.length > this.minVoters) {
      const id = this.rng.pick(conf.voters);
      this.change = { kind: 'removing', id, since: now, proposedAt: now };
      this.host.proposeConf(leader, confChange('remove-node', id));
    }
  }
}

function confChange(type: ConfChange['type'], nodeId: NodeId): ConfChange {
  return { type, nodeId, context: new Uint8Array(0) };
}
