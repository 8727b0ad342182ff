// A node:test reporter for measuring the suite: one JSON line per finished top-level test (its file,
// name, duration, failed, skipped), appended at once to $TEST_DURATIONS_FILE (default
// test-durations.jsonl). Appending at once matters: `npm test` runs with --test-force-exit, which
// ends the runner before a reporter that writes at the end (or a --test-reporter-destination
// stream) has flushed, so such a report loses the last files. Summing the lines per file gives
// each file's running time. Usage (docs/testing.md):
//   node --test --test-force-exit --test-concurrency=2 --test-reporter=spec \
//     --test-reporter=./scripts/test-durations-reporter.mjs --test-reporter-destination=stdout \
//     --test-reporter-destination=/dev/null $(node scripts/test-files.mjs)
import { appendFileSync } from 'node:fs';

const out = process.env['TEST_DURATIONS_FILE'] ?? 'test-durations.jsonl';

export default async function* testDurations(source) {
  for await (const ev of source) {
    const d = ev.data ?? {};
    if ((ev.type === 'test:pass' || ev.type === 'test:fail') && d.nesting === 0) {
      const line = { at: new Date().toISOString(), file: d.file, name: d.name, ms: Math.round(d.details?.duration_ms ?? 0), failed: ev.type === 'test:fail', skipped: Boolean(d.skip) };
      appendFileSync(out, JSON.stringify(line) + '\n');
    }
  }
  yield '';
}
