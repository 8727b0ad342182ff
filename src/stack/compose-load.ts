/**
 * Reading compose files: YAML (the `yaml` library, with a line counter so
 * every key and value keeps its file:line:column), interpolation of every
 * string value, and the merge of several `-c` files in order. Pure: the
 * caller reads the files and the environment and hands in their text.
 *
 * The result is plain data plus a position table keyed by the value's path
 * (`services.web.deploy.replicas`, `services.web.command[1]`), which the
 * translation uses to say where a bad value is. With several files, a path's
 * position is in the last file that set it (the one whose value counts).
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { InterpolationError, interpolate } from './interpolate.js';
import { StackFileError, type Position, type Problem } from './problems.js';

export interface ComposeSource {
  /** The file as the user named it (messages show this). */
  readonly name: string;
  readonly text: string;
}

/** Where each path's key and value are written. */
export class Positions {
  private readonly keys = new Map<string, Position>();
  private readonly values = new Map<string, Position>();

  setKey(path: string, p: Position): void {
    this.keys.set(path, p);
  }
  setValue(path: string, p: Position): void {
    this.values.set(path, p);
  }
  /** The key's position (for unknown keys), else the nearest enclosing one known. */
  key(path: string): Position | undefined {
    return this.keys.get(path) ?? this.values.get(path) ?? this.parent(path);
  }
  /** The value's position (for wrong values), else the key's, else the nearest enclosing one. */
  value(path: string): Position | undefined {
    return this.values.get(path) ?? this.keys.get(path) ?? this.parent(path);
  }
  private parent(path: string): Position | undefined {
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? undefined : this.value(path.slice(0, cut));
  }
  /** Copies `other`'s entries over this table's (a later file wins). */
  absorb(other: Positions): void {
    for (const [k, v] of other.keys) this.keys.set(k, v);
    for (const [k, v] of other.values) this.values.set(k, v);
  }
}

export interface LoadedCompose {
  /** The merged model: plain JSON-like data, every string interpolated. */
  readonly model: unknown;
  readonly positions: Positions;
  /** Variables referenced but not set (they became empty strings), in first-use order. */
  readonly unsetVariables: readonly string[];
}

/** A path segment for a mapping key. */
export function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * Parses, interpolates and merges `sources` in order. Throws StackFileError
 * listing every problem (YAML errors, missing required variables) with its position.
 */
export function loadCompose(sources: readonly ComposeSource[], env: Readonly<Record<string, string | undefined>>): LoadedCompose {
  const problems: Problem[] = [];
  const positions = new Positions();
  const unset: string[] = [];
  let model: unknown = undefined;
  for (const src of sources) {
    const lines = new LineCounter();
    const doc = parseDocument(src.text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: false });
    const at = (offset: number): Position => ({ file: src.name, ...lines.linePos(offset) });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push({ at: at(e.pos[0]), path: '', message: `invalid YAML: ${firstLine(e.message)}` });
      continue;
    }
    const filePositions = new Positions();
    collectPositions(doc, doc.contents, '', at, filePositions);
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 10_000 });
    } catch (e) {
      problems.push({ at: { file: src.name, line: 1, col: 1 }, path: '', message: `invalid YAML: ${(e as Error).message}` });
      continue;
    }
    if (data === null || data === undefined) data = {};
    if (!isPlainObject(data)) {
      problems.push({ at: { file: src.name, line: 1, col: 1 }, path: '', message: 'a compose file must be a mapping (services:, networks:, …)' });
      continue;
    }
    const interpolated = interpolateTree(data, '', env, (path, message) => {
      problems.push({ at: filePositions.value(path) ?? { file: src.name, line: 1, col: 1 }, path, message });
    }, unset);
    positions.absorb(filePositions);
    model = model === undefined ? interpolated : mergeCompose(model, interpolated, '');
  }
  if (problems.length > 0) throw new StackFileError(problems);
  return { model: model ?? {}, positions, unsetVariables: [...new Set(unset)] };
}

/** yaml's messages end with " at line L, column C:" and a code excerpt; the position is given apart. */
function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Records where every key and value of the document is written. Aliases point at their anchor's text. */
function collectPositions(doc: Document, node: unknown, path: string, at: (offset: number) => Position, out: Positions, depth = 0): void {
  if (depth > 64) return; // alias cycles are refused by toJS; this only bounds the walk
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(target)) {
    for (const pair of target.items) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (isScalar(key) && typeof key.value === 'symbol') {
        // `<<: *anchor` merges the anchor's keys; explicit keys (recorded after) win.
        const sources = isSeq(value) ? value.items : [value];
        for (const s of sources) collectPositions(doc, s, path, at, out, depth + 1);
        continue;
      }
      const name = isScalar(key) ? String(key.value) : String(key);
      const p = childPath(path, name);
      if (key?.range) out.setKey(p, at(key.range[0]));
      if (value?.range) out.setValue(p, at(value.range[0]));
      collectPositions(doc, value, p, at, out, depth + 1);
    }
  } else if (isSeq(target)) {
    target.items.forEach((item, i) => {
      const p = `${path}[${i}]`;
      const n = item as Node | null;
      if (n?.range) out.setValue(p, at(n.range[0]));
      collectPositions(doc, item, p, at, out, depth + 1);
    });
  }
}

function interpolateTree(
  v: unknown,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  fail: (path: string, message: string) => void,
  unset: string[],
): unknown {
  if (typeof v === 'string') {
    try {
      const r = interpolate(v, env);
      unset.push(...r.unset);
      return r.value;
    } catch (e) {
      if (e instanceof InterpolationError) {
        fail(path, e.message);
        return v;
      }
      throw e;
    }
  }
  if (Array.isArray(v)) return v.map((x, i) => interpolateTree(x, `${path}[${i}]`, env, fail, unset));
  if (isPlainObject(v)) {
    // Keys are not interpolated (compose does not either); `x-` extensions are, harmlessly.
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolateTree(x, childPath(path, k), env, fail, unset)]));
  }
  return v;
}

/** Keys whose list form (["K=V", …]) merges by key like their mapping form. */
const KEYED_LISTS = new Set(['environment', 'labels']);

/**
 * The compose override rule, simplified: mappings merge key by key, recursively;
 * `environment` and `labels` merge by variable/label name whichever form each file
 * uses; anything else (scalars, other lists such as `command`) is replaced by the later file.
 */
export function mergeCompose(base: unknown, over: unknown, key: string): unknown {
  if (KEYED_LISTS.has(key) && (Array.isArray(base) || Array.isArray(over)) && (Array.isArray(base) || isPlainObject(base)) && (Array.isArray(over) || isPlainObject(over))) {
    return { ...keyedListAsMap(base), ...keyedListAsMap(over) };
  }
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeCompose(out[k], v, k) : v;
    return out;
  }
  return over;
}

/** ["A=1", "B"] → {A: "1", B: null}; a mapping stays as it is. */
export function keyedListAsMap(v: unknown): Record<string, unknown> {
  if (!Array.isArray(v)) return v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const item of v) {
    const s = String(item);
    const eq = s.indexOf('=');
    if (eq < 0) out[s] = null;
    else out[s.slice(0, eq)] = s.slice(eq + 1);
  }
  return out;
}
