// Sums the lines that scripts/test-durations-reporter.mjs wrote, per test file, slowest first:
//   node scripts/test-durations-summary.mjs [test-durations.jsonl] [how many, default 25]
import { readFileSync } from 'node:fs';

const [file = 'test-durations.jsonl', top = '25'] = process.argv.slice(2);
const perFile = new Map();
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (line.trim() === '') continue;
  const { file: f, ms, failed } = JSON.parse(line);
  const name = String(f).replace(/^.*?dist\/test\//, '');
  const row = perFile.get(name) ?? { ms: 0, failed: 0 };
  row.ms += ms;
  if (failed) row.failed++;
  perFile.set(name, row);
}
const rows = [...perFile].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, r]) => s + r.ms, 0);
console.log(`${rows.length} files, ${(total / 1000).toFixed(0)} s summed`);
for (const [name, r] of rows.slice(0, Number(top))) console.log(`${(r.ms / 1000).toFixed(1).padStart(8)} s  ${name}${r.failed ? `  (${r.failed} failed)` : ''}`);
