import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Entry, EntryKind, HardState } from '../../../src/raft/core/types.js';

/** Temp dirs under os.tmpdir(), removed by cleanup() (call it from `after`). */
export function tempDirs(prefix: string): { make(): string; cleanup(): void } {
  const dirs: string[] = [];
  return {
    make(): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `shoal-${prefix}-`));
      dirs.push(dir);
      return dir;
    },
    cleanup(): void {
      for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function entry(index: number, term: number, kind: EntryKind = 'normal'): Entry {
  return { index, term, kind, data: Buffer.from(`entry ${index} term ${term}`) };
}

export function entries(from: number, to: number, term: number): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push(entry(i, term));
  return out;
}

export function hard(term: number, commit: number, vote = 1): HardState {
  return { term, vote, commit };
}

export const CONF = { voters: [1, 2, 3], learners: [] } as const;
