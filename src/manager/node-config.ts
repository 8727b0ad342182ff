/** Moved to src/node/node-config.ts (shared by both roles of a node); this re-export keeps older imports working during the transition. */
export * from '../node/node-config.js';
