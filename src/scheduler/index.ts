// The placement engine's public surface, for the orchestrator, the service API and the CLI.
export { AssignmentState } from './state.js';
export { scheduleBatch, batchTasksMax } from './scheduler.js';
export { globalServiceTasks } from './global.js';
export type { GlobalDiff, GlobalServiceSpec, ExistingTask } from './global.js';
export { parseConstraint, tryParseConstraint, parseConstraints, allConstraintsMatch } from './constraints.js';
export type { Constraint, ConstraintSubject } from './constraints.js';
export { parsePlacementPref } from './preferences.js';
export { explainPending } from './explain.js';
export { formatBytes, formatCpus } from './units.js';
export type * from './types.js';
export { ok, invalid, noResources } from './types.js';
