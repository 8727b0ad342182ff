import type { Operation } from '../lin/checker.js';
import type { SimKvInput, SimKvOutput } from '../lin/models.js';
import type { NodeId, RaftResult } from '../../src/raft/core/types.js';
import type { KvOutput, KvWrite } from './kv.js';
import type { Prng } from './prng.js';

export type HistoryOp = Operation<SimKvInput, SimKvOutput>;

/** How clients reach the cluster: submit to one node; a refusal is returned synchronously. */
export interface ClientGateway {
  members(): readonly NodeId[];
  submitWrite(node: NodeId, client: number, req: number, cmd: KvWrite): RaftResult;
  submitRead(node: NodeId, client: number, req: number, key: string): RaftResult;
}

export interface ClientOptions {
  readonly clients: number;
  readonly keys: number;
  /** Probability per tick that an idle client starts an operation. */
  readonly opChance: number;
  /** Fraction of operations that are reads; of the rest, 7 in 12 are puts and 5 in 12 compare-and-sets. */
  readonly readShare: number;
  /** A request with no answer after this many ticks is abandoned (its outcome is unknown). */
  readonly timeoutTicks: number;
  /** Refused attempts (no leader, not leader) before an operation is given up as never executed. */
  readonly attemptsMax: number;
  /** Upper bound on operations in one run (keeps the linearizability check small). */
  readonly opsMax: number;
}

type ClientState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'submitting'; readonly op: HistoryOp; attempts: number }
  | { readonly kind: 'waiting'; readonly op: HistoryOp; readonly req: number; readonly deadline: number };

interface Client {
  readonly id: number;
  state: ClientState;
  nextReq: number;
  leaderGuess: NodeId;
  written: number;
}

/**
 * Clients that issue put/get/cas against the cluster and record a history for
 * the linearizability checker. Each client has at most one operation
 * outstanding. Call and return times are simulated ticks. A refused attempt
 * is retried on another node (the operation keeps its first call time); an
 * accepted request that gets no answer before its timeout is recorded with an
 * unknown outcome (writes) or dropped (reads, which change nothing).
 */
export class ClientDriver {
  readonly history: HistoryOp[] = [];
  private readonly clients: Client[] = [];
  private started = 0;
  completed = 0;
  timedOut = 0;
  abandoned = 0;

  constructor(private readonly rng: Prng, private readonly opts: ClientOptions) {
    for (let i = 0; i < opts.clients; i++) {
      this.clients.push({ id: i + 1, state: { kind: 'idle' }, nextReq: 1, leaderGuess: 0, written: 0 });
    }
  }

  get busy(): boolean {
    return this.clients.some((c) => c.state.kind !== 'idle');
  }

  step(now: number, gw: ClientGateway, startNew: boolean): void {
    for (const c of this.clients) {
      const s = c.state;
      if (s.kind === 'waiting' && now >= s.deadline) this.timeout(c, s.op);
      if (c.state.kind === 'idle' && startNew && this.started < this.opts.opsMax && this.rng.chance(this.opts.opChance)) {
        this.started++;
        c.state = { kind: 'submitting', op: this.newOp(c, now), attempts: 0 };
      }
      const cur = c.state;
      if (cur.kind === 'submitting') this.attempt(c, cur, now, gw);
    }
  }

  private newOp(c: Client, now: number): HistoryOp {
    const key = `k${this.rng.int(this.opts.keys)}`;
    const r = this.rng.next();
    let input: SimKvInput;
    const share = this.opts.readShare;
    if (r < share) input = { op: 'get', key };
    else if (r < share + ((1 - share) * 7) / 12) input = { op: 'put', key, value: `c${c.id}v${++c.written}` };
    else {
      // Expect a value some client may have written, so that some CAS operations succeed.
      const other = this.rng.range(1, this.opts.clients);
      const n = this.rng.range(1, 3);
      const value = `c${c.id}v${++c.written}`;
      input = this.rng.chance(0.2) ? { op: 'cas', key, value } : { op: 'cas', key, expected: `c${other}v${n}`, value };
    }
    return { clientId: c.id, input, output: undefined, call: now, return: Infinity };
  }

  private attempt(c: Client, s: { op: HistoryOp; attempts: number }, now: number, gw: ClientGateway): void {
    const members = gw.members();
    const target = c.leaderGuess !== 0 && members.includes(c.leaderGuess) ? c.leaderGuess : this.rng.pick(members);
    const req = c.nextReq++;
    const op = s.op;
    c.state = { kind: 'waiting', op, req, deadline: now + this.opts.timeoutTicks };
    const input = op.input;
    const r = input.op === 'get' ? gw.submitRead(target, c.id, req, input.key) : gw.submitWrite(target, c.id, req, toWrite(input));
    if (r.ok) {
      c.leaderGuess = target;
      return;
    }
    if (c.state.kind !== 'waiting' || c.state.req !== req) return; // answered synchronously (cannot happen for a refusal)
    c.leaderGuess = r.refusal.code === 'not-leader' ? r.refusal.leader : 0;
    s.attempts++;
    if (s.attempts >= this.opts.attemptsMax) {
      // Never accepted by any node: it certainly had no effect, so it is left out of the history.
      this.abandoned++;
      c.state = { kind: 'idle' };
      return;
    }
    c.state = { kind: 'submitting', op, attempts: s.attempts };
  }

  private timeout(c: Client, op: HistoryOp): void {
    this.timedOut++;
    c.leaderGuess = 0;
    c.state = { kind: 'idle' };
    if (op.input.op !== 'get') this.history.push(op); // outcome unknown: output undefined, return +Infinity
  }

  /** A node answered request `req` of `client` at `now`. Late answers to abandoned requests are ignored. */
  answer(client: number, req: number, now: number, out: KvOutput | { kind: 'get'; value: string | null }): void {
    const c = this.clients[client - 1];
    if (!c || c.state.kind !== 'waiting' || c.state.req !== req) return;
    const op = c.state.op;
    let output: SimKvOutput;
    if (out.kind === 'get') output = out.value === null ? {} : { value: out.value };
    else if (out.kind === 'cas') output = { ok: out.ok };
    else output = { ok: true };
    if ((out.kind === 'get') !== (op.input.op === 'get')) throw new Error(`client ${client} req ${req}: answer ${out.kind} to ${op.input.op}`);
    this.history.push({ ...op, output, return: now });
    this.completed++;
    c.state = { kind: 'idle' };
  }
}

function toWrite(input: SimKvInput): KvWrite {
  if (input.value === undefined) throw new Error(`${input.op} without a value`);
  if (input.op === 'put') return { kind: 'put', key: input.key, value: input.value };
  return { kind: 'cas', key: input.key, expected: input.expected ?? null, value: input.value };
}
