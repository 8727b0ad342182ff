// Prints the compiled test files for `npm test`, the longest-running first, then the rest in name
// order. node --test starts files in the order given, `--test-concurrency` at a time, so starting
// the long ones first keeps one long file from running alone at the end (longest-first
// scheduling). The order changes only the suite's wall time, never which tests run or what they
// check. The list is the slowest files of a full run (docs/testing.md, 2026-12-08), slowest first;
// a file missing from it just runs in name order, and a listed file that no longer exists is skipped.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = 'dist/test';
const SLOWEST_FIRST = [
  'integration/crash-restart.test.js',
  'integration-workers/disaster-recovery.test.js',
  'integration-workers/images.test.js',
  'sim/sim.test.js',
  'integration-workers/roles-leader-kill.test.js',
  'integration/cluster-sizes.test.js',
  'manager/rolling-property.test.js',
  'integration/fault-run.test.js',
  'integration-workers/leader-kill.test.js',
  'integration-workers/roles.test.js',
  'security/ca-rotate.test.js',
  'integration-workers/docker-plugin.test.js',
  'integration/leader-faults.test.js',
  'dataplane/cluster.test.js',
  'integration/crash-safe.test.js',
  'integration-workers/dockerd-restart.test.js',
  'integration/chaos.test.js',
  'integration-workers/stack-adopt-compose.test.js',
  'security/ca-intermediate.test.js',
  'security/expiry.test.js',
  'integration-workers/node-loss.test.js',
  'recovery/backup-restore.test.js',
  'manager/session-storm.test.js',
  'integration-workers/docker-leave.test.js',
  'cli/service-cli.test.js',
];

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : name.endsWith('.test.js') ? [relative(ROOT, p)] : [];
  });
}

const all = walk(ROOT).sort();
const present = new Set(all);
const first = SLOWEST_FIRST.filter((f) => present.has(f));
const listed = new Set(first);
for (const f of [...first, ...all.filter((f) => !listed.has(f))]) console.log(join(ROOT, f));
