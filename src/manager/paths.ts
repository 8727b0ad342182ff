/** Moved to src/node/paths.ts (shared by both roles of a node); this re-export keeps older imports working during the transition. */
export * from '../node/paths.js';
