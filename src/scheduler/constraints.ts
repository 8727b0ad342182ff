/**
 * Placement constraints: "KEY==VALUE" / "KEY!=VALUE" over a node's attributes. The service
 * API calls `parseConstraint` at create/update time so the user sees the exact problem as
 * INVALID_ARGUMENT; the scheduler parses again (the store may hold older data) and treats a
 * bad expression as a reason to keep the task pending, never as a crash.
 *
 * As in swarm mode: key prefixes are case-insensitive, label names are case-sensitive, values
 * compare case-insensitively, surrounding spaces are ignored, and a label the node lacks
 * satisfies `!=` and fails `==`.
 */
import { ShoalError } from '../errors.js';
import { invalid, ok } from './types.js';
import type { NodeRole, Result, SchedNode } from './types.js';

/** The node attributes a constraint can name; `SchedNode` and the store's node rows adapt to it. */
export interface ConstraintSubject {
  readonly id: string;
  readonly hostname: string;
  readonly role: NodeRole;
  readonly os: string;
  readonly arch: string;
  /** The container engine's name ("docker"), '' = none. */
  readonly engine?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export function subjectOf(node: SchedNode): ConstraintSubject {
  return { id: node.id, hostname: node.hostname, role: node.role, os: node.platform.os, arch: node.platform.arch, engine: engineName(node.platform.engine), labels: node.labels };
}

export type NodeAttribute =
  | { readonly kind: 'id' }
  | { readonly kind: 'hostname' }
  | { readonly kind: 'role' }
  | { readonly kind: 'os' }
  | { readonly kind: 'arch' }
  | { readonly kind: 'engine' }
  | { readonly kind: 'label'; readonly label: string };

export interface Constraint {
  /** The expression as given, for messages. */
  readonly text: string;
  readonly attribute: NodeAttribute;
  readonly op: '==' | '!=';
  /** Lower-cased (and, for node.platform.arch, alias-normalised) value. */
  readonly value: string;
}

const knownKeys = 'node.id, node.hostname, node.role, node.labels.KEY, node.platform.os, node.platform.arch or node.platform.engine';
const labelPrefix = 'node.labels.';
const constraintTextMax = 1024;

/**
 * Resolves "node.…" to the attribute it names; returns a message fragment on failure.
 * Shared with placement preferences, which name attributes the same way.
 */
export function parseAttribute(key: string): NodeAttribute | { readonly problem: 'unknown' | 'empty-label' } {
  const lower = key.toLowerCase();
  if (lower.startsWith(labelPrefix)) {
    const label = key.slice(labelPrefix.length);
    return label.length === 0 ? { problem: 'empty-label' } : { kind: 'label', label };
  }
  switch (lower) {
    case 'node.id': return { kind: 'id' };
    case 'node.hostname': return { kind: 'hostname' };
    case 'node.role': return { kind: 'role' };
    case 'node.platform.os': return { kind: 'os' };
    case 'node.platform.arch': return { kind: 'arch' };
    case 'node.platform.engine': return { kind: 'engine' };
    default: return { problem: 'unknown' };
  }
}

/**
 * For the service API: returns the parsed constraint or throws a ShoalError
 * INVALID_ARGUMENT whose message names the expression and the problem.
 */
export function parseConstraint(text: string): Constraint {
  const r = tryParseConstraint(text);
  if (!r.ok) throw new ShoalError(r.error.code, r.error.message);
  return r.value;
}

/** The same as `parseConstraint`, with the error as a value. */
export function tryParseConstraint(text: string): Result<Constraint> {
  const malformed = (why: string): Result<Constraint> => invalid(`constraint "${text}" is malformed: ${why}`);
  if (text.length > constraintTextMax) return malformed(`longer than ${constraintTextMax} characters`);
  const eq = text.indexOf('==');
  const ne = text.indexOf('!=');
  const at = eq < 0 ? ne : ne < 0 ? eq : Math.min(eq, ne);
  if (at < 0) return malformed('expected KEY==VALUE or KEY!=VALUE');
  const op = text.slice(at, at + 2) === '==' ? '==' : '!=';
  const key = text.slice(0, at).trim();
  const rawValue = text.slice(at + 2).trim();
  if (rawValue.includes('==') || rawValue.includes('!=')) return malformed('expected KEY==VALUE or KEY!=VALUE');
  if (key.length === 0) return malformed('the key is empty');
  if (rawValue.length === 0) return malformed('the value is empty');
  const attribute = parseAttribute(key);
  if ('problem' in attribute) {
    if (attribute.problem === 'empty-label') return malformed('the label name after node.labels. is empty');
    return invalid(`constraint "${text}" has unknown key "${key}": expected ${knownKeys}`);
  }
  let value = rawValue.toLowerCase();
  if (attribute.kind === 'role' && value !== 'manager' && value !== 'worker') {
    return invalid(`constraint "${text}" has invalid value "${rawValue}" for node.role: expected manager or worker`);
  }
  if (attribute.kind === 'arch') value = normaliseArch(value);
  return ok({ text, attribute, op, value });
}

/** Parses every expression; the first bad one decides the error. */
export function parseConstraints(texts: readonly string[]): Result<readonly Constraint[]> {
  const out: Constraint[] = [];
  for (const t of texts) {
    const r = tryParseConstraint(t);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out);
}

/** The node's value of an attribute, lower-cased for comparison; undefined if it has none. */
export function attributeValue(attribute: NodeAttribute, node: ConstraintSubject): string | undefined {
  switch (attribute.kind) {
    case 'id': return node.id.toLowerCase();
    case 'hostname': return node.hostname.toLowerCase();
    case 'role': return node.role;
    case 'os': return node.os.toLowerCase();
    case 'arch': return normaliseArch(node.arch.toLowerCase());
    case 'engine': return node.engine === undefined || node.engine === '' ? undefined : node.engine.toLowerCase();
    case 'label': {
      // Own-property check: a label named "constructor" must not hit Object.prototype.
      if (!Object.prototype.hasOwnProperty.call(node.labels, attribute.label)) return undefined;
      return node.labels[attribute.label]?.toLowerCase();
    }
  }
}

export function matchesConstraint(c: Constraint, node: ConstraintSubject): boolean {
  const v = attributeValue(c.attribute, node);
  return c.op === '==' ? v === c.value : v !== c.value;
}

/** The first constraint the node fails, or undefined if it satisfies all of them. */
export function firstUnmet(constraints: readonly Constraint[], node: ConstraintSubject): Constraint | undefined {
  for (const c of constraints) if (!matchesConstraint(c, node)) return c;
  return undefined;
}

export function allConstraintsMatch(constraints: readonly Constraint[], node: ConstraintSubject): boolean {
  return firstUnmet(constraints, node) === undefined;
}

/**
 * Users write Docker's/Go's names (amd64, aarch64); nodes report Node's (x64, arm64).
 * Both sides go through this so either spelling matches.
 */
function normaliseArch(arch: string): string {
  switch (arch) {
    case 'amd64':
    case 'x86_64':
      return 'x64';
    case 'aarch64':
      return 'arm64';
    case 'i386':
    case 'i686':
    case 'x86':
      return 'ia32';
    default:
      return arch;
  }
}

/**
 * The constraint every image task carries implicitly: only a node with a container engine can
 * run it. Its text is what `service ps` shows when no node has one.
 */
export const IMAGE_ENGINE_CONSTRAINT = 'node.platform.engine==docker';

/** "docker 20.10.24" → "docker": constraints compare the engine's name, not its version. */
export function engineName(reported: string | undefined): string {
  return (reported ?? '').trim().split(/\s+/)[0] ?? '';
}
