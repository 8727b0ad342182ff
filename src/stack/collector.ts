/**
 * Reads a compose model value by value, collecting every problem with its
 * position (an unknown key at the key, a wrong value at the value) instead of
 * stopping at the first, and the compose keys Shoal does not map.
 */
import { childPath, isPlainObject, keyedListAsMap, type LoadedCompose } from './compose-load.js';
import type { KeySet } from './compose-keys.js';
import type { Problem } from './problems.js';
import { shellSplit } from './values.js';

export class Collector {
  readonly problems: Problem[] = [];
  private readonly unsupportedSet = new Set<string>();
  constructor(private readonly loaded: LoadedCompose) {}

  bad(path: string, message: string): undefined {
    this.problems.push({ at: this.loaded.positions.value(path), path, message });
    return undefined;
  }
  unsupported(label: string): void {
    this.unsupportedSet.add(label);
  }
  get unsupportedList(): string[] {
    return [...this.unsupportedSet];
  }

  /** A mapping (or null = empty) at `path`; anything else is reported. */
  mapping(v: unknown, path: string): Record<string, unknown> | undefined {
    if (v === null || v === undefined) return {};
    if (isPlainObject(v)) return v;
    return this.bad(path, `must be a mapping, not ${describe(v)}`);
  }

  /**
   * Checks a mapping's keys: unsupported compose keys go to the warning as
   * `prefix + key`, unknown ones are errors at the key. `x-` extensions pass.
   */
  keys(obj: Record<string, unknown>, path: string, keys: KeySet, prefix: string): void {
    for (const k of Object.keys(obj)) {
      if (k.startsWith('x-') || keys.supported.has(k)) continue;
      if (keys.known.has(k)) this.unsupported(prefix + k);
      else this.problems.push({ at: this.loaded.positions.key(childPath(path, k)), path: childPath(path, k), message: `unknown key "${k}" (not in the compose specification${suggest(k, keys)})` });
    }
  }

  string(v: unknown, path: string): string | undefined {
    if (typeof v === 'string') return v;
    return this.bad(path, `must be a string, not ${describe(v)}`);
  }

  /** A scalar that compose allows as a string value (numbers and booleans are written as text). */
  scalarText(v: unknown, path: string): string | undefined {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.bad(path, `must be a string, number or boolean, not ${describe(v)}`);
  }

  stringList(v: unknown, path: string): string[] | undefined {
    if (!Array.isArray(v)) return this.bad(path, `must be a list of strings, not ${describe(v)}`);
    const out: string[] = [];
    v.forEach((x, i) => {
      const s = this.string(x, `${path}[${i}]`);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  /** A command: a string (split like a shell) or a list of strings. */
  command(v: unknown, path: string): string[] | undefined {
    if (typeof v === 'string') return shellSplit(v) ?? this.bad(path, `has an unclosed quote: ${JSON.stringify(v)}`);
    if (Array.isArray(v)) return this.stringList(v, path);
    return this.bad(path, `must be a string or a list of strings, not ${describe(v)}`);
  }

  read<T>(v: unknown, path: string, parse: (v: unknown) => T | undefined, what: string): T | undefined {
    const r = parse(v);
    return r === undefined ? this.bad(path, `must be ${what}, not ${describe(v)}`) : r;
  }

  choice<T extends string>(v: unknown, path: string, words: readonly T[]): T | undefined {
    if (typeof v === 'string' && (words as readonly string[]).includes(v)) return v as T;
    return this.bad(path, `must be one of ${words.join(', ')}, not ${describe(v)}`);
  }

  /** `KEY: value` mapping or `["KEY=value"]` list → entries with string values (null = no value given). */
  keyValues(v: unknown, path: string): [string, string | null][] | undefined {
    if (Array.isArray(v)) {
      const bad = v.findIndex((x) => typeof x !== 'string');
      if (bad >= 0) return this.bad(`${path}[${bad}]`, `must be a string like KEY=value, not ${describe(v[bad])}`);
      return Object.entries(keyedListAsMap(v)).map(([k, x]) => [k, x as string | null]);
    }
    const m = this.mapping(v, path);
    if (m === undefined) return undefined;
    const out: [string, string | null][] = [];
    for (const [k, x] of Object.entries(m)) {
      if (x === null) out.push([k, null]);
      else {
        const s = this.scalarText(x, childPath(path, k));
        if (s !== undefined) out.push([k, s]);
      }
    }
    return out;
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${v}`;
  return typeof v;
}

/** ", did you mean "image"?" for a key one or two edits from a known one. */
function suggest(key: string, keys: KeySet): string {
  const all = [...keys.supported, ...keys.known];
  const near = all.find((k) => editDistance(k, key) <= 2);
  return near ? `; did you mean "${near}"?` : '';
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const swap = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] ? d[i - 2]![j - 2]! + 1 : Infinity;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), swap);
    }
  }
  return d[a.length]![b.length]!;
}
