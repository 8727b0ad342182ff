// Run inside a client namespace by bench:dns (cross-host part): `node dns-watch.js SERVER NAME…`.
// Asks SERVER (the node resolver on the network's gateway) for each NAME's A records every 5 ms,
// one UDP query per name at a time, and prints a JSON line {name, at, addresses} (at: Unix ms
// when the answer arrived) each time a name's answer changes. Runs until killed. Polling costs
// the resolver ~400 queries/s per name, far below what it answers (bench:dns, part 1).
import { createSocket } from 'node:dgram';
import * as packet from 'dns-packet';

const [server = '', ...names] = process.argv.slice(2);
const socket = createSocket('udp4');
const last = new Map<string, string>();
const pending = new Map<number, string>();
let nextId = 1;

function ask(name: string): void {
  const id = nextId++ & 0xffff || 1;
  nextId = id + 1;
  pending.set(id, name);
  socket.send(packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ type: 'A', name, class: 'IN' }] }), 53, server);
  // A lost answer: ask again (the resolver is on this node; losses are rare).
  setTimeout(() => pending.get(id) === name && (pending.delete(id), ask(name)), 500).unref();
}

socket.on('message', (msg) => {
  const reply = packet.decode(msg);
  const name = pending.get(reply.id ?? -1);
  if (name === undefined) return;
  pending.delete(reply.id!);
  const addresses = (reply.answers ?? []).flatMap((a) => (a.type === 'A' && typeof a.data === 'string' ? [a.data] : [])).sort();
  const key = JSON.stringify(addresses);
  if (last.get(name) !== key) {
    last.set(name, key);
    process.stdout.write(JSON.stringify({ name, at: Date.now(), addresses }) + '\n');
  }
  setTimeout(() => ask(name), 5);
});
socket.bind(0, () => names.forEach(ask));
