import { ShoalError } from '../src/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go-style duration such as `5s`, `500ms`, `1m30s` into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const t = text.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    matched = re.lastIndex;
  }
  if (t === '' || matched !== t.length || total <= 0) {
    throw new ShoalError('INVALID_ARGUMENT', `${flag} "${text}" is not a duration: use e.g. 5s, 500ms or 1m30s`);
  }
  return Math.round(total);
}

/** Parses `k=v` (or `k` alone, with an empty value when allowed). */
export function parseKeyValue(text: string, flag: string, valueRequired = true): [string, string] {
  const i = text.indexOf('=');
  const key = (i < 0 ? text : text.slice(0, i)).trim();
  const value = i < 0 ? '' : text.slice(i + 1);
  if (key === '' || (valueRequired && i < 0)) throw new ShoalError('INVALID_ARGUMENT', `${flag} "${text}" must look like key=value`);
  return [key, value];
}

/**
 * Repeatable flags (`--label-add a=1 --label-add b=2`) arrive as a string or
 * an array; yargs' `array: true` would also swallow the positional after them.
 */
export function toList(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}
