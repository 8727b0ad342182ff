/**
 * Reconnect delays: exponential in the number of consecutive failures,
 * capped, with jitter so that managers that lost a peer at the same moment
 * do not reconnect in lockstep.
 */

export interface BackoffRange {
  readonly backoffMsMin: number;
  readonly backoffMsMax: number;
}

/** Doubling beyond this many failures cannot matter (2^20 * any sane minimum exceeds any sane maximum). */
const doublingsMax = 20;

/**
 * The delay before attempt number `failures` + 1, in ms: the exponential
 * delay min * 2^(failures-1) capped at max, then drawn uniformly from its
 * upper half. `random` returns numbers in [0, 1).
 */
export function backoffDelayMs(range: BackoffRange, failures: number, random: () => number): number {
  if (!(range.backoffMsMin > 0 && range.backoffMsMin <= range.backoffMsMax)) {
    throw new Error(`backoff range invalid: min ${range.backoffMsMin} ms, max ${range.backoffMsMax} ms`);
  }
  if (!(Number.isInteger(failures) && failures >= 1)) throw new Error(`failures must be a positive integer, got ${failures}`);
  const exponential = range.backoffMsMin * 2 ** Math.min(failures - 1, doublingsMax);
  const capped = Math.min(range.backoffMsMax, exponential);
  const r = random();
  if (!(r >= 0 && r < 1)) throw new Error(`random source returned ${r}, outside [0, 1)`);
  return Math.round(capped / 2 + (capped / 2) * r);
}
