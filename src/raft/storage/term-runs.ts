import { invariant } from './errors.js';

interface Run {
  /** First index with this term. */
  readonly start: number;
  readonly term: number;
}

/**
 * The terms of a contiguous stretch of the log [firstIndex, lastIndex], kept as
 * runs of equal term. Terms change rarely, so this answers term(i) for the whole
 * log from memory with a handful of numbers, and the hot path never asks SQL.
 * firstIndex is the compaction point: its term is known (from the snapshot or
 * the last compacted entry) but its entry is no longer stored.
 *
 * Invariants: runs is non-empty; runs[0].start === firstIndex; starts strictly
 * increase and terms strictly increase from run to run; lastIndex >= every start.
 * The number of runs is at most the number of distinct terms in the log, which
 * compaction bounds together with the log.
 */
export class TermRuns {
  private constructor(
    private runs: Run[],
    private last: number,
  ) {}

  static at(index: number, term: number): TermRuns {
    invariant(Number.isSafeInteger(index) && index >= 0 && Number.isSafeInteger(term) && term >= 0, 'TermRuns.at: bad index/term');
    return new TermRuns([{ start: index, term }], index);
  }

  clone(): TermRuns {
    return new TermRuns([...this.runs], this.last);
  }

  get firstIndex(): number {
    return this.runs[0]!.start;
  }

  get lastIndex(): number {
    return this.last;
  }

  get lastTerm(): number {
    return this.runs[this.runs.length - 1]!.term;
  }

  get runCount(): number {
    return this.runs.length;
  }

  /** The term at i, or undefined outside [firstIndex, lastIndex]. */
  term(i: number): number | undefined {
    if (i < this.firstIndex || i > this.last) return undefined;
    if (i >= this.runs[this.runs.length - 1]!.start) return this.lastTerm;
    let lo = 0; // runs[lo].start <= i
    let hi = this.runs.length - 1; // runs[hi].start > i
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.runs[mid]!.start <= i) lo = mid;
      else hi = mid;
    }
    return this.runs[lo]!.term;
  }

  /** Appends index lastIndex+1 with `term` (>= lastTerm). */
  append(index: number, term: number): void {
    invariant(index === this.last + 1, () => `append: index ${index} does not follow last index ${this.last}`);
    invariant(term >= this.lastTerm, () => `append: term ${term} at ${index} is below the previous term ${this.lastTerm}`);
    if (term > this.lastTerm) this.runs.push({ start: index, term });
    this.last = index;
  }

  /** Appends indexes start..end, all with `term`. */
  appendRun(start: number, end: number, term: number): void {
    invariant(end >= start, () => `appendRun: empty run ${start}..${end}`);
    this.append(start, term);
    this.last = end;
  }

  /** Forgets every index above i (firstIndex <= i <= lastIndex). */
  truncateAfter(i: number): void {
    invariant(i >= this.firstIndex && i <= this.last, () => `truncateAfter(${i}) outside [${this.firstIndex}, ${this.last}]`);
    while (this.runs.length > 1 && this.runs[this.runs.length - 1]!.start > i) this.runs.pop();
    this.last = i;
  }

  /** Makes i the new firstIndex (compaction point), forgetting indexes below it. */
  compactTo(i: number): void {
    const term = this.term(i);
    invariant(term !== undefined, () => `compactTo(${i}) outside [${this.firstIndex}, ${this.last}]`);
    const keep = this.runs.filter((r) => r.start > i);
    this.runs = [{ start: i, term }, ...keep];
  }
}
