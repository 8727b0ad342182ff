/** Moved to src/node/logger.ts (shared by both roles of a node); this re-export keeps older imports working during the transition. */
export * from '../node/logger.js';
