import { randomBytes } from 'node:crypto';

/** Node, cluster and object IDs: 25 lower-case base-36 characters, like Docker's. Shared by both roles. */
export function newObjectId(): string {
  return BigInt('0x' + randomBytes(20).toString('hex')).toString(36).padStart(25, '0').slice(-25);
}
