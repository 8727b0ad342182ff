/**
 * A seeded random scenario over the test Network: ticks, proposals,
 * partitions, heals and restarts. Tests hook a check that runs after every
 * step, so each Raft safety property is verified over thousands of states.
 */
import { createRandom, randomInt } from '../../../src/raft/core/index.js';
import type { NodeId } from '../../../src/raft/core/index.js';
import { Network, utf8 } from './net.js';
import type { ConfigOverrides } from './net.js';

export function runChaos(seed: number, steps: number, check: (net: Network) => void, overrides: ConfigOverrides = {}): Network {
  const ids: NodeId[] = [1, 2, 3, 4, 5];
  const rnd = createRandom(seed);
  const net = new Network(ids, overrides, seed);
  let proposed = 0;
  for (let s = 0; s < steps; s++) {
    const r = rnd();
    const pick = ids[randomInt(rnd, 0, ids.length)]!;
    if (r < 0.03) {
      net.isolate(pick);
    } else if (r < 0.06) {
      net.heal();
    } else if (r < 0.08) {
      net.restart(pick);
    } else if (r < 0.1) {
      net.cut(pick, ids[randomInt(rnd, 0, ids.length)]!);
    } else if (r < 0.4) {
      const leader = net.leader();
      if (leader !== 0) net.node(leader).propose(utf8(`v${seed}-${proposed++}`));
      net.settle();
    } else {
      net.tickAll();
    }
    check(net);
  }
  // Liveness: once the faults stop, the cluster elects a leader and commits.
  net.heal();
  net.tickAll(60);
  check(net);
  return net;
}

/** The persisted log of a node as index -> term. */
export function logTerms(net: Network, id: NodeId): Map<number, number> {
  const st = net.get(id).storage;
  const out = new Map<number, number>();
  for (let i = st.firstIndex(); i <= st.lastIndex(); i++) out.set(i, st.term(i));
  return out;
}
