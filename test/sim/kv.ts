/**
 * The replicated key-value state machine the simulator runs on every node.
 * Commands arrive only through committed log entries; reads are served locally
 * after a ReadIndex round. The snapshot is the map serialized with sorted keys,
 * so two nodes at the same applied index produce byte-identical snapshots.
 */

export type KvWrite =
  | { readonly kind: 'put'; readonly key: string; readonly value: string }
  | { readonly kind: 'cas'; readonly key: string; readonly expected: string | null; readonly value: string };

export type KvInput = KvWrite | { readonly kind: 'get'; readonly key: string };

/** put → null; cas → whether it swapped; get → the value (null when absent). */
export type KvOutput = { readonly kind: 'put' } | { readonly kind: 'cas'; readonly ok: boolean } | { readonly kind: 'get'; readonly value: string | null };

/** What a normal log entry carries: the command plus who asked, so the proposing node can answer. */
export type EntryPayload =
  | { readonly t: 'kv'; readonly client: number; readonly req: number; readonly cmd: KvWrite }
  | { readonly t: 'marker'; readonly id: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodePayload(p: EntryPayload): Uint8Array {
  return encoder.encode(JSON.stringify(p));
}

export function decodePayload(data: Uint8Array): EntryPayload {
  const parsed: unknown = JSON.parse(decoder.decode(data));
  if (typeof parsed !== 'object' || parsed === null || !('t' in parsed)) {
    throw new Error(`undecodable entry payload: ${decoder.decode(data)}`);
  }
  return parsed as EntryPayload;
}

export class KvStateMachine {
  private readonly map = new Map<string, string>();

  apply(cmd: KvWrite): KvOutput {
    if (cmd.kind === 'put') {
      this.map.set(cmd.key, cmd.value);
      return { kind: 'put' };
    }
    const current = this.map.get(cmd.key) ?? null;
    if (current !== cmd.expected) return { kind: 'cas', ok: false };
    this.map.set(cmd.key, cmd.value);
    return { kind: 'cas', ok: true };
  }

  get(key: string): string | null {
    return this.map.get(key) ?? null;
  }

  serialize(): Uint8Array {
    const pairs = [...this.map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return encoder.encode(JSON.stringify(pairs));
  }

  static restore(data: Uint8Array): KvStateMachine {
    const kv = new KvStateMachine();
    if (data.length === 0) return kv; // an empty snapshot (bootstrap) is the empty map
    const pairs: unknown = JSON.parse(decoder.decode(data));
    if (!Array.isArray(pairs)) throw new Error('kv snapshot is not an array of pairs');
    for (const pair of pairs as unknown[]) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
        throw new Error('kv snapshot holds a malformed pair');
      }
      kv.map.set(pair[0], pair[1]);
    }
    return kv;
  }
}
