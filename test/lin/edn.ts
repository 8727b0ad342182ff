// Parser for the EDN-like kv history lines of Porcupine's kv corpus, e.g.
//   {:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}
// It reads one flat map per line whose values are keywords, integers, strings or nil; that is
// all the corpus uses. `:invoke` starts an operation; `:ok` completes it (for get, with the value
// read); `:fail` means it did not happen, so it is dropped; `:info` or no completion leaves the
// outcome unknown (returns at +Infinity).
import type { Operation } from './checker.js';
import type { AppendKvInput, AppendKvOutput } from './models.js';

export type EdnValue = string | number | null | { keyword: string };
export type AppendKvOperation = Operation<AppendKvInput, AppendKvOutput>;

const lineLengthMax = 1 << 20;

/** Parse one `{:k v, :k v}` line into a map from keyword name (without ':') to value. */
export function parseEdnMap(line: string): Map<string, EdnValue> {
  if (line.length > lineLengthMax) throw new Error(`EDN line longer than ${lineLengthMax} characters`);
  const out = new Map<string, EdnValue>();
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`EDN: ${what} at column ${i + 1} of ${JSON.stringify(line.slice(0, 80))}`);
  };
  const skipWs = (): void => {
    while (i < line.length && /[\s,]/.test(line[i]!)) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < line.length && !/[\s,{}]/.test(line[i]!)) i++;
    return line.slice(start, i);
  };
  const readString = (): string => {
    let s = '';
    i++; // opening quote
    while (i < line.length && line[i] !== '"') {
      if (line[i] === '\\') {
        const c = line[i + 1];
        if (c === undefined) fail('dangling escape');
        s += c === 'n' ? '\n' : c === 't' ? '\t' : c;
        i += 2;
      } else {
        s += line[i];
        i++;
      }
    }
    if (i >= line.length) fail('unterminated string');
    i++; // closing quote
    return s;
  };
  skipWs();
  if (line[i] !== '{') fail("expected '{'");
  i++;
  for (;;) {
    skipWs();
    if (i >= line.length) fail("expected '}'");
    if (line[i] === '}') break;
    if (line[i] !== ':') fail('expected a keyword');
    const key = readToken().slice(1);
    skipWs();
    let value: EdnValue;
    if (line[i] === '"') value = readString();
    else {
      const tok = readToken();
      if (tok === 'nil') value = null;
      else if (tok.startsWith(':') && tok.length > 1) value = { keyword: tok.slice(1) };
      else if (/^-?\d+$/.test(tok)) value = Number(tok);
      else value = fail(`unsupported value ${JSON.stringify(tok)}`);
    }
    out.set(key, value);
  }
  return out;
}

function keyword(m: Map<string, EdnValue>, k: string): string {
  const v = m.get(k);
  if (v === null || typeof v !== 'object') throw new Error(`EDN: :${k} must be a keyword`);
  return v.keyword;
}

function str(m: Map<string, EdnValue>, k: string): string | undefined {
  const v = m.get(k);
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'string') throw new Error(`EDN: :${k} must be a string or nil`);
  return v;
}

export function parseKvHistory(text: string): AppendKvOperation[] {
  const ops: AppendKvOperation[] = [];
  const pending = new Map<number, AppendKvOperation>();
  const failed = new Set<AppendKvOperation>();
  let time = 0;
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const m = parseEdnMap(raw);
    const proc = m.get('process');
    if (typeof proc !== 'number') throw new Error(`EDN: :process must be an integer in ${raw}`);
    const type = keyword(m, 'type');
    const f = keyword(m, 'f');
    if (f !== 'get' && f !== 'put' && f !== 'append') throw new Error(`EDN: unknown :f ${f}`);
    const key = str(m, 'key');
    if (key === undefined) throw new Error(`EDN: missing :key in ${raw}`);
    const value = str(m, 'value');
    time++;
    if (type === 'invoke') {
      const input: AppendKvInput = value === undefined ? { op: f, key } : { op: f, key, value };
      const op: AppendKvOperation = { clientId: proc, input, output: undefined, call: time, return: Infinity };
      pending.set(proc, op);
      ops.push(op);
      continue;
    }
    const op = pending.get(proc);
    if (op === undefined) throw new Error(`EDN: completion for process ${proc} with no pending invocation`);
    if (type === 'info') continue; // outcome unknown: stays pending until +Infinity
    pending.delete(proc);
    if (type === 'fail') {
      failed.add(op);
      continue;
    }
    if (type !== 'ok') throw new Error(`EDN: unknown :type ${type}`);
    op.output = f === 'get' ? { value: value ?? '' } : {};
    op.return = time;
  }
  return ops.filter((op) => !failed.has(op));
}
