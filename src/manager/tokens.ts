import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NodeRole } from './store/commands.js';

/**
 * Join tokens in the style of Docker swarm: `SWMTKN-1-<cluster digest>-<secret>`.
 * The digest ties a token to its cluster; the secret is the credential.
 *
 * Tokens are not stored: each is derived (HMAC-SHA256) from a random key in
 * the replicated state, the role and a generation number that rotation bumps.
 * So any manager can print the current token, rotation is one deterministic
 * command, and verification compares SHA-256 hashes in constant time.
 */
const TOKEN_PREFIX = 'SWMTKN-1';
const SECRET_CHARS = 25;
const DIGEST_CHARS = 50;

export function newTokenKey(): string {
  return randomBytes(32).toString('hex');
}

/** The digest of a cluster without a CA (made before mutual TLS). */
export function clusterTokenDigest(clusterId: string): string {
  return base36(createHash('sha256').update(`shoal-cluster:${clusterId}`).digest()).padStart(DIGEST_CHARS, '0').slice(0, DIGEST_CHARS);
}

/** `digest`: the root CA certificate's (pki.certificateDigest), so a joiner can check the CA before trusting it. */
export function deriveJoinToken(digest: string, tokenKey: string, role: NodeRole, generation: number): string {
  const mac = createHmac('sha256', Buffer.from(tokenKey, 'hex')).update(`${role}:${generation}`).digest();
  // The role letter lets a person tell the two tokens apart; the role itself is decided by which hash matches.
  const secret = (role === 'manager' ? 'm' : 'w') + base36(mac).padStart(SECRET_CHARS, '0').slice(0, SECRET_CHARS - 1);
  return `${TOKEN_PREFIX}-${digest}-${secret}`;
}

export function hashJoinToken(token: string): string {
  return createHash('sha256').update(token.trim()).digest('hex');
}

export function tokenMatches(token: string, hash: string): boolean {
  const a = Buffer.from(hashJoinToken(token), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A cheap syntactic check, so a pasted fragment gets a precise message. */
export function validateTokenSyntax(token: string): string | null {
  const parts = token.trim().split('-');
  if (parts.length !== 4 || `${parts[0]}-${parts[1]}` !== TOKEN_PREFIX || parts[2]?.length !== DIGEST_CHARS || parts[3]?.length !== SECRET_CHARS || !/^[0-9a-z]+$/.test(`${parts[2]}${parts[3]}`)) {
    return 'the join token is malformed: expected SWMTKN-1-<50-character CA digest>-<25-character secret>, as printed by `shoal join-token`';
  }
  return null;
}

/** The CA digest a (syntactically valid) token carries. */
export function tokenCaDigest(token: string): string {
  return token.trim().split('-')[2] ?? '';
}

function base36(bytes: Buffer): string {
  return BigInt('0x' + bytes.toString('hex')).toString(36);
}

export { newObjectId } from '../node/ids.js';
