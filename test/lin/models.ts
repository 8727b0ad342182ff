// Sequential models for the linearizability checker: a single register (Jepsen etcd
// workload), an append KV store (Porcupine's kv corpus) and the get/put/cas KV store that the
// Raft simulator's histories use. The KV models are partitioned per key, so their state is the
// value of one key.
import type { Model, Operation } from './checker.js';

/** Group operations by a key, keeping their original order; groups ordered by first appearance. */
export function partitionBy<I, O>(ops: readonly Operation<I, O>[], keyOf: (input: I) => string): Operation<I, O>[][] {
  const groups = new Map<string, Operation<I, O>[]>();
  for (const op of ops) {
    const k = keyOf(op.input);
    const g = groups.get(k);
    if (g) g.push(op);
    else groups.set(k, [op]);
  }
  return [...groups.values()];
}

// ---- Single register ----------------------------------------------------------------------

export type RegisterValue = number | string | null;
export type RegisterInput =
  | { op: 'read' }
  | { op: 'write'; value: RegisterValue }
  | { op: 'cas'; from: RegisterValue; to: RegisterValue };
/** read: the value read; cas: whether it swapped; write: nothing. */
export type RegisterOutput = { value?: RegisterValue; ok?: boolean };

export const registerModel: Model<RegisterValue, RegisterInput, RegisterOutput> = {
  init: () => null,
  step(state, input, output) {
    switch (input.op) {
      case 'read':
        return { ok: output === undefined || output.value === state, state };
      case 'write':
        return { ok: true, state: input.value };
      case 'cas': {
        const matches = state === input.from;
        // Unknown outcome: a cas is deterministic given the state, so it did whatever the
        // state dictates.
        if (output === undefined) return { ok: true, state: matches ? input.to : state };
        if (output.ok === true) return { ok: matches, state: input.to };
        return { ok: !matches, state };
      }
    }
  },
  equal: (a, b) => a === b,
  hash: (s) => (s === null ? 'nil' : `${typeof s}:${s}`),
  describeOperation(input, output) {
    const out = output === undefined ? '?' : JSON.stringify(output);
    if (input.op === 'read') return `read -> ${out}`;
    if (input.op === 'write') return `write(${String(input.value)}) -> ${out}`;
    return `cas(${String(input.from)} -> ${String(input.to)}) -> ${out}`;
  },
  describeState: (s) => String(s),
};

// ---- Append KV store (get/put/append), values start as '' -----------------------------------

export interface AppendKvInput {
  op: 'get' | 'put' | 'append';
  key: string;
  value?: string;
}
export interface AppendKvOutput {
  value?: string;
}

export const appendKvModel: Model<string, AppendKvInput, AppendKvOutput> = {
  init: () => '',
  step(state, input, output) {
    switch (input.op) {
      case 'get':
        return { ok: output === undefined || output.value === state, state };
      case 'put':
        return { ok: true, state: requireValue(input) };
      case 'append':
        return { ok: true, state: state + requireValue(input) };
    }
  },
  equal: (a, b) => a === b,
  hash: (s) => s,
  partition: (ops) => partitionBy(ops, (i) => i.key),
  describeOperation(input, output) {
    const out = output === undefined ? '?' : JSON.stringify(output.value ?? null);
    if (input.op === 'get') return `get(${JSON.stringify(input.key)}) -> ${out}`;
    return `${input.op}(${JSON.stringify(input.key)}, ${JSON.stringify(input.value ?? null)})`;
  },
  describeState: (s) => JSON.stringify(s),
};

function requireValue(input: { op: string; key: string; value?: string }): string {
  if (input.value === undefined) throw new Error(`${input.op} on key ${JSON.stringify(input.key)} has no value`);
  return input.value;
}

// ---- Simulator KV store (get/put/cas), keys start absent ------------------------------------

export interface SimKvInput {
  op: 'get' | 'put' | 'cas';
  key: string;
  value?: string;
  /** cas: the value the key must hold; absent means "the key must not exist". */
  expected?: string;
}
/**
 * get: `value` is the value read (absent: no such key). cas: `ok` says whether it swapped.
 * put: `ok: false` means the put was definitely not applied; anything else means applied.
 */
export interface SimKvOutput {
  value?: string;
  ok?: boolean;
}

/** State: the value of the partition's key, undefined when the key does not exist. */
export type SimKvState = string | undefined;

export const simKvModel: Model<SimKvState, SimKvInput, SimKvOutput> = {
  init: () => undefined,
  step(state, input, output) {
    switch (input.op) {
      case 'get':
        return { ok: output === undefined || output.value === state, state };
      case 'put':
        if (output?.ok === false) return { ok: true, state };
        return { ok: true, state: requireValue(input) };
      case 'cas': {
        const matches = state === input.expected;
        const to = requireValue(input);
        if (output === undefined) return { ok: true, state: matches ? to : state };
        if (output.ok === true) return { ok: matches, state: to };
        return { ok: !matches, state };
      }
    }
  },
  equal: (a, b) => a === b,
  hash: (s) => (s === undefined ? '-' : `=${s}`),
  partition: (ops) => partitionBy(ops, (i) => i.key),
  describeOperation(input, output) {
    const out = output === undefined ? '?' : JSON.stringify(output);
    const k = JSON.stringify(input.key);
    if (input.op === 'get') return `get(${k}) -> ${out}`;
    if (input.op === 'put') return `put(${k}, ${JSON.stringify(input.value ?? null)}) -> ${out}`;
    return `cas(${k}, ${JSON.stringify(input.expected ?? null)} -> ${JSON.stringify(input.value ?? null)}) -> ${out}`;
  },
  describeState: (s) => (s === undefined ? '(absent)' : JSON.stringify(s)),
};
