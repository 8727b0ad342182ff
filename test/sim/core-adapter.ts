import { MemoryStorage, RawNode, decodeConfChange } from '../../src/raft/core/index.js';
import type { SimCore } from './node.js';

/** The real Raft core, as the simulator drives it. */
export const realCore: SimCore = {
  createNode: (config) => new RawNode(config),
  createImage: () => new MemoryStorage(),
  decodeConfChange,
};
