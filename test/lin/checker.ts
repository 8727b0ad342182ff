// Linearizability checker (Wing & Gong's search with Lowe's and Porcupine's improvements).
//
// A history is a set of operations, each with a call time and a return time. It is
// linearizable if every operation can be given a single instant inside its [call, return]
// window such that applying the operations in that order to the sequential model gives the
// observed outputs.
//
// How the search works:
// - The history is split with the model's `partition` (P-compositionality: linearizability of
//   independent objects, e.g. keys, composes), and each part is checked on its own. Parts are
//   searched round-robin in fixed-size step slices, so one easy illegal part decides the
//   history without waiting for a hard part to finish.
// - Each part becomes a doubly linked list of call and return events sorted by time (calls
//   before returns at equal times, which treats touching operations as concurrent).
// - A depth-first search walks the list. At a call event it tries to linearize that operation
//   now: step the model; if the step is legal and the pair (set of linearized operations, model
//   state) has not been seen before, the call and its return are unlinked from the list (an
//   O(1) "lift", undone on backtrack) and the search restarts from the head. Reaching a return
//   event means an operation that had to take effect by then did not: backtrack by popping the
//   last linearized operation and trying the next candidate after it.
// - The memo of (bitset, state) pairs is what makes this practical: a configuration already
//   explored is never explored again. Bitsets carry an incremental 53-bit hash, and the memo is
//   also keyed by the model's state hash when it has one, so lookups stay O(1) on average even
//   when one set is reached through many orders; the memo also guarantees termination, since
//   the configurations are finite.
// - An operation whose outcome is unknown (output undefined) gets return time +Infinity unless
//   the caller gives a finite one; the model's step must accept any output for it, so it may
//   take effect anywhere after its call, or effectively never (it sits at the end).
//
// The checker returns 'unknown' only when timeoutMs runs out. For 'illegal' it reports the
// partition that failed and the longest linearizable prefix found, to help debugging.

export interface Operation<I, O> {
  clientId: number;
  input: I;
  /** undefined: the outcome is unknown (the step must accept anything). */
  output: O | undefined;
  call: number;
  /** Infinity when the response is unknown. */
  return: number;
}

export interface StepResult<S> {
  ok: boolean;
  state: S;
}

export interface Model<S, I, O> {
  init(): S;
  /** Must not mutate `state`. With output undefined it must return ok: true. */
  step(state: S, input: I, output: O | undefined): StepResult<S>;
  equal(a: S, b: S): boolean;
  /** Optional canonical key: equal(a, b) must hold exactly when hash(a) === hash(b). */
  hash?(s: S): string;
  /** Split the history into independent sub-histories (e.g. one per key). */
  partition?(ops: readonly Operation<I, O>[]): Operation<I, O>[][];
  describeOperation?(input: I, output: O | undefined): string;
  describeState?(s: S): string;
}

export interface CheckOptions {
  /** Give up with result 'unknown' after this long. Default: no limit. */
  timeoutMs?: number;
}

export type CheckResult<I, O> =
  | { result: 'ok' }
  | { result: 'unknown'; reason: string }
  | {
      result: 'illegal';
      /** Index of the failing partition in the model's partition order. */
      partitionIndex: number;
      partition: Operation<I, O>[];
      /** The longest sequence of operations that could be linearized, in linearization order. */
      longestPrefix: Operation<I, O>[];
      explanation: string;
    };

/** One event in the linked list: a call or a return of operation `id` (index in the partition). */
interface EventNode {
  id: number;
  isCall: boolean;
  /** For a call: its return node. For a return: null. */
  match: EventNode | null;
  prev: EventNode | null;
  next: EventNode | null;
}

/** Search steps per partition between deadline checks and switches to the next partition. */
const sliceSteps = 20_000;

