import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
/** 252 = 7 × 36: a byte below it maps to a base-36 digit without bias; the rest are skipped. */
const UNBIASED_BELOW = 252;
export const OBJECT_ID_LENGTH = 25;

// Random bytes are drawn 1 KB at a time: one randomBytes(20) call per ID, and a
// BigInt conversion of it, was ≈ 13 µs per ID, two or three of them per
// CreateService (issue #16 profile). IDs are names, not secrets.
const pool = Buffer.alloc(1024);
let poolPos = pool.length;

function randomByte(): number {
  if (poolPos === pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  return pool[poolPos++]!;
}

/**
 * Node, cluster and object IDs: 25 lower-case base-36 characters, like Docker's
 * (≈ 129 bits of randomness). Shared by both roles.
 */
export function newObjectId(): string {
  let id = '';
  while (id.length < OBJECT_ID_LENGTH) {
    const b = randomByte();
    if (b < UNBIASED_BELOW) id += ALPHABET[b % 36];
  }
  return id;
}
