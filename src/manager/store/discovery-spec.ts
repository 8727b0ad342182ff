/**
 * Validation of the service-discovery fields of specs: endpoint mode and network aliases.
 * Pure; the proposing manager and the apply run the same checks.
 */
import { ShoalError } from '../../errors.js';

export type EndpointMode = 'vip' | 'dnsrr';
export const ENDPOINT_MODES: readonly EndpointMode[] = ['vip', 'dnsrr'];

/** Aliases per service or container. */
export const ALIASES_MAX = 32;
/** A DNS name: dot-separated labels of letters, digits, '-' and '_' (as Docker allows), each 1-63 long. */
const LABEL_RE = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const NAME_CHARS_MAX = 253;

/** Checks a list of network aliases; INVALID_ARGUMENT names `field` and the bad alias. */
export function checkAliases(field: string, aliases: readonly string[]): string[] {
  const bad = (why: string): never => {
    throw new ShoalError('INVALID_ARGUMENT', `${field}: ${why}`);
  };
  if (aliases.length > ALIASES_MAX) bad(`at most ${ALIASES_MAX} aliases, got ${aliases.length}`);
  const seen = new Set<string>();
  for (const alias of aliases) {
    if (alias.length === 0 || alias.length > NAME_CHARS_MAX || !alias.split('.').every((l) => LABEL_RE.test(l))) {
      bad(`"${alias.slice(0, 80)}" is not a DNS name: use dot-separated labels of 1-63 letters, digits, '-' or '_'`);
    }
    const key = alias.toLowerCase();
    // tasks.<name> is the resolver's own name for a service's tasks; an alias must not shadow it.
    if (key.startsWith('tasks.')) bad(`"${alias}" may not start with "tasks." (reserved for the task lists of services)`);
    if (key.endsWith('.in-addr.arpa') || key === 'in-addr.arpa') bad(`"${alias}" is a reverse-lookup name`);
    if (seen.has(key)) bad(`"${alias}" is listed twice`);
    seen.add(key);
  }
  return [...aliases];
}

export function checkEndpointMode(field: string, mode: string): EndpointMode {
  if (mode === 'vip' || mode === 'dnsrr') return mode;
  throw new ShoalError('INVALID_ARGUMENT', `${field}: unknown endpoint mode "${mode}" (expected vip or dnsrr)`);
}