export function checkHistory<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  opts: CheckOptions = {},
): CheckResult<I, O> {
  const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
  const parts = model.partition ? model.partition(ops) : [ops.slice()];
  let opsSeen = 0;
  for (const part of parts) opsSeen += part.length;
  if (opsSeen !== ops.length) {
    throw new Error(`model.partition lost or duplicated operations: ${opsSeen} != ${ops.length}`);
  }
  // Partitions are searched round-robin in slices of a fixed number of steps, like Porcupine
  // checking them in parallel: one illegal partition decides the history, and an easy illegal
  // one should not wait behind a hard legal (or hard illegal) one. Slices count steps, not
  // time, so the verdict and the reported partition are deterministic.
  let running = parts.map((part, index) => ({ index, part, search: new PartitionSearch(model, part) }));
  while (running.length > 0) {
    if (Date.now() > deadline) {
      return { result: 'unknown', reason: `timed out after ${opts.timeoutMs ?? 0} ms with ${running.length} partitions undecided` };
    }
    const stillRunning: typeof running = [];
    for (const r of running) {
      const verdict = r.search.run(sliceSteps);
      if (verdict === 'illegal') {
        const prefix = r.search.best.map((i) => r.part[i]!);
        return {
          result: 'illegal',
          partitionIndex: r.index,
          partition: r.part,
          longestPrefix: prefix,
          explanation: explain(model, r.part, prefix),
        };
      }
      if (verdict === 'running') stillRunning.push(r);
    }
    running = stillRunning;
  }
  return { result: 'ok' };
}

function explain<S, I, O>(model: Model<S, I, O>, part: Operation<I, O>[], prefix: Operation<I, O>[]): string {
  let state = model.init();
  for (const op of prefix) state = model.step(state, op.input, op.output).state;
  const stateText = model.describeState ? model.describeState(state) : JSON.stringify(state);
  const done = new Set(prefix);
  // The operations that must come next: everything not linearized whose call precedes the
  // earliest pending return.
  const pending = part.filter((op) => !done.has(op));
  let earliestReturn = Infinity;
  for (const op of pending) earliestReturn = Math.min(earliestReturn, op.return);
  const candidates = pending.filter((op) => op.call <= earliestReturn).slice(0, 10);
  const describe = (op: Operation<I, O>): string =>
    `client ${op.clientId} ${model.describeOperation ? model.describeOperation(op.input, op.output) : JSON.stringify({ input: op.input, output: op.output })} [${op.call}, ${op.return}]`;
  return (
    `${part.length} operations; the longest linearizable prefix has ${prefix.length}, ` +
    `ending in state ${stateText}; none of these can be linearized next: ` +
    candidates.map(describe).join('; ')
  );
}

/** Build the sorted call/return event list for a partition; returns the head sentinel. */
function buildEventList<I, O>(ops: readonly Operation<I, O>[]): EventNode {
  interface Ev { time: number; isCall: boolean; id: number }
  const evs: Ev[] = [];
  for (let id = 0; id < ops.length; id++) {
    const op = ops[id]!;
    if (!Number.isFinite(op.call)) throw new Error(`operation ${id} has a non-finite call time`);
    if (!(op.return >= op.call)) throw new Error(`operation ${id} returns (${op.return}) before its call (${op.call})`);
    evs.push({ time: op.call, isCall: true, id }, { time: op.return, isCall: false, id });
  }
  evs.sort((a, b) => {
    if (a.time !== b.time) return a.time < b.time ? -1 : 1;
    if (a.isCall !== b.isCall) return a.isCall ? -1 : 1;
    return a.id - b.id;
  });
  const head: EventNode = { id: -1, isCall: false, match: null, prev: null, next: null };
  const returns: (EventNode | undefined)[] = new Array<EventNode | undefined>(ops.length);
  const calls: (EventNode | undefined)[] = new Array<EventNode | undefined>(ops.length);
  let tail = head;
  for (const ev of evs) {
    const node: EventNode = { id: ev.id, isCall: ev.isCall, match: null, prev: tail, next: null };
    tail.next = node;
    tail = node;
    if (ev.isCall) calls[ev.id] = node;
    else returns[ev.id] = node;
  }
  for (let id = 0; id < ops.length; id++) calls[id]!.match = returns[id]!;
  return head;
}

/** Unlink a call and its return. The call's successor always exists (its own return follows). */
function lift(call: EventNode): void {
  call.prev!.next = call.next;
  call.next!.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

/** Undo lift(call); must be done in reverse order of the lifts. */
function unlift(call: EventNode): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  call.next!.prev = call;
}

