// Parser for Jepsen etcd single-register logs (Porcupine's jepsen-etcd corpus), producing
// operations for registerModel. Semantics follow the corpus README:
// - `:invoke` starts an operation for a process;
// - `:ok` completes it with its result (read value, or a successful cas);
// - `:fail :cas` completes a cas that returned false;
// - `:fail :read :timed-out` completes a read whose result is unknown;
// - an invocation with no completion (the process went `:info`, or the log ended) is unknown:
//   it may take effect at any time after its call, so it returns at +Infinity.
// Other lines are ignored. Time is the line's position among the parsed events.
import type { Operation } from './checker.js';
import type { RegisterInput, RegisterOutput, RegisterValue } from './models.js';

export type RegisterOperation = Operation<RegisterInput, RegisterOutput>;

const lineRe = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;

function parseValue(text: string, lineNo: number): RegisterValue {
  if (text === 'nil') return null;
  if (!/^-?\d+$/.test(text)) throw new Error(`line ${lineNo}: expected an integer or nil, got ${JSON.stringify(text)}`);
  return Number(text);
}

function parseInput(f: string, arg: string, lineNo: number): RegisterInput {
  if (f === 'read') return { op: 'read' };
  if (f === 'write') return { op: 'write', value: parseValue(arg, lineNo) };
  const m = /^\[(\S+)\s+(\S+)\]$/.exec(arg);
  if (!m) throw new Error(`line ${lineNo}: malformed cas argument ${JSON.stringify(arg)}`);
  return { op: 'cas', from: parseValue(m[1]!, lineNo), to: parseValue(m[2]!, lineNo) };
}

export function parseJepsenLog(text: string): RegisterOperation[] {
  const ops: RegisterOperation[] = [];
  const pending = new Map<number, RegisterOperation>();
  const lines = text.split('\n');
  let time = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = lineRe.exec(lines[i]!);
    if (!m) continue;
    const [, procText, type, f, arg] = m as unknown as [string, string, string, string, string];
    const proc = Number(procText);
    const lineNo = i + 1;
    time++;
    if (type === 'invoke') {
      // A process that invokes again without completing leaves its old operation unknown.
      const op: RegisterOperation = { clientId: proc, input: parseInput(f, arg, lineNo), output: undefined, call: time, return: Infinity };
      pending.set(proc, op);
      ops.push(op);
      continue;
    }
    if (type === 'info') continue;
    const op = pending.get(proc);
    if (op === undefined) throw new Error(`line ${lineNo}: completion for process ${proc} with no pending invocation`);
    if (op.input.op !== f) throw new Error(`line ${lineNo}: completion :${f} does not match pending :${op.input.op}`);
    if (type === 'ok') {
      op.output = f === 'read' ? { value: parseValue(arg, lineNo) } : f === 'cas' ? { ok: true } : {};
    } else if (f === 'cas') {
      op.output = { ok: false };
    } else if (f === 'read' && arg === ':timed-out') {
      op.output = undefined;
    } else {
      continue; // Any other :fail is ignored; the operation stays unknown.
    }
    op.return = time;
    pending.delete(proc);
  }
  return ops;
}
