/**
 * Which networks' names a batch of store changes can have altered, so the names hub recomputes
 * only those (names-stream.ts). Pure: from the change log's events, the feed's input as it was at
 * the hub's last computation (as an index) and as it is now.
 *
 * A network's names are its own name, the services whose spec lists it (name, aliases, mode, VIP),
 * and the running tasks and containers holding an address on it, unless their node is down. Each
 * of those rows records an event for its own object when it changes (the Watch contract), so:
 * - network X → X;
 * - service S → the networks S was on and is on now (its VIP is on those; a rename renames its tasks there);
 * - task or container O → the networks O held an address on before and holds now;
 * - node N → the networks N had an endpoint on before and has now (down/up, removal);
 * - cluster → none.
 * "Before and now" both count, so an object that moved, left or was deleted is covered.
 */
import type { FeedInput } from '../network/dns/feed.js';
import { networksByNode } from '../network/dns/feed.js';
import type { StoreEvent } from './store/events.js';

/** Where each object's names were: by `kind/id` and by node, the networks. */
export interface NamesIndex {
  readonly byOwner: ReadonlyMap<string, ReadonlySet<string>>;
  readonly byNode: ReadonlyMap<string, ReadonlySet<string>>;
}

export function namesIndex(input: FeedInput): NamesIndex {
  const byOwner = new Map<string, Set<string>>();
  const add = (key: string, networkId: string): void => {
    let set = byOwner.get(key);
    if (!set) byOwner.set(key, (set = new Set()));
    set.add(networkId);
  };
  for (const s of input.services) for (const n of s.networks) add(`service/${s.id}`, n);
  for (const t of input.tasks) for (const a of t.addresses) add(`task/${t.id}`, a.networkId);
  for (const c of input.containers) for (const a of c.addresses) add(`container/${c.id}`, a.networkId);
  return { byOwner, byNode: networksByNode(input) };
}

export function touchedNetworks(events: readonly StoreEvent[], before: NamesIndex, now: NamesIndex): Set<string> {
  const out = new Set<string>();
  const from = (map: ReadonlyMap<string, ReadonlySet<string>>, key: string): void => {
    for (const n of map.get(key) ?? []) out.add(n);
  };
  for (const e of events) {
    switch (e.kind) {
      case 'network':
        out.add(e.objectId);
        break;
      case 'service':
      case 'task':
      case 'container':
        from(before.byOwner, `${e.kind}/${e.objectId}`);
        from(now.byOwner, `${e.kind}/${e.objectId}`);
        break;
      case 'node':
        from(before.byNode, e.objectId);
        from(now.byNode, e.objectId);
        break;
      case 'cluster':
        break;
    }
  }
  return out;
}