/** Deterministic 32-bit mix (splitmix-style) used for the bitset's incremental hash. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A set of linearized operation ids with an order-independent hash kept up to date. */
class Bitset {
  readonly words: Uint32Array;
  hashHi = 0;
  hashLo = 0;
  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32) || 1);
  }
  /** Toggle bit `i` (set if clear, clear if set); XOR keeps the hash order-independent. */
  toggle(i: number): void {
    this.words[i >>> 5]! ^= 1 << (i & 31);
    this.hashHi ^= mix32(i * 2);
    this.hashLo ^= mix32(i * 2 + 1) & 0x1fffff;
  }
  /** 53-bit hash: fits a JS number exactly, so Map keys never collide by rounding. */
  key(): number {
    return this.hashHi * 0x200000 + this.hashLo;
  }
  equalWords(other: Uint32Array): boolean {
    const w = this.words;
    for (let i = 0; i < w.length; i++) if (w[i] !== other[i]) return false;
    return true;
  }
}

/**
 * The memo of explored (linearized set, state) pairs. Buckets are keyed by the bitset's hash
 * and, when the model supplies `hash`, by the state's key too: without that, a bitset reached
 * through many orders (k concurrent appends give k! states) makes one bucket scanned linearly.
 */
class Memo<S> {
  private readonly byKey = new Map<number, Map<string, Uint32Array[]>>();
  private readonly byEqual = new Map<number, { words: Uint32Array; state: S }[]>();
  constructor(private readonly equal: (a: S, b: S) => boolean) {}

  /** Adds the pair; returns false if it was already present. */
  add(bits: Bitset, state: S, stateKey: string | undefined): boolean {
    const h = bits.key();
    if (stateKey !== undefined) {
      let inner = this.byKey.get(h);
      if (!inner) this.byKey.set(h, (inner = new Map<string, Uint32Array[]>()));
      const list = inner.get(stateKey);
      if (!list) {
        inner.set(stateKey, [bits.words.slice()]);
        return true;
      }
      for (const w of list) if (bits.equalWords(w)) return false;
      list.push(bits.words.slice());
      return true;
    }
    let bucket = this.byEqual.get(h);
    if (!bucket) this.byEqual.set(h, (bucket = []));
    for (const e of bucket) if (bits.equalWords(e.words) && this.equal(e.state, state)) return false;
    bucket.push({ words: bits.words.slice(), state });
    return true;
  }
}

/**
 * The depth-first search over one partition, resumable: run() does a bounded number of steps
 * so that checkHistory can interleave partitions (see there).
 */
class PartitionSearch<S, I, O> {
  private readonly head: EventNode;
  private readonly bits: Bitset;
  private readonly memo: Memo<S>;
  // Invariant: stack[i] is the i-th linearized call and states[i] the model state before it.
  private readonly stack: EventNode[] = [];
  private readonly states: S[] = [];
  private state: S;
  private entry: EventNode | null;
  /** Operation ids of the longest linearization found so far (for the illegal report). */
  best: number[] = [];

  constructor(
    private readonly model: Model<S, I, O>,
    private readonly ops: readonly Operation<I, O>[],
  ) {
    this.head = buildEventList(ops);
    this.bits = new Bitset(ops.length);
    this.memo = new Memo<S>((a, b) => model.equal(a, b));
    this.state = model.init();
    this.entry = this.head.next;
  }

  /** Advance by at most stepsMax events. */
  run(stepsMax: number): 'ok' | 'illegal' | 'running' {
    const { head, bits, memo, stack, states, ops, model } = this;
    let { state, entry } = this;
    for (let steps = 0; steps < stepsMax; steps++) {
      if (head.next === null) {
        if (stack.length !== ops.length) throw new Error(`search ended with ${stack.length} of ${ops.length} linearized`);
        return 'ok';
      }
      if (entry === null) throw new Error('linearizability search ran off the event list');
      if (entry.isCall) {
        const op = ops[entry.id]!;
        const r = model.step(state, op.input, op.output);
        if (r.ok) {
          bits.toggle(entry.id);
          if (memo.add(bits, r.state, model.hash ? model.hash(r.state) : undefined)) {
            stack.push(entry);
            states.push(state);
            state = r.state;
            lift(entry);
            if (stack.length > this.best.length) this.best = stack.map((n) => n.id);
            entry = head.next;
            continue;
          }
          bits.toggle(entry.id);
        }
        entry = entry.next;
      } else {
        // A return whose call is still pending: the last choice was wrong. Backtrack.
        const top = stack.pop();
        if (top === undefined) return 'illegal';
        state = states.pop()!;
        bits.toggle(top.id);
        unlift(top);
        entry = top.next;
      }
    }
    this.state = state;
    this.entry = entry;
    return 'running';
  }
}
