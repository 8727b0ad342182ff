/**
 * Placement preferences: `--placement-pref spread=node.labels.zone`. Each names a node
 * attribute to spread over; several apply level by level (zone, then rack within a zone).
 */
import { attributeValue, parseAttribute } from './constraints.js';
import type { ConstraintSubject, NodeAttribute } from './constraints.js';
import { invalid, ok } from './types.js';
import type { Result } from './types.js';

export interface SpreadPreference {
  readonly text: string;
  readonly attribute: NodeAttribute;
}

const spreadPrefix = 'spread=';

/** Accepts "spread=node.labels.zone" (the CLI form) and "node.labels.zone" (the stored descriptor). */
export function parsePlacementPref(text: string): Result<SpreadPreference> {
  const descriptor = text.startsWith(spreadPrefix) ? text.slice(spreadPrefix.length).trim() : text.trim();
  const attribute = parseAttribute(descriptor);
  if ('problem' in attribute) {
    return invalid(`placement preference "${text}" is malformed: expected spread=node.labels.KEY`);
  }
  return ok({ text, attribute });
}

export function parsePlacementPrefs(texts: readonly string[]): Result<readonly SpreadPreference[]> {
  const out: SpreadPreference[] = [];
  for (const t of texts) {
    const r = parsePlacementPref(t);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out);
}

/**
 * The group a node falls in at one level. Nodes without the label form a group of their own
 * (undefined), which gets its share like any value, as in swarm mode.
 */
export function preferenceValue(pref: SpreadPreference, node: ConstraintSubject): string | undefined {
  return attributeValue(pref.attribute, node);
}
