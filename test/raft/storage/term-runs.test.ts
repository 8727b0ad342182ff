import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TermRuns } from '../../../src/raft/storage/term-runs.js';

void test('TermRuns answers like a plain array under appends, truncations and compactions', () => {
  // Proves the run-length term cache against a naive array model over random operation sequences.
  const op = fc.oneof(
    fc.record({ kind: fc.constant('append' as const), n: fc.integer({ min: 1, max: 5 }), bump: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('truncate' as const), back: fc.integer({ min: 0, max: 6 }) }),
    fc.record({ kind: fc.constant('compact' as const), forward: fc.integer({ min: 0, max: 6 }) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const runs = TermRuns.at(0, 0);
      let first = 0;
      const terms: number[] = [0]; // terms[i] = term at index i (valid for i >= first)
      for (const o of ops) {
        if (o.kind === 'append') {
          for (let k = 0; k < o.n; k++) {
            const term = terms[terms.length - 1]! + (k === 0 ? o.bump : 0);
            runs.append(terms.length, term);
            terms.push(term);
          }
        } else if (o.kind === 'truncate') {
          const to = Math.max(first, terms.length - 1 - o.back);
          runs.truncateAfter(to);
          terms.length = to + 1;
        } else {
          first = Math.min(terms.length - 1, first + o.forward);
          runs.compactTo(first);
        }
        assert.equal(runs.firstIndex, first);
        assert.equal(runs.lastIndex, terms.length - 1);
        assert.equal(runs.term(first - 1), undefined);
        assert.equal(runs.term(terms.length), undefined);
        for (let i = first; i < terms.length; i++) assert.equal(runs.term(i), terms[i]);
      }
    }),
    { numRuns: 200, seed: 42 },
  );
});

void test('TermRuns refuses a gap and a decreasing term', () => {
  // Proves the append preconditions throw rather than corrupt the runs.
  const runs = TermRuns.at(5, 2);
  assert.throws(() => runs.append(7, 2));
  assert.throws(() => runs.append(6, 1));
  runs.append(6, 3);
  assert.equal(runs.term(6), 3);
});
